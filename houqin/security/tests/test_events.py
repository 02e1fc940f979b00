# ruff: noqa: F811  (fixtures imported from fixtures_events are used as parameters)
"""Services of incidents, contingency plans and trainings/drills: the rules, bad input (a
Chinese message keyed by field, nothing written) and who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.core.notifications.models import Notification
from houqin.meetings.models import Booking
from houqin.org.models import Person
from houqin.org.tests.factories import PersonFactory
from houqin.security.models import ContingencyPlan, Drill, Incident
from houqin.security.services import events as svc

from .fixtures_events import NOW, TODAY, clock, leader_a, local, make_booking, make_room  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def errors(exc_info):
    return exc_info.value.message_dict


def incident(actor, **kw):
    data = {
        "occurred_at": local(2026, 8, 15, 8, 30),
        "place": "东门岗亭",
        "kind": Incident.Kind.PETITION,
        "description": "来访人员情绪激动，拒不登记",
    }
    data.update(kw)
    return svc.incident_create(actor=actor, center=actor.center_id, **data)


# ------------------------------------------------------------------ incidents


def test_guard_logs_an_incident_and_managers_are_told(guard_a, manager_a, manager_b):
    item = incident(guard_a)
    assert item.status == Incident.Status.OPEN and item.reported_by == guard_a
    sent = Notification.objects.filter(kind="security.incident")
    assert [n.recipient for n in sent] == [manager_a]
    assert "来访纠纷" in sent[0].title and "东门岗亭" in sent[0].title


def test_the_reporting_manager_is_not_told_of_their_own_incident(manager_a):
    incident(manager_a)
    assert not Notification.objects.filter(recipient=manager_a).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_at", NOW + dt.timedelta(minutes=5), "发生时间不能晚于现在。"),
        ("occurred_at", None, "请填写发生时间。"),
        ("place", "  ", "请填写地点。"),
        ("kind", "alien", "请选择事件类型。"),
        ("description", "", "请填写经过。"),
        ("description", "长" * 2001, "经过不能超过 2000 个字。"),
    ],
)
def test_incident_bad_input(guard_a, field, value, message):
    with pytest.raises(ValidationError) as exc:
        incident(guard_a, **{field: value})
    assert errors(exc) == {field: [message]}
    assert not Incident.objects.exists() and not Notification.objects.exists()


def test_staff_and_other_centers_cannot_log_incidents(staff_x, manager_b, center_a):
    with pytest.raises(PermissionDenied):
        incident(staff_x)
    with pytest.raises(PermissionDenied):
        svc.incident_create(
            actor=manager_b,
            center=center_a.pk,
            occurred_at=NOW,
            place="东门",
            kind="security",
            description="x",
        )
    assert not Incident.objects.exists()


def test_update_records_handling_and_follow_up(guard_a, manager_a):
    item = incident(guard_a)
    with pytest.raises(PermissionDenied):  # guards log; managers handle
        svc.incident_update(
            actor=guard_a,
            incident=item,
            occurred_at=item.occurred_at,
            place=item.place,
            kind=item.kind,
            description=item.description,
            handling="劝离",
        )
    svc.incident_update(
        actor=manager_a,
        incident=item,
        occurred_at=item.occurred_at,
        place="东门",
        kind=Incident.Kind.SECURITY,
        description=item.description,
        handling="值班民警到场劝离",
        follow_up="加强门岗登记",
    )
    item.refresh_from_db()
    assert (item.place, item.kind, item.handling, item.follow_up) == (
        "东门",
        "security",
        "值班民警到场劝离",
        "加强门岗登记",
    )


def test_close_needs_a_result(guard_a, manager_a):
    item = incident(guard_a)
    with pytest.raises(ValidationError) as exc:
        svc.incident_close(actor=manager_a, incident=item, result="  ")
    assert errors(exc) == {"result": ["请填写处置结果。"]}
    item.refresh_from_db()
    assert item.status == Incident.Status.OPEN and item.closed_at is None

    with pytest.raises(PermissionDenied):
        svc.incident_close(actor=guard_a, incident=item, result="已劝离")
    svc.incident_close(actor=manager_a, incident=item, result="已劝离", follow_up="加强登记")
    item.refresh_from_db()
    assert item.status == Incident.Status.CLOSED and item.closed_at == NOW
    assert item.result == "已劝离" and item.follow_up == "加强登记"
    with pytest.raises(ValidationError, match="已办结"):
        svc.incident_close(actor=manager_a, incident=item, result="再次")


# ------------------------------------------------------------------ contingency plans


@pytest.fixture
def room_a(center_a):
    return make_room(center_a)


def plan(actor, **kw):
    data = {
        "title": "区人代会安保预案",
        "event_start": local(2026, 9, 1, 8),
        "event_end": local(2026, 9, 1, 18),
        "measures": "东门设置安检，车辆凭证入场",
        "responsible": actor,
        "status": ContingencyPlan.Status.DRAFT,
    }
    data.update(kw)
    return svc.contingency_plan_create(actor=actor, center=actor.center_id, **data)


def test_plan_linked_to_a_major_booking_takes_its_times(manager_a, room_a, agency_x):
    booking = make_booking(room_a, agency_x, manager_a)
    p = plan(
        manager_a,
        booking=booking,
        event_start=None,
        event_end=None,
        coordination_meeting_at=local(2026, 8, 28, 15),
    )
    assert (p.event_start, p.event_end) == (booking.starts_at, booking.ends_at)
    assert p.booking == booking and p.center_id == manager_a.center_id


def test_plan_responsible_may_be_a_leader(manager_a, leader_a):
    assert plan(manager_a, responsible=leader_a).responsible == leader_a


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"title": ""}, "title", "请填写预案名称。"),
        ({"event_end": local(2026, 9, 1, 8)}, "event_end", "活动结束时间必须晚于开始时间。"),
        ({"event_start": None}, "event_start", "请填写活动开始时间。"),
        (
            {"coordination_meeting_at": local(2026, 9, 1, 9)},
            "coordination_meeting_at",
            "协调会应在活动开始之前召开。",
        ),
        ({"measures": " "}, "measures", "请填写安保措施。"),
        ({"status": "bogus"}, "status", "请选择状态。"),
        ({"responsible": None}, "responsible", "请选择负责人。"),
    ],
)
def test_plan_bad_input(manager_a, kw, field, message):
    with pytest.raises(ValidationError) as exc:
        plan(manager_a, **kw)
    assert errors(exc) == {field: [message]}
    assert not ContingencyPlan.objects.exists()


def test_plan_responsible_must_be_a_manager_or_leader_of_the_center(manager_a, staff_x, manager_b):
    for user in (staff_x, manager_b):
        with pytest.raises(ValidationError) as exc:
            plan(manager_a, responsible=user)
        assert "负责人须为本中心" in errors(exc)["responsible"][0]
    assert not ContingencyPlan.objects.exists()


def test_plan_booking_must_be_a_major_booking_of_the_center(
    manager_a, manager_b, room_a, agency_x, agency_b, center_b
):
    ordinary = make_booking(room_a, agency_x, manager_a, level=Booking.Level.ORDINARY)
    other = make_booking(make_room(center_b), agency_b, manager_b)
    cancelled = make_booking(
        room_a, agency_x, manager_a, start=local(2026, 9, 2, 9), status=Booking.Status.CANCELLED
    )
    for booking, text in (
        (ordinary, "重大会议"),
        (other, "重大会议"),
        (cancelled, "已取消"),
    ):
        with pytest.raises(ValidationError) as exc:
            plan(manager_a, booking=booking)
        assert text in errors(exc)["booking"][0]
    assert not ContingencyPlan.objects.exists()


def test_plan_permissions(guard_a, manager_a, leader_a, manager_b):
    for actor in (guard_a, leader_a):  # leaders read plans, they do not write them
        with pytest.raises(PermissionDenied):
            plan(actor, responsible=manager_a)
    p = plan(manager_a)
    with pytest.raises(PermissionDenied):
        svc.contingency_plan_update(
            actor=manager_b,
            plan=p,
            title="x",
            measures="y",
            responsible=manager_b,
            event_start=p.event_start,
            event_end=p.event_end,
        )


def test_plan_update_keeps_a_booking_that_was_cancelled_later(manager_a, room_a, agency_x):
    booking = make_booking(room_a, agency_x, manager_a)
    p = plan(manager_a, booking=booking)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    booking.refresh_from_db()
    svc.contingency_plan_update(
        actor=manager_a,
        plan=p,
        title="区人代会安保预案（修订）",
        measures=p.measures,
        responsible=manager_a,
        booking=booking,
        event_start=p.event_start,
        event_end=p.event_end,
        status=ContingencyPlan.Status.ACTIVE,
    )
    p.refresh_from_db()
    assert p.status == "active" and p.title.endswith("（修订）") and p.booking == booking


def test_major_bookings_offered_are_upcoming_major_and_active(
    manager_a, room_a, agency_x, center_a
):
    upcoming = make_booking(room_a, agency_x, manager_a)
    make_booking(room_a, agency_x, manager_a, start=local(2026, 8, 1, 9))  # past
    make_booking(
        room_a,
        agency_x,
        manager_a,
        start=local(2026, 9, 3, 9),
        level=Booking.Level.IMPORTANT,
    )
    assert list(svc.major_bookings(center_a.pk)) == [upcoming]


# ------------------------------------------------------------------ trainings and drills


def drill(actor, **kw):
    data = {
        "kind": Drill.Kind.TRAINING,
        "title": "消防安全知识培训",
        "held_on": TODAY,
        "participants": [],
        "other_participants": 0,
    }
    data.update(kw)
    return svc.drill_create(actor=actor, center=actor.center_id, **data)


def test_drill_with_participants(manager_a, staff_x, liaison_x):
    people = [staff_x.person, liaison_x.person]
    d = drill(manager_a, participants=people, other_participants=5, place="三楼会议室")
    assert set(d.participants.all()) == set(people)
    assert d.other_participants == 5 and d.place == "三楼会议室"


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on", "日期不能晚于今天"),
        ({"held_on": None}, "held_on", "请填写日期。"),
        ({"kind": "party"}, "kind", "请选择类型。"),
        ({"title": ""}, "title", "请填写主题。"),
        ({"other_participants": -1}, "other_participants", "其他参加人数应在"),
        ({"other_participants": "很多"}, "other_participants", "必须是整数"),
        ({"other_participants": 0}, "participants", "请选择参加人员或填写其他参加人数。"),
    ],
)
def test_drill_bad_input(manager_a, staff_x, kw, field, message):
    data = {"participants": [staff_x.person] if field != "participants" else []}
    data.update(kw)
    with pytest.raises(ValidationError) as exc:
        drill(manager_a, **data)
    assert list(errors(exc)) == [field] and message in errors(exc)[field][0]
    assert not Drill.objects.exists()


def test_drill_participants_must_be_active_people_of_the_center(manager_a, person_b, agency_x):
    retired = PersonFactory(
        agency=agency_x, name="老李", status=Person.Status.RETIRED, status_date=TODAY
    )
    for person, name in ((person_b, "乙区职工"), (retired, "老李")):
        with pytest.raises(ValidationError) as exc:
            drill(manager_a, participants=[person])
        assert name in errors(exc)["participants"][0]
    assert not Drill.objects.exists()


def test_drill_update_keeps_people_who_left_since(manager_a, staff_x, liaison_x):
    d = drill(manager_a, participants=[staff_x.person])
    Person.objects.filter(pk=staff_x.person.pk).update(
        status=Person.Status.TRANSFERRED, status_date=TODAY
    )
    staff_x.person.refresh_from_db()
    svc.drill_update(
        actor=manager_a,
        drill=d,
        kind=Drill.Kind.EVACUATION,
        title="疏散演练",
        held_on=TODAY - dt.timedelta(days=1),
        participants=[staff_x.person, liaison_x.person],
    )
    d.refresh_from_db()
    assert d.kind == "evacuation" and d.participants.count() == 2


def test_guards_and_leaders_cannot_record_drills(guard_a, leader_a, staff_x):
    for actor in (guard_a, leader_a):
        with pytest.raises(PermissionDenied):
            drill(actor, participants=[staff_x.person])
    assert not Drill.objects.exists()
