"""The canteen figures of the annual summary, from a small known data set; constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.canteen import summary
from houqin.canteen.models import (
    CanteenWorker,
    FoodSafetyPlan,
    LedgerEntry,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from houqin.canteen.services import counter, orders, wallets
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu
from .test_views_reports import build

pytestmark = pytest.mark.django_db

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
LATER = timezone.make_aware(dt.datetime(2026, 12, 1, 9, 0))


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def food_safety(center, user, menu, dish):
    """Four food-safety plans and their records in November.

    晨检: 2 tasks (1 on time, 1 late), 2 checks; 留样: 1 task missed, 1 sample;
    进货查验: no task, 1 inspection; 餐具消毒: 2 tasks on time (2 duty records).
    A cleaning plan's task is not a food-safety one and is not counted."""
    plans = {}
    for kind, label in FoodSafetyPlan.Kind.choices:
        plan = DutyPlan.objects.create(
            center=center,
            title=str(label),
            category=DutyPlan.Category.FOOD_SAFETY,
            rrule="FREQ=DAILY",
            dtstart=at(dt.date(2026, 11, 1)),
        )
        FoodSafetyPlan.objects.create(center=center, kind=kind, plan=plan)
        plans[kind] = plan
    cleaning = DutyPlan.objects.create(
        center=center,
        title="保洁",
        category=DutyPlan.Category.CLEANING,
        rrule="FREQ=DAILY",
        dtstart=at(dt.date(2026, 11, 1)),
    )

    def task(plan, day, *, on_time=None):
        due = at(day)
        t = DutyTask.objects.create(
            center=center,
            plan=plan,
            title=plan.title,
            category=plan.category,
            due_at=due,
            late_after=due + dt.timedelta(hours=1),
            status=DutyTask.Status.OPEN if on_time is None else DutyTask.Status.DONE,
            completed_at=None if on_time is None else due + dt.timedelta(hours=0 if on_time else 3),
        )
        if on_time is not None:
            DutyRecord.objects.create(
                center=center,
                task=t,
                completed_by=user,
                completed_at=t.completed_at,
                on_time=on_time,
            )

    K = FoodSafetyPlan.Kind
    task(plans[K.MORNING_CHECK], dt.date(2026, 11, 24), on_time=True)
    task(plans[K.MORNING_CHECK], dt.date(2026, 11, 25), on_time=False)
    task(plans[K.SAMPLE], dt.date(2026, 11, 25))
    task(plans[K.TABLEWARE], dt.date(2026, 11, 24), on_time=True)
    task(plans[K.TABLEWARE], dt.date(2026, 11, 25), on_time=True)
    task(cleaning, dt.date(2026, 11, 25), on_time=True)
    worker = CanteenWorker.objects.create(center=center, name="厨师甲")
    for day in (dt.date(2026, 11, 24), dt.date(2026, 11, 25)):
        MorningCheck.objects.create(
            center=center,
            worker=worker,
            date=day,
            temperature=Decimal("36.5"),
            fit_for_duty=True,
            checked_by=user,
        )
    SampleRetention.objects.create(
        center=center,
        menu=menu,
        dish=dish,
        weight_grams=150,
        kept_at=at(DAY, 12),
        kept_by="厨师甲",
        discard_after=at(DAY, 12) + dt.timedelta(hours=48),
        recorded_by=user,
    )
    PurchaseInspection.objects.create(
        center=center,
        purchased_on=DAY,
        item_name="大米",
        quantity=Decimal("50"),
        unit="kg",
        supplier_name="粮油公司",
        supplier_address="甲区",
        supplier_contact="0771-1234567",
        result=PurchaseInspection.Result.ACCEPTED,
        keep_until=DAY + dt.timedelta(days=730),
        inspected_by=user,
    )


