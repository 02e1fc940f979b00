# ruff: noqa: F811  (fixtures imported from test_views are used as parameters)
"""Center B sees nothing of center A's fleet; staff cannot dispatch; drivers only their trips."""

import pytest
from django.urls import reverse

from houqin.core.roles import Role
from houqin.fleet.models import Trip, TripRequest, Vehicle
from houqin.org.tests.factories import PersonFactory, make_user

from .test_views import (  # noqa: F401  (fixtures)
    _approvers,
    approve,
    approved,
    dispatcher,
    driver,
    driver2,
    leader_x,
    make_driver,
    request_car,
    tomorrow,
    trip,
    vehicle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区调度员"), Role.FLEET_DISPATCHER, username="disp_b"
    )


def _urls(trip, req, vehicle):
    return {
        "get": [
            reverse("fleet:request_detail", args=[req.pk]),
            reverse("fleet:trip_detail", args=[trip.pk]),
            reverse("fleet:trip_sheet", args=[trip.pk]),
            reverse("fleet:vehicle_edit", args=[vehicle.pk]),
            reverse("fleet:trip_start", args=[trip.pk]),
        ],
        "post": [
            (reverse("fleet:request_cancel", args=[req.pk]), {"reason": "x"}),
            (reverse("fleet:request_unmet", args=[req.pk]), {"reason": "x"}),
            (reverse("fleet:trip_cancel", args=[trip.pk]), {"reason": "x"}),
            (reverse("fleet:vehicle_seal", args=[vehicle.pk]), {"reason": "x"}),
            (reverse("fleet:fuel_add", args=[vehicle.pk]), {}),
            (reverse("fleet:repair_add", args=[vehicle.pk]), {}),
        ],
    }


def test_center_b_gets_404(client, dispatcher_b, trip, approved, vehicle):
    client.force_login(dispatcher_b)
    urls = _urls(trip, approved, vehicle)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    html = client.get(reverse("fleet:request_list")).content.decode()
    assert approved.purpose not in html
    html = client.get(reverse("fleet:vehicle_list")).content.decode()
    assert vehicle.plate not in html
    # Dispatching center A's request from center B: not a valid choice, nothing written.
    client.post(
        reverse("fleet:dispatch"),
        {"requests": [approved.pk], "vehicle": vehicle.pk, "driver": trip.driver.pk},
    )
    trip.refresh_from_db()
    approved.refresh_from_db()
    assert trip.status == Trip.Status.SCHEDULED
    assert approved.status == TripRequest.Status.DISPATCHED
    assert Trip.objects.count() == 1 and not Vehicle.objects.filter(center=dispatcher_b.center)


def test_staff_forbidden_on_board_and_vehicles(client, staff_x, vehicle, approved, driver):
    client.force_login(staff_x)
    for url in (
        reverse("fleet:board"),
        reverse("fleet:vehicle_list"),
        reverse("fleet:vehicle_create"),
        reverse("fleet:vehicle_edit", args=[vehicle.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("fleet:dispatch"),
        {"requests": [approved.pk], "vehicle": vehicle.pk, "driver": driver.pk},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("fleet:request_unmet", args=[approved.pk]), {"reason": "x"}).status_code
        == 403
    )
    approved.refresh_from_db()
    assert approved.status == TripRequest.Status.APPROVED


def test_other_staff_cannot_see_my_request(client, liaison_x, agency_y, approved):
    from houqin.org.tests.factories import PersonFactory, make_user

    other = make_user(PersonFactory(agency=agency_y, name="教育局职工"), username="staff_y")
    client.force_login(other)
    assert client.get(reverse("fleet:request_detail", args=[approved.pk])).status_code == 404
    response = client.post(reverse("fleet:request_cancel", args=[approved.pk]), {"reason": "x"})
    assert response.status_code == 404
    # The liaison of the requesting agency may follow it (agency scope) but not cancel it.
    client.force_login(liaison_x)
    assert client.get(reverse("fleet:request_detail", args=[approved.pk])).status_code == 200
    response = client.post(reverse("fleet:request_cancel", args=[approved.pk]), {"reason": "x"})
    assert response.status_code in (302, 403)
    approved.refresh_from_db()
    assert approved.status == TripRequest.Status.APPROVED


def test_driver_cannot_start_another_drivers_trip(client, driver2, trip, vehicle):
    client.force_login(driver2.user)
    assert client.get(reverse("fleet:trip_detail", args=[trip.pk])).status_code == 404
    url = reverse("fleet:trip_start", args=[trip.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"odometer": "10001", "disinfected": "on"}).status_code == 404
    assert client.post(reverse("fleet:trip_end", args=[trip.pk]), {}).status_code == 404
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SCHEDULED and trip.start_odometer is None
    assert trip.number not in client.get(reverse("fleet:my_trips")).content.decode()


def test_dispatcher_cannot_start_a_trip_they_do_not_drive(client, dispatcher, trip):
    client.force_login(dispatcher)
    assert client.get(reverse("fleet:trip_start", args=[trip.pk])).status_code == 404
