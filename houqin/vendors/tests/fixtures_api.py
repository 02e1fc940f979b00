"""Fixtures of the vendors API and summary tests: managers of centers A and B, and helpers
that create vendors, contracts and evaluations directly (the API and the summary only read)."""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.vendors.models import (
    Contract,
    EvaluationItem,
    EvaluationScore,
    EvaluationSheet,
    Vendor,
    VendorEvaluation,
)


@pytest.fixture
def vm_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="外包管理员甲"), Role.VENDOR_MANAGER, username="vm_a"
    )


@pytest.fixture
def vm_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="外包管理员乙"), Role.VENDOR_MANAGER, username="vm_b"
    )


def vendor(center, name, kind=Vendor.Kind.SECURITY):
    return Vendor.objects.create(center=center, name=name, kind=kind)


def contract(v, number, start, end, amount="120000"):
    return Contract.objects.create(
        center_id=v.center_id,
        vendor=v,
        number=number,
        service="服务",
        start_date=start,
        end_date=end,
        amount=Decimal(amount),
        payment_terms="monthly",
    )


def sheet(center, name="月度考核表", threshold="80"):
    s = EvaluationSheet.objects.create(
        center=center, name=name, period="monthly", threshold=Decimal(threshold)
    )
    EvaluationItem.objects.create(sheet=s, text="服务质量", points=Decimal("60"), order=1)
    EvaluationItem.objects.create(sheet=s, text="责任事项", points=Decimal("40"), order=2)
    return s


def evaluation(v, s, month_start, total, by, flagged=None):
    month_end = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    e = VendorEvaluation.objects.create(
        center_id=v.center_id,
        vendor=v,
        sheet=s,
        period_start=month_start,
        period_end=month_end - dt.timedelta(days=1),
        total=Decimal(total),
        payment_flagged=Decimal(total) < s.threshold if flagged is None else flagged,
        evaluated_by=by,
    )
    items = list(s.items.all())
    EvaluationScore.objects.create(evaluation=e, item=items[0], points=Decimal(total) * 6 / 10)
    EvaluationScore.objects.create(evaluation=e, item=items[1], points=Decimal(total) * 4 / 10)
    return e
