"""Invitations (staff phone page), cancel, the visit register with filters and the masked xlsx
export, the detail page and the audited reveal of a full ID number; permissions and query
budgets."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.roles import Role
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security.models import Visit

from .fixtures_gate import (  # noqa: F401 - fixtures
    ID_OK,
    ID_X,
    NOW,
    host_fixture,
    invite,
    register,
    resident_id,
)

pytestmark = pytest.mark.django_db
PHONE = "13800001111"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def url(name, *args):
    return reverse(f"security:{name}", args=args)


# ------------------------------------------------------------------ invite


def test_staff_invites_from_the_phone(client, host):
    client.force_login(host)
    page = client.get(url("invite")).content.decode()
    assert "base" in page or "hq-mobile" in page
    assert "hq-mobile" in page and "您还没有邀请过访客" in page
    response = client.post(
        url("invite"),
        {
            "name": "李四",
            "phone": "13900002222",
            "expected_at": "2026-03-04T15:00",
            "company": "某公司",
            "party_size": "2",
            "purpose": "送交材料",
            "plate": "",
            "id_type": "",
            "id_number": ID_X,
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.EXPECTED and visit.invited_by == host
    assert timezone.localtime(visit.expected_at).hour == 15
    assert visit.visitor.id_number == ID_X
    page = client.get(url("invite")).content.decode()
    assert "李四" in page and "待到访" in page and url("visit_cancel", visit.pk) in page
    assert ID_X not in page


def test_invite_bad_input(client, host):
    client.force_login(host)
    response = client.post(
        url("invite"),
        {"name": "李四", "expected_at": "2026-03-01T09:00", "party_size": "1", "purpose": "x"},
    )
    assert response.status_code == 422
    assert "预计到访时间不能早于现在" in response.content.decode()
    response = client.post(
        url("invite"),
        {
            "name": "李四",
            "expected_at": "2026-03-05T09:00",
            "party_size": "1",
            "purpose": "x",
            "id_number": "123",
        },
    )
    assert response.status_code == 422 and "18 位" in response.content.decode()
    assert not Visit.objects.exists()


def test_cancel_by_the_inviter_only(client, host, staff_x, guard_a):
    visit = invite(host)
    client.force_login(staff_x)  # another member of staff does not even see it
    assert client.post(url("visit_cancel", visit.pk)).status_code == 404
    client.force_login(host)
    assert client.get(url("visit_cancel", visit.pk)).status_code == 405
    response = client.post(url("visit_cancel", visit.pk))
    assert response.status_code == 302 and response.url == url("invite")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    response = client.post(url("visit_cancel", visit.pk), follow=True)
    assert "只能取消尚未到访的预约" in response.content.decode()


# ------------------------------------------------------------------ the register


def _visits(guard, gate, agency, n):
    for i in range(n):
        register(
            guard,
            gate,
            agency,
            name=f"访客{i}",
            id_number=resident_id(f"4501021990010{i:04d}"),
            phone=PHONE,
        )


def test_list_masks_ids_and_phones(client, guard_a, gate_a, agency_x):
    _visits(guard_a, gate_a, agency_x, 2)
    client.force_login(guard_a)
    response = client.get(url("visit_list"))
    page = response.content.decode()
    assert response.status_code == 200 and "访客0" in page and "访客1" in page
    assert PHONE not in page and "138****1111" in page
    for visit in Visit.objects.select_related("visitor"):
        assert visit.visitor.id_number not in page
        assert visit.visitor.masked_id_number in page


def test_list_filters(client, guard_a, gate_a, agency_x, agency_y, host):
    register(guard_a, gate_a, agency_x, name="甲访客", plate="桂A12345")
    register(guard_a, gate_a, agency_y, name="乙访客", id_number="")
    invite(host, name="预约客", expected_at=NOW + dt.timedelta(days=3))
    client.force_login(guard_a)

    def names(**params):
        page = client.get(url("visit_list"), params).content.decode()
        return {n for n in ("甲访客", "乙访客", "预约客") if n in page}

    assert names() == {"甲访客", "乙访客", "预约客"}
    assert names(status="expected") == {"预约客"}
    assert names(host_agency=agency_y.pk) == {"乙访客"}
    assert names(q="a123") == {"甲访客"}
    assert names(q="乙") == {"乙访客"}
    assert names(date_from="2026-03-05") == {"预约客"}
    assert names(date_to="2026-03-04") == {"甲访客", "乙访客"}


def test_export_is_masked_and_audited(client, guard_a, gate_a, agency_x):
    _visits(guard_a, gate_a, agency_x, 3)
    client.force_login(guard_a)
    response = client.get(url("visit_list"), {"status": "in", "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    text = " ".join(cells)
    assert "访客0" in text and "138****1111" in text and PHONE not in text
    for visit in Visit.objects.select_related("visitor"):
        assert visit.visitor.id_number not in text
    assert sheet.max_row == 4
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "security.Visit" and event.detail["rows"] == 3
    assert event.detail["filters"] == {"status": "in"}


def test_list_query_count_is_constant(client, guard_a, gate_a, agency_x, host):
    client.force_login(guard_a)
    _visits(guard_a, gate_a, agency_x, 2)
    client.get(url("visit_list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("visit_list")).status_code == 200
    _visits(guard_a, gate_a, agency_x, 12)
    for i in range(3):
        invite(host, name=f"预约{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("visit_list")).status_code == 200
    assert len(many) == len(few)


def test_list_permissions(client, staff_x, guard_b, guard_a, gate_a, agency_x):
    register(guard_a, gate_a, agency_x, name="甲区访客")
    client.force_login(staff_x)
    assert client.get(url("visit_list")).status_code == 403
    client.force_login(guard_b)
    page = client.get(url("visit_list")).content.decode()
    assert "甲区访客" not in page
    visit = Visit.objects.get()
    assert client.get(url("visit_detail", visit.pk)).status_code == 404


# ------------------------------------------------------------------ detail and reveal


def test_detail_is_masked_and_reveal_is_audited(client, manager_a, guard_a, gate_a, agency_x):
    visit = register(guard_a, gate_a, agency_x, id_number=ID_X, phone=PHONE)
    client.force_login(guard_a)
    page = client.get(url("visit_detail", visit.pk)).content.decode()
    assert ID_X not in page and PHONE not in page and "1101**********002X" in page
    assert url("visit_reveal_id", visit.pk) not in page  # guards may not reveal
    assert client.post(url("visit_reveal_id", visit.pk)).status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SENSITIVE_VIEW).exists()

    client.force_login(manager_a)
    page = client.get(url("visit_detail", visit.pk)).content.decode()
    assert ID_X not in page and url("visit_reveal_id", visit.pk) in page
    assert client.get(url("visit_reveal_id", visit.pk)).status_code == 405
    response = client.post(url("visit_reveal_id", visit.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert ID_X in response.content.decode() and PHONE in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SENSITIVE_VIEW)
    assert event.actor == manager_a and event.detail["visit"] == visit.pk
    assert event.detail["model"] == "security.Visitor"


def test_reveal_other_center_is_404(client, manager_b, guard_a, gate_a, agency_x):
    visit = register(guard_a, gate_a, agency_x)
    client.force_login(manager_b)
    assert client.post(url("visit_reveal_id", visit.pk)).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SENSITIVE_VIEW).exists()


def test_leader_views_but_cannot_change(client, agency_x, guard_a, gate_a):
    leader = make_user(PersonFactory(agency=agency_x, name="领导"), Role.LEADER, username="ld")
    visit = register(guard_a, gate_a, agency_x)
    client.force_login(leader)
    page = client.get(url("visit_detail", visit.pk)).content.decode()
    assert url("visit_exit", visit.pk) not in page
    assert client.post(url("visit_exit", visit.pk)).status_code == 403
    assert client.post(url("visit_reveal_id", visit.pk)).status_code == 403
