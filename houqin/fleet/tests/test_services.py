"""Fleet services: the dispatch race (PostgreSQL), seals, 三定点 flags, ratings, unmet.

The race tests need real concurrent transactions, so they run with transaction=True on
PostgreSQL only; SQLite serialises writers with BEGIN IMMEDIATE.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.fleet import selectors, services, tasks
from houqin.fleet.models import Driver, FuelRecord, Trip, TripRequest, Vehicle
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

from .conftest import approve_fully, make_request

H = dt.timedelta(hours=1)
THREADS = 16


# ------------------------------------------------------------------ the race (PostgreSQL)


@pytest.fixture
def migrated(transactional_db):
    """What migrations create (ranks, role groups): a transactional test's flush removes it."""
    restore_migrated_data()


@pytest.fixture
def race(migrated, tomorrow):
    center = make_center("并发测试中心", code="RACE")
    agency = make_unit(center, "并发测试局", code="RX")
    pool = make_unit(center, "车队", code="RCD")
    leader = make_user(PersonFactory(agency=agency, name="局长"), Role.AGENCY_LEADER, username="rl")
    dispatcher = make_user(
        PersonFactory(agency=pool, name="调度"), Role.FLEET_DISPATCHER, username="rd"
    )
    staff = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    requests = [
        approve_fully(
            make_request(staff, agency, tomorrow + dt.timedelta(minutes=10 * i), passengers=1),
            agency_leader=leader,
            dispatcher=dispatcher,
        )
        for i in range(THREADS)
    ]
    vehicles = [
        Vehicle.objects.create(center=center, plate=f"桂K·R{i:04d}", brand_model="测试车", seats=5)
        for i in range(THREADS)
    ]
    drivers = []
    for i in range(THREADS):
        user = make_user(
            PersonFactory(agency=pool, name=f"司机{i}"), Role.DRIVER, username=f"rdr{i}"
        )
        drivers.append(Driver.objects.create(center=center, user=user))
    return dispatcher, requests, vehicles, drivers


