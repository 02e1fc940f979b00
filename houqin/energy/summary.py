"""The energy and conservation figures for a period, for reports/ (the annual work summary)
and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). A fixed number of queries whatever the amount of data
(25 when a target covers the year, 20 without one: 16 / 11 of them for the indicators).
DEFINITIONS[key] = (label, definition) for every figure; records(center, start, end, key) lists
the rows a figure counts (a list of querysets); figure_url(key, start, end) links a figure to
the page that lists its rows.

A module the center has never used (no campaign, no charging project, no sorting site, no
event, no reading in the year) gives None rather than 0, so the report can say "no data".
"At the end of the period" means on its last day, or today when the period has not ended yet.

Definitions (the report's "新创建节约型机关 X 家、召开推进会 X 次、培训 X 次、建成充电站 X 个、
垃圾分类点位 X 个、开展宣传活动 X 次、单位建筑面积能耗下降 X%"):
  units_created / units_target   enrolled units found 达标 (passed) with a decision date in the
                        period, against the Σ target units of the batches of the period's years;
                        units_created_pct = created ÷ target
  meetings / meeting_people, trainings / training_people   campaign progress meetings (推进会)
                        and trainings (培训) held in the period, and their participants
  stations_completed    charging stations (projects of kind charging) completed in the period
                        (built or in use, by completion date)
  stations_completed_total / stations_target   stations completed by the end of the period,
                        against the Σ targets of the charging projects assigned by then (year);
                        stations_pct = completed total ÷ target
  sorting_sites / demonstration_sites   garbage-sorting sites in use (now) and how many of them
                        are demonstration sites (services.sorting.sorting_figures)
  sorting_inspections / sorting_rate   inspections in the period and their pooled
                        correct-sorting rate (Σ correct bins ÷ Σ checked bins, %)
  events / event_people publicity events (节能宣传周, 全国低碳日…) starting in the period and
                        their participants; also by kind
  energy_year           the year of the period's last day, whose indicators are given
                        (energy_months: how many of its months have consumption so far;
                        energy_through: for a year not over yet, the last month with data —
                        the comparisons below are then over January..that month of each year):
  energy_kgce, per_area, per_capita, water_per_capita   total energy (kgce) and the three
                        indicators of all institutions (indicators.py)
  *_vs_last_pct         their change (%) against the year before
  *_vs_base_pct         their change (%) against the base year of the target covering the year
                        (target_base_year → target_year); indicators_progress lists the three
                        with the target reductions and whether each is on track
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.recurrence import as_bound, local_today, to_local

from . import indicators as ind
from .models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationUnit,
    EnergyProject,
    GarbageCollection,
    MeterReading,
    PublicityEvent,
    SortingInspection,
    SortingSite,
)
from .services.sorting import sorting_figures

UNIT = ConservationUnit.Status
MEETING = CampaignMeeting.Kind
CHARGING = EnergyProject.Kind.CHARGING
ZERO = Decimal("0")
CENT = Decimal("0.01")
# indicator key → (name in indicators.Progress, unit)
INDICATORS = {
    "per_area": ("单位建筑面积能耗", "kgce/㎡"),
    "per_capita": ("人均综合能耗", "kgce/人"),
    "water_per_capita": ("人均用水量", "m³/人"),
}
CHANGE_KEYS = {"per_area": "per_area", "per_capita": "per_capita", "water_per_capita": "water"}

DEFINITIONS = {
    "units_created": (
        _("创建节约型机关（家）"),
        _("期间内经评审认定达标的创建单位数（按认定日期）。"),
    ),
    "units_target": (
        _("创建目标（家）"),
        _("期间所在年度各创建批次的目标单位数之和。"),
    ),
    "units_created_pct": (_("创建目标完成率（%）"), _("认定达标单位数占创建目标的比例。")),
    "meetings": (_("召开推进会（次）"), _("期间内召开的节约型机关创建推进会次数。")),
    "meeting_people": (_("推进会参加人数（人次）"), _("期间内推进会的参加人数之和。")),
    "trainings": (_("开展创建培训（次）"), _("期间内举办的节约型机关创建培训次数。")),
    "training_people": (_("培训人数（人次）"), _("期间内创建培训的参加人数之和。")),
    "stations_completed": (
        _("建成充电站（个）"),
        _("期间内建成或投入使用的充电设施建设项目站点数（按建成日期）。"),
    ),
    "stations_completed_total": (
        _("累计建成充电站（个）"),
        _("截至期末已建成或投入使用的充电站数。"),
    ),
    "stations_target": (
        _("充电站建设目标（个）"),
        _("截至期末已下达的充电设施建设项目目标数量之和。"),
    ),
    "stations_pct": (_("充电站建设完成率（%）"), _("累计建成充电站数占建设目标的比例。")),
    "sorting_sites": (_("垃圾分类点位（个）"), _("在用的公共机构垃圾分类点位数。")),
    "demonstration_sites": (_("垃圾分类示范点（个）"), _("在用点位中的示范点数（如示范学校）。")),
    "sorting_inspections": (_("垃圾分类检查（次）"), _("期间内对各点位开展的分类检查次数。")),
    "sorting_rate": (
        _("平均分类正确率（%）"),
        _("期间内各次检查分类正确桶数之和占检查桶数之和的比例。"),
    ),
    "events": (
        _("开展节能宣传活动（次）"),
        _("期间内开始的节能宣传周、全国低碳日等宣传活动次数。"),
    ),
    "event_people": (_("宣传活动参与人数（人次）"), _("期间内宣传活动的参与人数之和。")),
    "energy_year": (_("能耗指标年度"), _("期间最后一天所在的年度。")),
    "energy_months": (
        _("已有能耗数据的月数"),
        _("该年度已录入能耗数据的月数。"),
    ),
    "energy_through": (
        _("累计至月份"),
        _("年度尚未结束时，能耗数据录入到的月份；同比和较基准年均按相同月份（1 月至该月）比较。"),
    ),
    "energy_kgce": (
        _("综合能耗（kgce）"),
        _("全部公共机构（含公务用车）该年度能源消费折标准煤之和（不含水）。"),
    ),
    "per_area": (_("单位建筑面积能耗（kgce/㎡）"), _("综合能耗 ÷ 建筑面积。")),
    "per_capita": (_("人均综合能耗（kgce/人）"), _("综合能耗 ÷ 用能人数。")),
    "water_per_capita": (_("人均用水量（m³/人）"), _("用水量 ÷ 用能人数。")),
    "per_area_vs_last_pct": (
        _("单位建筑面积能耗较上年变化（%）"),
        _("与上一年度相比的变化幅度，负数为下降。"),
    ),
    "per_capita_vs_last_pct": (
        _("人均综合能耗较上年变化（%）"),
        _("与上一年度相比的变化幅度，负数为下降。"),
    ),
    "water_vs_last_pct": (
        _("人均用水量较上年变化（%）"),
        _("与上一年度相比的变化幅度，负数为下降。"),
    ),
    "per_area_vs_base_pct": (
        _("单位建筑面积能耗较基准年变化（%）"),
        _("与现行节能目标基准年相比的变化幅度，负数为下降。"),
    ),
    "per_capita_vs_base_pct": (
        _("人均综合能耗较基准年变化（%）"),
        _("与现行节能目标基准年相比的变化幅度，负数为下降。"),
    ),
    "water_vs_base_pct": (
        _("人均用水量较基准年变化（%）"),
        _("与现行节能目标基准年相比的变化幅度，负数为下降。"),
    ),
}


def _rate(part, whole):
    return None if not whole or part is None else round(100 * part / whole, 1)


def _days(start, end):
    """The local dates of the bounds: date fields are compared on [day_from, day_to)."""
    return to_local(start).date(), to_local(end).date()


def _end_day(day_to, now):
    return min(day_to - dt.timedelta(days=1), local_today(now or timezone.now()))


def _last_day(day_to):
    return day_to - dt.timedelta(days=1)


def _years(day_from, day_to):
    return list(range(day_from.year, _last_day(day_to).year + 1))


def _has_data(figures):
    return any(figures.amounts.values())


def _change(previous, current, name):
    """% change of an indicator between two indicators.Figures (None without data)."""
    if previous is None or current is None:
        return None
    pairs = {
        "per_area": ((previous.kgce, previous.floor_area), (current.kgce, current.floor_area)),
        "per_capita": (
            (previous.kgce, Decimal(previous.headcount)),
            (current.kgce, Decimal(current.headcount)),
        ),
        "water_per_capita": (
            (previous.water, Decimal(previous.headcount)),
            (current.water, Decimal(current.headcount)),
        ),
    }
    before, now_ = pairs[name]
    return ind.Progress(name, before, now_, ZERO).change_pct


def _energy(center, year, today):
    """The indicators of `year`, of the year before and of the target's base year (over the
    same months when `year` is not over). Five queries per year, plus one for the target."""
    report = ind.indicators(center.pk, year)
    through = ind.comparable_through(report, today)
    current = report.total
    last = ind.indicators(center.pk, year - 1, through=through).total
    target = ind.target_for(center.pk, year)
    base = ind.indicators(center.pk, target.base_year, through=through).total if target else None
    current = current if _has_data(current) else None
    last = last if _has_data(last) else None
    if base is not None and not _has_data(base):
        base = None
    result = {
        "energy_year": year,
        "energy_through": through,
        # Months of the year with consumption: a running year is not yet comparable with
        # a whole one.
        "energy_months": None
        if current is None
        else sum(1 for value in current.monthly_kgce.values() if value),
        "energy_kgce": None if current is None else current.kgce.quantize(ind.PLACES),
        "target_base_year": target.base_year if target else None,
        "target_year": target.target_year if target else None,
        "indicators_progress": [],
    }
    targets = {
        "per_area": target.per_area_pct if target else None,
        "per_capita": target.per_capita_pct if target else None,
        "water_per_capita": target.water_pct if target else None,
    }
    share = ind.elapsed_share(target, year) if target else None
    expected = {
        key: None if pct is None else (pct * share).quantize(ind.PLACES)
        for key, pct in targets.items()
    }
    for key, (name, unit) in INDICATORS.items():
        value = None if current is None else getattr(current, key)
        vs_last = _change(last, current, key)
        vs_base = _change(base, current, key)
        short = CHANGE_KEYS[key]
        result[key] = value
        result[f"{short}_vs_last_pct"] = vs_last
        result[f"{short}_vs_base_pct"] = vs_base
        result["indicators_progress"].append(
            {
                "key": key,
                "name": name,
                "unit": unit,
                "value": value,
                "last_year": None if last is None else getattr(last, key),
                "vs_last_pct": vs_last,
                "base": None if base is None else getattr(base, key),
                "vs_base_pct": vs_base,
                "target_pct": targets[key],
                # Before the target year, the reduction due so far (the target pro rata).
                "expected_pct": expected[key],
                "on_track": None
                if vs_base is None or expected[key] is None
                else vs_base <= -expected[key],
            }
        )
    return result


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    end_day = _end_day(day_to, now)
    in_period = {"decided_on__gte": day_from, "decided_on__lt": day_to}

    # 节约型机关: batches (targets), units passed, meetings and trainings.
    batches = CampaignBatch.objects.filter(campaign__center=center).aggregate(
        n=Count("pk"),
        target=Sum("target_units", filter=Q(year__in=_years(day_from, day_to))),
    )
    created = ConservationUnit.objects.filter(
        campaign__center=center, status=UNIT.PASSED, **in_period
    ).count()
    held = {
        row["kind"]: row
        for row in CampaignMeeting.objects.filter(
            campaign__center=center, date__gte=day_from, date__lt=day_to
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), people=Sum("participants"))
    }
    campaigns = bool(batches["n"]) or bool(held)

    # Charging stations.
    projects = EnergyProject.objects.filter(center=center, kind=CHARGING).aggregate(
        n=Count("pk"), target=Sum("target", filter=Q(year__lte=_last_day(day_to).year))
    )
    done = Q(status__in=ChargingStation.COMPLETED)
    stations = ChargingStation.objects.filter(center=center, project__kind=CHARGING).aggregate(
        period=Count("pk", filter=done & Q(completed_on__gte=day_from, completed_on__lt=day_to)),
        total=Count("pk", filter=done & Q(completed_on__lt=day_to)),
    )
    charging = bool(projects["n"])

    # Garbage sorting (three queries).
    sorting = sorting_figures(center.pk, day_from, _last_day(day_to))
    has_sites = bool(sorting.sites) or bool(sorting.inspections)

    # Publicity events.
    events_by_kind = {
        row["kind"]: row
        for row in PublicityEvent.objects.filter(center=center)
        .order_by()
        .values("kind")
        .annotate(
            total=Count("pk"),
            held=Count("pk", filter=Q(start_date__gte=day_from, start_date__lt=day_to)),
            people=Sum("participants", filter=Q(start_date__gte=day_from, start_date__lt=day_to)),
        )
    }
    has_events = bool(events_by_kind)

    def meeting(kind, field):
        row = held.get(kind)
        if not campaigns:
            return None
        return (row[field] or 0) if row else 0

    target = batches["target"] if campaigns else None
    units_created = created if campaigns else None
    stations_target = projects["target"] if charging else None
    stations_total = stations["total"] if charging else None
    result = {
        "period": (start, end),
        "as_of": end_day,
        "units_created": units_created,
        "units_target": target,
        "units_created_pct": _rate(units_created, target),
        "meetings": meeting(MEETING.MEETING, "n"),
        "meeting_people": meeting(MEETING.MEETING, "people"),
        "trainings": meeting(MEETING.TRAINING, "n"),
        "training_people": meeting(MEETING.TRAINING, "people"),
        "stations_completed": stations["period"] if charging else None,
        "stations_completed_total": stations_total,
        "stations_target": stations_target,
        "stations_pct": _rate(stations_total, stations_target),
        "sorting_sites": sorting.sites if has_sites else None,
        "demonstration_sites": sorting.demonstration_sites if has_sites else None,
        "sorting_inspections": sorting.inspections if has_sites else None,
        "sorting_rate": sorting.average_rate,
        "sorting_weights": [
            {
                "field": field,
                "label": str(category.label),
                "kg": Decimal(sorting.weights[field]).quantize(CENT),
            }
            for category, field in GarbageCollection.WEIGHT_FIELDS.items()
        ]
        if has_sites
        else None,
        "events": sum(r["held"] for r in events_by_kind.values()) if has_events else None,
        "event_people": sum(r["people"] or 0 for r in events_by_kind.values())
        if has_events
        else None,
        "events_by_kind": [
            {
                "kind": code,
                "label": str(label),
                "count": events_by_kind[code]["held"] if code in events_by_kind else 0,
                "people": (events_by_kind[code]["people"] or 0) if code in events_by_kind else 0,
            }
            for code, label in PublicityEvent.Kind.choices
        ]
        if has_events
        else None,
        "definitions": DEFINITIONS,
    }
    result.update(_energy(center, _last_day(day_to).year, local_today(now or timezone.now())))
    return result


# ------------------------------------------------------------------ the rows behind a figure


def records(center, start, end, key, *, now=None) -> list:
    """The querysets of the rows `key` counts (KeyError for an unknown figure)."""
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    year = _last_day(day_to).year
    units = ConservationUnit.objects.filter(campaign__center=center).select_related(
        "campaign", "batch", "agency"
    )
    batches = CampaignBatch.objects.filter(
        campaign__center=center, year__in=_years(day_from, day_to)
    ).select_related("campaign")
    meetings = CampaignMeeting.objects.filter(
        campaign__center=center, date__gte=day_from, date__lt=day_to
    ).select_related("campaign")
    stations = ChargingStation.objects.filter(
        center=center, project__kind=CHARGING, status__in=ChargingStation.COMPLETED
    ).select_related("project", "institution")
    sites = SortingSite.objects.filter(center=center, is_active=True).select_related("institution")
    inspections = SortingInspection.objects.filter(
        site__center=center, date__gte=day_from, date__lt=day_to
    ).select_related("site")
    events = PublicityEvent.objects.filter(
        center=center, start_date__gte=day_from, start_date__lt=day_to
    )

    def readings(*years):
        return [
            MeterReading.objects.filter(
                meter__center=center,
                meter__parent__isnull=True,
                meter__institution__is_active=True,
                month__year__in=years,
            ).select_related("meter__institution")
        ]

    def base_years():
        target = ind.target_for(center.pk, year)
        return readings(year, target.base_year) if target else readings(year)

    table = {
        "units_created": lambda: [
            units.filter(status=UNIT.PASSED, decided_on__gte=day_from, decided_on__lt=day_to)
        ],
        "units_target": lambda: [batches],
        "units_created_pct": lambda: [
            units.filter(status=UNIT.PASSED, decided_on__gte=day_from, decided_on__lt=day_to)
        ],
        "meetings": lambda: [meetings.filter(kind=MEETING.MEETING)],
        "meeting_people": lambda: [meetings.filter(kind=MEETING.MEETING)],
        "trainings": lambda: [meetings.filter(kind=MEETING.TRAINING)],
        "training_people": lambda: [meetings.filter(kind=MEETING.TRAINING)],
        "stations_completed": lambda: [
            stations.filter(completed_on__gte=day_from, completed_on__lt=day_to)
        ],
        "stations_completed_total": lambda: [stations.filter(completed_on__lt=day_to)],
        "stations_target": lambda: [
            EnergyProject.objects.filter(center=center, kind=CHARGING, year__lte=year)
        ],
        "stations_pct": lambda: [stations.filter(completed_on__lt=day_to)],
        "sorting_sites": lambda: [sites],
        "demonstration_sites": lambda: [sites.filter(is_demonstration=True)],
        "sorting_inspections": lambda: [inspections],
        "sorting_rate": lambda: [inspections],
        "events": lambda: [events],
        "event_people": lambda: [events],
        "energy_kgce": lambda: readings(year),
        "per_area": lambda: readings(year),
        "per_capita": lambda: readings(year),
        "water_per_capita": lambda: readings(year),
        "per_area_vs_last_pct": lambda: readings(year, year - 1),
        "per_capita_vs_last_pct": lambda: readings(year, year - 1),
        "water_vs_last_pct": lambda: readings(year, year - 1),
        "per_area_vs_base_pct": base_years,
        "per_capita_vs_base_pct": base_years,
        "water_vs_base_pct": base_years,
    }
    return table[key]()


# Which page lists a figure's rows, with which query.
URLS = {
    "units_created": ("energy:campaign_list", {}),
    "units_target": ("energy:campaign_list", {}),
    "units_created_pct": ("energy:campaign_list", {}),
    "meetings": ("energy:campaign_list", {}),
    "meeting_people": ("energy:campaign_list", {}),
    "trainings": ("energy:campaign_list", {}),
    "training_people": ("energy:campaign_list", {}),
    "stations_completed": ("energy:project_list", {}),
    "stations_completed_total": ("energy:project_list", {}),
    "stations_target": ("energy:project_list", {}),
    "stations_pct": ("energy:project_list", {}),
    "sorting_sites": ("energy:site_list", {}),
    "demonstration_sites": ("energy:site_list", {}),
    "sorting_inspections": ("energy:site_list", {}),
    "sorting_rate": ("energy:site_list", {}),
    "events": ("energy:event_list", {}),
    "event_people": ("energy:event_list", {}),
}
INDICATOR_KEYS = {
    "energy_kgce",
    "per_area",
    "per_capita",
    "water_per_capita",
    "per_area_vs_last_pct",
    "per_capita_vs_last_pct",
    "water_vs_last_pct",
    "per_area_vs_base_pct",
    "per_capita_vs_base_pct",
    "water_vs_base_pct",
}


def figure_url(key, start, end, *, now=None) -> str | None:
    """A page listing the figure's records, for the summary preview; None when none does."""
    if key in INDICATOR_KEYS:
        year = _last_day(_days(as_bound(start), as_bound(end))[1]).year
        name, query = "energy:indicators", {"year": year}
    elif key in URLS:
        name, query = URLS[key]
    else:
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:  # the page is not installed (yet)
        return None
    return f"{url}?{urlencode(query)}" if query else url
