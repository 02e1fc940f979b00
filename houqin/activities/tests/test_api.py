"""The activities API: activity records (filters) and surveys with their completion rate;
scoping (center B 404, staff 403) and constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from houqin.activities.models import SurveyResponse

from .fixtures_api import activity, category, survey

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    assert api().get("/api/v1/activities/activities/").status_code == 401


def test_activities_and_filters(admin_a, center_a):
    study = category(center_a, "学习")
    volunteer = category(center_a, "志愿服务")
    a = activity(center_a, study, dt.date(2026, 3, 5), "学习全会精神", 40)
    b = activity(center_a, volunteer, dt.date(2026, 5, 20), "社区清扫", 15)
    client = api(admin_a)

    def ids(**query):
        response = client.get("/api/v1/activities/activities/", query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [b.pk, a.pk]
    assert ids(category=study.pk) == [a.pk]
    assert ids(date_from="2026-04-01") == [b.pk]
    row = client.get(f"/api/v1/activities/activities/{a.pk}/").json()
    assert row["category"] == {"id": study.pk, "name": "学习"}
    assert row["participant_total"] == 40 and row["photo_count"] == 0


def test_surveys_with_completion(admin_a, center_a, agency_x):
    s = survey(center_a, admin_a, answered=8, exempt=1, pending=1, agency=agency_x)
    # A family member's sheet is not one of the people counted.
    parent = s.responses.first()
    SurveyResponse.objects.create(
        survey=s, parent=parent, family_name="家属", status=SurveyResponse.Status.ANSWERED
    )
    response = api(admin_a).get("/api/v1/activities/surveys/")
    [row] = response.json()["results"]
    assert (row["total"], row["answered"], row["exempt"]) == (10, 8, 1)
    assert row["completion_rate"] == 90.0 and row["status"] == "open"
    assert [q["text"] for q in row["questions"]] == ["是否已接种"]
    assert (
        api(admin_a).get("/api/v1/activities/surveys/", {"status": "closed"}).json()["count"] == 0
    )


def test_scoping(admin_a, admin_b, staff_x, center_a, agency_x):
    a = activity(center_a, category(center_a, "学习"), dt.date(2026, 3, 5))
    s = survey(center_a, admin_a, answered=1, agency=agency_x)
    for url in (f"/api/v1/activities/activities/{a.pk}/", f"/api/v1/activities/surveys/{s.pk}/"):
        assert api(admin_a).get(url).status_code == 200
        assert api(admin_b).get(url).status_code == 404
        assert api(staff_x).get(url).status_code == 403
    assert api(admin_b).get("/api/v1/activities/activities/").json()["count"] == 0


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_run_a_constant_number_of_queries(admin_a, center_a, agency_x):
    client = api(admin_a)
    urls = ["/api/v1/activities/activities/", "/api/v1/activities/surveys/"]
    study = category(center_a, "学习")

    def add(n, start):
        for i in range(start, start + n):
            activity(center_a, study, dt.date(2026, 3, 5), f"学习{i}")
            survey(center_a, admin_a, f"摸排{i}", answered=1, pending=1, agency=agency_x)

    add(2, 0)
    [_count(client, url) for url in urls]  # warm the permission cache
    few = [_count(client, url) for url in urls]
    add(18, 2)
    assert [_count(client, url) for url in urls] == few