def _assert_one_winner(results, needle):
    won = [r for r, e in results if e is None]
    lost = [e for r, e in results if e is not None]
    assert len(won) == 1, lost
    assert len(lost) == THREADS - 1
    for exc in lost:
        assert isinstance(exc, ValidationError), repr(exc)
        assert needle in str(exc)
    return won[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_dispatches_of_one_vehicle_one_wins(race):
    dispatcher, requests, vehicles, drivers = race
    results = run_at_once(
        [
            lambda r=r, d=d: services.trip_dispatch(
                actor=dispatcher, requests=[r], vehicle=vehicles[0], driver=d
            )
            for r, d in zip(requests, drivers, strict=True)
        ]
    )
    trip = _assert_one_winner(results, "车辆")
    assert Trip.objects.filter(vehicle=vehicles[0]).count() == 1
    assert TripRequest.objects.filter(status=TripRequest.Status.DISPATCHED).count() == 1
    assert TripRequest.objects.get(trip=trip).status == TripRequest.Status.DISPATCHED


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_dispatches_of_one_driver_one_wins(race):
    dispatcher, requests, vehicles, drivers = race
    results = run_at_once(
        [
            lambda r=r, v=v: services.trip_dispatch(
                actor=dispatcher, requests=[r], vehicle=v, driver=drivers[0]
            )
            for r, v in zip(requests, vehicles, strict=True)
        ]
    )
    _assert_one_winner(results, "驾驶员")
    assert Trip.objects.filter(driver=drivers[0]).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_exclusion_constraint_refuses_a_direct_overlapping_insert(race, tomorrow):
    dispatcher, _requests, vehicles, drivers = race
    row = {"center_id": dispatcher.center_id, "dispatched_by": dispatcher, "route": "直接写入"}
    Trip.objects.create(
        number="T1",
        vehicle=vehicles[0],
        driver=drivers[0],
        starts_at=tomorrow,
        ends_at=tomorrow + H,
        **row,
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # same vehicle
        Trip.objects.create(
            number="T2",
            vehicle=vehicles[0],
            driver=drivers[1],
            starts_at=tomorrow + H / 2,
            ends_at=tomorrow + 2 * H,
            **row,
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # same driver
        Trip.objects.create(
            number="T3",
            vehicle=vehicles[1],
            driver=drivers[0],
            starts_at=tomorrow + H / 2,
            ends_at=tomorrow + 2 * H,
            **row,
        )
    # Adjacent half-open ranges and cancelled trips do not overlap.
    Trip.objects.create(
        number="T4",
        vehicle=vehicles[0],
        driver=drivers[0],
        starts_at=tomorrow + H,
        ends_at=tomorrow + 2 * H,
        **row,
    )
    Trip.objects.create(
        number="T5",
        vehicle=vehicles[0],
        driver=drivers[0],
        starts_at=tomorrow,
        ends_at=tomorrow + H,
        status=Trip.Status.CANCELLED,
        **row,
    )
    assert Trip.objects.count() == 3


# ------------------------------------------------------------------ rules


def test_overlapping_dispatch_refused_in_chinese(
    dispatcher, make_approved_request, vehicle, vehicle2, driver, driver2, tomorrow
):
    first, second = make_approved_request(), make_approved_request(tomorrow + H)
    services.trip_dispatch(actor=dispatcher, requests=[first], vehicle=vehicle, driver=driver)
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(actor=dispatcher, requests=[second], vehicle=vehicle, driver=driver2)
    assert "已有出车任务" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(actor=dispatcher, requests=[second], vehicle=vehicle2, driver=driver)
    assert "驾驶员" in str(exc.value)


def test_sealed_vehicle_cannot_be_dispatched(
    dispatcher, approved_request, vehicle, driver, tomorrow
):
    services.vehicle_seal(
        actor=dispatcher,
        vehicle=vehicle,
        starts_at=tomorrow - 2 * H,
        ends_at=tomorrow + 24 * H,
        reason="国庆节假日封存",
    )
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(
            actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
        )
    assert "封存" in str(exc.value)
    approved_request.refresh_from_db()
    assert approved_request.status == TripRequest.Status.APPROVED


def test_fuel_at_non_fixed_station_flagged(dispatcher, vehicle):
    day = dt.date.today()
    ok = services.fuel_record_add(
        actor=dispatcher, vehicle=vehicle, date=day, liters=30, cost=240, station="中石化城东站"
    )
    off = services.fuel_record_add(
        actor=dispatcher, vehicle=vehicle, date=day, liters=20, cost=160, station="路边加油站"
    )
    assert not ok.off_fixed_station and off.off_fixed_station
    with pytest.raises(ValidationError):
        services.fuel_record_add(
            actor=dispatcher, vehicle=vehicle, date=day, liters=0, cost=0, station="中石化城东站"
        )


def test_repair_at_non_fixed_shop_flagged(dispatcher, vehicle):
    day = dt.date.today()
    ok = services.repair_record_add(
        actor=dispatcher,
        vehicle=vehicle,
        kind="repair",
        date=day,
        shop="区汽修厂",
        description="更换刹车片",
        cost=800,
    )
    off = services.repair_record_add(
        actor=dispatcher,
        vehicle=vehicle,
        kind="maintenance",
        date=day,
        shop="4S店",
        description="保养",
        cost=600,
    )
    insurance = services.repair_record_add(
        actor=dispatcher,
        vehicle=vehicle,
        kind="insurance",
        date=day,
        shop="人保财险",
        description="交强险+商业险",
        cost=4200,
    )
    assert (ok.off_fixed_shop, off.off_fixed_shop, insurance.off_fixed_shop) == (
        False,
        True,
        False,
    )


def complete_trip(req, *, dispatcher, vehicle, driver, km=Decimal("40"), fuel=None):
    trip = services.trip_dispatch(actor=dispatcher, requests=[req], vehicle=vehicle, driver=driver)
    vehicle.refresh_from_db()
    services.trip_start(
        actor=driver.user,
        trip=trip,
        odometer=vehicle.odometer_km,
        disinfected=True,
        now=trip.starts_at,
    )
    services.trip_end(
        actor=driver.user,
        trip=trip,
        odometer=vehicle.odometer_km + km,
        disinfected=True,
        tolls=10,
        parking=5,
        fuel_liters=fuel,
        fuel_cost=fuel and fuel * 8,
        fuel_station="路边加油站",
        now=trip.ends_at,
    )
    vehicle.refresh_from_db()
    req.refresh_from_db()
    trip.refresh_from_db()
    return trip


def test_ratings_aggregate_per_driver(
    dispatcher, make_approved_request, staff_x, vehicle, driver, driver2, tomorrow, center_a
):
    # In the past: services.trip_start completes the disinfection task without `now`, so a
    # future trip cannot be started in a test (reported).
    past = tomorrow - dt.timedelta(days=3)
    for i, (drv, rating) in enumerate([(driver, 5), (driver, 3), (driver2, 4)]):
        starts = past + dt.timedelta(hours=4 * i)
        req = make_approved_request(starts, hours=2, now=starts - dt.timedelta(days=1))
        complete_trip(req, dispatcher=dispatcher, vehicle=vehicle, driver=drv, fuel=Decimal("10"))
        services.trip_request_rate(actor=staff_x, request=req, rating=rating)
    assert FuelRecord.objects.filter(off_fixed_station=True).count() == 3
    day = past.date()
    stats = {s.driver: s for s in selectors.driver_stats(center_a, day, day + dt.timedelta(2))}
    assert (stats[driver].trips, stats[driver].rating_count, stats[driver].rating_avg) == (
        2,
        2,
        4.0,
    )
    assert stats[driver].km == Decimal("80")
    assert (stats[driver2].trips, stats[driver2].rating_avg) == (1, 4.0)
    with pytest.raises(ValidationError):
        services.trip_request_rate(actor=staff_x, request=req, rating=5)


def test_unmet_requests_counted_with_reasons(dispatcher, make_approved_request, center_a, tomorrow):
    for reason in ["车辆不足", "车辆不足", "驾驶员不足"]:
        services.trip_request_mark_unmet(
            actor=dispatcher, request=make_approved_request(), reason=reason
        )
    day = tomorrow.date()
    unmet = selectors.unmet_requests(center_a, day, day + dt.timedelta(1))
    assert sorted(r.unmet_reason for r in unmet) == ["车辆不足", "车辆不足", "驾驶员不足"]
    from houqin.fleet.summary import figures

    f = figures(center_a, day, day + dt.timedelta(1))
    assert f["requests_unmet"] == 3
    assert f["unmet_reasons"][0] == {"reason": "车辆不足", "count": 2}


def test_board_is_constant_queries(
    dispatcher,
    make_approved_request,
    vehicle,
    vehicle2,
    driver,
    driver2,
    tomorrow,
    django_assert_max_num_queries,
):
    services.trip_dispatch(
        actor=dispatcher, requests=[make_approved_request()], vehicle=vehicle, driver=driver
    )
    make_approved_request(tomorrow + 4 * H)
    with django_assert_max_num_queries(12):
        b = selectors.board(dispatcher, tomorrow.date())
    rows = {r.obj: r for r in b.vehicles}
    assert len(rows[vehicle].trips) == 1 and not rows[vehicle2].trips
    assert len(b.queue) == 1


def test_expiry_reminders_once_a_day(dispatcher, vehicle, capsys):
    vehicle.insurance_expiry = dt.date.today() + dt.timedelta(days=10)
    vehicle.save()
    assert tasks.expiry_reminders() == 1
    assert tasks.expiry_reminders() == 0
    assert Notification.objects.filter(kind="fleet.expiry", recipient=dispatcher).count() == 1
    call_command("fleet_expiry_reminders")
    assert "0" in capsys.readouterr().out


def test_demo_seed_is_idempotent(db):
    call_command("seed_demo")
    center = Vehicle.objects.first().center
    counts = (Vehicle.objects.count(), Trip.objects.count(), TripRequest.objects.count())
    assert counts[0] == 12 and counts[1] == 4 and counts[2] == 5
    assert Driver.objects.filter(user__username="driver").exists()
    from houqin.fleet.summary import quota_table

    assert sum(q["vacancy"] for q in quota_table(center)) == 7
    call_command("seed_demo")
    assert (Vehicle.objects.count(), Trip.objects.count(), TripRequest.objects.count()) == counts
