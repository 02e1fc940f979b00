"""/api/v1/notifications/: the signed-in user's own inbox, read and read-all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from houqin.core.notifications.models import Notification
from houqin.core.notifications.services import notify

from .helpers import KIND

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"


def read_url(pk):
    return f"{LIST}{pk}/read/"


def api(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _notify(user, n=1):
    rows = []
    for i in range(n):
        rows += notify(
            recipients=[user],
            kind=KIND,
            title=f"通知{i}",
            body="内容",
            url="/m/",
            center=user.center,
        )
    return rows


def test_anonymous_gets_401():
    assert APIClient().get(LIST).status_code == 401
    assert APIClient().post(READ_ALL).status_code == 401


def test_list_own_newest_first_with_fields(staff_x, liaison_x):
    first, second = _notify(staff_x, 2)
    _notify(liaison_x)
    response = api(staff_x).get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [row["id"] for row in data["results"]] == [second.pk, first.pk]
    row = data["results"][0]
    assert row["kind"] == KIND and row["kind_display"] == "申请已批准"
    assert row["title"] == "通知1" and row["url"] == "/m/"
    assert row["is_read"] is False and row["read_at"] is None


def test_filter_unread_and_paginate(staff_x):
    rows = _notify(staff_x, 3)
    client = api(staff_x)
    client.post(read_url(rows[0].pk))
    assert client.get(LIST, {"unread": "true"}).json()["count"] == 2
    assert client.get(LIST, {"unread": "false"}).json()["count"] == 1
    page = client.get(LIST, {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]


def test_read_one(staff_x):
    (notification,) = _notify(staff_x)
    response = api(staff_x).post(read_url(notification.pk))
    assert response.status_code == 200 and response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_read_all(staff_x, liaison_x):
    _notify(staff_x, 3)
    (theirs,) = _notify(liaison_x)
    client = api(staff_x)
    response = client.post(READ_ALL)
    assert response.status_code == 200 and response.json() == {"updated": 3}
    assert client.post(READ_ALL).json() == {"updated": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_users_notification_is_404(staff_x, admin_b):
    (theirs,) = _notify(admin_b)
    client = api(staff_x)
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    response = client.post(read_url(theirs.pk))
    assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(LIST).json()["count"] == 0


def test_list_constant_queries(staff_x):
    client = api(staff_x)
    _notify(staff_x, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    Notification.objects.bulk_create(
        [Notification(recipient=staff_x, kind=KIND, title=f"n{i}") for i in range(30)]
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few)


def test_schema_lists_the_endpoints(staff_x):
    client = api(staff_x)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/notifications/read-all/" in schema
    assert "/api/v1/notifications/{id}/read/" in schema
