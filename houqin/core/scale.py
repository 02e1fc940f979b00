"""The scale dataset: one realistic year of a district center, written with bulk inserts.

`manage.py seed_scale` (houqin/org/management/commands/seed_scale.py) builds the center, its
agencies and people here, then calls every installed app's `scale.seed(ctx)` in order. Each app
writes its own rows from `ScaleContext`; volumes scale with `ctx.factor` (1.0 = 3,000 staff).

Why bulk inserts and not the services: services check every rule per row and write audit and
notification rows, which is right for users and ~100× too slow for ~1 M rows. The generated
rows must still satisfy every database constraint, and what the services derive (balances,
counters, statuses) is computed here the same way, so pages and reports read consistent data.

The helpers the app seeds share are here too: `bulk_stamped` / `own_stamps` (bulk inserts
that keep the past created_at/updated_at the rows carry), `stamp`, `at`, `money`,
`staff_logins` (people of the center with a login and roles) and `agency_leaders`; approval
rows are written by houqin/core/approvals/scale.py, duty tasks by houqin/core/duties/scale.py.
"""

import datetime as dt
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

BATCH = 5000
CENT = Decimal("0.01")


@dataclass
class ScaleContext:
    center: object  # houqin.org.models.OrgUnit (kind center)
    year: int
    staff: int  # number of people requested
    rng: random.Random
    agencies: list = field(default_factory=list)  # OrgUnit (kind agency)
    center_sections: dict = field(default_factory=dict)  # code → OrgUnit (center's sections)
    people: list = field(default_factory=list)  # Person rows of the agencies (with user_id)
    accounts: dict = field(default_factory=dict)  # role username suffix → User (admin, …)
    verbosity: int = 1
    write = print

    @property
    def factor(self) -> float:
        """Volume multiplier: 1.0 for the 3,000-staff district the issue describes."""
        return self.staff / 3000

    def scaled(self, count: int) -> int:
        return max(1, round(count * self.factor))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def workdays(self):
        """Working days of the year by the State Council's holiday calendar (调休 included)."""
        import chinese_calendar

        for day in self.days():
            try:
                if chinese_calendar.is_workday(day):
                    yield day
            except NotImplementedError:  # a year the calendar does not know: Mon–Fri
                if day.weekday() < 5:
                    yield day

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware datetime in the project's time zone."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def pick_person(self):
        return self.rng.choice(self.people)

    def bulk(self, model, objects, *, batch_size=BATCH, **kwargs):
        """bulk_create in batches from any iterable; returns the created objects (with
        primary keys on PostgreSQL and SQLite ≥ 3.35)."""
        created, chunk = [], []
        for obj in objects:
            chunk.append(obj)
            if len(chunk) >= batch_size:
                created.extend(model.objects.bulk_create(chunk, **kwargs))
                chunk = []
        if chunk:
            created.extend(model.objects.bulk_create(chunk, **kwargs))
        return created

    def log(self, message):
        if self.verbosity:
            self.write(message)


class Timer:
    """Times one app's seeding, for the command's report and bench/RESULTS.md."""

    def __init__(self):
        self.rows = []

    def run(self, label, func, *args):
        started = time.perf_counter()
        result = func(*args)
        self.rows.append((label, time.perf_counter() - started, result))
        return result


def sqlite_fast_writes():
    """On SQLite, trade durability for speed while seeding (a generated dataset is
    re-creatable); PostgreSQL is left as configured."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.execute("PRAGMA cache_size=-200000")


# ------------------------------------------------------------------ helpers of the app seeds
def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime on `day` in the center's time zone (Asia/Shanghai)."""
    from houqin.core.duties.recurrence import TZ

    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def money(value) -> Decimal:
    """An amount to the cent (yuan), from a float or a Decimal."""
    return Decimal(str(value)).quantize(CENT)


def stamp(obj, when):
    """Give a row standing for a past event its creation and update time."""
    obj.created_at = obj.updated_at = when
    return obj


@contextmanager
def own_stamps(*models):
    """Let bulk inserts write the created_at/updated_at the objects carry: the rows stand
    for past events, and auto_now(_add) would stamp every generated row with the time of the
    run."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk_stamped(ctx, model, objects, **kwargs):
    """ctx.bulk with the rows' own stamps; a row without created_at gets now, one without
    updated_at its created_at."""
    now = timezone.now()
    has_updated = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    has_created = any(f.name == "created_at" for f in model._meta.concrete_fields)

    def filled():
        for obj in objects:
            if has_created and getattr(obj, "created_at", None) is None:
                obj.created_at = now
            if has_updated and getattr(obj, "updated_at", None) is None:
                obj.updated_at = getattr(obj, "created_at", None) or now
            yield obj

    with own_stamps(model):
        return ctx.bulk(model, filled(), **kwargs)


def staff_logins(ctx, usernames, roles):
    """Users of the scale center without a password (bench logins use the role accounts),
    each holding `roles`; returns the users in the order of `usernames`. The caller writes
    their Person rows (the section, position and names differ per module)."""
    from django.contrib.auth.hashers import make_password

    from houqin.org.models import RoleAssignment, User  # org builds on core: import late

    unusable = make_password(None)
    users = ctx.bulk(
        User,
        (
            User(
                username=name,
                center=ctx.center,
                password=unusable,
                must_change_password=False,
            )
            for name in usernames
        ),
    )
    ctx.bulk(
        RoleAssignment,
        (RoleAssignment(user=u, center=ctx.center, role=role) for u in users for role in roles),
    )
    return users


def agency_leaders(ctx) -> dict:
    """{agency id: user id}: the first person of each agency leads it (部门负责人) and holds
    the agency_leader role, who decides the first step of an agency's approvals (trips,
    office space). Idempotent: a seed that runs later finds the same leaders."""
    from houqin.core.roles import Role
    from houqin.org.models import RoleAssignment  # org builds on core: import late

    leaders = {}
    for person in ctx.people:
        leaders.setdefault(person.agency_id, person.user_id)
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=u, center=ctx.center, role=Role.AGENCY_LEADER)
            for u in leaders.values()
        ],
        ignore_conflicts=True,
    )
    return leaders


def refresh_statistics() -> None:
    """Planner statistics after a bulk load: a freshly loaded table otherwise keeps the
    estimates of an empty one (PostgreSQL's autovacuum catches up only later; SQLite never
    analyses on its own), and the pages get sequential scans and bad join orders."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
