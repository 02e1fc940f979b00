"""iCalendar: a booking as an .ics download, and subscription feeds (per room, per agency)
that calendar apps poll without a session.

A feed URL carries a signed token {"k": "room"|"agency", "id": …, "u": user pk}
(django.core.signing, salt "meetings.feed"). On every poll the token is verified and the
user is re-checked: still active, and still allowed to see that room / agency through the
same selectors as the pages (rooms_for / bookings_for). Anything else is a 404, which is not
logged (the URL is a credential); nothing about the token or the user is logged. Times are
written in UTC ("Z"), which every calendar client shows in its own zone.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from houqin.org.models import OrgUnit
from houqin.org.scoping import user_agency

from .models import Booking
from .permissions import get_booking_for_user
from .selectors import bookings_for, rooms_for

SALT = "meetings.feed"
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)
PRODID = "-//houqin//meetings//ZH"


def feed_token(user, kind, obj_id):
    return signing.dumps({"k": kind, "id": obj_id, "u": user.pk}, salt=SALT, compress=True)


def _uid(booking):
    host = settings.HOUQIN_SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "houqin"
    return f"meeting-booking-{booking.pk}@{host}"


def _event(booking, *, stamp, full=True):
    event = Event()
    event.add("uid", _uid(booking))
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.ends_at.astimezone(dt.UTC))
    event.add("location", booking.room.name)
    event.add("last-modified", booking.updated_at.astimezone(dt.UTC))
    if not full:  # a booking outside the user's scope: only that the room is taken, and by whom
        agency = booking.agency.short_name or booking.agency.name
        event.add("summary", _("已占用（%(a)s）") % {"a": agency})
        event.add("transp", "OPAQUE")
        return event
    event.add("summary", booking.title)
    lines = [_("主办单位：%(a)s") % {"a": booking.agency.name}]
    services = [s.name for s in booking.services.all()]
    if services:
        lines.append(_("会务服务：%(s)s") % {"s": "、".join(services)})
    lines.append(_("预计人数：%(n)d") % {"n": booking.attendees_expected})
    lines.append(_("状态：%(s)s") % {"s": booking.get_status_display()})
    event.add("description", "\n".join(lines))
    event.add("status", "TENTATIVE" if booking.status == Booking.Status.PENDING else "CONFIRMED")
    return event


def _calendar(bookings, name, *, visible=None):
    """visible: pks shown in full (None: all of them)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC)
    for booking in bookings:
        full = visible is None or booking.pk in visible
        cal.add_component(_event(booking, stamp=stamp, full=full))
    return cal.to_ical()


def _ics_response(body, filename=None):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def booking_ics(request, pk):
    booking = get_booking_for_user(request.user, pk)
    booking = bookings_for(request.user).prefetch_related("services").get(pk=booking.pk)
    return _ics_response(_calendar([booking], booking.title), f"meeting-{booking.pk}.ics")


def _agency_unit(user):
    agency = user_agency(user)
    if agency is None or agency.kind != OrgUnit.Kind.AGENCY:
        return None
    return agency


@login_required
def feed_list(request):
    user = request.user
    feeds = [
        {
            "name": room.name,
            "kind": _("会议室"),
            "url": request.build_absolute_uri(
                reverse("meetings:feed", args=[feed_token(user, "room", room.pk)])
            ),
        }
        for room in rooms_for(user)
    ]
    agency = _agency_unit(user)
    if agency is not None:
        feeds.insert(
            0,
            {
                "name": agency.name,
                "kind": _("本单位会议"),
                "url": request.build_absolute_uri(
                    reverse("meetings:feed", args=[feed_token(user, "agency", agency.pk)])
                ),
            },
        )
    return render(request, "meetings/feed_list.html", {"feeds": feeds})


def _feed_bookings(payload):
    """The bookings a verified token may show, or None when access has been lost."""
    kind, obj_id, user_pk = payload.get("k"), payload.get("id"), payload.get("u")
    if kind not in ("room", "agency") or not isinstance(obj_id, int):
        return None, "", None
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return None, "", None
    now = timezone.now()
    window = {"starts_at__lt": now + FEED_AHEAD, "ends_at__gt": now - FEED_PAST}
    active = {"status__in": Booking.ACTIVE}
    if kind == "room":
        room = rooms_for(user).filter(pk=obj_id).first()
        if room is None:
            return None, "", None
        # When the room is taken is shown to anyone who may book it (as on the booking grid);
        # what the meeting is only for bookings within the user's own scope.
        qs = Booking.objects.filter(room=room, **active, **window).select_related("room", "agency")
        visible = set(bookings_for(user).filter(room=room, **window).values_list("pk", flat=True))
        return qs, room.name, visible
    agency = _agency_unit(user)
    if agency is None or agency.pk != obj_id:
        return None, "", None
    qs = bookings_for(user).filter(agency__path__startswith=agency.path, **active, **window)
    return qs, agency.name, None


def _not_found():
    """A 404 that django.request does not log: the URL carries the user's feed token."""
    response = HttpResponseNotFound(_("未找到该日历订阅，请重新获取订阅地址。"))
    response._has_been_logged = True
    return response


def feed(request, token):
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return _not_found()
    if not isinstance(payload, dict):
        return _not_found()
    bookings, name, visible = _feed_bookings(payload)
    if bookings is None:
        return _not_found()
    bookings = bookings.prefetch_related("services").order_by("starts_at", "pk")
    return _ics_response(_calendar(bookings, name, visible=visible))
