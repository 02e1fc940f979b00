# ruff: noqa: F811  (fixtures imported from fixtures_api are used as parameters)
"""/api/v1/energy/: scoping (center B 404, staff 403, a liaison only their own enrolment),
readings entered through the service (201 with the flag; bad input 400 in Chinese and
nothing written), the indicators of a hand-computed year with the target progress, the
campaign, project and sorting figures, and constant query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.energy.models import (
    ChargingStation,
    EnergyTarget,
    InstitutionYear,
    Meter,
    MeterReading,
    SortingSite,
)
from houqin.energy.services.conservation import (
    meeting_record,
    unit_enroll,
    unit_review,
    unit_self_assess,
)
from houqin.energy.services.events import activity_add, event_save
from houqin.energy.services.projects import project_save, station_save
from houqin.energy.services.readings import reading_record
from houqin.energy.services.sorting import inspection_record, site_save

from .conftest import item_points
from .fixtures_api import api, meter, meter_b, month, office_b, water_meter  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/energy/"


def test_anonymous_is_refused():
    assert api().get(f"{BASE}institutions/").status_code in (401, 403)


# ------------------------------------------------------------------ institutions, meters


def test_institutions_with_years_and_scoping(energy_a, energy_b, staff_x, admin_a, office, meter):
    InstitutionYear.objects.create(
        institution=office, year=2025, floor_area=Decimal("980.50"), headcount=9, establishment=8
    )
    rows = api(energy_a).get(f"{BASE}institutions/").json()["results"]
    assert [r["name"] for r in rows] == ["区行政中心"]
    assert [y["year"] for y in rows[0]["years"]] == [2025, 2026]
    assert rows[0]["years"][0] == {
        "year": 2025,
        "floor_area": "980.50",
        "headcount": 9,
        "establishment": 8,
    }
    # Center administrators read too; plain staff are refused; center B sees nothing of A.
    assert api(admin_a).get(f"{BASE}institutions/{office.pk}/").status_code == 200
    assert api(staff_x).get(f"{BASE}institutions/").status_code == 403
    assert api(energy_b).get(f"{BASE}institutions/").json()["count"] == 0
    assert api(energy_b).get(f"{BASE}institutions/{office.pk}/").status_code == 404
    assert api(energy_b).get(f"{BASE}meters/{meter.pk}/").status_code == 404
    assert api(energy_a).post(f"{BASE}institutions/", {"name": "x"}).status_code == 405


def test_meters_filters(energy_a, office, meter, water_meter):
    sub = Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="electricity",
        code="E-01-1",
        name="空调分表",
        parent=meter,
    )
    client = api(energy_a)
    rows = client.get(f"{BASE}meters/", {"kind": "electricity"}).json()["results"]
    assert [r["code"] for r in rows] == ["E-01", "E-01-1"]
    assert rows[1]["parent"] == {"id": meter.pk, "code": "E-01", "name": "配电房总表"}
    assert rows[0]["unit"] == "kWh" and rows[0]["kind_display"] == "电力"
    water = client.get(f"{BASE}meters/{water_meter.pk}/").json()
    assert (water["unit"], water["mode"], water["mode_display"]) == (
        "m³",
        "consumption",
        "按月用量",
    )
    sub.is_active = False
    sub.save()
    assert client.get(f"{BASE}meters/", {"active": "true"}).json()["count"] == 2
    assert client.get(f"{BASE}meters/", {"kind": "bogus"}).status_code == 400


# ------------------------------------------------------------------ readings


def test_post_reading_records_and_flags(energy_a, meter):
    client = api(energy_a)
    first = client.post(
        f"{BASE}readings/", {"meter": meter.pk, "month": "2026-01", "value": "1000"}, format="json"
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["month"] == "2026-01" and body["consumption"] == "0.00"
    assert body["flagged"] is False and body["entered_by"]["id"] == energy_a.pk
    second = client.post(
        f"{BASE}readings/", {"meter": meter.pk, "month": "2026-02", "value": 1500.5}, format="json"
    )
    assert second.status_code == 201
    assert second.json()["consumption"] == "500.50"
    # Lower than last month: saved, but flagged for confirmation with the reason.
    lower = client.post(
        f"{BASE}readings/", {"meter": meter.pk, "month": "2026-03", "value": "900"}, format="json"
    )
    assert lower.status_code == 201
    assert lower.json()["flagged"] is True
    assert "小于上月读数" in lower.json()["flag_reason"]
    # Correcting the month replaces it.
    fixed = client.post(
        f"{BASE}readings/", {"meter": meter.pk, "month": "2026-03", "value": "1900"}, format="json"
    )
    assert fixed.status_code == 201
    assert fixed.json()["id"] == lower.json()["id"]
    assert fixed.json()["flagged"] is False and fixed.json()["consumption"] == "399.50"
    assert MeterReading.objects.filter(meter=meter).count() == 3


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"month": "2026-01", "value": "abc"}, "value", "读数/用量必须是数字。"),
        ({"month": "2026-01", "value": "-5"}, "value", "读数/用量不能为负数。"),
        ({"month": "2026-01", "value": "1.234"}, "value", "读数/用量最多保留两位小数。"),
        ({"month": "明年", "value": "10"}, "month", "月份格式应为 YYYY-MM，如 2026-03。"),
        ({"month": "2026-01"}, "value", "请填写读数/用量。"),
    ],
)
def test_post_reading_bad_input(energy_a, meter, payload, field, message):
    response = api(energy_a).post(f"{BASE}readings/", {"meter": meter.pk, **payload}, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not MeterReading.objects.exists()


def test_post_reading_refusals(energy_a, energy_b, admin_a, staff_x, meter, meter_b):
    payload = {"meter": meter.pk, "month": "2026-01", "value": "10"}
    # Another center's meter does not exist for this user.
    response = api(energy_b).post(f"{BASE}readings/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["meter"] == ["计量表不存在。"]
    # View-only roles and staff may not enter readings.
    assert api(admin_a).post(f"{BASE}readings/", payload, format="json").status_code == 403
    assert api(staff_x).post(f"{BASE}readings/", payload, format="json").status_code == 403
    meter.is_active = False
    meter.save()
    response = api(energy_a).post(f"{BASE}readings/", payload, format="json")
    assert response.status_code == 400
    assert "已停用" in response.json()["non_field_errors"][0]
    assert not MeterReading.objects.exists()


def test_reading_filters_and_scoping(energy_a, energy_b, meter, water_meter, meter_b):
    for m, value in ((1, 100), (2, 200), (3, 300), (4, 50)):
        reading_record(actor=energy_a, meter=meter, month=month(2026, m), value=value)
    reading_record(actor=energy_a, meter=water_meter, month=month(2026, 2), value=30)
    other = reading_record(actor=energy_b, meter=meter_b, month=month(2026, 2), value=1)
    client = api(energy_a)
    rows = client.get(f"{BASE}readings/").json()["results"]
    assert [r["month"] for r in rows] == ["2026-04", "2026-03", "2026-02", "2026-02", "2026-01"]
    assert rows[0]["meter"]["code"] == "E-01" and rows[0]["institution"]["name"] == "区行政中心"
    span = {"month_from": "2026-02", "month_to": "2026-03", "meter": meter.pk}
    assert [r["month"] for r in client.get(f"{BASE}readings/", span).json()["results"]] == [
        "2026-03",
        "2026-02",
    ]
    assert client.get(f"{BASE}readings/", {"kind": "water"}).json()["count"] == 1
    flagged = client.get(f"{BASE}readings/", {"flagged": "true"}).json()["results"]
    assert [r["month"] for r in flagged] == ["2026-04"]
    bad = client.get(f"{BASE}readings/", {"month_from": "2026/13"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.json()["month_from"][0]
    assert client.get(f"{BASE}readings/{other.pk}/").status_code == 404
    assert api(energy_b).get(f"{BASE}readings/").json()["count"] == 1


def test_reading_list_queries_constant(energy_a, office):
    meters = [
        Meter.objects.create(
            center_id=office.center_id,
            institution=office,
            kind="water",
            code=f"W-{i}",
            name=f"水表{i}",
            mode=Meter.Mode.CONSUMPTION,
        )
        for i in range(20)
    ]
    client = api(energy_a)
    client.get(f"{BASE}readings/")  # warm the permission cache

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{BASE}readings/").status_code == 200
        return len(ctx)

    for m in meters[:2]:
        reading_record(actor=None, meter=m, month=month(2026, 1), value=5)
    few = count()
    for m in meters[2:]:
        reading_record(actor=None, meter=m, month=month(2026, 1), value=5)
    assert count() == few


# ------------------------------------------------------------------ indicators


@pytest.fixture
def two_years(office, meter, water_meter):
    """2025 (base of the 2025→2030 target) and January 2026, computed by hand:
    2025: 1500 kWh × 0.1229 = 184.35 kgce (January 600 kWh = 73.74 kgce); water 100 m³
          (January 40 m³); 1000 ㎡, 10 people
    2026: January only: 1000 kWh × 0.1229 = 122.90 kgce; water 50 m³; 1000 ㎡, 10 people
    2026 is not over: its target progress compares with January 2025."""
    InstitutionYear.objects.create(
        institution=office, year=2025, floor_area=Decimal("1000"), headcount=10
    )
    EnergyTarget.objects.create(
        center_id=office.center_id,
        base_year=2025,
        target_year=2030,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    for value_month, value in ((month(2024, 12), 0), (month(2025, 1), 600)):
        reading_record(actor=None, meter=meter, month=value_month, value=value)
    reading_record(actor=None, meter=meter, month=month(2025, 12), value=1500)
    reading_record(actor=None, meter=meter, month=month(2026, 1), value=2500)
    reading_record(actor=None, meter=water_meter, month=month(2025, 1), value=40)
    reading_record(actor=None, meter=water_meter, month=month(2025, 3), value=60)
    reading_record(actor=None, meter=water_meter, month=month(2026, 1), value=50)


def test_indicators_hand_computed(energy_a, two_years, office):
    body = api(energy_a).get(f"{BASE}indicators/", {"year": 2026}).json()
    total = body["total"]
    assert body["year"] == 2026 and body["through_month"] == 1
    assert (total["kgce"], total["per_area"], total["per_capita"]) == ("122.90", "0.12", "12.29")
    assert (total["water"], total["water_per_capita"]) == ("50.00", "5.00")
    assert total["monthly_kgce"][0] == "122.90" and total["monthly_kgce"][1] == "0.00"
    assert len(total["monthly_kgce"]) == 12
    amounts = {a["kind"]: (a["amount"], a["unit"]) for a in total["amounts"]}
    assert amounts == {"electricity": ("1000.00", "kWh"), "water": ("50.00", "m³")}
    assert [(r["id"], r["name"], r["kgce"]) for r in body["institutions"]] == [
        (office.pk, "区行政中心", "122.90")
    ]
    assert body["missing_base"] == [] and body["vehicles"]["kgce"] == "0.00"
    target = body["target"]
    assert (target["base_year"], target["target_year"]) == (2025, 2030)
    per_capita = {row["name"]: row for row in target["indicators"]}["人均综合能耗"]
    # January 2026 against January 2025 (7.374 kgce/人), not the whole of 2025.
    assert per_capita["base_value"] == "7.37" and per_capita["current_value"] == "12.29"
    assert per_capita["change_pct"] == "66.67" and per_capita["on_track"] is False
    assert per_capita["unit"] == "kgce/人" and per_capita["target_pct"] == "6.00"
    water = {row["name"]: row for row in target["indicators"]}["人均用水量"]
    assert water["change_pct"] == "25.00"


def test_indicators_without_target_or_base(energy_a, office, meter):
    body = api(energy_a).get(f"{BASE}indicators/", {"year": 2024}).json()
    assert body["target"] is None
    assert body["missing_base"] == [{"id": office.pk, "name": "区行政中心"}]
    assert body["total"]["per_area"] is None


def test_indicators_refusals_and_scoping(energy_a, energy_b, staff_x, liaison_x, two_years):
    assert api(staff_x).get(f"{BASE}indicators/").status_code == 403
    assert api(liaison_x).get(f"{BASE}indicators/").status_code == 403
    bad = api(energy_a).get(f"{BASE}indicators/", {"year": "二〇二六"})
    assert bad.status_code == 400 and bad.json()["year"] == ["年度必须是整数。"]
    assert api(energy_a).get(f"{BASE}indicators/", {"year": 1900}).status_code == 400
    # Center B's totals do not include A's readings.
    body = api(energy_b).get(f"{BASE}indicators/", {"year": 2026}).json()
    assert body["total"]["kgce"] == "0.00" and body["institutions"] == []


def test_indicators_queries_constant(energy_a, two_years, office):
    client = api(energy_a)
    client.get(f"{BASE}indicators/", {"year": 2026})
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}indicators/", {"year": 2026})
    for i in range(10):
        extra = Meter.objects.create(
            center_id=office.center_id,
            institution=office,
            kind="natural_gas",
            code=f"G-{i}",
            name=f"燃气{i}",
            mode=Meter.Mode.CONSUMPTION,
        )
        reading_record(actor=None, meter=extra, month=month(2026, 1 + i), value=10)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{BASE}indicators/", {"year": 2026})
    assert len(few) == len(many)


# ------------------------------------------------------------------ 节约型机关


@pytest.fixture
def scored(campaign, batch, unit_x, agency_y, sheet):
    """Batch 2 (target 3): agency X passed at 85, agency Y only enrolled; two meetings and a
    training."""
    unit_self_assess(actor=None, unit=unit_x, points=item_points(sheet, 35, 25, 15, 10))
    unit_review(
        actor=None,
        unit=unit_x,
        points=item_points(sheet, 35, 25, 15, 10),
        decide=True,
        on=dt.date(2026, 6, 1),
    )
    unit_y = unit_enroll(actor=None, batch=batch, agency=agency_y)
    for kind, day in (("meeting", 3), ("meeting", 10), ("training", 20)):
        meeting_record(
            actor=None, campaign=campaign, kind=kind, date=dt.date(2026, 3, day), title="推进"
        )
    return unit_x, unit_y


def test_campaigns_with_progress(energy_a, energy_b, liaison_x, campaign, scored):
    body = api(energy_a).get(f"{BASE}campaigns/").json()
    row = body["results"][0]
    assert row["name"] == "节约型机关创建行动"
    assert row["sheet"]["pass_mark"] == "80.0"
    assert (row["meetings"], row["trainings"]) == (2, 1)
    [batch] = row["batches"]
    assert (batch["number"], batch["target_units"], batch["enrolled"]) == (2, 3, 2)
    assert (batch["self_assessed"], batch["passed"], batch["failed"]) == (1, 1, 0)
    assert batch["rate"] == 33.3
    assert api(energy_b).get(f"{BASE}campaigns/{campaign.pk}/").status_code == 404
    assert api(liaison_x).get(f"{BASE}campaigns/").status_code == 403


def test_units_scoped_to_the_liaisons_agency(energy_a, energy_b, liaison_x, staff_x, scored):
    unit_x, unit_y = scored
    rows = api(energy_a).get(f"{BASE}units/").json()["results"]
    assert {r["id"] for r in rows} == {unit_x.pk, unit_y.pk}
    passed = api(energy_a).get(f"{BASE}units/", {"status": "passed"}).json()["results"]
    assert [(r["agency"]["name"], r["review_score"], r["decided_on"]) for r in passed] == [
        ("甲区财政局", "85.0", "2026-06-01")
    ]
    assert passed[0]["status_display"] == "达标" and passed[0]["pass_mark"] == "80.0"
    # The liaison of agency X sees their own enrolment only.
    mine = api(liaison_x).get(f"{BASE}units/").json()["results"]
    assert [r["id"] for r in mine] == [unit_x.pk]
    assert api(liaison_x).get(f"{BASE}units/{unit_y.pk}/").status_code == 404
    assert api(energy_b).get(f"{BASE}units/{unit_x.pk}/").status_code == 404
    assert api(staff_x).get(f"{BASE}units/").status_code == 403


# ------------------------------------------------------------------ projects, sorting, events


def test_projects_with_progress(energy_a, energy_b, center_a, office):
    project = project_save(
        actor=None,
        center=center_a,
        name="新能源汽车充电设施建设",
        kind="charging",
        year=2026,
        target=16,
        assigned_by="市机关事务服务中心",
    )
    statuses = ["in_use", "in_use", "done", "building", "planned"]
    for i, status in enumerate(statuses):
        station_save(
            actor=None,
            project=project,
            name=f"{i + 1}号站",
            site="停车场",
            piles=2,
            power_kw=Decimal("120"),
            status=status,
            completed_on=dt.date(2026, 5, 1) if status in ChargingStation.COMPLETED else None,
            institution=office,
        )
    row = api(energy_a).get(f"{BASE}projects/").json()["results"][0]
    assert (row["target"], row["completed"], row["building"], row["planned"]) == (16, 3, 1, 1)
    assert (row["piles"], row["rate"], row["kind_display"]) == (6, 18.8, "充电设施建设")
    assert "stations" not in row
    detail = api(energy_a).get(f"{BASE}projects/{project.pk}/").json()
    assert [s["name"] for s in detail["stations"]] == ["1号站", "2号站", "3号站", "4号站", "5号站"]
    assert detail["stations"][0]["institution"]["name"] == "区行政中心"
    assert detail["stations"][3]["completed_on"] is None
    assert api(energy_b).get(f"{BASE}projects/{project.pk}/").status_code == 404


def test_sorting_sites_and_inspections(energy_a, energy_b, staff_x, center_a):
    school = site_save(
        actor=None,
        center=center_a,
        name="区实验小学",
        kind=SortingSite.Kind.SCHOOL,
        bins=6,
        is_demonstration=True,
        demonstration_level="区级",
        recognized_on=dt.date(2025, 9, 1),
    )
    site_save(actor=None, center=center_a, name="机关大院", kind=SortingSite.Kind.ORGAN)
    for day, checked, correct in ((3, 20, 19), (10, 20, 17)):
        inspection_record(
            actor=energy_a,
            site=school,
            date=dt.date(2026, 11, day),
            bins_checked=checked,
            bins_correct=correct,
        )
    rows = api(energy_a).get(f"{BASE}sorting-sites/").json()["results"]
    assert [r["name"] for r in rows] == ["区实验小学", "机关大院"]
    assert (rows[0]["inspections"], rows[0]["rate"], rows[0]["last_inspected_on"]) == (
        2,
        90.0,
        "2026-11-10",
    )
    assert rows[1]["rate"] is None and rows[1]["inspections"] == 0
    demo = api(energy_a).get(f"{BASE}sorting-sites/", {"demonstration": "true"}).json()
    assert demo["count"] == 1
    checks = api(energy_a).get(
        f"{BASE}sorting-inspections/", {"site": school.pk, "date_from": "2026-11-05"}
    )
    [check] = checks.json()["results"]
    assert (check["rate"], check["inspector"]["id"], check["has_photo"]) == (
        85.0,
        energy_a.pk,
        False,
    )
    assert api(energy_b).get(f"{BASE}sorting-sites/{school.pk}/").status_code == 404
    assert api(energy_b).get(f"{BASE}sorting-inspections/{check['id']}/").status_code == 404
    assert api(staff_x).get(f"{BASE}sorting-inspections/").status_code == 403


def test_events_with_activities(energy_a, energy_b, center_a):
    week = event_save(
        actor=None,
        center=center_a,
        kind="week",
        title="2026年节能宣传周",
        start_date=dt.date(2026, 6, 8),
        end_date=dt.date(2026, 6, 14),
        participants=300,
    )
    activity_add(
        actor=None, event=week, date=dt.date(2026, 6, 8), title="启动仪式", participants=120
    )
    activity_add(
        actor=None, event=week, date=dt.date(2026, 6, 10), title="能源紧缺体验日", participants=180
    )
    event_save(
        actor=None,
        center=center_a,
        kind="low_carbon",
        title="全国低碳日",
        start_date=dt.date(2025, 6, 10),
        end_date=dt.date(2025, 6, 10),
    )
    client = api(energy_a)
    rows = client.get(f"{BASE}events/", {"year": 2026}).json()["results"]
    assert [r["title"] for r in rows] == ["2026年节能宣传周"]
    assert [a["title"] for a in rows[0]["activities"]] == ["启动仪式", "能源紧缺体验日"]
    assert (rows[0]["kind_display"], rows[0]["participants"], rows[0]["photos"]) == (
        "节能宣传周",
        300,
        0,
    )
    assert client.get(f"{BASE}events/", {"kind": "low_carbon"}).json()["count"] == 1
    assert api(energy_b).get(f"{BASE}events/{week.pk}/").status_code == 404


def test_lists_run_a_constant_number_of_queries(energy_a, center_a, campaign, sheet, agency_x):
    """Campaigns (with batches), projects, sites and events: 2 rows or 12, the same count."""
    from houqin.energy.services.conservation import batch_save

    client = api(energy_a)
    urls = ["campaigns/", "projects/", "sorting-sites/", "events/", "units/"]
    for url in urls:
        client.get(f"{BASE}{url}")

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(f"{BASE}{url}").status_code == 200
            result[url] = len(ctx)
        return result

    def add(i):
        batch = batch_save(actor=None, campaign=campaign, number_value=i, year=2026, target_units=2)
        if i == 1:
            unit_enroll(actor=None, batch=batch, agency=agency_x)
        project = project_save(
            actor=None, center=center_a, name=f"项目{i}", kind="charging", year=2026, target=2
        )
        station_save(actor=None, project=project, name="站", site="院内", piles=1, power_kw=7)
        site_save(actor=None, center=center_a, name=f"点位{i}", kind="organ")
        event = event_save(
            actor=None,
            center=center_a,
            kind="other",
            title=f"活动{i}",
            start_date=dt.date(2026, 5, 1),
            end_date=dt.date(2026, 5, 2),
        )
        activity_add(actor=None, event=event, date=dt.date(2026, 5, 1), title="宣讲")

    for i in (1, 2):
        add(i)
    few = counts()
    for i in range(3, 13):
        add(i)
    assert counts() == few
