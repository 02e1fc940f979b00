"""Activity figures for the annual summary: counts and participants per category, surveys with
completion rates; None without data; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.activities import summary
from houqin.activities.models import Survey

from .fixtures_api import activity, category, survey

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
OPENED = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)


def _data(center, admin, agency):
    study = category(center, "学习", 1)
    volunteer = category(center, "志愿服务", 2)
    category(center, "讲座", 3)  # active, nothing recorded: listed with 0
    old = category(center, "旧类别", 4)
    old.is_active = False
    old.save()
    category(center, "停用无记录", 5).__class__.objects.filter(name="停用无记录").update(
        is_active=False
    )
    activity(center, study, dt.date(2026, 3, 5), people=40)
    activity(center, study, dt.date(2026, 6, 5), people=35)
    activity(center, volunteer, dt.date(2026, 5, 20), people=15)
    activity(center, old, dt.date(2026, 2, 1), people=5)
    activity(center, study, dt.date(2025, 12, 30), people=99)  # before the period
    s = survey(center, admin, answered=44, exempt=1, pending=5, agency=agency)
    Survey.objects.filter(pk=s.pk).update(opened_at=OPENED)
    return s


def test_figures_hand_computed(admin_a, center_a, agency_x):
    s = _data(center_a, admin_a, agency_x)
    figures = summary.figures(center_a, *YEAR)
    assert figures["activities"] == 4 and figures["participants"] == 95
    assert [(c["name"], c["count"], c["participants"]) for c in figures["by_category"]] == [
        ("学习", 2, 75),
        ("志愿服务", 1, 15),
        ("讲座", 0, 0),
        ("旧类别", 1, 5),
    ]
    [row] = figures["surveys"]
    assert row["survey_id"] == s.pk and row["title"] == "疫苗接种情况摸排"
    assert (row["total"], row["answered"], row["exempt"]) == (50, 44, 1)
    assert row["completion_rate"] == 90.0 and figures["survey_completion_rate"] == 90.0
    assert set(figures) <= set(summary.DEFINITIONS)


def test_none_without_data(admin_a, center_a, center_b, agency_x):
    _data(center_a, admin_a, agency_x)
    assert all(v is None for v in summary.figures(center_b, *YEAR).values())
    later = summary.figures(center_a, dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    assert later["activities"] is None and later["surveys"] is None


def test_constant_queries(admin_a, center_a, agency_x):
    _data(center_a, admin_a, agency_x)
    with CaptureQueriesContext(connection) as few:
        summary.figures(center_a, *YEAR)
    for i in range(10):
        activity(center_a, category(center_a, f"类别{i}"), dt.date(2026, 7, 1))
        s = survey(center_a, admin_a, f"摸排{i}", answered=1, pending=1, agency=agency_x)
        Survey.objects.filter(pk=s.pk).update(opened_at=OPENED)
    with CaptureQueriesContext(connection) as many:
        summary.figures(center_a, *YEAR)
    assert len(many.captured_queries) == len(few.captured_queries) == 3
