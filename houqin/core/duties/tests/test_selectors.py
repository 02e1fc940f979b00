"""Reads: my tasks, scoping, plan history, the compliance board and the annual figures."""

import datetime as dt

import pytest

from houqin.core.duties import selectors, services
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import month_bounds
from houqin.core.duties.tests.factories import local, make_plan

pytestmark = pytest.mark.django_db
NOV1 = local(2026, 11, 1)


def done(task, user, minutes=10, **kwargs):
    return services.duty_task_complete(
        actor=user, task=task, answers={}, now=task.due_at + dt.timedelta(minutes=minutes), **kwargs
    )


def test_my_tasks_by_role_named_and_vendor_manager(
    center_a, guard_a, staff_x, security_a, guard_b, center_b
):
    role_plan = make_plan(center_a, days_ahead=3)
    named = make_plan(
        center_a, title="会议室消毒", assignee_role="", assignees=[staff_x], days_ahead=3
    )
    vendor = make_plan(
        center_a,
        title="除四害",
        assignee_role="",
        vendor_name="XX公司",
        manager=security_a,
        days_ahead=3,
    )
    make_plan(center_b, days_ahead=3)  # center B's guards, not ours
    day = dt.date(2026, 11, 2)
    assert {t.plan for t in selectors.my_tasks(guard_a, day)} == {role_plan}
    assert {t.plan for t in selectors.my_tasks(staff_x, day)} == {named}
    assert {t.plan for t in selectors.my_tasks(security_a, day)} == {vendor}
    assert {t.center_id for t in selectors.my_tasks(guard_b, day)} == {center_b.pk}
    # Today's (2 Nov) and the still open one of 1 Nov (overdue); not 3 Nov.
    due = [t.due_at for t in selectors.my_tasks(guard_a, day)]
    assert due == [local(2026, 11, 1, 9), local(2026, 11, 2, 9)]


def test_my_tasks_leaves_out_done_cancelled_and_old(center_a, guard_a, security_a):
    plan = make_plan(center_a, days_ahead=3)
    first, second, third = plan.tasks.order_by("due_at")
    done(first, guard_a)
    services.duty_task_cancel(actor=security_a, task=second)
    assert list(selectors.my_tasks(guard_a, dt.date(2026, 11, 3))) == [third]
    assert list(selectors.my_done_tasks(guard_a, dt.date(2026, 11, 1))) == [first]
    # Overdue tasks older than the look-back are left to the board.
    assert list(selectors.my_tasks(guard_a, dt.date(2026, 12, 10))) == []


def test_tasks_for_managers_and_others(center_a, guard_a, staff_x, security_a, leader_a, admin_b):
    plan = make_plan(center_a, days_ahead=2)
    other = make_plan(center_a, title="留样检查", assignee_role="canteen_manager", days_ahead=2)
    assert selectors.tasks_for(security_a).count() == 4
    assert selectors.tasks_for(leader_a).count() == 4
    assert {t.plan for t in selectors.tasks_for(guard_a)} == {plan}
    assert selectors.tasks_for(staff_x).count() == 0
    assert selectors.tasks_for(admin_b).count() == 0
    assert other.tasks.count() == 2


def test_records_and_photos_scope(center_a, guard_a, guard_a2, staff_x, security_a):
    plan = make_plan(center_a, days_ahead=1)
    record = done(plan.tasks.get(), guard_a)
    assert list(selectors.records_for(guard_a)) == [record]
    assert list(selectors.records_for(guard_a2)) == [record]  # same role: their shared duty
    assert list(selectors.records_for(staff_x)) == []
    assert list(selectors.records_for(security_a)) == [record]
    assert selectors.records_for(security_a).get().photo_count == 0


def test_plan_history_is_half_open(center_a):
    plan = make_plan(center_a, days_ahead=30)
    tasks = selectors.plan_history(plan, dt.date(2026, 11, 10), dt.date(2026, 11, 12))
    assert [t.due_at for t in tasks] == [local(2026, 11, 10, 9), local(2026, 11, 11, 9)]


@pytest.fixture
def november(center_a, guard_a, canteen_user):
    """A constructed November 2026: fire patrol daily (30 tasks: 28 on time, 1 late, 1 never
    done); 留样 every workday; one ad-hoc disinfection."""
    fire = make_plan(center_a, now=NOV1, days_ahead=30)
    tasks = list(fire.tasks.order_by("due_at"))
    assert len(tasks) == 30
    for task in tasks[:28]:
        done(task, guard_a)
    done(tasks[28], guard_a, minutes=90)  # grace is 60 minutes: late
    samples = make_plan(
        center_a,
        title="食堂留样检查",
        category=DutyPlan.Category.FOOD_SAFETY,
        assignee_role="canteen_manager",
        rrule="FREQ=DAILY;BYHOUR=13;BYMINUTE=30",
        workdays_only=True,
        now=NOV1,
        days_ahead=30,
    )
    for task in samples.tasks.all():
        done(task, canteen_user)
    adhoc = services.duty_task_create_adhoc(
        actor=None,
        center=center_a,
        title="会前消毒",
        due_at=local(2026, 11, 20, 13, 45),
        assignee_role="guard",
        category=DutyPlan.Category.DISINFECTION,
    )
    done(adhoc, guard_a, minutes=-5)
    return fire, samples


