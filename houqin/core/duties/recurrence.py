"""Recurrence rules (RFC 5545 RRULE via python-dateutil) in Asia/Shanghai local time.

A plan stores one RRULE line ("FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0") and an aware `dtstart`.
Rules are expanded on the local wall clock (BYHOUR=9 is 09:00 in Shanghai, 01:00 UTC), then
made aware with zoneinfo; "workdays only" drops occurrences whose local date is not a workday
in the workday calendar (one query for the whole window).

dateutil scans up to the year 9999 looking for an occurrence of an impossible rule (30 February)
before giving up, which takes seconds; `parse_rule` refuses such rules up front.
"""

import calendar as pycalendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.workdays.calendar import workdays_between

TZ = ZoneInfo(settings.TIME_ZONE)
MAX_PER_DAY = 24  # at most hourly on average
MAX_RULE_LENGTH = 500
EXAMPLE = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"

FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
SUPPORTED = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY"}
SUPPORTED |= {"BYHOUR", "BYMINUTE", "WKST"}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL_UTC_RE = re.compile(r"UNTIL=(\d{8}T\d{6})Z")
# Longest month each BYMONTH can have (February: leap years).
_MONTH_DAYS = {m: pycalendar.monthrange(2024, m)[1] for m in range(1, 13)}


# ------------------------------------------------------------------------------- local time
def to_local(value: dt.datetime) -> dt.datetime:
    """An aware datetime on the Asia/Shanghai wall clock (naive input is taken as local)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


def local_naive(value: dt.datetime) -> dt.datetime:
    return to_local(value).replace(tzinfo=None)


def local_today(now: dt.datetime | None = None) -> dt.date:
    from django.utils import timezone

    return to_local(now or timezone.now()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[local midnight, next local midnight) of `day`, aware."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=TZ)
    return start, start + dt.timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=TZ)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=TZ)
    return start, end


def as_bound(value) -> dt.datetime:
    """A range bound: an aware datetime as is, a date as its local midnight."""
    if isinstance(value, dt.datetime):
        return to_local(value)
    return dt.datetime.combine(value, dt.time(), tzinfo=TZ)


# ------------------------------------------------------------------------------- parsing
def _invalid(message) -> ValidationError:
    return ValidationError({"rrule": [message]})


def split_rule(text: str) -> dict[str, str]:
    """NAME → value of an RRULE line (no validation beyond the shape)."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = {}
    for chunk in text.replace(" ", "").upper().split(";"):
        if not chunk:
            continue
        name, sep, value = chunk.partition("=")
        if not sep or not value:
            raise _invalid(
                _("重复规则格式无效：“%(part)s”应为“名称=值”，例如 %(example)s。")
                % {"part": chunk, "example": EXAMPLE}
            )
        if name in parts:
            raise _invalid(_("重复规则中“%(name)s”出现了两次。") % {"name": name})
        parts[name] = value
    return parts


def normalize_rule(text: str) -> str:
    """The stored form: upper case, no spaces, no "RRULE:" prefix, parts in a fixed order."""
    parts = split_rule(text)
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE"]
    order += ["WKST", "COUNT", "UNTIL"]
    keys = [k for k in order if k in parts] + [k for k in parts if k not in order]
    return ";".join(f"{k}={parts[k]}" for k in keys)


def _ints(value: str, name: str, low: int, high: int, *, nonzero=False) -> list[int]:
    try:
        numbers = [int(v) for v in value.split(",")]
    except ValueError:
        raise _invalid(_("“%(name)s”的值应为整数。") % {"name": name}) from None
    for n in numbers:
        if not low <= n <= high or (nonzero and n == 0):
            raise _invalid(_("“%(name)s”的值 %(value)d 超出范围。") % {"name": name, "value": n})
    return numbers


