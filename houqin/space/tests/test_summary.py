"""The office-space figures of 2026 on a small known data set, and their query budget.

Read at NOW (25 Nov 2026): the period [2026-01-01, 2027-01-01) has not ended, so the
"at the end of the period" figures are those of 25 Nov.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.services import approval_approve, approval_reject
from houqin.core.roles import Role
from houqin.org import services as org_services
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space import summary
from houqin.space.models import (
    Allocation,
    Lease,
    PlanStep,
    RenovationProject,
    SpaceRequest,
    SubUse,
)
from houqin.space.services import allocation as alloc
from houqin.space.services import estate, plans, register

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 10, 0))
LONG_AGO = dt.date(2020, 1, 1)
K = PlanStep.Kind


def at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 9, 0))


@pytest.fixture
def juzhang_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="局长甲"), Role.AGENCY_LEADER, username="jz_x"
    )


def allocate(manager, room, agency, start=LONG_AGO, **kw):
    return alloc.allocation_create(actor=manager, room=room, agency=agency, start_date=start, **kw)


def seat(manager, room, person, start=LONG_AGO):
    return alloc.occupancy_add(actor=manager, room=room, person=person, start_date=start)


def request(liaison, head, manager, leader, outcome, created, decided=None):
    """A request taken through the approval flow, dated like the data set."""
    req = plans.request_submit(
        actor=liaison,
        agency=liaison.person.agency,
        reason="档案增加",
        headcount=10,
        area_wanted="20",
    )
    approval = ApprovalRequest.objects.get(object_id=req.pk, request_type="space.request")
    if outcome != "pending":
        approval = approval_approve(actor=head, approval=approval)
    if outcome == "approved":
        approval = approval_approve(actor=manager, approval=approval)
        approval_approve(actor=leader, approval=approval)
    elif outcome == "rejected":
        approval_reject(actor=manager, approval=approval, comment="面积已达标准")
    # created_at / decided_at are set by the clock: put them at the data set's times.
    SpaceRequest.objects.filter(pk=req.pk).update(created_at=created, decided_at=decided)
    return req


def lease(manager, center, address, rent, vacated=None):
    row = estate.lease_create(
        actor=manager,
        center=center,
        lessor="城关镇居民",
        address=address,
        area="300",
        annual_rent=rent,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )
    if vacated:
        row = estate.lease_vacate(actor=manager, lease=row, vacated_on=vacated)
    return row


def project(manager, center, title, items, finished=None, cost=None):
    row = estate.project_create(
        actor=manager, center=center, title=title, budget="100000", start_date=dt.date(2025, 6, 1)
    )
    for name, quantity, unit in items:
        estate.project_item_add(actor=manager, project=row, name=name, quantity=quantity, unit=unit)
    if finished:
        row = estate.project_complete(
            actor=manager, project=row, finish_date=finished, final_cost=cost
        )
    return row


def building(manager, center, name, **kw):
    return register.building_create(
        actor=manager,
        center=center,
        name=name,
        address="XX区 1 号",
        floor_area="1000",
        floors_above=2,
        **kw,
    )


@pytest.fixture
def dataset(
    center_a,
    agency_x,
    agency_y,
    manager_a,
    leader_a,
    liaison_x,
    juzhang_x,
    building_a,
    make_room,
    make_person,
    center_b,
    agency_b,
    manager_b,
    building_b,
):
    """
    X: two clerks share r1 (18 ㎡); a deputy retired on 1 Sep still in r9 (12 ㎡, overdue);
       two clerks with no office yet keep X within its entitlement. r3 (service, 40 ㎡)
       obtained from upstream on 1 Mar 2026; r4 (25 ㎡) obtained on 31 Dec 2025 (outside).
    Y: its head (18 ㎡) alone in r2 (20 ㎡): 2 ㎡ over, and Y 2 ㎡ over.
    Plan effective 1 Jun 2026: transfer r5 (meeting, 30 ㎡) X → Y, allocate idle r6
       (archives, 12 ㎡) to Y. r7 (15 ㎡) idle; r8 under repair.
    """
    m = manager_a
    r1 = make_room("18.00", capacity=2)
    r2 = make_room("20.00")
    r3 = make_room("40.00", sub_use=SubUse.ARCHIVES)
    r4 = make_room("25.00", sub_use=SubUse.STORAGE)
    r5 = make_room("30.00", sub_use=SubUse.MEETING)
    r6 = make_room("12.00", sub_use=SubUse.ARCHIVES)
    r7 = make_room("15.00")
    r8 = make_room("16.00")
    r9 = make_room("12.00")
    for room in (r1, r9, r5):
        allocate(m, room, agency_x)
    allocate(m, r2, agency_y)
    allocate(m, r3, agency_x, dt.date(2026, 3, 1), source=Allocation.Source.UPSTREAM)
    allocate(m, r4, agency_x, dt.date(2025, 12, 31), source=Allocation.Source.UPSTREAM)
    register.room_set_repair(actor=m, room=r8, repair=True)
    seat(m, r1, make_person(agency_x))
    seat(m, r1, make_person(agency_x))
    make_person(agency_x)
    make_person(agency_x)
    deputy = make_person(agency_x, "section-deputy")
    seat(m, r9, deputy)
    org_services.person_set_status(
        actor=None, person=deputy, status="retired", date=dt.date(2026, 9, 1)
    )
    head_y = make_person(agency_y, "section-head", name="超标局长")
    seat(m, r2, head_y)

    plan = plans.plan_create(
        actor=m,
        center=center_a,
        year=2026,
        title="2026年调整方案",
        effective_date=dt.date(2026, 6, 1),
    )
    plans.plan_step_add(actor=m, plan=plan, kind=K.TRANSFER, room=r5, to_agency=agency_y)
    plans.plan_step_add(actor=m, plan=plan, kind=K.ALLOCATE, room=r6, to_agency=agency_y)
    plans.plan_apply(actor=m, plan=plan, now=NOW)

    args = (liaison_x, juzhang_x, m, leader_a)
    request(*args, "approved", at(2026, 3, 2), at(2026, 3, 20))
    request(*args, "approved", at(2025, 11, 2), at(2026, 1, 5))  # received 2025, granted 2026
    request(*args, "rejected", at(2026, 5, 2), at(2026, 5, 9))
    request(*args, "pending", at(2026, 10, 2))
    request(*args, "approved", at(2025, 3, 2), at(2025, 4, 2))  # outside

    lease(m, center_a, "解放路 18 号", "86000", dt.date(2026, 3, 31))
    lease(m, center_a, "解放路 22 号", "78000.50", dt.date(2026, 6, 30))
    lease(m, center_a, "和平街 7 号", "50000", dt.date(2025, 12, 31))  # outside
    lease(m, center_a, "新华路 56 号", "138000")  # still rented

    project(
        m,
        center_a,
        "报告厅改造",
        [("礼堂椅", "420", "张"), ("木地板", "380", "㎡")],
        dt.date(2026, 8, 30),
        "580000.00",
    )
    project(m, center_a, "会议室改造", [("礼堂椅", "30", "张")], dt.date(2026, 10, 1), "20000")
    project(m, center_a, "楼顶补漏", [("防水层", "900", "㎡")])  # in progress
    project(m, center_a, "旧车库改造", [("地坪", "600", "㎡")], dt.date(2025, 12, 20), "9000")

    estate.ownership_save(
        actor=m,
        building=building_a,
        status="registered",
        certificate_no="X不动产权第 0001 号",
        certificate_date=dt.date(2021, 5, 1),
    )
    filed = building(m, center_a, "区委大院1号楼")
    estate.ownership_save(
        actor=m, building=filed, status="filed", filing_no="备 001", filing_date=dt.date(2022, 1, 1)
    )
    building(m, center_a, "区委大院2号楼")  # pending, no record
    gone = building(m, center_a, "旧办公楼")
    register.building_update(
        actor=m,
        building=gone,
        name=gone.name,
        address=gone.address,
        floor_area="1000",
        floors_above=2,
        is_active=False,
    )

    # Center B: never counted.
    room_b = make_room("50.00", building=building_b)
    allocate(manager_b, room_b, agency_b, dt.date(2026, 3, 1), source=Allocation.Source.UPSTREAM)
    lease(manager_b, center_b, "乙区 1 号", "99999", dt.date(2026, 3, 1))
    return {"rooms": (r1, r2, r3, r4, r5, r6, r7, r8, r9), "head_y": head_y}


def test_figures(center_a, dataset):
    f = summary.figures(center_a, START, END, now=NOW)
    assert f["as_of"] == dt.date(2026, 11, 25)
    assert (f["agencies_approved"], f["agencies_total"]) == (1, 2)
    assert f["agencies_approved_pct"] == 50.0
    assert (f["requests_received"], f["requests_granted"]) == (3, 2)
    assert (f["rooms_obtained"], f["area_obtained_upstream"]) == (1, Decimal("40.00"))
    assert (f["rooms_reallocated"], f["area_reallocated"]) == (2, Decimal("42.00"))
    assert (f["leases_vacated"], f["rent_saved_per_year"]) == (2, Decimal("164000.50"))
    assert (f["projects_completed"], f["projects_cost"]) == (2, Decimal("600000.00"))
    # Sums keep two places on every database (SQLite's come back without their scale).
    assert [str(f[k]) for k in ("projects_cost", "area_reallocated")] == ["600000.00", "42.00"]
    assert [(i["name"], i["unit"], i["quantity"], i["projects"]) for i in f["projects_items"]] == [
        ("木地板", "㎡", Decimal("380.00"), 1),
        ("礼堂椅", "张", Decimal("450.00"), 2),
    ]
    assert (f["people_over"], f["people_excess"]) == (1, Decimal("2.00"))
    assert (f["agencies_over"], f["agencies_excess"]) == (1, Decimal("2.00"))
    assert (f["idle_rooms"], f["idle_area"]) == (1, Decimal("15.00"))
    assert f["offices_overdue"] == 1
    assert (
        f["ownership_registered"],
        f["ownership_filed"],
        f["ownership_pending"],
        f["ownership_total"],
    ) == (1, 1, 1, 3)
    assert f["ownership_pct"] == 66.7
    assert set(summary.DEFINITIONS) <= set(f)


def test_end_of_a_past_period_is_its_last_day(center_a, dataset):
    """2025 read at NOW: the situation of 31 Dec 2025 (before the plan and the retirement)."""
    f = summary.figures(center_a, dt.date(2025, 1, 1), START, now=NOW)
    assert f["as_of"] == dt.date(2025, 12, 31)
    assert f["rooms_reallocated"] == 0
    assert (f["rooms_obtained"], f["area_obtained_upstream"]) == (1, Decimal("25.00"))
    assert (f["requests_received"], f["requests_granted"]) == (2, 1)
    assert (f["leases_vacated"], f["rent_saved_per_year"]) == (1, Decimal("50000.00"))
    assert (f["projects_completed"], f["projects_cost"]) == (1, Decimal("9000.00"))
    # r3 (obtained later), r6 and r7 held by nobody then (r8 is under repair); the deputy
    # had not left yet.
    assert f["idle_rooms"] == 3 and f["offices_overdue"] == 0


def test_aware_datetime_bounds(center_a, dataset):
    f = summary.figures(center_a, at(2026, 3, 1), at(2026, 4, 1), now=NOW)
    assert f["rooms_obtained"] == 1
    assert f["leases_vacated"] == 1
    assert f["requests_received"] == 1


def test_empty_center(center_a):
    f = summary.figures(center_a, START, END, now=NOW)
    assert f["agencies_total"] == f["agencies_approved"] == 0
    assert f["agencies_approved_pct"] is None and f["ownership_pct"] is None
    assert f["area_obtained_upstream"] == f["rent_saved_per_year"] == Decimal("0.00")
    assert f["projects_items"] == []


def test_records(center_a, dataset):
    rooms = dataset["rooms"]

    def rows(key):
        return [row for qs in summary.records(center_a, START, END, key, now=NOW) for row in qs]

    assert [p.pk for p in rows("people_over")] == [dataset["head_y"].pk]
    assert [r.pk for r in rows("idle_rooms")] == [rooms[6].pk]
    assert {a.room_id for a in rows("rooms_reallocated")} == {rooms[4].pk, rooms[5].pk}
    assert [a.room_id for a in rows("area_obtained_upstream")] == [rooms[2].pk]
    assert [u.name for u in rows("agencies_over")] == ["甲区教育局"]
    assert [u.name for u in rows("agencies_approved")] == ["甲区财政局"]
    assert len(rows("requests_received")) == 3 and len(rows("requests_granted")) == 2
    assert {lease.address for lease in rows("leases_vacated")} == {"解放路 18 号", "解放路 22 号"}
    assert {p.title for p in rows("projects_completed")} == {"报告厅改造", "会议室改造"}
    assert sorted(i.quantity for i in rows("projects_items")) == [30, 380, 420]
    assert [o.room_id for o in rows("offices_overdue")] == [rooms[8].pk]
    assert [b.name for b in rows("ownership_pending")] == ["区委大院2号楼"]
    assert len(rows("ownership_total")) == 3
    for key in summary.DEFINITIONS:
        assert isinstance(summary.records(center_a, START, END, key, now=NOW), list)
    with pytest.raises(KeyError):
        summary.records(center_a, START, END, "nonsense")


def test_figure_urls():
    assert summary.figure_url("people_over", START, END, now=NOW) == "/space/?date=2026-11-25"
    assert summary.figure_url("idle_rooms", START, END).endswith("?status=idle")
    assert summary.figure_url("ownership_total", START, END) == "/space/ownership/"
    assert summary.figure_url("area_reallocated", START, END) is None


def _count(center):
    with CaptureQueriesContext(connection) as ctx:
        summary.figures(center, START, END, now=NOW)
    return len(ctx.captured_queries)


def test_query_count_is_constant(center_a, dataset, agency_y, manager_a, make_room, make_person):
    small = _count(center_a)
    for i in range(8):
        room = make_room("18.00", capacity=2)
        allocate(manager_a, room, agency_y, dt.date(2026, 2, 1), source=Allocation.Source.UPSTREAM)
        seat(manager_a, room, make_person(agency_y), dt.date(2026, 2, 1))
        lease(manager_a, center_a, f"新街 {i} 号", "1000", dt.date(2026, 2, 1))
        project(manager_a, center_a, f"项目{i}", [("门", "2", "樘")], dt.date(2026, 2, 1), "10")
    assert _count(center_a) == small
    assert small <= 15
    assert Lease.objects.filter(center=center_a).count() == 12
    assert RenovationProject.objects.filter(center=center_a).count() == 12
