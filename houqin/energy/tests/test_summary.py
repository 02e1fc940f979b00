"""The energy figures of 2026 on a small hand-built data set, "no data" as None, another
center's rows not counted, the rows behind the figures, and the query budget."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.duties.recurrence import TZ
from houqin.energy import summary
from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter, SortingSite
from houqin.energy.services.conservation import (
    batch_save,
    meeting_record,
    unit_enroll,
    unit_review,
    unit_self_assess,
)
from houqin.energy.services.events import event_save
from houqin.energy.services.projects import project_save, station_save
from houqin.energy.services.readings import reading_record
from houqin.energy.services.sorting import inspection_record, site_save
from houqin.org.tests.factories import make_unit

from .conftest import item_points

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
NOW = dt.datetime(2027, 1, 10, 10, tzinfo=TZ)


def decide(unit, sheet, points, day):
    scores = item_points(sheet, *points)
    unit_self_assess(actor=None, unit=unit, points=scores)
    return unit_review(actor=None, unit=unit, points=scores, decide=True, on=day)


def add_campaign(center_a, campaign, batch, unit_x, agency_y, sheet):
    """Batch 1 (2025, target 5) and batch 2 (2026, target 3): X passes in June 2026, Y fails,
    Z passed in 2025; two meetings and a training in 2026, a meeting in 2025."""
    batch_1 = batch_save(actor=None, campaign=campaign, number_value=1, year=2025, target_units=5)
    agency_z = make_unit(center_a, "甲区审计局", code="Z")
    decide(
        unit_enroll(actor=None, batch=batch_1, agency=agency_z),
        sheet,
        (40, 30, 20, 10),
        dt.date(2025, 11, 1),
    )
    decide(unit_x, sheet, (35, 25, 15, 10), dt.date(2026, 6, 1))
    unit_y = unit_enroll(actor=None, batch=batch, agency=agency_y)
    decide(unit_y, sheet, (30, 20, 10, 5), dt.date(2026, 6, 2))
    for kind, day, people in (
        ("meeting", dt.date(2026, 3, 5), 30),
        ("meeting", dt.date(2026, 9, 5), 40),
        ("training", dt.date(2026, 4, 10), 50),
        ("meeting", dt.date(2025, 12, 20), 99),
    ):
        meeting_record(
            actor=None, campaign=campaign, kind=kind, date=day, title="推进", participants=people
        )


def add_stations(center, office, tag=""):
    """Target 16 (assigned 2025): 3 completed in 2025, 2 in 2026, 1 building; a retrofit
    project's station is not a charging station of the target."""
    project = project_save(
        actor=None,
        center=center,
        name=f"新能源汽车充电设施建设{tag}",
        kind="charging",
        year=2025,
        target=16,
    )
    for i, (status, day) in enumerate(
        [
            ("in_use", dt.date(2025, 5, 1)),
            ("in_use", dt.date(2025, 8, 1)),
            ("done", dt.date(2025, 12, 31)),
            ("done", dt.date(2026, 1, 1)),
            ("in_use", dt.date(2026, 10, 8)),
            ("building", None),
        ]
    ):
        station_save(
            actor=None,
            project=project,
            name=f"{i}号站",
            site="停车场",
            piles=2,
            power_kw=Decimal("60"),
            status=status,
            completed_on=day,
            institution=office,
        )
    retrofit = project_save(
        actor=None, center=center, name=f"照明改造{tag}", kind="retrofit", year=2026, target=1
    )
    station_save(
        actor=None,
        project=retrofit,
        name="改造",
        site="主楼",
        piles=1,
        power_kw=Decimal("7"),
        status="done",
        completed_on=dt.date(2026, 3, 1),
    )


def add_sorting(center, inspector, tag=""):
    """Three sites (one a demonstration school, one no longer used); 2026: 26 of 30 bins
    right (86.7 %); a 2025 inspection outside the period."""
    school = site_save(
        actor=None,
        center=center,
        name=f"区实验小学{tag}",
        kind=SortingSite.Kind.SCHOOL,
        is_demonstration=True,
        demonstration_level="区级",
        recognized_on=dt.date(2025, 9, 1),
    )
    site_save(actor=None, center=center, name=f"机关大院{tag}", kind="organ")
    site_save(actor=None, center=center, name=f"旧点位{tag}", kind="organ", is_active=False)
    for day, checked, correct in (
        (dt.date(2026, 3, 1), 20, 19),
        (dt.date(2026, 10, 1), 10, 7),
        (dt.date(2025, 12, 1), 10, 1),
    ):
        inspection_record(
            actor=inspector, site=school, date=day, bins_checked=checked, bins_correct=correct
        )


