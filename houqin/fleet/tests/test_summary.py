"""fleet figures for the annual summary, and the statistics workbook."""

import datetime as dt
from decimal import Decimal

from houqin.fleet import services
from houqin.fleet.models import Vehicle, VehicleQuota
from houqin.fleet.statistics import vehicle_statistics_workbook
from houqin.fleet.summary import figures

from .test_services import complete_trip


def _trips(n, *, dispatcher, make_approved_request, staff_x, vehicle, driver, start):
    for i in range(n):
        starts = start + dt.timedelta(hours=3 * i)
        req = make_approved_request(starts, hours=2, now=starts - dt.timedelta(days=1))
        complete_trip(
            req, dispatcher=dispatcher, vehicle=vehicle, driver=driver, fuel=Decimal("10")
        )
        services.trip_request_rate(actor=staff_x, request=req, rating=5 if i % 2 == 0 else 3)


def test_figures_and_constant_queries(
    dispatcher,
    make_approved_request,
    staff_x,
    vehicle,
    driver,
    center_a,
    agency_x,
    tomorrow,
    django_assert_max_num_queries,
):
    start = tomorrow - dt.timedelta(days=5)
    period = (start.date(), tomorrow.date() + dt.timedelta(days=2))
    VehicleQuota.objects.create(center=center_a, agency=agency_x, category="other", quota=3)
    services.repair_record_add(
        actor=dispatcher,
        vehicle=vehicle,
        kind="insurance",
        date=start.date(),
        shop="人保",
        description="保险",
        cost=3000,
    )
    _trips(
        2,
        dispatcher=dispatcher,
        make_approved_request=make_approved_request,
        staff_x=staff_x,
        vehicle=vehicle,
        driver=driver,
        start=start,
    )
    with django_assert_max_num_queries(12) as few:
        f = figures(center_a, *period)
    _trips(
        2,
        dispatcher=dispatcher,
        make_approved_request=make_approved_request,
        staff_x=staff_x,
        vehicle=vehicle,
        driver=driver,
        start=start + dt.timedelta(days=1),
    )
    Vehicle.objects.create(center=center_a, plate="桂K·A0009", brand_model="X", seats=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        f = figures(center_a, *period)
    assert f["trips"] == 4 and f["km"] == Decimal("160")
    assert (f["ratings"], f["rating_avg"], f["satisfied_pct"]) == (4, 4.0, 50.0)
    assert f["disinfection_records"] == 8
    row = next(v for v in f["vehicles"] if v["vehicle"] == vehicle)
    assert row["insurance"] == Decimal("3000") and row["fuel"] == Decimal("320")
    assert row["tolls_parking"] == Decimal("60")
    assert row["cost_per_km"] == ((Decimal("3380")) / 160).quantize(Decimal("0.01"))
    other = next(q for q in f["quotas"] if q["category"] == "other")
    assert (other["quota"], other["actual"], other["vacancy"]) == (3, 2, 1)


def test_statistics_workbook(center_a, vehicle):
    wb = vehicle_statistics_workbook(center_a, dt.date.today().year)
    sheet = wb.active
    assert sheet.cell(1, 1).value == "车牌号"
    assert sheet.cell(2, 1).value == vehicle.plate
    assert sheet.cell(3, 1).value.startswith("合计")
