"""Adjustment-plan services beyond test_services.py: drafting rules (requests, bad input,
permissions), the problems found before applying (in a fixed number of queries), and the
applicants told when their request is realised."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.approvals import services as approvals
from houqin.core.notifications.models import Notification
from houqin.org.models import OrgUnit
from houqin.space.compliance import plan_effect
from houqin.space.models import AdjustmentPlan, Allocation, PlanStep, SpaceRequest
from houqin.space.services import allocation as alloc
from houqin.space.services import plans

from .conftest import D
from .test_requests import approval_of, make_head, submit

pytestmark = pytest.mark.django_db
K = PlanStep.Kind
START = dt.date(2026, 1, 1)


@pytest.fixture
def plan(manager_a, center_a):
    return plans.plan_create(
        actor=manager_a, center=center_a, year=2026, title="2026 年调整方案", effective_date=D
    )


@pytest.fixture
def approved(liaison_x, agency_x, manager_a, leader_a):
    """An approved request of agency_x."""
    head = make_head(agency_x, "head_x")
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    for actor in (head, manager_a, leader_a):
        approval = approvals.approval_approve(actor=actor, approval=approval)
    space_request.refresh_from_db()
    assert space_request.status == SpaceRequest.Status.APPROVED
    return space_request


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"year": "二〇二六"}, "年度必须是四位数字"),
        ({"year": 1999}, "年度应在 2000—2100 之间"),
        ({"title": "  "}, "请填写方案名称"),
        ({"title": "方" * 101}, "方案名称不能超过 100 个字"),
        ({"effective_date": None}, "请填写实施日期"),
        ({"notes": "说" * 4001}, "说明不能超过 4000 个字"),
    ],
)
def test_bad_plan_input_writes_nothing(manager_a, center_a, overrides, message):
    data = {"year": 2026, "title": "方案", "effective_date": D, "notes": ""}
    with pytest.raises(ValidationError, match=message):
        plans.plan_create(actor=manager_a, center=center_a, **(data | overrides))
    assert not AdjustmentPlan.objects.exists()


def test_only_the_centers_space_managers_draft(staff_x, leader_a, manager_b, center_a, plan):
    for actor in (staff_x, leader_a, manager_b):
        with pytest.raises(PermissionDenied):
            plans.plan_create(
                actor=actor, center=center_a, year=2026, title="方案", effective_date=D
            )
        with pytest.raises(PermissionDenied):
            plans.plan_cancel(actor=actor, plan=plan)
    assert AdjustmentPlan.objects.count() == 1


def test_update_and_cancel(manager_a, agency_x, make_room, plan):
    plans.plan_update(
        actor=manager_a, plan=plan, year=2027, title="2027 年方案", effective_date=D, notes="说明"
    )
    plan.refresh_from_db()
    assert (plan.year, plan.title, plan.notes) == (2027, "2027 年方案", "说明")
    step = plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
    )
    plans.plan_cancel(actor=manager_a, plan=plan)
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.CANCELLED
    for call in (
        lambda: plans.plan_step_remove(actor=manager_a, step=step),
        lambda: plans.plan_apply(actor=manager_a, plan=plan),
        lambda: plans.plan_cancel(actor=manager_a, plan=plan),
        lambda: plans.plan_update(
            actor=manager_a, plan=plan, year=2026, title="改", effective_date=D
        ),
    ):
        with pytest.raises(ValidationError, match="方案已作废，不能再修改"):
            call()
    assert plan.steps.count() == 1 and not Allocation.objects.exists()


def test_steps_are_numbered_and_removable(manager_a, agency_x, make_room, plan):
    first = plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
    )
    second = plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
    )
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError, match="已在本方案中"):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.ALLOCATE, room=first.room, to_agency=agency_x
        )
    plans.plan_step_remove(actor=manager_a, step=first)
    third = plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
    )
    assert third.position == 3 and list(plan.steps.values_list("position", flat=True)) == [2, 3]


def test_step_bad_input(manager_a, agency_x, agency_b, make_room, building_b, plan, approved):
    room = make_room()
    cases = [
        ({"kind": "swap"}, "请选择调整方式"),
        ({"room": None}, "请选择本中心的房间"),
        ({"to_agency": None}, "请选择本中心的部门/单位"),
        ({"to_agency": agency_b}, "请选择本中心的部门/单位"),
        ({"certificate_no": "号" * 51}, "使用协议/配置证号不能超过 50 个字"),
        ({"note": "备" * 201}, "备注不能超过 200 个字"),
    ]
    for overrides, message in cases:
        data = {"kind": K.ALLOCATE, "room": room, "to_agency": agency_x} | overrides
        with pytest.raises(ValidationError, match=message):
            plans.plan_step_add(actor=manager_a, plan=plan, **data)
    assert not plan.steps.exists()


def test_only_approved_requests_of_the_receiving_agency(
    manager_a, agency_x, agency_y, make_room, plan, approved, liaison_x
):
    with pytest.raises(ValidationError, match="所选申请不是调入单位提出的"):
        plans.plan_step_add(
            actor=manager_a,
            plan=plan,
            kind=K.ALLOCATE,
            room=make_room(),
            to_agency=agency_y,
            request=approved,
        )
    pending = submit(liaison_x, agency_x)
    with pytest.raises(ValidationError, match="只能关联已批准的用房申请"):
        plans.plan_step_add(
            actor=manager_a,
            plan=plan,
            kind=K.ALLOCATE,
            room=make_room(),
            to_agency=agency_x,
            request=pending,
        )
    step = plans.plan_step_add(
        actor=manager_a,
        plan=plan,
        kind=K.ALLOCATE,
        room=make_room(),
        to_agency=agency_x,
        request=approved,
    )
    assert list(approved.plan_steps.all()) == [step]


def test_applying_tells_the_applicant(manager_a, liaison_x, agency_x, make_room, plan, approved):
    plans.plan_step_add(
        actor=manager_a,
        plan=plan,
        kind=K.ALLOCATE,
        room=make_room(),
        to_agency=agency_x,
        request=approved,
        certificate_no="配字〔2026〕8 号",
    )
    plans.plan_apply(actor=manager_a, plan=plan)
    note = Notification.objects.get(recipient=liaison_x, kind="space.plan_applied")
    assert "2026 年调整方案" in note.title and note.url == f"/space/requests/{approved.pk}/"
    allocation = Allocation.objects.get()
    assert allocation.certificate_no == "配字〔2026〕8 号" and allocation.certificate_date == D
    assert allocation.source == Allocation.Source.PLAN and allocation.start_date == D


def test_problems_found_before_applying(manager_a, center_a, agency_x, agency_y, make_room, plan):
    """Every stale step is listed at once; applying refuses with the same list."""
    from houqin.space.services import register

    idle, held, repaired, gone = make_room(), make_room(), make_room(), make_room()
    alloc.allocation_create(actor=manager_a, room=held, agency=agency_x, start_date=START)
    alloc.allocation_create(actor=manager_a, room=gone, agency=agency_x, start_date=START)
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.ALLOCATE, room=idle, to_agency=agency_y)
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.TRANSFER, room=held, to_agency=agency_y)
    plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=repaired, to_agency=agency_y
    )
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.VACATE, room=gone)
    assert plan_effect(plan).problems == []
    # Meanwhile: the idle room is given away, the held one handed back, one goes under
    # repair, and the receiving agency is dissolved.
    alloc.allocation_create(actor=manager_a, room=idle, agency=agency_x, start_date=START)
    alloc.allocation_vacate(actor=manager_a, room=held, end_date=START + dt.timedelta(days=30))
    register.room_set_repair(actor=manager_a, room=repaired, repair=True)
    OrgUnit.objects.filter(pk=agency_y.pk).update(is_active=False)
    problems = plan_effect(plan).problems
    assert any("第 1 步" in p and "不再闲置" in p for p in problems)
    assert any("第 2 步" in p and "已不再由“甲区财政局”使用" in p for p in problems)
    assert any("第 3 步" in p and "正在维修" in p for p in problems)
    assert any("“甲区教育局”已停用" in p for p in problems)
    with pytest.raises(ValidationError) as info:
        plans.plan_apply(actor=manager_a, plan=plan)
    assert set(problems) <= set(info.value.messages)
    gone.refresh_from_db()
    assert gone.status == "occupied" and plan.steps.count() == 4


def test_a_person_who_moved_in_after_the_effective_date_blocks_the_plan(
    manager_a, center_a, agency_x, agency_y, make_room, make_person
):
    plan = plans.plan_create(
        actor=manager_a, center=center_a, year=2026, title="方案", effective_date=START
    )
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    alloc.occupancy_add(
        actor=manager_a, room=room, person=make_person(agency_x, name="张三"), start_date=D
    )
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.TRANSFER, room=room, to_agency=agency_y)
    problems = plan_effect(plan).problems
    assert problems == ["第 1 步（行政中心大楼 100）：张三 于 2026-11-25 入住，晚于实施日期。"]
    with pytest.raises(ValidationError, match="张三 于 2026-11-25 入住"):
        plans.plan_apply(actor=manager_a, plan=plan)
    assert room.allocations.get().agency == agency_x


def _problem_queries(plan):
    with CaptureQueriesContext(connection) as ctx:
        plans.plan_problems(plan)
    return len(ctx)


def test_problems_are_read_in_a_fixed_number_of_queries(manager_a, agency_x, make_room, plan):
    for _ in range(3):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
        )
    few = _problem_queries(plan)
    for _ in range(12):
        room = make_room()
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
        plans.plan_step_add(actor=manager_a, plan=plan, kind=K.VACATE, room=room)
    assert _problem_queries(plan) == few
