"""The leader dashboard's figures: today's tiles and this year's trends, budget execution and
energy indicators, for one center. A constant number of queries whatever the amount of data:

  today_tiles      6 queries (one count per tile)
  monthly_trends   6 queries (one grouped-by-month query per module; meals take two: orders
                   and walk-in sales, through canteen.reports.meal_counts)
  budget           execution.execution (3 queries)
  energy           indicators.target_progress (a fixed number, none without a target)

Definitions (the same as the modules' summary.py where a figure is shared):
  meetings_today   bookings starting today (local), confirmed or served
  cars_out         trips in progress now (出车中)
  meals_today      orders for today's meals, not cancelled
  open_orders      work orders not finished: 待派单, 已派单, 维修中, 待配件
  visitors_on_site visits in the 在访 status (people: Σ 来访人数)
  overdue_duties   duties.selectors.overdue_tasks: open tasks past their late time

Monthly trends (the year's months, by local date): meetings served (bookings served, by start),
trips (completed, by planned start), meals served (collected orders + walk-in meals, by meal
date), work orders received (by creation, merged ones excluded), visitors (visits let in, by
entry time).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.canteen.models import MealOrder
from houqin.canteen.reports import meal_counts
from houqin.core.duties.selectors import overdue_tasks
from houqin.finance.execution import execution
from houqin.fleet.models import Trip
from houqin.maintenance.models import WorkOrder
from houqin.meetings.models import Booking
from houqin.security.models import Visit

WO = WorkOrder.Status
OPEN_ORDERS = (WO.NEW, WO.ASSIGNED, WO.IN_PROGRESS, WO.WAITING_PARTS)
MONTHS = list(range(1, 13))

# key → label, unit (the trend series, in this order)
TRENDS = {
    "meetings": (_("服务会议"), _("次")),
    "trips": (_("出车"), _("次")),
    "meals": (_("供餐"), _("份")),
    "work_orders": (_("受理报修"), _("次")),
    "visitors": (_("登记来访"), _("批次")),
}


@dataclass
class Tile:
    key: str
    label: str
    value: int
    unit: str
    url: str | None = None
    note: str = ""


@dataclass
class Year:
    """One center's figures for a year (the dashboard's "this year" and a city-view column)."""

    year: int
    day: dt.date  # the day the year is read to (today, or 31 December of a past year)
    trends: dict = field(default_factory=dict)  # key → [12 monthly counts]
    execution: object = None  # finance.execution.Execution
    energy: list = field(default_factory=list)  # energy.indicators.Progress rows
    energy_target: object = None

    @property
    def totals(self):
        return {key: sum(values) for key, values in self.trends.items()}


def _url(name, **query):
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def _day_bounds(day):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _link(user, *options):
    """The first list page of `options` ((permission or None, url name, query)) that `user`
    may open (without a user: the first)."""
    for perm, name, query in options:
        if user is None or perm is None or user.has_perm(perm):
            return _url(name, **query)
    return None


def today_tiles(center, *, now=None, user=None) -> list[Tile]:
    """The six tiles; each links to the list it counts, the first such page `user` may open."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = _day_bounds(today)
    meetings = Booking.objects.filter(
        center=center,
        starts_at__gte=start,
        starts_at__lt=end,
        status__in=(Booking.Status.CONFIRMED, Booking.Status.SERVED),
    ).count()
    cars = Trip.objects.filter(center=center, status=Trip.Status.IN_PROGRESS).count()
    meals = (
        MealOrder.objects.filter(center=center, menu__date=today)
        .exclude(status=MealOrder.Status.CANCELLED)
        .count()
    )
    orders = WorkOrder.objects.filter(center=center, status__in=OPEN_ORDERS).count()
    visits = Visit.objects.filter(center=center, status=Visit.Status.IN).aggregate(
        n=Count("pk"), people=Sum("party_size")
    )
    overdue = overdue_tasks(center, now=now).order_by().count()
    iso = today.isoformat()
    day = {"date_from": iso, "date_to": iso}
    return [
        Tile(
            "meetings_today",
            _("今日会议"),
            meetings,
            _("场"),
            _link(user, (None, "meetings:booking_list", day)),
        ),
        Tile(
            "cars_out",
            _("在外车辆"),
            cars,
            _("辆"),
            _link(
                user,
                ("fleet.change_trip", "fleet:board", {}),
                (None, "fleet:request_list", {"status": "dispatched"}),
            ),
        ),
        Tile(
            "meals_today",
            _("今日订餐"),
            meals,
            _("份"),
            _link(
                user,
                ("canteen.view_mealorder", "canteen:order_list", day),
                ("canteen.view_menu", "canteen:production", {"date": iso}),
            ),
        ),
        Tile(
            "open_orders",
            _("未完成工单"),
            orders,
            _("单"),
            _link(user, (None, "maintenance:board", {})),
        ),
        Tile(
            "visitors_on_site",
            _("在访访客"),
            visits["n"],
            _("批"),
            _link(user, (None, "security:visit_list", {"status": Visit.Status.IN})),
            note=_("共 %(n)d 人") % {"n": visits["people"] or 0},
        ),
        Tile(
            "overdue_duties",
            _("逾期责任事项"),
            overdue,
            _("项"),
            _link(user, (None, "duties:compliance", {})),
        ),
    ]


