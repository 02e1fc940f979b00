"""Build the annual work summary (document.Summary) of a center for a period from every
module's figures and the center's section templates (or the defaults), with the same figures of
the period a year earlier for 同比.

Structure (the seed's): opening paragraph; "一、{year}年工作开展情况" with one "（一）…" per
section; "二、存在问题" (the center's text, to which accepted suggestions are added);
"三、下一步工作计划".
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from . import defaults
from .document import Figure, Paragraph, Part, Section, Summary
from .figures import collect, collect_periods
from .models import SectionTemplate
from .render import GLOBALS, display, has_data, paragraphs, placeholders

NUMERALS = "一二三四五六七八九十"
PROBLEMS, PLANS, OPENING = "problems", "plans", "opening"


def period_label(start: dt.date, end: dt.date) -> str:
    """ "2026年" for a calendar year, else "2026年1月1日至9月30日" (end exclusive)."""
    last = end - dt.timedelta(days=1)
    if start == dt.date(start.year, 1, 1) and last == dt.date(start.year, 12, 31):
        return f"{start.year}年"
    if start.year == last.year:
        return f"{start.year}年{start.month}月{start.day}日至{last.month}月{last.day}日"
    return f"{display(start)}至{display(last)}"


def templates_of(center) -> dict:
    """key → template text: the center's own, else the default."""
    texts = {OPENING: defaults.OPENING, PLANS: defaults.PLANS, PROBLEMS: ""}
    texts.update(defaults.DEFAULT_TEMPLATES)
    texts.update(dict(SectionTemplate.objects.filter(center=center).values_list("key", "body")))
    return texts


def known_keys(center, start, end, *, now=None) -> set:
    return set(collect(center, start, end, now=now).values) | set(GLOBALS)


def build(center, start: dt.date, end: dt.date, *, now=None) -> Summary:
    """`end` is exclusive (a year: 1 January to the next 1 January)."""
    return build_with_figures(center, start, end, now=now)[0]


def build_with_figures(center, start: dt.date, end: dt.date, *, now=None):
    """(Summary, this period's Collected, the previous period's Collected)."""
    now = now or timezone.now()
    a_year_earlier = (start - relativedelta(years=1), end - relativedelta(years=1))
    current, previous = collect_periods(center, [(start, end), a_year_earlier], now=now)
    label = period_label(start, end)
    values = {
        **current.values,
        "year": str(start.year),
        "center": center.name,
        "start": display(start),
        "end": display(end - dt.timedelta(days=1)),
    }
    texts = templates_of(center)
    used = []

    def url(name):
        return None if name in GLOBALS else current.url(name, start, end, now=now)

    def render(key, *, skip_empty=False):
        text = texts.get(key, "")
        names = placeholders(text)
        body = paragraphs(text, values, url=url, skip_empty=skip_empty, previous=previous.values)
        shown = {run.figure for paragraph in body for run in paragraph.runs if run.figure}
        used.extend(n for n in names if n in shown and n not in GLOBALS and n not in used)
        return names, body

    summary = Summary(
        title=_("%(c)s%(p)s工作总结") % {"c": center.name, "p": label},
        issuer=center.name,
        date=display(timezone.localdate(now)),
    )
    summary.opening = render(OPENING)[1]
    work = Part(_("一、%(p)s工作开展情况") % {"p": label})
    for index, (key, title, _modules) in enumerate(defaults.SECTIONS):
        names, body = render(key, skip_empty=True)
        heading = f"（{NUMERALS[index] if index < 10 else index + 1}）{title}"
        if has_data(names, values):
            work.sections.append(Section(heading, body, key=key))
        else:
            note = Paragraph.plain(_("本期暂无%(t)s相关数据记录。") % {"t": title})
            work.sections.append(Section(heading, [note], key=key, has_data=False))
    summary.parts.append(work)
    problems = render(PROBLEMS)[1] or [Paragraph.plain(_("（待填写）"))]
    summary.parts.append(Part(_("二、存在问题"), problems))
    summary.parts.append(Part(_("三、下一步工作计划"), render(PLANS)[1]))
    for name in used:
        label_text, definition = current.labels.get(name) or current.labels.get(
            ".".join(name.split(".")[:2]), (name, "")
        )
        summary.figures.append(
            Figure(
                key=name,
                label=label_text,
                value=current.values.get(name),
                previous=previous.values.get(name),
                definition=definition,
                url=url(name),
            )
        )
    return summary, current, previous
