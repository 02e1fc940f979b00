"""The energy demo (seed_demo): idempotent (a second run writes nothing), last year's
indicators on track against the 2020→2025 target, one reading waiting to be confirmed, a
campaign with a unit in each status and the demo liaison's agency enrolled, the charging
stations and the sorting and publicity figures."""

import datetime as dt
import time

import pytest

from houqin.core.models import AuditLogEntry
from houqin.core.roles import Role
from houqin.energy import demo, summary
from houqin.energy import demo_data as data
from houqin.energy.indicators import target_progress
from houqin.energy.models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationUnit,
    EnergyTarget,
    EventActivity,
    GarbageCollection,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    PublicityEvent,
    ScoringItem,
    SortingInspection,
    SortingSite,
    UnitScore,
)
from houqin.org.models import OrgUnit
from houqin.org.tests.factories import PersonFactory, make_unit, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)
CODES = sorted({code for *_rest, units in data.BATCHES for code, *_x in units} - {"LIAISON"})


@pytest.fixture
def demo_users(center_a):
    """The demo agencies (by code), the energy manager and the liaison of 财政局."""
    for code in [*CODES, "CZJ"]:
        make_unit(center_a, f"XX区{code}", code=code)
    finance = OrgUnit.objects.get(code="CZJ")
    return {
        "energy": make_user(
            PersonFactory(agency=finance, name="节能股长"), Role.ENERGY_MANAGER, username="energy"
        ),
        "liaison": make_user(
            PersonFactory(agency=finance, name="办公室主任"), Role.LIAISON, username="liaison"
        ),
    }


def snapshot(center):
    return (
        Institution.objects.filter(center=center).count(),
        InstitutionYear.objects.count(),
        Meter.objects.filter(center=center).count(),
        list(MeterReading.objects.order_by("pk").values_list("pk", "consumption", "flagged")),
        EnergyTarget.objects.count(),
        ScoringItem.objects.count(),
        list(ConservationUnit.objects.order_by("pk").values_list("status", "review_score")),
        UnitScore.objects.count(),
        CampaignMeeting.objects.count(),
        ChargingStation.objects.count(),
        SortingSite.objects.count(),
        SortingInspection.objects.count(),
        GarbageCollection.objects.count(),
        PublicityEvent.objects.count(),
        EventActivity.objects.count(),
        AuditLogEntry.objects.count(),
    )


def test_seed_twice_and_what_it_shows(center_a, demo_users):
    started = time.monotonic()
    created = demo.seed(center_a, today=TODAY)
    first = time.monotonic() - started
    assert created

    # Six institutions with base data from 2020 to this year, 20 meters, monthly readings.
    assert Institution.objects.filter(center=center_a).count() == 6
    assert InstitutionYear.objects.filter(year=2020).count() == 6
    assert InstitutionYear.objects.filter(year=2026).count() == 6
    assert Meter.objects.filter(center=center_a, parent__isnull=False).count() == 4
    main = MeterReading.objects.filter(meter__code="DY-E01")
    assert main.count() == 12 * 6 + 10  # January 2020 to October 2026
    assert main.order_by("-month").first().month == dt.date(2026, 10, 1)
    assert MeterReading.objects.filter(entered_by=demo_users["energy"]).count() > 1000
    # One reading this year waits to be confirmed: the replaced sub-meter's, lower than before.
    [flagged] = MeterReading.objects.filter(flagged=True)
    assert flagged.meter.code == data.REPLACED_METER and flagged.month.year == 2026
    assert "小于上月读数" in flagged.flag_reason

    # Last year (2025) meets the 2020→2025 target on all three indicators.
    target, rows = target_progress(center_a.pk, 2025)
    assert (target.base_year, target.target_year) == (2020, 2025)
    assert all(row.on_track for row in rows), [(r.name, r.change_pct) for r in rows]
    # This year keeps declining month for month.
    year, last_year = (
        MeterReading.objects.filter(meter__parent__isnull=True, month=dt.date(y, 10, 1))
        for y in (2026, 2025)
    )
    assert sum(r.consumption for r in year) < sum(r.consumption for r in last_year)
    assert EnergyTarget.objects.filter(center=center_a, base_year=2025, target_year=2030).exists()

    # The scoring sheet: four areas, 20 items, 100 points.
    items = ScoringItem.objects.filter(area__sheet__center=center_a)
    assert items.count() == 20 and sum(i.points for i in items) == 100
    # Batch 1 (last year, target 8): all decided, seven passed; batch 2 (this year, target 6):
    # a unit in each status, the liaison's agency enrolled.
    batch_1, batch_2 = CampaignBatch.objects.order_by("number")
    assert (batch_1.year, batch_1.target_units, batch_2.year, batch_2.target_units) == (
        2025,
        8,
        2026,
        6,
    )
    statuses = list(batch_1.units.values_list("status", flat=True))
    assert sorted(statuses) == ["failed"] + ["passed"] * 7
    assert {u.status for u in batch_2.units.all()} == set(ConservationUnit.Status.values)
    liaison_unit = ConservationUnit.objects.get(agency__code="CZJ")
    assert liaison_unit.batch == batch_2 and liaison_unit.status == "enrolled"
    for unit in ConservationUnit.objects.filter(status__in=("passed", "failed")):
        assert (unit.review_score >= 80) == (unit.status == "passed")
    assert CampaignMeeting.objects.filter(date__year=2026).count() == 4

    stations = ChargingStation.objects.filter(project__name=data.PROJECT_NAME)
    assert stations.count() == 16 and stations.first().project.target == 16
    assert stations.filter(status__in=ChargingStation.COMPLETED).count() == 11

    school = SortingSite.objects.get(name="区实验小学")
    assert school.is_demonstration and school.demonstration_level == "区级示范点"
    assert SortingInspection.objects.filter(site=school).count() == 7  # May to November
    assert GarbageCollection.objects.count() == 9

    # The annual summary of this year has every module's figures.
    figures = summary.figures(
        center_a, dt.date(2026, 1, 1), dt.date(2027, 1, 1), now=dt.datetime(2026, 11, 26, 12)
    )
    assert (figures["units_created"], figures["units_target"]) == (2, 6)
    assert (figures["meetings"], figures["trainings"]) == (2, 2)
    assert (figures["stations_completed"], figures["stations_completed_total"]) == (8, 11)
    assert (figures["sorting_sites"], figures["demonstration_sites"]) == (6, 1)
    assert 85 <= figures["sorting_rate"] <= 99
    assert figures["events"] == 3 and figures["event_people"] > 1000
    assert figures["energy_months"] == 10

    before = snapshot(center_a)
    started = time.monotonic()
    assert demo.seed(center_a, today=TODAY) == []
    assert time.monotonic() - started < 5
    assert snapshot(center_a) == before
    assert first < 120


def test_seed_without_demo_logins(center_a):
    """With no "energy" login the data are entered without an actor and the inspections (which
    need an inspector) are left out; still idempotent, on today's real date."""
    created = demo.seed(center_a)
    assert created
    assert Institution.objects.filter(center=center_a).count() == 6
    assert not SortingInspection.objects.exists()
    assert not ConservationUnit.objects.exists()  # no demo agencies in this center
    assert demo.seed(center_a) == []
