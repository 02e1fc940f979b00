"""The energy to-do items: flagged readings, meters missing last month, units to review, the
annual report before 31 March; the liaison's self-assessment."""

import datetime as dt

import pytest

from houqin.energy.models import Meter
from houqin.energy.services.conservation import unit_self_assess
from houqin.energy.services.readings import reading_record
from houqin.energy.todos import agency_items, energy_todos, manager_items

from .conftest import item_points

pytestmark = pytest.mark.django_db


def _meter(office, code):
    return Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="electricity",
        code=code,
        name=code,
        mode=Meter.Mode.REGISTER,
    )


def test_manager_sees_flagged_missing_and_units_to_review(
    energy_a, office, unit_x, sheet, django_assert_max_num_queries
):
    main, other = _meter(office, "E-1"), _meter(office, "E-2")
    reading_record(actor=energy_a, meter=main, month=dt.date(2026, 9, 1), value=500)
    reading_record(actor=energy_a, meter=main, month=dt.date(2026, 10, 1), value=400)  # lower
    unit_self_assess(actor=energy_a, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    with django_assert_max_num_queries(3):
        items = manager_items(energy_a, dt.date(2026, 11, 6))
    titles = [item.title for item in items]
    assert "1 条能耗读数待核实" in titles
    # E-1 has October; E-2 has not.
    assert "2026年10月 有 1 块表未录入" in titles
    assert any(unit_x.agency.name in t and "评审" in t for t in titles)
    assert not any("报送" in t for t in titles)  # after 31 March
    assert other.pk


def test_missing_meters_wait_for_the_fifth_and_report_due_in_q1(energy_a, office):
    _meter(office, "E-1")
    early = [item.title for item in manager_items(energy_a, dt.date(2027, 1, 3))]
    assert not any("未录入" in t for t in early)
    assert "报送 2026 年度公共机构能源资源消费统计" in early


def test_liaison_is_asked_to_self_assess_until_done(liaison_x, unit_x, sheet, staff_x):
    [item] = agency_items(liaison_x, dt.date(2026, 11, 26))
    assert "自评" in item.title and item.due == dt.date(2026, 12, 31)
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    assert agency_items(liaison_x, dt.date(2026, 11, 26)) == []
    assert energy_todos(staff_x, 10) == (0, [])