def add_events(center):
    for kind, title, day, people in (
        ("week", "节能宣传周", dt.date(2026, 6, 8), 300),
        ("low_carbon", "全国低碳日", dt.date(2026, 6, 10), 80),
        ("week", "2025年节能宣传周", dt.date(2025, 6, 9), 500),
    ):
        event_save(
            actor=None,
            center=center,
            kind=kind,
            title=title,
            start_date=day,
            end_date=day + dt.timedelta(days=2),
            participants=people,
        )


def add_energy(office):
    """1000 ㎡ and 10 people every year; electricity 2000 / 1500 / 1000 kWh and water
    200 / 120 / 100 m³ in 2024 / 2025 / 2026; target base 2024 → 2028 (−5/−6/−6 %)."""
    for year in (2024, 2025):
        InstitutionYear.objects.create(
            institution=office, year=year, floor_area=Decimal("1000"), headcount=10
        )
    EnergyTarget.objects.create(
        center_id=office.center_id,
        base_year=2024,
        target_year=2028,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    power = Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="electricity",
        code="E-1",
        name="电费",
        mode=Meter.Mode.CONSUMPTION,
    )
    water = Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="water",
        code="W-1",
        name="水费",
        mode=Meter.Mode.CONSUMPTION,
    )
    for year, kwh, m3 in ((2024, 2000, 200), (2025, 1500, 120), (2026, 1000, 100)):
        reading_record(actor=None, meter=power, month=dt.date(year, 3, 1), value=kwh)
        reading_record(actor=None, meter=water, month=dt.date(year, 3, 1), value=m3)
    return power


@pytest.fixture
def built(center_a, campaign, batch, unit_x, agency_y, sheet, office, energy_a):
    add_campaign(center_a, campaign, batch, unit_x, agency_y, sheet)
    add_stations(center_a, office)
    add_sorting(center_a, energy_a)
    add_events(center_a)
    return add_energy(office)


@pytest.fixture
def center_b_data(center_b, energy_b):
    """Everything again in center B: none of it may be counted for A."""
    office_b = Institution.objects.create(center=center_b, name="乙区行政中心")
    InstitutionYear.objects.create(
        institution=office_b, year=2026, floor_area=Decimal("10"), headcount=1
    )
    add_stations(center_b, office_b, "乙")
    add_sorting(center_b, energy_b, "乙")
    add_events(center_b)
    meter = Meter.objects.create(
        center=center_b,
        institution=office_b,
        kind="electricity",
        code="E-1",
        name="乙",
        mode="consumption",
    )
    reading_record(actor=None, meter=meter, month=dt.date(2026, 3, 1), value=99999)


def test_figures(built, center_a, center_b_data):
    f = summary.figures(center_a, START, END, now=NOW)
    assert f["as_of"] == dt.date(2026, 12, 31)
    assert (f["units_created"], f["units_target"], f["units_created_pct"]) == (1, 3, 33.3)
    assert (f["meetings"], f["meeting_people"], f["trainings"], f["training_people"]) == (
        2,
        70,
        1,
        50,
    )
    assert (f["stations_completed"], f["stations_completed_total"], f["stations_target"]) == (
        2,
        5,
        16,
    )
    assert f["stations_pct"] == round(500 / 16, 1)
    assert (f["sorting_sites"], f["demonstration_sites"], f["sorting_inspections"]) == (2, 1, 2)
    assert f["sorting_rate"] == 86.7
    assert (f["events"], f["event_people"]) == (2, 380)
    by_kind = {row["kind"]: row for row in f["events_by_kind"]}
    assert by_kind["week"]["count"] == 1 and by_kind["low_carbon"]["people"] == 80
    # Indicators of 2026 by hand: 1000 kWh × 0.1229 = 122.9 kgce over 1000 ㎡ and 10 people.
    assert (f["energy_year"], f["energy_months"]) == (2026, 1)
    assert f["energy_kgce"] == Decimal("122.90")
    assert (f["per_area"], f["per_capita"], f["water_per_capita"]) == (
        Decimal("0.12"),
        Decimal("12.29"),
        Decimal("10.00"),
    )
    # vs 2025 (184.35 kgce, 120 m³) and vs the base year 2024 (245.8 kgce, 200 m³).
    assert (f["per_area_vs_last_pct"], f["per_capita_vs_last_pct"], f["water_vs_last_pct"]) == (
        Decimal("-33.33"),
        Decimal("-33.33"),
        Decimal("-16.67"),
    )
    assert (f["per_area_vs_base_pct"], f["per_capita_vs_base_pct"], f["water_vs_base_pct"]) == (
        Decimal("-50.00"),
        Decimal("-50.00"),
        Decimal("-50.00"),
    )
    assert (f["target_base_year"], f["target_year"]) == (2024, 2028)
    progress = {row["key"]: row for row in f["indicators_progress"]}
    assert progress["per_capita"]["target_pct"] == Decimal("6")
    assert progress["per_capita"]["on_track"] is True
    assert progress["water_per_capita"]["last_year"] == Decimal("12.00")
    assert set(summary.DEFINITIONS) <= set(f)


