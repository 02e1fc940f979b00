# ruff: noqa: F811  (fixtures imported from fixtures_register are used as parameters)
"""Pages of the energy register: institutions (list, create/edit, detail with the base data
per year), meters (list with filters and xlsx, create/edit with the parent-meter rules, detail,
stop/restart), targets and conversion factors. Errors shown (422, nothing written), scoping
(center B's manager → 404), permissions (staff → 403; leaders read only), constant queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter

from .fixtures_register import (  # noqa: F401  (fixtures)
    BEFORE,
    PREV,
    building_a,
    leader_a,
    main_meter,
    make_meter,
    make_reading,
    meter_b,
    office_b,
    school,
    water_meter,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


def queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ------------------------------------------------------------------ institutions


def test_institution_list_shows_this_years_base_data(client, energy_a, office, school, main_meter):
    InstitutionYear.objects.filter(institution=office).update(year=YEAR)
    client.force_login(energy_a)
    response = client.get(url("institution_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "区行政中心" in page and "区实验小学" in page
    assert "1,000.00 ㎡" in page and "10 人" in page and "1 块" in page
    assert "未录入" in page  # the school has no base data
    assert url("institution_create") in page
    # Another year: nothing entered.
    page = client.get(url("institution_list"), {"year": YEAR - 5}).content.decode()
    assert "1,000.00 ㎡" not in page


def test_institution_list_export(client, energy_a, office):
    client.force_login(energy_a)
    response = client.get(url("institution_list"), {"export": "xlsx", "year": 2026})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "区行政中心" and sheet["E2"].value == 1000
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_create_and_edit_an_institution(client, energy_a, agency_x, building_a):
    client.force_login(energy_a)
    assert client.get(url("institution_create")).status_code == 200
    response = client.post(
        url("institution_create"),
        {"name": "区财政局", "agency": agency_x.pk, "building": building_a.pk, "is_active": "on"},
    )
    institution = Institution.objects.get(name="区财政局")
    assert response.status_code == 302
    assert response.url == url("institution_detail", institution.pk)
    assert institution.agency == agency_x and institution.building == building_a
    page = client.get(url("institution_edit", institution.pk)).content.decode()
    assert 'value="区财政局"' in page
    response = client.post(url("institution_edit", institution.pk), {"name": "区财政局机关"})
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "区财政局机关" and not institution.is_active
    assert institution.agency is None


def test_institution_errors_show_on_the_form(client, energy_a, office):
    client.force_login(energy_a)
    response = client.post(url("institution_create"), {"name": "区行政中心", "is_active": "on"})
    assert response.status_code == 422
    assert "已有名为“区行政中心”的公共机构。" in response.content.decode()
    assert Institution.objects.count() == 1


def test_institution_agency_and_building_choices_are_the_centers(
    client, energy_a, agency_x, agency_b, building_a
):
    client.force_login(energy_a)
    page = client.get(url("institution_create")).content.decode()
    assert "甲区财政局" in page and "行政中心主楼" in page
    assert "乙区财政局" not in page
    response = client.post(url("institution_create"), {"name": "越界", "agency": agency_b.pk})
    assert response.status_code == 422
    assert not Institution.objects.filter(name="越界").exists()


def test_detail_with_years_and_meters(client, energy_a, office, main_meter):
    client.force_login(energy_a)
    page = client.get(url("institution_detail", office.pk)).content.decode()
    assert "2026" in page and "1000.00 ㎡" in page
    assert "E-01" in page and "1000.00 kWh" in page
    assert url("institution_year_save", office.pk) in page
    # The add form starts from the latest year's figures, for the year after it.
    assert 'name="year" value="2027"' in page and 'name="headcount" value="10"' in page


def test_year_base_data_saved_from_the_detail_page(client, energy_a, office):
    client.force_login(energy_a)
    response = client.post(
        url("institution_year_save", office.pk),
        {"year": "2025", "floor_area": "980.50", "headcount": "9", "establishment": "7"},
    )
    assert response.status_code == 302
    record = office.years.get(year=2025)
    assert record.floor_area == Decimal("980.50") and record.establishment == 7
    # Correct it through the 修改 link's form.
    page = client.get(url("institution_detail", office.pk), {"edit_year": record.pk})
    assert 'value="980.50"' in page.content.decode()
    response = client.post(
        url("institution_year_save", office.pk),
        {"record": record.pk, "year": "2025", "floor_area": "990", "headcount": "9"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.floor_area == Decimal("990") and record.establishment == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"floor_area": "0"}, "建筑面积不能为负数或零。"),
        ({"floor_area": "12.345"}, "最多保留 2 位小数"),
        ({"headcount": "0"}, "用能人数必须大于 0。"),
        ({"establishment": "-2"}, "编制人数不能为负数。"),
        ({"year": "2026"}, "2026 年的基础数据已录入"),
    ],
)
def test_year_base_data_errors(client, energy_a, office, data, message):
    client.force_login(energy_a)
    post = {"year": "2024", "floor_area": "100", "headcount": "5", "establishment": "1", **data}
    response = client.post(url("institution_year_save", office.pk), post)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert list(office.years.values_list("year", flat=True)) == [2026]


def test_year_record_of_another_institution_is_404(client, energy_a, office, school):
    client.force_login(energy_a)
    record = office.years.get()
    response = client.post(
        url("institution_year_save", school.pk),
        {"record": record.pk, "year": "2026", "floor_area": "1", "headcount": "1"},
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.floor_area == Decimal("1000")


def test_other_centers_manager_gets_404(client, energy_b, office, main_meter):
    client.force_login(energy_b)
    for name in ("institution_detail", "institution_edit"):
        assert client.get(url(name, office.pk)).status_code == 404
    assert client.post(url("institution_edit", office.pk), {"name": "x"}).status_code == 404
    response = client.post(
        url("institution_year_save", office.pk),
        {"year": "2020", "floor_area": "1", "headcount": "1"},
    )
    assert response.status_code == 404
    for name in ("meter_detail", "meter_edit"):
        assert client.get(url(name, main_meter.pk)).status_code == 404
    assert client.post(url("meter_deactivate", main_meter.pk)).status_code == 404
    page = client.get(url("institution_list")).content.decode()
    assert "区行政中心" not in page
    assert "E-01" not in client.get(url("meter_list")).content.decode()
    office.refresh_from_db()
    main_meter.refresh_from_db()
    assert office.name == "区行政中心" and main_meter.is_active


def test_staff_gets_403_and_leader_reads_only(client, staff_x, leader_a, office, main_meter):
    client.force_login(staff_x)
    for path in (
        url("institution_list"),
        url("institution_detail", office.pk),
        url("institution_create"),
        url("meter_list"),
        url("meter_detail", main_meter.pk),
        url("meter_create"),
        url("target_list"),
        url("factor_list"),
    ):
        assert client.get(path).status_code == 403, path
    client.force_login(leader_a)
    page = client.get(url("institution_detail", office.pk)).content.decode()
    assert url("institution_edit", office.pk) not in page
    assert url("institution_year_save", office.pk) not in page
    assert client.get(url("meter_detail", main_meter.pk)).status_code == 200
    assert client.get(url("institution_create")).status_code == 403
    assert client.get(url("meter_edit", main_meter.pk)).status_code == 403
    assert client.post(url("meter_deactivate", main_meter.pk)).status_code == 403


def test_institution_list_queries_are_constant(client, energy_a, center_a):
    client.force_login(energy_a)

    def add(n, start):
        for i in range(start, start + n):
            institution = Institution.objects.create(center=center_a, name=f"单位{i:03}")
            InstitutionYear.objects.create(
                institution=institution, year=YEAR, floor_area=Decimal("100"), headcount=3
            )
            make_meter(institution, f"M{i:03}")

    add(2, 0)
    few = queries(client, url("institution_list"))
    add(18, 2)
    assert queries(client, url("institution_list")) == few


# ------------------------------------------------------------------ meters


def test_meter_list_shows_the_last_reading_and_filters(client, energy_a, main_meter, water_meter):
    make_reading(main_meter, PREV, "1250.5", "250.5")
    make_reading(water_meter, BEFORE, "40", "40")
    Meter.objects.filter(pk=water_meter.pk).update(is_active=False)
    client.force_login(energy_a)
    page = client.get(url("meter_list")).content.decode()
    assert "1,250.50 kWh" in page and f"{PREV:%Y-%m}" in page
    assert "40.00 m³" in page and "按月用量" in page
    page = client.get(url("meter_list"), {"kind": "water"}).content.decode()
    assert "W-01" in page and "E-01" not in page
    page = client.get(url("meter_list"), {"active": "1"}).content.decode()
    assert "E-01" in page and "W-01" not in page
    # htmx refresh renders only the results.
    response = client.get(url("meter_list"), {"q": "W-"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "W-01" in response.content.decode()


def test_meter_list_export(client, energy_a, main_meter):
    client.force_login(energy_a)
    response = client.get(url("meter_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:6] == [
        "E-01",
        "总配电房",
        "区行政中心",
        "电力",
        "kWh",
        "累计读数",
    ]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "energy.Meter" and event.detail["rows"] == 1


def test_meter_list_queries_are_constant(client, energy_a, office):
    client.force_login(energy_a)

    def add(n, start):
        for i in range(start, start + n):
            parent = make_meter(office, f"P{i:03}")
            child = make_meter(office, f"C{i:03}", parent=parent)
            make_reading(child, BEFORE, i)

    add(1, 0)
    few = queries(client, url("meter_list"))
    add(10, 1)
    assert queries(client, url("meter_list")) == few


def test_register_a_sub_meter(client, energy_a, office, main_meter):
    client.force_login(energy_a)
    page = client.get(url("meter_create"), {"institution": office.pk}).content.decode()
    assert "总配电房" in page
    response = client.post(
        url("meter_create"),
        {
            "institution": office.pk,
            "kind": "electricity",
            "code": "E-01-1",
            "name": "食堂分表",
            "mode": "register",
            "parent": main_meter.pk,
        },
    )
    meter = Meter.objects.get(code="E-01-1")
    assert response.status_code == 302 and response.url == url("meter_detail", meter.pk)
    assert meter.parent == main_meter
    page = client.get(url("meter_detail", main_meter.pk)).content.decode()
    assert "E-01-1" in page and "1000.00 kWh" in page


def test_parent_meter_errors_show_on_the_form(client, energy_a, office, main_meter, water_meter):
    client.force_login(energy_a)
    response = client.post(
        url("meter_create"),
        {
            "institution": office.pk,
            "kind": "electricity",
            "code": "E-02",
            "name": "分表",
            "mode": "register",
            "parent": water_meter.pk,
        },
    )
    assert response.status_code == 422
    assert "上级总表须为同一能源品种。" in response.content.decode()
    sub = make_meter(office, "E-01-1", parent=main_meter)
    response = client.post(
        url("meter_edit", main_meter.pk),
        {
            "institution": office.pk,
            "kind": "electricity",
            "code": "E-01",
            "name": "总配电房",
            "mode": "register",
            "parent": sub.pk,
        },
    )
    assert response.status_code == 422
    assert "上级总表不能是本表的分表。" in response.content.decode()
    response = client.post(
        url("meter_edit", main_meter.pk),
        {
            "institution": office.pk,
            "kind": "water",
            "code": "E-01",
            "name": "总配电房",
            "mode": "register",
        },
    )
    assert response.status_code == 422
    assert "该表已有抄表记录，不能更改能源品种。" in response.content.decode()
    main_meter.refresh_from_db()
    assert main_meter.parent is None and main_meter.kind == "electricity"
    assert not Meter.objects.filter(code="E-02").exists()


def test_duplicate_code_refused(client, energy_a, office, main_meter):
    client.force_login(energy_a)
    response = client.post(
        url("meter_create"),
        {
            "institution": office.pk,
            "kind": "water",
            "code": "E-01",
            "name": "x",
            "mode": "register",
        },
    )
    assert response.status_code == 422
    assert "本中心已有编号为“E-01”的计量表。" in response.content.decode()


def test_other_centers_institution_cannot_be_chosen(client, energy_a, office_b):
    client.force_login(energy_a)
    response = client.post(
        url("meter_create"),
        {"institution": office_b.pk, "kind": "water", "code": "Z", "name": "x", "mode": "register"},
    )
    assert response.status_code == 422
    assert not Meter.objects.exists()


def test_stop_and_restart_a_meter(client, energy_a, main_meter):
    client.force_login(energy_a)
    response = client.post(url("meter_deactivate", main_meter.pk), follow=True)
    assert "计量表 E-01 已停用。" in response.content.decode()
    main_meter.refresh_from_db()
    assert not main_meter.is_active
    client.post(url("meter_reactivate", main_meter.pk))
    main_meter.refresh_from_db()
    assert main_meter.is_active
    assert client.get(url("meter_deactivate", main_meter.pk)).status_code == 405


def test_meter_detail_lists_readings_by_month(client, energy_a, main_meter):
    make_reading(
        main_meter, PREV, "900", "0", flagged=True, flag_reason="读数 900 小于上月读数 1000"
    )
    client.force_login(energy_a)
    page = client.get(url("meter_detail", main_meter.pk)).content.decode()
    assert page.index(f"{PREV:%Y-%m}") < page.index(f"{BEFORE:%Y-%m}")
    assert "待核实" in page and "小于上月读数" in page
    assert url("reading_confirm", main_meter.readings.get(month=PREV).pk) in page


# ------------------------------------------------------------------ targets and factors


def test_targets_created_and_edited(client, energy_a):
    client.force_login(energy_a)
    page = client.get(url("target_create")).content.decode()
    assert 'value="2020"' in page and 'value="2025"' in page
    response = client.post(
        url("target_create"),
        {
            "base_year": "2020",
            "target_year": "2025",
            "per_area_pct": "5",
            "per_capita_pct": "6",
            "water_pct": "6",
        },
    )
    assert response.status_code == 302 and response.url == url("target_list")
    target = EnergyTarget.objects.get()
    page = client.get(url("target_list")).content.decode()
    assert "5 %" in page and "6 %" in page and url("target_edit", target.pk) in page
    # The next one suggests the following five years.
    assert 'value="2030"' in client.get(url("target_create")).content.decode()
    response = client.post(
        url("target_edit", target.pk),
        {
            "base_year": "2020",
            "target_year": "2025",
            "per_area_pct": "5.5",
            "per_capita_pct": "6",
            "water_pct": "6",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.per_area_pct == Decimal("5.5")


def test_target_errors(client, energy_a, center_a, energy_b):
    client.force_login(energy_a)
    response = client.post(
        url("target_create"),
        {
            "base_year": "2025",
            "target_year": "2020",
            "per_area_pct": "5",
            "per_capita_pct": "106",
            "water_pct": "6",
        },
    )
    assert response.status_code == 422
    assert "目标年须晚于基准年。" in response.content.decode()
    assert not EnergyTarget.objects.exists()
    target = EnergyTarget.objects.create(
        center=center_a,
        base_year=2020,
        target_year=2025,
        per_area_pct=5,
        per_capita_pct=6,
        water_pct=6,
    )
    client.force_login(energy_b)
    assert client.get(url("target_edit", target.pk)).status_code == 404
    assert url("target_edit", target.pk) not in client.get(url("target_list")).content.decode()


def test_factor_list_shows_the_factors_in_force(client, energy_a, leader_a):
    client.force_login(leader_a)
    page = client.get(url("factor_list")).content.decode()
    assert "0.1229 kgce/kWh" in page and "现行" in page
    assert "GB/T 2589" in page
    assert "kg/L" in page  # gasoline's density
