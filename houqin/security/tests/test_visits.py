"""Visit services: ID validation, the walk-in register (watch list, escort, screening, the host
told), invitations then arrival, exit, cancel rules, gates and tallies, retention purge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.core.crypto import digest
from houqin.core.notifications.models import Notification
from houqin.security.models import Gate, ScreeningTally, Visit, Visitor, WatchEntry
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
S = Visit.Status


# ------------------------------------------------------------------ ID numbers


def test_clean_id_accepts_valid_resident_numbers_including_x():
    for number in (ID_OK, ID_X, ID_X.lower(), f" {ID_OK} "):
        _id_type, normalised, dig = services.clean_id("resident", number)
        assert normalised == number.strip().upper()
        assert dig == digest(f"resident:{normalised}")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (ID_OK[:-1] + ("0" if ID_OK[-1] != "0" else "1"), "校验位不正确"),
        (ID_OK[:17], "18 位"),
        (ID_OK + "1", "18 位"),
        ("45010219900101123A", "18 位"),
    ],
)
def test_clean_id_rejects_bad_resident_numbers(number, message):
    with pytest.raises(ValidationError) as exc:
        services.clean_id("resident", number)
    assert message in exc.value.message_dict["id_number"][0]


def test_clean_id_passport_format():
    assert services.clean_id("passport", "e12345678")[1] == "E12345678"
    for bad in ("E1-234567", "E12", "护照12345"):
        with pytest.raises(ValidationError) as exc:
            services.clean_id("passport", bad)
        assert "5—30 位字母或数字" in exc.value.message_dict["id_number"][0]
    with pytest.raises(ValidationError) as exc:
        services.clean_id("nonsense", "E12345678")
    assert "id_type" in exc.value.message_dict
    assert services.clean_id("resident", "  ") == ("resident", "", "")


def test_id_number_is_stored_encrypted_and_found_again_by_digest(guard_a, gate_a, agency_x):
    first = register(guard_a, gate_a, agency_x)
    second = register(guard_a, gate_a, agency_x, name="张三", phone="")
    assert first.visitor_id == second.visitor_id
    visitor = Visitor.objects.get()
    assert visitor.id_number == ID_OK and visitor.phone == "13800001111"
    assert visitor.masked_id_number == ID_OK[:4] + "*" * 10 + ID_OK[-4:]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM security_visitor")
        raw = cursor.fetchone()[0]
    assert ID_OK not in raw


# ------------------------------------------------------------------ register at the gate


def test_register_lets_the_visitor_in_and_tells_the_host(guard_a, gate_a, agency_x, host):
    visit = register(guard_a, gate_a, agency_x, host_person=host.person, plate="桂a 12345")
    assert visit.status == S.IN and visit.entered_at == NOW
    assert visit.gate == gate_a and visit.registered_by == guard_a and visit.plate == "桂A12345"
    assert not visit.needs_escort
    note = Notification.objects.get(recipient=host)
    assert note.kind == "security.visitor_arrived" and "张三" in note.title


def test_register_bad_input_writes_nothing(guard_a, gate_a, agency_x, agency_b, person_y):
    cases = [
        ({"name": " "}, "name", "请填写姓名"),
        ({"id_number": "123"}, "id_number", "18 位"),
        ({"phone": "12345"}, "phone", "手机号码格式不正确"),
        ({"party_size": 0}, "party_size", "1—200"),
        ({"purpose": ""}, "purpose", "请填写事由"),
        ({"plate": "ABC"}, "plate", "车牌号格式不正确"),
        ({"host_agency": agency_b}, "host_agency", "请选择被访单位"),
        ({"host_person": person_y}, "host_person", "被访人不在所选单位"),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            register(guard_a, gate_a, kwargs.pop("host_agency", agency_x), **kwargs)
        assert message in exc.value.message_dict[field][0], field
    assert not Visit.objects.exists() and not Visitor.objects.exists()


def test_register_needs_the_permission_in_the_gates_center(staff_x, guard_b, gate_a, agency_x):
    for actor in (staff_x, guard_b):
        with pytest.raises(PermissionDenied):
            register(actor, gate_a, agency_x)
    assert not Visit.objects.exists()


def test_watch_list_blocked_refuses_and_tells_the_managers(
    guard_a, manager_a, manager_b, gate_a, agency_x, center_a
):
    services.watch_entry_save(
        actor=manager_a,
        center=center_a,
        name="王五",
        level=WatchEntry.Level.BLOCKED,
        reason="多次滋事",
        id_type="resident",
        id_number=ID_X,
    )
    entry = WatchEntry.objects.get()
    assert entry.id_masked == "1101**********002X" and entry.id_digest
    # Matched by ID, whatever name is given.
    visit = register(guard_a, gate_a, agency_x, name="王小五", id_number=ID_X)
    assert visit.pk and visit.status == S.REFUSED and visit.entered_at is None
    assert "多次滋事" in visit.note
    notes = Notification.objects.filter(kind="security.watch_hit")
    assert [n.recipient for n in notes] == [manager_a]
    assert notes[0].url == f"/security/visits/{visit.pk}/"


def test_watch_list_by_name_when_the_entry_has_no_id(guard_a, manager_a, gate_a, agency_x):
    services.watch_entry_save(
        actor=manager_a, center=manager_a.center, name="赵六", level="escort", reason="需核实"
    )
    visit = register(guard_a, gate_a, agency_x, name="赵六", id_number="")
    assert visit.status == S.IN and visit.needs_escort
    assert Notification.objects.filter(kind="security.watch_hit", recipient=manager_a).exists()
    # An inactive entry no longer matches.
    entry = WatchEntry.objects.get()
    services.watch_entry_save(
        actor=manager_a,
        center=manager_a.center,
        entry=entry,
        name="赵六",
        level="escort",
        reason="需核实",
        is_active=False,
    )
    later = register(guard_a, gate_a, agency_x, name="赵六", id_number="")
    assert later.status == S.IN and not later.needs_escort


def test_watch_entry_rules(manager_a, guard_a, center_a, center_b):
    with pytest.raises(ValidationError) as exc:
        services.watch_entry_save(
            actor=manager_a, center=center_a, name="", level="x", reason="", id_number="1"
        )
    assert "name" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.watch_entry_save(
            actor=guard_a, center=center_a, name="甲", level="blocked", reason="原因"
        )
    with pytest.raises(PermissionDenied):
        services.watch_entry_save(
            actor=manager_a, center=center_b, name="甲", level="blocked", reason="原因"
        )
    assert not WatchEntry.objects.exists()


def test_screening_failure_refuses(guard_a, screening_gate, agency_x, host):
    with pytest.raises(ValidationError) as exc:
        register(guard_a, screening_gate, agency_x, screening={"c1": True})
    assert "无可疑物品" in exc.value.message_dict["screening"][0]
    assert not Visit.objects.exists()
    visit = register(
        guard_a,
        screening_gate,
        agency_x,
        host_person=host.person,
        screening={"c1": False, "c2": True},
    )
    assert visit.status == S.REFUSED and visit.note == "入口查验未通过"
    assert visit.screening == {"c1": False, "c2": True}
    assert not Notification.objects.filter(recipient=host).exists()
    ok = register(guard_a, screening_gate, agency_x, screening={"c1": True, "c2": True})
    assert ok.status == S.IN


# ------------------------------------------------------------------ invitations


def test_invitation_then_arrival_tells_the_host(host, guard_a, gate_a):
    visit = invite(host, id_number=ID_X, company="某公司", party_size=3)
    assert visit.status == S.EXPECTED and visit.invited_by == host
    assert visit.host_person == host.person and visit.host_agency == host.person.agency
    visit = services.visit_arrive(actor=guard_a, visit=visit, gate=gate_a, now=NOW)
    assert visit.status == S.IN and visit.entered_at == NOW and visit.registered_by == guard_a
    note = Notification.objects.get(recipient=host, kind="security.visitor_arrived")
    assert "3 人" in note.title and note.url == "/security/invite/"
    with pytest.raises(ValidationError):
        services.visit_arrive(actor=guard_a, visit=visit, gate=gate_a, now=NOW)


def test_invite_rules(host, agency_x):
    with pytest.raises(ValidationError) as exc:
        invite(host, expected_at=NOW - dt.timedelta(hours=3))
    assert "不能早于现在" in exc.value.message_dict["expected_at"][0]
    with pytest.raises(ValidationError) as exc:
        invite(host, expected_at=NOW + dt.timedelta(days=61))
    assert "60 天" in exc.value.message_dict["expected_at"][0]
    with pytest.raises(ValidationError):
        invite(host, id_number="123456")
    assert not Visit.objects.exists()


def test_arrival_at_another_centers_gate_is_refused(host, guard_a, gate_b):
    visit = invite(host)
    with pytest.raises(ValidationError):
        services.visit_arrive(actor=guard_a, visit=visit, gate=gate_b, now=NOW)
    visit.refresh_from_db()
    assert visit.status == S.EXPECTED


def test_exit(guard_a, gate_a, agency_x):
    visit = register(guard_a, gate_a, agency_x)
    visit = services.visit_exit(actor=guard_a, visit=visit, now=NOW + dt.timedelta(hours=1))
    assert visit.status == S.OUT and visit.exited_at == NOW + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_exit(actor=guard_a, visit=visit)
    assert "不在访" in exc.value.messages[0]


def test_cancel_rules(host, staff_x, guard_a, gate_a):
    visit = invite(host)
    with pytest.raises(PermissionDenied):
        services.visit_cancel(actor=staff_x, visit=visit)
    services.visit_cancel(actor=host, visit=visit)
    visit.refresh_from_db()
    assert visit.status == S.CANCELLED
    with pytest.raises(ValidationError):
        services.visit_cancel(actor=host, visit=visit)
    arrived = invite(host)
    services.visit_arrive(actor=guard_a, visit=arrived, gate=gate_a, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.visit_cancel(actor=host, visit=arrived)
    assert "尚未到访" in exc.value.messages[0]


# ------------------------------------------------------------------ gates and tallies


def test_gate_save_generates_and_keeps_check_keys(manager_a, center_a, guard_a):
    gate = services.gate_save(
        actor=manager_a,
        center=center_a,
        name=" 北门 ",
        checks=["体温正常", "", "出示证件", "体温正常"],
        screening_per_entry=True,
    )
    assert gate.name == "北门"
    assert gate.checks == [
        {"key": "c1", "label": "体温正常", "type": "bool"},
        {"key": "c2", "label": "出示证件", "type": "bool"},
    ]
    gate = services.gate_save(
        actor=manager_a, center=center_a, gate=gate, name="北门", checks=["出示证件", "行李检查"]
    )
    # A kept label keeps its key (past answers still read); a new one never reuses a key.
    assert [(c["key"], c["label"]) for c in gate.checks] == [("c2", "出示证件"), ("c3", "行李检查")]
    with pytest.raises(ValidationError) as exc:
        services.gate_save(actor=manager_a, center=center_a, name="北门")
    assert "同名" in exc.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as exc:
        services.gate_save(actor=manager_a, center=center_a, name="南门", screening_per_entry=True)
    assert "至少填写一项" in exc.value.message_dict["checks"][0]
    with pytest.raises(PermissionDenied):
        services.gate_save(actor=guard_a, center=center_a, name="南门")
    assert Gate.objects.count() == 1


def test_tally_once_per_gate_and_day(guard_a, gate_a, guard_b):
    day = NOW.date()
    tally = services.screening_tally_add(
        actor=guard_a,
        gate=gate_a,
        date=day,
        checked=120,
        abnormal=1,
        note="体温偏高 1 人",
        today=day,
    )
    assert tally.recorded_by == guard_a and tally.center_id == gate_a.center_id
    with pytest.raises(ValidationError) as exc:
        services.screening_tally_add(actor=guard_a, gate=gate_a, date=day, checked=3, today=day)
    assert "已登记" in exc.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as exc:
        services.screening_tally_add(
            actor=guard_a, gate=gate_a, date=day - dt.timedelta(days=1), checked=3, abnormal=4
        )
    assert "异常人数不能多于" in exc.value.message_dict["abnormal"][0]
    with pytest.raises(ValidationError) as exc:
        services.screening_tally_add(
            actor=guard_a, gate=gate_a, date=day + dt.timedelta(days=1), checked=3, today=day
        )
    assert "未来" in exc.value.message_dict["date"][0]
    with pytest.raises(PermissionDenied):
        services.screening_tally_add(actor=guard_b, gate=gate_a, date=day, checked=1)
    assert ScreeningTally.objects.count() == 1


# ------------------------------------------------------------------ retention


def test_purge_deletes_old_visits_and_orphan_visitors(guard_a, gate_a, agency_x, settings):
    settings.SECURITY_VISIT_RETENTION_DAYS = 30
    old = register(guard_a, gate_a, agency_x, name="旧访客", id_number=ID_X)
    services.visit_exit(actor=guard_a, visit=old)
    still_in = register(guard_a, gate_a, agency_x, name="仍在访", id_number="")
    recent = register(guard_a, gate_a, agency_x, name="新访客", id_number=ID_OK)
    long_ago = NOW - dt.timedelta(days=31)
    Visit.objects.filter(pk__in=[old.pk, still_in.pk]).update(created_at=long_ago)
    # A returning visitor: an old visit purged, a recent one kept, the visitor kept.
    returning_old = register(
        guard_a, gate_a, agency_x, name="回访", id_number="E12345678", id_type="passport"
    )
    services.visit_exit(actor=guard_a, visit=returning_old)
    Visit.objects.filter(pk=returning_old.pk).update(created_at=long_ago)
    returning_new = register(
        guard_a, gate_a, agency_x, name="回访", id_number="E12345678", id_type="passport"
    )

    deleted = services.visits_purge(now=NOW)

    assert deleted == 2
    assert set(Visit.objects.values_list("pk", flat=True)) == {
        still_in.pk,
        recent.pk,
        returning_new.pk,
    }
    assert set(Visitor.objects.values_list("name", flat=True)) == {"仍在访", "新访客", "回访"}


def test_other_staff_cannot_invite_without_a_person(center_a):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="nobody", center_id=center_a.pk)
    with pytest.raises(ValidationError):
        invite(user)


def test_manager_of_b_cannot_change_visits_of_a(host, manager_b, gate_a):
    visit = invite(host)
    with pytest.raises(PermissionDenied):
        services.visit_cancel(actor=manager_b, visit=visit)
