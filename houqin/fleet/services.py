"""Every write of the fleet app (<entity>_<action>(*, actor, ...), atomic).

Anti 公车私用: a trip is only created from requests whose approval is final, and a trip only
starts when every request on it is still approved (trip_start re-checks). Dispatch locks the
vehicle and driver rows, checks, then inserts; on PostgreSQL exclusion constraints make an
overlapping vehicle or driver impossible even for writers that skip the checks.
"""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.selectors import tasks_for_object
from houqin.core.notifications.services import notify
from houqin.finance.models import CostKind
from houqin.finance.services.costs import cost_record

from .models import Driver, FuelRecord, RepairRecord, Trip, TripRequest, Vehicle, VehicleSeal

DISINFECTION_CHECKLIST = [
    {"key": "done", "label": "车辆内外清洁、座椅扶手门把手消杀", "type": "bool", "required": True}
]
BEFORE, AFTER = "出车前消毒", "收车后消毒"
EARLIEST_START = dt.timedelta(hours=2)  # a driver may start a trip at most 2 h early


def _same_center(actor, center_id):
    if actor.center_id != center_id:
        raise PermissionDenied


def _dispatcher(actor, center_id):
    _same_center(actor, center_id)
    if not actor.has_perm("fleet.change_trip"):
        raise PermissionDenied


def _money(value, field):
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写有效的金额。")}) from None
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数。")})
    return amount.quantize(Decimal("0.01"))


# ------------------------------------------------------------------ requests


@transaction.atomic
def trip_request_create(
    *,
    actor,
    agency,
    purpose,
    origin,
    destination,
    departs_at,
    returns_at,
    passengers,
    passenger_names="",
    stops="",
    needs_driver=True,
    preferred_seats=None,
    now=None,
):
    """Ask for a car; the request goes to approval at once (agency leader → dispatcher)."""
    now = now or timezone.now()
    errors = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写公务事由（不得用于与公务无关的事项）。")
    elif len(purpose) > 200:
        errors["purpose"] = _("公务事由不能超过 200 个字。")
    for field, value, limit in (("origin", origin, 100), ("destination", destination, 100)):
        if not (value or "").strip():
            errors[field] = _("请填写出发地和目的地。")
        elif len(value) > limit:
            errors[field] = _("不能超过 %(n)d 个字。") % {"n": limit}
    if not isinstance(passengers, int) or not 1 <= passengers <= 60:
        errors["passengers"] = _("请填写乘车人数（1–60）。")
    if departs_at is None or returns_at is None:
        errors["departs_at"] = _("请填写出发和返回时间。")
    elif returns_at <= departs_at:
        errors["returns_at"] = _("返回时间必须晚于出发时间。")
    elif departs_at < now - dt.timedelta(minutes=5):
        errors["departs_at"] = _("出发时间不能早于现在。")
    elif returns_at - departs_at > dt.timedelta(days=7):
        errors["returns_at"] = _("单次用车不能超过 7 天，请分段申请。")
    if agency is None or agency.center_id_value != actor.center_id:
        errors["agency"] = _("请选择用车单位。")
    if errors:
        raise ValidationError(errors)
    request = TripRequest.objects.create(
        center_id=actor.center_id,
        requester=actor,
        agency=agency,
        purpose=purpose,
        origin=origin.strip(),
        destination=destination.strip(),
        stops=(stops or "")[:200],
        passengers=passengers,
        passenger_names=(passenger_names or "")[:200],
        departs_at=departs_at,
        returns_at=returns_at,
        needs_driver=needs_driver,
        preferred_seats=preferred_seats,
    )
    approvals.approval_submit(
        actor=actor,
        obj=request,
        request_type="fleet.trip",
        title=_("用车：%(p)s") % {"p": purpose[:60]},
        summary=_("%(t)s %(a)s→%(b)s，%(n)d 人")
        % {
            "t": timezone.localtime(departs_at).strftime("%m-%d %H:%M"),
            "a": origin,
            "b": destination,
            "n": passengers,
        },
        agency=agency,
    )
    return request


