"""The summary's 公车管理 section on a year of fleet records with known counts (2025, built
through the fleet services), and on a center with no fleet records.

The year: 5 requests received (3 trips completed, 1 dispatched and not yet run, 1 无车可派)
and 1 cancelled; 3 × 40 km; ratings 5, 4, 3; 2 safety trainings; disinfection before and
after each completed trip; costs 3 × 80 fuel + 3 × 15 tolls and parking + 3000 insurance +
500 maintenance = 3785 元; 2 vehicles in service (a third disposed) for a 编制 of 3. A trip,
a repair and a training in January 2026 are outside the year. Nothing happens in 2024, so no
同比 clause is written (the sentences below hold whether or not the template has one).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan
from houqin.core.roles import Role
from houqin.fleet import services
from houqin.fleet.models import Vehicle, VehicleQuota
from houqin.fleet.summary import DEFINITIONS, figures
from houqin.fleet.tests.conftest import (  # noqa: F401
    agency_leader_x,
    dispatcher,
    driver,
    make_approved_request,
    motor_pool,
    tomorrow,
    vehicle,
    vehicle2,
)
from houqin.fleet.tests.test_services import complete_trip
from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import docx_text, summary_section

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
HEADING = "（七）公车管理"


def at(year, month, day, hour=9):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def training(dispatcher, when):  # noqa: F811
    task = duties.duty_task_create_adhoc(
        actor=None,
        center=dispatcher.person.center,
        title="驾驶员安全培训",
        due_at=when,
        assignee_role=Role.FLEET_DISPATCHER,
        category=DutyPlan.Category.SAFETY_TRAINING,
    )
    duties.duty_task_complete(actor=dispatcher, task=task, answers={}, now=when)


@pytest.fixture
def year(
    dispatcher,  # noqa: F811
    make_approved_request,  # noqa: F811
    staff_x,
    vehicle,  # noqa: F811
    vehicle2,  # noqa: F811
    driver,  # noqa: F811
    center_a,
    agency_x,
):
    def approved(starts):
        return make_approved_request(starts, hours=2, now=starts - dt.timedelta(days=1))

    for starts, car, rating in (
        (at(2025, 3, 10), vehicle, 5),
        (at(2025, 6, 16), vehicle, 4),
        (at(2025, 9, 15), vehicle2, 3),
        (at(2026, 1, 5), vehicle, 5),  # outside the year
    ):
        req = approved(starts)
        complete_trip(req, dispatcher=dispatcher, vehicle=car, driver=driver, fuel=Decimal("10"))
        services.trip_request_rate(actor=staff_x, request=req, rating=rating)
    services.trip_dispatch(
        actor=dispatcher, requests=[approved(at(2025, 11, 10))], vehicle=vehicle, driver=driver
    )
    services.trip_request_mark_unmet(
        actor=dispatcher, request=approved(at(2025, 12, 1)), reason="车辆不足"
    )
    services.trip_request_cancel(actor=staff_x, request=approved(at(2025, 12, 2)))
    for car, kind, day, cost in (
        (vehicle, "insurance", dt.date(2025, 1, 15), 3000),
        (vehicle2, "maintenance", dt.date(2025, 5, 20), 500),
        (vehicle, "repair", dt.date(2026, 1, 20), 1000),  # outside the year
    ):
        services.repair_record_add(
            actor=dispatcher,
            vehicle=car,
            kind=kind,
            date=day,
            shop="区汽修厂",
            description="年度费用",
            cost=cost,
        )
    for when in (at(2025, 4, 8, 15), at(2025, 10, 14, 15), at(2026, 1, 13, 15)):
        training(dispatcher, when)
    Vehicle.objects.create(
        center=center_a,
        plate="桂K·A0003",
        brand_model="捷达",
        seats=5,
        status=Vehicle.Status.DISPOSED,
    )
    VehicleQuota.objects.create(center=center_a, agency=agency_x, category="other", quota=3)


def test_figures_are_the_known_counts(year, center_a):
    f = figures(center_a, *YEAR)
    assert (f["requests_received"], f["requests_served"], f["requests_unmet"]) == (5, 4, 1)
    assert f["trips"] == 3 and f["km"] == Decimal("120")
    assert (f["ratings"], f["rating_avg"], f["satisfied_pct"]) == (3, 4.0, 66.7)
    assert (f["trainings"], f["disinfection_records"]) == (2, 6)
    assert f["costs_total"] == Decimal("3785")
    assert (f["actual_total"], f["quota_total"]) == (2, 3)
    assert figures(center_a, *YEAR, now=at(2025, 7, 1)) == f  # nothing depends on `now`


def test_word_file_has_the_known_counts_in_the_seed_sentences(year, center_a):
    summary = build(center_a, *YEAR)
    text = docx_text(summary)
    assert summary.title.endswith("2025年工作总结") and "一、2025年工作开展情况" in text
    assert f"\n{HEADING}\n" in text
    assert (
        "全年受理用车申请5次，派车4次，完成出车3趟，行驶120公里。"
        "开展满意度调查活动，对派单的车辆、司机进行满意度评分3次，平均评分4分，满意率66.7%。"
    ) in text
    assert "全年组织司勤人员安全培训2次，严格遵守公务用车管理制度，坚决杜绝公车私用。" in text
    assert (
        "出车前以及回来后对车辆进行清洁消杀，共计6次。在车辆维修方面，履行节约，努力降低消耗，"
        "全年公务用车运行费用（燃油、维修保养、保险、通行及停车费）共计3785元。"
        "现有公务用车2辆，编制3辆。"
    ) in text
    section = summary_section(summary, "fleet")
    assert section.has_data and section.heading == HEADING
    assert len(section.paragraphs) == 3
    assert "同比" not in "".join(p.text for p in section.paragraphs)  # 2024 is empty


def test_figures_table_labels_the_fleet_figures(year, center_a):
    summary = build(center_a, *YEAR)
    used = {f.key: f for f in summary.figures if f.key.startswith("fleet.")}
    assert used["fleet.trips"].value == 3 and used["fleet.trips"].previous == 0
    assert used["fleet.requests_received"].value == 5
    for key, figure in used.items():
        assert figure.label == str(DEFINITIONS[key.removeprefix("fleet.")][0]), key
        assert figure.definition, key


def test_a_center_without_fleet_records_says_so(center_b):
    f = figures(center_b, *YEAR)
    assert (f["trips"], f["requests_received"], f["actual_total"], f["quota_total"]) == (0,) * 4
    summary = build(center_b, *YEAR)
    section = summary_section(summary, "fleet")
    assert not section.has_data and section.heading == HEADING
    assert [p.text for p in section.paragraphs] == ["本期暂无公车管理相关数据记录。"]
    text = docx_text(summary)
    assert f"{HEADING}\n本期暂无公车管理相关数据记录。" in text
    for zero in ("受理用车申请0次", "出车0趟", "0公里", "培训0次", "共计0次", "0元", "0辆"):
        assert zero not in text


def test_a_year_without_fleet_activity_says_so(year, center_a):
    start, end = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    f = figures(center_a, start, end)
    assert (f["trips"], f["requests_received"], f["costs_total"]) == (0, 0, 0)
    summary = build(center_a, start, end)
    section = summary_section(summary, "fleet")
    assert [p.text for p in section.paragraphs] == ["本期暂无公车管理相关数据记录。"]
    assert not section.has_data
