"""The fleet year's trip requests and their dispatch (part of houqin/fleet/scale.py).

Who asks for a car when and where to, what the agency leader and the dispatcher decided, and
a greedy `Dispatcher` that never double-books a vehicle or a driver (the PostgreSQL exclusion
constraints hold) and uses only drivers on shift.
"""

import datetime as dt
from collections import defaultdict

from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import workday_set
from houqin.core.scale import at

from .scale_pool import (
    CANCEL,
    DEST_WEIGHTS,
    DESTINATIONS,
    EMERGENCY,
    GAP,
    PURPOSES,
    REJECT_DISPATCH,
    REJECT_LEADER,
    STARTS,
    H,
    R,
    _pick,
)

# ------------------------------------------------------------------ requests and dispatch


def _request_specs(ctx, requesters):
    """The year's requests, by departure: [departs, returns, destination, km, purpose,
    passengers, requester, emergency] — emergencies (应急) on the days off, 3 %."""
    rng, total = ctx.rng, ctx.scaled(20000)
    workdays = sorted(workday_set(ctx))
    rest = [d for d in ctx.days() if d not in workday_set(ctx)]
    specs = []
    emergencies = round(total * 0.03) if rest else 0
    for _i in range(emergencies):
        day = rng.choice(rest)
        hour = rng.randint(8, 16)
        departs = at(day, hour)
        dest, low, high, _hours = rng.choice(DESTINATIONS[:9])
        specs.append((departs, departs + rng.randint(2, 4) * H, dest, rng.randint(low, high)))
    per_day = (total - emergencies) / len(workdays)
    carry = 0.0
    for day in workdays:
        carry += per_day
        wanted, carry = int(carry), carry - int(carry)
        for _n in range(wanted):
            dest, low, high, hours = _pick(rng, zip(DESTINATIONS, DEST_WEIGHTS, strict=True))
            if hours >= 9:
                departs = at(day, 7, rng.choice((0, 30)))
            else:
                hour, minute = _pick(rng, [((h, m), w) for h, m, w in STARTS])
                departs = at(day, hour, minute)
            length = hours + rng.choice((0, 0, 0.5, 1, 1, 2, 3))
            returns = min(departs + dt.timedelta(hours=length), at(day, 20, 30))
            if returns - departs < dt.timedelta(hours=hours):
                continue  # too late in the day for that destination
            specs.append((departs, returns, dest, rng.randint(low, high)))
    result = []
    for departs, returns, dest, km in specs:
        person = rng.choice(requesters)
        emergency = departs.date() not in workday_set(ctx)
        purpose = rng.choice(EMERGENCY) if emergency else rng.choice(PURPOSES).format(d=dest)
        passengers = _pick(rng, [(1, 30), (2, 30), (3, 20), (4, 10), (6, 5), (9, 3), (15, 2)])
        result.append([departs, returns, dest, km, purpose, passengers, person, emergency])
    result.sort(key=lambda r: (r[0], r[1]))
    return result


class Dispatcher:
    """Greedy dispatch: the smallest free vehicle that seats everyone, the least-used free
    driver on shift; busy spans per vehicle and driver (and day) keep GAP between trips."""

    def __init__(self, vehicles, on_duty):
        self.vehicles = sorted(vehicles, key=lambda v: (v.seats, v.pk))
        self.on_duty = on_duty
        self.busy = defaultdict(list)  # (kind, pk, day) → [(start, end)]
        self.load = defaultdict(int)

    def _free(self, key, start, end):
        return all(e + GAP <= start or end + GAP <= s for s, e in self.busy[key])

    def assign(self, rng, starts, ends, passengers):
        day = starts.astimezone(TZ).date()
        fitting = [v for v in self.vehicles if v.seats - 1 >= passengers]
        if not fitting:
            return None, "无满足乘车人数的车辆"
        free = [v for v in fitting if self._free(("v", v.pk, day), starts, ends)]
        if not free:
            return None, "该时段车辆已全部派出"
        smallest = free[0].seats
        vehicle = min(
            (v for v in free if v.seats == smallest),
            key=lambda v: (self.load[("v", v.pk)], rng.random()),
        )
        drivers = [
            d for d in self.on_duty.get(day, ()) if self._free(("d", d.pk, day), starts, ends)
        ]
        if not drivers:
            return None, "驾驶员已全部出车"
        driver = min(drivers, key=lambda d: (self.load[("d", d.pk)], rng.random()))
        for key in (("v", vehicle.pk, day), ("d", driver.pk, day)):
            self.busy[key].append((starts, ends))
            self.load[key[:2]] += 1
        return (vehicle, driver), ""