@transaction.atomic
def trip_request_cancel(*, actor, request, reason=""):
    _same_center(actor, request.center_id)
    if request.requester_id != actor.pk and not actor.has_perm("fleet.change_trip"):
        raise PermissionDenied
    request = TripRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (TripRequest.Status.PENDING, TripRequest.Status.APPROVED):
        raise ValidationError(_("该申请已%(s)s，不能取消。") % {"s": request.get_status_display()})
    if request.status == TripRequest.Status.PENDING:
        approval = approval_for_object(request, request_type="fleet.trip")
        if approval is not None and approval.status in ("pending", "returned"):
            approvals.approval_cancel(
                actor=approval.requester, approval=approval, comment=reason or _("申请人取消")
            )
    request.status = TripRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def trip_request_rate(*, actor, request, rating, comment=""):
    """The requester rates the trip (1–5 stars) once it has ended (满意度评价)."""
    if request.requester_id != actor.pk:
        raise PermissionDenied
    request = TripRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TripRequest.Status.COMPLETED:
        raise ValidationError(_("行程结束后才能评价。"))
    if request.rated_at is not None:
        raise ValidationError(_("已评价过。"))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("请选择 1–5 星。")})
    request.rating = rating
    request.rating_comment = (comment or "")[:300]
    request.rated_at = timezone.now()
    request.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    return request


@transaction.atomic
def trip_request_mark_unmet(*, actor, request, reason):
    """No vehicle available: counted as an unmet request with its reason (the seed's shortage)."""
    _dispatcher(actor, request.center_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写无车可派的原因。")})
    request = TripRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TripRequest.Status.APPROVED:
        raise ValidationError(_("只有待派车的申请可以标记为无车可派。"))
    request.status = TripRequest.Status.UNMET
    request.unmet_reason = reason[:200]
    request.save(update_fields=["status", "unmet_reason", "updated_at"])
    notify(
        recipients=[request.requester],
        kind="fleet.unmet",
        title=_("用车申请无车可派：%(p)s") % {"p": request.purpose},
        body=reason,
        url=reverse("fleet:request_detail", args=[request.pk]),
        obj=request,
        actor=actor,
    )
    return request


# ------------------------------------------------------------------ dispatch


def availability_problems(vehicle, driver, starts_at, ends_at, *, exclude_trip=None):
    """Chinese reasons why `vehicle`/`driver` cannot take [starts_at, ends_at)."""
    from .selectors import Availability

    free = Availability(vehicle.center_id, starts_at, ends_at, exclude_trip=exclude_trip)
    problems = free.vehicle_problems(vehicle, starts_at, ends_at)
    if driver is not None:
        problems += free.driver_problems(driver, starts_at, ends_at)
    return problems


def _route(requests):
    parts = []
    for r in requests:
        legs = [r.origin, *([r.stops] if r.stops else []), r.destination]
        parts.append("→".join(legs))
    return "；".join(parts)[:300]


def _disinfection_tasks(trip, *, actor):
    for title, due_at in ((BEFORE, trip.starts_at), (AFTER, trip.ends_at)):
        duties.duty_task_create_adhoc(
            actor=actor,
            center=trip.center,
            title=f"{title}：{trip.vehicle.plate}",
            due_at=due_at,
            assignees=[trip.driver.user],
            target=trip,
            checklist=DISINFECTION_CHECKLIST,
            location_text=trip.vehicle.fixed_parking,
            category=DutyPlan.Category.DISINFECTION,
            grace_minutes=60,
        )


def _open_disinfection(trip, title):
    return (
        tasks_for_object(trip, center=trip.center)
        .filter(status=DutyTask.Status.OPEN, title__startswith=title)
        .first()
    )


@transaction.atomic
def trip_dispatch(*, actor, requests, vehicle, driver, starts_at=None, ends_at=None):
    """Assign a vehicle and driver to one or more approved requests (merged into one trip)."""
    requests = list(requests)
    if not requests:
        raise ValidationError(_("请选择要派车的申请。"))
    _dispatcher(actor, requests[0].center_id)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = Driver.objects.select_for_update().select_related("user").get(pk=driver.pk)
    locked = list(TripRequest.objects.select_for_update().filter(pk__in=[r.pk for r in requests]))
    center_id = actor.center_id
    if (
        any(r.center_id != center_id for r in locked)
        or vehicle.center_id != center_id
        or (driver.center_id != center_id)
    ):
        raise PermissionDenied
    not_ready = [r for r in locked if r.status != TripRequest.Status.APPROVED]
    if not_ready:
        raise ValidationError(
            _("只能为审批通过、尚未派车的申请派车（%(p)s）。")
            % {"p": "、".join(r.purpose for r in not_ready)}
        )
    starts_at = starts_at or min(r.departs_at for r in locked)
    ends_at = ends_at or max(r.returns_at for r in locked)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("收车时间必须晚于出车时间。")})
    passengers = sum(r.passengers for r in locked)
    # The driver's seat is taken only when a driver is assigned for someone (needs_driver).
    driver_seat = 1 if any(r.needs_driver for r in locked) else 0
    if passengers > vehicle.seats - driver_seat:
        raise ValidationError(
            {
                "vehicle": _("%(p)s 只有 %(s)d 座，乘车 %(n)d 人，座位不足。")
                % {"p": vehicle.plate, "s": vehicle.seats, "n": passengers}
            }
        )
    problems = availability_problems(vehicle, driver, starts_at, ends_at)
    if problems:
        raise ValidationError({"vehicle": problems})
    trip = Trip(
        center_id=center_id,
        number="",
        vehicle=vehicle,
        driver=driver,
        starts_at=starts_at,
        ends_at=ends_at,
        dispatched_by=actor,
        route=_route(locked),
    )
    try:
        with transaction.atomic():
            trip.number = f"tmp{uuid.uuid4().hex[:16]}"  # replaced below once the id is known
            trip.save()
    except IntegrityError:
        raise ValidationError(
            {"vehicle": _("该车辆或驾驶员在该时段已被派出，请刷新后重试。")}
        ) from None
    # 派车单号: year + the row id — unique, gap-tolerant, no counter to race on.
    trip.number = f"PC{timezone.localtime(starts_at):%Y}{trip.pk:06d}"
    trip.save(update_fields=["number"])
    TripRequest.objects.filter(pk__in=[r.pk for r in locked]).update(
        status=TripRequest.Status.DISPATCHED, trip=trip, updated_at=timezone.now()
    )
    _disinfection_tasks(trip, actor=actor)
    url = reverse("fleet:trip_detail", args=[trip.pk])
    notify(
        recipients=[driver.user],
        kind="fleet.assigned",
        title=_("出车任务 %(n)s：%(t)s %(r)s")
        % {
            "n": trip.number,
            "t": timezone.localtime(starts_at).strftime("%m-%d %H:%M"),
            "r": trip.route[:60],
        },
        url=url,
        obj=trip,
        actor=actor,
    )
    notify(
        recipients=[r.requester for r in locked],
        kind="fleet.dispatched",
        title=_("已派车：%(p)s，驾驶员 %(d)s") % {"p": vehicle.plate, "d": driver},
        url=url,
        obj=trip,
        actor=actor,
    )
    return trip


