"""The core booking rules: no overlap (half-open), blocks, hours, approvals, disinfection."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties.models import DutyTask
from houqin.core.duties.selectors import tasks_for_object
from houqin.meetings import services
from houqin.meetings.models import Booking

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def book(actor, room, start, hours=1, **kw):
    data = {"title": "周例会", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor, room=room, starts_at=start, ends_at=start + hours * H, **data
    )


def test_overlap_refused_adjacent_allowed(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow)
    with pytest.raises(ValidationError) as exc:
        book(liaison_x, room, tomorrow + dt.timedelta(minutes=30))
    assert "已被预订" in str(exc.value)
    assert book(liaison_x, room, tomorrow + H).status == Booking.Status.CONFIRMED  # 10:00-11:00
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("start_shift", "hours", "message"),
    [
        (dt.timedelta(days=-2), 1, "已经过去"),
        (dt.timedelta(hours=-3), 1, "开放时间"),  # 06:00
        (dt.timedelta(hours=0), 9, "不能超过"),
        (dt.timedelta(hours=11), 2, "开放时间"),  # 20:00-22:00
    ],
)
def test_time_rules(liaison_x, room, tomorrow, start_shift, hours, message):
    with pytest.raises(ValidationError) as exc:
        book(liaison_x, room, tomorrow + start_shift, hours=hours)
    assert message in str(exc.value)
    assert not Booking.objects.exists()


def test_end_before_start(liaison_x, room, tomorrow):
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            actor=liaison_x,
            room=room,
            title="x",
            agency=liaison_x.person.agency,
            starts_at=tomorrow,
            ends_at=tomorrow,
            attendees_expected=5,
        )
    assert "晚于开始" in str(exc.value)


def test_block_refuses_booking(meeting_manager, liaison_x, room, tomorrow):
    services.room_block_create(
        actor=meeting_manager,
        room=room,
        starts_at=tomorrow - H,
        ends_at=tomorrow + 3 * H,
        reason="更换桌椅",
    )
    with pytest.raises(ValidationError) as exc:
        book(liaison_x, room, tomorrow)
    assert "更换桌椅" in str(exc.value)


def test_disinfection_tasks_follow_the_booking(liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    tasks = list(tasks_for_object(booking).order_by("due_at"))
    assert [t.due_at for t in tasks] == [tomorrow, tomorrow + H + dt.timedelta(minutes=30)]
    services.booking_update(
        actor=liaison_x, booking=booking, starts_at=tomorrow + 2 * H, ends_at=tomorrow + 3 * H
    )
    tasks = list(tasks_for_object(booking).order_by("due_at"))
    assert [t.due_at for t in tasks] == [
        tomorrow + 2 * H,
        tomorrow + 3 * H + dt.timedelta(minutes=30),
    ]
    services.booking_cancel(actor=liaison_x, booking=booking, reason="改期")
    assert {t.status for t in tasks_for_object(booking)} == {DutyTask.Status.CANCELLED}


def test_auditorium_needs_approval_and_rejection_frees_slot(
    liaison_x, meeting_manager, auditorium, tomorrow
):
    booking = book(liaison_x, auditorium, tomorrow, attendees_expected=200)
    assert booking.status == Booking.Status.PENDING
    assert not tasks_for_object(booking).exists()
    with pytest.raises(ValidationError):
        book(liaison_x, auditorium, tomorrow)  # a pending booking holds the slot
    approval = approval_for_object(booking, request_type="meetings.booking")
    approvals.approval_reject(actor=meeting_manager, approval=approval, comment="当天另有安排")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED
    assert book(liaison_x, auditorium, tomorrow).status == Booking.Status.PENDING


def test_approval_confirms_and_creates_tasks(liaison_x, meeting_manager, auditorium, tomorrow):
    booking = book(liaison_x, auditorium, tomorrow, attendees_expected=200)
    approval = approval_for_object(booking, request_type="meetings.booking")
    approvals.approval_approve(actor=meeting_manager, approval=approval)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert tasks_for_object(booking).count() == 2


def test_above_capacity_or_major_needs_approval(liaison_x, meeting_manager, room, tomorrow):
    assert book(liaison_x, room, tomorrow, attendees_expected=31).status == "pending"
    assert (
        book(liaison_x, room, tomorrow + 2 * H, level="major", major_kind="区人大").status
        == "pending"
    )


def test_recurring_series_with_clash(liaison_x, room, tomorrow):
    clash = book(liaison_x, room, tomorrow + dt.timedelta(days=7))
    rule = "FREQ=WEEKLY"
    kwargs = {
        "actor": liaison_x,
        "room": room,
        "rrule": rule,
        "first_start": tomorrow,
        "first_end": tomorrow + H,
        "until": tomorrow + dt.timedelta(days=28),
        "title": "每周例会",
        "agency": liaison_x.person.agency,
        "attendees_expected": 8,
    }
    with pytest.raises(ValidationError) as exc:
        services.booking_series_create(**kwargs)
    assert "已被预订" in str(exc.value)
    series, created, skipped = services.booking_series_create(**kwargs, skip_conflicts=True)
    # `until` is inclusive: days 0, 7 (clash), 14, 21, 28.
    assert len(created) == 4 and len(skipped) == 1 and skipped[0][0] == clash.starts_at
    # Edit one occurrence, then cancel the rest from the second one.
    services.booking_update(actor=liaison_x, booking=created[0], title="例会（改）")
    services.booking_series_cancel_rest(actor=liaison_x, booking=created[1], reason="停开")
    statuses = list(series.bookings.order_by("starts_at").values_list("title", "status"))
    assert statuses == [("例会（改）", "confirmed")] + [("每周例会", "cancelled")] * 3


def test_other_center_cannot_book(admin_b, room, tomorrow):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.booking_create(
            actor=admin_b,
            room=room,
            title="x",
            agency=room.center,
            starts_at=tomorrow,
            ends_at=tomorrow + H,
            attendees_expected=3,
        )


def test_meeting_manager_books_the_auditorium_without_self_approval(
    meeting_manager, auditorium, tomorrow
):
    booking = book(meeting_manager, auditorium, tomorrow, attendees_expected=250)
    assert booking.status == Booking.Status.CONFIRMED


def test_center_staff_book_for_the_center_itself(meeting_manager, room, tomorrow, center_a):
    booking = book(meeting_manager, room, tomorrow, agency=center_a)
    assert booking.agency_id == center_a.pk


def test_series_where_every_date_clashes_creates_nothing(liaison_x, room, tomorrow):
    from houqin.meetings.models import BookingSeries

    book(liaison_x, room, tomorrow)
    with pytest.raises(ValidationError) as exc:
        services.booking_series_create(
            actor=liaison_x,
            room=room,
            rrule="FREQ=WEEKLY;COUNT=1",
            first_start=tomorrow,
            first_end=tomorrow + H,
            until=tomorrow + dt.timedelta(days=7),
            title="例会",
            agency=liaison_x.person.agency,
            attendees_expected=5,
            skip_conflicts=True,
        )
    assert "未创建" in str(exc.value) and not BookingSeries.objects.exists()
