"""Pages of the fire equipment and cameras registers: happy paths, errors shown with 422 and
nothing written, permissions (guard checks, staff 403, center B 404), constant queries,
escaping, the xlsx export (audited)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.security.models import Camera, FireEquipment, FireEquipmentCheck
from houqin.security.services import equipment as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def piece(center, code="MHQ-001", **kw):
    fields = {
        "kind": "extinguisher_abc",
        "location": "主楼1楼",
        "produced_on": TODAY - dt.timedelta(days=400),
        "expires_on": TODAY + dt.timedelta(days=300),
    }
    return FireEquipment.objects.create(center=center, code=code, **{**fields, **kw})


def form(**kw):
    data = {
        "code": "MHQ-009",
        "kind": "extinguisher_abc",
        "location": "主楼2楼",
        "model": "MFZ/ABC4",
        "quantity": "1",
        "produced_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=1800)).isoformat(),
        "status": "in_service",
        "notes": "",
    }
    return {**data, **kw}


def test_manager_registers_edits_and_replaces(client, manager_a, center_a):
    client.force_login(manager_a)
    response = client.post(reverse("security:equipment_create"), form())
    created = FireEquipment.objects.get(code="MHQ-009")
    assert response.status_code == 302
    assert response.url == reverse("security:equipment_detail", args=[created.pk])
    response = client.post(
        reverse("security:equipment_edit", args=[created.pk]), form(location="主楼3楼")
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.location == "主楼3楼"
    page = client.get(reverse("security:equipment_replace", args=[created.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("security:equipment_replace", args=[created.pk]),
        {"status": "replaced", "on": TODAY.isoformat(), "new_code": "MHQ-010"},
    )
    new = FireEquipment.objects.get(code="MHQ-010")
    assert response.url == reverse("security:equipment_detail", args=[new.pk])
    created.refresh_from_db()
    assert created.status == "replaced"


def test_bad_input_is_shown_with_422_and_nothing_written(client, manager_a, center_a):
    piece(center_a)
    client.force_login(manager_a)
    response = client.post(reverse("security:equipment_create"), form(code="mhq-001"))
    assert response.status_code == 422
    assert "本中心已有编号为 MHQ-001 的器材" in response.content.decode()
    response = client.post(
        reverse("security:equipment_create"),
        form(expires_on=(TODAY - dt.timedelta(days=60)).isoformat()),
    )
    assert response.status_code == 422
    assert "有效期至必须晚于生产日期" in response.content.decode()
    assert FireEquipment.objects.count() == 1


def test_a_guard_checks_from_the_detail_page(client, guard_a, center_a):
    item = piece(center_a)
    client.force_login(guard_a)
    page = client.get(reverse("security:equipment_detail", args=[item.pk]))
    assert page.status_code == 200
    assert reverse("security:equipment_check", args=[item.pk]) in page.content.decode()
    assert reverse("security:equipment_edit", args=[item.pk]) not in page.content.decode()
    url = reverse("security:equipment_check", args=[item.pk])
    response = client.post(url, {"checked_on": TODAY.isoformat(), "is_ok": "0", "note": ""})
    assert response.status_code == 422
    assert "请填写问题说明" in response.content.decode()
    assert not FireEquipmentCheck.objects.exists()
    response = client.post(
        url, {"checked_on": TODAY.isoformat(), "is_ok": "0", "note": "<b>压力不足</b>"}
    )
    assert response.status_code == 302
    page = client.get(reverse("security:equipment_detail", args=[item.pk])).content.decode()
    assert "&lt;b&gt;压力不足&lt;/b&gt;" in page and "<b>压力不足" not in page
    assert client.get(url).status_code == 405
    for name in ("equipment_create", "camera_list"):
        assert client.get(reverse(f"security:{name}")).status_code == 403
    assert client.get(reverse("security:equipment_edit", args=[item.pk])).status_code == 403


def test_staff_is_refused_and_center_b_gets_404(client, staff_x, manager_b, center_a):
    item = piece(center_a)
    camera = Camera.objects.create(center=center_a, code="JK-1", location="东门")
    client.force_login(staff_x)
    assert client.get(reverse("security:equipment_list")).status_code == 403
    assert client.get(reverse("security:equipment_detail", args=[item.pk])).status_code == 403
    client.force_login(manager_b)
    for name, pk in (
        ("equipment_detail", item.pk),
        ("equipment_edit", item.pk),
        ("equipment_replace", item.pk),
        ("camera_edit", camera.pk),
    ):
        assert client.get(reverse(f"security:{name}", args=[pk])).status_code == 404
    url = reverse("security:equipment_check", args=[item.pk])
    assert client.post(url, {"checked_on": TODAY.isoformat(), "is_ok": "1"}).status_code == 404
    listing = client.get(reverse("security:equipment_list")).content.decode()
    assert "MHQ-001" not in listing


def test_list_filters_and_constant_queries(client, manager_a, center_a):
    piece(center_a, "OLD-1", expires_on=TODAY - dt.timedelta(days=1))
    piece(center_a, "SOON-1", expires_on=TODAY + dt.timedelta(days=10), last_checked_on=TODAY)
    piece(center_a, "FINE-1", last_checked_on=TODAY, location="<script>x</script>")
    client.force_login(manager_a)
    url = reverse("security:equipment_list")

    def codes(**query):
        html = client.get(url, query).content.decode()
        return {c for c in ("OLD-1", "SOON-1", "FINE-1") if c in html}

    assert codes() == {"OLD-1", "SOON-1", "FINE-1"}
    assert codes(expiry="expired") == {"OLD-1"}
    assert codes(expiry="soon") == {"SOON-1"}
    assert codes(expiry="due") == {"OLD-1", "SOON-1"}
    assert codes(expiry="unchecked") == {"OLD-1"}
    assert codes(location="script") == {"FINE-1"}
    html = client.get(url).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        piece(center_a, f"MORE-{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_export_is_audited(client, manager_a, center_a):
    piece(center_a, notes="=HYPERLINK()")
    client.force_login(manager_a)
    response = client.get(reverse("security:equipment_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][0] == "MHQ-001" and rows[1][-1] == "=HYPERLINK()"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "security.FireEquipment" and event.detail["rows"] == 1
    response = client.get(reverse("security:camera_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 2


def test_cameras_pages(client, manager_a, center_a, admin_a):
    client.force_login(manager_a)
    data = {"code": "JK-01", "location": "东门", "status": "retired", "retired_on": ""}
    response = client.post(reverse("security:camera_create"), data)
    assert response.status_code == 422
    assert "请填写拆除/更换日期" in response.content.decode()
    response = client.post(reverse("security:camera_create"), {**data, "status": "in_service"})
    assert response.status_code == 302
    camera = Camera.objects.get(code="JK-01")
    response = client.post(
        reverse("security:camera_edit", args=[camera.pk]),
        {**data, "status": "faulty", "notes": "夜视失效"},
    )
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.status == "faulty"
    listing = client.get(reverse("security:camera_list"), {"status": "faulty"})
    assert "JK-01" in listing.content.decode()
    assert reverse("security:camera_edit", args=[camera.pk]) in listing.content.decode()
    # A center admin reads the register but does not edit it.
    client.force_login(admin_a)
    listing = client.get(reverse("security:camera_list")).content.decode()
    assert "JK-01" in listing and reverse("security:camera_edit", args=[camera.pk]) not in listing
    assert client.get(reverse("security:camera_create")).status_code == 403

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("security:camera_list"))
    for i in range(15):
        services.camera_create(
            actor=manager_a, center=center_a, code=f"JK-{i + 10}", location="院内"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("security:camera_list"))
    assert len(many) == len(few)
