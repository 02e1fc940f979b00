"""Booking rules that do not need the database: who may book, hours, duration, approval."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.backends import user_roles
from houqin.core.roles import Role

from .models import Booking, Room

LIAISON_ROLES = {
    Role.LIAISON,
    Role.AGENCY_LEADER,
    Role.MEETING_MANAGER,
    Role.CENTER_ADMIN,
    Role.LEADER,
}


def may_book(user, room) -> bool:
    roles = user_roles(user)
    if room.bookable_by == Room.BookableBy.MANAGER:
        return Role.MEETING_MANAGER in roles
    if room.bookable_by == Room.BookableBy.LIAISON:
        return bool(roles & LIAISON_ROLES)
    return bool(roles)


def needs_approval(room, *, level, attendees, actor=None) -> bool:
    """The auditorium (or any room so configured), major meetings, and bookings above the
    room's capacity go through the meeting manager's approval — except the meeting manager's
    own bookings: they are the approving authority and may not approve themselves."""
    if actor is not None and Role.MEETING_MANAGER in user_roles(actor):
        return False
    return room.requires_approval or level == Booking.Level.MAJOR or attendees > room.capacity


def time_errors(room, starts_at, ends_at, *, now=None) -> dict[str, str]:
    """Field errors for a proposed time range (empty when it is acceptable)."""
    now = now or timezone.now()
    errors = {}
    if starts_at is None or ends_at is None:
        return {"starts_at": _("请填写开始和结束时间。")}
    if ends_at <= starts_at:
        return {"ends_at": _("结束时间必须晚于开始时间。")}
    if starts_at < now:
        errors["starts_at"] = _("不能预订已经过去的时间。")
    minutes = (ends_at - starts_at) / dt.timedelta(minutes=1)
    if minutes > room.max_duration_minutes:
        errors["ends_at"] = _("单次预订不能超过 %(h)s 小时。") % {
            "h": f"{room.max_duration_minutes / 60:g}"
        }
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    closes = dt.datetime.combine(start.date(), room.open_until, tzinfo=start.tzinfo)
    if start.time() < room.open_from or end > closes:
        errors.setdefault(
            "starts_at",
            _("超出会议室开放时间（%(a)s–%(b)s）。")
            % {"a": room.open_from.strftime("%H:%M"), "b": room.open_until.strftime("%H:%M")},
        )
    return errors