def _check_structure(parts: dict[str, str]) -> None:
    """Refuse what we do not support and rules that can never occur."""
    if "DTSTART" in parts:
        raise _invalid(_("请不要在规则中写 DTSTART，开始时间请填写在“开始时间”中。"))
    unknown = sorted(set(parts) - SUPPORTED)
    if unknown:
        raise _invalid(
            _(
                "不支持的规则项：%(names)s。可用：FREQ、INTERVAL、BYMONTH、BYMONTHDAY、BYDAY、"
                "BYHOUR、BYMINUTE、COUNT、UNTIL。"
            )
            % {"names": "、".join(unknown)}
        )
    freq = parts.get("FREQ")
    if not freq:
        raise _invalid(_("缺少频率 FREQ，例如 %(example)s。") % {"example": EXAMPLE})
    if freq in ("MINUTELY", "SECONDLY"):
        raise _invalid(_("频率最短为每小时（FREQ=HOURLY）。"))
    if freq not in FREQS:
        raise _invalid(
            _("频率 FREQ=%(freq)s 无效，可用 YEARLY、MONTHLY、WEEKLY、DAILY、HOURLY。")
            % {"freq": freq}
        )
    if "INTERVAL" in parts:
        _ints(parts["INTERVAL"], "INTERVAL", 1, 1000)
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid(_("COUNT 和 UNTIL 不能同时使用。"))
    if "COUNT" in parts:
        _ints(parts["COUNT"], "COUNT", 1, 100000)
    months = _ints(parts["BYMONTH"], "BYMONTH", 1, 12) if "BYMONTH" in parts else []
    monthdays = []
    if "BYMONTHDAY" in parts:
        monthdays = _ints(parts["BYMONTHDAY"], "BYMONTHDAY", -31, 31, nonzero=True)
    if "BYHOUR" in parts:
        _ints(parts["BYHOUR"], "BYHOUR", 0, 23)
    if "BYMINUTE" in parts:
        _ints(parts["BYMINUTE"], "BYMINUTE", 0, 59)
    if months and monthdays:
        longest = max(_MONTH_DAYS[m] for m in months)
        if not any(abs(d) <= longest for d in monthdays):
            raise _invalid(_("所选月份中没有这一天，该规则永远不会发生。"))
    ordinal = False
    for day in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        match = _BYDAY_RE.match(day)
        if not match:
            raise _invalid(_("BYDAY 的值“%(value)s”无效，例如 MO、TU 或 1MO。") % {"value": day})
        if match.group(1):
            n = int(match.group(1))
            limit = 5 if freq == "MONTHLY" or months else 53
            if freq not in ("MONTHLY", "YEARLY") or n == 0 or abs(n) > limit:
                raise _invalid(
                    _("BYDAY 的序号“%(value)s”无效（仅按月/按年时可用，如 1MO 表示第一个周一）。")
                    % {"value": day}
                )
            ordinal = True
    if ordinal and monthdays:
        raise _invalid(_("“第几个星期几”不能与 BYMONTHDAY 同时使用。"))


@lru_cache(maxsize=512)
def _compile(rule_text: str, start: dt.datetime):
    text = _UNTIL_UTC_RE.sub(
        lambda m: (
            "UNTIL="
            + dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S")
            .replace(tzinfo=dt.UTC)
            .astimezone(TZ)
            .strftime("%Y%m%dT%H%M%S")
        ),
        rule_text,
    )
    return rrulestr(text, dtstart=start)


def _naive_start(dtstart: dt.datetime) -> dt.datetime:
    return local_naive(dtstart).replace(second=0, microsecond=0)


