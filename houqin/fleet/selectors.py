"""Reads of the fleet app, scoped to the user (ARCHITECTURE.md rule 2).

Dispatchers (fleet.change_trip), center admins and leaders see the center; liaisons and agency
leaders their agency's requests; drivers their own trips; everyone else their own requests
and the trips carrying them. Missing and forbidden rows look the same.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.backends import has_role
from houqin.core.duties.recurrence import as_bound, day_bounds
from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for, scope_queryset

from .models import Driver, Trip, TripRequest, Vehicle, VehicleSeal

CENTER_ROLES = frozenset({Role.FLEET_DISPATCHER, Role.CENTER_ADMIN, Role.LEADER})
REQUEST_POLICY = ScopePolicy(center_roles=CENTER_ROLES)


def _usable(user):
    return user.is_authenticated and user.is_active and user.center_id is not None


def is_dispatcher(user):
    return _usable(user) and user.has_perm("fleet.change_trip")


def _center_wide(user):
    return _usable(user) and (
        user.has_perm("fleet.change_trip") or scope_for(user, REQUEST_POLICY) == Scope.CENTER
    )


def requests_for(user):
    qs = TripRequest.objects.select_related(
        "agency",
        "requester",
        "requester__person",
        "trip",
        "trip__vehicle",
        "trip__driver__user__person",  # str(driver) is the driver's name
    )
    if not _usable(user):
        return qs.none()
    if user.has_perm("fleet.change_trip"):
        return qs.filter(center_id=user.center_id)
    return scope_queryset(qs, user, REQUEST_POLICY, agency="agency", owner="requester")


def trips_for(user):
    qs = Trip.objects.select_related(
        "vehicle", "driver__user__person", "dispatched_by__person"
    )  # str(driver) and display_name read the person
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if _center_wide(user):
        return qs
    mine = Q(driver__user=user) | Q(pk__in=requests_for(user).values("trip_id"))
    return qs.filter(mine)


def vehicles_for(user, *, include_disposed=True):
    if not _usable(user):
        return Vehicle.objects.none()
    if not (user.has_perm("fleet.view_vehicle") or has_role(user, Role.DRIVER)):
        return Vehicle.objects.none()
    qs = Vehicle.objects.filter(center_id=user.center_id).select_related(
        "responsible_driver__user__person", "owner_agency"
    )  # str(driver) is the driver's name
    return qs if include_disposed else qs.exclude(status=Vehicle.Status.DISPOSED)


def drivers_for(user, *, active_only=False):
    if not _usable(user) or not (
        user.has_perm("fleet.view_driver") or user.has_perm("fleet.view_vehicle")
    ):
        return Driver.objects.none()
    qs = Driver.objects.filter(center_id=user.center_id).select_related(
        "user", "user__person", "team"
    )
    return qs.filter(is_active=True, user__is_active=True) if active_only else qs


def dispatch_queue(user, day):
    """Approved requests waiting for a car that overlap `day` (or are overdue), earliest first."""
    if not is_dispatcher(user):
        return TripRequest.objects.none()
    _start, end = day_bounds(day)
    return (
        requests_for(user)
        .filter(status=TripRequest.Status.APPROVED, departs_at__lt=end)
        .order_by("departs_at", "pk")
    )


@dataclass
class BoardRow:
    obj: object
    trips: list = field(default_factory=list)
    sealed: list = field(default_factory=list)


@dataclass
class Board:
    day: object
    vehicles: list
    drivers: list
    queue: list


def board(user, day):
    """The dispatcher's board of `day`: every vehicle and active driver with their active
    trips of the day, seals, and the queue. A fixed number of queries (5)."""
    start, end = day_bounds(day)
    vehicles = list(vehicles_for(user, include_disposed=False))
    drivers = list(drivers_for(user, active_only=True))
    by_vehicle, by_driver = defaultdict(list), defaultdict(list)
    trips = (
        trips_for(user)
        .filter(status__in=Trip.ACTIVE, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
    )
    for trip in trips:
        by_vehicle[trip.vehicle_id].append(trip)
        by_driver[trip.driver_id].append(trip)
    seals = defaultdict(list)
    for seal in VehicleSeal.objects.filter(
        vehicle__in=[v.pk for v in vehicles], starts_at__lt=end, ends_at__gt=start
    ):
        seals[seal.vehicle_id].append(seal)
    return Board(
        day=day,
        vehicles=[BoardRow(v, by_vehicle[v.pk], seals[v.pk]) for v in vehicles],
        drivers=[BoardRow(d, by_driver[d.pk]) for d in drivers],
        queue=list(dispatch_queue(user, day)),
    )


@dataclass
class DriverStats:
    driver: Driver
    trips: int = 0
    km: object = 0
    rating_avg: float | None = None
    rating_count: int = 0


def driver_stats(center, start, end):
    """Per driver of `center`: completed trips starting in [start, end), km driven, and the
    requesters' ratings of those trips (average and count). 3 queries."""
    start, end = as_bound(start), as_bound(end)
    done = Trip.objects.filter(
        center=center, status=Trip.Status.COMPLETED, starts_at__gte=start, starts_at__lt=end
    )
    trip_rows = {
        r["driver_id"]: r
        for r in done.values("driver_id")
        .annotate(n=Count("pk"), km=Sum(F("end_odometer") - F("start_odometer")))
        .order_by()
    }
    rating_rows = {
        r["trip__driver_id"]: r
        for r in TripRequest.objects.filter(trip__in=done, rating__isnull=False)
        .values("trip__driver_id")
        .annotate(avg=Avg("rating"), n=Count("pk"))
        .order_by()
    }
    result = []
    for driver in Driver.objects.filter(center=center).select_related("user", "user__person"):
        t, r = trip_rows.get(driver.pk, {}), rating_rows.get(driver.pk, {})
        result.append(
            DriverStats(
                driver=driver,
                trips=t.get("n", 0),
                km=t.get("km") or 0,
                rating_avg=round(float(r["avg"]), 2) if r.get("avg") is not None else None,
                rating_count=r.get("n", 0),
            )
        )
    result.sort(key=lambda s: (-s.trips, s.driver.pk))
    return result


