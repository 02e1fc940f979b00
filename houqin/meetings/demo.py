"""Demo meeting rooms and bookings for the demo center, from the 2021 work report (seed).

`seed(center, actor=None, now=None)` is idempotent: rooms are keyed by name in the center,
and the demo bookings are written only while the center has no booking at all, so running it
twice (or on a later day) changes nothing.

Every booking goes through the services. Past bookings are made with `now=` set to the day
before the meeting (the services refuse past times otherwise), marked served with `now=` at
their end, and their disinfection tasks are completed on time, so the dashboard and the
annual summary have figures to show.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyTask
from houqin.core.duties.recurrence import TZ, local_today
from houqin.core.duties.selectors import tasks_for_object
from houqin.core.workdays.calendar import is_workday
from houqin.org.models import OrgUnit

from . import services
from .defaults import ensure_services
from .models import Booking, MeetingService, Room

K = Room.Kind
ROOMS = [
    # name, kind, building, floor, capacity, extra fields
    (
        "一楼报告厅",
        K.AUDITORIUM,
        "A区",
        "1",
        300,
        {"requires_approval": True, "equipment": "舞台、LED 屏、音响、灯光、录音录像"},
    ),
    ("二楼会议室", K.MEDIUM, "A区", "2", 50, {"equipment": "投影、音响"}),
    ("三楼第一会议室", K.MEDIUM, "A区", "3", 60, {"equipment": "投影、音响、录音录像"}),
    ("三楼第二会议室", K.MEDIUM, "A区", "3", 40, {"equipment": "投影、音响"}),
    ("四楼会议室", K.MEDIUM, "A区", "4", 50, {"equipment": "投影、音响"}),
    ("五楼会议室", K.MEDIUM, "A区", "5", 45, {"equipment": "投影、音响"}),
    ("二楼小会议室", K.SMALL, "A区", "2", 12, {"auto_release_minutes": 15}),
    ("三楼洽谈室", K.SMALL, "A区", "3", 10, {"auto_release_minutes": 15}),
    ("四楼小会议室", K.SMALL, "A区", "4", 16, {"auto_release_minutes": 15}),
    ("档案馆会议室", K.MEDIUM, "档案馆", "2", 30, {"bookable_by": Room.BookableBy.LIAISON}),
]

# (days from today, start hour:minute, hours, room, title, by, level, attendees, major kind)
BOOKINGS = [
    (-21, (9, 0), 3, "一楼报告厅", "区人大常委会会议", "liaison", "major", 180, "区人大"),
    (-14, (14, 30), 2, "三楼第一会议室", "财政预算执行情况分析会", "liaison", "important", 35, ""),
    (-10, (9, 0), 2, "二楼会议室", "全区机关后勤工作推进会", "meeting", "ordinary", 40, ""),
    (-7, (15, 0), 1, "二楼小会议室", "部门周例会", "liaison", "ordinary", 8, ""),
    (-3, (9, 30), 2, "四楼会议室", "政府采购业务培训", "liaison", "ordinary", 45, ""),
    (1, (9, 0), 2, "三楼第一会议室", "财政局党组会", "liaison", "important", 12, ""),
    (2, (14, 30), 2, "五楼会议室", "会务服务保障工作会", "meeting", "ordinary", 20, ""),
    (3, (9, 0), 1, "三楼洽谈室", "项目对接洽谈", "liaison", "ordinary", 6, ""),
    (5, (9, 0), 3, "一楼报告厅", "区政协专题协商会", "liaison", "major", 150, "区政协"),
]
SERVICES_FOR = {
    "major": ["茶水", "桌签", "音响", "录音录像", "横幅", "鲜花"],
    "important": ["茶水", "桌签", "投影"],
    "ordinary": ["茶水"],
}


def _users():
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["liaison", "meeting"])}


def organiser(user):
    """The user's agency; center staff (whose agency is the center itself, which the booking
    service does not accept as 主办单位) book for their section of the center."""
    person = user.person
    if person.agency.kind == OrgUnit.Kind.CENTER and person.section is not None:
        return person.section
    return person.agency


def seed_rooms(center):
    existing = set(Room.objects.filter(center=center).values_list("name", flat=True))
    created = []
    for name, kind, building, floor, capacity, extra in ROOMS:
        if name in existing:
            continue
        created.append(
            Room.objects.create(
                center=center,
                name=name,
                kind=kind,
                building=building,
                floor=floor,
                capacity=capacity,
                **extra,
            )
        )
    return created


def _complete_disinfection(booking, user):
    for task in tasks_for_object(booking, center=booking.center).filter(
        status=DutyTask.Status.OPEN
    ):
        duties.duty_task_complete(
            actor=user,
            task=task,
            answers={"surfaces": "yes", "touch": "yes", "air": "yes"},
            now=task.due_at,
        )


def seed(center, *, actor=None, now=None):
    """Create what is missing; returns the rooms, services and bookings created."""
    created = list(seed_rooms(center))
    before = MeetingService.objects.filter(center=center).count()
    ensure_services(center)
    created += list(MeetingService.objects.filter(center=center).order_by("pk")[before:])
    users = _users()
    if len(users) < 2 or Booking.objects.filter(center=center).exists():
        return created
    now = now or timezone.now()
    today = local_today(now)
    rooms = {r.name: r for r in Room.objects.filter(center=center)}
    catalogue = {s.name: s for s in MeetingService.objects.filter(center=center)}
    manager = users["meeting"]
    for days, (hour, minute), hours, room_name, title, by, level, people, major in BOOKINGS:
        user = users[by]
        day = today + dt.timedelta(days=days)
        while not is_workday(day):  # meetings are held on workdays (调休 Saturdays included)
            day += dt.timedelta(days=1 if days >= 0 else -1)
        starts_at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)
        ends_at = starts_at + dt.timedelta(hours=hours)
        past = starts_at < now
        booking = services.booking_create(
            actor=user,
            room=rooms[room_name],
            title=title,
            agency=organiser(user),
            starts_at=starts_at,
            ends_at=ends_at,
            attendees_expected=people,
            level=level,
            major_kind=major,
            services=[catalogue[n] for n in SERVICES_FOR[level] if n in catalogue],
            now=starts_at - dt.timedelta(days=1) if past else None,
        )
        if booking.status == Booking.Status.PENDING:
            approval = approval_for_object(booking, request_type="meetings.booking")
            approvals.approval_approve(actor=manager, approval=approval, comment="同意")
            booking.refresh_from_db()
        if past:
            _complete_disinfection(booking, manager)
            services.booking_mark_served(
                actor=manager,
                booking=booking,
                attendees_actual=max(1, people - days % 3),
                now=ends_at,
            )
        created.append(booking)
    return created
