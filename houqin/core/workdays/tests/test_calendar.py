"""Workdays around the 2026 National Day holiday and its 调休 days, and overrides."""

import datetime as dt

import pytest

from houqin.core.workdays import calendar
from houqin.core.workdays.services import holiday_override_set

D = dt.date
pytestmark = pytest.mark.django_db


def test_national_day_2026_and_adjusted_saturday():
    assert not calendar.is_workday(D(2026, 10, 1))
    assert not calendar.is_workday(D(2026, 10, 7))
    assert calendar.is_workday(D(2026, 10, 10))  # Saturday 调休: a workday
    assert calendar.is_workday(D(2026, 9, 20))  # Sunday 调休
    assert calendar.holiday_name(D(2026, 10, 1)) == "国庆节"
    assert calendar.holiday_name(D(2026, 10, 12)) == ""


def test_next_workday_skips_the_golden_week():
    assert calendar.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert calendar.next_workday(D(2026, 10, 9)) == D(2026, 10, 10)  # the 调休 Saturday
    assert calendar.next_workday(D(2026, 10, 10)) == D(2026, 10, 12)
    assert calendar.next_workday(D(2026, 10, 9), include_today=True) == D(2026, 10, 9)


def test_workdays_between_is_half_open():
    days = calendar.workdays_between(D(2026, 10, 1), D(2026, 10, 12))
    assert days == [D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)]
    assert calendar.workdays_between(D(2026, 10, 12), D(2026, 10, 12)) == []


def test_add_workdays():
    assert calendar.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_workdays(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert calendar.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 8)


def test_unknown_year_falls_back_to_weekdays_and_warns():
    assert calendar.is_workday(D(2027, 1, 1))  # a Friday; nobody knows 2027 yet
    assert not calendar.is_workday(D(2027, 1, 2))
    assert "2027" in calendar.calendar_warning(D(2026, 11, 25))
    assert calendar.calendar_warning(D(2025, 3, 1)) == ""  # 2025 and 2026 both known


def test_override_wins_and_makes_a_year_known(admin_a):
    holiday_override_set(actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.holiday_name(D(2027, 1, 1)) == "元旦"
    assert calendar.calendar_warning(D(2026, 11, 25)) == ""
    # An override can also turn a package holiday into a workday (local exception).
    holiday_override_set(actor=admin_a, date=D(2026, 10, 8), is_workday=True, name="值班")
    assert calendar.is_workday(D(2026, 10, 8))


def test_workdays_between_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.workdays_between(D(2026, 1, 1), D(2027, 1, 1))
