"""iCalendar: the .ics download of a booking and the token subscription feeds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from houqin.meetings import services
from houqin.meetings.defaults import ensure_services
from houqin.meetings.feeds import SALT, feed_token
from houqin.meetings.models import MeetingService

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def book(actor, room, start, hours=1, **kw):
    data = {"title": "周例会", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor, room=room, starts_at=start, ends_at=start + hours * H, **data
    )


def events(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return list(cal.walk("VEVENT"))


def local(value):
    """An event time (aware datetime) in Asia/Shanghai, naive, for comparison."""
    assert value.tzinfo is not None
    return value.astimezone(SHANGHAI).replace(tzinfo=None)


def feed_url(user, kind, obj_id):
    return reverse("meetings:feed", args=[feed_token(user, kind, obj_id)])


def test_booking_ics_download(client, liaison_x, room, tomorrow):
    ensure_services(room.center)
    picked = MeetingService.objects.filter(center=room.center, name__in=["茶水", "桌签"])
    booking = book(liaison_x, room, tomorrow, hours=2, title="预算编制会", services=picked)
    client.force_login(liaison_x)

    response = client.get(reverse("meetings:booking_ics", args=[booking.pk]))

    assert "attachment" in response["Content-Disposition"]
    (event,) = events(response)
    assert str(event["summary"]) == "预算编制会"
    assert str(event["location"]) == room.name
    assert str(event["uid"]).startswith(f"meeting-booking-{booking.pk}@")
    assert local(event["dtstart"].dt) == dt.datetime.combine(tomorrow.date(), dt.time(9, 0))
    assert local(event["dtend"].dt) == dt.datetime.combine(tomorrow.date(), dt.time(11, 0))
    assert event["dtstart"].dt == booking.starts_at
    description = str(event["description"])
    assert liaison_x.person.agency.name in description
    assert "茶水" in description and "桌签" in description


def test_booking_ics_needs_login_and_scope(client, liaison_x, admin_b, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    url = reverse("meetings:booking_ics", args=[booking.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(admin_b)
    assert client.get(url).status_code == 404


def test_feed_list_page(client, liaison_x, room, auditorium):
    client.force_login(liaison_x)
    response = client.get(reverse("meetings:feed_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert room.name in body and auditorium.name in body
    assert liaison_x.person.agency.name in body
    assert body.count(".ics") == 3  # two rooms and the agency


def test_room_feed_without_login(client, liaison_x, staff_x, agency_y, room, tomorrow):
    from houqin.core.roles import Role
    from houqin.org.tests.factories import PersonFactory, make_user

    liaison_y = make_user(PersonFactory(agency=agency_y), Role.LIAISON, username="ly")
    mine = book(liaison_x, room, tomorrow, title="财政局会议")
    theirs = book(liaison_y, room, tomorrow + 2 * H, title="教育局内部会议")
    cancelled = book(liaison_x, room, tomorrow + 4 * H, title="已取消")
    services.booking_cancel(actor=liaison_x, booking=cancelled, reason="改期")

    found = events(client.get(feed_url(liaison_x, "room", room.pk)))

    by_uid = {str(e["uid"]).split("@")[0]: e for e in found}
    assert set(by_uid) == {f"meeting-booking-{mine.pk}", f"meeting-booking-{theirs.pk}"}
    assert str(by_uid[f"meeting-booking-{mine.pk}"]["summary"]) == "财政局会议"
    # Another agency's meeting: the room is shown as taken, its title is not.
    other = by_uid[f"meeting-booking-{theirs.pk}"]
    assert "教育局内部会议" not in str(other["summary"])
    assert local(other["dtstart"].dt) == dt.datetime.combine(tomorrow.date(), dt.time(11, 0))


def test_agency_feed(client, liaison_x, staff_x, agency_y, room, tomorrow):
    from houqin.core.roles import Role
    from houqin.org.tests.factories import PersonFactory, make_user

    liaison_y = make_user(PersonFactory(agency=agency_y), Role.LIAISON, username="ly")
    ours = book(staff_x, room, tomorrow, title="职工会议")
    book(liaison_y, room, tomorrow + 2 * H, title="教育局会议")
    found = events(client.get(feed_url(liaison_x, "agency", liaison_x.person.agency.pk)))
    assert [str(e["summary"]) for e in found] == ["职工会议"]
    assert found[0]["dtstart"].dt == ours.starts_at
    # A token for another agency than the user's own is refused.
    assert client.get(feed_url(liaison_x, "agency", agency_y.pk)).status_code == 404


def test_tampered_or_foreign_token_is_404(client, liaison_x, room, room_b, caplog):
    token = feed_token(liaison_x, "room", room.pk)
    url = reverse("meetings:feed", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])
    assert client.get(url).status_code == 404
    forged = signing.dumps({"k": "room", "id": room.pk, "u": liaison_x.pk}, salt="other")
    assert client.get(reverse("meetings:feed", args=[forged])).status_code == 404
    assert client.get(reverse("meetings:feed", args=["nonsense"])).status_code == 404
    # A valid signature for a room of another center: the user cannot see it.
    assert client.get(feed_url(liaison_x, "room", room_b.pk)).status_code == 404
    odd = signing.dumps({"k": "all", "id": 1, "u": liaison_x.pk}, salt=SALT, compress=True)
    assert client.get(reverse("meetings:feed", args=[odd])).status_code == 404
    # The token is a credential: the 404s are not logged with the URL.
    assert token[:20] not in caplog.text
    assert "feeds/" not in caplog.text


def test_token_of_user_who_lost_access_is_404(client, liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow)
    url = feed_url(liaison_x, "room", room.pk)
    agency_url = feed_url(liaison_x, "agency", liaison_x.person.agency.pk)
    assert client.get(url).status_code == 200
    liaison_x.is_active = False
    liaison_x.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404
    assert client.get(agency_url).status_code == 404


def test_room_feed_404_when_room_deactivated(client, liaison_x, room):
    url = feed_url(liaison_x, "room", room.pk)
    room.is_active = False
    room.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_feed_window(client, liaison_x, room, tomorrow):
    near = book(liaison_x, room, tomorrow)
    book(liaison_x, room, tomorrow + dt.timedelta(days=200))  # beyond 180 days ahead
    found = events(client.get(feed_url(liaison_x, "room", room.pk)))
    assert [e["dtstart"].dt for e in found] == [near.starts_at]
