# ruff: noqa: F811  (fixtures imported from fixtures_register are used as parameters)
"""Services of the energy register: institutions and their base data per year, meters and
the parent-meter rules, targets, and the monthly entry grid (one transaction)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter, MeterReading
from houqin.energy.services.readings import reading_confirm
from houqin.energy.services.register import (
    institution_save,
    institution_year_save,
    meter_deactivate,
    meter_reactivate,
    meter_save,
    readings_enter,
    target_save,
)
from houqin.org.models import OrgUnit
from houqin.org.tests.factories import make_unit

from .fixtures_register import (  # noqa: F401  (fixtures)
    BEFORE,
    PREV,
    THIS_MONTH,
    building_a,
    building_b,
    main_meter,
    make_meter,
    make_reading,
    meter_b,
    office_b,
    school,
    shift,
    water_meter,
)

pytestmark = pytest.mark.django_db


def messages_of(caught):
    return caught.value.message_dict


# ------------------------------------------------------------------ institutions


def test_institution_with_agency_and_building(center_a, energy_a, agency_x, building_a):
    institution = institution_save(
        actor=energy_a, center=center_a, name=" 区财政局 ", agency=agency_x, building=building_a
    )
    assert institution.name == "区财政局"
    assert institution.agency == agency_x and institution.building == building_a
    assert institution.is_active


def test_institution_rules(center_a, energy_a, office, agency_b, building_b, section_x):
    with pytest.raises(ValidationError) as caught:
        institution_save(actor=energy_a, center=center_a, name="区行政中心")
    assert messages_of(caught)["name"] == ["已有名为“区行政中心”的公共机构。"]
    with pytest.raises(ValidationError) as caught:
        institution_save(actor=energy_a, center=center_a, name="新单位", agency=agency_b)
    assert "agency" in messages_of(caught)
    with pytest.raises(ValidationError, match="本中心服务的部门"):
        institution_save(actor=energy_a, center=center_a, name="新单位", agency=section_x)
    with pytest.raises(ValidationError) as caught:
        institution_save(actor=energy_a, center=center_a, name="新单位", building=building_b)
    assert messages_of(caught)["building"] == ["请选择本中心的办公楼。"]
    with pytest.raises(ValidationError) as caught:
        institution_save(actor=energy_a, center=center_a, name="  ")
    assert messages_of(caught)["name"] == ["请填写单位名称。"]
    assert Institution.objects.count() == 1


def test_renaming_keeps_its_own_name_free(center_a, energy_a, office):
    saved = institution_save(
        actor=energy_a, center=center_a, name="区行政中心", is_active=False, institution=office
    )
    assert saved.pk == office.pk and not saved.is_active


def test_other_center_and_staff_may_not_write(center_a, energy_b, staff_x, office):
    with pytest.raises(PermissionDenied):
        institution_save(actor=energy_b, center=center_a, name="越权")
    with pytest.raises(PermissionDenied):
        institution_year_save(
            actor=staff_x, institution=office, year=2025, floor_area="1", headcount=1
        )
    assert Institution.objects.count() == 1


# ------------------------------------------------------------------ base data per year


def test_year_base_data_added_and_corrected(energy_a, office):
    record = institution_year_save(
        actor=energy_a,
        institution=office,
        year=2025,
        floor_area="1234.56",
        headcount=88,
        establishment=60,
    )
    assert (record.floor_area, record.headcount, record.establishment) == (
        Decimal("1234.56"),
        88,
        60,
    )
    record = institution_year_save(
        actor=energy_a,
        institution=office,
        year=2025,
        floor_area="1300",
        headcount=90,
        establishment=0,
        record=record,
    )
    assert record.floor_area == Decimal("1300") and record.establishment == 0
    assert office.years.count() == 2  # 2026 from the fixture


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"floor_area": "0"}, "floor_area", "建筑面积不能为负数或零。"),
        ({"floor_area": "-5"}, "floor_area", "建筑面积不能为负数或零。"),
        ({"floor_area": "100.005"}, "floor_area", "建筑面积最多保留 2 位小数。"),
        ({"floor_area": "abc"}, "floor_area", "建筑面积必须是数字。"),
        ({"headcount": 0}, "headcount", "用能人数必须大于 0。"),
        ({"headcount": "x"}, "headcount", "用能人数必须是整数。"),
        ({"establishment": -1}, "establishment", "编制人数不能为负数。"),
        ({"year": 1990}, "year", "年度应在 2000—2100 之间。"),
        ({"year": 2026}, "year", "2026 年的基础数据已录入，请在列表中点“修改”。"),
    ],
)
def test_year_base_data_validation(energy_a, office, data, field, message):
    values = {"year": 2024, "floor_area": "800", "headcount": 10, "establishment": 5, **data}
    with pytest.raises(ValidationError) as caught:
        institution_year_save(actor=energy_a, institution=office, **values)
    assert messages_of(caught)[field] == [message]
    assert list(office.years.values_list("year", flat=True)) == [2026]


def test_year_moved_onto_another_year_is_refused(energy_a, office):
    other = InstitutionYear.objects.create(
        institution=office, year=2025, floor_area=Decimal("900"), headcount=9
    )
    with pytest.raises(ValidationError, match="2026 年的基础数据已录入"):
        institution_year_save(
            actor=energy_a,
            institution=office,
            year=2026,
            floor_area="900",
            headcount=9,
            record=other,
        )


def test_year_record_of_another_institution_is_refused(energy_a, office, school):
    record = office.years.get()
    with pytest.raises(ValidationError, match="不属于此公共机构"):
        institution_year_save(
            actor=energy_a,
            institution=school,
            year=2026,
            floor_area="1",
            headcount=1,
            record=record,
        )


# ------------------------------------------------------------------ meters


def meter_kwargs(institution, **kw):
    data = {
        "institution": institution,
        "kind": "electricity",
        "code": "E-09",
        "name": "二号楼",
        "mode": Meter.Mode.REGISTER,
        "parent": None,
    }
    data.update(kw)
    return data


def test_meter_registered_and_code_unique_per_center(
    center_a, center_b, energy_a, energy_b, office, office_b
):
    meter = meter_save(actor=energy_a, center=center_a, **meter_kwargs(office))
    assert meter.center_id == center_a.pk and meter.is_active
    with pytest.raises(ValidationError) as caught:
        meter_save(actor=energy_a, center=center_a, **meter_kwargs(office, code="e-09"))
    assert messages_of(caught)["code"] == ["本中心已有编号为“e-09”的计量表。"]
    # Another center may use the same code.
    assert meter_save(actor=energy_b, center=center_b, **meter_kwargs(office_b)).code == "E-09"


def test_meter_needs_kind_mode_and_an_institution_of_the_center(center_a, energy_a, office_b):
    with pytest.raises(ValidationError) as caught:
        meter_save(actor=energy_a, center=center_a, **meter_kwargs(office_b))
    assert messages_of(caught)["institution"] == ["请选择本中心的公共机构。"]
    assert not Meter.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "uranium", "请选择能源品种。"),
        ("mode", "guess", "请选择录入方式。"),
        ("code", " ", "请填写表计编号。"),
        ("name", "", "请填写名称/位置。"),
    ],
)
def test_meter_field_rules(center_a, energy_a, office, field, value, message):
    with pytest.raises(ValidationError) as caught:
        meter_save(actor=energy_a, center=center_a, **meter_kwargs(office, **{field: value}))
    assert messages_of(caught)[field] == [message]


def test_parent_meter_rules(center_a, energy_a, office, school, meter_b):
    main = make_meter(office, "E-01")
    sub = meter_save(
        actor=energy_a, center=center_a, **meter_kwargs(office, code="E-01-1", parent=main)
    )
    subsub = meter_save(
        actor=energy_a, center=center_a, **meter_kwargs(office, code="E-01-1-1", parent=sub)
    )
    assert sub.parent == main and subsub.parent == sub

    cases = [
        (meter_kwargs(school, code="S-1", parent=main), "上级总表须属于同一公共机构。", None),
        (meter_kwargs(office, code="G-1", kind="natural_gas", parent=main), "同一能源品种", None),
        (meter_kwargs(office, code="X-1", parent=meter_b), "请选择本中心的计量表。", None),
        (meter_kwargs(office, code="E-01", parent=main), "不能是本表自己", main),
        (meter_kwargs(office, code="E-01", parent=subsub), "不能是本表的分表", main),
    ]
    for data, message, meter in cases:
        with pytest.raises(ValidationError) as caught:
            meter_save(actor=energy_a, center=center_a, meter=meter, **data)
        assert message in messages_of(caught)["parent"][0]
    main.refresh_from_db()
    assert main.parent is None
    assert Meter.objects.filter(center=center_a).count() == 3


def test_kind_and_mode_fixed_once_read(center_a, energy_a, main_meter, office):
    with pytest.raises(ValidationError) as caught:
        meter_save(
            actor=energy_a,
            center=center_a,
            meter=main_meter,
            **meter_kwargs(office, code="E-01", kind="water"),
        )
    assert messages_of(caught)["kind"] == ["该表已有抄表记录，不能更改能源品种。"]
    with pytest.raises(ValidationError) as caught:
        meter_save(
            actor=energy_a,
            center=center_a,
            meter=main_meter,
            **meter_kwargs(office, code="E-01", mode=Meter.Mode.CONSUMPTION),
        )
    assert messages_of(caught)["mode"] == ["该表已有抄表记录，不能更改录入方式。"]
    # Name and code may still change.
    saved = meter_save(
        actor=energy_a,
        center=center_a,
        meter=main_meter,
        **meter_kwargs(office, code="E-01A", name="总配电房（新）"),
    )
    assert (saved.code, saved.kind, saved.mode) == ("E-01A", "electricity", "register")


def test_a_meter_without_readings_may_change_kind(center_a, energy_a, office):
    meter = make_meter(office, "E-02")
    saved = meter_save(
        actor=energy_a,
        center=center_a,
        meter=meter,
        **meter_kwargs(office, code="E-02", kind="water", mode=Meter.Mode.CONSUMPTION),
    )
    assert (saved.kind, saved.mode) == ("water", "consumption")


def test_a_main_meter_keeps_institution_while_it_has_sub_meters(center_a, energy_a, office, school):
    main = make_meter(office, "E-01")
    make_meter(office, "E-01-1", parent=main)
    with pytest.raises(ValidationError) as caught:
        meter_save(actor=energy_a, center=center_a, meter=main, **meter_kwargs(school, code="E-01"))
    assert "该表下有分表" in messages_of(caught)["institution"][0]


def test_stop_and_restart_meters(energy_a, office):
    main = make_meter(office, "E-01")
    sub = make_meter(office, "E-01-1", parent=main)
    with pytest.raises(ValidationError, match="请先停用分表"):
        meter_deactivate(actor=energy_a, meter=main)
    meter_deactivate(actor=energy_a, meter=sub)
    meter_deactivate(actor=energy_a, meter=main)
    with pytest.raises(ValidationError, match="请先启用总表"):
        meter_reactivate(actor=energy_a, meter=sub)
    with pytest.raises(ValidationError, match="已停用"):
        meter_deactivate(actor=energy_a, meter=main)
    meter_reactivate(actor=energy_a, meter=main)
    assert meter_reactivate(actor=energy_a, meter=sub).is_active


def test_other_center_may_not_stop_a_meter(energy_b, main_meter):
    with pytest.raises(PermissionDenied):
        meter_deactivate(actor=energy_b, meter=main_meter)
    main_meter.refresh_from_db()
    assert main_meter.is_active


# ------------------------------------------------------------------ targets


def test_target_saved_and_rules(center_a, energy_a):
    target = target_save(
        actor=energy_a,
        center=center_a,
        base_year=2020,
        target_year=2025,
        per_area_pct="5",
        per_capita_pct="6",
        water_pct="6.00",
    )
    assert target.per_area_pct == Decimal("5") and target.water_pct == Decimal("6")
    base = {
        "base_year": 2025,
        "target_year": 2030,
        "per_area_pct": "5",
        "per_capita_pct": "6",
        "water_pct": "6",
    }
    for data, field, message in [
        ({"target_year": 2025}, "target_year", "目标年须晚于基准年。"),
        ({"target_year": 2020}, "target_year", "目标年须晚于基准年。"),
        ({"per_area_pct": "100.01"}, "per_area_pct", "单位面积能耗下降不能超过 100。"),
        ({"per_capita_pct": "-1"}, "per_capita_pct", "人均综合能耗下降不能小于 0。"),
        ({"water_pct": "1.234"}, "water_pct", "人均用水量下降最多保留 2 位小数。"),
        ({"base_year": 2019, "target_year": 2025}, "target_year", "已有目标年为 2025 年"),
    ]:
        with pytest.raises(ValidationError) as caught:
            target_save(actor=energy_a, center=center_a, **{**base, **data})
        assert message in messages_of(caught)[field][0]
    assert EnergyTarget.objects.count() == 1
    edited = target_save(
        actor=energy_a, center=center_a, target=target, **{**base, "base_year": 2020}
    )
    assert edited.pk == target.pk and edited.target_year == 2030


def test_other_center_may_not_edit_a_target(center_a, energy_b):
    target = EnergyTarget.objects.create(
        center=center_a,
        base_year=2020,
        target_year=2025,
        per_area_pct=5,
        per_capita_pct=6,
        water_pct=6,
    )
    with pytest.raises(PermissionDenied):
        target_save(
            actor=energy_b,
            center=center_a,
            target=target,
            base_year=2020,
            target_year=2026,
            per_area_pct=1,
            per_capita_pct=1,
            water_pct=1,
        )


# ------------------------------------------------------------------ the entry grid


def test_grid_saves_the_month_and_flags_a_low_reading(center_a, energy_a, main_meter, water_meter):
    make_reading(water_meter, BEFORE, "50", "50")
    saved = readings_enter(
        actor=energy_a,
        center=center_a,
        month=PREV,
        values={main_meter: "900", water_meter: " 60.5 "},
    )
    assert len(saved) == 2
    low = MeterReading.objects.get(meter=main_meter, month=PREV)
    assert low.flagged and "小于上月读数" in low.flag_reason
    assert low.consumption == 0 and low.entered_by == energy_a
    water = MeterReading.objects.get(meter=water_meter, month=PREV)
    assert water.consumption == Decimal("60.50") and not water.flagged


def test_grid_skips_blank_and_unchanged_values(center_a, energy_a, main_meter, water_meter):
    readings_enter(actor=energy_a, center=center_a, month=PREV, values={main_meter: "900"})
    low = MeterReading.objects.get(meter=main_meter, month=PREV)
    reading_confirm(actor=energy_a, reading=low, consumption="120")
    # The grid comes back with 900 filled in: saving it again changes nothing.
    saved = readings_enter(
        actor=energy_a,
        center=center_a,
        month=PREV,
        values={main_meter: "900.00", water_meter: "  "},
    )
    assert saved == []
    low.refresh_from_db()
    assert not low.flagged and low.confirmed_by == energy_a
    assert low.consumption == Decimal("120")
    assert not MeterReading.objects.filter(meter=water_meter).exists()


def test_one_bad_value_saves_nothing(center_a, energy_a, main_meter, water_meter, office):
    third = make_meter(office, "E-03")
    with pytest.raises(ValidationError) as caught:
        readings_enter(
            actor=energy_a,
            center=center_a,
            month=PREV,
            values={main_meter: "1100", water_meter: "12,5", third: "-3"},
        )
    errors = messages_of(caught)
    assert errors == {
        f"value_{water_meter.pk}": ["读数/用量必须是数字。"],
        f"value_{third.pk}": ["读数/用量不能为负数。"],
    }
    assert not MeterReading.objects.filter(month=PREV).exists()


def test_grid_refuses_a_future_month_and_another_center(
    center_a, energy_a, energy_b, main_meter, meter_b
):
    with pytest.raises(ValidationError, match="以后月份"):
        readings_enter(
            actor=energy_a,
            center=center_a,
            month=shift(THIS_MONTH, 1),
            values={main_meter: "1100"},
        )
    with pytest.raises(PermissionDenied):
        readings_enter(actor=energy_b, center=center_a, month=PREV, values={main_meter: "1100"})
    with pytest.raises(ValidationError) as caught:
        readings_enter(actor=energy_a, center=center_a, month=PREV, values={meter_b: "5"})
    assert messages_of(caught) == {f"value_{meter_b.pk}": ["该计量表不属于本中心。"]}
    assert not MeterReading.objects.filter(month__gte=PREV).exists()


def test_stopped_meter_in_the_grid_is_an_error(center_a, energy_a, main_meter):
    Meter.objects.filter(pk=main_meter.pk).update(is_active=False)
    main_meter.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        readings_enter(actor=energy_a, center=center_a, month=PREV, values={main_meter: "1"})
    assert "已停用" in messages_of(caught)[f"value_{main_meter.pk}"][0]


def test_agency_unit_kind_check(center_a, energy_a):
    """An institution may only stand for an agency, not the center itself."""
    center_unit = OrgUnit.objects.get(pk=center_a.pk)
    other = make_unit(center_a, "甲区卫健委", code="W")
    with pytest.raises(ValidationError):
        institution_save(actor=energy_a, center=center_a, name="中心本级", agency=center_unit)
    assert institution_save(actor=energy_a, center=center_a, name="卫健委", agency=other).agency
