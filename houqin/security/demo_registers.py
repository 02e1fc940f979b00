"""Demo patrols, incidents, plans, drills, fire equipment and cameras (part of security.demo,
split for size; seed() in demo.py calls these)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from houqin.core.duties.recurrence import TZ, local_today

from .demo_data import (
    CAMERAS,
    DRILLS,
    EQUIPMENT,
    FAULTY_CAMERAS,
    INCIDENTS,
    PLAN_MEASURES,
    PLAN_TITLE,
    ROUTES,
)
from .models import (
    Camera,
    ContingencyPlan,
    Drill,
    FireEquipment,
    Incident,
    Patrol,
    PatrolRoute,
)
from .models.rosters import Post
from .services import equipment as equipment_services
from .services import events as event_services
from .services import patrols as patrol_services

GUARD_LOGINS = 6
# (post, name, start, end, min staff)
SHIFTS = [
    (Post.GATE, "白班", dt.time(8), dt.time(20), 1),
    (Post.GATE, "夜班", dt.time(20), dt.time(8), 1),
    (Post.FIRE_CONTROL, "白班", dt.time(8), dt.time(20), 2),
    (Post.FIRE_CONTROL, "夜班", dt.time(20), dt.time(8), 2),
]


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


# ------------------------------------------------------------------ patrols


def seed_patrols(center, manager, guards, now):
    created = []
    routes = {r.name: r for r in PatrolRoute.objects.filter(center=center)}
    for name, kind, description, rounds, checkpoints in ROUTES:
        if name in routes:
            continue
        route = patrol_services.route_create(
            actor=manager,
            center=center,
            name=name,
            kind=kind,
            description=description,
            rounds_per_day=rounds,
        )
        for cp_name, location, checklist in checkpoints:
            created.append(
                patrol_services.checkpoint_add(
                    actor=manager, route=route, name=cp_name, location=location, checklist=checklist
                )
            )
        routes[name] = route
        created.append(route)
    if not guards or Patrol.objects.filter(center=center).exists():
        return created
    today = local_today(now)
    # The routes were set up when the week of demo patrols began (planned counts from then).
    PatrolRoute.objects.filter(pk__in=[r.pk for r in routes.values()]).update(
        created_at=_at(today - dt.timedelta(days=7), 8, 0)
    )
    n = 0
    for back in range(7, 0, -1):
        day = today - dt.timedelta(days=back)
        for name, _kind, _d, rounds, _cps in ROUTES:
            route = routes[name]
            points = list(route.checkpoints.filter(is_active=True).order_by("position"))
            for r in range(rounds):
                guard = guards[n % len(guards)]
                n += 1
                start = _at(day, 9 + 12 * r if rounds > 1 else 16, 10)
                patrol = patrol_services.patrol_start(actor=guard, route=route, now=start)
                skip = back == 3 and r == 0 and name == ROUTES[0][0]
                for k, point in enumerate(points):
                    if skip and k == len(points) - 1:
                        continue
                    patrol_services.patrol_scan(
                        actor=guard,
                        code=point.code,
                        answers={item["key"]: True for item in point.checklist},
                        now=start + dt.timedelta(minutes=6 * (k + 1)),
                    )
                created.append(
                    patrol_services.patrol_finish(
                        actor=guard,
                        patrol=patrol,
                        note="北门处施工围挡，无法到达，已报告股长。" if skip else "",
                        now=start + dt.timedelta(minutes=6 * len(points) + 5),
                    )
                )
    return created


# ------------------------------------------------------------------ events


def seed_events(center, manager, guard, now):
    created = []
    today = local_today(now)
    reporter = guard or manager
    if reporter is not None and not Incident.objects.filter(center=center).exists():
        for back, hour, place, kind, description, handling, follow_up, result in INCIDENTS:
            occurred = _at(today - dt.timedelta(days=back), hour, 15)
            incident = event_services.incident_create(
                actor=reporter,
                center=center,
                occurred_at=occurred,
                place=place,
                kind=kind,
                description=description,
                handling=handling,
                follow_up=follow_up,
                now=occurred + dt.timedelta(minutes=30),
            )
            if result:
                incident = event_services.incident_close(
                    actor=manager,
                    incident=incident,
                    result=result,
                    now=occurred + dt.timedelta(hours=3),
                )
            created.append(incident)
    if manager is not None and not ContingencyPlan.objects.filter(center=center).exists():
        booking = event_services.major_bookings(center.pk, now=now).first()
        start = _at(today + dt.timedelta(days=10), 9)
        created.append(
            event_services.contingency_plan_create(
                actor=manager,
                center=center,
                title=PLAN_TITLE,
                booking=booking,
                event_start=None if booking else start,
                event_end=None if booking else start + dt.timedelta(hours=4),
                coordination_meeting_at=None,
                measures=PLAN_MEASURES,
                responsible=manager,
                status=ContingencyPlan.Status.ACTIVE,
            )
        )
    if not Drill.objects.filter(center=center).exists():
        real_today = timezone.localdate()  # the service refuses future dates by the clock
        people = list(event_services.active_people(center.pk)[:40])
        for kind, title, back, named, others, place, organizer, summary in DRILLS:
            if not people:
                break
            created.append(
                event_services.drill_create(
                    actor=manager,
                    center=center,
                    kind=kind,
                    title=title,
                    held_on=min(today - relativedelta(days=back[0], months=back[1]), real_today),
                    participants=people[:named],
                    other_participants=others,
                    place=place,
                    organizer=organizer,
                    summary=summary,
                )
            )
    return created


# ------------------------------------------------------------------ equipment and cameras


def seed_equipment(center, manager, guard, now):
    today = local_today(now)
    existing = {
        c.upper()
        for c in FireEquipment.objects.filter(center=center).values_list("code", flat=True)
    }
    created = []
    n = 0
    counters = {}
    for prefix, kind, location, model, years, count in EQUIPMENT:
        for f in range(1, count + 1):
            n += 1
            counters[prefix] = counters.get(prefix, 0) + 1
            code = f"{prefix}-{counters[prefix]:03d}"
            if code in existing:
                continue
            if n in (3, 17):  # expired
                expires = today - dt.timedelta(days=10 + n)
            elif n in (8, 22, 31):  # expiring within 30 days
                expires = today + dt.timedelta(days=5 + n % 20)
            else:
                expires = today + dt.timedelta(days=90 + 41 * n)
            produced = expires - relativedelta(years=years)
            piece = equipment_services.fire_equipment_create(
                actor=manager,
                center=center,
                code=code,
                kind=kind,
                location=location.format(f=f),
                model=model,
                produced_on=min(produced, today - dt.timedelta(days=30)),
                expires_on=expires,
                now=now,
            )
            created.append(piece)
            checker = guard or manager
            last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(
                day=min(12, today.day)
            )
            equipment_services.fire_equipment_check(
                actor=checker, equipment=piece, checked_on=last_month, now=now
            )
            if n % 3:
                equipment_services.fire_equipment_check(
                    actor=checker,
                    equipment=piece,
                    checked_on=today.replace(day=1),
                    is_ok=n != 13,
                    note="压力表指针在红区，压力不足" if n == 13 else "",
                    now=now,
                )
            if n == 5:  # an old one replaced three weeks ago
                _old, new = equipment_services.fire_equipment_replace(
                    actor=manager,
                    equipment=piece,
                    status=FireEquipment.Status.REPLACED,
                    on=max(today - dt.timedelta(days=21), piece.produced_on),
                    note="筒体锈蚀",
                    new_code=f"{prefix}-{900 + n}",
                    new_produced_on=today - dt.timedelta(days=60),
                    new_expires_on=today + relativedelta(years=5),
                    now=now,
                )
                created.append(new)
    return created


def seed_cameras(center, manager, now):
    today = local_today(now)
    existing = {
        c.upper() for c in Camera.objects.filter(center=center).values_list("code", flat=True)
    }
    created = []
    for i, (code, location, model) in enumerate(CAMERAS):
        if code in existing:
            continue
        faulty = code in FAULTY_CAMERAS
        created.append(
            equipment_services.camera_create(
                actor=manager,
                center=center,
                code=code,
                location=location,
                model=model,
                installed_on=today - relativedelta(years=1 + i % 5, months=i % 12),
                status=Camera.Status.FAULTY if faulty else Camera.Status.IN_SERVICE,
                notes=FAULTY_CAMERAS.get(code, ""),
                now=now,
            )
        )
    return created
