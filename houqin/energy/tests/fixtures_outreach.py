"""Fixtures and helpers of the projects, garbage-sorting and publicity-event tests (imported
explicitly): a fixed clock (Saturday 15 August 2026, 10:00 in Asia/Shanghai), uploads in a
temporary MEDIA_ROOT, small images, and makers of projects, stations, sites and events."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from houqin.core.duties.recurrence import TZ
from houqin.energy.models import ChargingStation, SortingSite
from houqin.energy.services.events import event_save
from houqin.energy.services.projects import project_save, station_save
from houqin.energy.services.sorting import site_save

NOW = dt.datetime(2026, 8, 15, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


def make_project(center, name="新能源汽车充电设施建设", target=16, **kw):
    data = {
        "kind": "charging",
        "year": 2026,
        "target": target,
        "assigned_by": "市公共机构节能中心",
    }
    data.update(kw)
    return project_save(actor=None, center=center, name=name, **data)


def make_station(project, name, status=ChargingStation.Status.PLANNED, **kw):
    data = {
        "site": "区行政中心地下车库",
        "piles": 4,
        "power_kw": Decimal("120.0"),
        "status": status,
    }
    if status in ChargingStation.COMPLETED:
        data["completed_on"] = dt.date(2026, 6, 30)
    data.update(kw)
    return station_save(actor=None, project=project, name=name, **data)


def make_site(center, name="区行政中心", kind=SortingSite.Kind.ORGAN, **kw):
    return site_save(actor=None, center=center, name=name, kind=kind, **kw)


def make_event(center, title="2026 年节能宣传周", **kw):
    data = {
        "kind": "week",
        "start_date": dt.date(2026, 6, 15),
        "end_date": dt.date(2026, 6, 21),
        "place": "区行政中心广场",
        "participants": 300,
    }
    data.update(kw)
    return event_save(actor=None, center=center, title=title, **data)
