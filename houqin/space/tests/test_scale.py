"""The space part of seed_scale at a small size: every ranked person seated, one current
holder per room and room statuses that match, seats within capacity, the compliance picture
(mostly within the standard, a few over), the year's figures and the manager's pages; the
requests for more space and the adjustment plans."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from houqin.core.approvals.models import ApprovalRequest, ApprovalStep
from houqin.org.models import OrgUnit, Person, User
from houqin.space import summary
from houqin.space.compliance import compliance
from houqin.space.models import (
    AdjustmentPlan,
    Allocation,
    Building,
    Occupancy,
    PlanStep,
    SpaceRequest,
    SpaceRoom,
)
from houqin.space.services.plans import REQUEST_TYPE, plan_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="space", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1", kind=OrgUnit.Kind.CENTER)


def test_space_scale(center, client):
    assert Building.objects.filter(center=center).count() == 8
    rooms = SpaceRoom.objects.filter(center=center)
    assert 60 <= rooms.count() <= 400
    ranked = Person.objects.filter(center=center, rank__isnull=False)
    seated = Occupancy.objects.filter(center=center, end_date__isnull=True)
    assert seated.values("person").distinct().count() == ranked.count() == seated.count()

    current = Allocation.objects.filter(center=center, end_date__isnull=True)
    assert not current.values("room").annotate(n=Count("pk")).filter(n__gt=1)
    held = set(current.values_list("room_id", flat=True))
    for room in rooms:
        if room.status == SpaceRoom.Status.OCCUPIED:
            assert room.pk in held
        else:
            assert room.pk not in held
    assert not Allocation.objects.filter(center=center, end_date__lt=F("start_date"))
    people_in = Counter(seated.values_list("room_id", flat=True))
    capacity = dict(rooms.values_list("pk", "capacity"))
    assert all(n <= capacity[room] for room, n in people_in.items())
    assert all(room in held for room in people_in)
    # Seats only in offices held by the sitter's own agency.
    holder = dict(current.values_list("room_id", "agency_id"))
    for room_id, agency_id in seated.values_list("room_id", "person__agency_id"):
        assert holder[room_id] == agency_id

    report = compliance(center.pk, dt.date(2025, 12, 30), today=dt.date(2026, 1, 5))
    holding = [row for row in report.agencies if row.rooms]
    assert len(report.agencies_over) >= 1
    assert len(report.agencies_over) <= len(holding) // 5 + 1
    assert len(report.people_over) <= max(2, len(report.people) // 20)

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures["agencies_total"] == len(holding)
    assert figures["agencies_approved"] == len(holding) - figures["agencies_over"]
    assert figures["agencies_over"] >= 1
    assert figures["rooms_obtained"] >= 1
    assert figures["idle_rooms"] >= 1
    assert figures["leases_vacated"] == 2
    assert figures["projects_completed"] >= 3 and figures["projects_cost"] > 0
    assert figures["ownership_total"] == 8 and figures["ownership_pct"] > 50

    client.force_login(User.objects.get(username="s1space"))
    for name in ("space:room_list", "space:compliance", "space:lease_list"):
        assert client.get(reverse(name)).status_code == 200


def test_space_requests_and_plans():
    """用房申请 with their approvals as the flow leaves them, the year's plan applied as
    plan_apply would have, and next year's draft applicable as it stands (150 staff: three
    agencies, so some have room left within their entitlement)."""
    call_command("seed_scale", staff=150, year=2025, only="space", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1", kind=OrgUnit.Kind.CENTER)
    requests = SpaceRequest.objects.filter(center=center)
    assert requests.count() == 4  # max(4, 30 × 0.05)
    approvals = {
        a.object_id: a
        for a in ApprovalRequest.objects.filter(center=center, request_type=REQUEST_TYPE)
    }
    assert set(approvals) == set(requests.values_list("pk", flat=True))
    for request in requests:
        approval = approvals[request.pk]
        assert approval.status == request.status  # the hooks keep both in step
        assert approval.agency_id == request.agency_id
        assert approval.requester_id == request.requested_by_id
        decided = request.status in (SpaceRequest.Status.APPROVED, SpaceRequest.Status.REJECTED)
        assert (request.decided_at is not None) == decided
        if decided:
            assert request.decided_at == approval.decided_at >= request.created_at
        steps = list(approval.steps.order_by("position"))
        assert len(steps) == 3
        if request.status == SpaceRequest.Status.APPROVED:
            assert all(s.status == ApprovalStep.Status.APPROVED for s in steps)
        pending = [s for s in steps if s.status == ApprovalStep.Status.PENDING]
        assert len(pending) == (1 if request.status == SpaceRequest.Status.PENDING else 0)

    applied = AdjustmentPlan.objects.filter(center=center, status=AdjustmentPlan.Status.APPLIED)
    assert applied.count() <= 1
    for plan in applied:
        assert plan.applied_at is not None and plan.applied_by_id is not None
        steps = list(plan.steps.order_by("position"))
        assert [s.position for s in steps] == list(range(1, len(steps) + 1))
        for step in steps:
            now = Allocation.objects.get(room=step.room, end_date__isnull=True)
            assert now.plan_step_id == step.pk and now.agency_id == step.to_agency_id
            assert now.source == Allocation.Source.PLAN
            assert now.start_date == plan.effective_date
            if step.kind == PlanStep.Kind.TRANSFER:
                before = Allocation.objects.get(room=step.room, end_date=plan.effective_date)
                assert before.agency_id == step.from_agency_id != step.to_agency_id
            else:
                assert step.kind == PlanStep.Kind.ALLOCATE and step.from_agency_id is None
            if step.request_id:
                assert step.request.status == SpaceRequest.Status.APPROVED
                assert step.request.agency_id == step.to_agency_id
                assert step.request.decided_at.date() < plan.effective_date
    for plan in AdjustmentPlan.objects.filter(center=center, status=AdjustmentPlan.Status.DRAFT):
        assert plan.year == 2026 and plan_problems(plan) == []

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures["requests_received"] == 4
    assert figures["requests_granted"] == requests.filter(status="approved").count()
    assert figures["rooms_reallocated"] == sum(p.steps.count() for p in applied)
    assert figures["agencies_over"] >= 1  # realised requests kept their agency in standard
    assert figures["idle_rooms"] >= 1
    client = Client()
    client.force_login(User.objects.get(username="s1space"))
    for name in ("space:request_list", "space:plan_list"):
        assert client.get(reverse(name)).status_code == 200
    for plan in AdjustmentPlan.objects.filter(center=center):
        assert client.get(reverse("space:plan_detail", args=[plan.pk])).status_code == 200
    for request in requests:
        assert client.get(reverse("space:request_detail", args=[request.pk])).status_code == 200
