"""Templates with named placeholders ({meetings.served}, {year}) → paragraphs of runs.

Placeholders are checked when a template is saved: an unknown name is refused (a typo must not
reach a document sent upwards). A section whose figures are all missing or zero says it has no
data instead of printing zeros as facts.
"""

import datetime as dt
import re
import string
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .document import Paragraph, Run

GLOBALS = ("year", "center", "start", "end")
# `{meetings.served|同比}` after a figure says how it compares with the same period a year
# earlier ("，同比增长12.5%"); it says nothing where there is no earlier figure to compare with.
YOY = "|同比"
# Figures that describe the period rather than count anything (the year reported, the time
# progress of the year): present even when a module has no records, so they never make a
# section "have data".
CONTEXT = frozenset(
    {
        "finance.budget_year",
        "finance.time_pct",
        "energy.energy_year",
        "energy.energy_through",
        "energy.target_base_year",
        "energy.target_year",
        # the fleet as it stands (vehicles held, the establishment): not the period's work
        "fleet.actual_total",
        "fleet.quota_total",
    }
)
_formatter = string.Formatter()
# The seed's enumeration of a section's items: "一是…", "。二是…", "；三是…".
ORDINAL_RE = re.compile(r"(^|[。；])([一二三四五六七八九十])是")
NUMERALS = "一二三四五六七八九十"


def placeholders(text) -> list[str]:
    """The placeholder names of `text`, in order; a malformed template raises ValidationError."""
    try:
        parsed = list(_formatter.parse(text))
    except ValueError:
        raise ValidationError(
            _("模板格式有误：花括号须成对出现，占位符写作 {模块.指标}，如 {meetings.served}。")
        ) from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or spec or conversion:
            raise ValidationError(_("占位符“{%(n)s}”写法有误。") % {"n": name or ""})
        names.append(name)
    return names


def check(text, known) -> list[str]:
    """Refuse unknown placeholders (Chinese message naming them); returns the names used."""
    names = placeholders(text)
    unknown = sorted({n for n in names if base(n) not in known and n not in GLOBALS})
    if unknown:
        raise ValidationError(
            _("模板中有不存在的指标：%(names)s。请从右侧指标列表中选择。")
            % {"names": "、".join("{" + n + "}" for n in unknown)}
        )
    return names


def base(name) -> str:
    """The figure a placeholder refers to (`meetings.served|同比` → `meetings.served`)."""
    return name.removesuffix(YOY)


def yoy_text(value, previous) -> str:
    """ "，同比增长12.5%" / "，同比下降3%" / "，与上年同期持平"; "" when either side is missing,
    not a number, or the earlier figure is zero (no base to compare with)."""
    numbers = (int, float, Decimal)
    if isinstance(value, bool) or isinstance(previous, bool):
        return ""
    if not isinstance(value, numbers) or not isinstance(previous, numbers) or not previous:
        return ""
    change = (Decimal(str(value)) - Decimal(str(previous))) * 100 / abs(Decimal(str(previous)))
    change = change.quantize(Decimal("0.1"))
    if change > 0:
        return _("，同比增长%(p)s%%") % {"p": display(change)}
    if change < 0:
        return _("，同比下降%(p)s%%") % {"p": display(-change)}
    return _("，与上年同期持平")


def display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"))
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def has_data(names, values) -> bool:
    """Any of the figures used is present and not zero."""
    for name in names:
        if name in GLOBALS or name in CONTEXT or name.endswith(YOY):
            continue
        value = values.get(name)
        if value not in (None, 0, "", False) and value != Decimal(0):
            return True
    return False


def paragraphs(text, values, *, url=None, skip_empty=False, previous=None) -> list[Paragraph]:
    """Blank-line separated paragraphs; each placeholder becomes a Run linked to its records.
    With `skip_empty`, a paragraph whose figures are all missing or zero is left out (a
    sub-area the center has no records of is not reported as "0 次"). `previous` holds the
    same figures a year earlier, for `|同比`."""
    previous = previous or {}
    result, dropped, dropped_lead = [], False, None
    for index, block in enumerate(b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        parsed = list(_formatter.parse(" ".join(block.split("\n"))))
        names = [name for _l, name, _s, _c in parsed if name and name not in GLOBALS]
        if skip_empty and names and not has_data(names, values):
            dropped = True
            if index == 0:
                dropped_lead = _lead(parsed)
            continue
        runs = []
        for literal, name, _spec, _conversion in parsed:
            if literal:
                runs.append(Run(literal))
            if name is not None and name.endswith(YOY):
                text_ = yoy_text(values.get(base(name)), previous.get(base(name)))
                if text_:
                    runs.append(Run(text_))
            elif name is not None:
                value = values.get(name)
                runs.append(Run(display(value), figure=name, url=url(name) if url else None))
        result.append(Paragraph(runs))
    if dropped_lead and result:
        result[0].runs.insert(0, Run(dropped_lead))
    if dropped:
        _renumber(result)
    return result


def _lead(parsed) -> str | None:
    """The opening phrase of a section's first paragraph, before its "一是" (the seed's
    "精心服务精细管理，切实做好会务保障工作。"): kept when the rest of the paragraph is dropped."""
    literal = parsed[0][0] if parsed else ""
    match = ORDINAL_RE.search(literal)
    if match is None or match.start() == 0:
        return None
    return literal[: match.start(2)]


def _renumber(result) -> None:
    """一是, 二是, … in order over the paragraphs kept: when "一是" was dropped for lack of
    data, the next item becomes "一是" instead of the text starting at "二是"."""
    counter = iter(NUMERALS)

    def replace(match):
        numeral = next(counter, None)
        return match.group(0) if numeral is None else f"{match.group(1)}{numeral}是"

    for paragraph in result:
        for run in paragraph.runs:
            if run.figure is None and "是" in run.text:
                run.text = ORDINAL_RE.sub(replace, run.text)