@pytest.fixture
def canteen_user(agency_x):
    from houqin.org.tests.factories import PersonFactory, make_user

    return make_user(
        PersonFactory(agency=agency_x, name="食堂管理员"), "canteen_manager", username="canteen_a"
    )


def test_compliance_for_a_constructed_month(center_a, november):
    _fire, _samples = november
    start, end = month_bounds(2026, 11)
    rows = selectors.compliance(center_a, start, end, now=local(2026, 12, 1))
    by_title = {r.title: r for r in rows}
    row = by_title["防火巡查"]
    assert (row.due, row.done_on_time, row.done_late, row.missed, row.open, row.upcoming) == (
        30,
        28,
        1,
        1,
        0,
        0,
    )
    assert row.summary("11月") == "防火巡查 每日 — 11月 28/30 按时"
    sample = by_title["食堂留样检查"]
    assert sample.frequency == "每个工作日"
    assert sample.due == sample.done_on_time == 21  # November 2026 has 21 workdays
    adhoc = by_title["临时任务（消毒）"]
    assert (adhoc.due, adhoc.done_on_time, adhoc.frequency) == (1, 1, "临时")
    assert [r.category for r in rows] == ["disinfection", "fire_patrol", "food_safety"]
    # Only one category.
    only = selectors.compliance(center_a, start, end, "fire_patrol", now=local(2026, 12, 1))
    assert [r.title for r in only] == ["防火巡查"]


def test_compliance_29_of_30(center_a, guard_a):
    plan = make_plan(center_a, now=NOV1, days_ahead=30)
    for task in list(plan.tasks.order_by("due_at"))[1:]:
        done(task, guard_a)
    row = selectors.compliance(
        center_a, dt.date(2026, 11, 1), dt.date(2026, 12, 1), now=local(2026, 12, 5)
    )[0]
    assert row.summary("11月") == "防火巡查 每日 — 11月 29/30 按时"
    assert (row.missed, row.on_time_rate) == (1, 29 / 30)


def test_compliance_mid_month_counts_only_what_came_due(center_a, guard_a):
    plan = make_plan(center_a, now=NOV1, days_ahead=30)
    tasks = list(plan.tasks.order_by("due_at"))
    for task in tasks[:9]:
        done(task, guard_a)
    # 10 Nov 09:30: the 10th task is due and within its grace period.
    row = selectors.compliance(
        center_a, dt.date(2026, 11, 1), dt.date(2026, 12, 1), now=local(2026, 11, 10, 9, 30)
    )[0]
    assert (row.due, row.done_on_time, row.open, row.missed, row.upcoming) == (10, 9, 1, 0, 20)


def test_compliance_leaves_out_cancelled_and_other_centers(center_a, center_b, security_a):
    plan = make_plan(center_a, now=NOV1, days_ahead=3)
    make_plan(center_b, now=NOV1, days_ahead=3)
    services.duty_task_cancel(actor=security_a, task=plan.tasks.first())
    row = selectors.compliance(
        center_a, dt.date(2026, 11, 1), dt.date(2026, 12, 1), now=local(2026, 12, 1)
    )[0]
    assert (row.due, row.missed) == (2, 2)


def test_compliance_query_count_is_constant(center_a, django_assert_num_queries):
    for i in range(5):
        make_plan(center_a, title=f"巡查{i}", now=NOV1, days_ahead=5)
    with django_assert_num_queries(2):
        rows = selectors.compliance(center_a, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert len(rows) == 5


def test_duty_figures_for_the_annual_summary(center_a, november, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = selectors.duty_figures(center_a, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert figures["by_category"]["fire_patrol"] == 29
    assert figures["by_category"]["food_safety"] == 21
    assert figures["by_category"]["disinfection"] == 1
    assert figures["by_category"]["pest_control"] == 0
    assert figures["total"] == 51 and figures["late"] == 1 and figures["on_time"] == 50
    assert figures["with_findings"] == 0
    empty = selectors.duty_figures(center_a, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert empty["total"] == 0 and set(empty["by_category"]) == set(DutyPlan.Category.values)


def test_overdue_tasks_and_objects(center_a, staff_x):
    make_plan(center_a, now=NOV1, days_ahead=3)
    overdue = selectors.overdue_tasks(center_a, now=local(2026, 11, 2, 12))
    assert [t.due_at for t in overdue] == [local(2026, 11, 2, 9), local(2026, 11, 1, 9)]
    task = services.duty_task_create_adhoc(
        actor=None,
        center=center_a,
        title="会后消毒",
        due_at=local(2026, 11, 3, 16),
        assignees=[staff_x],
        target=staff_x.person,
    )
    assert list(selectors.tasks_for_object(staff_x.person)) == [task]
    assert DutyTask.objects.count() == 4
