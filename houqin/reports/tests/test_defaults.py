"""The default texts: every placeholder resolves against the modules' figures, each section uses
only its own modules, and the texts have the structure the engine expects."""

import datetime as dt
import importlib
import re
import string
from decimal import Decimal

import pytest

from houqin.reports import defaults
from houqin.reports.render import base

MODULES = [
    "meetings",
    "fleet",
    "canteen",
    "maintenance",
    "space",
    "security",
    "energy",
    "finance",
    "vendors",
    "activities",
]
SCALARS = (bool, int, float, Decimal, str, type(None))


def flatten(prefix, figures, out=None):
    """The engine's rule: <module>.<key>, nested dicts as <module>.<key>.<subkey>; lists and
    other values (tuples, dates) are not addressable."""
    out = {} if out is None else out
    for key, value in figures.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            flatten(name, value, out)
        elif isinstance(value, SCALARS):
            out[name] = value
    return out


def flat_figures(center, start, end):
    flat = {}
    for module in MODULES:
        summary = importlib.import_module(f"houqin.{module}.summary")
        flatten(module, summary.figures(center, start, end), flat)
    return flat


@pytest.fixture
def empty_flat(center_a):
    year = dt.date.today().year
    return flat_figures(center_a, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def _texts():
    yield "OPENING", defaults.OPENING
    yield "PLANS", defaults.PLANS
    yield from defaults.DEFAULT_TEMPLATES.items()


def test_sections_in_the_issue_order():
    assert [(key, str(title), modules) for key, title, modules in defaults.SECTIONS] == [
        ("meetings", "会务保障", ["meetings"]),
        ("finance", "财务管理", ["finance"]),
        ("security", "安保消防", ["security"]),
        ("energy", "节能降耗", ["energy"]),
        ("logistics", "后勤保障", ["maintenance", "canteen", "vendors"]),
        ("space", "办公用房管理", ["space"]),
        ("fleet", "公车管理", ["fleet"]),
        ("activities", "学习教育与活动", ["activities"]),
    ]
    assert list(defaults.DEFAULT_TEMPLATES) == [key for key, _t, _m in defaults.SECTIONS]
    assert [row[0] for row in defaults.sections()] == list(defaults.DEFAULT_TEMPLATES)
    assert all(row[3] is defaults.DEFAULT_TEMPLATES[row[0]] for row in defaults.sections())


def test_every_placeholder_resolves_on_an_empty_center(empty_flat):
    for key, text in defaults.DEFAULT_TEMPLATES.items():
        names = defaults.placeholders(text)
        assert names, key
        unknown = [name for name in names if base(name) not in empty_flat]
        assert not unknown, (key, unknown)


def test_each_section_uses_only_its_modules():
    for key, _title, modules in defaults.SECTIONS:
        used = {
            name.split(".")[0] for name in defaults.placeholders(defaults.DEFAULT_TEMPLATES[key])
        }
        assert used <= set(modules), (key, used - set(modules))


def test_every_module_is_reported_somewhere():
    used = {
        name.split(".")[0]
        for text in defaults.DEFAULT_TEMPLATES.values()
        for name in defaults.placeholders(text)
    }
    assert used == set(MODULES)


def test_opening_and_plans():
    assert set(defaults.placeholders(defaults.OPENING)) == {"year", "center"}
    assert defaults.placeholders(defaults.PLANS) == []
    plans = str(defaults.PLANS).split("\n\n")
    assert plans[0].startswith("下一步")
    numbers = [p[: p.index("）") + 1] for p in plans[1:]]
    assert numbers == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
        "（八）",
        "（九）",
    ]


def test_texts_are_clean_paragraphs():
    for key, text in _texts():
        text = str(text)
        paragraphs = text.split("\n\n")
        for paragraph in paragraphs:
            assert paragraph.strip() == paragraph and paragraph, key
            assert "\n" not in paragraph, key
            assert paragraph.endswith("。"), (key, paragraph[-10:])
        # no seed "X"/"xx" left, every brace is a placeholder
        assert not re.search(r"X|xx", defaults.PLACEHOLDER_RE.sub("", text)), key
        assert "{" not in defaults.PLACEHOLDER_RE.sub("", text), key
        assert "}" not in defaults.PLACEHOLDER_RE.sub("", text), key


def test_sections_follow_the_seed_enumeration():
    """一是…二是…: consecutive, and every later paragraph opens with the next one."""
    item = re.compile(r"(?:^|[。；])([一二三四五六七八九])是", re.MULTILINE)
    for key, text in defaults.DEFAULT_TEMPLATES.items():
        numerals = item.findall(str(text))
        assert numerals == list("一二三四五六七八九"[: len(numerals)]), key
        for paragraph in str(text).split("\n\n")[1:]:
            assert re.match(r"[二三四五六七八九]是", paragraph), (key, paragraph[:10])


def test_rendered_with_figures(empty_flat, center_a):
    """Substituting the figures leaves no brace and puts the value in its sentence."""
    values = {
        name: ("无数据" if value is None else value) for name, value in empty_flat.items()
    } | {"year": 2026, "center": center_a.name}

    def render(text):
        return defaults.PLACEHOLDER_RE.sub(lambda m: str(values[base(m.group(1))]), str(text))

    assert render(defaults.OPENING).startswith(f"2026年，{center_a.name}在区委")
    meetings = render(defaults.DEFAULT_TEMPLATES["meetings"])
    assert "全年共服务各类会议0场次" in meetings
    fleet = render(defaults.DEFAULT_TEMPLATES["fleet"])
    assert "全年受理用车申请0次" in fleet
    for text in defaults.DEFAULT_TEMPLATES.values():
        assert "{" not in render(text)


def test_placeholders_helper():
    assert defaults.placeholders(
        "共{meetings.served}场，{meetings.served_by_kind.small}场，{year}"
    ) == [
        "meetings.served",
        "meetings.served_by_kind.small",
        "year",
    ]
    assert defaults.placeholders("{ Not one } {Upper.key}") == []
    assert defaults.placeholders("{fleet.trips}趟{fleet.trips|同比}") == [
        "fleet.trips",
        "fleet.trips|同比",
    ]


def test_the_main_counts_say_how_they_compare_with_last_year():
    yoy = [
        name
        for text in defaults.DEFAULT_TEMPLATES.values()
        for name in defaults.placeholders(text)
        if name.endswith("|同比")
    ]
    assert yoy == [
        "meetings.served|同比",
        "finance.expenditures_total|同比",
        "security.visitors_people|同比",
        "maintenance.repairs_received|同比",
        "canteen.meals_served|同比",
        "fleet.trips|同比",
        "activities.participants|同比",
    ]


def test_texts_are_plain_format_strings():
    """The engine parses templates with string.Formatter: plain str, no spec or conversion,
    the same names as placeholders() finds."""
    for key, text in _texts():
        assert type(text) is str, key
        parsed = [(name, spec, conv) for _l, name, spec, conv in string.Formatter().parse(text)]
        names = [name for name, _s, _c in parsed if name is not None]
        assert all(not spec and not conv for name, spec, conv in parsed if name), key
        assert names == defaults.placeholders(text), key
