# ruff: noqa: F811  (fixtures imported from fixtures_indicators are used as parameters)
"""能耗指标 page and the annual statistics workbook: the hand-computed example of
test_indicators.py shown on the page (cards, table, chart data), year-on-year, target
progress, the missing-base warning, the institution selector, CO₂ and official vehicles,
constant queries (2 vs 10 institutions), the xlsx export, scoping (center B sees only its own)
and permissions (staff → 403)."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import EnergyFactor, EnergyTarget
from houqin.energy.services.readings import reading_record

from .fixtures_indicators import YEAR, add_institution, example, make_meter, month, target  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = reverse("energy:indicators")
EXPORT = reverse("energy:indicators_export")


def get(client, user, path=PAGE, **params):
    client.force_login(user)
    params.setdefault("year", YEAR)
    return client.get(path, params)


def card(response, key):
    return next(c for c in response.context["cards"] if c["key"] == key)


def chart_data(response):
    found = re.search(
        r'<script id="energy-indicators-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def row_html(response, key):
    found = re.search(rf'<tr data-row="{key}".*?</tr>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(book, name):
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def find_row(rows, label):
    return next(row for row in rows if len(row) > 1 and row[1] == label)


# ------------------------------------------------------------------ the page


def test_page_shows_the_hand_computed_figures(client, energy_a, example):
    """2,980.361 kgce over 1,000 ㎡ and 10 people → 2.98 kgce/㎡, 298.04 kgce/人; 200 m³ of
    water → 20.00 m³/人; the sub-meter's 2,500 kWh are not added again."""
    response = get(client, energy_a)
    assert response.status_code == 200
    assert card(response, "kgce")["value"] == Decimal("2980.36")
    assert card(response, "per_area")["value"] == Decimal("2.98")
    assert card(response, "per_capita")["value"] == Decimal("298.04")
    assert card(response, "water_per_capita")["value"] == Decimal("20.00")
    html = response.content.decode()
    for text in ("2980.36", "2.98", "298.04", "20.00", "kgce/㎡", "kgce/人", "m³/人"):
        assert text in html
    assert "能耗指标 2026 年" in html
    office_row = row_html(response, f"i{example['power'].institution_id}")
    for text in ("区行政中心", "1000.00", "10000.00", "1000.00", "500.00", "200.00", "2980.36"):
        assert text in office_row
    total = row_html(response, "total")
    assert "合计" in total and "2980.36" in total and "298.04" in total
    assert "公务用车" in row_html(response, "vehicles")
    # Links: enter readings, export the year, no CO₂ without emission factors.
    assert f"{reverse('energy:reading_entry')}" in html
    assert f"{EXPORT}?year={YEAR}" in html
    assert 'data-card="co2"' not in html
    assert "data-missing-base" not in html


def test_year_on_year(client, energy_a, example):
    """2025: 20,000 kWh = 2,458 kgce and 250 m³ of water on the same area and people:
    kgce +21.25 %, per area and per capita the same; water per capita 25 → 20, −20 %."""
    response = get(client, energy_a)
    kgce = card(response, "kgce")
    assert (kgce["previous"], kgce["change"]) == (Decimal("2458.00"), Decimal("21.25"))
    assert card(response, "per_area")["change"] == Decimal("21.25")
    assert card(response, "per_capita")["previous"] == Decimal("245.80")
    water = card(response, "water_per_capita")
    assert (water["previous"], water["change"]) == (Decimal("25.00"), Decimal("-20.00"))
    html = response.content.decode()
    assert "同比 ↑ 21.25%" in html and "同比 ↓ 20.00%" in html
    # A year with nothing the year before: no comparison.
    response = get(client, energy_a, year=YEAR - 1)
    assert card(response, "kgce")["value"] == Decimal("2458.00")
    assert card(response, "kgce")["change"] is None


