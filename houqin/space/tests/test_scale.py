"""The space part of seed_scale at a small size: every ranked person seated, one current
holder per room and room statuses that match, seats within capacity, the compliance picture
(mostly within the standard, a few over), the year's figures and the manager's pages."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.urls import reverse

from houqin.org.models import OrgUnit, Person, User
from houqin.space import summary
from houqin.space.compliance import compliance
from houqin.space.models import Allocation, Building, Occupancy, SpaceRoom

pytestmark = pytest.mark.django_db


@pytest.fixture
def center(monkeypatch):
    # The PRAGMAs cannot run inside the test's transaction (SQLite refuses them there).
    monkeypatch.setattr(
        "houqin.org.management.commands.seed_scale.sqlite_fast_writes", lambda: None
    )
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
