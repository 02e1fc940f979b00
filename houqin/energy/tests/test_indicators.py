"""Conversion and indicators on a hand-computed example (issue 10), readings and import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from houqin.energy.indicators import indicators, target_progress
from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter, MeterReading
from houqin.energy.services.readings import (
    ImportRowsError,
    reading_confirm,
    reading_record,
    readings_import,
)

pytestmark = pytest.mark.django_db
YEAR = 2026


def meter(institution, kind, code, mode=Meter.Mode.CONSUMPTION, parent=None):
    return Meter.objects.create(
        center_id=institution.center_id,
        institution=institution,
        kind=kind,
        code=code,
        name=code,
        mode=mode,
        parent=parent,
    )


def month(m, year=YEAR):
    return dt.date(year, m, 1)


def test_hand_computed_example(center_a, office, energy_a):
    """10,000 kWh × 0.1229 = 1,229 kgce; 1,000 m³ gas × 1.2143 = 1,214.3 kgce;
    500 L gasoline × 0.73 kg/L × 1.4714 = 537.061 kgce; total 2,980.361 kgce over 1,000 ㎡ and
    10 people → 2.98 kgce/㎡, 298.04 kgce/人; 200 m³ water → 20.00 m³/人."""
    power = meter(office, "electricity", "E1")
    sub = meter(office, "electricity", "E1-1", parent=power)  # a breakdown, not added again
    gas = meter(office, "natural_gas", "G1")
    fuel = meter(office, "gasoline", "F1")
    water = meter(office, "water", "W1")
    reading_record(actor=energy_a, meter=power, month=month(3), value="6000")
    reading_record(actor=energy_a, meter=power, month=month(4), value="4000")
    reading_record(actor=energy_a, meter=sub, month=month(3), value="2500")
    reading_record(actor=energy_a, meter=gas, month=month(3), value="1000")
    reading_record(actor=energy_a, meter=fuel, month=month(4), value="500")
    reading_record(actor=energy_a, meter=water, month=month(3), value="200")
    report = indicators(center_a.pk, YEAR)
    row = report.total
    assert row.kgce == Decimal("2980.361")
    assert row.per_area == Decimal("2.98")
    assert row.per_capita == Decimal("298.04")
    assert row.water_per_capita == Decimal("20.00")
    assert row.amounts["electricity"] == Decimal("10000")
    assert row.monthly_kgce[3] == Decimal("737.4") + Decimal("1214.3")
    assert report.rows[0].kgce == row.kgce and report.missing_base == []


def test_register_meter_consumption_is_the_difference(office, energy_a):
    power = meter(office, "electricity", "E1", mode=Meter.Mode.REGISTER)
    first = reading_record(actor=energy_a, meter=power, month=month(1), value="10000")
    second = reading_record(actor=energy_a, meter=power, month=month(2), value="12500.5")
    assert (first.consumption, second.consumption) == (0, Decimal("2500.50"))
    # Correcting January recomputes February.
    reading_record(actor=energy_a, meter=power, month=month(1), value="10500")
    second.refresh_from_db()
    assert second.consumption == Decimal("2000.50")


def test_lower_reading_is_flagged_then_confirmed(office, energy_a):
    power = meter(office, "electricity", "E1", mode=Meter.Mode.REGISTER)
    reading_record(actor=energy_a, meter=power, month=month(1), value="10000")
    low = reading_record(actor=energy_a, meter=power, month=month(2), value="300")
    assert low.flagged and "小于上月读数" in low.flag_reason and low.consumption == 0
    reading_confirm(actor=energy_a, reading=low, consumption="2300")
    low.refresh_from_db()
    assert not low.flagged and low.consumption == Decimal("2300.00")
    assert low.confirmed_by == energy_a


def test_a_month_three_times_the_usual_is_flagged(office, energy_a):
    water = meter(office, "water", "W1")
    for m in (1, 2, 3):
        reading_record(actor=energy_a, meter=water, month=month(m), value="100")
    normal = reading_record(actor=energy_a, meter=water, month=month(4), value="300")
    # The usual is now (100 + 100 + 100 + 300) / 4 = 150: 3× is 450.
    spike = reading_record(actor=energy_a, meter=water, month=month(5), value="451")
    assert not normal.flagged  # 3× exactly is not above
    assert spike.flagged and "3 倍" in spike.flag_reason


def test_bad_readings_write_nothing(office, energy_a, staff_x):
    power = meter(office, "electricity", "E1")
    for value, message in (("-1", "不能为负数"), ("abc", "必须是数字"), ("1.234", "两位小数")):
        with pytest.raises(ValidationError, match=message):
            reading_record(actor=energy_a, meter=power, month=month(1), value=value)
    with pytest.raises(ValidationError, match="YYYY-MM"):
        reading_record(actor=energy_a, meter=power, month="2026年3月", value="1")
    with pytest.raises(PermissionDenied):
        reading_record(actor=staff_x, meter=power, month=month(1), value="1")
    assert not MeterReading.objects.exists()


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["表计编号", "月份", "读数/用量"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("readings.xlsx", buffer.getvalue())


def test_import_all_or_nothing(center_a, office, energy_a):
    meter(office, "electricity", "E1")
    meter(office, "water", "W1")
    bad = _xlsx([["E1", "2026-01", 100], ["W1", "2026-01", -5], ["X9", "2026-01", 1]])
    with pytest.raises(ImportRowsError) as caught:
        readings_import(actor=energy_a, center=center_a, uploaded=bad)
    assert [n for n, _m in caught.value.rows] == [3, 4]
    assert not MeterReading.objects.exists()
    good = _xlsx([["E1", "2026-02", 120], ["E1", "2026-01", 100], ["W1", "2026/01", 30]])
    assert readings_import(actor=energy_a, center=center_a, uploaded=good) == 3
    assert MeterReading.objects.count() == 3


def test_target_progress(center_a, office, energy_a):
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
    power = meter(office, "electricity", "E1")
    water = meter(office, "water", "W1")
    reading_record(actor=energy_a, meter=power, month=month(6, 2020), value="100000")
    reading_record(actor=energy_a, meter=water, month=month(6, 2020), value="250")
    reading_record(actor=energy_a, meter=power, month=month(6), value="94000")  # −6 %
    reading_record(actor=energy_a, meter=water, month=month(6), value="240")  # −4 %
    _target, rows = target_progress(center_a.pk, YEAR)
    per_area, per_capita, per_water = rows
    assert per_area.change_pct == Decimal("-6.00") and per_area.on_track
    assert per_capita.on_track
    assert per_water.change_pct == Decimal("-4.00") and not per_water.on_track


def test_constant_queries(center_a, office, energy_a):
    def run():
        with CaptureQueriesContext(connection) as queries:
            indicators(center_a.pk, YEAR)
        return len(queries.captured_queries)

    few = run()
    for i in range(5):
        other = Institution.objects.create(center=center_a, name=f"单位{i}")
        InstitutionYear.objects.create(
            institution=other, year=YEAR, floor_area=Decimal("500"), headcount=5
        )
        m = meter(other, "electricity", f"E{i}")
        for mm in (1, 2, 3):
            reading_record(actor=energy_a, meter=m, month=month(mm), value="100")
    assert run() == few <= 5


def test_official_vehicles_fuel_from_the_fleet(center_a, center_b, agency_x, office, energy_a):
    """200 L of gasoline (0.73 kg/L × 1.4714) = 214.8244 kgce; an electric car's 100 kWh =
    12.29 kgce; another center's fuel is not counted."""
    from houqin.fleet.models import FuelRecord, Vehicle

    def car(center, plate, energy):
        return Vehicle.objects.create(
            center=center,
            plate=plate,
            brand_model="测试车",
            category=Vehicle.Category.OTHER,
            energy=energy,
            seats=5,
            owner_agency=agency_x if center == center_a else None,
        )

    petrol = car(center_a, "桂A00001", Vehicle.Energy.GASOLINE)
    electric = car(center_a, "桂A00002", Vehicle.Energy.ELECTRIC)
    foreign = car(center_b, "桂B00001", Vehicle.Energy.GASOLINE)
    for vehicle, quantity in ((petrol, "120"), (petrol, "80"), (electric, "100"), (foreign, "50")):
        FuelRecord.objects.create(
            center=vehicle.center,
            vehicle=vehicle,
            date=dt.date(YEAR, 5, 3),
            liters=Decimal(quantity),
            cost=Decimal("1"),
            station="中石化",
            recorded_by=energy_a,
        )
    report = indicators(center_a.pk, YEAR)
    assert report.vehicles.amounts["gasoline"] == Decimal("200")
    assert report.vehicles.kgce == Decimal("214.8244") + Decimal("12.29")
    assert report.total.kgce == report.vehicles.kgce
    assert report.total.monthly_kgce[5] == report.vehicles.kgce


def test_before_the_target_year_progress_is_judged_pro_rata(center_a):
    """A 2025→2030 target of −5 %: in 2027 (two of five years) −2 % is due; −3 % is on
    track, −1.5 % is behind; in 2030 the whole −5 % is due."""
    from houqin.energy.indicators import Progress, elapsed_share

    target = EnergyTarget(
        center=center_a,
        base_year=2025,
        target_year=2030,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    share = elapsed_share(target, 2027)
    assert share == Decimal("0.4")
    ahead = Progress("单位建筑面积能耗", (Decimal(100), 1), (Decimal(97), 1), Decimal(5), share)
    behind = Progress(
        "单位建筑面积能耗", (Decimal(100), 1), (Decimal("98.5"), 1), Decimal(5), share
    )
    assert (ahead.expected_pct, ahead.on_track, ahead.final) == (Decimal("2.00"), True, False)
    assert behind.on_track is False
    final = Progress(
        "单位建筑面积能耗", (Decimal(100), 1), (Decimal(97), 1), Decimal(5), Decimal(1)
    )
    assert (final.expected_pct, final.on_track, final.final) == (Decimal("5.00"), False, True)