def _decide(ctx, req, leader_id, dispatcher_id):
    """The approval path of one request: fills req["approval"], req["status"], times."""
    rng = ctx.rng
    departs = req["departs"]
    lead = dt.timedelta(hours=rng.uniform(0.5, 3)) if req["emergency"] else rng.uniform(3, 72) * H
    submitted = departs - lead
    t1 = submitted + lead * rng.uniform(0.05, 0.3)
    t2 = t1 + lead * rng.uniform(0.05, 0.3)
    req.update(created=submitted, dispatched=t2 + lead * rng.uniform(0.02, 0.2))
    roll = rng.random()
    if roll < 0.02:
        comment = rng.choice(CANCEL)
        req.update(status=R.CANCELLED, updated=t1, approval=([], ("cancelled", t1, comment)))
    elif roll < 0.045:
        comment = rng.choice(REJECT_LEADER)
        decisions = [(leader_id, "reject", t1, comment)]
        req.update(status=R.REJECTED, updated=t1, approval=(decisions, ("rejected",)))
    elif roll < 0.05:
        comment = rng.choice(REJECT_DISPATCH)
        decisions = [(leader_id, "approve", t1, "同意"), (dispatcher_id, "reject", t2, comment)]
        req.update(status=R.REJECTED, updated=t2, approval=(decisions, ("rejected",)))
    else:
        decisions = [(leader_id, "approve", t1, "同意"), (dispatcher_id, "approve", t2, "同意")]
        req.update(status=R.APPROVED, updated=t2, approval=(decisions, ("approved",)))
        if roll < 0.065:  # approved, then the requester called it off before departure
            req.update(status=R.CANCELLED, updated=t2 + (departs - t2) * rng.random())


def _plan(ctx, vehicles, on_duty, leaders, requesters, dispatcher_id):
    rng = ctx.rng
    desk = Dispatcher(vehicles, on_duty)
    requests, trips = [], []
    for departs, returns, dest, km, purpose, people, person, emergency in _request_specs(
        ctx, requesters
    ):
        req = {
            "departs": departs,
            "returns": returns,
            "dest": dest,
            "purpose": purpose,
            "people": people,
            "person": person,
            "emergency": emergency,
            "trip": None,
        }
        _decide(ctx, req, leaders[person.agency_id], dispatcher_id)
        requests.append(req)
        if req["status"] != R.APPROVED:
            continue
        picked, reason = desk.assign(rng, departs, returns, people)
        if picked is None:
            req.update(status=R.UNMET, unmet_reason=reason, updated=req["dispatched"])
            continue
        vehicle, driver = picked
        trip = {"vehicle": vehicle, "driver": driver, "requests": [req], "km": km}
        trip.update(starts=departs, ends=returns, dispatched=req["dispatched"])
        req.update(status=R.DISPATCHED, trip=len(trips), updated=req["dispatched"])
        trips.append(trip)
        # Now and then a second unit goes the same way at the same time: merged (拼车).
        spare = vehicle.seats - 1 - people
        if spare >= 1 and not emergency and rng.random() < 0.04:
            other = rng.choice(requesters)
            if other.agency_id != person.agency_id:
                mate = dict(req, person=other, people=rng.randint(1, spare), trip=len(trips) - 1)
                mate["purpose"] = rng.choice(PURPOSES).format(d=dest)
                _decide(ctx, mate, leaders[other.agency_id], dispatcher_id)
                if mate["status"] == R.APPROVED:
                    mate.update(status=R.DISPATCHED, updated=req["dispatched"])
                    mate["dispatched"] = max(mate["dispatched"], req["dispatched"])
                    trip["requests"].append(mate)
                    trip["dispatched"] = mate["dispatched"]
                    requests.append(mate)
    return requests, trips
