"""Duty roster pages: the week grid (gaps, my duty, read-only for guards), assigning,
removing, copying last week, the shift pages; permissions, escaping and query budgets."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.audit import AuditEvent
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security.models import RosterEntry, Shift
from houqin.security.models.rosters import Post
from houqin.security.services import rosters as services

T = dt.time
MONDAY = dt.date(2026, 3, 2)
ROSTER = reverse("security:roster")
pytestmark = pytest.mark.django_db


def _shift(center, post, name, start, end, min_staff=1, **extra):
    return Shift.objects.create(
        center=center, post=post, name=name, start=start, end=end, min_staff=min_staff, **extra
    )


@pytest.fixture
def shifts(center_a):
    return (
        _shift(center_a, Post.GATE, "白班", T(8), T(20)),
        _shift(center_a, Post.GATE, "夜班", T(20), T(8)),
    )


@pytest.fixture
def guard_2(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="保安小王"), Role.GUARD, username="g2")


def _week(day=MONDAY):
    return f"{ROSTER}?week={day.isoformat()}"


def _entry(shift, day, user):
    return RosterEntry.objects.create(shift=shift, date=day, user=user)


# ---------------------------------------------------------------- the grid


def test_grid_shows_week_gaps_and_assign_form(client, manager_a, guard_a, shifts):
    _entry(shifts[0], MONDAY, guard_a)
    client.force_login(manager_a)
    response = client.get(_week(MONDAY + dt.timedelta(days=3)))  # a Thursday → its Monday
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-week="2026-03-02"' in html
    assert "保安小陈" in html and 'data-entry="' in html
    assert "门岗" in html and "20:00–次日08:00" in html
    # Nobody on the night shift all week, the day shift only on Monday.
    assert html.count('data-gap="understaffed"') == 13
    assert 'data-gap="uncovered"' not in html
    assert "data-assign-form" in html and "data-copy-week" in html
    assert reverse("security:roster_remove", args=[RosterEntry.objects.get().pk]) in html


def test_grid_uncovered_hours_listed(client, manager_a, center_a):
    _shift(center_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=2)
    client.force_login(manager_a)
    html = client.get(_week()).content.decode()
    assert "消防控制室 00:00—08:00 无班次覆盖（本周 7 天）" in html
    assert "消防控制室 20:00—24:00 无班次覆盖（本周 7 天）" in html
    assert "人数不足：0/2" in html


def test_grid_all_covered(client, manager_a, guard_a, guard_2, shifts):
    day, night = shifts
    for offset in range(-1, 7):
        when = MONDAY + dt.timedelta(days=offset)
        _entry(day, when, guard_a)
        _entry(night, when, guard_2)
    client.force_login(manager_a)
    html = client.get(_week()).content.decode()
    assert "data-gaps-none" in html and "data-gaps>" not in html


def test_guard_reads_grid_with_my_duty(client, guard_a, guard_2, shifts):
    day, night = shifts
    _entry(day, MONDAY, guard_a)
    _entry(night, MONDAY + dt.timedelta(days=1), guard_2)
    client.force_login(guard_a)
    response = client.get(_week())
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-my-duty" in html and "我的值班" in html
    assert html.count("data-mine") == 1
    assert "保安小王" in html  # the whole roster of the center is visible
    assert "data-assign-form" not in html and "data-copy-week" not in html
    assert "roster/" in html and "/remove/" not in html


def test_bad_week_param_falls_back_to_this_week(client, manager_a, shifts):
    client.force_login(manager_a)
    response = client.get(f"{ROSTER}?week=2026-13-45")
    assert response.status_code == 200


def test_grid_escapes_names(client, manager_a, agency_x, center_a):
    shift = _shift(center_a, Post.GATE, "<b>班</b>", T(8), T(20))
    guard = make_user(PersonFactory(agency=agency_x, name="<script>x</script>"), Role.GUARD)
    RosterEntry.objects.create(shift=shift, date=MONDAY, user=guard, note='"><img>')
    client.force_login(manager_a)
    html = client.get(_week()).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<b>班</b>" not in html and '"><img>' not in html


def test_grid_constant_queries(client, manager_a, agency_x, center_a, shifts):
    client.force_login(manager_a)
    client.get(_week())  # warm caches (content types, sessions)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_week()).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    fire = _shift(center_a, Post.FIRE_CONTROL, "白班", T(8), T(20), min_staff=2)
    guards = [make_user(PersonFactory(agency=agency_x), Role.GUARD) for _ in range(6)]
    for offset in range(7):
        when = MONDAY + dt.timedelta(days=offset)
        for i, guard in enumerate(guards):
            RosterEntry.objects.create(
                shift=(shifts[0], shifts[1], fire)[i % 3], date=when, user=guard
            )
    assert count() == small


def test_export_week(client, manager_a, guard_a, shifts):
    _entry(shifts[1], MONDAY, guard_a)
    client.force_login(manager_a)
    response = client.get(f"{_week()}&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "星期", "岗位")
    assert rows[1][1:6] == ("周一", "门岗", "夜班", "20:00–次日08:00", "保安小陈")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


# ---------------------------------------------------------------- assign / remove / copy


def test_assign_from_grid(client, manager_a, guard_a, shifts):
    client.force_login(manager_a)
    response = client.post(
        reverse("security:roster_assign"),
        {"shift": shifts[0].pk, "date": "2026-03-04", "user": guard_a.pk, "note": "带班"},
    )
    assert response.status_code == 302 and response["Location"] == _week()
    entry = RosterEntry.objects.get()
    assert (entry.shift, entry.date, entry.user, entry.note) == (
        shifts[0],
        dt.date(2026, 3, 4),
        guard_a,
        "带班",
    )


def test_assign_overlap_shows_error(client, manager_a, guard_a, center_a, shifts):
    early = _shift(center_a, Post.PATROL, "早巡", T(6), T(10))
    _entry(shifts[1], MONDAY, guard_a)
    client.force_login(manager_a)
    response = client.post(
        reverse("security:roster_assign"),
        {"shift": early.pk, "date": "2026-03-03", "user": guard_a.pk},
    )
    assert response.status_code == 422
    assert "时间重叠" in response.content.decode()
    assert RosterEntry.objects.count() == 1


def test_assign_bad_input(client, manager_a, staff_x, guard_b, shifts, center_b):
    other = _shift(center_b, Post.GATE, "白班", T(8), T(20))
    client.force_login(manager_a)
    for data in (
        {"shift": shifts[0].pk, "date": "2026-03-04", "user": staff_x.pk},
        {"shift": shifts[0].pk, "date": "2026-03-04", "user": guard_b.pk},
        {"shift": other.pk, "date": "2026-03-04", "user": manager_a.pk},
        {"shift": shifts[0].pk, "date": "不是日期", "user": manager_a.pk},
    ):
        response = client.post(reverse("security:roster_assign"), data)
        assert response.status_code == 422
    html = response.content.decode()
    assert "is-invalid" in html
    assert not RosterEntry.objects.exists()


def test_remove(client, manager_a, guard_a, shifts):
    entry = _entry(shifts[0], MONDAY, guard_a)
    client.force_login(manager_a)
    response = client.post(reverse("security:roster_remove", args=[entry.pk]))
    assert response.status_code == 302 and response["Location"] == _week()
    assert not RosterEntry.objects.exists()


def test_copy_week(client, manager_a, guard_a, shifts):
    _entry(shifts[0], MONDAY, guard_a)
    _entry(shifts[0], MONDAY + dt.timedelta(days=2), guard_a)
    client.force_login(manager_a)
    next_monday = MONDAY + dt.timedelta(days=7)
    response = client.post(
        reverse("security:roster_copy_week"), {"week": next_monday.isoformat()}, follow=True
    )
    assert response.redirect_chain[-1][0] == _week(next_monday)
    assert "已从上周复制 2 条排班，跳过 0 条" in response.content.decode()
    assert RosterEntry.objects.filter(date__gte=next_monday).count() == 2
    response = client.post(reverse("security:roster_copy_week"), {"week": "x"}, follow=True)
    assert "日期格式不正确" in response.content.decode()


# ---------------------------------------------------------------- shifts


def test_shift_list_and_create(client, manager_a, shifts):
    client.force_login(manager_a)
    html = client.get(reverse("security:shift_list")).content.decode()
    assert "白班" in html and "夜班" in html and "20:00–次日08:00" in html
    response = client.post(
        reverse("security:shift_create"),
        {
            "post": "fire_control",
            "name": "白班",
            "start": "08:00",
            "end": "20:00",
            "min_staff": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Shift.objects.filter(post=Post.FIRE_CONTROL, min_staff=2).exists()


def test_shift_create_fire_control_one_person(client, manager_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("security:shift_create"),
        {"post": "fire_control", "name": "夜班", "start": "20:00", "end": "08:00", "min_staff": 1},
    )
    assert response.status_code == 422
    assert "每班不少于 2 人" in response.content.decode()
    assert not Shift.objects.exists()


def test_shift_edit(client, manager_a, shifts):
    client.force_login(manager_a)
    url = reverse("security:shift_edit", args=[shifts[0].pk])
    assert "08:00" in client.get(url).content.decode()
    response = client.post(
        url, {"post": "gate", "name": "夜班", "start": "07:00", "end": "19:00", "min_staff": 1}
    )
    assert response.status_code == 422
    assert "已有名为“夜班”的班次" in response.content.decode()
    response = client.post(
        url, {"post": "gate", "name": "日班", "start": "07:00", "end": "19:00", "min_staff": 3}
    )
    assert response.status_code == 302
    shifts[0].refresh_from_db()
    assert (shifts[0].name, shifts[0].start, shifts[0].min_staff, shifts[0].is_active) == (
        "日班",
        T(7),
        3,
        False,
    )


def test_shift_export(client, manager_a, shifts):
    client.force_login(manager_a)
    response = client.get(reverse("security:shift_list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][:2] == ("门岗", "白班")


# ---------------------------------------------------------------- permissions


def test_staff_forbidden(client, staff_x, shifts):
    client.force_login(staff_x)
    for url in (ROSTER, reverse("security:shift_list"), reverse("security:shift_create")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("security:roster_assign"), {}).status_code == 403


def test_guard_cannot_edit(client, guard_a, shifts):
    entry = _entry(shifts[0], MONDAY, guard_a)
    client.force_login(guard_a)
    assert client.get(reverse("security:shift_list")).status_code == 403
    assert client.get(reverse("security:shift_edit", args=[shifts[0].pk])).status_code == 403
    data = {"shift": shifts[0].pk, "date": "2026-03-03", "user": guard_a.pk}
    assert client.post(reverse("security:roster_assign"), data).status_code == 403
    assert client.post(reverse("security:roster_remove", args=[entry.pk])).status_code == 403
    week = {"week": "2026-03-09"}
    assert client.post(reverse("security:roster_copy_week"), week).status_code == 403
    assert RosterEntry.objects.count() == 1


def test_admin_reads_only(client, admin_a, shifts):
    client.force_login(admin_a)
    html = client.get(_week()).content.decode()
    assert "data-roster" in html and "data-assign-form" not in html
    assert client.get(reverse("security:shift_list")).status_code == 200
    assert client.get(reverse("security:shift_create")).status_code == 403


def test_other_center_404_and_invisible(client, manager_b, guard_b, guard_a, shifts):
    entry = _entry(shifts[0], MONDAY, guard_a)
    client.force_login(manager_b)
    assert client.get(reverse("security:shift_edit", args=[shifts[0].pk])).status_code == 404
    assert client.post(reverse("security:roster_remove", args=[entry.pk])).status_code == 404
    response = client.post(
        reverse("security:roster_assign"),
        {"shift": shifts[0].pk, "date": "2026-03-03", "user": guard_b.pk},
    )
    assert response.status_code == 422
    html = client.get(_week()).content.decode()
    assert "保安小陈" not in html and "data-roster" not in html
    assert RosterEntry.objects.count() == 1


def test_get_not_allowed_on_posts(client, manager_a, guard_a, shifts):
    entry = _entry(shifts[0], MONDAY, guard_a)
    client.force_login(manager_a)
    assert client.get(reverse("security:roster_remove", args=[entry.pk])).status_code == 405
    assert client.get(reverse("security:roster_copy_week")).status_code == 405


def test_monday_of():
    assert services.monday_of(dt.date(2026, 3, 8)) == MONDAY
