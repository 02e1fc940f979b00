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
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps

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
    collected = Collected()
    for name in modules:
        module = summary_module(name)
        if module is None:
            continue
        collected.modules[name] = module
        figures = _figures(module, center, start, end, now)
        figures.pop("definitions", None)
        flatten(name, figures, collected.values)
        for key, pair in (getattr(module, "DEFINITIONS", None) or {}).items():
            label, definition = pair if isinstance(pair, tuple) else (pair, "")
            collected.labels[f"{name}.{key}"] = (str(label), str(definition))
    return collected
