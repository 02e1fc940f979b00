"""Demo security and fire safety for the demo center (seed_demo).

`seed(center, *, actor=None, now=None)` is idempotent: gates, the watch-list entry, shifts,
routes, the contingency plan, equipment and cameras are keyed by name or code; visits,
roster entries, patrols, incidents and drills are written only while the center has none, so a
second run (or one on a later day) writes nothing.

Everything goes through the services with an injected `now` (services.visits, .rosters,
.patrols, .events, .equipment), acted by the demo logins "security" (安保消防股股长), "guard"
(保安) and "staff" (who invites visitors). The 安保消防股's other 保安 get logins baoan01…
so the duty roster can be staffed:
- gates 东门 (checks counted in daily totals) and 北门 (checks recorded per entry); a blocked
  person on the watch list, who was refused at the gate;
- about 60 visits over the last two weeks (a fifth of them invited by "staff"), 3 visitors in
  now, 2 expected later today;
- 门岗 and 消防控制室 day / night shifts, this week assigned in rotation with one deliberate
  gap (Wednesday's 消防控制室 night shift is one person short);
- two patrol routes with 5 checkpoints each and a week of patrols, one of them incomplete;
- 4 incidents (one still open), a contingency plan, an evacuation drill four months ago and a
  fire-safety training of about 40 people;
- about 40 pieces of fire equipment (2 expired, 3 expiring within 30 days, 1 faulty, 1
  replaced) with monthly checks, and 30 cameras (2 faulty).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from houqin.core.duties.recurrence import TZ, local_today
from houqin.core.roles import Role
from houqin.org.models import OrgUnit, Person
from houqin.org.validators import id_check_digit

from .demo_data import (
    PURPOSES_INVITED,
    VISITORS,
    WATCH_NAME,
    WATCH_REASON,
)
from .demo_registers import seed_cameras, seed_equipment, seed_events, seed_patrols
from .models import (
    Gate,
    RosterEntry,
    Shift,
    Visit,
    WatchEntry,
)
from .models.rosters import Post
from .services import rosters as roster_services
from .services import visits as visit_services

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


def _id_number(n):
    first17 = f"450902{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n:03d}"
    return first17 + id_check_digit(first17)


def _phone(n):
    return f"139{n * 7919 % 100000000:08d}"


def _users(center):
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(
            username__in=["security", "guard", "staff"], center_id=center.pk, is_active=True
        )
        .select_related("person")
    }


def _guard_logins(center):
    """Logins baoan01… for the 安保消防股's 保安 (demo center only; idempotent)."""
    from houqin.org.management.commands.seed_demo import DEMO_PASSWORD
    from houqin.org.services import account_create

    User = get_user_model()
    people = Person.objects.filter(
        center=center, section__code="AFG", position="保安", status=Person.Status.ACTIVE
    ).order_by("pk")
    n = 0
    for person in people:
        if n >= GUARD_LOGINS:
            break
        if person.user_id is not None:
            continue
        n += 1
        username = f"baoan{n:02d}"
        if not User.objects.filter(username=username).exists():
            account_create(
                actor=None,
                person=person,
                username=username,
                roles=[Role.GUARD, Role.STAFF],
                password=DEMO_PASSWORD,
                must_change=False,
            )


# ------------------------------------------------------------------ gates and visits


def seed_gates(center, manager):
    created = []
    existing = set(Gate.objects.filter(center=center).values_list("name", flat=True))
    for name, checks, per_entry in (
        ("东门", ["体温正常（≤37.3℃）"], False),
        ("北门", ["体温正常（≤37.3℃）", "随身物品已安检"], True),
    ):
        if name not in existing:
            created.append(
                visit_services.gate_save(
                    actor=manager,
                    center=center,
                    name=name,
                    checks=checks,
                    screening_per_entry=per_entry,
                )
            )
    if not WatchEntry.objects.filter(center=center, name=WATCH_NAME).exists():
        created.append(
            visit_services.watch_entry_save(
                actor=manager,
                center=center,
                name=WATCH_NAME,
                level=WatchEntry.Level.BLOCKED,
                reason=WATCH_REASON,
                id_type="resident",
                id_number=_id_number(99),
            )
        )
    return created


def _hosts(center):
    agencies = list(
        OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY).order_by("path")[:12]
    )
    people = {}
    for person in Person.objects.filter(agency__in=agencies, status=Person.Status.ACTIVE).order_by(
        "pk"
    ):
        people.setdefault(person.agency_id, person)
    return [(a, people.get(a.pk)) for a in agencies] or [(center, None)]


def _backdate(visit, moment):
    Visit.objects.filter(pk=visit.pk).update(created_at=moment)


