"""The security demo (seed_demo): a living gate, roster, patrols, events and registers;
idempotent (a second run writes nothing) and quick."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from houqin.core.models import AuditLogEntry
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security import demo
from houqin.security.models import (
    Camera,
    CheckpointScan,
    ContingencyPlan,
    Drill,
    FireEquipment,
    FireEquipmentCheck,
    Gate,
    Incident,
    Patrol,
    PatrolRoute,
    RosterEntry,
    ScreeningTally,
    Shift,
    Visit,
    Visitor,
    WatchEntry,
)
from houqin.security.services.rosters import monday_of, roster_gaps

pytestmark = pytest.mark.django_db
MODELS = (
    Gate,
    WatchEntry,
    Visitor,
    Visit,
    ScreeningTally,
    Shift,
    PatrolRoute,
    Patrol,
    Incident,
    ContingencyPlan,
    Drill,
    FireEquipment,
    Camera,
)


@pytest.fixture
def demo_users(agency_x, agency_y):
    users = {
        "security": make_user(
            PersonFactory(agency=agency_x, name="安保股长"),
            Role.SECURITY_MANAGER,
            username="security",
        ),
        "guard": make_user(
            PersonFactory(agency=agency_x, name="保安"), Role.GUARD, username="guard"
        ),
        "staff": make_user(PersonFactory(agency=agency_y, name="科员"), username="staff"),
    }
    for i in range(1, 7):
        make_user(PersonFactory(agency=agency_x, name=f"保安{i}"), Role.GUARD, username=f"bao{i}")
    for i in range(40):
        PersonFactory(agency=agency_y if i % 2 else agency_x)
    return users


def snapshot(center):
    return (
        {m.__name__: m.objects.filter(center=center).count() for m in MODELS},
        RosterEntry.objects.count(),
        CheckpointScan.objects.count(),
        FireEquipmentCheck.objects.count(),
        AuditLogEntry.objects.count(),
        list(Visit.objects.order_by("pk").values_list("updated_at", "status")),
    )


def test_seed_builds_a_living_security_service(center_a, demo_users):
    now = timezone.now()
    started = time.monotonic()
    created = demo.seed(center_a, now=now)
    first = time.monotonic() - started
    assert created

    assert set(Gate.objects.filter(center=center_a).values_list("name", "screening_per_entry")) == {
        ("东门", False),
        ("北门", True),
    }
    assert WatchEntry.objects.filter(center=center_a, level="blocked").count() == 1
    visits = Visit.objects.filter(center=center_a)
    assert 55 <= visits.count() <= 70
    assert visits.filter(status="in").count() == 3
    today = timezone.localdate(now)
    expected = visits.filter(status="expected")
    assert expected.count() == 2
    assert all(timezone.localtime(v.expected_at).date() == today for v in expected)
    assert visits.filter(status="refused").count() == 1
    assert visits.filter(invited_by=demo_users["staff"]).count() >= 10
    assert visits.filter(registered_by=demo_users["guard"]).count() >= 50

    assert Shift.objects.filter(center=center_a).count() == 4
    monday = monday_of(today)
    assert RosterEntry.objects.filter(shift__center=center_a).count() == 7 * 6 - 1
    gaps = roster_gaps(center_a.pk, monday, monday + dt.timedelta(days=7))
    assert gaps

    assert PatrolRoute.objects.filter(center=center_a).count() == 2
    patrols = Patrol.objects.filter(center=center_a)
    assert patrols.count() == 7 * 3
    assert patrols.filter(status="incomplete").count() == 1
    assert not patrols.filter(status="in_progress").exists()

    assert Incident.objects.filter(center=center_a).count() == 4
    assert Incident.objects.filter(center=center_a, status="open").count() == 1
    assert ContingencyPlan.objects.filter(center=center_a).count() == 1
    training = Drill.objects.get(center=center_a, kind="training")
    assert training.participants.count() + training.other_participants == 40
    assert Drill.objects.filter(center=center_a, kind="evacuation").exists()

    equipment = FireEquipment.objects.filter(center=center_a)
    assert 38 <= equipment.count() <= 45
    in_use = equipment.filter(status__in=("in_service", "faulty"))
    assert in_use.filter(expires_on__lt=today).count() == 2
    assert (
        in_use.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=30)).count()
        == 3
    )
    assert equipment.filter(status="faulty").count() == 1
    assert equipment.filter(status="replaced").count() == 1
    cameras = Camera.objects.filter(center=center_a)
    assert cameras.count() == 30 and cameras.filter(status="faulty").count() == 2

    before = snapshot(center_a)
    started = time.monotonic()
    assert demo.seed(center_a, now=now + dt.timedelta(hours=2)) == []
    assert time.monotonic() - started < 5
    assert snapshot(center_a) == before
    assert first < 60


def test_seed_without_demo_logins_writes_the_registers(center_a):
    created = demo.seed(center_a)
    assert FireEquipment.objects.filter(center=center_a).count() >= 38
    assert Camera.objects.filter(center=center_a).count() == 30
    assert created
    assert demo.seed(center_a) == []