@pytest.fixture
def year(center_a, canteen_manager, staff_x, agency_y, lunch, dishes):
    data = build(center_a, canteen_manager, staff_x, agency_y, lunch, dishes)
    wallet = wallets.wallet_get_or_open(person=staff_x.person)
    wallets.wallet_topup(
        actor=canteen_manager,
        wallet=wallet,
        amount=Decimal("50"),
        method="transfer",
        idempotency_key="transfer-1",
    )
    cancelled = make_menu(center_a, DAY + dt.timedelta(days=1), "lunch", dishes)
    orders.menu_cancel(actor=canteen_manager, menu=cancelled, reason="停水")
    make_menu(center_a, DAY + dt.timedelta(days=2), "lunch", dishes, published=False)
    make_menu(center_a, dt.date(2026, 12, 1), "lunch", dishes)  # outside November
    food_safety(center_a, canteen_manager, lunch, dishes[0])
    # Ledger rows carry the time they were written: put them in November.
    LedgerEntry.objects.update(created_at=MORNING)
    return data


def test_figures(year, center_a):
    f = summary.figures(center_a, *NOVEMBER, now=LATER)
    assert f["meals_served"] == 4
    assert f["meals_served_by_meal"] == {"breakfast": 0, "lunch": 4, "dinner": 0}
    assert f["meals_served_by_month"] == [
        {"month": dt.date(2026, 11, 1), "breakfast": 0, "lunch": 4, "dinner": 0, "total": 4}
    ]
    assert (f["orders_placed"], f["orders_cancelled"], f["orders_uncollected"]) == (4, 1, 1)
    assert (f["orders_collected"], f["orders_pending"], f["walk_in_meals"]) == (1, 1, 3)
    assert f["topups_total"] == Decimal("350.00")
    assert f["topups_by_method"] == {
        "cash": Decimal("300.00"),
        "transfer": Decimal("50.00"),
        "subsidy": Decimal("0.00"),
        "online": Decimal("0.00"),
    }
    assert f["spending_total"] == Decimal("73.50")
    assert f["refunds_total"] == Decimal("4.50")
    assert f["net_spending"] == Decimal("69.00")
    assert (f["menus_published"], f["menus_cancelled"]) == (2, 1)
    fs = f["food_safety"]
    assert (fs["morning_check"]["records"], fs["morning_check"]["due"]) == (2, 2)
    assert (fs["morning_check"]["on_time"], fs["morning_check"]["on_time_pct"]) == (1, 50.0)
    assert (fs["sample"]["records"], fs["sample"]["missed"], fs["sample"]["on_time_pct"]) == (
        1,
        1,
        0.0,
    )
    assert (fs["purchase"]["records"], fs["purchase"]["due"]) == (1, 0)
    assert fs["purchase"]["on_time_pct"] is None
    assert (fs["tableware"]["records"], fs["tableware"]["on_time_pct"]) == (2, 100.0)
    assert (f["morning_checks"], f["samples"], f["purchase_inspections"]) == (2, 1, 1)
    assert f["tableware_disinfections"] == 2 and f["food_safety_records"] == 6
    assert (f["food_safety_due"], f["food_safety_on_time"]) == (5, 3)
    assert f["food_safety_on_time_pct"] == 60.0
    assert set(f["definitions"]) >= {
        "meals_served",
        "orders_placed",
        "topups_total",
        "menus_published",
        "food_safety_on_time_pct",
    }


def test_empty_center(center_b):
    f = summary.figures(center_b, *NOVEMBER)
    assert f["meals_served"] == 0 and f["meals_served_by_month"] == []
    assert f["topups_total"] == Decimal("0.00") and f["food_safety_on_time_pct"] is None
    assert not any(e["has_plan"] for e in f["food_safety"].values())


def test_other_center_sees_nothing(year, center_b):
    f = summary.figures(center_b, *NOVEMBER, now=LATER)
    assert (f["meals_served"], f["orders_placed"], f["menus_published"]) == (0, 0, 0)
    assert f["spending_total"] == 0 and f["food_safety_records"] == 0