def unmet_requests(center, start, end):
    """Requests departing in [start, end) marked 无车可派, with their reasons."""
    start, end = as_bound(start), as_bound(end)
    return (
        TripRequest.objects.filter(
            center=center,
            status=TripRequest.Status.UNMET,
            departs_at__gte=start,
            departs_at__lt=end,
        )
        .select_related("agency", "requester")
        .order_by("departs_at")
    )


class Availability:
    """Which vehicles and drivers of a center are free in a window: the one set of dispatch
    rules, used by the dispatch service (one vehicle and driver) and by the board (all of
    them) alike. Loads the window's active trips and seals once (2 queries)."""

    def __init__(self, center_id, start, end, *, exclude_trip=None):
        trips = Trip.objects.filter(
            center_id=center_id, status__in=Trip.ACTIVE, starts_at__lt=end, ends_at__gt=start
        ).only("id", "vehicle_id", "driver_id", "starts_at", "ends_at", "status", "number")
        if exclude_trip is not None:
            trips = trips.exclude(pk=exclude_trip.pk)
        self.trips = list(trips)
        self.seals = list(
            VehicleSeal.objects.filter(
                center_id=center_id, starts_at__lt=end, ends_at__gt=start
            ).only("id", "vehicle_id", "starts_at", "ends_at", "reason")
        )

    def vehicle_problems(self, vehicle, start, end):
        problems = []
        if vehicle.status != Vehicle.Status.IN_SERVICE:
            problems.append(
                _("车辆%(p)s当前状态为“%(s)s”。")
                % {"p": vehicle.plate, "s": vehicle.get_status_display()}
            )
        for seal in self.seals:
            if seal.vehicle_id == vehicle.pk and seal.starts_at < end and seal.ends_at > start:
                problems.append(
                    _("车辆%(p)s在该时段封存（%(r)s）。") % {"p": vehicle.plate, "r": seal.reason}
                )
                break
        if any(
            t.vehicle_id == vehicle.pk and t.starts_at < end and t.ends_at > start
            for t in self.trips
        ):
            problems.append(_("车辆%(p)s在该时段已有出车任务。") % {"p": vehicle.plate})
        return problems

    def driver_problems(self, driver, start, end):
        problems = []
        if not driver.is_active or not driver.user.is_active:
            problems.append(_("驾驶员%(d)s不在岗。") % {"d": driver})
        elif driver.licence_expiry and driver.licence_expiry < timezone.localdate(start):
            problems.append(_("驾驶员%(d)s的驾驶证已过期。") % {"d": driver})
        if any(
            t.driver_id == driver.pk and t.starts_at < end and t.ends_at > start for t in self.trips
        ):
            problems.append(_("驾驶员%(d)s在该时段已有出车任务。") % {"d": driver})
        return problems

    def vehicle_free(self, vehicle, start, end):
        return not self.vehicle_problems(vehicle, start, end)

    def driver_free(self, driver, start, end):
        return not self.driver_problems(driver, start, end)


def fuel_by_month(center_id, year):
    """Fuel and charging of the center's vehicles in `year`, for energy statistics: a list of
    (vehicle energy kind, month number, quantity) — litres for gasoline/diesel/hybrid
    vehicles, kWh for electric ones (FuelRecord.liters holds either). One query."""
    from django.db.models.functions import ExtractMonth

    from .models import FuelRecord

    rows = (
        FuelRecord.objects.filter(center_id=center_id, date__year=year)
        .annotate(m=ExtractMonth("date"))
        .values("vehicle__energy", "m")
        .annotate(quantity=Sum("liters"))
        .order_by()
    )
    return [(row["vehicle__energy"], row["m"], row["quantity"]) for row in rows]
