"""Concurrency on PostgreSQL: managers clicking at the same moment on the same room.

- several allocations of one idle room at once: exactly one agency gets it;
- several people put into a one-desk office at once: exactly one sits there;
- several adjustment plans that all allocate the same idle room, applied at once: exactly one
  is applied, every other one raises a ValidationError and writes nothing (not even its
  other steps).

These need real concurrent transactions, so they run with transaction=True on PostgreSQL
only (SQLite serialises writers with BEGIN IMMEDIATE; the same rules are tested one at a
time in test_services.py and test_plans.py). Every thread closes its own connection.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.org.models import Rank
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user
from houqin.space.models import AdjustmentPlan, Allocation, Occupancy, PlanStep, SubUse
from houqin.space.services import allocation as alloc
from houqin.space.services import plans, register

THREADS = 8
DAY = dt.date(2026, 11, 25)


def concurrent(test):
    """PostgreSQL only, with real transactions (each thread commits on its own connection)."""
    return postgres_only(pytest.mark.django_db(transaction=True)(test))


@pytest.fixture
def migrated(transactional_db):
    """What migrations create (ranks, role groups): a transactional test's flush removes it."""
    restore_migrated_data()


@pytest.fixture
def race(migrated):
    center = make_center("并发测试中心", code="RACE")
    agencies = [make_unit(center, f"并发测试{i}局", code=f"R{i}") for i in range(THREADS)]
    manager = make_user(
        PersonFactory(agency=agencies[0], name="用房管理员"), Role.SPACE_MANAGER, username="rs"
    )
    building = register.building_create(
        actor=None,
        center=center,
        name="并发楼",
        address="测试路 1 号",
        floor_area="5000",
        floors_above=1,
    )
    floor = building.floors.get(level=1)
    counter = iter(range(100, 1000))

    def room(capacity=1):
        return register.room_create(
            actor=None,
            building=building,
            floor=floor,
            number=str(next(counter)),
            usable_area=Decimal("18.00"),
            sub_use=SubUse.OFFICE,
            capacity=capacity,
        )

    return center, agencies, manager, room


def split(results):
    won = [r for r, e in results if e is None]
    lost = [e for r, e in results if e is not None]
    for exc in lost:
        assert isinstance(exc, ValidationError), repr(exc)
    return won, lost


@concurrent
def test_one_idle_room_allocated_at_once_to_many_agencies(race):
    _center, agencies, manager, room = race
    idle = room()
    results = run_at_once(
        [
            lambda a=a: alloc.allocation_create(actor=manager, room=idle, agency=a, start_date=DAY)
            for a in agencies
        ]
    )
    won, lost = split(results)
    print(f"{THREADS} attempts, {len(won)} winners")
    assert len(won) == 1 and len(lost) == THREADS - 1
    assert all("当前由" in str(exc) for exc in lost)
    allocation = Allocation.objects.get(room=idle)
    assert allocation.pk == won[0].pk and allocation.end_date is None
    idle.refresh_from_db()
    assert idle.status == "occupied"


@concurrent
def test_one_desk_taken_at_once_by_many_people(race):
    _center, agencies, manager, room = race
    office = room(capacity=1)
    alloc.allocation_create(actor=manager, room=office, agency=agencies[0], start_date=DAY)
    rank = Rank.objects.get(code="below-section")
    people = [PersonFactory(agency=agencies[0], name=f"职工{i}", rank=rank) for i in range(THREADS)]
    results = run_at_once(
        [
            lambda p=p: alloc.occupancy_add(actor=manager, room=office, person=p, start_date=DAY)
            for p in people
        ]
    )
    won, lost = split(results)
    print(f"{THREADS} attempts, {len(won)} winners")
    assert len(won) == 1 and len(lost) == THREADS - 1
    assert all("已满" in str(exc) for exc in lost)
    assert Occupancy.objects.filter(room=office, end_date__isnull=True).count() == 1


@concurrent
def test_plans_allocating_the_same_room_applied_at_once(race):
    center, agencies, manager, room = race
    contested = room()
    own_rooms = []
    drafts = []
    for i, agency in enumerate(agencies[:4]):
        plan = plans.plan_create(
            actor=manager, center=center, year=2026, title=f"方案{i}", effective_date=DAY
        )
        # Each plan also has a room of its own, listed first: it must not be allocated when
        # the plan loses the contested room.
        own = room()
        own_rooms.append(own)
        plans.plan_step_add(
            actor=manager, plan=plan, kind=PlanStep.Kind.ALLOCATE, room=own, to_agency=agency
        )
        plans.plan_step_add(
            actor=manager,
            plan=plan,
            kind=PlanStep.Kind.ALLOCATE,
            room=contested,
            to_agency=agency,
        )
        drafts.append(plan)
    results = run_at_once([lambda p=p: plans.plan_apply(actor=manager, plan=p) for p in drafts])
    won, lost = split(results)
    print(f"{len(drafts)} attempts, {len(won)} winners")
    assert len(won) == 1 and len(lost) == len(drafts) - 1
    assert all("不再闲置" in str(exc) for exc in lost)
    winner = won[0]
    statuses = dict(AdjustmentPlan.objects.values_list("pk", "status"))
    assert statuses.pop(winner.pk) == AdjustmentPlan.Status.APPLIED
    assert set(statuses.values()) == {AdjustmentPlan.Status.DRAFT}
    assert Allocation.objects.get(room=contested).plan_step.plan_id == winner.pk
    # Nothing of the losing plans was written: only the winner's own room is allocated.
    allocated = set(Allocation.objects.values_list("room_id", flat=True))
    winner_own = own_rooms[drafts.index(next(p for p in drafts if p.pk == winner.pk))]
    assert allocated == {contested.pk, winner_own.pk}