def test_records_behind_each_figure(year, center_a):
    f = summary.figures(center_a, *NOVEMBER, now=LATER)
    counted = {
        "orders_placed": f["orders_placed"],
        "orders_cancelled": f["orders_cancelled"],
        "orders_collected": f["orders_collected"],
        "orders_uncollected": f["orders_uncollected"],
        "menus_published": f["menus_published"],
        "menus_cancelled": f["menus_cancelled"],
        "morning_checks": f["morning_checks"],
        "samples": f["samples"],
        "purchase_inspections": f["purchase_inspections"],
        "tableware_disinfections": f["tableware_disinfections"],
        "food_safety_on_time_pct": f["food_safety_due"],
    }
    for key, n in counted.items():
        (qs,) = summary.records(center_a, *NOVEMBER, key)
        assert qs.count() == n, key
    collected, walk_ins = summary.records(center_a, *NOVEMBER, "meals_served")
    assert collected.count() + sum(w.meals for w in walk_ins) == f["meals_served"]
    (topups,) = summary.records(center_a, *NOVEMBER, "topups_total")
    assert sum(e.amount for e in topups) == f["topups_total"]
    (charges,) = summary.records(center_a, *NOVEMBER, "spending_total")
    assert -sum(e.amount for e in charges) == f["spending_total"]
    assert set(f["definitions"]) <= set(summary.DEFINITIONS)
    for key in summary.DEFINITIONS:
        assert summary.records(center_a, *NOVEMBER, key) is not None
    with pytest.raises(KeyError):
        summary.records(center_a, *NOVEMBER, "nonsense")


def test_figure_urls(year, client, canteen_manager):
    url = summary.figure_url("orders_cancelled", *NOVEMBER)
    assert "date_from=2026-11-01" in url and "date_to=2026-11-30" in url
    client.force_login(canteen_manager)
    html = client.get(url).content.decode()
    assert "教育局职工二" in html and "职工甲" not in html
    assert "by=month" in summary.figure_url("meals_served", *NOVEMBER)
    assert summary.figure_url("samples", *NOVEMBER) is None


def test_figures_constant_queries(
    year, center_a, canteen_manager, agency_y, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        summary.figures(center_a, *NOVEMBER, now=LATER)
    # More of everything: menus, orders, walk-ins, ledger rows, duty records.
    dishes = [make_dish(center_a, f"多{i}") for i in range(3)]
    for offset in (7, 8):
        menu = make_menu(center_a, DAY - dt.timedelta(days=offset), "dinner", dishes)
        for i in range(4):
            user = make_user(PersonFactory(agency=agency_y), username=f"m{offset}{i}")
            fund(user.person, 100, canteen_manager)
            orders.meal_order_place(
                actor=user,
                menu=menu,
                lines=[(item.pk, 1) for item in menu.items.all()],
                now=MORNING - dt.timedelta(days=offset + 1),
            )
        counter.walk_in_sale_create(
            actor=canteen_manager,
            menu=menu,
            amount="10",
            meals=2,
            payment="cash",
            idempotency_key=f"w{offset}",
        )
    tableware = FoodSafetyPlan.objects.get(kind="tableware").plan
    for day in range(2, 12):
        due = at(dt.date(2026, 11, day))
        task = DutyTask.objects.create(
            center=center_a,
            plan=tableware,
            title="餐具消毒",
            category=tableware.category,
            due_at=due,
            late_after=due + dt.timedelta(hours=1),
            status=DutyTask.Status.DONE,
            completed_at=due,
        )
        DutyRecord.objects.create(
            center=center_a, task=task, completed_by=canteen_manager, completed_at=due, on_time=True
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        f = summary.figures(center_a, *NOVEMBER, now=LATER)
    assert f["walk_in_meals"] == 7 and f["orders_placed"] == 12
    assert f["tableware_disinfections"] == 12
