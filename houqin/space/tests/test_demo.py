"""The demo office space (seed_demo): every agency holds rooms, every ranked person is seated,
the compliance report has its two deliberate cases and a dozen idle rooms, the requests went
through the approval flow, the plan of the year is applied; idempotent."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from houqin.core.models import AuditLogEntry
from houqin.core.roles import Role
from houqin.org.models import OrgUnit, Person, Rank, User
from houqin.org.tests.factories import PersonFactory, make_unit, make_user
from houqin.space import demo, summary
from houqin.space.compliance import compliance, plan_effect
from houqin.space.models import (
    AdjustmentPlan,
    Allocation,
    Building,
    Occupancy,
    PlanStep,
    SpaceRequest,
    SpaceRoom,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)
K = PlanStep.Kind
LOGINS = ("space", "leader", "liaison", "juzhang")


def rank(code):
    return Rank.objects.get(code=code)


@pytest.fixture
def demo_org(center_a, agency_x, agency_y):
    """Three agencies of a head, two deputies, seven clerks and a contract worker each; the
    center's own staff; the demo logins (liaison and agency leader of 甲区财政局)."""
    agency_z = make_unit(center_a, "甲区民政局", short_name="民政局", code="Z")
    for agency in (agency_x, agency_y, agency_z):
        PersonFactory(agency=agency, rank=rank("section-head"))
        for _ in range(2 if agency != agency_x else 1):
            PersonFactory(agency=agency, rank=rank("section-deputy"))
        for _ in range(7):
            PersonFactory(agency=agency)
        PersonFactory(agency=agency, rank=None, name="合同工")
    for _ in range(5):
        PersonFactory(agency=center_a, center=center_a)
    return {
        "space": make_user(
            PersonFactory(agency=center_a, center=center_a, name="用房管理员"),
            Role.SPACE_MANAGER,
            username="space",
        ),
        "leader": make_user(
            PersonFactory(
                agency=center_a, center=center_a, name="中心主任", rank=rank("section-head")
            ),
            Role.LEADER,
            username="leader",
        ),
        "liaison": make_user(
            PersonFactory(agency=agency_x, name="办公室主任", rank=rank("section-deputy")),
            Role.LIAISON,
            username="liaison",
        ),
        "juzhang": make_user(
            PersonFactory(agency=agency_x, name="局长", rank=rank("section-head")),
            Role.AGENCY_LEADER,
            username="juzhang",
        ),
        "agencies": [agency_x, agency_y, agency_z],
    }


def snapshot(center):
    models = (Building, SpaceRoom, Allocation, Occupancy, SpaceRequest, AdjustmentPlan)
    return (
        {m.__name__: m.objects.filter(center=center).count() for m in models},
        PlanStep.objects.count(),
        AuditLogEntry.objects.count(),
        list(SpaceRoom.objects.order_by("pk").values_list("updated_at", "status")),
        list(Person.objects.order_by("pk").values_list("updated_at", "status")),
    )


def test_seed_builds_the_estate(center_a, demo_org):
    created = demo.seed(center_a, today=TODAY)
    assert created
    buildings = {b.code: b for b in Building.objects.filter(center=center_a)}
    assert set(buildings) == {"XZ", "QW1", "QW2", "SD"}
    assert buildings["SD"].ownership == Building.Ownership.ALLOCATED
    assert buildings["XZ"].floors.count() == 9  # 8 floors and B1
    # Every agency and the center hold rooms, with a certificate.
    holders = set(
        Allocation.objects.filter(center=center_a, end_date__isnull=True).values_list(
            "agency_id", flat=True
        )
    )
    assert holders == {center_a.pk, *(a.pk for a in demo_org["agencies"])}
    assert not Allocation.objects.filter(center=center_a, certificate_no="").exists()
    assert Allocation.objects.filter(certificate_no__startswith="X机管配〔2019〕").exists()
    # Every active person with a rank sits in exactly one office of their agency.
    ranked = Person.objects.filter(center=center_a, status="active", rank__isnull=False)
    seats = Occupancy.objects.filter(center=center_a, end_date__isnull=True)
    assert sorted(seats.filter(person__status="active").values_list("person_id", flat=True)) == (
        sorted(ranked.values_list("pk", flat=True))
    )
    for seat in seats.select_related("room", "person"):
        held = seat.room.allocations.get(end_date__isnull=True)
        assert held.agency_id == seat.person.agency_id and seat.room.use_kind == "office"
    for room in SpaceRoom.objects.filter(center=center_a):
        assert room.occupancies.filter(end_date__isnull=True).count() <= room.capacity


