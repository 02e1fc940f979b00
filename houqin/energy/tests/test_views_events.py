# ruff: noqa: F811  (fixtures imported from fixtures_outreach are used as parameters)
"""Publicity-event pages: create/edit an event, activities within the event's dates (outside
→ 422 and nothing written), the photo gallery (upload validated, served only through the
access-checked view, delete), the list with filters, photo counts and xlsx export, scoping
(center B → 404), permissions (staff 403; center admin reads only), constant queries."""

import datetime as dt

import pytest
from django.urls import reverse

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import EventActivity, EventPhoto, PublicityEvent
from houqin.energy.services.events import activity_add, photo_add

from .fixtures_outreach import (  # noqa: F401  (fixtures)
    clock,
    count_queries,
    make_event,
    media,
    not_an_image,
    png,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "media")]


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


EVENT = {
    "kind": "week",
    "title": "2026 年节能宣传周",
    "start_date": "2026-06-15",
    "end_date": "2026-06-21",
    "place": "区行政中心广场",
    "organizer": "区机关事务服务中心",
    "participants": "320",
    "summary": "发放宣传册 500 份",
}


@pytest.fixture
def manager(client, energy_a):
    client.force_login(energy_a)
    return energy_a


def test_manager_creates_and_edits_an_event(client, manager, center_a):
    assert client.get(url("event_create")).status_code == 200
    response = client.post(url("event_create"), EVENT)
    event = PublicityEvent.objects.get()
    assert response.status_code == 302 and response.url == url("event_detail", event.pk)
    assert event.center == center_a and event.participants == 320
    page = client.get(response.url).content.decode()
    assert "2026 年节能宣传周" in page and "2026-06-15 至 2026-06-21" in page
    assert "320 人" in page and "发放宣传册 500 份" in page and "暂无照片" in page

    page = client.get(url("event_edit", event.pk)).content.decode()
    assert 'value="2026-06-15"' in page
    response = client.post(url("event_edit", event.pk), {**EVENT, "kind": "low_carbon"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.kind == "low_carbon"


def test_event_form_errors(client, manager):
    response = client.post(url("event_create"), {**EVENT, "end_date": "2026-06-14"})
    assert response.status_code == 422
    assert "结束日期不能早于开始日期。" in response.content.decode()
    response = client.post(url("event_create"), {**EVENT, "title": "", "kind": ""})
    page = response.content.decode()
    assert response.status_code == 422 and "请填写活动名称。" in page and "请选择类型。" in page
    assert not PublicityEvent.objects.exists()


def test_activities_within_the_event_dates(client, manager, center_a):
    event = make_event(center_a)
    data = {
        "date": "2026-06-22",
        "title": "节能知识竞赛",
        "description": "",
        "participants": "60",
    }
    response = client.post(url("activity_create", event.pk), data)
    assert response.status_code == 422
    assert "日期应在活动期间（2026-06-15 至 2026-06-21）。" in response.content.decode()
    assert not EventActivity.objects.exists()
    response = client.post(url("activity_create", event.pk), {**data, "title": ""})
    assert response.status_code == 422 and "请填写活动内容。" in response.content.decode()
    assert not EventActivity.objects.exists()

    response = client.post(url("activity_create", event.pk), {**data, "date": "2026-06-21"})
    assert response.status_code == 302 and response.url == url("event_detail", event.pk)
    activity = EventActivity.objects.get()
    assert activity.participants == 60 and activity.date == dt.date(2026, 6, 21)
    page = client.get(response.url).content.decode()
    assert "节能知识竞赛" in page and "60 人" in page and "共 1 项" in page
    assert client.get(url("activity_create", event.pk)).status_code == 405


def test_photo_upload_gallery_serve_and_delete(client, manager, center_a, energy_b, media):
    event = make_event(center_a)
    response = client.post(
        url("photo_upload", event.pk), {"image": not_an_image(), "caption": "现场"}
    )
    assert response.status_code == 422
    assert "不是有效的图片文件" in response.content.decode()
    assert not EventPhoto.objects.exists()

    response = client.post(url("photo_upload", event.pk), {"image": png(), "caption": "启动仪式"})
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    assert photo.uploaded_by == manager and photo.image.name.startswith("energy/events/")
    page = client.get(url("event_detail", event.pk)).content.decode()
    photo_url = url("event_photo", photo.pk)
    assert f'src="{photo_url}"' in page and "启动仪式" in page and "共 1 张" in page
    assert "/media/" not in page
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    client.force_login(energy_b)
    assert client.get(photo_url).status_code == 404
    assert client.post(url("photo_delete", photo.pk)).status_code == 404
    assert EventPhoto.objects.exists()

    client.force_login(manager)
    assert client.get(url("photo_delete", photo.pk)).status_code == 405
    path = media / photo.image.name
    assert path.exists()
    response = client.post(url("photo_delete", photo.pk))
    assert response.status_code == 302 and response.url == url("event_detail", event.pk)
    assert not EventPhoto.objects.exists() and not path.exists()


def test_event_list_filters_counts_and_export(client, manager, center_a, center_b):
    week = make_event(center_a, "2026 年节能宣传周")
    make_event(
        center_a,
        "2025 年全国低碳日",
        kind="low_carbon",
        start_date=dt.date(2025, 6, 18),
        end_date=dt.date(2025, 6, 18),
    )
    make_event(center_b, "乙区宣传周")
    photo_add(actor=None, event=week, image=png("a.png"))
    photo_add(actor=None, event=week, image=png("b.png"))

    page = client.get(url("event_list")).content.decode()
    assert "2026 年节能宣传周" in page and "2025 年全国低碳日" in page and "乙区宣传周" not in page
    row = page[page.index("2026 年节能宣传周") :]
    row = row[: row.index("</tr>")]
    assert "2 张" in row and "300 人" in row and "2026-06-15 至 2026-06-21" in row
    assert "2025-06-18" in page
    page = client.get(url("event_list"), {"kind": "low_carbon"}).content.decode()
    assert "2025 年全国低碳日" in page and "2026 年节能宣传周" not in page
    page = client.get(url("event_list"), {"year": "2026"}).content.decode()
    assert "2026 年节能宣传周" in page and "2025 年全国低碳日" not in page
    response = client.get(url("event_list"), {"year": "2026"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()

    response = client.get(url("event_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT).detail["rows"] == 2


def test_other_center_gets_404(client, energy_a, energy_b, center_a):
    event = make_event(center_a, "甲区宣传周")
    photo = photo_add(actor=None, event=event, image=png())
    client.force_login(energy_b)
    assert "甲区宣传周" not in client.get(url("event_list")).content.decode()
    assert client.get(url("event_detail", event.pk)).status_code == 404
    assert client.get(url("event_edit", event.pk)).status_code == 404
    assert client.post(url("event_edit", event.pk), EVENT).status_code == 404
    data = {"date": "2026-06-16", "title": "x"}
    assert client.post(url("activity_create", event.pk), data).status_code == 404
    data = {"image": png()}
    assert client.post(url("photo_upload", event.pk), data).status_code == 404
    assert client.get(url("event_photo", photo.pk)).status_code == 404
    assert client.post(url("photo_delete", photo.pk)).status_code == 404
    event.refresh_from_db()
    assert event.title == "甲区宣传周"
    assert not EventActivity.objects.exists() and EventPhoto.objects.count() == 1


def test_staff_403_and_center_admin_reads_only(client, staff_x, admin_a, center_a):
    event = make_event(center_a)
    photo = photo_add(actor=None, event=event, image=png())
    client.force_login(staff_x)
    for name, args in [
        ("event_list", ()),
        ("event_create", ()),
        ("event_detail", (event.pk,)),
        ("event_edit", (event.pk,)),
        ("event_photo", (photo.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    assert client.post(url("photo_delete", photo.pk)).status_code == 403

    client.force_login(admin_a)
    page = client.get(url("event_detail", event.pk)).content.decode()
    assert url("event_edit", event.pk) not in page
    assert url("activity_create", event.pk) not in page
    assert url("photo_upload", event.pk) not in page
    assert url("photo_delete", photo.pk) not in page
    assert client.get(url("event_photo", photo.pk)).status_code == 200
    assert client.post(url("photo_upload", event.pk), {"image": png()}).status_code == 403
    assert client.post(url("photo_delete", photo.pk)).status_code == 403
    data = {"date": "2026-06-16", "title": "x"}
    assert client.post(url("activity_create", event.pk), data).status_code == 403
    assert EventPhoto.objects.count() == 1 and not EventActivity.objects.exists()


def test_queries_do_not_grow_with_rows(client, manager, center_a):
    def fill(start, stop):
        for i in range(start, stop):
            event = make_event(center_a, f"活动{i}")
            photo_add(actor=None, event=event, image=png())

    fill(0, 2)
    event = PublicityEvent.objects.get(title="活动0")
    few = [
        count_queries(client, url("event_list")),
        count_queries(client, url("event_detail", event.pk)),
    ]
    fill(2, 20)
    for i in range(20):
        activity_add(actor=None, event=event, date=dt.date(2026, 6, 16), title=f"项目{i}")
        photo_add(actor=None, event=event, image=png())
    assert [
        count_queries(client, url("event_list")),
        count_queries(client, url("event_detail", event.pk)),
    ] == few
