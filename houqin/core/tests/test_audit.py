"""Audit log: automatic change records, scoped by center, read-only for everyone."""

import pytest
from django.test import Client
from django.urls import reverse

from houqin.core.models import AuditEvent, AuditLogEntry
from houqin.org import services
from houqin.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_changes_record_actor_ip_and_fields(client, admin_a, staff_x):
    client.force_login(admin_a)
    client.post(
        reverse("org:person_edit", args=[staff_x.person.pk]),
        {
            "name": staff_x.person.name,
            "gender": "M",
            "agency": staff_x.person.agency_id,
            "employment_type": "civil",
            "phone": staff_x.person.phone,
            "position": "科长",
        },
    )
    entry = AuditLogEntry.objects.filter(
        content_type__model="person", action=AuditLogEntry.Action.UPDATE
    ).latest("timestamp")
    assert entry.actor == admin_a and entry.remote_addr == "127.0.0.1"
    assert entry.changes["position"] == ["", "科长"]
    assert entry.center_id == admin_a.center_id


def test_auditor_sees_own_center_only(auditor_a, admin_b, agency_b, center_a):
    services.person_create(
        actor=admin_b, center=agency_b.center, name="乙区人员", gender="M", agency=agency_b
    )
    PersonFactory(agency=auditor_a.person.agency, name="甲区新人")
    client = Client()
    client.force_login(auditor_a)
    html = client.get(reverse("core:audit")).content.decode()
    assert "甲区新人" in html and "乙区人员" not in html


def test_audit_events_tab_and_filters(auditor_a, staff_x):
    Client().post("/login/", {"username": "staff_x", "password": "wrong"})
    client = Client()
    client.force_login(auditor_a)
    html = client.get(reverse("core:audit"), {"tab": "events", "kind": "login_failed"}).content
    assert "staff_x" in html.decode()
    html = client.get(reverse("core:audit"), {"tab": "events", "kind": "logout"}).content
    assert "staff_x" not in html.decode()


@pytest.mark.parametrize("tab", ["changes", "events"])
def test_audit_page_constant_queries(auditor_a, agency_x, tab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(auditor_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:audit"), {"tab": tab}).status_code == 200
        return len(ctx)

    PersonFactory.create_batch(5, agency=agency_x)
    for _ in range(3):
        Client().post("/login/", {"username": "auditor_a", "password": "wrong"})
    few = count()
    PersonFactory.create_batch(60, agency=agency_x)
    for _ in range(30):
        Client().post("/login/", {"username": f"nobody{_}", "password": "wrong"})
    assert count() == few


def test_nobody_can_change_or_delete_audit_entries_through_the_app(admin_a, auditor_a):
    """No URL writes audit records; the Django admin (superusers only) is read-only too."""
    from django.contrib import admin

    from houqin.org.models import User

    entry_admin = admin.site._registry.get(AuditLogEntry)
    event_admin = admin.site._registry.get(AuditEvent)
    root = User(is_superuser=True, is_staff=True, is_active=True)
    request = type("R", (), {"user": root, "resolver_match": None})()
    for model_admin in (entry_admin, event_admin):
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    client = Client()
    client.force_login(auditor_a)
    assert client.post(reverse("core:audit")).status_code in (403, 405)


def test_audit_actions_shown_in_chinese(auditor_a, agency_x):
    PersonFactory(agency=agency_x, name="新来的")
    client = Client()
    client.force_login(auditor_a)
    html = client.get(reverse("core:audit")).content.decode()
    assert "新增" in html and ">create<" not in html