def test_compliance_has_the_deliberate_cases(center_a, demo_org):
    demo.seed(center_a, today=TODAY)
    report = compliance(center_a.pk, today=TODAY)
    over = report.people_over
    assert len(over) == 1 and over[0].excess == Decimal("2.00")
    assert over[0].person.rank.code == "section-deputy"
    # The retired deputy's office: overdue, and their agency over until it is taken back.
    assert len(report.overdue) == 1
    retired = report.overdue[0].occupancy.person
    assert retired.status == "retired" and retired.user_id is None
    assert [row.agency for row in report.agencies_over] == [retired.agency]
    assert 10 <= len(report.idle_rooms) <= 14
    assert len(report.repair_rooms) == 1
    # Shared clerks' offices of two to four, within 9 ㎡ a head.
    shared = [s for row in report.people for s in row.seats if s.occupants > 1]
    assert shared and all(2 <= s.occupants <= 4 and s.share <= 9 for s in shared)
    # The role logins stay active.
    assert all(User.objects.get(username=name).is_active for name in LOGINS)


def test_requests_went_through_the_approval_flow(center_a, demo_org, agency_x):
    demo.seed(center_a, today=TODAY)
    requests = SpaceRequest.objects.filter(center=center_a)
    assert sorted(requests.values_list("status", flat=True)) == ["approved", "pending", "rejected"]
    assert set(requests.values_list("agency", flat=True)) == {agency_x.pk}
    assert set(requests.values_list("requested_by__username", flat=True)) == {"liaison"}
    from houqin.core.approvals.models import ApprovalRequest

    pending = ApprovalRequest.objects.get(
        object_id=requests.get(status="pending").pk, request_type="space.request"
    )
    assert pending.current_position == 2  # waiting for the space manager
    approved = ApprovalRequest.objects.get(
        object_id=requests.get(status="approved").pk, request_type="space.request"
    )
    assert list(approved.steps.values_list("decided_by__username", flat=True)) == [
        "juzhang",
        "space",
        "leader",
    ]


def test_plans(center_a, demo_org, agency_x):
    demo.seed(center_a, today=TODAY)
    applied = AdjustmentPlan.objects.get(center=center_a, status="applied")
    assert applied.year == 2026 and applied.effective_date == TODAY
    kinds = list(applied.steps.values_list("kind", flat=True))
    assert kinds.count(K.OBTAIN) == 4 and K.TRANSFER in kinds and K.ALLOCATE in kinds
    granted = applied.steps.get(request__isnull=False)
    assert granted.to_agency == agency_x and granted.request.status == "approved"
    upstream = Allocation.objects.filter(center=center_a, source="upstream", end_date=None)
    assert upstream.count() == 4 and {a.room.building.code for a in upstream} == {"SD"}
    draft = AdjustmentPlan.objects.get(center=center_a, status="draft")
    assert draft.year == 2027
    assert set(draft.steps.values_list("kind", flat=True)) == {K.VACATE, K.ALLOCATE}
    effect = plan_effect(draft, today=TODAY)
    assert effect.can_apply and [o.person.status for o in effect.moving_out] == ["retired"]
    figures = summary.figures(center_a, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert figures["rooms_obtained"] == 4 and figures["area_obtained_upstream"] > 0
    assert figures["rooms_reallocated"] == 3
    assert figures["requests_received"] == 3 and figures["requests_granted"] == 1


def test_second_run_writes_nothing(center_a, demo_org):
    demo.seed(center_a, today=TODAY)
    before = snapshot(center_a)
    assert demo.seed(center_a, today=TODAY) == []
    assert demo.seed(center_a, today=TODAY + dt.timedelta(days=30)) == []
    assert snapshot(center_a) == before


def test_center_without_demo_logins_gets_the_register_only(center_b, agency_b):
    for _ in range(3):
        PersonFactory(agency=agency_b)
    created = demo.seed(center_b, today=TODAY)
    assert created and SpaceRoom.objects.filter(center=center_b).exists()
    assert not SpaceRequest.objects.exists() and not AdjustmentPlan.objects.exists()
    assert demo.seed(center_b, today=TODAY) == []


def test_seed_demo_command():
    """The real demo: 20 agencies, ~250 rooms, compliance mostly clean."""
    call_command("seed_demo", stdout=io.StringIO())
    center = OrgUnit.objects.get(kind="center", code="DEMO-CENTER")
    rooms = SpaceRoom.objects.filter(center=center)
    assert 230 <= rooms.count() <= 280
    agencies = OrgUnit.objects.filter(center=center, kind="agency")
    holders = set(
        Allocation.objects.filter(center=center, end_date__isnull=True).values_list(
            "agency_id", flat=True
        )
    )
    assert set(agencies.values_list("pk", flat=True)) | {center.pk} == holders
    report = compliance(center.pk)
    assert len(report.people_over) == 1 and len(report.agencies_over) == 1
    assert len(report.overdue) == 1 and 10 <= len(report.idle_rooms) <= 14
    assert all(User.objects.get(username=name).is_active for name in LOGINS)
    assert SpaceRequest.objects.filter(center=center).count() == 3
    assert AdjustmentPlan.objects.filter(center=center, status="applied").count() == 1
