"""/api/v1/security/: visits (ID number and phone masked, never in full), scoping (center B
404, staff see only their invitations), filters; the fire equipment register (read-only)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from houqin.org.validators import id_check_digit
from houqin.security.models import FireEquipment
from houqin.security.services.visits import visit_invite, visit_register

pytestmark = pytest.mark.django_db
FIRST17 = "45090219850315123"
ID_NUMBER = FIRST17 + id_check_digit(FIRST17)
PHONE = "13912345678"
VISITS = "/api/v1/security/visits/"
EQUIPMENT = "/api/v1/security/equipment/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def walk_in(guard_a, gate_a, agency_x):
    return visit_register(
        actor=guard_a,
        gate=gate_a,
        name="黄志强",
        id_number=ID_NUMBER,
        phone=PHONE,
        host_agency=agency_x,
        purpose="洽谈工程",
    )


def test_visits_are_masked(guard_a, manager_a, walk_in):
    for user in (guard_a, manager_a):
        response = api(user).get(VISITS)
        assert response.status_code == 200
        body = response.content.decode()
        assert ID_NUMBER not in body and PHONE not in body
        row = response.json()["results"][0]
        assert row["visitor"]["name"] == "黄志强"
        assert row["visitor"]["id_number_masked"].startswith("4509")
        assert "*" in row["visitor"]["id_number_masked"]
        assert "*" in row["visitor"]["phone_masked"]
        assert row["status"] == "in" and row["gate"]["name"] == "东门"
        detail = api(user).get(f"{VISITS}{walk_in.pk}/")
        assert detail.status_code == 200
        assert ID_NUMBER not in detail.content.decode()


def test_visit_scoping(walk_in, manager_b, guard_b, staff_x, center_a):
    for user in (manager_b, guard_b):
        assert api(user).get(f"{VISITS}{walk_in.pk}/").status_code == 404
        assert api(user).get(VISITS).json()["count"] == 0
    # Staff see only the visitors they invited.
    assert api(staff_x).get(VISITS).json()["count"] == 0
    assert api(staff_x).get(f"{VISITS}{walk_in.pk}/").status_code == 404
    invited = visit_invite(
        actor=staff_x,
        name="覃美玲",
        expected_at=timezone.now() + dt.timedelta(hours=2),
        purpose="采访",
    )
    rows = api(staff_x).get(VISITS).json()["results"]
    assert [r["id"] for r in rows] == [invited.pk]
    assert APIClient().get(VISITS).status_code in (401, 403)


def test_visit_filters(guard_a, walk_in, staff_x):
    visit_invite(
        actor=staff_x,
        name="覃美玲",
        expected_at=timezone.now() + dt.timedelta(days=3),
        purpose="采访",
    )
    client = api(guard_a)
    assert client.get(VISITS, {"status": "expected"}).json()["count"] == 1
    assert client.get(VISITS, {"status": "in"}).json()["count"] == 1
    today = timezone.localdate().isoformat()
    assert client.get(VISITS, {"date": today}).json()["count"] == 1
    assert client.get(VISITS, {"status": "bogus"}).status_code == 400


def test_equipment_read_only_and_scoped(guard_a, staff_x, manager_b, center_a):
    today = timezone.localdate()
    soon = FireEquipment.objects.create(
        center=center_a,
        code="MHQ-1",
        kind="extinguisher_abc",
        location="主楼",
        expires_on=today + dt.timedelta(days=5),
    )
    FireEquipment.objects.create(
        center=center_a, code="MHQ-2", kind="hydrant", location="主楼", expires_on=None
    )
    response = api(guard_a).get(EQUIPMENT)
    assert response.json()["count"] == 2
    rows = api(guard_a).get(EQUIPMENT, {"expiring": "true"}).json()["results"]
    assert [r["code"] for r in rows] == ["MHQ-1"]
    assert rows[0]["kind_display"] == "干粉灭火器"
    assert api(guard_a).get(EQUIPMENT, {"kind": "hydrant"}).json()["count"] == 1
    assert api(guard_a).post(EQUIPMENT, {"code": "X"}).status_code == 405
    assert api(staff_x).get(EQUIPMENT).status_code == 403
    assert api(manager_b).get(f"{EQUIPMENT}{soon.pk}/").status_code == 404
