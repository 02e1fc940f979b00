"""The meetings figures of the annual summary, from constructed data; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan
from houqin.core.duties.selectors import tasks_for_object
from houqin.core.roles import Role
from houqin.core.workdays.calendar import workdays_between
from houqin.meetings import services
from houqin.meetings.models import Booking, Room
from houqin.meetings.summary import figures

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
TZ = timezone.get_current_timezone()


def at(days, hour=9):
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


def past_booking(actor, room, start, hours=1, **kw):
    data = {"title": "会议", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor,
        room=room,
        starts_at=start,
        ends_at=start + hours * H,
        now=start - dt.timedelta(days=1),
        **data,
    )


def serve(manager, booking, attendees):
    return services.booking_mark_served(
        actor=manager, booking=booking, attendees_actual=attendees, now=booking.ends_at
    )


def disinfect(manager, booking, *, before_late=False, after_late=False):
    for task in tasks_for_object(booking).order_by("due_at"):
        late = before_late if task.title.startswith("会前") else after_late
        duties.duty_task_complete(
            actor=manager,
            task=task,
            answers={"surfaces": "yes", "touch": "yes", "air": "yes"},
            now=task.due_at + (2 * H if late else dt.timedelta(minutes=5)),
        )


def duty_record(manager, category, due_at, target=None):
    task = duties.duty_task_create_adhoc(
        actor=None,
        center=manager.person.center,
        title=f"{category} 任务",
        due_at=due_at,
        assignee_role=Role.MEETING_MANAGER,
        category=category,
        target=target,
    )
    duties.duty_task_complete(actor=manager, task=task, answers={}, now=due_at)


@pytest.fixture
def small(center_a):
    return Room.objects.create(
        center=center_a,
        name="小会议室",
        kind=Room.Kind.SMALL,
        capacity=12,
        auto_release_minutes=15,
    )


@pytest.fixture
def data(liaison_x, meeting_manager, room, auditorium, small):
    # A no-show in the small room (auto-released), first, so nothing else is released.
    no_show = past_booking(liaison_x, small, at(-12))
    assert services.bookings_release_unchecked(now=at(-12) + dt.timedelta(minutes=20)) == 1
    # 1. served, medium room, 2 h, both disinfections on time.
    medium = past_booking(liaison_x, room, at(-10), hours=2, attendees_expected=20)
    disinfect(meeting_manager, medium)
    serve(meeting_manager, medium, 18)
    # 2. served major meeting in the auditorium (approved), 3 h; after-disinfection late;
    #    its actual attendance unknown (falls back to the expected 150).
    major = past_booking(
        liaison_x,
        auditorium,
        at(-9),
        hours=3,
        attendees_expected=150,
        level=Booking.Level.MAJOR,
        major_kind="区人大",
        title="区人大常委会会议",
    )
    approval = approval_for_object(major, request_type="meetings.booking")
    approvals.approval_approve(actor=meeting_manager, approval=approval)
    disinfect(meeting_manager, major, after_late=True)
    serve(meeting_manager, major, 0)
    Booking.objects.filter(pk=major.pk).update(attendees_actual=None)
    # 3. served small meeting, no disinfection records.
    small_one = past_booking(liaison_x, small, at(-8), attendees_expected=8)
    services.booking_check_in(actor=liaison_x, booking=small_one, now=small_one.starts_at)
    serve(meeting_manager, small_one, 6)
    # 4. cancelled; 5. confirmed in the past but never marked served (1 h in `room`).
    cancelled = past_booking(liaison_x, room, at(-7))
    services.booking_cancel(actor=liaison_x, booking=cancelled, reason="改期")
    past_booking(liaison_x, room, at(-6, hour=14))
    # Outside the period: tomorrow.
    services.booking_create(
        actor=liaison_x,
        room=room,
        title="明天的会",
        agency=liaison_x.person.agency,
        starts_at=at(1),
        ends_at=at(1) + H,
        attendees_expected=5,
    )
    # Other duties: 2 cleanings, 1 pest control, 1 public-area disinfection.
    duty_record(meeting_manager, DutyPlan.Category.CLEANING, at(-11, 15))
    duty_record(meeting_manager, DutyPlan.Category.CLEANING, at(-4, 15))
    duty_record(meeting_manager, DutyPlan.Category.PEST_CONTROL, at(-5))
    duty_record(meeting_manager, DutyPlan.Category.DISINFECTION, at(-5, 15))
    # A vehicle's disinfection (an ad-hoc task about a trip, here any other object) is the
    # fleet's figure, not a public-area one.
    duty_record(meeting_manager, DutyPlan.Category.DISINFECTION, at(-3, 15), target=small)
    return {"no_show": no_show, "major": major}


def period():
    today = timezone.localdate()
    return today - dt.timedelta(days=30), today


def test_figures(data, room, auditorium, small):
    start, end = period()
    result = figures(room.center, start, end)

    assert result["served"] == 3
    assert result["served_by_kind"] == {"auditorium": 1, "medium": 1, "small": 1}
    assert result["attendees"] == 18 + 150 + 6
    assert result["major_meetings"] == [
        {
            "title": "区人大常委会会议",
            "date": at(-9).date(),
            "major_kind": "区人大",
            "room": auditorium.name,
        }
    ]
    assert result["cancelled"] == 1
    assert result["released"] == 1
    assert result["rejected"] == 0
    assert result["awaiting_mark"] == 1
    assert result["disinfection"] == {
        "records": 4,
        "served_with_both_on_time": 1,
        "on_time_percent": 33.3,
    }
    assert result["cleanings"] == 2
    assert result["pest_control"] == 1
    assert result["public_disinfections"] == 1

    workdays = len(workdays_between(start, end))
    assert result["workdays"] == workdays
    by_room = {row["room"]: row for row in result["utilisation"]}
    assert by_room[room.name]["booked_hours"] == 3.0  # 2 h served + 1 h confirmed
    assert by_room[room.name]["open_hours"] == 13.0 * workdays
    assert by_room[room.name]["percent"] == round(100 * 3 / (13 * workdays), 1)
    assert by_room[auditorium.name]["booked_hours"] == 3.0
    assert by_room[small.name]["booked_hours"] == 1.0  # the released no-show does not count


def test_other_center_and_other_periods_are_not_counted(data, room, center_b):
    assert figures(center_b, *period())["served"] == 0
    today = timezone.localdate()
    later = figures(room.center, today, today + dt.timedelta(days=30))
    assert later["served"] == 0
    assert later["cleanings"] == 0
    assert later["utilisation"][0]["booked_hours"] in (0.0, 1.0)


def test_query_count_is_constant(data, liaison_x, meeting_manager, room, small):
    start, end = period()
    figures(room.center, start, end)  # warm the content type cache

    def count():
        with CaptureQueriesContext(connection) as ctx:
            figures(room.center, start, end)
        return len(ctx)

    before = count()
    for days in (-20, -19, -18):
        booking = past_booking(liaison_x, room, at(days), level=Booking.Level.MAJOR)
        approval = approval_for_object(booking, request_type="meetings.booking")
        approvals.approval_approve(actor=meeting_manager, approval=approval)
        disinfect(meeting_manager, booking)
        serve(meeting_manager, booking, 9)
    Room.objects.create(center=room.center, name="新会议室", kind=Room.Kind.SMALL, capacity=8)
    assert figures(room.center, start, end)["served"] == 6
    assert count() == before
    assert before <= 10
