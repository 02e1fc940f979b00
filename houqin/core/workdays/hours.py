"""Working-hours arithmetic on the workday calendar, for SLA clocks (repairs, requests…).

Office hours are 08:30–12:00 and 14:00–17:30 (7 hours) on every workday of the calendar
(legal holidays off, 调休 Saturdays on). Times are Asia/Shanghai; arguments and results are
aware datetimes. `around_the_clock=True` (emergencies) counts every hour instead.
"""

import datetime as dt
from bisect import bisect_right

from django.db.models import FloatField, Func
from django.utils import timezone

from .calendar import workdays_between

PERIODS = ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
HOURS_PER_DAY = sum(
    (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds / 3600
    for a, b in PERIODS
)
_SEARCH_DAYS = 400  # how far ahead a deadline is looked for (a year of workdays and more)
# Looked for in the next month first, then in the rest of the window.
_SEARCH_SPANS = ((0, 31), (31, _SEARCH_DAYS - 31))


def _periods_of(day: dt.date):
    for start, end in PERIODS:
        yield (
            timezone.make_aware(dt.datetime.combine(day, start)),
            timezone.make_aware(dt.datetime.combine(day, end)),
        )


def add_working_hours(start: dt.datetime, hours: float, *, around_the_clock=False) -> dt.datetime:
    """The moment `hours` working hours after `start` (a start outside office hours counts
    from the next opening). One calendar query for a deadline within a month (nearly all),
    two otherwise."""
    if around_the_clock:
        return start + dt.timedelta(hours=hours)
    remaining = dt.timedelta(hours=hours)
    first = timezone.localdate(start)
    for offset, span in _SEARCH_SPANS:
        begin_day = first + dt.timedelta(days=offset)
        for day in workdays_between(begin_day, begin_day + dt.timedelta(days=span)):
            for opens, closes in _periods_of(day):
                if closes <= start:
                    continue
                begin = max(opens, start)
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
    raise ValueError("deadline beyond the calendar search window")


# Office periods as (opens, closes) seconds after local midnight.
_PERIOD_SECONDS = tuple(
    (a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60) for a, b in PERIODS
)


def _seconds_into_day(seconds: float) -> float:
    """Office seconds of a workday elapsed `seconds` after its local midnight."""
    total = 0.0
    for opens, closes in _PERIOD_SECONDS:  # a plain loop: called for every moment
        if seconds > opens:
            total += (closes if seconds > closes else seconds) - opens
    return total


class WorkingClock:
    """Working hours between many pairs of moments on one set of workdays.

    Reports measure tens of thousands of intervals (every work order of a year). The clock
    turns a moment into "office seconds since the first workday" with one binary search
    over the workdays' local midnights (as epoch seconds, computed once with the time zone),
    so a pair costs O(log n) and no time-zone conversion. Moments are aware datetimes or
    epoch seconds (see Epoch, to read them so from the database). Same result as
    working_hours_between with the same `workdays`.
    """

    DAY = HOURS_PER_DAY * 3600

    def __init__(self, workdays):
        tz = timezone.get_current_timezone()
        self._midnights = [
            dt.datetime.combine(day, dt.time(), tzinfo=tz).timestamp() for day in sorted(workdays)
        ]

    def _elapsed(self, moment) -> float:
        epoch = moment.timestamp() if isinstance(moment, dt.datetime) else moment
        # i: workdays whose midnight is at or before the moment; the last of them may be
        # the moment's own day (partly elapsed), the others are whole.
        i = bisect_right(self._midnights, epoch)
        if i and epoch - self._midnights[i - 1] < 86400:
            return (i - 1) * self.DAY + _seconds_into_day(epoch - self._midnights[i - 1])
        return i * self.DAY

    def hours_between(self, start, end) -> float:
        if end <= start:
            return 0.0
        return (self._elapsed(end) - self._elapsed(start)) / 3600


class Epoch(Func):
    """A datetime column as seconds since 1970 (float), so reports that compute over many
    rows skip building a datetime object per value."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)",
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores datetimes in UTC as text; julianday() reads that format.
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


def working_hours_between(start: dt.datetime, end: dt.datetime, *, workdays=None) -> float:
    """Working hours elapsed from `start` to `end` (0 if end ≤ start).

    `workdays`: a set of workdays covering the range, when the caller computes many intervals
    (one calendar query for all of them; WorkingClock is faster for that); otherwise the
    calendar is asked once here.
    """
    if end <= start:
        return 0.0
    first, last = timezone.localdate(start), timezone.localdate(end)
    days = (
        [d for d in sorted(workdays) if first <= d <= last]
        if workdays is not None
        else workdays_between(first, last + dt.timedelta(days=1))
    )
    total = dt.timedelta()
    for day in days:
        for opens, closes in _periods_of(day):
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
    return total.total_seconds() / 3600