def parse_rule(rule_text: str, dtstart: dt.datetime):
    """A dateutil rrule for `rule_text` from `dtstart` (naive, local); Chinese ValidationError.

    Rejects rules that never occur within five years of the start, and rules that occur more
    than MAX_PER_DAY times a day on average.
    """
    if not (rule_text or "").strip():
        raise _invalid(_("请填写重复规则。"))
    if len(rule_text) > MAX_RULE_LENGTH:
        raise _invalid(_("重复规则过长。"))
    if "\n" in rule_text.strip():
        raise _invalid(_("只能填写一条重复规则（一行）。"))
    parts = split_rule(rule_text)
    _check_structure(parts)
    normalized = normalize_rule(rule_text)
    start = _naive_start(dtstart)
    try:
        rule = _compile(normalized, start)
    except (ValueError, TypeError):
        raise _invalid(
            _("重复规则无效，请检查格式，例如 %(example)s。") % {"example": EXAMPLE}
        ) from None
    first = rule.after(start, inc=True)
    if first is None or first >= start + dt.timedelta(days=366 * 5):
        raise _invalid(_("按此规则，自开始时间起五年内没有任何一次，请检查规则。"))
    week = rule.between(first, first + dt.timedelta(days=7))
    if len(week) > MAX_PER_DAY * 7:
        raise _invalid(_("频次过高：平均每天不能超过 %(n)d 次。") % {"n": MAX_PER_DAY})
    return rule


def occurrences(
    rule_text: str,
    dtstart: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    *,
    workdays_only: bool = False,
    workdays: set[dt.date] | None = None,
) -> list[dt.datetime]:
    """Aware occurrences in [start, end), local wall-clock times, optionally workdays only.

    `workdays` lets a caller expanding many plans read the workday calendar once; without it
    one query covers the window.
    """
    if end <= start:
        return []
    rule = _compile(normalize_rule(rule_text), _naive_start(dtstart))
    lo, hi = local_naive(start), local_naive(end)
    found = [d for d in rule.between(lo, hi, inc=True) if d < hi]
    if workdays_only and found:
        if workdays is None:
            workdays = set(workdays_between(found[0].date(), found[-1].date() + dt.timedelta(1)))
        found = [d for d in found if d.date() in workdays]
    return [d.replace(tzinfo=TZ) for d in found]


def next_occurrences(
    rule_text: str, dtstart: dt.datetime, after: dt.datetime, n: int = 5, *, workdays_only=False
) -> list[dt.datetime]:
    """The first `n` occurrences at or after `after` (looking at most two years ahead).

    With `workdays_only` the calendar is read in chunks of a few weeks, as far as needed.
    """
    lo = max(to_local(after), to_local(dtstart))
    horizon = local_naive(lo + dt.timedelta(days=731))
    rule = _compile(normalize_rule(rule_text), _naive_start(dtstart))
    workdays: set[dt.date] = set()
    known_until = lo.date()
    result = []
    for d in rule.xafter(local_naive(lo), inc=True):
        if d >= horizon or len(result) >= n:
            break
        if workdays_only:
            if d.date() >= known_until:
                known_until = d.date() + dt.timedelta(days=42)
                workdays.update(workdays_between(d.date(), known_until))
            if d.date() not in workdays:
                continue
        result.append(d.replace(tzinfo=TZ))
    return result


# ------------------------------------------------------------------------------- presets
@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    uses_time: bool = True
    uses_months: bool = False


PRESETS = [
    Preset("daily", gettext_lazy("每天一次")),
    Preset("daily_twice", gettext_lazy("每天两次（09:00 和 15:00）"), uses_time=False),
    Preset("weekly_monday", gettext_lazy("每周一")),
    Preset("monthly_first", gettext_lazy("每月 1 日")),
    Preset("quarterly", gettext_lazy("每季度首月 1 日（1、4、7、10 月）")),
    Preset("april_october", gettext_lazy("每年 4 月和 10 月 1 日")),
    Preset("yearly_months", gettext_lazy("每年指定月份 1 日（如每年 5 次）"), uses_months=True),
    Preset("custom", gettext_lazy("自定义 RRULE"), uses_time=False),
]
PRESET_KEYS = {p.key: p for p in PRESETS}
_MONTHS_OF = {"quarterly": (1, 4, 7, 10), "april_october": (4, 10)}


