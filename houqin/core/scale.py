"""The scale dataset: one realistic year of a district center, written with bulk inserts.

`manage.py seed_scale` (houqin/org/management/commands/seed_scale.py) builds the center, its
agencies and people here, then calls every installed app's `scale.seed(ctx)` in order. Each app
writes its own rows from `ScaleContext`; volumes scale with `ctx.factor` (1.0 = 3,000 staff).

Why bulk inserts and not the services: services check every rule per row and write audit and
notification rows, which is right for users and ~100× too slow for ~1 M rows. The generated
rows must still satisfy every database constraint, and what the services derive (balances,
counters, statuses) is computed here the same way, so pages and reports read consistent data.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

BATCH = 5000


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