def seed_visits(center, users, now):
    if Visit.objects.filter(center=center).exists():
        return []
    guard, staff = users.get("guard"), users.get("staff")
    gates = {g.name: g for g in Gate.objects.filter(center=center)}
    east, north = gates.get("东门"), gates.get("北门")
    if east is None or north is None:
        return []
    screening = {c["key"]: True for c in north.checks}
    hosts = _hosts(center)
    today = local_today(now)
    created = []
    n = 0
    for back in range(14, 0, -1):
        day = today - dt.timedelta(days=back)
        for k in range(4):
            n += 1
            name, company, purpose = VISITORS[n % len(VISITORS)]
            agency, person = hosts[n % len(hosts)]
            start = _at(day, 9 + 2 * k, 7 * (n % 8))
            if staff is not None and n % 5 == 0:
                visit = visit_services.visit_invite(
                    actor=staff,
                    name=name,
                    expected_at=start,
                    purpose=PURPOSES_INVITED[n % len(PURPOSES_INVITED)],
                    id_number=_id_number(n),
                    phone=_phone(n),
                    company=company,
                    now=start - dt.timedelta(days=1),
                )
                _backdate(visit, start - dt.timedelta(days=1))
                if n % 15 == 0:
                    created.append(visit_services.visit_cancel(actor=staff, visit=visit))
                    continue
                visit = visit_services.visit_arrive(
                    actor=guard, visit=visit, gate=east, now=start + dt.timedelta(minutes=5)
                )
            else:
                gate = north if n % 3 == 0 else east
                visit = visit_services.visit_register(
                    actor=guard,
                    gate=gate,
                    name=name,
                    id_number=_id_number(n),
                    phone=_phone(n),
                    company=company,
                    party_size=1 + n % 3,
                    host_agency=agency,
                    host_person=person,
                    purpose=purpose,
                    plate=f"桂K{10000 + n * 37 % 90000}" if n % 4 == 0 else "",
                    screening=screening if gate == north else None,
                    now=start,
                )
                _backdate(visit, start)
            visit = visit_services.visit_exit(
                actor=guard, visit=visit, now=start + dt.timedelta(minutes=50 + 10 * (n % 6))
            )
            created.append(visit)
        if back <= 13:
            checked = 20 + (back * 7) % 15
            visit_services.screening_tally_add(
                actor=guard, gate=east, date=day, checked=checked, abnormal=0, today=today
            )
    # The blocked person tried to come in last week.
    refused_at = _at(today - dt.timedelta(days=6), 10, 20)
    visit = visit_services.visit_register(
        actor=guard,
        gate=east,
        name=WATCH_NAME,
        id_number=_id_number(99),
        host_agency=hosts[0][0],
        purpose="要求面见领导",
        now=refused_at,
    )
    _backdate(visit, refused_at)
    created.append(visit)
    # Three visitors in now, and two expected later today.
    for i, minutes in enumerate((95, 60, 20)):
        name, company, purpose = VISITORS[i]
        agency, person = hosts[i % len(hosts)]
        visit = visit_services.visit_register(
            actor=guard,
            gate=east,
            name=name,
            id_number=_id_number(200 + i),
            phone=_phone(200 + i),
            company=company,
            party_size=1 + i,
            host_agency=agency,
            host_person=person,
            purpose=purpose,
            now=now - dt.timedelta(minutes=minutes),
        )
        created.append(visit)
    if staff is not None:
        late = _at(today, 23, 50)
        for i, hours in enumerate((1, 2)):
            name, company, _purpose = VISITORS[5 + i]
            created.append(
                visit_services.visit_invite(
                    actor=staff,
                    name=name,
                    expected_at=min(now + dt.timedelta(hours=hours), late),
                    purpose=PURPOSES_INVITED[i],
                    phone=_phone(300 + i),
                    company=company,
                    party_size=2,
                    now=now,
                )
            )
    return created


# ------------------------------------------------------------------ rosters


def seed_roster(center, manager, now):
    created = []
    shifts = {(s.post, s.name): s for s in Shift.objects.filter(center=center)}
    for post, name, start, end, min_staff in SHIFTS:
        if (post, name) not in shifts:
            shifts[(post, name)] = roster_services.shift_create(
                actor=manager,
                center=center,
                post=post,
                name=name,
                start=start,
                end=end,
                min_staff=min_staff,
            )
            created.append(shifts[(post, name)])
    if RosterEntry.objects.filter(shift__center=center).exists():
        return created
    people = list(roster_services.eligible_users(center.pk))
    # A person's slot on a day of the 8-day rotation: 0 gate day, 1–2 fire control day, 3 gate
    # night, 4–5 fire control night, 6–7 off (nobody works a night and then the next day).
    ordered = [
        (shifts[(Post.GATE, "白班")], 0),
        (shifts[(Post.FIRE_CONTROL, "白班")], 0),
        (shifts[(Post.FIRE_CONTROL, "白班")], 1),
        (shifts[(Post.GATE, "夜班")], 0),
        (shifts[(Post.FIRE_CONTROL, "夜班")], 0),
        (shifts[(Post.FIRE_CONTROL, "夜班")], 1),
    ]
    monday = roster_services.monday_of(local_today(now))
    for d in range(7):
        day = monday + dt.timedelta(days=d)
        for i, user in enumerate(people):
            slot = (i + d) % 8
            if slot >= len(ordered) or (d == 2 and slot == 5):  # off, or the deliberate gap
                continue
            try:
                created.append(
                    roster_services.roster_assign(
                        actor=manager, shift=ordered[slot][0], date=day, user=user
                    )
                )
            except ValidationError:  # too few people for the rotation: leave it open
                continue
    return created


def seed(center, *, actor=None, now=None) -> list:
    now = now or timezone.now()
    _guard_logins(center)
    users = _users(center)
    manager = actor or users.get("security")
    guard = users.get("guard")
    guards = [u for u in roster_services.eligible_users(center.pk) if u != manager] or (
        [manager] if manager is not None else []
    )
    created = []
    created += seed_gates(center, manager)
    created += seed_visits(center, users, now)
    created += seed_roster(center, manager, now)
    created += seed_patrols(center, manager, guards, now)
    created += seed_events(center, manager, guard, now)
    created += seed_equipment(center, manager, guard, now)
    created += seed_cameras(center, manager, now)
    return created
