"""Reports: the production sheet, meal counts and the order list, on a small known data set."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.canteen import reports
from houqin.canteen.models import MealOrder, Menu
from houqin.canteen.services import counter, orders
from houqin.canteen.tallies import fill_tallies
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 40))
AFTER_LUNCH = timezone.make_aware(dt.datetime(2026, 11, 25, 13, 30))


@dataclass
class Canteen:
    lunch: Menu
    dinner: Menu
    collected: MealOrder  # 职工甲 lunch: 红烧肉套餐×1, 清炒时蔬×2 — collected
    uncollected: MealOrder  # 教育局职工 lunch: 红烧肉套餐×2 — not collected, settled
    cancelled: MealOrder  # 教育局职工二 lunch: 清炒时蔬×1 — cancelled
    pending: MealOrder  # 职工甲 dinner: 红烧肉套餐×1 — still 待取餐


def build(center_a, canteen_manager, staff_x, agency_y, lunch, dishes):
    """The known day (DAY, a Wednesday): lunch with 3 orders and a walk-in of 3 meals, and
    a dinner with 1 order.

    lunch  production: 红烧肉套餐 3 (财政局 1, 教育局 2), 清炒时蔬 2 (财政局 2); 2 live orders
           counts: placed 3, cancelled 1, collected 1, uncollected 1, walk-in 3, served 4
    dinner production: 红烧肉套餐 1 (财政局); counts: placed 1, pending 1, served 0
    """
    meat, veg = (lunch.items.get(dish=d) for d in dishes)
    dinner = make_menu(center_a, DAY, "dinner", dishes[:1])
    dinner_meat = dinner.items.get()
    staff_y = make_user(PersonFactory(agency=agency_y, name="教育局职工"), username="staff_y")
    staff_z = make_user(PersonFactory(agency=agency_y, name="教育局职工二"), username="staff_z")
    for user in (staff_x, staff_y, staff_z):
        fund(user.person, 100, canteen_manager)

    def place(user, menu, *lines):
        return orders.meal_order_place(actor=user, menu=menu, lines=list(lines), now=MORNING)

    collected = place(staff_x, lunch, (meat.pk, 1), (veg.pk, 2))
    uncollected = place(staff_y, lunch, (meat.pk, 2))
    cancelled = place(staff_z, lunch, (veg.pk, 1))
    orders.meal_order_cancel(actor=staff_z, order=cancelled, now=MORNING)
    pending = place(staff_x, dinner, (dinner_meat.pk, 1))
    counter.walk_in_sale_create(
        actor=canteen_manager,
        menu=lunch,
        amount="45.00",
        meals=3,
        payment="cash",
        idempotency_key="walk-1",
    )
    counter.meal_order_collect(
        actor=canteen_manager, center=center_a, code=collected.pickup_code, menu=lunch, now=NOON
    )
    counter.menu_settle(menu=lunch, now=AFTER_LUNCH)
    for order in (collected, uncollected, cancelled, pending):
        order.refresh_from_db()
    lunch.refresh_from_db()
    return Canteen(lunch, dinner, collected, uncollected, cancelled, pending)


@pytest.fixture
def canteen(center_a, canteen_manager, staff_x, agency_y, lunch, dishes):
    return build(center_a, canteen_manager, staff_x, agency_y, lunch, dishes)


@pytest.fixture
def leader_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="领导甲"), Role.LEADER, username="ld_a")


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区食堂"), Role.CANTEEN_MANAGER, username="cm_b"
    )


def page(response):
    assert response.status_code == 200
    return response.content.decode()


def xlsx(response, sheet=0):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in workbook.worksheets[sheet].iter_rows(values_only=True)], workbook


# ------------------------------------------------------------------ the reads


def test_production_sheet_numbers(canteen, center_a, agency_x, agency_y):
    lunch, dinner = reports.production_sheet(center_a.pk, DAY)
    assert lunch.menu == canteen.lunch and dinner.menu == canteen.dinner
    assert [(r.dish.name, r.portions) for r in lunch.rows] == [("红烧肉套餐", 3), ("清炒时蔬", 2)]
    assert (lunch.total, lunch.orders) == (5, 2)
    assert [(a.name, a.cells(lunch.items), a.orders, a.total) for a in lunch.agencies] == [
        (agency_x.name, [1, 2], 1, 3),
        (agency_y.name, [2, 0], 1, 2),
    ]
    assert lunch.agency_totals() == [3, 2]
    assert [(r.dish.name, r.portions) for r in dinner.rows] == [("红烧肉套餐", 1)]
    assert reports.production_sheet(center_a.pk, DAY + dt.timedelta(days=1)) == []


def test_production_sheet_leaves_out_drafts_and_other_centers(canteen, center_a, center_b):
    make_menu(center_a, DAY, "breakfast", [make_dish(center_a, "包子")], published=False)
    assert [s.menu.meal for s in reports.production_sheet(center_a.pk, DAY)] == [
        "lunch",
        "dinner",
    ]
    assert reports.production_sheet(center_b.pk, DAY) == []


def test_production_sheet_constant_queries(
    canteen, center_a, canteen_manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        reports.production_sheet(center_a.pk, DAY)
    extra = [make_dish(center_a, f"加菜{i}") for i in range(5)]
    breakfast = make_menu(center_a, DAY, "breakfast", extra)
    for i in range(6):
        user = make_user(
            PersonFactory(agency=canteen.lunch.orders.first().agency), username=f"e{i}"
        )
        fund(user.person, 100, canteen_manager)
        orders.meal_order_place(
            actor=user,
            menu=breakfast,
            lines=[(item.pk, 1) for item in breakfast.items.all()],
            now=MORNING - dt.timedelta(days=1),
        )
    with django_assert_max_num_queries(4):
        sheets = reports.production_sheet(center_a.pk, DAY)
    assert sheets[0].total == 30


def test_meal_counts_by_day_and_month(canteen, center_a):
    counts = reports.meal_counts(center_a.pk, DAY, DAY + dt.timedelta(days=1))
    lunch, dinner = counts.rows
    assert (lunch.period, lunch.meal) == (DAY, "lunch")
    assert (lunch.placed, lunch.cancelled, lunch.collected, lunch.uncollected) == (3, 1, 1, 1)
    assert (lunch.pending, lunch.walk_in_meals, lunch.served) == (0, 3, 4)
    assert (dinner.placed, dinner.pending, dinner.served) == (1, 1, 0)
    assert counts.total.served == 4 and counts.total.placed == 4
    assert [(r.meal, r.served) for r in counts.by_meal] == [
        ("breakfast", 0),
        ("lunch", 4),
        ("dinner", 0),
    ]
    month = reports.meal_counts(center_a.pk, dt.date(2026, 11, 1), dt.date(2026, 12, 1), by="month")
    assert [(r.period, r.meal, r.served) for r in month.rows] == [
        (dt.date(2026, 11, 1), "lunch", 4),
        (dt.date(2026, 11, 1), "dinner", 0),
    ]
    assert (
        reports.meal_counts(center_a.pk, DAY + dt.timedelta(days=1), DAY + dt.timedelta(2)).rows
        == []
    )


TALLY = ("tally_placed", "tally_cancelled", "tally_collected", "tally_uncollected")


def tallies(menu):
    menu.refresh_from_db()
    return tuple(getattr(menu, name) for name in TALLY)


def counted(center):
    counts = reports.meal_counts(center.pk, DAY, DAY + dt.timedelta(days=1))
    return [
        (r.meal, r.placed, r.cancelled, r.collected, r.uncollected, r.pending, r.served)
        for r in counts.rows
    ]


def test_settling_tallies_the_menu_and_counts_read_the_tally(canteen, center_a):
    assert tallies(canteen.lunch) == (3, 1, 1, 1)
    assert tallies(canteen.dinner) == (None,) * 4  # not settled: its orders are counted
    expected = [("lunch", 3, 1, 1, 1, 0, 4), ("dinner", 1, 0, 0, 0, 1, 0)]
    assert counted(center_a) == expected
    # Without tallies (menus settled before they existed) the orders give the same counts,
    # and fill_tallies (the migration, bulk-written data) puts the same tallies back.
    Menu.objects.update(**dict.fromkeys(TALLY))
    assert counted(center_a) == expected
    assert fill_tallies(Menu, MealOrder, Menu.objects.all()) == 1  # only the settled lunch
    assert tallies(canteen.lunch) == (3, 1, 1, 1)
    assert tallies(canteen.dinner) == (None,) * 4


def test_a_late_pickup_moves_the_order_between_tallies(canteen, center_a, canteen_manager):
    counter.meal_order_collect(
        actor=canteen_manager,
        center=center_a,
        code=canteen.uncollected.pickup_code,
        menu=canteen.lunch,
        now=AFTER_LUNCH + dt.timedelta(minutes=10),
    )
    assert tallies(canteen.lunch) == (3, 1, 2, 0)
    assert counted(center_a)[0] == ("lunch", 3, 1, 2, 0, 0, 5)
    # A second scan changes nothing.
    counter.meal_order_collect(
        actor=canteen_manager,
        center=center_a,
        code=canteen.uncollected.pickup_code,
        menu=canteen.lunch,
        now=AFTER_LUNCH + dt.timedelta(minutes=11),
    )
    assert tallies(canteen.lunch) == (3, 1, 2, 0)


def test_tallies_are_all_or_nothing_and_add_up(canteen):
    settled = Menu.objects.filter(pk=canteen.lunch.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        settled.update(tally_uncollected=5)  # 3 ≠ 1 + 1 + 5
    with pytest.raises(IntegrityError), transaction.atomic():
        settled.update(tally_placed=None)  # some counted, some not
    with pytest.raises(IntegrityError), transaction.atomic():
        Menu.objects.filter(pk=canteen.dinner.pk).update(  # not settled
            tally_placed=1, tally_cancelled=0, tally_collected=0, tally_uncollected=1
        )


def test_a_settled_menu_with_a_placed_order_is_not_tallied(canteen):
    # Written by hand (not by menu_settle): tallies that leave an order out are not made.
    Menu.objects.update(**dict.fromkeys(TALLY))
    MealOrder.objects.filter(pk=canteen.uncollected.pk).update(status=MealOrder.Status.PLACED)
    assert fill_tallies(Menu, MealOrder, Menu.objects.all()) == 0
    assert tallies(canteen.lunch) == (None,) * 4


def test_meal_counts_constant_queries(canteen, center_a, django_assert_num_queries):
    with django_assert_num_queries(3):
        reports.meal_counts(center_a.pk, dt.date(2026, 1, 1), dt.date(2027, 1, 1), by="month")


# ------------------------------------------------------------------ production page


def test_production_page_and_xlsx(client, canteen_manager, canteen, agency_x):
    client.force_login(canteen_manager)
    url = reverse("canteen:production")
    html = page(client.get(url, {"date": DAY.isoformat()}))
    assert "2 笔订单，共 5 份" in html and agency_x.name in html
    assert f'data-portions="{canteen.lunch.items.first().pk}">3<' in html
    rows, workbook = xlsx(client.get(url, {"date": DAY.isoformat(), "export": "xlsx"}))
    assert rows[0] == ["餐次", "菜品", "类别", "份数", "限量"]
    assert ["午餐", "红烧肉套餐", "套餐", 3, "不限"] in rows
    assert ["午餐", "清炒时蔬", "素菜", 2, "不限"] in rows
    assert ["午餐", "合计（2 笔订单）", None, 5, None] in rows
    delivery = [list(r) for r in workbook["午餐分单位"].iter_rows(values_only=True)]
    assert delivery[0] == ["单位", "红烧肉套餐", "清炒时蔬", "订单数", "合计份数"]
    assert [agency_x.name, 1, 2, 1, 3] in delivery
    assert delivery[-1] == ["合计", 3, 2, 2, 5]


def test_production_page_defaults_and_bad_date(client, canteen_manager, slots):
    client.force_login(canteen_manager)
    assert "该日没有已发布的菜单。" in page(client.get(reverse("canteen:production")))
    html = page(client.get(reverse("canteen:production"), {"date": "2026-02-31"}))
    assert "日期格式不正确" in html


def test_production_page_constant_queries(client, canteen_manager, canteen, center_a):
    client.force_login(canteen_manager)
    url = f"{reverse('canteen:production')}?date={DAY.isoformat()}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_menu(center_a, DAY, "breakfast", [make_dish(center_a, f"早{i}") for i in range(6)])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# ------------------------------------------------------------------ meal report page


def test_meal_report_page_and_xlsx(client, leader_a, canteen):
    client.force_login(leader_a)  # leaders read reports
    url = reverse("canteen:meal_report")
    params = {"start": DAY.isoformat(), "end": DAY.isoformat(), "by": "day"}
    html = page(client.get(url, params))
    assert 'data-served="lunch">4<' in html and 'data-served="total">4<' in html
    rows, _wb = xlsx(client.get(url, {**params, "export": "xlsx"}))
    assert rows[0] == [
        "日期",
        "餐次",
        "订餐",
        "取消",
        "已领取",
        "未领取",
        "待取餐",
        "窗口消费",
        "供餐份数",
    ]
    assert ["2026-11-25", "午餐", 3, 1, 1, 1, 0, 3, 4] in rows
    assert ["2026-11-25", "晚餐", 1, 0, 0, 0, 1, 0, 0] in rows
    assert rows[-1] == ["合计", "全部", 4, 1, 1, 1, 1, 3, 4]
    rows, _wb = xlsx(client.get(url, {**params, "by": "month", "export": "xlsx"}))
    assert ["2026-11", "午餐", 3, 1, 1, 1, 0, 3, 4] in rows


def test_meal_report_validation(client, canteen_manager):
    client.force_login(canteen_manager)
    url = reverse("canteen:meal_report")
    html = page(client.get(url))  # defaults: this month so far, by day
    assert "该期间没有订餐或窗口消费记录。" in html
    html = page(client.get(url, {"start": "2026-11-30", "end": "2026-11-01", "by": "day"}))
    assert "结束日期不能早于开始日期。" in html
    html = page(client.get(url, {"start": "2024-01-01", "end": "2026-11-01", "by": "day"}))
    assert "按日统计最长一年" in html
    html = page(client.get(url, {"start": "x", "end": "2026-11-01", "by": "week"}))
    assert "日期格式不正确" in html and "请选择统计方式。" in html
    response = client.get(url, {"start": "x", "export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


# ------------------------------------------------------------------ order list


def test_order_list_filters_and_hides_pickup_code(client, canteen_manager, canteen, agency_y):
    client.force_login(canteen_manager)
    url = reverse("canteen:order_list")
    since = {"date_from": DAY.isoformat()}  # DAY is fixed; the default window follows today
    html = page(client.get(url, since))
    assert "教育局职工二" in html and "红烧肉套餐×1、清炒时蔬×2" in html and "30.00 元" in html
    for order in (canteen.collected, canteen.uncollected, canteen.pending):
        assert order.pickup_code not in html
    html = page(client.get(url, {**since, "status": "cancelled"}))
    assert "教育局职工二" in html and "职工甲" not in html
    html = page(client.get(url, {**since, "meal": "dinner"}))
    assert "职工甲" in html and "教育局职工" not in html
    html = page(client.get(url, {**since, "agency": agency_y.pk}))
    assert "教育局职工" in html and "职工甲" not in html
    html = page(client.get(url, {**since, "q": "职工二"}))
    assert "教育局职工二" in html and "职工甲" not in html
    day = DAY.isoformat()
    assert "职工甲" in page(client.get(url, {"date_from": day, "date_to": day}))
    html = page(client.get(url, {"date_from": (DAY + dt.timedelta(days=1)).isoformat()}))
    assert "职工甲" not in html
    assert page(client.get(url, {**since, "sort": "meal"}))


def test_order_list_opens_on_the_last_month(client, canteen_manager, canteen, monkeypatch):
    """Without dates the list (and its export) covers the last 31 days, shown in the form; a
    date typed in replaces the window."""
    from houqin.core import filters

    client.force_login(canteen_manager)
    url = reverse("canteen:order_list")
    monkeypatch.setattr(filters.timezone, "localdate", lambda: DAY + dt.timedelta(days=31))
    html = page(client.get(url))
    assert "职工甲" in html and f'value="{DAY.isoformat()}"' in html
    monkeypatch.setattr(filters.timezone, "localdate", lambda: DAY + dt.timedelta(days=32))
    html = page(client.get(url))
    assert "职工甲" not in html
    rows, _wb = xlsx(client.get(url, {"export": "xlsx"}))
    assert len(rows) == 1
    assert "职工甲" in page(client.get(url, {"date_to": DAY.isoformat()}))


def test_order_list_xlsx(client, canteen_manager, canteen):
    client.force_login(canteen_manager)
    rows, _wb = xlsx(
        client.get(reverse("canteen:order_list"), {"export": "xlsx", "date_from": DAY.isoformat()})
    )
    assert rows[0][:7] == ["就餐日期", "餐次", "订餐人", "单位", "菜品", "金额（元）", "状态"]
    assert len(rows) == 5
    first = rows[1]
    assert first[1:7] == ["午餐", "职工甲", first[3], "红烧肉套餐×1、清炒时蔬×2", 24, "已领取"]
    assert not any(canteen.collected.pickup_code in str(cell) for row in rows for cell in row)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"date_from": DAY.isoformat()}).status_code == 200
    return len(ctx)


def test_order_list_query_count_constant(client, canteen_manager, canteen, center_a, agency_x):
    client.force_login(canteen_manager)
    url = reverse("canteen:order_list")
    few = _count(client, url)
    item = canteen.dinner.items.get()
    for i in range(27):
        user = make_user(PersonFactory(agency=agency_x), username=f"many{i}")
        fund(user.person, 50, canteen_manager)
        orders.meal_order_place(actor=user, menu=canteen.dinner, lines=[(item.pk, 1)], now=MORNING)
    assert _count(client, url) == few


# ------------------------------------------------------------------ permissions


def test_report_permissions(client, staff_x, leader_a, admin_a, canteen):
    urls = [reverse("canteen:production"), reverse("canteen:meal_report")]
    client.force_login(staff_x)
    for url in [*urls, reverse("canteen:order_list")]:
        assert client.get(url).status_code == 403
    for user in (leader_a, admin_a):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200
        assert client.get(reverse("canteen:order_list")).status_code == 403


def test_reports_of_another_center_show_nothing(client, manager_b, canteen):
    client.force_login(manager_b)
    html = page(client.get(reverse("canteen:production"), {"date": DAY.isoformat()}))
    assert "红烧肉套餐" not in html and "该日没有已发布的菜单。" in html
    html = page(
        client.get(
            reverse("canteen:meal_report"),
            {"start": DAY.isoformat(), "end": DAY.isoformat(), "by": "day"},
        )
    )
    assert 'data-served="total">0<' in html
    since = {"date_from": DAY.isoformat()}
    html = page(client.get(reverse("canteen:order_list"), since))
    assert "职工甲" not in html
    rows, _wb = xlsx(client.get(reverse("canteen:order_list"), {**since, "export": "xlsx"}))
    assert len(rows) == 1