def test_chart_data_monthly_mix_and_target(client, energy_a, example, target):
    """March: 6,000 kWh (737.4) + 1,000 m³ gas (1,214.3) = 1,951.7 kgce; April: 4,000 kWh
    (491.6) + 500 L gasoline (537.061) = 1,028.66 kgce; March 2025: 2,458 kgce."""
    data = chart_data(get(client, energy_a))
    assert data["current"]["name"] == "2026年" and data["previous"]["name"] == "2025年"
    assert data["current"]["data"][2] == 1951.7
    assert data["current"]["data"][3] == 1028.66
    assert data["current"]["data"][0] is None  # nothing entered: no bar (not a zero)
    assert data["previous"]["data"][2] == 2458.0
    assert len(data["months"]) == 12 and data["months"][0] == "1月"
    assert {item["name"]: item["value"] for item in data["mix"]} == {
        "电力": 1229.0,
        "天然气": 1214.3,
        "汽油": 537.06,
    }
    # Target: base year = 100; per area +21.25 % → 121.25 against a target of 95.
    assert data["target"]["base"]["data"] == [100, 100, 100]
    assert data["target"]["current"]["data"] == [121.25, 121.25, 80.0]
    assert data["target"]["goal"]["data"] == [95.0, 94.0, 94.0]
    assert data["target"]["values"][0] == {"base": 2.46, "current": 2.98, "unit": "kgce/㎡"}


def test_target_progress(client, energy_a, example, target):
    response = get(client, energy_a)
    rows = response.context["progress_rows"]
    assert [r["name"] for r in rows] == ["单位建筑面积能耗", "人均综合能耗", "人均用水量"]
    per_area, per_capita, water = rows
    assert (per_area["base"], per_area["current"]) == (Decimal("2.46"), Decimal("2.98"))
    assert per_area["change"] == Decimal("21.25") and not per_area["on_track"]
    assert not per_capita["on_track"]
    assert water["change"] == Decimal("-20.00") and water["on_track"]
    html = response.content.decode()
    assert "2026 年比 2025 年（基准年）" in html
    assert html.count('data-status="bad"') == 2 and html.count('data-status="ok"') == 1
    assert "下降 5%" in html and "下降 6%" in html
    assert "data-no-target" not in html


def test_without_a_target_the_page_says_where_to_set_one(client, energy_a, example):
    response = get(client, energy_a)
    html = response.content.decode()
    assert "data-no-target" in html and "尚未设置覆盖 2026 年的节能目标" in html
    assert reverse("energy:target_list") in html
    assert chart_data(response)["target"] is None