def test_an_earlier_period(built, center_a):
    """2025: Z passed against batch 1's target of 5; 3 stations; one meeting."""
    f = summary.figures(center_a, dt.date(2025, 1, 1), dt.date(2026, 1, 1), now=NOW)
    assert (f["units_created"], f["units_target"]) == (1, 5)
    assert (f["meetings"], f["trainings"]) == (1, 0)
    assert (f["stations_completed"], f["stations_completed_total"]) == (3, 3)
    assert (f["sorting_inspections"], f["sorting_rate"]) == (1, 10.0)
    assert (f["events"], f["event_people"]) == (1, 500)
    assert f["energy_kgce"] == Decimal("184.35")
    # 2025 has no target of its own here (the target covers 2025 from base 2024).
    assert f["target_base_year"] == 2024 and f["per_area_vs_base_pct"] == Decimal("-25.00")


def test_no_data_is_none(center_a, center_b_data):
    f = summary.figures(center_a, START, END, now=NOW)
    for key in (
        "units_created",
        "units_target",
        "units_created_pct",
        "meetings",
        "trainings",
        "stations_completed",
        "stations_completed_total",
        "stations_target",
        "stations_pct",
        "sorting_sites",
        "demonstration_sites",
        "sorting_rate",
        "events",
        "event_people",
        "energy_kgce",
        "per_area",
        "per_capita",
        "water_per_capita",
        "per_area_vs_last_pct",
        "water_vs_base_pct",
        "target_base_year",
    ):
        assert f[key] is None, key


def test_records_agree_with_the_figures(built, center_a, center_b_data):
    f = summary.figures(center_a, START, END, now=NOW)

    def count(key):
        return sum(qs.count() for qs in summary.records(center_a, START, END, key, now=NOW))

    for key in (
        "units_created",
        "meetings",
        "trainings",
        "stations_completed",
        "stations_completed_total",
        "sorting_sites",
        "demonstration_sites",
        "sorting_inspections",
        "events",
    ):
        assert count(key) == f[key], key
    assert count("units_target") == 1  # batch 2
    assert count("per_area") == 2  # the 2026 electricity and water readings
    assert count("per_area_vs_last_pct") == 4
    assert count("water_vs_base_pct") == 4
    with pytest.raises(KeyError):
        summary.records(center_a, START, END, "nothing")


def test_fixed_number_of_queries(built, center_a, office, agency_y, energy_a):
    with CaptureQueriesContext(connection) as few:
        summary.figures(center_a, START, END, now=NOW)
    assert len(few) == 25
    # Many more rows of every kind: the same count.
    add_stations(center_a, office, "二")
    add_sorting(center_a, energy_a, "二")
    add_events(center_a)
    meter = Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="natural_gas",
        code="G",
        name="气",
        mode="consumption",
    )
    for m in range(1, 11):
        reading_record(actor=None, meter=meter, month=dt.date(2026, m, 1), value=10)
    with CaptureQueriesContext(connection) as many:
        summary.figures(center_a, START, END, now=NOW)
    assert len(many) == len(few)


def test_without_a_target_fewer_but_fixed_queries(center_a, office):
    with CaptureQueriesContext(connection) as ctx:
        summary.figures(center_a, START, END, now=NOW)
    assert len(ctx) == 20


def test_figure_urls(monkeypatch):
    assert summary.figure_url("nothing", START, END) is None
    monkeypatch.setattr(summary, "reverse", lambda name: f"/{name.replace(':', '/')}/")
    assert summary.figure_url("per_area", START, END) == "/energy/indicators/?year=2026"
    assert summary.figure_url("stations_completed", START, END) == "/energy/project_list/"
    assert summary.figure_url("events", START, END) == "/energy/event_list/"
    assert summary.figure_url("sorting_rate", START, END) == "/energy/site_list/"
    assert summary.figure_url("units_created", START, END) == "/energy/campaign_list/"
