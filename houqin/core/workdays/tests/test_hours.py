"""Working-hours arithmetic across lunch breaks, nights, weekends and legal holidays."""

import datetime as dt

import pytest
from django.utils import timezone

from houqin.core.workdays.calendar import workdays_between
from houqin.core.workdays.hours import (
    HOURS_PER_DAY,
    WorkingClock,
    add_working_hours,
    working_hours_between,
)

pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def test_seven_office_hours_a_day():
    assert HOURS_PER_DAY == 7


def test_within_a_morning_and_across_lunch():
    assert add_working_hours(at(2026, 11, 25, 9), 2) == at(2026, 11, 25, 11)
    # 11:00 + 2 h: one hour before lunch, one after 14:00.
    assert add_working_hours(at(2026, 11, 25, 11), 2) == at(2026, 11, 25, 15)


def test_reported_at_night_counts_from_next_opening():
    assert add_working_hours(at(2026, 11, 25, 22), 1) == at(2026, 11, 26, 9, 30)


def test_across_a_weekend():
    # Friday 16:30 + 4 h: 1 h on Friday, then Monday 08:30 + 3 h.
    assert add_working_hours(at(2026, 11, 27, 16, 30), 4) == at(2026, 11, 30, 11, 30)


def test_across_national_day_to_the_make_up_saturday():
    # Wednesday 30 September 17:00 + 1 h: 1–7 October are holidays, Thursday 8 and Friday 9
    # October are workdays (2026). 0.5 h on the 30th, then 8 October 08:30 + 0.5 h.
    assert add_working_hours(at(2026, 9, 30, 17), 1) == at(2026, 10, 8, 9)


def test_a_deadline_beyond_the_first_month_of_search():
    """Deadlines are looked for in the next 31 days first, then further: 30 working days
    (210 h) from 1 September 2026 cross National Day and end in October, beyond the first
    span, and measure back to exactly 210 working hours."""
    start = at(2026, 9, 1, 8, 30)
    due = add_working_hours(start, 30 * HOURS_PER_DAY)
    assert (due - start).days > 31
    assert working_hours_between(start, due) == 30 * HOURS_PER_DAY
    assert timezone.localtime(due).time() == dt.time(17, 30)  # the close of the 30th workday


def test_around_the_clock():
    assert add_working_hours(at(2026, 11, 27, 22), 4, around_the_clock=True) == at(2026, 11, 28, 2)


def test_elapsed_hours_skip_nights_weekends_and_holidays():
    assert working_hours_between(at(2026, 11, 25, 9), at(2026, 11, 25, 15)) == 4
    assert working_hours_between(at(2026, 11, 27, 16, 30), at(2026, 11, 30, 11, 30)) == 4
    assert working_hours_between(at(2026, 9, 30, 17), at(2026, 10, 8, 9)) == 1
    assert working_hours_between(at(2026, 11, 25, 15), at(2026, 11, 25, 9)) == 0


def test_clock_agrees_with_walking_the_days():
    # Over a range with a weekend, National Day and its make-up workdays, every pair of
    # moments on the half hour (night, lunch, office hours) gives the same hours both ways.
    first, last = dt.date(2026, 9, 25), dt.date(2026, 10, 12)
    workdays = set(workdays_between(first, last + dt.timedelta(days=1)))
    clock = WorkingClock(workdays)
    moments = [
        at(day.year, day.month, day.day, hour, minute)
        for day in (first + dt.timedelta(days=n) for n in range(0, 18, 3))
        for hour in (0, 8, 9, 12, 13, 14, 17, 23)
        for minute in (0, 30)
    ]
    for start in moments:
        for end in moments:
            assert clock.hours_between(start, end) == pytest.approx(
                working_hours_between(start, end, workdays=workdays)
            ), (start, end)
    assert clock.hours_between(at(2026, 9, 30, 17), at(2026, 10, 9, 9)) == 1 + 7
