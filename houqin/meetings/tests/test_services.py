"""Booking services under concurrency (PostgreSQL), auto-release, check-in and service.

The race tests need real concurrent transactions, so they run with transaction=True on
PostgreSQL only; SQLite serialises writers with BEGIN IMMEDIATE (one writer at a time) and
the rule tests in test_rules.py cover the check there.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from houqin.core.duties.models import DutyTask
from houqin.core.duties.selectors import tasks_for_object
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.meetings import services, tasks
from houqin.meetings.models import Booking, Room
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

H = dt.timedelta(hours=1)
THREADS = 16


def book(actor, room, start, hours=1, **kw):
    data = {"title": "周例会", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor, room=room, starts_at=start, ends_at=start + hours * H, **data
    )


# ------------------------------------------------------------------ the race (PostgreSQL)


@pytest.fixture
def migrated(transactional_db):
    """What migrations create (ranks, role groups): a transactional test's flush removes it."""
    restore_migrated_data()


@pytest.fixture
def race(migrated):
    center = make_center("并发测试中心", code="RACE")
    agency = make_unit(center, "并发测试局", code="RX")
    users = [
        make_user(PersonFactory(agency=agency, name=f"联络员{i}"), Role.LIAISON, username=f"r{i}")
        for i in range(THREADS)
    ]
    room = Room.objects.create(center=center, name="并发会议室", kind=Room.Kind.MEDIUM, capacity=30)
    return users, room


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_writers_for_one_slot_one_wins(race, tomorrow):
    users, room = race
    results = run_at_once(
        [lambda u=u: book(u, room, tomorrow, title=f"会议{u.username}") for u in users]
    )
    won = [r for r, e in results if e is None]
    lost = [e for r, e in results if e is not None]
    assert len(won) == 1
    assert len(lost) == THREADS - 1
    for exc in lost:
        assert isinstance(exc, ValidationError), repr(exc)
        assert "已被预订" in str(exc)
    assert Booking.objects.filter(room=room).count() == 1
    assert Booking.objects.get(room=room).pk == won[0].pk
    # Only the winner got disinfection tasks.
    assert DutyTask.objects.filter(target_id=won[0].pk).count() == 2
    assert DutyTask.objects.count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_adjacent_half_open_slots_both_succeed_concurrently(race, tomorrow):
    users, room = race
    results = run_at_once(
        [
            lambda: book(users[0], room, tomorrow + H),  # 10:00-11:00
            lambda: book(users[1], room, tomorrow + 2 * H),  # 11:00-12:00
        ]
    )
    assert [e for _r, e in results] == [None, None]
    assert Booking.objects.filter(room=room, status=Booking.Status.CONFIRMED).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_exclusion_constraint_refuses_a_direct_overlapping_insert(race, tomorrow):
    users, room = race
    user = users[0]
    row = {
        "center_id": room.center_id,
        "room": room,
        "title": "直接写入",
        "agency": user.person.agency,
        "booker": user,
        "attendees_expected": 5,
        "status": Booking.Status.CONFIRMED,
    }
    Booking.objects.create(starts_at=tomorrow, ends_at=tomorrow + H, **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(starts_at=tomorrow + H / 2, ends_at=tomorrow + 2 * H, **row)
    # Inactive statuses do not hold the room; adjacent half-open ranges do not overlap.
    Booking.objects.create(
        starts_at=tomorrow, ends_at=tomorrow + H, **{**row, "status": Booking.Status.CANCELLED}
    )
    Booking.objects.create(starts_at=tomorrow + H, ends_at=tomorrow + 2 * H, **row)
    assert Booking.objects.count() == 3


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no exclusion constraint")
@pytest.mark.django_db
def test_sqlite_has_no_exclusion_constraint_services_check_instead(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow)
    with pytest.raises(ValidationError) as exc:
        book(liaison_x, room, tomorrow)
    assert "已被预订" in str(exc.value)


# ------------------------------------------------------------------ auto-release


@pytest.fixture
def quick_room(center_a):
    return Room.objects.create(
        center=center_a,
        name="小会议室",
        kind=Room.Kind.SMALL,
        capacity=10,
        auto_release_minutes=15,
    )


@pytest.mark.django_db
def test_auto_release_of_unchecked_booking(liaison_x, quick_room, tomorrow):
    late = book(liaison_x, quick_room, tomorrow)  # 09:00-10:00, nobody checks in
    present = book(liaison_x, quick_room, tomorrow + H)  # 10:00-11:00
    services.booking_check_in(actor=liaison_x, booking=present, now=tomorrow + H)
    assert services.bookings_release_unchecked(now=tomorrow + dt.timedelta(minutes=10)) == 0

    released = services.bookings_release_unchecked(now=tomorrow + H + dt.timedelta(minutes=20))

    assert released == 1
    late.refresh_from_db()
    present.refresh_from_db()
    assert late.status == Booking.Status.RELEASED
    assert present.status == Booking.Status.CONFIRMED
    statuses = set(tasks_for_object(late).values_list("status", flat=True))
    assert statuses == {DutyTask.Status.CANCELLED}
    assert set(tasks_for_object(present).values_list("status", flat=True)) == {DutyTask.Status.OPEN}
    assert Notification.objects.filter(recipient=liaison_x, kind="meetings.released").count() == 1
    # The slot is free again: someone else may book it.
    again = book(liaison_x, quick_room, tomorrow + dt.timedelta(minutes=30), hours=0.5)
    services.booking_check_in(actor=liaison_x, booking=again, now=again.starts_at)
    # A second run changes nothing.
    assert services.bookings_release_unchecked(now=tomorrow + 2 * H) == 0


@pytest.mark.django_db
def test_room_without_auto_release_keeps_unchecked_bookings(liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    assert services.bookings_release_unchecked(now=tomorrow + 3 * H) == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.django_db
def test_release_task_and_command(liaison_x, quick_room):
    # Nothing due now: the Celery task and the cron command run and report 0.
    assert tasks.release_unchecked.delay().get() == 0
    call_command("release_unchecked_bookings")


@pytest.mark.django_db
def test_release_command_output(capsys, liaison_x, quick_room):
    call_command("release_unchecked_bookings")
    assert "已释放 0 项" in capsys.readouterr().out


# ------------------------------------------------------------------ check-in and service


@pytest.mark.django_db
def test_check_in_rules(liaison_x, staff_x, meeting_manager, room, auditorium, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    with pytest.raises(PermissionDenied):
        services.booking_check_in(actor=staff_x, booking=booking)  # not theirs
    checked = services.booking_check_in(actor=liaison_x, booking=booking, now=tomorrow)
    assert checked.checked_in_at == tomorrow
    # The meeting manager may check anyone in.
    other = book(liaison_x, room, tomorrow + H)
    assert services.booking_check_in(actor=meeting_manager, booking=other).checked_in_at
    # A pending booking (the auditorium needs approval) cannot be checked in.
    pending = book(liaison_x, auditorium, tomorrow, attendees_expected=100)
    assert pending.status == Booking.Status.PENDING
    with pytest.raises(ValidationError) as exc:
        services.booking_check_in(actor=liaison_x, booking=pending)
    assert "已确认" in str(exc.value)
    # A cancelled booking neither.
    services.booking_cancel(actor=liaison_x, booking=other, reason="改期")
    with pytest.raises(ValidationError):
        services.booking_check_in(actor=liaison_x, booking=other)


@pytest.mark.django_db
def test_check_in_of_other_center_refused(liaison_x, admin_b, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    with pytest.raises(PermissionDenied):
        services.booking_check_in(actor=admin_b, booking=booking)


@pytest.mark.django_db
def test_mark_served_records_actual_attendance(liaison_x, meeting_manager, room, tomorrow):
    booking = book(liaison_x, room, tomorrow, attendees_expected=20)
    with pytest.raises(PermissionDenied):
        services.booking_mark_served(actor=liaison_x, booking=booking, attendees_actual=18)
    with pytest.raises(ValidationError) as exc:
        services.booking_mark_served(actor=meeting_manager, booking=booking, attendees_actual=-1)
    assert "实到人数" in str(exc.value)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    served = services.booking_mark_served(
        actor=meeting_manager, booking=booking, attendees_actual=18, now=tomorrow + H
    )

    assert served.status == Booking.Status.SERVED
    assert served.attendees_actual == 18
    assert served.served_at == tomorrow + H
    with pytest.raises(ValidationError):
        services.booking_mark_served(actor=meeting_manager, booking=booking, attendees_actual=5)
    # A served booking still holds its slot and can no longer be cancelled.
    with pytest.raises(ValidationError):
        book(liaison_x, room, tomorrow)
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=meeting_manager, booking=booking, reason="x")


@pytest.mark.django_db
def test_series_with_skip_conflicts(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow + 7 * 24 * H)  # the second occurrence is taken
    with pytest.raises(ValidationError) as exc:
        services.booking_series_create(
            actor=liaison_x,
            room=room,
            rrule="FREQ=WEEKLY",
            first_start=tomorrow,
            first_end=tomorrow + H,
            until=tomorrow + 20 * 24 * H,
            title="周例会",
            agency=liaison_x.person.agency,
            attendees_expected=8,
        )
    assert "已被预订" in str(exc.value)
    assert Booking.objects.count() == 1
    series, created, skipped = services.booking_series_create(
        actor=liaison_x,
        room=room,
        rrule="FREQ=WEEKLY",
        first_start=tomorrow,
        first_end=tomorrow + H,
        until=tomorrow + 20 * 24 * H,
        title="周例会",
        agency=liaison_x.person.agency,
        attendees_expected=8,
        skip_conflicts=True,
    )
    assert len(created) == 2
    assert len(skipped) == 1
    assert {b.series_id for b in created} == {series.pk}
