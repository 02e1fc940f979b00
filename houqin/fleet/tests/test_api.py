"""fleet API: /api/v1/vehicles/, /api/v1/trip-requests/, /api/v1/trips/."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from houqin.fleet import services
from houqin.fleet.models import TripRequest

VEHICLES = "/api/v1/vehicles/"
REQUESTS = "/api/v1/trip-requests/"
TRIPS = "/api/v1/trips/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_create_request_and_chinese_field_errors(
    staff_x, agency_x, agency_leader_x, dispatcher, tomorrow
):
    api = client_for(staff_x)
    body = {
        "purpose": "赴市财政局报送材料",
        "origin": "区政府",
        "destination": "市财政局",
        "passengers": 2,
        "departs_at": tomorrow.isoformat(),
        "returns_at": (tomorrow + dt.timedelta(hours=2)).isoformat(),
    }
    r = api.post(REQUESTS, body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "pending" and r.json()["agency"]["id"] == agency_x.pk
    bad = api.post(
        REQUESTS, {**body, "purpose": "", "returns_at": tomorrow.isoformat()}, format="json"
    )
    assert bad.status_code == 400
    assert "公务事由" in bad.json()["purpose"][0]
    late = api.post(
        REQUESTS,
        {**body, "returns_at": (tomorrow - dt.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert late.status_code == 400 and "返回时间" in late.json()["returns_at"][0]
    assert TripRequest.objects.count() == 1


def test_request_scope_box_and_404(staff_x, liaison_x, admin_b, approved_request):
    assert [r["id"] for r in _rows(client_for(staff_x).get(REQUESTS + "?box=mine"))] == [
        approved_request.pk
    ]
    assert len(_rows(client_for(liaison_x).get(REQUESTS))) == 1
    assert _rows(client_for(liaison_x).get(REQUESTS + "?box=mine")) == []
    assert _rows(client_for(admin_b).get(REQUESTS)) == []
    assert client_for(admin_b).get(f"{REQUESTS}{approved_request.pk}/").status_code == 404


def test_cancel_and_rate(staff_x, liaison_x, approved_request):
    # liaison sees the request but may not cancel someone else's: 403.
    assert client_for(liaison_x).post(f"{REQUESTS}{approved_request.pk}/cancel/").status_code == 403
    r = client_for(staff_x).post(f"{REQUESTS}{approved_request.pk}/rate/", {"rating": 5})
    assert r.status_code == 400 and "行程结束后" in str(r.json())
    r = client_for(staff_x).post(f"{REQUESTS}{approved_request.pk}/cancel/", {"reason": "改期"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


def test_vehicles_availability_and_driver_trip_actions(
    dispatcher, staff_x, driver, driver2, vehicle, approved_request, tomorrow
):
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
    )
    assert client_for(staff_x).get(VEHICLES).status_code == 403
    q = f"?start={tomorrow.isoformat()}&end={(tomorrow + dt.timedelta(hours=1)).isoformat()}"
    rows = client_for(dispatcher).get(VEHICLES + "availability/" + q.replace("+", "%2B")).json()
    assert rows[0]["available"] is False and rows[0]["busy"][0]["label"] == trip.number
    assert [t["id"] for t in _rows(client_for(driver.user).get(TRIPS))] == [trip.pk]
    assert _rows(client_for(driver2.user).get(TRIPS)) == []
    assert [t["id"] for t in _rows(client_for(staff_x).get(TRIPS))] == [trip.pk]
    # Another driver: not in scope → 404; the requester sees it but is not the driver → 403.
    assert client_for(driver2.user).post(f"{TRIPS}{trip.pk}/start/").status_code == 404
    body = {"odometer": "10000.0", "disinfected": True}
    assert client_for(staff_x).post(f"{TRIPS}{trip.pk}/start/", body).status_code == 403
    r = client_for(driver.user).post(f"{TRIPS}{trip.pk}/start/", {**body, "odometer": "9000"})
    assert r.status_code == 400 and ("里程" in str(r.json()) or "出车" in str(r.json())), r.json()


@pytest.mark.parametrize("path", [VEHICLES, REQUESTS, TRIPS])
def test_anonymous_refused(path, db):
    assert APIClient().get(path).status_code in (401, 403)
