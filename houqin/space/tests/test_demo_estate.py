"""The demo leases, projects and ownership records (seed_estate): what the seed report
describes, written through the services, and nothing more on a second run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.space import demo_estate
from houqin.space.models import (
    Lease,
    OwnershipRecord,
    ProjectItem,
    ProjectUpdate,
    RenovationProject,
)
from houqin.space.services import estate as svc
from houqin.space.services import register

from .test_estate import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    # The services refuse dates after "today": the clock is the demo's day.
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_demo_estate_is_idempotent(center_a, building_a, building_b):
    annex = register.building_create(
        actor=None,
        center=center_a,
        name="档案馆",
        code="C",
        address="人民路 3 号",
        floor_area=800,
        floors_above=3,
    )
    garage = register.building_create(
        actor=None,
        center=center_a,
        name="车库楼",
        code="D",
        address="人民路 5 号",
        floor_area=600,
        floors_above=2,
    )
    created = demo_estate.seed_estate(center_a, today=TODAY)
    assert len(created) == 5 + 2 + 3
    leases = Lease.objects.filter(center=center_a)
    year = svc.lease_totals(leases, year=2026)
    assert year["vacated"] == 4 and year["saving"] == Decimal("330000.00")
    active = leases.get(status=Lease.Status.ACTIVE)
    assert TODAY < active.end_date <= TODAY + dt.timedelta(days=60)

    auditorium = RenovationProject.objects.get(title="区行政中心一楼报告厅改造")
    assert auditorium.status == RenovationProject.Status.COMPLETED
    assert auditorium.building == building_a and auditorium.final_cost == Decimal("608100.00")
    names = {i.name: (i.quantity, i.unit) for i in auditorium.items.all()}
    assert names["礼堂椅"] == (Decimal("420"), "张") and names["木地板"] == (Decimal("380"), "㎡")
    assert len(names) == 7
    roof = RenovationProject.objects.get(title="行政中心大楼楼顶全面补漏")
    assert roof.status == RenovationProject.Status.IN_PROGRESS and 0 < roof.progress < 100

    statuses = dict(
        OwnershipRecord.objects.filter(center=center_a).values_list("building", "status")
    )
    assert statuses == {
        building_a.pk: "registered",
        annex.pk: "filed",
        garage.pk: "pending",
    }
    assert not OwnershipRecord.objects.filter(building=building_b).exists()

    counts = [
        m.objects.count()
        for m in (Lease, RenovationProject, ProjectItem, ProjectUpdate, OwnershipRecord)
    ]
    assert demo_estate.seed_estate(center_a, today=TODAY + dt.timedelta(days=3)) == []
    assert counts == [
        m.objects.count()
        for m in (Lease, RenovationProject, ProjectItem, ProjectUpdate, OwnershipRecord)
    ]


def test_demo_estate_without_buildings(center_b):
    created = demo_estate.seed_estate(center_b, today=dt.date(2026, 1, 5))
    assert len(created) == 7  # leases and projects; no ownership without buildings
    assert RenovationProject.objects.filter(center=center_b, building__isnull=True).count() == 2
    assert not OwnershipRecord.objects.exists()