def _by_month(qs, field_name):
    counts = dict.fromkeys(MONTHS, 0)
    rows = (
        qs.annotate(m=ExtractMonth(field_name))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("m", "n")
    )
    for month, n in rows:
        counts[month] += n
    return [counts[m] for m in MONTHS]


def monthly_trends(center, year) -> dict:
    """key → the 12 monthly counts of `year` (see TRENDS). 6 queries."""
    start, end = _day_bounds(dt.date(year, 1, 1))[0], _day_bounds(dt.date(year + 1, 1, 1))[0]
    between = {"__gte": start, "__lt": end}

    def period(name):
        return {f"{name}{op}": bound for op, bound in between.items()}

    meetings = Booking.objects.filter(
        center=center, status=Booking.Status.SERVED, **period("starts_at")
    )
    trips = Trip.objects.filter(center=center, status=Trip.Status.COMPLETED, **period("starts_at"))
    orders = WorkOrder.objects.filter(center=center, **period("created_at")).exclude(
        status=WO.MERGED
    )
    visits = Visit.objects.filter(center=center, **period("entered_at"))
    meals = dict.fromkeys(MONTHS, 0)
    counts = meal_counts(center.pk, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), by="month")
    for row in counts.rows:
        meals[row.period.month] += row.served
    return {
        "meetings": _by_month(meetings, "starts_at"),
        "trips": _by_month(trips, "starts_at"),
        "meals": [meals[m] for m in MONTHS],
        "work_orders": _by_month(orders, "created_at"),
        "visitors": _by_month(visits, "entered_at"),
    }


def energy_progress(center, year, today):
    from houqin.energy.indicators import target_progress

    found = target_progress(center.pk, year, today=today)
    if found is None:
        return None, []
    return found


def year_figures(center, year=None, *, now=None) -> Year:
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = year or today.year
    day = min(today, dt.date(year, 12, 31))
    target, energy = energy_progress(center, year, today)
    return Year(
        year=year,
        day=day,
        trends=monthly_trends(center, year),
        execution=execution(center.pk, year, day),
        energy=energy,
        energy_target=target,
    )


def budget_rows(execution_):
    """The budget table: per project, then the total."""
    rows = []
    for line in [*execution_.lines, execution_.total]:
        project = line.project
        rows.append(
            {
                "name": f"{project.code} {project.name}" if project else str(_("合计")),
                "budget": line.budget,
                "spent": line.spent,
                "rate": line.rate,
                "plan_pct": line.plan_pct,
                "behind": line.behind,
                "total": project is None,
            }
        )
    return rows


def energy_rows(progress):
    return [
        {
            "name": p.name,
            "base": p.base_value,
            "current": p.current_value,
            "change_pct": p.change_pct,
            "expected_pct": -p.expected_pct if p.expected_pct is not None else None,
            "target_pct": -p.target_pct,
            "on_track": p.on_track,
        }
        for p in progress
    ]


def chart_data(year_: Year) -> dict:
    """The data of the dashboard's charts (json_script), every text translated here."""
    ex = year_.execution
    return {
        "months": [f"{m}月" for m in MONTHS],
        "trends": [
            {"key": key, "name": str(label), "unit": str(unit), "data": year_.trends[key]}
            for key, (label, unit) in TRENDS.items()
        ],
        "meals_axis": str(_("供餐（份）")),
        "count_axis": str(_("次数")),
        "budget": {
            "labels": [str(_("时间进度")), str(_("预算执行进度"))],
            "values": [_num(ex.time_pct), _num(ex.total.rate)],
            "has_data": bool(ex.total.budget),
        },
        "energy": {
            "names": [p["name"] for p in energy_rows(year_.energy)],
            "change": [_num(p.change_pct) for p in year_.energy],
            "expected": [_num(-p.expected_pct) for p in year_.energy],
            "change_name": str(_("较基准年变化（%）")),
            "expected_name": str(_("应达到（%）")),
        },
        "save_title": str(_("保存为图片")),
    }


def _num(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def visible_centers(user, *, depth=3):
    """The centers whose figures `user` may see side by side: the centers under the user's
    own through `upper_center` (a city's districts, their sub-districts), or, for a center
    with none, the user's own. One query per level, bounded by `depth`."""
    from houqin.org.models import Center

    found, level = [], [user.center_id]
    for _i in range(depth):
        level = list(
            Center.objects.filter(upper_center_id__in=level, is_active=True).order_by("path")
        )
        if not level:
            break
        found.extend(level)
        level = [c.pk for c in level]
    return found or list(Center.objects.filter(pk=user.center_id))
