"""Working-hours arithmetic on the workday calendar, for SLA clocks (repairs, requests…).

Office hours are 08:30–12:00 and 14:00–17:30 (7 hours) on every workday of the calendar
(legal holidays off, 调休 Saturdays on). Times are Asia/Shanghai; arguments and results are
aware datetimes. `around_the_clock=True` (emergencies) counts every hour instead.
"""

import datetime as dt

from django.utils import timezone

from .calendar import workdays_between

PERIODS = ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
HOURS_PER_DAY = sum(
    (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds / 3600
    for a, b in PERIODS
)
_SEARCH_DAYS = 400  # how far ahead a deadline is looked for (a year of workdays and more)


def _periods_of(day: dt.date):
    for start, end in PERIODS:
        yield (
            timezone.make_aware(dt.datetime.combine(day, start)),
            timezone.make_aware(dt.datetime.combine(day, end)),
        )


def add_working_hours(start: dt.datetime, hours: float, *, around_the_clock=False) -> dt.datetime:
    """The moment `hours` working hours after `start` (a start outside office hours counts
    from the next opening). One calendar query per call."""
    if around_the_clock:
        return start + dt.timedelta(hours=hours)
    remaining = dt.timedelta(hours=hours)
    first = timezone.localdate(start)
    for day in workdays_between(first, first + dt.timedelta(days=_SEARCH_DAYS)):
        for opens, closes in _periods_of(day):
            if closes <= start:
                continue
            begin = max(opens, start)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
    raise ValueError("deadline beyond the calendar search window")


def working_hours_between(start: dt.datetime, end: dt.datetime, *, workdays=None) -> float:
    """Working hours elapsed from `start` to `end` (0 if end ≤ start).

    `workdays`: a set of workdays covering the range, when the caller computes many intervals
    (one calendar query for all of them); otherwise the calendar is asked once here.
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
