# ruff: noqa: F811  (fixtures imported from fixtures_api are used as parameters)
"""Vendor figures for the annual summary: evaluations in the period, average score per vendor,
flagged count; None without data; constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.vendors import summary

from .fixtures_api import evaluation, sheet, vendor, vm_a  # noqa: F401

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))


def _data(center, by):
    s = sheet(center)
    guard = vendor(center, "安心保安公司")
    prop = vendor(center, "城东物业公司", kind="property")
    vendor(center, "病媒防制公司", kind="pest_control")  # never evaluated
    evaluation(guard, s, dt.date(2025, 12, 1), "50", by)  # before the period
    evaluation(guard, s, dt.date(2026, 9, 1), "90", by)
    evaluation(guard, s, dt.date(2026, 10, 1), "75", by)  # flagged
    evaluation(prop, s, dt.date(2026, 10, 1), "88", by)
    return guard, prop


def test_figures_hand_computed(vm_a, center_a):
    guard, prop = _data(center_a, vm_a)
    figures = summary.figures(center_a, *YEAR)
    assert figures["vendors_active"] == 3
    assert figures["evaluations"] == 3 and figures["evaluations_flagged"] == 1
    assert figures["average_score"] == Decimal("84.3")  # (90 + 75 + 88) ÷ 3
    assert figures["by_vendor"] == [
        {
            "vendor_id": guard.pk,
            "name": "安心保安公司",
            "kind": "保安服务",
            "evaluations": 2,
            "average": Decimal("82.5"),
            "flagged": 1,
        },
        {
            "vendor_id": prop.pk,
            "name": "城东物业公司",
            "kind": "物业服务",
            "evaluations": 1,
            "average": Decimal("88.0"),
            "flagged": 0,
        },
    ]
    assert set(figures) <= set(summary.DEFINITIONS)


def test_none_without_data(vm_a, center_a, center_b):
    _data(center_a, vm_a)
    figures = summary.figures(center_b, *YEAR)
    assert all(value is None for value in figures.values())
    quiet = summary.figures(center_a, dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert quiet["evaluations"] == 0 and quiet["average_score"] is None
    assert quiet["by_vendor"] == []


def test_constant_queries(vm_a, center_a):
    _data(center_a, vm_a)
    with CaptureQueriesContext(connection) as few:
        summary.figures(center_a, *YEAR)
    s = sheet(center_a, "季度考核表")
    for i in range(10):
        evaluation(vendor(center_a, f"公司{i}"), s, dt.date(2026, 6, 1), "80", vm_a)
    with CaptureQueriesContext(connection) as many:
        summary.figures(center_a, *YEAR)
    assert len(many.captured_queries) == len(few.captured_queries) == 2
