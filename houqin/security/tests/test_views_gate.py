"""The guard's gate pages: register → pass (QR), refused and escort visits, screening, the host
people select (htmx), arrival of an invited visitor, exit, the pass scan; permissions (staff
403, another center 404) and escaping."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.core.notifications.models import Notification
from houqin.org.tests.factories import PersonFactory
from houqin.security.models import Gate, Visit, WatchEntry
from houqin.security.services import visits as services

from .fixtures_gate import (  # noqa: F401 - fixtures
    ID_OK,
    ID_X,
    NOW,
    host_fixture,
    invite,
    register,
    screening_gate_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def url(name, *args):
    return reverse(f"security:{name}", args=args)


def form(gate, agency, **extra):
    data = {
        "gate": gate.pk,
        "name": "张三",
        "id_type": "resident",
        "id_number": ID_OK,
        "phone": "13800001111",
        "company": "某某建设公司",
        "party_size": "2",
        "host_agency": agency.pk,
        "host_person": "",
        "purpose": "洽谈工程",
        "plate": "",
    }
    data.update(extra)
    return data


def test_gate_page_for_the_guard(client, guard_a, gate_a, host):
    expected = invite(host, name="预约客")
    inside = register(guard_a, gate_a, host.person.agency, name="在访客")
    client.force_login(guard_a)
    response = client.get(url("gate"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "预约客" in page and url("visit_arrive", expected.pk) in page
    assert "在访客" in page and url("visit_exit", inside.pk) in page
    assert client.session["security_gate_id"] == gate_a.pk
    assert ID_OK not in page


def test_staff_and_other_roles_get_403(client, staff_x, gate_a):
    client.force_login(staff_x)
    assert client.get(url("gate")).status_code == 403
    assert client.post(url("visit_register"), {}).status_code == 403


def test_register_shows_the_pass_with_a_qr_code(client, guard_a, gate_a, agency_x, host):
    client.force_login(guard_a)
    response = client.post(
        url("visit_register"), form(gate_a, agency_x, host_person=host.person.pk, plate="桂A12345")
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == url("visit_pass", visit.pk)
    assert visit.status == Visit.Status.IN and visit.party_size == 2
    assert visit.host_person == host.person and visit.registered_by == guard_a
    page = client.get(response.url).content.decode()
    assert "张三" in page and "甲区财政局" in page and "财政局小李" in page
    assert "<svg" in page and 'class="security-qr"' in page and "data-hq-print" in page
    assert "共 2 人" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert ID_OK not in page
    assert Notification.objects.filter(recipient=host, kind="security.visitor_arrived").exists()


def test_register_bad_input_rerenders_with_chinese_errors(client, guard_a, gate_a, agency_x):
    client.force_login(guard_a)
    bad_id = ID_OK[:-1] + ("0" if ID_OK[-1] != "0" else "1")
    response = client.post(url("visit_register"), form(gate_a, agency_x, id_number=bad_id))
    assert response.status_code == 422
    assert "身份证号校验位不正确" in response.content.decode()
    response = client.post(url("visit_register"), form(gate_a, agency_x, name="", purpose=""))
    assert response.status_code == 422
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(url("visit_register"), form(gate_a, agency_x, plate="XYZ"))
    assert "车牌号格式不正确" in response.content.decode()
    assert not Visit.objects.exists()


def test_blocked_visitor_is_refused_and_recorded(client, guard_a, manager_a, gate_a, agency_x):
    services.watch_entry_save(
        actor=manager_a,
        center=manager_a.center,
        name="王五",
        level=WatchEntry.Level.BLOCKED,
        reason="多次滋事",
        id_type="resident",
        id_number=ID_X,
    )
    client.force_login(guard_a)
    response = client.post(
        url("visit_register"), form(gate_a, agency_x, id_number=ID_X), follow=True
    )
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.REFUSED
    page = response.content.decode()
    assert "data-refused" in page and "拒绝入内" in page and "多次滋事" in page
    assert "<svg" not in page
    assert Notification.objects.filter(recipient=manager_a, kind="security.watch_hit").exists()


def test_escort_visitor_gets_a_warning(client, guard_a, manager_a, gate_a, agency_x):
    services.watch_entry_save(
        actor=manager_a, center=manager_a.center, name="张三", level="escort", reason="需陪同"
    )
    client.force_login(guard_a)
    response = client.post(url("visit_register"), form(gate_a, agency_x, id_number=""), follow=True)
    assert Visit.objects.get().needs_escort
    assert "data-escort" in response.content.decode()


def test_screening_per_entry(client, guard_a, screening_gate, agency_x):
    client.force_login(guard_a)
    page = client.get(url("gate"), {"gate": screening_gate.pk}).content.decode()
    assert "体温正常" in page and 'name="check_c1"' in page
    assert client.session["security_gate_id"] == screening_gate.pk
    response = client.post(url("visit_register"), form(screening_gate, agency_x, check_c1="1"))
    assert response.status_code == 422 and "请完成查验：无可疑物品" in response.content.decode()
    assert not Visit.objects.exists()
    client.post(url("visit_register"), form(screening_gate, agency_x, check_c1="1", check_c2="0"))
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.REFUSED and visit.screening == {"c1": True, "c2": False}


def test_host_people_partial_lists_the_agencys_active_people(
    client, guard_a, gate_a, agency_x, agency_y, person_y, host
):
    PersonFactory(
        agency=agency_y, name="已调离", status="transferred", status_date=dt.date(2025, 1, 1)
    )
    client.force_login(guard_a)
    response = client.get(
        url("gate"), {"part": "host", "host_agency": agency_y.pk}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "教育局职工" in page and "财政局小李" not in page and "已调离" not in page


def test_invited_visitor_arrives_then_leaves(client, guard_a, gate_a, host):
    visit = invite(host)
    client.force_login(guard_a)
    client.get(url("gate"))
    response = client.post(url("visit_arrive", visit.pk), {"gate": gate_a.pk})
    assert response.status_code == 302 and response.url == url("visit_pass", visit.pk)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.IN and visit.gate == gate_a
    assert Notification.objects.filter(recipient=host, kind="security.visitor_arrived").exists()
    response = client.post(url("visit_exit", visit.pk), {"next": url("gate")})
    assert response.status_code == 302 and response.url == url("gate")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.OUT and visit.exited_at == NOW
    # Twice: a message, nothing changes.
    response = client.post(url("visit_exit", visit.pk), follow=True)
    assert "不在访" in response.content.decode()
    # An outside next is ignored.
    response = client.post(url("visit_exit", visit.pk), {"next": "https://evil.example/"})
    assert response.url == url("gate")


def test_arrival_with_screening_uses_a_form(client, guard_a, screening_gate, host):
    visit = invite(host)
    client.force_login(guard_a)
    client.get(url("gate"), {"gate": screening_gate.pk})
    page = client.get(url("visit_arrive", visit.pk)).content.decode()
    assert "体温正常" in page
    response = client.post(url("visit_arrive", visit.pk), {"gate": screening_gate.pk})
    assert response.status_code == 422
    response = client.post(
        url("visit_arrive", visit.pk), {"gate": screening_gate.pk, "check_c1": "1", "check_c2": "1"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.IN


def test_pass_scan_opens_the_visit(client, guard_a, gate_a, agency_x):
    visit = register(guard_a, gate_a, agency_x)
    client.force_login(guard_a)
    response = client.get(url("visit_by_pass", visit.pass_code))
    assert response.status_code == 302 and response.url == url("visit_detail", visit.pk)
    page = client.get(response.url).content.decode()
    assert url("visit_exit", visit.pk) in page
    # A USB scanner types the whole URL into the lookup box.
    scanned = f"http://testserver{url('visit_by_pass', visit.pass_code)}"
    response = client.get(url("gate"), {"code": scanned})
    assert response.url == url("visit_by_pass", visit.pass_code)
    assert client.get(url("visit_by_pass", "nope")).status_code == 404


def test_guard_of_center_b_sees_nothing_of_a(client, guard_a, guard_b, gate_a, gate_b, host):
    inside = register(guard_a, gate_a, host.person.agency, name="甲区访客")
    expected = invite(host, name="甲区预约")
    client.force_login(guard_b)
    page = client.get(url("gate")).content.decode()
    assert "甲区访客" not in page and "甲区预约" not in page and "东门" not in page
    assert client.get(url("visit_pass", inside.pk)).status_code == 404
    assert client.get(url("visit_by_pass", inside.pass_code)).status_code == 404
    assert client.post(url("visit_exit", inside.pk)).status_code == 404
    assert client.post(url("visit_arrive", expected.pk), {"gate": gate_b.pk}).status_code == 404
    # Registering at A's gate or for A's agency fails too.
    response = client.post(url("visit_register"), form(gate_a, host.person.agency))
    assert response.status_code == 422
    assert not Visit.objects.filter(center=gate_b.center).exists()
    inside.refresh_from_db()
    assert inside.status == Visit.Status.IN


def test_names_are_escaped(client, guard_a, gate_a, agency_x):
    register(guard_a, gate_a, agency_x, name="<script>x</script>", id_number="")
    client.force_login(guard_a)
    page = client.get(url("gate")).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    visit = Visit.objects.get()
    page = client.get(url("visit_pass", visit.pk)).content.decode()
    assert "<script>x</script>" not in page


def test_no_gate_yet(client, guard_a):
    client.force_login(guard_a)
    page = client.get(url("gate")).content.decode()
    assert "尚未设置门岗" in page
    assert not Gate.objects.exists()
