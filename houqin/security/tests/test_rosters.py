"""Duty roster services: shift rules, assignment rules (roles, overlaps with the overnight
wrap), copying a week, and the 24 h / minimum staff gap detection."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user
from houqin.security.models import RosterEntry, Shift
from houqin.security.models.rosters import Post
from houqin.security.services import rosters as services
from houqin.security.services.rosters import Gap

T = dt.time
MONDAY = dt.date(2026, 3, 2)  # a Monday
pytestmark = pytest.mark.django_db


def _shift(actor, post, name, start, end, min_staff=1):
    return services.shift_create(
        actor=actor,
        center=actor.center,
        post=post,
        name=name,
        start=start,
        end=end,
        min_staff=min_staff,
    )


@pytest.fixture
def guard_2(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="保安小王"), Role.GUARD, username="g2")


@pytest.fixture
def day_shift(manager_a):
    return _shift(manager_a, Post.GATE, "白班", T(8), T(20))


@pytest.fixture
def night_shift(manager_a):
    return _shift(manager_a, Post.GATE, "夜班", T(20), T(8))


def _at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, T(hour)))


# ---------------------------------------------------------------- shifts


def test_shift_create_and_overnight_span(manager_a, night_shift):
    assert night_shift.center_id == manager_a.center_id
    start, end = services.shift_span(night_shift, MONDAY)
    assert start == dt.datetime(2026, 3, 2, 20) and end == dt.datetime(2026, 3, 3, 8)
    assert services.shift_hours(night_shift) == 12


def test_fire_control_shift_needs_two(manager_a):
    with pytest.raises(ValidationError) as exc:
        _shift(manager_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=1)
    assert "不少于 2 人" in exc.value.message_dict["min_staff"][0]
    assert not Shift.objects.exists()
    shift = _shift(manager_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=2)
    with pytest.raises(ValidationError):
        services.shift_update(
            actor=manager_a,
            shift=shift,
            post=Post.FIRE_CONTROL,
            name="白班",
            start=T(8),
            end=T(20),
            min_staff=1,
        )
    shift.refresh_from_db()
    assert shift.min_staff == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"post": "kitchen"}, "post", "岗位"),
        ({"name": "  "}, "name", "班次名称"),
        ({"name": "班" * 21}, "name", "20"),
        ({"start": None}, "start", "开始时间"),
        ({"end": T(8)}, "end", "不能与开始时间相同"),
        ({"min_staff": 0}, "min_staff", "1—50"),
        ({"min_staff": "x"}, "min_staff", "最少人数"),
    ],
)
def test_shift_bad_input(manager_a, kwargs, field, words):
    data = {"post": Post.GATE, "name": "白班", "start": T(8), "end": T(20), "min_staff": 1}
    data.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        services.shift_create(actor=manager_a, center=manager_a.center, **data)
    assert words in " ".join(exc.value.message_dict[field])
    assert not Shift.objects.exists()


def test_shift_duplicate_name_per_post(manager_a, day_shift):
    with pytest.raises(ValidationError) as exc:
        _shift(manager_a, Post.GATE, "白班", T(7), T(19))
    assert "门岗已有名为“白班”的班次" in exc.value.message_dict["name"][0]
    # The same name on another post is fine.
    _shift(manager_a, Post.PATROL, "白班", T(8), T(20))
    assert Shift.objects.count() == 2


def test_shift_permissions(guard_a, manager_b, manager_a, day_shift):
    with pytest.raises(PermissionDenied):
        _shift(guard_a, Post.GATE, "早班", T(6), T(14))
    with pytest.raises(PermissionDenied):
        services.shift_update(
            actor=manager_b,
            shift=day_shift,
            post=Post.GATE,
            name="改",
            start=T(8),
            end=T(20),
            min_staff=1,
        )
    day_shift.refresh_from_db()
    assert day_shift.name == "白班"


def test_shift_retime_refused_when_it_makes_duties_overlap(
    manager_a, guard_a, day_shift, night_shift, monkeypatch
):
    monkeypatch.setattr(services.timezone, "localdate", lambda: MONDAY)
    services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    services.roster_assign(actor=manager_a, shift=night_shift, date=MONDAY, user=guard_a)
    with pytest.raises(ValidationError) as exc:
        services.shift_update(
            actor=manager_a,
            shift=day_shift,
            post=Post.GATE,
            name="白班",
            start=T(8),
            end=T(21),
            min_staff=1,
        )
    assert "时间重叠" in exc.value.message_dict["end"][0]
    day_shift.refresh_from_db()
    assert day_shift.end == T(20)


# ---------------------------------------------------------------- assignments


def test_assign_and_remove(manager_a, guard_a, day_shift):
    entry = services.roster_assign(
        actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a, note="带班"
    )
    assert (entry.shift, entry.date, entry.user, entry.note) == (
        day_shift,
        MONDAY,
        guard_a,
        "带班",
    )
    services.roster_remove(actor=manager_a, entry=entry)
    assert not RosterEntry.objects.exists()


def test_assign_twice_refused(manager_a, guard_a, day_shift):
    services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    with pytest.raises(ValidationError) as exc:
        services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    assert "已在该班次" in exc.value.message_dict["user"][0]
    assert RosterEntry.objects.count() == 1


def test_overnight_shift_blocks_next_morning(manager_a, guard_a, night_shift):
    early = _shift(manager_a, Post.FIRE_CONTROL, "早班", T(6), T(14), min_staff=2)
    services.roster_assign(actor=manager_a, shift=night_shift, date=MONDAY, user=guard_a)
    tuesday = MONDAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.roster_assign(actor=manager_a, shift=early, date=tuesday, user=guard_a)
    message = exc.value.message_dict["user"][0]
    assert "时间重叠" in message and "2026-03-02" in message and "夜班" in message
    # The other way round: a morning shift, then the night shift of the evening before.
    with pytest.raises(ValidationError):
        services.roster_assign(
            actor=manager_a, shift=night_shift, date=tuesday - dt.timedelta(days=1), user=guard_a
        )
    # Back to back is fine: the night shift ends at 08:00, a shift may start then.
    late = _shift(manager_a, Post.PATROL, "日巡", T(8), T(16))
    services.roster_assign(actor=manager_a, shift=late, date=tuesday, user=guard_a)
    assert RosterEntry.objects.count() == 2


def test_assign_only_guards_and_managers_of_the_center(
    manager_a, staff_x, guard_b, guard_a, day_shift
):
    for user in (staff_x, guard_b):
        with pytest.raises(ValidationError) as exc:
            services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=user)
        assert "本中心" in exc.value.message_dict["user"][0]
    guard_a.is_active = False
    guard_a.save()
    with pytest.raises(ValidationError):
        services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    # A manager may stand a shift themselves.
    services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=manager_a)
    assert list(RosterEntry.objects.values_list("user", flat=True)) == [manager_a.pk]


def test_assign_inactive_shift_and_permissions(manager_a, guard_a, manager_b, day_shift):
    with pytest.raises(PermissionDenied):
        services.roster_assign(actor=guard_a, shift=day_shift, date=MONDAY, user=guard_a)
    with pytest.raises(PermissionDenied):
        services.roster_assign(actor=manager_b, shift=day_shift, date=MONDAY, user=guard_a)
    Shift.objects.filter(pk=day_shift.pk).update(is_active=False)
    day_shift.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    assert "停用" in exc.value.message_dict["shift"][0]
    assert not RosterEntry.objects.exists()


def test_remove_permission(manager_a, guard_a, day_shift):
    entry = services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    with pytest.raises(PermissionDenied):
        services.roster_remove(actor=guard_a, entry=entry)
    assert RosterEntry.objects.count() == 1


# ---------------------------------------------------------------- copy week


def test_copy_week_copies_and_skips_conflicts(manager_a, guard_a, guard_2, day_shift, night_shift):
    early = _shift(manager_a, Post.PATROL, "早巡", T(6), T(10))
    for offset in range(7):
        day = MONDAY + dt.timedelta(days=offset)
        services.roster_assign(actor=manager_a, shift=day_shift, date=day, user=guard_a)
        services.roster_assign(actor=manager_a, shift=night_shift, date=day, user=guard_2)
    next_monday = MONDAY + dt.timedelta(days=7)
    # Already planned next week: guard_a on Monday's day shift (a copy would repeat it), and
    # guard_2 on Tuesday's early patrol, which overlaps guard_2's Monday night shift (→ 08:00).
    services.roster_assign(actor=manager_a, shift=day_shift, date=next_monday, user=guard_a)
    services.roster_assign(
        actor=manager_a, shift=early, date=next_monday + dt.timedelta(days=1), user=guard_2
    )
    result = services.roster_copy_week(
        actor=manager_a, center=manager_a.center, from_monday=MONDAY, to_monday=next_monday
    )
    assert result == {"copied": 12, "skipped": 2}
    week = RosterEntry.objects.filter(date__gte=next_monday)
    assert week.count() == 14
    assert week.filter(user=guard_a, shift=day_shift).count() == 7
    assert not week.filter(user=guard_2, shift=night_shift, date=next_monday).exists()
    assert week.filter(user=guard_2, shift=night_shift).count() == 6
    # Copying again changes nothing.
    again = services.roster_copy_week(
        actor=manager_a, center=manager_a.center, from_monday=MONDAY, to_monday=next_monday
    )
    assert again == {"copied": 0, "skipped": 14}


def test_copy_week_skips_overlap_and_unavailable(manager_a, guard_a, guard_2, night_shift):
    early = _shift(manager_a, Post.PATROL, "早巡", T(6), T(10))
    services.roster_assign(actor=manager_a, shift=night_shift, date=MONDAY, user=guard_a)
    services.roster_assign(actor=manager_a, shift=night_shift, date=MONDAY, user=guard_2)
    next_monday = MONDAY + dt.timedelta(days=7)
    services.roster_assign(
        actor=manager_a, shift=early, date=next_monday + dt.timedelta(days=1), user=guard_a
    )
    guard_2.is_active = False
    guard_2.save()
    result = services.roster_copy_week(
        actor=manager_a, center=manager_a.center, from_monday=MONDAY, to_monday=next_monday
    )
    assert result == {"copied": 0, "skipped": 2}
    assert RosterEntry.objects.filter(date__gte=next_monday).count() == 1


def test_copy_week_bad_input_and_permissions(manager_a, guard_a, manager_b):
    with pytest.raises(ValidationError) as exc:
        services.roster_copy_week(
            actor=manager_a,
            center=manager_a.center,
            from_monday=MONDAY,
            to_monday=MONDAY + dt.timedelta(days=8),
        )
    assert "星期一" in exc.value.message_dict["week"][0]
    with pytest.raises(ValidationError):
        services.roster_copy_week(
            actor=manager_a, center=manager_a.center, from_monday=MONDAY, to_monday=MONDAY
        )
    with pytest.raises(PermissionDenied):
        services.roster_copy_week(
            actor=guard_a,
            center=guard_a.center,
            from_monday=MONDAY,
            to_monday=MONDAY + dt.timedelta(days=7),
        )
    with pytest.raises(PermissionDenied):
        services.roster_copy_week(
            actor=manager_b,
            center=manager_a.center,
            from_monday=MONDAY,
            to_monday=MONDAY + dt.timedelta(days=7),
        )


# ---------------------------------------------------------------- gaps


def test_full_coverage_has_no_gaps(manager_a, guard_a, guard_2, day_shift, night_shift):
    sunday = MONDAY - dt.timedelta(days=1)
    for day in (sunday, MONDAY):
        services.roster_assign(actor=manager_a, shift=day_shift, date=day, user=guard_a)
        services.roster_assign(actor=manager_a, shift=night_shift, date=day, user=guard_2)
    assert services.roster_gaps(manager_a.center_id, MONDAY, MONDAY) == []


def test_removing_the_night_shift_leaves_holes(manager_a, guard_a, day_shift, night_shift):
    services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    tuesday = MONDAY + dt.timedelta(days=1)
    services.roster_assign(actor=manager_a, shift=day_shift, date=tuesday, user=guard_a)
    services.shift_update(
        actor=manager_a,
        shift=night_shift,
        post=Post.GATE,
        name="夜班",
        start=T(20),
        end=T(8),
        min_staff=1,
        is_active=False,
    )
    gaps = services.roster_gaps(manager_a.center_id, MONDAY, tuesday)
    assert [(g.kind, g.date, g.start, g.end) for g in gaps] == [
        (Gap.UNCOVERED, MONDAY, _at(MONDAY, 0), _at(MONDAY, 8)),
        (Gap.UNCOVERED, MONDAY, _at(MONDAY, 20), _at(tuesday, 0)),
        (Gap.UNCOVERED, tuesday, _at(tuesday, 0), _at(tuesday, 8)),
        (Gap.UNCOVERED, tuesday, _at(tuesday, 20), _at(tuesday + dt.timedelta(days=1), 0)),
    ]
    assert all(g.post == Post.GATE and g.shift is None for g in gaps)
    assert gaps[1].hours == 4


def test_overnight_shift_of_the_day_before_covers_the_morning(manager_a, night_shift):
    # Only 20:00–08:00 defined: each day the hole is 08:00–20:00, not 00:00–08:00 too.
    gaps = services.roster_gaps(manager_a.center_id, MONDAY, MONDAY)
    uncovered = [(g.start, g.end) for g in gaps if g.kind == Gap.UNCOVERED]
    assert uncovered == [(_at(MONDAY, 8), _at(MONDAY, 20))]
    understaffed = [g for g in gaps if g.kind == Gap.UNDERSTAFFED]
    assert [(g.shift, g.have, g.need) for g in understaffed] == [(night_shift, 0, 1)]
    assert understaffed[0].end == _at(MONDAY + dt.timedelta(days=1), 8)


def test_fire_control_with_one_person_is_understaffed(manager_a, guard_a, guard_2):
    day = _shift(manager_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=2)
    night = _shift(manager_a, Post.FIRE_CONTROL, "夜班", T(20), T(8), min_staff=2)
    services.roster_assign(actor=manager_a, shift=day, date=MONDAY, user=guard_a)
    services.roster_assign(actor=manager_a, shift=night, date=MONDAY, user=guard_a)
    services.roster_assign(actor=manager_a, shift=day, date=MONDAY, user=guard_2)
    gaps = services.roster_gaps(manager_a.center_id, MONDAY, MONDAY)
    assert [(g.kind, g.post, g.shift, g.have, g.need) for g in gaps] == [
        (Gap.UNDERSTAFFED, Post.FIRE_CONTROL, night, 1, 2)
    ]
    assert gaps[0].post_label == "消防控制室"


def test_inactive_accounts_do_not_count(manager_a, guard_a, day_shift):
    services.roster_assign(actor=manager_a, shift=day_shift, date=MONDAY, user=guard_a)
    guard_a.is_active = False
    guard_a.save()
    gaps = services.roster_gaps(manager_a.center_id, MONDAY, MONDAY)
    assert [(g.kind, g.have) for g in gaps if g.shift] == [(Gap.UNDERSTAFFED, 0)]


def test_posts_without_shifts_and_other_centers(manager_a, manager_b, day_shift, night_shift):
    _shift(manager_b, Post.GATE, "白班", T(8), T(12))
    gaps = services.roster_gaps(manager_a.center_id, MONDAY, MONDAY)
    # Patrol and fire control have no shifts in A: nothing reported for them; B is not mixed in.
    assert {g.post for g in gaps} == {Post.GATE}
    assert all(g.kind == Gap.UNDERSTAFFED for g in gaps)
    assert services.roster_gaps(manager_a.center_id, MONDAY, MONDAY - dt.timedelta(days=1)) == []


def test_gaps_in_fixed_queries(manager_a, guard_a, guard_2, day_shift, night_shift):
    def count(days):
        with CaptureQueriesContext(connection) as ctx:
            services.roster_gaps(manager_a.center_id, MONDAY, MONDAY + dt.timedelta(days=days))
        return len(ctx.captured_queries)

    small = count(0)
    for offset in range(14):
        day = MONDAY + dt.timedelta(days=offset)
        services.roster_assign(actor=manager_a, shift=day_shift, date=day, user=guard_a)
        services.roster_assign(actor=manager_a, shift=night_shift, date=day, user=guard_2)
    _shift(manager_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=2)
    assert count(13) == small == 2


# ---------------------------------------------------------------- races (PostgreSQL)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_overlapping_assignments_at_once_keep_one():
    restore_migrated_data()
    center = make_center("排班并发中心", code="RRACE")
    agency = make_unit(center, "排班并发局", code="RRX")
    manager = make_user(PersonFactory(agency=agency), Role.SECURITY_MANAGER, username="rm")
    guard = make_user(PersonFactory(agency=agency), Role.GUARD, username="rg")
    shifts = [
        _shift(manager, Post.GATE, "白班", T(8), T(20)),
        _shift(manager, Post.GATE, "长白班", T(9), T(21)),
        _shift(manager, Post.PATROL, "日巡", T(10), T(18)),
        _shift(manager, Post.PATROL, "早巡", T(7), T(19)),
    ]
    results = run_at_once(
        [
            lambda s=s: services.roster_assign(actor=manager, shift=s, date=MONDAY, user=guard)
            for s in shifts
        ]
    )
    errors = [e for _r, e in results if e is not None]
    assert len(errors) == 3 and all(isinstance(e, ValidationError) for e in errors)
    assert RosterEntry.objects.filter(user=guard).count() == 1
