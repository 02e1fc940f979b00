"""Recurrence rules: month ends, Asia/Shanghai local time, workdays, validation, wording."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from houqin.core.duties import recurrence as r
from houqin.core.duties.tests.factories import local

pytestmark = pytest.mark.django_db
UTC = dt.UTC
D = dt.date


def local_days(occurrences):
    return [r.to_local(o).date() for o in occurrences]


def test_bymonthday_31_skips_short_months():
    found = r.occurrences(
        "FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=9;BYMINUTE=0",
        local(2026, 1, 1),
        local(2026, 1, 1),
        local(2026, 5, 1),
    )
    assert local_days(found) == [D(2026, 1, 31), D(2026, 3, 31)]


def test_bymonthday_minus_one_is_the_last_day_of_every_month():
    found = r.occurrences(
        "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0",
        local(2026, 1, 1),
        local(2026, 1, 1),
        local(2026, 5, 1),
    )
    assert local_days(found) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    # 2028 is a leap year.
    leap = r.occurrences(
        "FREQ=MONTHLY;BYMONTHDAY=-1", local(2028, 1, 1), local(2028, 2, 1), local(2028, 3, 1)
    )
    assert local_days(leap) == [D(2028, 2, 29)]


def test_nine_local_is_one_utc():
    found = r.occurrences(
        "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", local(2026, 1, 1), local(2026, 3, 2), local(2026, 3, 3)
    )
    assert len(found) == 1
    assert found[0].astimezone(UTC) == dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert found[0].utcoffset() == dt.timedelta(hours=8)


def test_day_boundary_is_local_midnight_and_half_open():
    rule = "FREQ=DAILY;BYHOUR=0,23;BYMINUTE=0"
    start, end = r.day_bounds(D(2026, 3, 1))
    assert start.astimezone(UTC) == dt.datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    found = r.occurrences(rule, local(2026, 1, 1), start, end)
    # 00:00 local (= 16:00 UTC the day before) is in; next midnight is out (half-open).
    assert [o.astimezone(UTC) for o in found] == [
        dt.datetime(2026, 2, 28, 16, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
    ]
    # The same window given in UTC gives the same occurrences.
    assert r.occurrences(rule, local(2026, 1, 1), start.astimezone(UTC), end.astimezone(UTC)) == (
        found
    )


def test_workdays_only_around_national_day_2026(django_assert_num_queries):
    rule = "FREQ=DAILY;BYHOUR=9;BYMINUTE=0"
    with django_assert_num_queries(1):
        found = r.occurrences(
            rule, local(2026, 1, 1), local(2026, 9, 18), local(2026, 10, 13), workdays_only=True
        )
    days = local_days(found)
    assert D(2026, 9, 18) in days  # Friday
    assert D(2026, 9, 19) not in days  # Saturday
    assert D(2026, 9, 20) in days  # Sunday, 调休 workday
    for day in range(1, 8):
        assert D(2026, 10, day) not in days  # 国庆节
    assert D(2026, 10, 8) in days and D(2026, 10, 9) in days
    assert D(2026, 10, 10) in days  # Saturday, 调休 workday
    assert D(2026, 10, 11) not in days  # Sunday
    assert D(2026, 10, 12) in days
    all_days = local_days(
        r.occurrences(rule, local(2026, 1, 1), local(2026, 9, 18), local(2026, 10, 13))
    )
    assert D(2026, 9, 25) not in days  # 中秋节 (a Friday)
    assert len(all_days) == 25 and len(days) == 13


def test_workdays_passed_in_make_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        found = r.occurrences(
            "FREQ=DAILY;BYHOUR=9",
            local(2026, 1, 1),
            local(2026, 10, 9),
            local(2026, 10, 12),
            workdays_only=True,
            workdays={D(2026, 10, 9)},
        )
    assert local_days(found) == [D(2026, 10, 9)]


def test_starts_at_dtstart_and_until_in_utc_is_read_as_utc():
    found = r.occurrences(
        "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;UNTIL=20260105T020000Z",
        local(2026, 1, 3, 8, 0),
        local(2026, 1, 1),
        local(2026, 2, 1),
    )
    # 02:00 UTC on 5 January is 10:00 local: the 09:00 occurrence of that day is included.
    assert local_days(found) == [D(2026, 1, 3), D(2026, 1, 4), D(2026, 1, 5)]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "请填写重复规则"),
        ("每天", "格式无效"),
        ("FREQ=SOMETIMES", "频率 FREQ=SOMETIMES 无效"),
        ("FREQ=MINUTELY", "频率最短为每小时"),
        ("BYHOUR=9", "缺少频率 FREQ"),
        ("FREQ=DAILY;BYHOUR=24", "超出范围"),
        ("FREQ=DAILY;BYSETPOS=1", "不支持的规则项"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "永远不会发生"),
        ("FREQ=DAILY;UNTIL=20200101", "五年内没有任何一次"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "不能同时使用"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=HOURLY;BYMINUTE=0,10,20,30,40,50", "频次过高"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "只能填写一条"),
    ],
)
def test_invalid_rules_get_a_chinese_message(rule, message):
    with pytest.raises(ValidationError) as info:
        r.parse_rule(rule, local(2026, 1, 1))
    assert "rrule" in info.value.message_dict
    assert message in " ".join(info.value.message_dict["rrule"])


def test_valid_rule_is_normalised():
    r.parse_rule("rrule:freq=weekly; byday=mo ;byhour=9", local(2026, 1, 1))
    assert (
        r.normalize_rule("RRULE:byhour=9;freq=weekly;byday=mo") == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"
    )


@pytest.mark.parametrize(
    ("key", "months", "rule", "first_days"),
    [
        ("daily", (), "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", [D(2026, 1, 1), D(2026, 1, 2)]),
        ("daily_twice", (), "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0", [D(2026, 1, 1), D(2026, 1, 1)]),
        ("weekly_monday", (), "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", [D(2026, 1, 5)]),
        ("monthly_first", (), "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0", [D(2026, 1, 1)]),
        (
            "quarterly",
            (),
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
            [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1), D(2026, 10, 1)],
        ),
        (
            "april_october",
            (),
            "FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
            [D(2026, 4, 1), D(2026, 10, 1)],
        ),
        (
            "yearly_months",
            (3, 4, 6, 9, 10),
            "FREQ=YEARLY;BYMONTH=3,4,6,9,10;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
            [D(2026, 3, 1), D(2026, 4, 1), D(2026, 6, 1), D(2026, 9, 1), D(2026, 10, 1)],
        ),
    ],
)
def test_presets_build_valid_rules_and_are_recognised(key, months, rule, first_days):
    built = r.build_preset_rule(key, months=months)
    assert built == rule
    r.parse_rule(built, local(2026, 1, 1))
    found = r.next_occurrences(built, local(2026, 1, 1), local(2026, 1, 1), len(first_days))
    assert local_days(found) == first_days
    assert r.match_preset(built)[0] == key


def test_preset_time_and_months_round_trip():
    rule = r.build_preset_rule("monthly_first", time=dt.time(14, 30))
    assert r.match_preset(rule) == ("monthly_first", dt.time(14, 30), [])
    assert r.match_preset("FREQ=WEEKLY;BYDAY=TU") == ("custom", None, [])
    with pytest.raises(ValidationError):
        r.build_preset_rule("yearly_months", months=())


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0", "每天 09:00、15:00"),
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "每周一 09:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30", "每 2 周的周一、周三 08:30"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0", "每月最后一天 09:00"),
        ("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9;BYMINUTE=0", "每月第 1 个周一 09:00"),
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
            "每季度（1、4、7、10 月）1 日 09:00",
        ),
        ("FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0", "每年 4、10 月 1 日 09:00"),
        ("FREQ=HOURLY;INTERVAL=2", "每 2 小时"),
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0;COUNT=3", "每月 1 日 09:00，共 3 次"),
    ],
)
def test_describe_in_chinese(rule, text):
    assert r.describe(rule, local(2026, 1, 1)) == text


def test_describe_workdays_and_frequency_labels():
    assert r.describe("FREQ=DAILY;BYHOUR=13;BYMINUTE=30", None, True) == "每天 13:30（仅工作日）"
    assert r.frequency_label("FREQ=DAILY;BYHOUR=9") == "每日"
    assert r.frequency_label("FREQ=DAILY;BYHOUR=9,15") == "每日 2 次"
    assert r.frequency_label("FREQ=DAILY;BYHOUR=9", workdays_only=True) == "每个工作日"
    assert r.frequency_label("FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1") == "每季度"
    assert r.frequency_label("FREQ=YEARLY;BYMONTH=3,4,6,9,10;BYMONTHDAY=1") == "每年 5 次"
    assert r.frequency_label("FREQ=WEEKLY;BYDAY=MO") == "每周"
    assert r.frequency_label("FREQ=MONTHLY;INTERVAL=3") == "每 3 个月"


def test_next_occurrences_respects_workdays():
    found = r.next_occurrences(
        "FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        local(2026, 1, 1),
        local(2026, 9, 30, 12),
        3,
        workdays_only=True,
    )
    assert local_days(found) == [D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)]