def preset_choices():
    return [(p.key, p.label) for p in PRESETS]


def build_preset_rule(key: str, *, time: dt.time | None = None, months=()) -> str:
    """The RRULE of a preset (not "custom"), at `time` (default 09:00)."""
    time = time or dt.time(9, 0)
    at = f"BYHOUR={time.hour};BYMINUTE={time.minute}"
    if key == "daily":
        return f"FREQ=DAILY;{at}"
    if key == "daily_twice":
        return "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0"
    if key == "weekly_monday":
        return f"FREQ=WEEKLY;BYDAY=MO;{at}"
    if key == "monthly_first":
        return f"FREQ=MONTHLY;BYMONTHDAY=1;{at}"
    if key in _MONTHS_OF or key == "yearly_months":
        chosen = _MONTHS_OF.get(key) or sorted({int(m) for m in months})
        if not chosen:
            raise ValidationError({"months": [_("请选择月份。")]})
        return f"FREQ=YEARLY;BYMONTH={','.join(map(str, chosen))};BYMONTHDAY=1;{at}"
    raise ValidationError({"preset": [_("请选择重复方式。")]})


def match_preset(rule_text: str) -> tuple[str, dt.time | None, list[int]]:
    """(preset key, time, months) that rebuild `rule_text`, or ("custom", None, [])."""
    try:
        parts = split_rule(rule_text)
        hours = parts.get("BYHOUR", "").split(",")
        minutes = parts.get("BYMINUTE", "").split(",")
        time = dt.time(int(hours[0]), int(minutes[0])) if len(hours) == len(minutes) == 1 else None
        months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    except (ValidationError, ValueError):
        return "custom", None, []
    normalized = normalize_rule(rule_text)
    for preset in PRESETS[:-1]:
        try:
            candidate = build_preset_rule(preset.key, time=time, months=months)
        except ValidationError:
            continue
        if normalize_rule(candidate) == normalized:
            return preset.key, (time if preset.uses_time else None), months
    return "custom", None, []


# ------------------------------------------------------------------------------- descriptions
def _times(parts, dtstart) -> str:
    start = local_naive(dtstart) if dtstart else dt.datetime(2000, 1, 1, 9)
    hours = [int(h) for h in parts["BYHOUR"].split(",")] if "BYHOUR" in parts else [start.hour]
    minutes = parts.get("BYMINUTE")
    minutes = [int(m) for m in minutes.split(",")] if minutes else [start.minute]
    return "、".join(f"{h:02d}:{m:02d}" for h in sorted(hours) for m in sorted(minutes))


def _day_of_month(d: int) -> str:
    if d == -1:
        return _("最后一天")
    if d < 0:
        return _("倒数第 %(n)d 天") % {"n": -d}
    return _("%(n)d 日") % {"n": d}


def _weekday(token: str) -> str:
    match = _BYDAY_RE.match(token)
    name = WEEKDAY_NAMES[WEEKDAYS.index(match.group(2))]
    if not match.group(1):
        return name
    n = int(match.group(1))
    if n == -1:
        return _("最后一个%(day)s") % {"day": name}
    if n < 0:
        return _("倒数第 %(n)d 个%(day)s") % {"n": -n, "day": name}
    return _("第 %(n)d 个%(day)s") % {"n": n, "day": name}