def test_target_against_an_earlier_base_year(client, energy_a, center_a, office):
    """A 2020 base year (not last year) is computed too: 100,000 kWh in 2020 → 94,000 kWh
    now is −6 % per area."""
    from houqin.energy.models import InstitutionYear

    InstitutionYear.objects.create(
        institution=office, year=2020, floor_area=Decimal("1000"), headcount=10
    )
    EnergyTarget.objects.create(
        center=center_a,
        base_year=2020,
        target_year=2026,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    power = make_meter(office, "electricity", "E1")
    reading_record(actor=energy_a, meter=power, month=month(6, 2020), value="100000")
    reading_record(actor=energy_a, meter=power, month=month(6), value="94000")
    rows = get(client, energy_a).context["progress_rows"]
    assert rows[0]["change"] == Decimal("-6.00") and rows[0]["on_track"]
    assert rows[1]["on_track"]
    assert rows[2]["change"] is None  # no water metered: nothing to compare
    assert "无法计算" in get(client, energy_a).content.decode()


def test_missing_base_data_is_listed_with_a_link(client, energy_a, center_a, example):
    archive = add_institution(center_a, "区档案馆", year=None)
    add_institution(center_a, "区图书馆", year=YEAR - 1)  # last year only
    response = get(client, energy_a)
    html = response.content.decode()
    warning = re.search(r"<div[^>]*data-missing-base.*?</div>\s*</div>", html, re.S).group(0)
    assert "2 个公共机构缺少 2026 年的基础数据" in warning
    assert "区档案馆" in warning and "区图书馆" in warning
    assert reverse("energy:institution_detail", args=[archive.pk]) in warning
    assert "区行政中心" not in warning
    # The figures of the others are unchanged.
    assert card(response, "per_area")["value"] == Decimal("2.98")


def test_institution_selector(client, energy_a, center_a, example):
    """One institution: its own figures; all: the sum (1,000 kWh more = 122.9 kgce)."""
    school = add_institution(center_a, "区实验小学", area="500", people=5)
    reading_record(
        actor=energy_a,
        meter=make_meter(school, "electricity", "S1"),
        month=month(5),
        value="1000",
    )
    office_pk = example["power"].institution_id
    total = get(client, energy_a)
    assert card(total, "kgce")["value"] == Decimal("3103.26")
    assert card(total, "per_area")["value"] == Decimal("2.07")  # 3,103.261 ÷ 1,500
    one = get(client, energy_a, institution=office_pk)
    assert one.context["chosen"].pk == office_pk
    assert card(one, "kgce")["value"] == Decimal("2980.36")
    assert card(one, "per_area")["value"] == Decimal("2.98")
    assert chart_data(one)["current"]["data"][4] is None  # the school's May is not in it
    assert "统计范围：区行政中心" in one.content.decode()
    school_only = get(client, energy_a, institution=school.pk)
    assert card(school_only, "kgce")["value"] == Decimal("122.90")
    assert card(school_only, "per_area")["value"] == Decimal("0.25")
    # The table still lists every institution, the chosen one highlighted.
    assert "table-active" in row_html(one, f"i{office_pk}")
    assert "区实验小学" in row_html(one, f"i{school.pk}")


def test_bad_year_or_institution_falls_back_with_a_message(client, energy_a, example):
    for params in ({"year": "1999"}, {"year": "abc"}):
        response = get(client, energy_a, **params)
        assert response.status_code == 200
        assert response.context["year"] == dt.date.today().year
        assert "请选择 2015 年至" in response.content.decode()
    response = get(client, energy_a, institution="999999")
    assert response.status_code == 200 and response.context["chosen"] is None
    assert "所选公共机构不存在或未纳入统计。" in response.content.decode()


def test_co2_when_emission_factors_are_set(client, energy_a, example):
    """0.5810 kgCO₂/kWh: 10,000 kWh = 5,810 kg; 2025's 20,000 kWh = 11,620 kg (−50 %)."""
    EnergyFactor.objects.filter(kind="electricity").update(co2_factor=Decimal("0.5810"))
    response = get(client, energy_a)
    co2 = card(response, "co2")
    assert (co2["value"], co2["previous"], co2["change"]) == (
        Decimal("5810.00"),
        Decimal("11620.00"),
        Decimal("-50.00"),
    )
    assert "5810.00" in row_html(response, "total")


def test_official_vehicles_row_is_in_the_total(client, energy_a, center_a, agency_x, example):
    """200 L of gasoline: 200 × 0.73 × 1.4714 = 214.8244 kgce, counted in the total."""
    from houqin.fleet.models import FuelRecord, Vehicle

    car = Vehicle.objects.create(
        center=center_a,
        plate="桂A00001",
        brand_model="测试车",
        category=Vehicle.Category.OTHER,
        energy=Vehicle.Energy.GASOLINE,
        seats=5,
        owner_agency=agency_x,
    )
    FuelRecord.objects.create(
        center=center_a,
        vehicle=car,
        date=dt.date(YEAR, 5, 3),
        liters=Decimal("200"),
        cost=Decimal("1"),
        station="中石化",
        recorded_by=energy_a,
    )
    response = get(client, energy_a)
    vehicles = row_html(response, "vehicles")
    assert "214.82" in vehicles and "200.00" in vehicles
    assert card(response, "kgce")["value"] == Decimal("3195.19")  # 2,980.361 + 214.8244
    # One institution chosen: the vehicles are not its own.
    one = get(client, energy_a, institution=example["power"].institution_id)
    assert card(one, "kgce")["value"] == Decimal("2980.36")


def _institutions(center, actor, numbers):
    """Institutions with base data for 2020, last year and this year, an electricity and a
    water meter each, read in January to March of each of those years."""
    for i in numbers:
        institution = add_institution(center, f"单位{i:02d}", area="500", people=5)
        for year in (2020, YEAR - 1):
            institution.years.create(year=year, floor_area=Decimal("500"), headcount=5)
        power = make_meter(institution, "electricity", f"E{i:02d}")
        water = make_meter(institution, "water", f"W{i:02d}")
        for year in (2020, YEAR - 1, YEAR):
            for m in (1, 2, 3):
                reading_record(actor=actor, meter=power, month=month(m, year), value="100")
                reading_record(actor=actor, meter=water, month=month(m, year), value="10")
    return institution


def test_constant_queries(client, energy_a, center_a):
    """This year, last year (whole, and over the same months while this year is not over) and
    a 2020 base year (same months): indicators() four times, whatever the number of
    institutions, meters and readings: 2 vs 10 institutions."""
    EnergyTarget.objects.create(
        center=center_a,
        base_year=2020,
        target_year=2026,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    client.force_login(energy_a)

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(PAGE, {"year": YEAR, **params})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    first = _institutions(center_a, energy_a, range(2))
    few, few_one = count(), count(institution=first.pk)
    _institutions(center_a, energy_a, range(2, 10))
    assert len(get(client, energy_a).context["rows"]) == 10 + 2  # and vehicles, total
    assert count() == few
    assert count(institution=first.pk) == few_one == few
    assert few <= 36, few


# ------------------------------------------------------------------ the workbook


def test_export_workbook(client, energy_a, example):
    response = get(client, energy_a, EXPORT)
    book = workbook(response)
    assert book.sheetnames == ["基本情况", "能源资源消费", "主要指标"]
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet["A1"].value == "2026年度公共机构能源资源消费统计表"
        assert sheet["A2"].value == "填报单位：甲区机关后勤服务中心"
        texts = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
        assert "计量单位" in texts and "填报人：节能股长" in texts
        assert any(str(t).startswith("填报日期：") for t in texts)
    basic = find_row(sheet_rows(book, "基本情况"), "区行政中心")
    assert basic[2:5] == [1000, 10, 8]
    rows = sheet_rows(book, "能源资源消费")
    units = next(row for row in rows if row[0] == "计量单位")
    assert units[2:4] == ["kWh", "kgce"] and units[-2:] == ["m³", "kgce"]
    office = find_row(rows, "区行政中心")
    assert office[2:6] == [10000, 1229, 1000, 1214.3]
    assert office[-2:] == [200, 2980.36]
    assert find_row(rows, "合计")[-1] == 2980.36
    assert find_row(rows, "公务用车")[-1] == 0
    figures = find_row(sheet_rows(book, "主要指标"), "合计")
    # per area now / last year / change, per capita …, water per capita …, CO₂ (no factor).
    assert figures[2:5] == [2.98, 2.46, 21.25]
    assert figures[5:8] == [298.04, 245.8, 21.25]
    assert figures[8:11] == [20, 25, -20]
    assert figures[11:14] == [None, None, None]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor == energy_a and event.detail["year"] == YEAR


def test_export_defaults_to_last_year(client, energy_a, example):
    client.force_login(energy_a)
    book = workbook(client.get(EXPORT))
    last = dt.date.today().year - 1
    assert book["基本情况"]["A1"].value == f"{last}年度公共机构能源资源消费统计表"


def test_export_keeps_names_as_text(client, energy_a, center_a, example):
    add_institution(center_a, "=1+1")
    book = workbook(get(client, energy_a, EXPORT))
    cell = next(c for row in book["基本情况"].iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s"


# ------------------------------------------------------------------ scoping, permissions


def test_another_center_sees_only_its_own(client, energy_b, center_b, example):
    add_institution(center_b, "乙区行政中心", area="800", people=8)
    response = get(client, energy_b)
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙区行政中心" in html
    assert ">区行政中心<" not in html and "2980.36" not in html
    assert card(response, "kgce")["value"] == Decimal("0.00")
    # A's institution as a filter: refused, nothing of A's shown.
    response = get(client, energy_b, institution=example["power"].institution_id)
    assert response.context["chosen"] is None
    assert "2980.36" not in response.content.decode()
    book = workbook(get(client, energy_b, EXPORT))
    texts = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "乙区行政中心" in texts and "区行政中心" not in texts
    assert 2980.36 not in texts


def test_permissions(client, staff_x, liaison_x, admin_a, example):
    for user in (staff_x, liaison_x):
        assert get(client, user).status_code == 403
        assert get(client, user, EXPORT).status_code == 403
    # A center administrator reads the indicators but does not enter readings.
    response = get(client, admin_a)
    assert response.status_code == 200
    assert "data-reading-entry" not in response.content.decode()
    assert get(client, admin_a, EXPORT).status_code == 200
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_names_are_escaped(client, energy_a, center_a, example):
    add_institution(center_a, "<b>某单位</b>", year=None)
    html = get(client, energy_a).content.decode()
    assert "<b>某单位</b>" not in html and "&lt;b&gt;某单位&lt;/b&gt;" in html
