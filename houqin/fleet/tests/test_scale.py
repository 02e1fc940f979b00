"""The fleet year of the scale dataset (seed_scale --only fleet) at 60 staff."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.urls import reverse

from houqin.core.approvals.models import ApprovalRequest, ApprovalStep
from houqin.core.duties.models import DutyRecord, DutyTask
from houqin.core.roles import Role
from houqin.finance.models import Expenditure
from houqin.fleet import summary
from houqin.fleet.models import Driver, FuelRecord, Trip, TripRequest, Vehicle
from houqin.org.models import OrgUnit, RoleAssignment, User

pytestmark = pytest.mark.django_db

R = TripRequest.Status


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="fleet", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1")


def test_volumes_and_final_states(center):
    assert Driver.objects.filter(center=center).count() == 4
    assert Vehicle.objects.filter(center=center).count() == 4
    driver_users = Driver.objects.filter(center=center).values("user_id")
    assert RoleAssignment.objects.filter(user__in=driver_users, role=Role.DRIVER).count() == 4
    requests = TripRequest.objects.filter(center=center)
    assert 360 <= requests.count() <= 440  # 20,000 × 0.02, a few merged ones more
    # A year that is over: every request closed, every trip completed.
    assert set(requests.values_list("status", flat=True)) <= {
        R.COMPLETED,
        R.UNMET,
        R.REJECTED,
        R.CANCELLED,
    }
    assert requests.filter(status=R.COMPLETED).count() > 0.8 * requests.count()
    assert requests.filter(status=R.REJECTED).exists()
    assert not Trip.objects.filter(center=center).exclude(status=Trip.Status.COMPLETED).exists()
    assert not requests.filter(status=R.COMPLETED, trip__isnull=True).exists()
    assert not requests.exclude(status=R.COMPLETED).filter(trip__isnull=False).exists()
    assert requests.filter(rating__isnull=False).exists()
    assert not requests.filter(rating__isnull=False, rated_at__isnull=True).exists()
    numbers = list(Trip.objects.filter(center=center).values_list("pk", "number"))
    assert all(number == f"PC2025{pk:06d}" for pk, number in numbers)


def test_no_double_booking_and_odometer(center):
    trips = list(
        Trip.objects.filter(center=center)
        .order_by("starts_at", "pk")
        .values("vehicle_id", "driver_id", "starts_at", "ends_at", "start_odometer", "end_odometer")
    )
    for column in ("vehicle_id", "driver_id"):
        last = {}
        for t in trips:
            assert last.get(t[column], t["starts_at"]) <= t["starts_at"]
            last[t[column]] = t["ends_at"]
    odometer = {}
    for t in trips:
        assert t["end_odometer"] > t["start_odometer"]
        assert odometer.get(t["vehicle_id"], t["start_odometer"]) == t["start_odometer"]
        odometer[t["vehicle_id"]] = t["end_odometer"]
    for vehicle in Vehicle.objects.filter(center=center):
        assert vehicle.odometer_km == odometer[vehicle.pk]
    for trip in Trip.objects.filter(center=center).prefetch_related("requests"):
        assert sum(r.passengers for r in trip.requests.all()) <= trip.vehicle.seats - 1


def test_approvals_tasks_and_costs(center):
    ct = ContentType.objects.get_for_model(TripRequest)
    requests = TripRequest.objects.filter(center=center)
    approvals = ApprovalRequest.objects.filter(content_type=ct, request_type="fleet.trip")
    assert approvals.count() == requests.count()
    assert not approvals.filter(status__in=ApprovalRequest.OPEN_STATUSES).exists()
    served = requests.filter(status__in=(R.COMPLETED, R.UNMET)).values("pk")
    assert not approvals.filter(object_id__in=served).exclude(status="approved").exists()
    rejected = requests.filter(status=R.REJECTED).values("pk")
    assert approvals.filter(object_id__in=rejected, status="rejected").count() == len(rejected)
    # Decided steps name who decided; the first is the requester's agency leader.
    steps = ApprovalStep.objects.filter(request__in=approvals)
    assert not steps.filter(status="approved", decided_by__isnull=True).exists()
    leaders = RoleAssignment.objects.filter(center=center, role=Role.AGENCY_LEADER)
    first = steps.filter(position=1, status="approved").values_list("decided_by_id", flat=True)
    assert set(first) <= set(leaders.values_list("user_id", flat=True))
    assert not approvals.filter(requester__in=leaders.values("user_id")).exists()
    assert approvals.filter(status="approved").aggregate(n=Count("actions"))["n"] == (
        3 * approvals.filter(status="approved").count()
    )
    # Two disinfection tasks per trip, done by its driver.
    trip_ct = ContentType.objects.get_for_model(Trip)
    tasks = DutyTask.objects.filter(target_type=trip_ct, center=center)
    trips = Trip.objects.filter(center=center)
    assert tasks.filter(status="done").count() == 2 * trips.count()
    records = DutyRecord.objects.filter(task__in=tasks)
    assert records.count() == 2 * trips.count()
    assert records.filter(on_time=True).count() == records.count()
    # Fuel every few hundred km; each cost is an expenditure in finance.
    fuel = FuelRecord.objects.filter(center=center)
    assert fuel.exists()
    assert not fuel.filter(trip__isnull=True).exists()
    spent = Expenditure.objects.filter(center=center, source_label="fleet.fuelrecord")
    assert spent.count() == fuel.count()
    assert spent.aggregate(s=Sum("amount"))["s"] == fuel.aggregate(s=Sum("cost"))["s"]


def test_summary_and_pages(center, client):
    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    trips = Trip.objects.filter(center=center)
    km = trips.aggregate(km=Sum(F("end_odometer") - F("start_odometer")))["km"]
    assert figures["trips"] >= trips.count() - 3  # Dec 31 is outside [Jan 1, Dec 31)
    assert Decimal("100") * figures["trips"] > figures["km"] > 0
    assert figures["km"] <= km
    assert figures["requests_unmet"] >= 0 and figures["served_pct"] > 80
    assert 4 <= figures["rating_avg"] <= 5 and figures["satisfied_pct"] > 70
    assert figures["disinfection_records"] > 0
    assert figures["costs_total"] > 0
    assert figures["actual_total"] == 4 and figures["quota_total"] >= 4
    client.force_login(User.objects.get(username="s1dispatcher"))
    for name in ("fleet:request_list", "fleet:vehicle_list", "fleet:driver_list"):
        assert client.get(reverse(name)).status_code == 200
