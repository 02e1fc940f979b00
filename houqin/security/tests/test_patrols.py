"""巡查 services: routes and checkpoints, scanning a checkpoint by its secret code (unknown or
another center's code refused alike, duplicates refused, abnormal answers need a note and
notify the managers), auto-start, one open patrol per guard, finishing complete vs incomplete,
and the planned-vs-done summary."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security.models import Checkpoint, CheckpointScan, Patrol, PatrolRoute
from houqin.security.services import patrols as svc

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 21, 0))
ITEMS = "安全出口畅通\n消防器材完好\n\n安全出口畅通\n  门窗   关闭 "


def make_route(manager, name="办公楼夜间巡逻", *, points=3, kind="security", rounds=2):
    route = svc.route_create(
        actor=manager, center=manager.center, name=name, kind=kind, rounds_per_day=rounds
    )
    for i in range(points):
        svc.checkpoint_add(
            actor=manager,
            route=route,
            name=f"{name}检查点{i + 1}",
            location=f"{i + 1}楼",
            checklist=ITEMS,
        )
    return route


def ok_answers(point):
    return {item["key"]: "yes" for item in point.checklist}


def points_of(route):
    return list(route.checkpoints.order_by("position"))


@pytest.fixture
def route(manager_a):
    return make_route(manager_a)


# ------------------------------------------------------------------ routes, checkpoints
def test_checklist_lines_become_items_and_positions_are_automatic(route):
    first, second, third = points_of(route)
    assert [p.position for p in (first, second, third)] == [1, 2, 3]
    assert first.checklist == [
        {"key": "c1", "label": "安全出口畅通", "type": "bool", "required": True},
        {"key": "c2", "label": "消防器材完好", "type": "bool", "required": True},
        {"key": "c3", "label": "门窗 关闭", "type": "bool", "required": True},
    ]
    assert first.code and first.code != second.code
    assert svc.checklist_text(first.checklist) == "安全出口畅通\n消防器材完好\n门窗 关闭"


def test_route_rules(manager_a, route):
    with pytest.raises(ValidationError) as exc:
        svc.route_create(actor=manager_a, center=manager_a.center, name=route.name)
    assert exc.value.message_dict == {"name": ["本中心已有同名的巡查路线。"]}
    for rounds in (0, 25, "x"):
        with pytest.raises(ValidationError) as exc:
            svc.route_create(
                actor=manager_a, center=manager_a.center, name="新路线", rounds_per_day=rounds
            )
        assert "rounds_per_day" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        svc.route_create(actor=manager_a, center=manager_a.center, name="  ", kind="security")
    assert exc.value.message_dict == {"name": ["请填写路线名称。"]}
    with pytest.raises(ValidationError):
        svc.route_create(actor=manager_a, center=manager_a.center, name="新路线", kind="bad")
    assert PatrolRoute.objects.count() == 1
    svc.route_update(
        actor=manager_a,
        route=route,
        name="夜巡",
        kind="fire",
        description="每晚",
        rounds_per_day=1,
        is_active=False,
    )
    route.refresh_from_db()
    assert (route.name, route.kind, route.is_active) == ("夜巡", "fire", False)


def test_guard_and_other_center_cannot_edit_routes(guard_a, manager_b, route):
    with pytest.raises(PermissionDenied):
        svc.route_create(actor=guard_a, center=guard_a.center, name="私设路线")
    with pytest.raises(PermissionDenied):
        svc.checkpoint_add(actor=manager_b, route=route, name="乙区插入")
    with pytest.raises(PermissionDenied):
        svc.checkpoint_regenerate_code(actor=guard_a, checkpoint=points_of(route)[0])
    assert route.checkpoints.count() == 3


def test_checkpoint_rules_and_position_swap(manager_a, route):
    first, second, third = points_of(route)
    with pytest.raises(ValidationError) as exc:
        svc.checkpoint_add(
            actor=manager_a, route=route, name="x", checklist="\n".join(f"项{i}" for i in range(21))
        )
    assert exc.value.message_dict == {"checklist": ["检查项不能超过 20 项。"]}
    with pytest.raises(ValidationError) as exc:
        svc.checkpoint_add(actor=manager_a, route=route, name="x", checklist="长" * 61)
    assert "checklist" in exc.value.message_dict
    svc.checkpoint_update(
        actor=manager_a,
        checkpoint=third,
        name="机房",
        location="B1",
        checklist="温度正常",
        position=1,
    )
    names = [(p.position, p.name) for p in points_of(route)]
    assert names == [(1, "机房"), (2, second.name), (3, first.name)]
    third.refresh_from_db()
    assert third.checklist == [{"key": "c1", "label": "温度正常", "type": "bool", "required": True}]


def test_regenerate_code_retires_the_old_label(manager_a, guard_a, route):
    point = points_of(route)[0]
    old = point.code
    svc.checkpoint_regenerate_code(actor=manager_a, checkpoint=point)
    point.refresh_from_db()
    assert point.code != old
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code=old, answers=ok_answers(point), now=NOW)
    assert exc.value.messages == ["无效的检查点二维码。"]
    svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    assert CheckpointScan.objects.count() == 1


# ------------------------------------------------------------------ scanning
def test_scan_with_a_valid_code_records_and_auto_starts(guard_a, route):
    point = points_of(route)[1]
    scan = svc.patrol_scan(
        actor=guard_a, code=point.code, answers=ok_answers(point), note="", now=NOW
    )
    patrol = scan.patrol
    assert (patrol.route, patrol.guard, patrol.status) == (route, guard_a, "in_progress")
    assert patrol.started_at == NOW and scan.scanned_at == NOW
    assert scan.is_ok and scan.checkpoint == point
    assert scan.answers == [
        {"key": "c1", "label": "安全出口畅通", "ok": True},
        {"key": "c2", "label": "消防器材完好", "ok": True},
        {"key": "c3", "label": "门窗 关闭", "ok": True},
    ]
    # the next scan goes on the same patrol
    nxt = points_of(route)[0]
    again = svc.patrol_scan(actor=guard_a, code=nxt.code, answers=ok_answers(nxt), now=NOW)
    assert again.patrol == patrol
    assert Patrol.objects.count() == 1


def test_unknown_code_is_refused(guard_a, route):
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code="nope", answers={}, now=NOW)
    assert exc.value.messages == ["无效的检查点二维码。"]
    assert not Patrol.objects.exists() and not CheckpointScan.objects.exists()


def test_code_of_another_center_is_refused_alike(guard_b, route):
    point = points_of(route)[0]
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_b, code=point.code, answers=ok_answers(point), now=NOW)
    assert exc.value.messages == ["无效的检查点二维码。"]
    assert not Patrol.objects.exists() and not CheckpointScan.objects.exists()


def test_inactive_checkpoint_or_route_is_refused(manager_a, guard_a, route):
    point = points_of(route)[0]
    svc.checkpoint_update(
        actor=manager_a, checkpoint=point, name=point.name, checklist="", is_active=False
    )
    with pytest.raises(ValidationError):
        svc.patrol_scan(actor=guard_a, code=point.code, answers={}, now=NOW)
    other = points_of(route)[1]
    PatrolRoute.objects.filter(pk=route.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        svc.patrol_scan(actor=guard_a, code=other.code, answers=ok_answers(other), now=NOW)
    assert not CheckpointScan.objects.exists()


def test_staff_cannot_scan(staff_x, route):
    point = points_of(route)[0]
    with pytest.raises(PermissionDenied):
        svc.patrol_scan(actor=staff_x, code=point.code, answers=ok_answers(point), now=NOW)
    assert not Patrol.objects.exists()


def test_duplicate_scan_is_refused(guard_a, route):
    point = points_of(route)[0]
    svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    assert exc.value.messages == ["本次巡查已扫描过该检查点。"]
    assert CheckpointScan.objects.count() == 1


def test_every_item_must_be_answered(guard_a, route):
    point = points_of(route)[0]
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code=point.code, answers={"c1": "yes"}, now=NOW)
    assert exc.value.message_dict == {
        "c2": ["请选择“消防器材完好”的检查结果。"],
        "c3": ["请选择“门窗 关闭”的检查结果。"],
    }
    assert not Patrol.objects.exists() and not CheckpointScan.objects.exists()


def test_abnormal_answer_needs_a_note_and_notifies_managers(manager_a, guard_a, route):
    point = points_of(route)[0]
    answers = {**ok_answers(point), "c2": "no"}
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code=point.code, answers=answers, note=" ", now=NOW)
    assert exc.value.message_dict == {"note": ["发现异常，请填写异常说明。"]}
    assert not CheckpointScan.objects.exists()
    assert not Notification.objects.exists()

    scan = svc.patrol_scan(
        actor=guard_a, code=point.code, answers=answers, note="灭火器压力不足", now=NOW
    )
    assert not scan.is_ok and scan.note == "灭火器压力不足"
    note = Notification.objects.get()
    assert note.recipient == manager_a and note.kind == "security.patrol_problem"
    assert point.name in note.title and "消防器材完好" in note.body
    assert note.url == f"/security/patrols/{scan.patrol_id}/"


def test_scan_on_another_route_while_a_patrol_is_open(manager_a, guard_a, route):
    other = make_route(manager_a, "地下车库", points=1)
    svc.patrol_start(actor=guard_a, route=route, now=NOW)
    point = points_of(other)[0]
    with pytest.raises(ValidationError) as exc:
        svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    assert "请先结束当前巡查" in exc.value.messages[0]
    assert not CheckpointScan.objects.exists()


def test_checkpoint_without_checklist_records_presence(manager_a, guard_a):
    route = svc.route_create(actor=manager_a, center=manager_a.center, name="围墙")
    point = svc.checkpoint_add(actor=manager_a, route=route, name="北门")
    scan = svc.patrol_scan(actor=guard_a, code=point.code, answers={}, now=NOW)
    assert scan.is_ok and scan.answers == []


# ------------------------------------------------------------------ start, finish
def test_one_open_patrol_per_guard(manager_a, guard_a, route):
    svc.patrol_start(actor=guard_a, route=route, now=NOW)
    other = make_route(manager_a, "地下车库", points=1)
    for r in (route, other):
        with pytest.raises(ValidationError) as exc:
            svc.patrol_start(actor=guard_a, route=r, now=NOW)
        assert "您有未结束的巡查" in exc.value.messages[0]
    assert Patrol.objects.count() == 1
    # a manager walks their own patrol meanwhile
    svc.patrol_start(actor=manager_a, route=route, now=NOW)
    assert Patrol.objects.count() == 2


def test_cannot_start_a_route_without_checkpoints_or_of_another_center(manager_a, guard_b, route):
    empty = svc.route_create(actor=manager_a, center=manager_a.center, name="空路线")
    with pytest.raises(ValidationError):
        svc.patrol_start(actor=manager_a, route=empty, now=NOW)
    with pytest.raises(PermissionDenied):
        svc.patrol_start(actor=guard_b, route=route, now=NOW)
    assert not Patrol.objects.exists()


def test_finish_complete(guard_a, route):
    for point in points_of(route):
        svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    patrol = Patrol.objects.get()
    later = NOW + dt.timedelta(minutes=30)
    svc.patrol_finish(actor=guard_a, patrol=patrol, now=later)
    patrol.refresh_from_db()
    assert (patrol.status, patrol.finished_at) == ("done", later)
    with pytest.raises(ValidationError) as exc:
        svc.patrol_finish(actor=guard_a, patrol=patrol, now=later)
    assert exc.value.messages == ["该巡查已结束。"]
    # the guard can start again
    svc.patrol_start(actor=guard_a, route=route, now=later)


def test_finish_incomplete_needs_a_note(guard_a, route):
    point = points_of(route)[0]
    svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    patrol = Patrol.objects.get()
    with pytest.raises(ValidationError) as exc:
        svc.patrol_finish(actor=guard_a, patrol=patrol, note="", now=NOW)
    assert exc.value.message_dict == {"note": ["还有 2 个检查点未扫描，请填写情况说明。"]}
    patrol.refresh_from_db()
    assert patrol.status == "in_progress"
    svc.patrol_finish(actor=guard_a, patrol=patrol, note="车库施工封闭", now=NOW)
    patrol.refresh_from_db()
    assert (patrol.status, patrol.note) == ("incomplete", "车库施工封闭")
    assert list(svc.missing_checkpoints(patrol)) == points_of(route)[1:]


def test_only_a_manager_finishes_someone_elses_patrol(manager_a, guard_a, agency_x, route):
    other_guard = make_user(PersonFactory(agency=agency_x), Role.GUARD, username="guard_a2")
    patrol = svc.patrol_start(actor=guard_a, route=route, now=NOW)
    with pytest.raises(PermissionDenied):
        svc.patrol_finish(actor=other_guard, patrol=patrol, note="x", now=NOW)
    svc.patrol_finish(actor=manager_a, patrol=patrol, note="交班未结束", now=NOW)
    patrol.refresh_from_db()
    assert patrol.status == "incomplete"


# ------------------------------------------------------------------ summary
def test_a_new_route_is_not_planned_before_it_existed(manager_a):
    new = make_route(manager_a, "新路线", points=1, rounds=4)
    PatrolRoute.objects.filter(pk=new.pk).update(created_at=NOW - dt.timedelta(days=2))
    start = (NOW - dt.timedelta(days=10)).date()
    summary = svc.patrol_summary(manager_a.center_id, start, NOW.date() + dt.timedelta(days=1))
    assert summary["planned"] == 4 * 3  # the day it was set up, yesterday and today


def test_summary_planned_vs_done(manager_a, guard_a, manager_b, route):
    fire = make_route(manager_a, "防火巡查", points=2, kind="fire", rounds=1)
    stopped = make_route(manager_a, "停用路线", points=1, rounds=5)
    PatrolRoute.objects.filter(pk=stopped.pk).update(is_active=False)
    make_route(manager_b, "乙区路线", points=1, rounds=9)
    PatrolRoute.objects.update(created_at=NOW - dt.timedelta(days=365))
    day = NOW.date()
    # done: the fire route, all scanned, with one problem
    for i, point in enumerate(points_of(fire)):
        answers = {**ok_answers(point), "c1": "no" if i == 0 else "yes"}
        svc.patrol_scan(
            actor=guard_a,
            code=point.code,
            answers=answers,
            note="堵塞" if i == 0 else "",
            now=NOW,
        )
    svc.patrol_finish(actor=guard_a, patrol=Patrol.objects.get(), now=NOW)
    # incomplete: the security route, one of three scanned
    point = points_of(route)[0]
    svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=NOW)
    svc.patrol_finish(
        actor=guard_a, patrol=Patrol.objects.get(status="in_progress"), note="下雨", now=NOW
    )
    # in progress, the next day (outside a one-day period)
    svc.patrol_start(actor=guard_a, route=route, now=NOW + dt.timedelta(days=1))

    week = svc.patrol_summary(
        manager_a.center_id, day - dt.timedelta(days=6), day + dt.timedelta(days=1)
    )
    assert week["days"] == 7
    assert week["planned"] == (2 + 1) * 7
    assert (week["done"], week["incomplete"], week["in_progress"]) == (1, 1, 0)
    assert week["checkpoints_missed"] == 2
    assert week["abnormal_scans"] == 1
    assert week["by_kind"]["fire"] == {
        "planned": 7,
        "done": 1,
        "incomplete": 0,
        "in_progress": 0,
        "checkpoints_missed": 0,
        "abnormal_scans": 1,
    }
    assert week["by_kind"]["security"]["planned"] == 14
    assert week["by_kind"]["security"]["checkpoints_missed"] == 2
    two = svc.patrol_summary(manager_a.center_id, day, day + dt.timedelta(days=2))
    assert two["in_progress"] == 1 and two["planned"] == 6
    other = svc.patrol_summary(manager_b.center_id, day, day + dt.timedelta(days=1))
    assert (other["planned"], other["done"], other["incomplete"]) == (9, 0, 0)


def test_summary_runs_a_fixed_number_of_queries(manager_a, guard_a, route):
    day = NOW.date()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            svc.patrol_summary(manager_a.center_id, day, day + dt.timedelta(days=1))
        return len(ctx)

    few = count()
    for hour in range(5):
        point = points_of(route)[0]
        at = NOW - dt.timedelta(hours=hour + 1)
        svc.patrol_scan(actor=guard_a, code=point.code, answers=ok_answers(point), now=at)
        svc.patrol_finish(
            actor=guard_a, patrol=Patrol.objects.get(status="in_progress"), note="x", now=at
        )
    assert count() == few == 4
    assert Checkpoint.objects.count() == 3
