"""Services of 节约型机关 creation and projects: the 80-point boundary, who may score, and
charging-station progress vs the target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.energy.models import ChargingStation, ConservationUnit, UnitScore
from houqin.energy.services.conservation import (
    campaign_progress,
    item_add,
    unit_enroll,
    unit_review,
    unit_self_assess,
)
from houqin.energy.services.projects import project_progress, project_save, station_save

from .conftest import item_points

pytestmark = pytest.mark.django_db


def test_self_assessment_by_the_agency_liaison(unit_x, sheet, liaison_x):
    unit = unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    assert unit.status == ConservationUnit.Status.SELF_ASSESSED
    assert unit.self_score == Decimal("83.0")
    assert UnitScore.objects.filter(unit=unit).count() == 4


def test_another_agencys_liaison_may_not_self_assess(batch, agency_y, liaison_x, sheet):
    unit_y = unit_enroll(actor=None, batch=batch, agency=agency_y)
    with pytest.raises(PermissionDenied):
        unit_self_assess(actor=liaison_x, unit=unit_y, points=item_points(sheet, 1, 1, 1, 1))
    assert not UnitScore.objects.exists()


def test_item_over_its_points_is_refused_and_nothing_written(unit_x, sheet, energy_a):
    with pytest.raises(ValidationError) as caught:
        unit_self_assess(actor=energy_a, unit=unit_x, points=item_points(sheet, 41, 25, 15, 8))
    assert "最多 40.0 分" in str(caught.value)
    unit_x.refresh_from_db()
    assert unit_x.status == ConservationUnit.Status.ENROLLED
    assert not UnitScore.objects.exists()


def test_every_item_must_be_scored(unit_x, sheet, energy_a):
    points = item_points(sheet, 35, 25, 15, 8)
    points.popitem()
    with pytest.raises(ValidationError, match="请为"):
        unit_self_assess(actor=energy_a, unit=unit_x, points=points)


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ((40, 30, 10, 0), ConservationUnit.Status.PASSED),  # exactly 80 passes
        ((40, 30, 9.9, 0), ConservationUnit.Status.FAILED),  # 79.9 fails
        ((40, 30, 20, 10), ConservationUnit.Status.PASSED),
    ],
)
def test_review_decides_at_the_80_point_boundary(unit_x, sheet, energy_a, scores, status):
    unit_self_assess(actor=energy_a, unit=unit_x, points=item_points(sheet, 40, 30, 20, 10))
    unit = unit_review(
        actor=energy_a,
        unit=unit_x,
        points=item_points(sheet, *scores),
        decide=True,
        on=dt.date(2026, 11, 20),
    )
    assert unit.status == status
    assert unit.review_score == sum(Decimal(str(s)) for s in scores)
    assert unit.decided_on == dt.date(2026, 11, 20)


def test_review_needs_self_assessment_and_the_manager(unit_x, sheet, energy_a, liaison_x):
    with pytest.raises(ValidationError, match="尚未自评"):
        unit_review(actor=energy_a, unit=unit_x, points=item_points(sheet, 40, 30, 20, 10))
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 40, 30, 20, 10))
    with pytest.raises(PermissionDenied):
        unit_review(actor=liaison_x, unit=unit_x, points=item_points(sheet, 40, 30, 20, 10))
    unit = unit_review(actor=energy_a, unit=unit_x, points=item_points(sheet, 40, 30, 20, 0))
    assert unit.status == ConservationUnit.Status.REVIEWED
    with pytest.raises(ValidationError, match="已进入评审"):
        unit_self_assess(actor=liaison_x, unit=unit, points=item_points(sheet, 1, 1, 1, 1))


def test_sheet_is_frozen_once_used_and_capped_at_100(unit_x, sheet, energy_a):
    area = sheet.areas.first()
    with pytest.raises(ValidationError, match="100"):
        item_add(actor=energy_a, area=area, text_value="额外项目", points=1)
    unit_self_assess(actor=energy_a, unit=unit_x, points=item_points(sheet, 1, 1, 1, 1))
    with pytest.raises(ValidationError, match="已用于评分"):
        item_add(actor=energy_a, area=area, text_value="额外项目", points=1)


def test_campaign_progress_counts_passed_against_target(batch, campaign, sheet, agency_x, agency_y):
    for agency, scores in ((agency_x, (40, 30, 20, 10)), (agency_y, (20, 20, 10, 10))):
        unit = unit_enroll(actor=None, batch=batch, agency=agency)
        unit_self_assess(actor=None, unit=unit, points=item_points(sheet, *scores))
        unit_review(actor=None, unit=unit, points=item_points(sheet, *scores), decide=True)
    [progress] = campaign_progress(campaign)
    assert (progress.target, progress.enrolled, progress.passed, progress.failed) == (3, 2, 1, 1)
    assert progress.rate == 33.3


def test_enrolling_twice_is_refused(batch, agency_x, unit_x):
    with pytest.raises(ValidationError, match="已报名"):
        unit_enroll(actor=None, batch=batch, agency=agency_x)


def test_charging_station_progress_vs_target(center_a, energy_a):
    project = project_save(
        actor=energy_a,
        center=center_a,
        name="新能源汽车充电桩建设",
        kind="charging",
        year=2026,
        target=16,
        assigned_by="市机关事务管理局",
    )
    done = dt.date(2026, 6, 30)
    for n, status in enumerate(["in_use"] * 5 + ["done"] * 3 + ["building"] * 2 + ["planned"]):
        station_save(
            actor=energy_a,
            project=project,
            name=f"充电站{n + 1}",
            site=f"停车场{n + 1}",
            piles=2,
            power_kw=Decimal("120"),
            status=status,
            completed_on=done if status in ChargingStation.COMPLETED else None,
        )
    progress = project_progress(project)
    assert (progress.completed, progress.building, progress.planned) == (8, 2, 1)
    assert progress.rate == 50.0
    assert progress.remaining == 8
    assert progress.piles == 16
    assert project_progress(project, until=dt.date(2026, 6, 29)).completed == 0


def test_completed_station_needs_its_date(center_a, energy_a):
    project = project_save(
        actor=energy_a, center=center_a, name="充电桩", kind="charging", year=2026, target=16
    )
    with pytest.raises(ValidationError, match="建成日期"):
        station_save(
            actor=energy_a,
            project=project,
            name="一号站",
            site="机关大院",
            piles=2,
            power_kw=60,
            status="done",
        )
    assert not ChargingStation.objects.exists()


def test_other_centers_manager_may_not_write(center_a, energy_b):
    with pytest.raises(PermissionDenied):
        project_save(
            actor=energy_b, center=center_a, name="充电桩", kind="charging", year=2026, target=16
        )


def test_event_dates_cannot_leave_activities_outside(center_a, energy_a):
    from houqin.energy.services.events import activity_add, event_save

    event = event_save(
        actor=energy_a,
        center=center_a,
        kind="week",
        title="2026年节能宣传周",
        start_date=dt.date(2026, 6, 8),
        end_date=dt.date(2026, 6, 14),
    )
    activity_add(actor=energy_a, event=event, date=dt.date(2026, 6, 13), title="节能知识竞赛")
    with pytest.raises(ValidationError, match="1 项活动不在"):
        event_save(
            actor=energy_a,
            center=center_a,
            kind="week",
            title="2026年节能宣传周",
            start_date=dt.date(2026, 6, 8),
            end_date=dt.date(2026, 6, 12),
            event=event,
        )
    event.refresh_from_db()
    assert event.end_date == dt.date(2026, 6, 14)
