"""Fixtures and helpers of the activities tests (imported explicitly): a fixed clock (Thursday
26 November 2026, 10:00 in Asia/Shanghai), uploads in a temporary MEDIA_ROOT, small images,
a leader, makers of activities and surveys, and a vendor with staff."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from houqin.activities.models import ActivityCategory
from houqin.activities.services.activities import activity_save, categories_ensure
from houqin.activities.services.surveys import question_add, survey_create
from houqin.core.duties.recurrence import TZ
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.vendors.models import Vendor, VendorStaff

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def leader_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="中心主任"), Role.LEADER, username="leader_a"
    )


@pytest.fixture
def categories_a(center_a):
    categories_ensure(center=center_a)
    return {c.name: c for c in ActivityCategory.objects.filter(center=center_a)}


@pytest.fixture
def categories_b(center_b):
    categories_ensure(center=center_b)
    return {c.name: c for c in ActivityCategory.objects.filter(center=center_b)}


def png(name="photo.png", colour="green", size=(12, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_an_image(name="photo.png"):
    return SimpleUploadedFile(name, b"%PDF-1.4 not a picture", content_type="image/png")


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_activity(center, category, *, date=TODAY, title="学习党的二十届四中全会精神", **kw):
    data = {"participants": (), "other_participants": 10, **kw}
    return activity_save(
        actor=None, center=center, category=category, date=date, title=title, **data
    )


def make_survey(actor, center, *, questions=True, **kw):
    data = {
        "title": "新冠疫苗接种情况摸排",
        "deadline": TODAY + dt.timedelta(days=7),
        **kw,
    }
    survey = survey_create(actor=actor, center=center, **data)
    if questions:
        question_add(actor=actor, survey=survey, text="是否已接种", kind="yes_no")
        question_add(
            actor=actor,
            survey=survey,
            text="接种剂次",
            kind="choice",
            choices=["1 剂", "2 剂", "3 剂"],
            required=False,
        )
        question_add(actor=actor, survey=survey, text="年龄", kind="number", required=False)
    return survey


def make_vendor(center, name="某保安服务公司", staff=("保安甲", "保安乙"), **kw):
    vendor = Vendor.objects.create(center=center, name=name, kind="security", **kw)
    for n in staff:
        VendorStaff.objects.create(vendor=vendor, name=n, post="门岗", phone="13700001111")
    return vendor
