"""Every module's figures for a period, through its own `summary.py`, flattened into the
placeholder keys of the summary templates:

    {"meetings": {"served": 12, "served_by_kind": {"auditorium": 3}}}
        → {"meetings.served": 12, "meetings.served_by_kind.auditorium": 3}

Lists are not addressable (they are tables, not sentences). A module that is not installed or
whose summary fails to import is left out: its section says it has no data. Each module runs a
fixed number of queries, so the whole collection does too.
"""

import datetime as dt
import importlib
import inspect
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

log = logging.getLogger(__name__)

MODULES = (
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
)
SCALARS = (bool, int, float, Decimal, str, dt.date)


@dataclass
class Collected:
    values: dict = field(default_factory=dict)  # key → scalar or None
    labels: dict = field(default_factory=dict)  # key → (label, definition)
    modules: dict = field(default_factory=dict)  # module name → its summary module

    def url(self, key, start, end, *, now=None):
        """The page listing the records a figure counts, or None."""
        module_name, _sep, rest = key.partition(".")
        module = self.modules.get(module_name)
        figure_url = getattr(module, "figure_url", None)
        if figure_url is None:
            return None
        top = rest.split(".", 1)[0]
        try:
            if "now" in inspect.signature(figure_url).parameters:
                return figure_url(top, start, end, now=now)
            return figure_url(top, start, end)
        except Exception:  # a link is a convenience: never break the report for it
            log.exception("figure_url failed for %s", key)
            return None


def flatten(prefix, value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            flatten(f"{prefix}.{key}", item, out)
    elif value is None or isinstance(value, SCALARS):
        out[prefix] = value
    return out


def summary_module(name):
    if not apps.is_installed(f"houqin.{name}"):
        return None
    try:
        return importlib.import_module(f"houqin.{name}.summary")
    except ImportError:
        return None


def _figures(module, center, start, end, now):
    function = module.figures
    if "now" in inspect.signature(function).parameters:
        return function(center, start, end, now=now)
    return function(center, start, end)


def collect(center, start, end, *, now=None, modules=MODULES) -> Collected:
    return collect_periods(center, [(start, end)], now=now, modules=modules)[0]


def collect_periods(center, periods, *, now=None, modules=MODULES) -> list[Collected]:
    """One Collected per (start, end) period, in order.

    The summary needs every module twice (this period and the one a year earlier for 同比), and
    on the scale dataset about half of that time is the database working. On PostgreSQL the
    module × period pieces therefore run in a few threads, each on its own connection, so the
    server's cores work side by side while Python assembles the other results. Inside a
    transaction (tests, ATOMIC_REQUESTS) other connections could not see its rows, and SQLite
    (the try-out database, often in memory) gains nothing from it, so there the pieces run one
    after another. `REPORTS_WORKERS=1` turns the threads off.
    """
    loaded = [(name, summary_module(name)) for name in modules]
    loaded = [(name, module) for name, module in loaded if module is not None]
    pieces = [(index, name, module) for index in range(len(periods)) for name, module in loaded]
    results = _run(
        [
            lambda p=periods[index], m=module: _figures(m, center, p[0], p[1], now)
            for index, _name, module in pieces
        ]
    )
    by_period = [Collected() for _period in periods]
    for (index, name, module), figures in zip(pieces, results, strict=True):
        collected = by_period[index]
        collected.modules[name] = module
        figures.pop("definitions", None)
        flatten(name, figures, collected.values)
        for key, pair in (getattr(module, "DEFINITIONS", None) or {}).items():
            label, definition = pair if isinstance(pair, tuple) else (pair, "")
            collected.labels[f"{name}.{key}"] = (str(label), str(definition))
    return by_period


def parallel_allowed() -> bool:
    return (
        settings.REPORTS_WORKERS > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def _run(calls):
    if len(calls) < 2 or not parallel_allowed():
        return [call() for call in calls]
    # Worker threads start with the default language and time zone: carry the caller's.
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def run(call):
        try:
            with translation.override(language), timezone.override(zone):
                return call()
        finally:
            connection.close()  # the thread's own connection; do not leave it to the GC

    with ThreadPoolExecutor(max_workers=settings.REPORTS_WORKERS) as pool:
        return list(pool.map(run, calls))