@transaction.atomic
def trip_reassign(*, actor, trip, vehicle, driver):
    """Give a scheduled trip another vehicle and/or driver (改派). The same checks as
    dispatch apply; the disinfection tasks follow the new driver."""
    _dispatcher(actor, trip.center_id)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status != Trip.Status.SCHEDULED:
        raise ValidationError(_("只有未出车的派车单可以改派。"))
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = Driver.objects.select_for_update().select_related("user").get(pk=driver.pk)
    if vehicle.center_id != trip.center_id or driver.center_id != trip.center_id:
        raise PermissionDenied
    requests = list(trip.requests.all())
    passengers = sum(r.passengers for r in requests)
    driver_seat = 1 if any(r.needs_driver for r in requests) else 0
    if passengers > vehicle.seats - driver_seat:
        raise ValidationError(
            {
                "vehicle": _("%(p)s 只有 %(s)d 座，乘车 %(n)d 人，座位不足。")
                % {"p": vehicle.plate, "s": vehicle.seats, "n": passengers}
            }
        )
    problems = availability_problems(
        vehicle, driver, trip.starts_at, trip.ends_at, exclude_trip=trip
    )
    if problems:
        raise ValidationError({"vehicle": problems})
    driver_changed = driver.pk != trip.driver_id
    trip.vehicle, trip.driver = vehicle, driver
    try:
        with transaction.atomic():
            trip.save(update_fields=["vehicle", "driver", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            {"vehicle": _("该车辆或驾驶员在该时段已被派出，请刷新后重试。")}
        ) from None
    if driver_changed:
        for task in tasks_for_object(trip).filter(status=DutyTask.Status.OPEN):
            duties.duty_task_cancel(actor=None, task=task, reason=_("改派"))
        _disinfection_tasks(trip, actor=actor)
        notify(
            recipients=[driver.user],
            kind="fleet.assigned",
            title=_("出车任务 %(n)s（改派）") % {"n": trip.number},
            url=reverse("fleet:trip_detail", args=[trip.pk]),
            obj=trip,
            actor=actor,
        )
    return trip


@transaction.atomic
def trip_cancel(*, actor, trip, reason):
    """Cancel a scheduled trip; its requests go back to the dispatch queue."""
    _dispatcher(actor, trip.center_id)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status != Trip.Status.SCHEDULED:
        raise ValidationError(_("只有未出车的派车单可以取消。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    trip.status = Trip.Status.CANCELLED
    trip.notes = reason[:300]
    trip.save(update_fields=["status", "notes", "updated_at"])
    trip.requests.update(status=TripRequest.Status.APPROVED, trip=None, updated_at=timezone.now())
    for task in tasks_for_object(trip).filter(status=DutyTask.Status.OPEN):
        duties.duty_task_cancel(actor=None, task=task, reason=reason)
    return trip


# ------------------------------------------------------------------ driver


def _driver_of(actor, trip):
    _same_center(actor, trip.center_id)
    if trip.driver.user_id != actor.pk:
        raise PermissionDenied


def _odometer(value, field):
    try:
        reading = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("请填写里程表读数。")}) from None
    if reading < 0:
        raise ValidationError({field: _("里程不能为负数。")})
    return reading


def _complete_disinfection(trip, title, actor, done, now):
    if not done:
        raise ValidationError({"disinfected": _("请先完成车辆清洁消杀并勾选确认。")})
    task = _open_disinfection(trip, title)
    if task is not None:
        if task.due_at > now:
            # Back (or out) earlier than planned, possibly the evening before a trip that was
            # to end after midnight: the disinfection is due now, not on the planned day.
            task = duties.duty_task_reschedule(actor=None, task=task, due_at=now)
        duties.duty_task_complete(actor=actor, task=task, answers={"done": True}, now=now)


@transaction.atomic
def trip_start(*, actor, trip, odometer, disinfected, now=None):
    """出车: only the assigned driver, only for a trip whose requests are all approved."""
    _driver_of(actor, trip)
    trip = Trip.objects.select_for_update().select_related("vehicle").get(pk=trip.pk)
    if trip.status != Trip.Status.SCHEDULED:
        raise ValidationError(_("该派车单不是待出车状态。"))
    requests = list(trip.requests.all())
    approved = all(
        r.status == TripRequest.Status.DISPATCHED
        and (a := approval_for_object(r, request_type="fleet.trip")) is not None
        and a.status == "approved"
        for r in requests
    )
    if not requests or not approved:
        raise ValidationError(_("没有经审批同意的用车申请，不能出车（严禁公车私用）。"))
    now = now or timezone.now()
    if now < trip.starts_at - EARLIEST_START:
        raise ValidationError(
            _("计划 %(t)s 出车，不能提前 2 小时以上出车。")
            % {"t": timezone.localtime(trip.starts_at).strftime("%m-%d %H:%M")}
        )
    if VehicleSeal.objects.filter(
        vehicle=trip.vehicle, starts_at__lte=now, ends_at__gt=now
    ).exists():
        raise ValidationError(_("车辆处于封存期，不能出车。"))
    reading = _odometer(odometer, "odometer")
    if reading < trip.vehicle.odometer_km:
        raise ValidationError(
            {
                "odometer": _("出车里程 %(r)s 小于车辆当前里程 %(c)s，里程不能倒退。")
                % {"r": reading, "c": trip.vehicle.odometer_km}
            }
        )
    _complete_disinfection(trip, BEFORE, actor, disinfected, now)
    trip.status = Trip.Status.IN_PROGRESS
    trip.started_at = now
    trip.start_odometer = reading
    trip.save(update_fields=["status", "started_at", "start_odometer", "updated_at"])
    return trip


@transaction.atomic
def trip_end(
    *,
    actor,
    trip,
    odometer,
    disinfected,
    tolls=0,
    parking=0,
    fuel_liters=None,
    fuel_cost=None,
    fuel_station="",
    notes="",
    now=None,
):
    """收车: odometer forward only; costs non-negative; fuel added becomes a fuel record."""
    _driver_of(actor, trip)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    vehicle = Vehicle.objects.select_for_update().get(pk=trip.vehicle_id)
    if trip.status != Trip.Status.IN_PROGRESS:
        raise ValidationError(_("该派车单不是出车中状态。"))
    reading = _odometer(odometer, "odometer")
    if reading < max(trip.start_odometer, vehicle.odometer_km):
        raise ValidationError(
            {"odometer": _("收车里程不能小于出车里程 %(s)s。") % {"s": trip.start_odometer}}
        )
    tolls, parking = _money(tolls, "tolls"), _money(parking, "parking")
    now = now or timezone.now()
    _complete_disinfection(trip, AFTER, actor, disinfected, now)
    trip.status = Trip.Status.COMPLETED
    trip.ended_at = now
    trip.end_odometer = reading
    trip.tolls, trip.parking = tolls, parking
    trip.notes = (notes or "")[:300]
    trip.save(
        update_fields=[
            "status",
            "ended_at",
            "end_odometer",
            "tolls",
            "parking",
            "notes",
            "updated_at",
        ]
    )
    vehicle.odometer_km = reading
    vehicle.save(update_fields=["odometer_km", "updated_at"])
    trip.requests.update(status=TripRequest.Status.COMPLETED, updated_at=now)
    if fuel_liters not in (None, "", 0):
        fuel_record_add(
            actor=actor,
            vehicle=vehicle,
            date=timezone.localdate(now),
            liters=fuel_liters,
            cost=fuel_cost,
            station=fuel_station,
            trip=trip,
        )
    return trip


# ------------------------------------------------------------------ records


def _is_fixed(place, fixed):
    return bool(fixed) and place.strip() == fixed.strip()


@transaction.atomic
def fuel_record_add(*, actor, vehicle, date, liters, cost, station, trip=None):
    """A fuel (or charging) record; refuelling away from the fixed station is flagged (三定点)."""
    _same_center(actor, vehicle.center_id)
    station = (station or "").strip()
    if not station:
        raise ValidationError({"fuel_station": _("请填写加油站。")})
    try:
        liters = Decimal(str(liters))
    except (InvalidOperation, ValueError):
        raise ValidationError({"fuel_liters": _("请填写加油量。")}) from None
    if liters <= 0:
        raise ValidationError({"fuel_liters": _("加油量必须大于 0。")})
    record = FuelRecord.objects.create(
        center_id=vehicle.center_id,
        vehicle=vehicle,
        date=date,
        liters=liters,
        cost=_money(cost, "fuel_cost"),
        station=station[:100],
        off_fixed_station=not _is_fixed(station, vehicle.fixed_fuel_station),
        trip=trip,
        recorded_by=actor,
    )
    cost_record(  # the cost arrives in finance as an expenditure (公务用车燃料费)
        center_id=record.center_id,
        kind=CostKind.VEHICLE_FUEL,
        source_label="fleet.fuelrecord",
        source_id=record.pk,
        date=record.date,
        amount=record.cost,
        payee=record.station,
        purpose=_("%(v)s 加油/充电") % {"v": vehicle.plate},
        actor=actor,
    )
    return record


@transaction.atomic
def repair_record_add(*, actor, vehicle, kind, date, shop, description, cost):
    """Repair / maintenance / insurance cost of a vehicle (单车核算); repairs away from the
    fixed shop are flagged."""
    _dispatcher(actor, vehicle.center_id)
    if kind not in RepairRecord.Kind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    shop = (shop or "").strip()
    if not shop or not (description or "").strip():
        raise ValidationError({"shop": _("请填写单位和内容。")})
    off = kind != RepairRecord.Kind.INSURANCE and not _is_fixed(shop, vehicle.fixed_repair_shop)
    record = RepairRecord.objects.create(
        center_id=vehicle.center_id,
        vehicle=vehicle,
        kind=kind,
        date=date,
        shop=shop[:100],
        description=description.strip()[:300],
        cost=_money(cost, "cost"),
        off_fixed_shop=off,
        recorded_by=actor,
    )
    cost_record(  # the cost arrives in finance as an expenditure (公务用车维修费)
        center_id=record.center_id,
        kind=CostKind.VEHICLE_REPAIR,
        source_label="fleet.repairrecord",
        source_id=record.pk,
        date=record.date,
        amount=record.cost,
        payee=record.shop,
        purpose=f"{vehicle.plate} {record.get_kind_display()}：{record.description}"[:200],
        actor=actor,
    )
    return record


@transaction.atomic
def vehicle_seal(*, actor, vehicle, starts_at, ends_at, reason):
    """封存 (e.g. over a public holiday). Refused while active trips overlap the period."""
    _dispatcher(actor, vehicle.center_id)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写封存原因。")})
    if Trip.objects.filter(
        vehicle=vehicle, status__in=Trip.ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists():
        raise ValidationError(_("封存期间该车已有出车任务，请先调整派车。"))
    return VehicleSeal.objects.create(
        center_id=vehicle.center_id,
        vehicle=vehicle,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason[:100],
    )


VEHICLE_FIELDS = (
    "plate",
    "brand_model",
    "category",
    "energy",
    "seats",
    "displacement",
    "purchase_price",
    "purchase_date",
    "funding_source",
    "owner_agency",
    "fixed_parking",
    "fixed_fuel_station",
    "fixed_repair_shop",
    "responsible_driver",
    "insurance_expiry",
    "inspection_expiry",
    "odometer_km",
    "status",
)  # ordered: the vehicle form shows them in this order


@transaction.atomic
def vehicle_save(*, actor, center, vehicle=None, **fields):
    """Create (vehicle=None) or update a vehicle of the register."""
    _dispatcher(actor, center.pk)
    unknown = set(fields) - set(VEHICLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    plate = (fields.get("plate") or getattr(vehicle, "plate", "")).strip().upper()
    others = Vehicle.objects.filter(center=center, plate=plate)
    if vehicle is not None:
        # Compare with the stored row: a bound form may already have changed `vehicle`.
        stored = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        if "odometer_km" in fields and Decimal(str(fields["odometer_km"])) < stored.odometer_km:
            raise ValidationError({"odometer_km": _("里程不能倒退。")})
        others = others.exclude(pk=vehicle.pk)
    if others.exists():
        raise ValidationError({"plate": _("车牌号已登记。")})
    vehicle = vehicle or Vehicle(center=center)
    for key, value in fields.items():
        setattr(vehicle, key, value)
    vehicle.plate = plate
    vehicle.full_clean(exclude=["center"])
    vehicle.save()
    return vehicle


# ------------------------------------------------------------------ quotas, drivers, teams


@transaction.atomic
def quota_save(*, actor, center, agency, category, quota):
    """Set the 车辆编制 of `agency` for `category` (creates or updates the one row)."""
    from .models import VehicleQuota

    _dispatcher(actor, center.pk)
    if agency is None or agency.center_id != center.pk:
        raise ValidationError({"agency": _("请选择本中心的单位。")})
    if category not in Vehicle.Category.values:
        raise ValidationError({"category": _("请选择车辆类别。")})
    if quota is None or int(quota) < 0:
        raise ValidationError({"quota": _("编制数不能为负数。")})
    row, _created = VehicleQuota.objects.select_for_update().update_or_create(
        agency=agency, category=category, defaults={"center": center, "quota": int(quota)}
    )
    return row


@transaction.atomic
def quota_delete(*, actor, quota):
    _dispatcher(actor, quota.center_id)
    quota.delete()


@transaction.atomic
def driver_save(
    *, actor, center, driver=None, user, team, licence_class, licence_expiry, is_active
):
    """Create (driver=None) or update a driver; one Driver per user of the center."""
    _dispatcher(actor, center.pk)
    if driver is not None and driver.center_id != center.pk:
        raise PermissionDenied
    if user is None or user.center_id != center.pk:
        raise ValidationError({"user": _("请选择本中心的人员账号。")})
    if team is not None and team.center_id != center.pk:
        raise ValidationError({"team": _("请选择本中心的班组。")})
    others = Driver.objects.filter(user=user)
    if driver is not None:
        others = others.exclude(pk=driver.pk)
    if others.exists():
        raise ValidationError({"user": _("%(u)s 已登记为驾驶员。") % {"u": user.display_name}})
    licence_class = (licence_class or "").strip().upper()
    if not licence_class:
        raise ValidationError({"licence_class": _("请填写准驾车型。")})
    driver = driver or Driver(center=center)
    driver.user, driver.team = user, team
    driver.licence_class, driver.licence_expiry = licence_class, licence_expiry
    driver.is_active = bool(is_active)
    driver.full_clean(exclude=["center", "user"])
    driver.save()
    # Holding the driver role is what shows the driver their trips (我的出车).
    from houqin.core.backends import user_roles
    from houqin.core.roles import Role
    from houqin.org.services import account_set_roles

    roles = set(user_roles(user))
    if Role.DRIVER not in roles:
        account_set_roles(actor=actor, user=user, roles=sorted(roles | {Role.DRIVER}))
    return driver


@transaction.atomic
def team_save(*, actor, center, team=None, name, team_leader):
    """Create (team=None) or update a driver team (班组) led by one of its drivers."""
    from .models import DriverTeam

    _dispatcher(actor, center.pk)
    if team is not None and team.center_id != center.pk:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写班组名称。")})
    if team_leader is not None and team_leader.center_id != center.pk:
        raise ValidationError({"team_leader": _("请选择本中心的驾驶员。")})
    others = DriverTeam.objects.filter(center=center, name=name)
    if team is not None:
        others = others.exclude(pk=team.pk)
    if others.exists():
        raise ValidationError({"name": _("班组“%(n)s”已存在。") % {"n": name}})
    team = team or DriverTeam(center=center)
    team.name, team.team_leader = name, team_leader
    team.save()
    return team


# ------------------------------------------------------------------ shifts (排班)


def _shift_kind(kind):
    from .models import DriverShift

    if kind not in DriverShift.Kind.values:
        raise ValidationError({"kind": _("请选择班次。")})
    return kind


@transaction.atomic
def shift_assign(*, actor, center, driver, date, kind, note=""):
    """Put one active driver of the center on a shift (白班/夜班/备勤) on `date`."""
    from .models import DriverShift

    _dispatcher(actor, center.pk)
    if driver is None or driver.center_id != center.pk:
        raise ValidationError({"driver": _("请选择本中心的驾驶员。")})
    if date is None:
        raise ValidationError({"date": _("请填写排班日期。")})
    kind = _shift_kind(kind)
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    if not driver.is_active or not driver.user.is_active:
        raise ValidationError({"driver": _("%(d)s 不在岗，不能排班。") % {"d": driver}})
    label = DriverShift.Kind(kind).label
    if DriverShift.objects.filter(driver=driver, date=date, kind=kind).exists():
        raise ValidationError(
            _("%(d)s 在 %(date)s 已排%(k)s。") % {"d": driver, "date": date.isoformat(), "k": label}
        )
    return DriverShift.objects.create(
        center_id=center.pk, driver=driver, date=date, kind=kind, note=(note or "").strip()[:100]
    )


@transaction.atomic
def shift_assign_team(*, actor, center, team, date, kind):
    """Put every active driver of `team` on a shift; those already on it are skipped.

    Returns the new shifts (possibly empty)."""
    from .models import DriverShift

    _dispatcher(actor, center.pk)
    if team is None or team.center_id != center.pk:
        raise ValidationError({"team": _("请选择本中心的班组。")})
    if date is None:
        raise ValidationError({"date": _("请填写排班日期。")})
    kind = _shift_kind(kind)
    drivers = list(
        Driver.objects.select_for_update()
        .filter(center_id=center.pk, team=team, is_active=True, user__is_active=True)
        .order_by("pk")
    )
    taken = set(
        DriverShift.objects.filter(driver__in=drivers, date=date, kind=kind).values_list(
            "driver_id", flat=True
        )
    )
    # One create per driver (not bulk_create) so auditlog records each shift.
    return [
        DriverShift.objects.create(center_id=center.pk, driver=d, date=date, kind=kind)
        for d in drivers
        if d.pk not in taken
    ]


@transaction.atomic
def shift_delete(*, actor, shift):
    _dispatcher(actor, shift.center_id)
    shift.delete()
