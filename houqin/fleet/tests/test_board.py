# ruff: noqa: F811  (fixtures imported from test_views are used as parameters)
"""The dispatch board runs a constant number of queries whatever the size of the motor pool."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.fleet import services
from houqin.fleet.models import Driver, Vehicle

from .test_views import (  # noqa: F401  (fixtures)
    _approvers,
    approve,
    dispatcher,
    leader_x,
    make_driver,
    request_car,
    tomorrow,
)

pytestmark = pytest.mark.django_db


def _pool(center, agency, start, count):
    for n in range(start, start + count):
        Vehicle.objects.create(
            center=center, plate=f"京A{n:05d}", brand_model="帕萨特", seats=5 + n % 3
        )
        make_driver(center, agency, f"驾驶员{n}", f"drv{n}")


def _board(client, day):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("fleet:board"), {"date": day.isoformat()})
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_board_query_count_constant(
    client, center_a, agency_x, staff_x, liaison_x, leader_x, dispatcher, tomorrow
):
    _pool(center_a, agency_x, 1, 5)
    first = approve(request_car(staff_x, tomorrow), leader_x, dispatcher)
    approve(request_car(liaison_x, tomorrow + dt.timedelta(hours=2)), leader_x, dispatcher)
    services.trip_dispatch(
        actor=dispatcher,
        requests=[first],
        vehicle=Vehicle.objects.order_by("plate").first(),
        driver=Driver.objects.order_by("pk").first(),
    )
    client.force_login(dispatcher)
    small, html = _board(client, tomorrow.date())
    assert html.count('class="hq-tl-name"') >= 10

    _pool(center_a, agency_x, 100, 55)
    third = approve(request_car(staff_x, tomorrow + dt.timedelta(hours=5)), leader_x, dispatcher)
    assert third.pk
    large, html = _board(client, tomorrow.date())
    assert "京A00154" in html
    assert large == small, (small, large)
