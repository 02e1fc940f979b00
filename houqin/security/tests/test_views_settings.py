"""Settings pages (gates with checks, the watch list) for security managers and the daily
screening tally for guards; permissions and bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.security.models import Gate, ScreeningTally, WatchEntry

from .fixtures_gate import ID_X, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def url(name, *args):
    return reverse(f"security:{name}", args=args)


def test_manager_creates_and_edits_a_gate(client, manager_a):
    client.force_login(manager_a)
    assert client.get(url("settings")).status_code == 200
    response = client.post(
        url("gate_create"),
        {
            "name": "北门",
            "checks": "体温正常\r\n出示证件\r\n",
            "screening_per_entry": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    gate = Gate.objects.get()
    assert gate.center == manager_a.center and gate.screening_per_entry
    assert [c["label"] for c in gate.checks] == ["体温正常", "出示证件"]
    page = client.get(url("gate_edit", gate.pk)).content.decode()
    assert "体温正常\n出示证件" in page
    client.post(url("gate_edit", gate.pk), {"name": "北门", "checks": "出示证件"})
    gate.refresh_from_db()
    assert not gate.is_active and gate.checks == [
        {"key": "c2", "label": "出示证件", "type": "bool"}
    ]
    page = client.get(url("settings")).content.decode()
    assert "北门" in page and "停用" in page


def test_gate_bad_input(client, manager_a, gate_a):
    client.force_login(manager_a)
    response = client.post(url("gate_create"), {"name": "东门", "is_active": "on"})
    assert response.status_code == 422 and "已有同名门岗" in response.content.decode()
    response = client.post(url("gate_create"), {"name": "南门", "screening_per_entry": "on"})
    assert response.status_code == 422 and "至少填写一项" in response.content.decode()
    assert Gate.objects.count() == 1


def test_watch_list_stores_only_the_masked_id(client, manager_a):
    client.force_login(manager_a)
    response = client.post(
        url("watch_create"),
        {
            "name": "王五",
            "id_type": "resident",
            "id_number": ID_X,
            "level": "blocked",
            "reason": "多次滋事",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = WatchEntry.objects.get()
    assert entry.id_masked == "1101**********002X" and ID_X not in entry.id_digest
    page = client.get(url("settings")).content.decode()
    assert "王五" in page and "1101**********002X" in page and ID_X not in page
    # Editing without a number keeps the stored digest.
    digest = entry.id_digest
    response = client.post(
        url("watch_edit", entry.pk),
        {"name": "王五", "id_type": "", "id_number": "", "level": "escort", "reason": "改为陪同"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.id_digest == digest and entry.level == "escort" and not entry.is_active


def test_watch_bad_input(client, manager_a):
    client.force_login(manager_a)
    response = client.post(
        url("watch_create"),
        {
            "name": "王五",
            "id_type": "resident",
            "id_number": "123",
            "level": "blocked",
            "reason": "x",
        },
    )
    assert response.status_code == 422 and "18 位" in response.content.decode()
    assert not WatchEntry.objects.exists()


def test_settings_permissions(client, guard_a, staff_x, manager_b, gate_a, manager_a):
    client.force_login(manager_a)
    client.post(url("watch_create"), {"name": "甲", "level": "blocked", "reason": "x"})
    entry = WatchEntry.objects.get()
    for user in (guard_a, staff_x):
        client.force_login(user)
        assert client.get(url("settings")).status_code == 403
        assert client.post(url("gate_create"), {"name": "x"}).status_code == 403
        assert client.get(url("watch_edit", entry.pk)).status_code == 403
    client.force_login(manager_b)
    assert client.get(url("gate_edit", gate_a.pk)).status_code == 404
    assert client.post(url("watch_edit", entry.pk), {"name": "乙"}).status_code == 404
    assert "东门" not in client.get(url("settings")).content.decode()


def test_guard_records_the_daily_tally(client, guard_a, gate_a, staff_x, guard_b):
    client.force_login(guard_a)
    page = client.get(url("tally_add")).content.decode()
    assert "东门" in page
    data = {"gate": gate_a.pk, "date": "2026-03-04", "checked": "120", "abnormal": "1", "note": ""}
    assert client.post(url("tally_add"), data).status_code == 302
    tally = ScreeningTally.objects.get()
    assert tally.checked == 120 and tally.recorded_by == guard_a
    response = client.post(url("tally_add"), data)
    assert response.status_code == 422 and "查验统计已登记" in response.content.decode()
    response = client.post(url("tally_add"), {**data, "date": "2026-03-03", "abnormal": "500"})
    assert response.status_code == 422 and "异常人数不能多于查验人数" in response.content.decode()
    assert ScreeningTally.objects.count() == 1
    client.force_login(staff_x)
    assert client.get(url("tally_add")).status_code == 403
    client.force_login(guard_b)  # A's gate is not a choice for B
    response = client.post(url("tally_add"), {**data, "date": "2026-03-02"})
    assert response.status_code == 422
    assert "东门" not in client.get(url("tally_add")).content.decode()
