"""Who may see and do what on the meetings pages: other center → 404, staff → 403 on
management pages, liaisons see their agency's bookings, staff only their own."""

import datetime as dt

import pytest
from django.urls import reverse

from houqin.meetings import services
from houqin.meetings.models import Booking, RoomBlock
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def book(actor, room, start, title="周例会"):
    return services.booking_create(
        actor=actor,
        room=room,
        title=title,
        agency=actor.person.agency,
        starts_at=start,
        ends_at=start + H,
        attendees_expected=5,
    )


def test_other_center_gets_404(client, admin_b, liaison_x, meeting_manager, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    block = services.room_block_create(
        actor=meeting_manager,
        room=room,
        starts_at=tomorrow + 3 * H,
        ends_at=tomorrow + 4 * H,
        reason="维修",
    )
    manager_b = make_user(
        PersonFactory(agency=admin_b.person.agency), "meeting_manager", username="meeting_b"
    )
    for user in (admin_b, manager_b):
        client.force_login(user)
        for name in ("booking_detail", "booking_edit"):
            assert client.get(reverse(f"meetings:{name}", args=[booking.pk])).status_code == 404
        for name in ("booking_cancel", "booking_cancel_rest", "booking_check_in"):
            url = reverse(f"meetings:{name}", args=[booking.pk])
            assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(manager_b)
    assert (
        client.post(
            reverse("meetings:booking_served", args=[booking.pk]), {"attendees_actual": "3"}
        ).status_code
        == 404
    )
    assert client.get(reverse("meetings:room_edit", args=[room.pk])).status_code == 404
    assert client.post(reverse("meetings:room_block_create", args=[room.pk])).status_code == 404
    assert client.post(reverse("meetings:room_block_delete", args=[block.pk])).status_code == 404
    assert RoomBlock.objects.filter(pk=block.pk).exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_staff_cannot_open_management_pages(client, staff_x, room):
    client.force_login(staff_x)
    for url in (
        reverse("meetings:room_list"),
        reverse("meetings:room_create"),
        reverse("meetings:room_edit", args=[room.pk]),
        reverse("meetings:service_sheet"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("meetings:grid")).status_code == 200
    assert client.get(reverse("meetings:booking_create")).status_code == 200


def test_liaison_sees_own_agency_only(client, liaison_x, agency_y, room, tomorrow):
    liaison_y = make_user(PersonFactory(agency=agency_y, name="联络员乙"), "liaison")
    colleague = make_user(PersonFactory(agency=liaison_x.person.agency, name="同事"))
    mine = book(colleague, room, tomorrow, title="财政局的会")
    theirs = book(liaison_y, room, tomorrow + 2 * H, title="教育局的会")
    client.force_login(liaison_x)
    html = client.get(reverse("meetings:booking_list")).content.decode()
    assert "财政局的会" in html and "教育局的会" not in html
    assert client.get(reverse("meetings:booking_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("meetings:booking_detail", args=[theirs.pk])).status_code == 404
    # Seeing a colleague's booking is not the right to cancel it.
    response = client.post(reverse("meetings:booking_cancel", args=[mine.pk]), {"reason": "x"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == Booking.Status.CONFIRMED


def test_staff_sees_only_own_bookings(client, staff_x, liaison_x, room, tomorrow):
    own = book(staff_x, room, tomorrow, title="我的会")
    other = book(liaison_x, room, tomorrow + 2 * H, title="别人的会")
    client.force_login(staff_x)
    html = client.get(reverse("meetings:booking_list")).content.decode()
    assert "我的会" in html and "别人的会" not in html
    assert client.get(reverse("meetings:booking_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("meetings:booking_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("meetings:booking_edit", args=[other.pk])).status_code == 404
    # Staff may not mark served.
    assert (
        client.post(
            reverse("meetings:booking_served", args=[own.pk]), {"attendees_actual": "3"}
        ).status_code
        == 403
    )


def test_anonymous_redirected_to_login(client, room):
    response = client.get(reverse("meetings:grid"))
    assert response.status_code == 302 and "/login/" in response["Location"]
