"""Aggregation reads of the canteen reports: the daily production sheet and meal counts.

Pure reads, scoped by center id, with a fixed number of queries whatever the data:
  production_sheet(center_id, day)   4 queries (menus, items, lines grouped, orders grouped)
  meal_counts(center_id, start, end, by=)   3 queries (tallies of settled menus, orders of
                                            the others, walk-ins; all grouped)

Definitions (also used by summary.py):
  placed       orders placed for the meals of the period (by the meal's date), including
               those cancelled later: placed = cancelled + collected + uncollected + pending
  cancelled    cancelled by the person or refunded because the meal was withdrawn (停供)
  collected    picked up at the counter (scan or code)
  uncollected  not picked up by the end of the meal (counted when the meal is settled)
  pending      still 待取餐 (the meal is not over, or not settled yet)
  walk_in_meals  meals sold at the counter without an order (Σ WalkInSale.meals)
  served       meals served = collected orders + walk-in meals (one order is one meal)
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from .models import MealOrder, MealOrderLine, Menu, MenuItem, WalkInSale
from .models.menus import MEAL_ORDER, Meal

S = MealOrder.Status
LIVE = (S.PLACED, S.COLLECTED, S.UNCOLLECTED)
MEAL_LABELS = dict(Meal.choices)


def _meal_key(meal):
    return MEAL_ORDER.get(meal, 9)


# ------------------------------------------------------------------ production sheet


@dataclass
class DishRow:
    item: MenuItem
    portions: int = 0

    @property
    def dish(self):
        return self.item.dish


@dataclass
class AgencyRow:
    agency_id: int
    name: str
    path: str = ""  # the org tree path: agencies in the organisation's order
    orders: int = 0
    portions: dict = field(default_factory=dict)  # item id -> portions

    def cells(self, items):
        return [self.portions.get(item.pk, 0) for item in items]

    @property
    def total(self):
        return sum(self.portions.values())


@dataclass
class MealSheet:
    """One meal of the day: dishes × portions to cook and the per-agency delivery table."""

    menu: Menu
    rows: list[DishRow]
    agencies: list[AgencyRow]
    orders: int = 0

    @property
    def items(self):
        return [r.item for r in self.rows]

    @property
    def total(self):
        return sum(r.portions for r in self.rows)

    @property
    def agency_rows(self):
        """[(AgencyRow, [portions per dish in menu order])] for the delivery table."""
        items = self.items
        return [(agency, agency.cells(items)) for agency in self.agencies]

    def agency_totals(self):
        """Per dish, the portions of all agencies (the footer of the delivery table)."""
        return [r.portions for r in self.rows]


def production_sheet(center_id, day: dt.date) -> list[MealSheet]:
    """The meals of `day` (published or withdrawn; drafts are not cooked) with the portions
    of every dish ordered in live orders (placed, collected, uncollected), in total and per
    agency (the person's agency when ordering). Four queries."""
    menus = sorted(
        Menu.objects.filter(center_id=center_id, date=day).exclude(status=Menu.Status.DRAFT),
        key=lambda m: _meal_key(m.meal),
    )
    if not menus:
        return []
    items = defaultdict(list)
    for item in (
        MenuItem.objects.filter(menu__in=[m.pk for m in menus])
        .select_related("dish")
        .order_by("sort", "id")
    ):
        items[item.menu_id].append(item)
    grouped = (
        MealOrderLine.objects.filter(order__menu__in=[m.pk for m in menus], order__status__in=LIVE)
        .values(
            "order__menu_id",
            "order__agency_id",
            "order__agency__name",
            "order__agency__path",
            "item_id",
        )
        .annotate(portions=Sum("quantity"))
        .order_by()
    )
    per_item = defaultdict(int)
    per_agency: dict[int, dict[int, AgencyRow]] = defaultdict(dict)
    for row in grouped:
        menu_id, agency_id = row["order__menu_id"], row["order__agency_id"]
        per_item[row["item_id"]] += row["portions"]
        agency = per_agency[menu_id].get(agency_id)
        if agency is None:
            agency = per_agency[menu_id][agency_id] = AgencyRow(
                agency_id=agency_id,
                name=row["order__agency__name"],
                path=row["order__agency__path"],
            )
        agency.portions[row["item_id"]] = agency.portions.get(row["item_id"], 0) + row["portions"]
    # Orders per agency: an order has several lines, so count orders apart from lines.
    order_counts = (
        MealOrder.objects.filter(menu__in=[m.pk for m in menus], status__in=LIVE)
        .values("menu_id", "agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = {(r["menu_id"], r["agency_id"]): r["n"] for r in order_counts}
    sheets = []
    for menu in menus:
        agencies = sorted(per_agency[menu.pk].values(), key=lambda a: (a.path, a.name))
        for agency in agencies:
            agency.orders = counted.get((menu.pk, agency.agency_id), 0)
        sheets.append(
            MealSheet(
                menu=menu,
                rows=[DishRow(item=i, portions=per_item.get(i.pk, 0)) for i in items[menu.pk]],
                agencies=agencies,
                orders=sum(a.orders for a in agencies),
            )
        )
    return sheets


# ------------------------------------------------------------------ meal counts


COUNT_FIELDS = ("placed", "cancelled", "collected", "uncollected", "pending")
STATUS_OF = {
    "cancelled": S.CANCELLED,
    "collected": S.COLLECTED,
    "uncollected": S.UNCOLLECTED,
    "pending": S.PLACED,
}


@dataclass
class MealCountRow:
    period: dt.date | None  # the day, or the first day of the month; None on total rows
    meal: str | None  # None on a period's (or the grand) total row
    placed: int = 0
    cancelled: int = 0
    collected: int = 0
    uncollected: int = 0
    pending: int = 0
    walk_in_meals: int = 0

    @property
    def served(self):
        return self.collected + self.walk_in_meals

    @property
    def meal_label(self):
        return str(MEAL_LABELS.get(self.meal, "")) if self.meal else ""

    def add(self, other):
        for name in (*COUNT_FIELDS, "walk_in_meals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class MealCounts:
    rows: list[MealCountRow]  # one per period × meal that has data, in order
    by_meal: list[MealCountRow]  # totals per meal over the whole range (every meal)
    total: MealCountRow
    by: str


def _period(value, by):
    if by == "month":
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.replace(day=1)
    return value


def _period_expr(by, prefix="menu__"):
    return TruncMonth(f"{prefix}date") if by == "month" else F(f"{prefix}date")


def meal_counts(center_id, start: dt.date, end: dt.date, *, by="day") -> MealCounts:
    """Orders and walk-in meals of the meals dated in [start, end), per day or per month and
    meal, with totals per meal and overall. Three queries.

    Settled menus carry their orders' tallies (Menu.tally_*, counted at settlement): a
    district's year is ~750 menus but ~750,000 orders, so only the menus not tallied yet
    (today's, future ones, old ones settled before tallies existed) have their orders
    counted.
    """
    if by not in ("day", "month"):
        raise ValueError("by must be 'day' or 'month'")
    tallied = (
        Menu.objects.filter(
            center_id=center_id, date__gte=start, date__lt=end, tally_placed__isnull=False
        )
        .annotate(period=_period_expr(by, prefix=""))
        .values("period", "meal")
        .annotate(
            **{name: Sum(f"tally_{name}") for name in ("placed", *STATUS_OF) if name != "pending"}
        )
        .order_by()
    )
    # Scoped through the menu (an order's center is its menu's) and counting only columns of
    # the (menu, status) index, so PostgreSQL can answer from the index alone.
    orders = (
        MealOrder.objects.filter(
            menu__center_id=center_id,
            menu__date__gte=start,
            menu__date__lt=end,
            menu__tally_placed__isnull=True,
        )
        .annotate(period=_period_expr(by), meal=F("menu__meal"))
        .values("period", "meal")
        .annotate(
            placed=Count("menu_id"),
            **{
                name: Count("status", filter=Q(status=status)) for name, status in STATUS_OF.items()
            },
        )
        .order_by()
    )
    walk_ins = (
        WalkInSale.objects.filter(center_id=center_id, menu__date__gte=start, menu__date__lt=end)
        .annotate(period=_period_expr(by), meal=F("menu__meal"))
        .values("period", "meal")
        .annotate(meals=Sum("meals"))
        .order_by()
    )
    cells: dict[tuple, MealCountRow] = {}

    def cell(row):
        period = _period(row["period"], by)
        meal = row["meal"]
        if (period, meal) not in cells:
            cells[(period, meal)] = MealCountRow(period=period, meal=meal)
        return cells[(period, meal)]

    for row in [*tallied, *orders]:
        target = cell(row)
        for name in COUNT_FIELDS:
            setattr(target, name, getattr(target, name) + (row.get(name) or 0))
    for row in walk_ins:
        cell(row).walk_in_meals += row["meals"] or 0
    rows = sorted(cells.values(), key=lambda r: (r.period, _meal_key(r.meal)))
    by_meal = {meal: MealCountRow(period=None, meal=meal) for meal in Meal.values}
    total = MealCountRow(period=None, meal=None)
    for row in rows:
        by_meal[row.meal].add(row)
        total.add(row)
    return MealCounts(rows=rows, by_meal=list(by_meal.values()), total=total, by=by)
