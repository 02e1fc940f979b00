"""The workday calendar (DOMAIN.md §9): is this date a workday in China?

Order of authority: the administrator's HolidayOverride table, then the `chinesecalendar`
package (legal holidays and 调休 workdays, known up to its release year), then — for a year
neither knows — plain Monday-to-Friday, with `calendar_warning()` telling administrators to
enter that year's schedule. Ranges are half-open [start, end) like every range in houqin.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext as _

from .models import HolidayOverride

logger = logging.getLogger(__name__)
_WARNED_YEARS: set[int] = set()

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@lru_cache(maxsize=1)
def package_years() -> tuple[int, int]:
    """First and last year the installed chinesecalendar knows."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, HolidayOverride]:
    return {o.date: o for o in HolidayOverride.objects.filter(date__gte=start, date__lt=end)}


# The package's tables are fixed for the process, and chinese_calendar.is_workday checks the
# date against its whole range each call: SLA deadlines ask about hundreds of days a request.
@lru_cache(maxsize=4096)
def _package_says(day: dt.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def _decide(day: dt.date, overrides: dict) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override.is_workday
    known = _package_says(day)
    if known is not None:
        return known
    if day.year not in _WARNED_YEARS:  # once per year and process, not once per day
        _WARNED_YEARS.add(day.year)
        logger.warning("workday calendar: %s is unknown; assuming Mon-Fri workdays", day.year)
    return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    return _decide(day, _overrides(day, day + dt.timedelta(days=1)))


def is_holiday(day: dt.date) -> bool:
    return not is_workday(day)


def holiday_name(day: dt.date) -> str:
    """The holiday's Chinese name, or "" for an ordinary day or weekend."""
    override = HolidayOverride.objects.filter(date=day).first()
    if override is not None:
        return override.name
    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return HOLIDAY_NAMES.get(name, name or "") if name else ""


def workdays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Workdays in [start, end). One query, whatever the length of the range."""
    if end <= start:
        return []
    overrides = _overrides(start, end)
    days = (start + dt.timedelta(days=i) for i in range((end - start).days))
    return [d for d in days if _decide(d, overrides)]


def next_workday(day: dt.date, *, include_today: bool = False) -> dt.date:
    """The first workday on or after `day` (include_today) or strictly after it."""
    start = day if include_today else day + dt.timedelta(days=1)
    # A Chinese holiday block never exceeds a few weeks; look ahead generously in one query.
    for span in (31, 366):
        found = workdays_between(start, start + dt.timedelta(days=span))
        if found:
            return found[0]
    raise ValueError("no workday within a year")  # pragma: no cover - impossible calendar


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The date `count` workdays after `day` (count >= 0; 0 gives the next workday on/after)."""
    if count < 0:
        raise ValueError("count must be >= 0")
    if count == 0:
        return next_workday(day, include_today=True)
    span = max(31, count * 3)
    found = workdays_between(day + dt.timedelta(days=1), day + dt.timedelta(days=span + 1))
    if len(found) >= count:
        return found[count - 1]
    return add_workdays(found[-1], count - len(found))  # pragma: no cover - very long spans


def year_is_known(year: int) -> bool:
    first, last = package_years()
    return first <= year <= last or HolidayOverride.objects.filter(date__year=year).exists()


def calendar_warning(today: dt.date | None = None) -> str:
    """A message for administrators when next year's holidays are known to nobody."""
    from django.utils import timezone

    today = today or timezone.localdate()
    for year in (today.year, today.year + 1):
        if not year_is_known(year):
            return _(
                "系统尚未掌握 %(year)d 年的法定节假日和调休安排（按周一至周五计算工作日）。"
                "请在国务院办公厅发布通知后，在“工作日历”中录入 %(year)d 年的放假和调休日期。"
            ) % {"year": year}
    return ""


def first_unknown_year(today: dt.date | None = None) -> int | None:
    """This year or next year if nobody knows its holidays (as calendar_warning()), else None."""
    from django.utils import timezone

    today = today or timezone.localdate()
    for year in (today.year, today.year + 1):
        if not year_is_known(year):
            return year
    return None


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    name: str  # holiday / 调休 name, or ""
    is_override: bool  # decided by the administrator's HolidayOverride table
    is_weekend: bool
    known: bool  # False: a year nobody knows, assumed Monday-to-Friday


def days_info(start: dt.date, end: dt.date) -> list[DayInfo]:
    """Every day in [start, end) with its workday status and name. One query."""
    if end <= start:
        return []
    overrides = _overrides(start, end)
    result = []
    for i in range((end - start).days):
        day = start + dt.timedelta(days=i)
        override = overrides.get(day)
        name = ""
        known = True
        if override is not None:
            is_work, name = override.is_workday, override.name
        else:
            package = _package_says(day)
            if package is None:
                is_work, known = day.weekday() < 5, False
            else:
                is_work = package
                _on_holiday, raw = chinese_calendar.get_holiday_detail(day)
                if raw:
                    name = HOLIDAY_NAMES.get(raw, raw)
                    if is_work:
                        name = _("%(name)s调休") % {"name": name}
        result.append(DayInfo(day, is_work, name, override is not None, day.weekday() >= 5, known))
    return result
