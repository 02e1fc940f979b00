"""The request → approval → dispatch → trip lifecycle and its rules (anti 公车私用)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties.models import DutyTask
from houqin.core.duties.selectors import tasks_for_object
from houqin.fleet import services
from houqin.fleet.models import Trip, TripRequest
from houqin.fleet.tests.conftest import make_request

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def test_full_lifecycle_with_disinfection_records(
    approved_request, vehicle, driver, dispatcher, staff_x, tomorrow
):
    assert approved_request.status == TripRequest.Status.APPROVED
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
    )
    assert trip.number.startswith("PC") and trip.route == "区政府大院→市财政局"
    tasks = list(tasks_for_object(trip).order_by("due_at"))
    assert [t.title.split("：")[0] for t in tasks] == ["出车前消毒", "收车后消毒"]

    with pytest.raises(ValidationError) as exc:
        services.trip_start(
            actor=driver.user, trip=trip, odometer=12000, disinfected=True, now=tomorrow - 3 * H
        )
    assert "不能提前" in str(exc.value)
    start = tomorrow - dt.timedelta(minutes=10)
    with pytest.raises(ValidationError) as exc:
        services.trip_start(actor=driver.user, trip=trip, odometer=100, disinfected=True, now=start)
    assert "里程不能倒退" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.trip_start(
            actor=driver.user, trip=trip, odometer=12000, disinfected=False, now=start
        )
    assert "消杀" in str(exc.value)
    services.trip_start(actor=driver.user, trip=trip, odometer=12000, disinfected=True, now=start)
    end = tomorrow + 3 * H
    with pytest.raises(ValidationError) as exc:
        services.trip_end(actor=driver.user, trip=trip, odometer=11999, disinfected=True, now=end)
    assert "不能小于出车里程" in str(exc.value)
    trip = services.trip_end(
        actor=driver.user,
        trip=trip,
        odometer=12086.5,
        disinfected=True,
        tolls=30,
        parking="10",
        fuel_liters=40,
        fuel_cost=320,
        fuel_station="路边加油站",
        now=end,
    )
    assert trip.km == Decimal("86.5") and trip.status == Trip.Status.COMPLETED
    vehicle.refresh_from_db()
    assert vehicle.odometer_km == Decimal("12086.5")
    assert {t.status for t in tasks_for_object(trip)} == {DutyTask.Status.DONE}
    assert trip.fuel_records.get().off_fixed_station  # not the fixed station
    approved_request.refresh_from_db()
    assert approved_request.status == TripRequest.Status.COMPLETED
    services.trip_request_rate(actor=staff_x, request=approved_request, rating=5, comment="准时")
    with pytest.raises(ValidationError):
        services.trip_request_rate(actor=staff_x, request=approved_request, rating=4)


def test_unapproved_request_cannot_be_dispatched(
    staff_x, agency_x, agency_leader_x, vehicle, driver, dispatcher, tomorrow
):
    pending = make_request(staff_x, agency_x, tomorrow)
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(actor=dispatcher, requests=[pending], vehicle=vehicle, driver=driver)
    assert "审批通过" in str(exc.value)
    assert not Trip.objects.exists()


def test_rejected_request_never_becomes_a_trip(
    staff_x, agency_x, agency_leader_x, dispatcher, tomorrow
):
    req = make_request(staff_x, agency_x, tomorrow, purpose="周末接送亲属")
    approval = approval_for_object(req, request_type="fleet.trip")
    approvals.approval_reject(actor=agency_leader_x, approval=approval, comment="非公务用车")
    req.refresh_from_db()
    assert req.status == TripRequest.Status.REJECTED


def test_trip_cannot_start_when_approval_was_withdrawn(
    approved_request, vehicle, driver, dispatcher
):
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
    )
    # Tampering: the request is no longer dispatched-with-approval.
    TripRequest.objects.filter(pk=approved_request.pk).update(status=TripRequest.Status.PENDING)
    with pytest.raises(ValidationError) as exc:
        services.trip_start(actor=driver.user, trip=trip, odometer=12000, disinfected=True)
    assert "严禁公车私用" in str(exc.value)


def test_overlaps_seats_seal_and_merge(
    make_approved_request, vehicle, vehicle2, driver, driver2, dispatcher, tomorrow
):
    first = make_approved_request()
    second = make_approved_request(departs_at=tomorrow + H, passengers=2)
    services.trip_dispatch(actor=dispatcher, requests=[first], vehicle=vehicle, driver=driver)
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(actor=dispatcher, requests=[second], vehicle=vehicle, driver=driver2)
    assert "已有出车任务" in str(exc.value)
    big = make_approved_request(departs_at=tomorrow + 5 * H, passengers=5)
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(actor=dispatcher, requests=[big], vehicle=vehicle2, driver=driver2)
    assert "座位不足" in str(exc.value)
    services.vehicle_seal(
        actor=dispatcher,
        vehicle=vehicle2,
        starts_at=tomorrow - H,
        ends_at=tomorrow + 24 * H,
        reason="国庆封存",
    )
    with pytest.raises(ValidationError) as exc:
        services.trip_dispatch(
            actor=dispatcher, requests=[second], vehicle=vehicle2, driver=driver2
        )
    assert "封存" in str(exc.value)
    # Two compatible requests share one car (merge).
    a = make_approved_request(departs_at=tomorrow + 30 * H, passengers=1)
    b = make_approved_request(departs_at=tomorrow + 30 * H, passengers=2)
    trip = services.trip_dispatch(actor=dispatcher, requests=[a, b], vehicle=vehicle, driver=driver)
    assert trip.requests.count() == 2


def test_unmet_and_permissions(approved_request, dispatcher, staff_x, driver, vehicle):
    with pytest.raises(PermissionDenied):
        services.trip_request_mark_unmet(actor=staff_x, request=approved_request, reason="x")
    with pytest.raises(ValidationError):
        services.trip_request_mark_unmet(actor=dispatcher, request=approved_request, reason=" ")
    services.trip_request_mark_unmet(
        actor=dispatcher, request=approved_request, reason="车辆全部派出"
    )
    approved_request.refresh_from_db()
    assert approved_request.status == TripRequest.Status.UNMET
    assert approved_request.unmet_reason == "车辆全部派出"


def test_other_driver_cannot_start(approved_request, vehicle, driver, driver2, dispatcher):
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
    )
    with pytest.raises(PermissionDenied):
        services.trip_start(actor=driver2.user, trip=trip, odometer=12000, disinfected=True)


def test_request_bad_input(staff_x, agency_x, tomorrow):
    with pytest.raises(ValidationError) as exc:
        services.trip_request_create(
            actor=staff_x,
            agency=agency_x,
            purpose="",
            origin="a",
            destination="b",
            departs_at=tomorrow,
            returns_at=tomorrow - H,
            passengers=0,
        )
    text = str(exc.value)
    assert "公务事由" in text and "乘车人数" in text and "返回时间" in text
    assert not TripRequest.objects.exists()


def test_reassign_checks_and_moves_disinfection_to_new_driver(
    make_approved_request, vehicle, vehicle2, driver, driver2, dispatcher, tomorrow
):
    first = make_approved_request()
    other = make_approved_request(departs_at=tomorrow)
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[first], vehicle=vehicle, driver=driver
    )
    services.trip_dispatch(actor=dispatcher, requests=[other], vehicle=vehicle2, driver=driver2)
    with pytest.raises(ValidationError) as exc:  # driver2 is busy at the same time
        services.trip_reassign(actor=dispatcher, trip=trip, vehicle=vehicle, driver=driver2)
    assert "已有出车任务" in str(exc.value)
    other_trip = Trip.objects.exclude(pk=trip.pk).get()
    services.trip_cancel(actor=dispatcher, trip=other_trip, reason="会议取消")
    trip = services.trip_reassign(actor=dispatcher, trip=trip, vehicle=vehicle2, driver=driver2)
    assert (trip.vehicle, trip.driver) == (vehicle2, driver2)
    open_tasks = tasks_for_object(trip).filter(status=DutyTask.Status.OPEN)
    assert open_tasks.count() == 2
    assert all(driver2.user in t.assignees.all() for t in open_tasks)


def test_registering_a_driver_grants_the_driver_role(dispatcher, agency_x, center_a):
    from houqin.core.backends import user_roles
    from houqin.core.roles import Role
    from houqin.org.models import User
    from houqin.org.tests.factories import PersonFactory, make_user

    user = make_user(PersonFactory(agency=agency_x, name="新司机"), username="xinsiji")
    services.driver_save(
        actor=dispatcher,
        center=center_a,
        user=user,
        team=None,
        licence_class="c1",
        licence_expiry=None,
        is_active=True,
    )
    assert Role.DRIVER in user_roles(User.objects.get(pk=user.pk))


def test_a_trip_planned_past_midnight_closes_the_evening_before(
    make_approved_request, vehicle, driver, dispatcher, tomorrow
):
    """Planned 20:00–01:00 and back at 22:30: the after-trip disinfection, due at 01:00 the
    next day, moves to 22:30 and is done then, so the driver can close the trip that evening
    and the disinfection record carries the real time."""
    evening = tomorrow + 11 * H  # 20:00
    req = make_approved_request(departs_at=evening, hours=5)
    trip = services.trip_dispatch(actor=dispatcher, requests=[req], vehicle=vehicle, driver=driver)
    after = tasks_for_object(trip).order_by("due_at").last()
    assert timezone.localtime(after.due_at).date() > evening.date()  # after midnight, as planned
    services.trip_start(actor=driver.user, trip=trip, odometer=12000, disinfected=True, now=evening)
    back = evening + dt.timedelta(hours=2, minutes=30)
    trip = services.trip_end(
        actor=driver.user, trip=trip, odometer=12030, disinfected=True, now=back
    )
    assert trip.status == Trip.Status.COMPLETED and trip.ended_at == back
    after.refresh_from_db()
    assert after.status == DutyTask.Status.DONE
    assert after.due_at == back and after.completed_at == back