def _cat(*parts: str) -> str:
    """Join Chinese text pieces, with a space between a Chinese character and a digit."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and (
            (text[-1].isdigit() and not part[0].isdigit() and part[0] not in "、，（）")
            or (part[0].isdigit() and not text[-1].isdigit() and text[-1] not in "、，（）")
        ):
            text += " "
        text += part
    return text


def describe(rule_text: str, dtstart: dt.datetime | None = None, workdays_only=False) -> str:
    """A Chinese description: "每天 09:00、15:00", "每周一 09:00", "每年 4、10 月 1 日 09:00"."""
    try:
        parts = split_rule(rule_text)
        _check_structure(parts)
    except ValidationError:
        return _("自定义规则：%(rule)s") % {"rule": rule_text}
    start = local_naive(dtstart) if dtstart else None
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    units = {"YEARLY": "年", "MONTHLY": "个月", "WEEKLY": "周", "DAILY": "天", "HOURLY": "小时"}
    every = {"YEARLY": "每年", "MONTHLY": "每月", "WEEKLY": "每周", "DAILY": "每天"}
    every["HOURLY"] = "每小时"
    head = every[freq] if interval == 1 else f"每 {interval} {units[freq]}"
    days = [_weekday(t) for t in parts["BYDAY"].split(",")] if "BYDAY" in parts else []
    monthdays = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    month_text = ""
    if freq == "YEARLY":
        if not months and not days and start:
            months = [start.month]
        if not monthdays and not days and start:
            monthdays = [start.day]
        if sorted(months) == [1, 4, 7, 10] and interval == 1:
            head, month_text = _("每季度"), _("（1、4、7、10 月）")
        elif months:
            month_text = "、".join(map(str, months)) + " 月"
    elif freq == "MONTHLY":
        if not monthdays and not days and start:
            monthdays = [start.day]
        if months:
            month_text = _("（仅 %(m)s 月）") % {"m": "、".join(map(str, months))}
    elif freq == "WEEKLY" and not days and start:
        days = [WEEKDAY_NAMES[start.weekday()]]
    day_text = "、".join(_day_of_month(d) for d in monthdays)
    weekday_text = "、".join(days)
    if freq == "WEEKLY" and weekday_text:
        # 每周一、周三 / 每 2 周的周一
        weekday_text = weekday_text.removeprefix("周") if interval == 1 else _("的") + weekday_text
    times = "" if freq == "HOURLY" else _times(parts, dtstart)
    text = _cat(head, month_text, day_text, weekday_text, times)
    if "COUNT" in parts:
        text += _("，共 %(n)s 次") % {"n": parts["COUNT"]}
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        text += _("，至 %(d)s") % {"d": f"{until[:4]}-{until[4:6]}-{until[6:8]}"}
    if workdays_only:
        text += _("（仅工作日）")
    return text


def frequency_label(rule_text: str, workdays_only: bool = False) -> str:
    """A short label for boards: 每日, 每日 2 次, 每周, 每月, 每季度, 每年 5 次, 每个工作日."""
    try:
        parts = split_rule(rule_text)
        freq = parts["FREQ"]
        interval = int(parts.get("INTERVAL", "1"))
    except (ValidationError, KeyError, ValueError):
        return _("自定义")
    per_day = len(parts.get("BYHOUR", "x").split(",")) * len(parts.get("BYMINUTE", "x").split(","))
    if freq == "DAILY" and interval == 1:
        base = _("每个工作日") if workdays_only else _("每日")
        return base if per_day == 1 else _("%(base)s %(n)d 次") % {"base": base, "n": per_day}
    if freq == "YEARLY" and interval == 1 and "BYMONTH" in parts:
        months = parts["BYMONTH"].split(",")
        if sorted(int(m) for m in months) == [1, 4, 7, 10]:
            return _("每季度")
        return _("每年") if len(months) == 1 else _("每年 %(n)d 次") % {"n": len(months)}
    names = {"YEARLY": "年", "MONTHLY": "月", "WEEKLY": "周", "DAILY": "日", "HOURLY": "小时"}
    if freq not in names:
        return _("自定义")
    if interval == 1:
        label = _("每%(unit)s") % {"unit": names[freq]}
    else:
        unit = "个月" if freq == "MONTHLY" else names[freq]
        label = _("每 %(n)d %(unit)s") % {"n": interval, "unit": unit}
    return label + (_("（工作日）") if workdays_only else "")
