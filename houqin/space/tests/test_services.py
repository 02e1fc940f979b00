"""Rules of the allocation and adjustment-plan services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.space.compliance import compliance
from houqin.space.models import AdjustmentPlan, Allocation, Occupancy, PlanStep, SpaceRoom, SubUse
from houqin.space.services import allocation as alloc
from houqin.space.services import plans, register

from .conftest import D

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)
K = PlanStep.Kind


def test_allocate_makes_room_occupied_and_vacate_idle(manager_a, agency_x, make_room):
    room = make_room()
    assert room.status == SpaceRoom.Status.IDLE
    allocation = alloc.allocation_create(
        actor=manager_a, room=room, agency=agency_x, start_date=START, certificate_no="配字 1 号"
    )
    room.refresh_from_db()
    assert room.status == SpaceRoom.Status.OCCUPIED and allocation.certificate_no == "配字 1 号"
    alloc.allocation_vacate(actor=manager_a, room=room, end_date=dt.date(2026, 3, 1))
    room.refresh_from_db()
    allocation.refresh_from_db()
    assert room.status == SpaceRoom.Status.IDLE
    assert allocation.end_date == dt.date(2026, 3, 1)


def test_room_held_by_one_agency_at_a_time(manager_a, agency_x, agency_y, make_room):
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    with pytest.raises(ValidationError, match="当前由“甲区财政局”使用"):
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_y, start_date=START)
    assert Allocation.objects.filter(room=room).count() == 1


def test_history_does_not_overlap(manager_a, agency_x, agency_y, make_room):
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    alloc.allocation_vacate(actor=manager_a, room=room, end_date=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="启用日期不能早于此日"):
        alloc.allocation_create(
            actor=manager_a, room=room, agency=agency_y, start_date=dt.date(2026, 5, 1)
        )
    alloc.allocation_create(
        actor=manager_a, room=room, agency=agency_y, start_date=dt.date(2026, 6, 1)
    )


def test_room_under_repair_cannot_be_allocated(manager_a, agency_x, make_room):
    room = register.room_set_repair(actor=manager_a, room=make_room(), repair=True)
    with pytest.raises(ValidationError, match="正在维修"):
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_x)
    assert register.room_set_repair(actor=manager_a, room=room, repair=False).status == "idle"


def test_occupancy_rules(manager_a, agency_x, agency_y, make_room, make_person):
    room = make_room(capacity=2)
    clerk = make_person(agency_x)
    with pytest.raises(ValidationError, match="尚未分配"):
        alloc.occupancy_add(actor=manager_a, room=room, person=clerk, start_date=START)
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    with pytest.raises(ValidationError, match="属于“甲区教育局”"):
        alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_y))
    alloc.occupancy_add(actor=manager_a, room=room, person=clerk, start_date=START)
    with pytest.raises(ValidationError, match="已在该房间办公"):
        alloc.occupancy_add(actor=manager_a, room=room, person=clerk)
    alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_x))
    with pytest.raises(ValidationError, match="核定 2 人，已满"):
        alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_x))
    meeting = make_room(sub_use=SubUse.MEETING)
    alloc.allocation_create(actor=manager_a, room=meeting, agency=agency_x)
    with pytest.raises(ValidationError, match="只有办公室用房"):
        alloc.occupancy_add(actor=manager_a, room=meeting, person=make_person(agency_x))
    assert Occupancy.objects.filter(room=room).count() == 2


def test_vacating_moves_people_out(manager_a, agency_x, make_room, make_person):
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    occupancy = alloc.occupancy_add(
        actor=manager_a, room=room, person=make_person(agency_x), start_date=START
    )
    alloc.allocation_vacate(actor=manager_a, room=room, end_date=D)
    occupancy.refresh_from_db()
    assert occupancy.end_date == D


def test_move_to_another_office(manager_a, agency_x, make_room, make_person):
    first, second = make_room(), make_room()
    for room in (first, second):
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    occupancy = alloc.occupancy_add(
        actor=manager_a, room=first, person=make_person(agency_x), start_date=START
    )
    moved = alloc.occupancy_move(actor=manager_a, occupancy=occupancy, room=second, date=D)
    occupancy.refresh_from_db()
    assert occupancy.end_date == D and moved.room == second and moved.start_date == D


def test_bad_room_input_writes_nothing(manager_a, building_a):
    floor = building_a.floors.get(level=1)
    for bad, message in (
        ({"usable_area": "0"}, "必须大于 0"),
        ({"usable_area": "12.345"}, "最多保留两位小数"),
        ({"usable_area": "abc"}, "必须是数字"),
        ({"sub_use": "toilet", "use_kind": "office"}, "与所选用房类别不符"),
        ({"number": ""}, "请填写房间号"),
    ):
        data = {"number": "101", "usable_area": "18", "sub_use": "office", "floor": floor} | bad
        with pytest.raises(ValidationError, match=message):
            register.room_create(actor=manager_a, building=building_a, **data)
    assert not SpaceRoom.objects.exists()


def test_only_space_managers_write(staff_x, manager_b, make_room, agency_x):
    room = make_room()
    for actor in (staff_x, manager_b):
        with pytest.raises(PermissionDenied):
            alloc.allocation_create(actor=actor, room=room, agency=agency_x)


# ------------------------------------------------------------------ plans


@pytest.fixture
def plan(manager_a, center_a):
    return plans.plan_create(
        actor=manager_a, center=center_a, year=2026, title="2026 年调整方案", effective_date=D
    )


def _agency_rows(center_a):
    return {
        row.agency.pk: (row.office_area, row.excess) for row in compliance(center_a.pk).agencies
    }


def test_plan_applied_exactly_as_previewed(
    manager_a, center_a, agency_x, agency_y, make_room, make_person, plan
):
    from houqin.space.compliance import plan_effect

    make_person(agency_y, "section-head")
    held = make_room(area="20.00")
    idle = make_room(area="12.00")
    obtained = make_room(area="30.00")
    gone = make_room(area="15.00")
    alloc.allocation_create(actor=manager_a, room=held, agency=agency_x, start_date=START)
    alloc.allocation_create(actor=manager_a, room=gone, agency=agency_y, start_date=START)
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.TRANSFER, room=held, to_agency=agency_y)
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.ALLOCATE, room=idle, to_agency=agency_x)
    plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.OBTAIN, room=obtained, to_agency=agency_x
    )
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.VACATE, room=gone)
    effect = plan_effect(plan)
    assert effect.problems == []
    previewed = {row.agency.pk: (row.after_area, row.after_excess) for row in effect.rows}

    plans.plan_apply(actor=manager_a, plan=plan)

    after = _agency_rows(center_a)
    for agency_id, figures in previewed.items():
        assert after[agency_id] == figures
    assert previewed[agency_y.pk][0] == Decimal("20.00")
    held.refresh_from_db()
    assert held.allocations.get(end_date__isnull=True).agency == agency_y
    assert obtained.allocations.get().source == Allocation.Source.UPSTREAM
    gone.refresh_from_db()
    assert gone.status == SpaceRoom.Status.IDLE
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.APPLIED and plan.applied_by == manager_a


def test_a_failing_step_applies_nothing(manager_a, center_a, agency_x, agency_y, make_room, plan):
    first, second = make_room(), make_room()
    plans.plan_step_add(actor=manager_a, plan=plan, kind=K.ALLOCATE, room=first, to_agency=agency_x)
    plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=second, to_agency=agency_x
    )
    # Someone allocates the second room directly after the plan was drafted.
    alloc.allocation_create(actor=manager_a, room=second, agency=agency_y, start_date=START)
    with pytest.raises(ValidationError, match=r"第 2 步.*不再闲置"):
        plans.plan_apply(actor=manager_a, plan=plan)
    first.refresh_from_db()
    assert first.status == SpaceRoom.Status.IDLE and not first.allocations.exists()
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.DRAFT


def test_applied_plan_is_frozen(manager_a, agency_x, make_room, plan):
    plans.plan_step_add(
        actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
    )
    plans.plan_apply(actor=manager_a, plan=plan)
    with pytest.raises(ValidationError, match="已实施"):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.ALLOCATE, room=make_room(), to_agency=agency_x
        )
    with pytest.raises(ValidationError, match="已实施"):
        plans.plan_apply(actor=manager_a, plan=plan)


def test_step_checks_when_drafting(manager_a, agency_x, make_room, plan):
    room = make_room()
    with pytest.raises(ValidationError, match="当前未分配"):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.TRANSFER, room=room, to_agency=agency_x
        )
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x, start_date=START)
    with pytest.raises(ValidationError, match="不是闲置房间"):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.ALLOCATE, room=room, to_agency=agency_x
        )
    with pytest.raises(ValidationError, match="调入单位与原使用单位相同"):
        plans.plan_step_add(
            actor=manager_a, plan=plan, kind=K.TRANSFER, room=room, to_agency=agency_x
        )
    assert not plan.steps.exists()
