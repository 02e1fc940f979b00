"""Fixtures of the vendors tests. Import the ones a test module uses:
``from .fixtures_vendors import …  # noqa: F401``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.vendors.models import EvaluationItem, EvaluationSheet, Vendor, VendorStaff

TODAY = timezone.localdate()


@pytest.fixture
def manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="外包管理员甲"), Role.VENDOR_MANAGER, username="vm_a"
    )


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="外包管理员乙"), Role.VENDOR_MANAGER, username="vm_b"
    )


@pytest.fixture
def finance_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财务甲"), Role.FINANCE_OFFICER, username="fin_a"
    )


@pytest.fixture
def finance_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="财务乙"), Role.FINANCE_OFFICER, username="fin_b"
    )


@pytest.fixture
def vendor_a(center_a):
    return make_vendor(center_a, "安心保安服务有限公司", Vendor.Kind.SECURITY)


@pytest.fixture
def vendor_b(center_b):
    return make_vendor(center_b, "乙区物业公司", Vendor.Kind.PROPERTY)


def make_vendor(center, name, kind=Vendor.Kind.PEST_CONTROL, **kw):
    return Vendor.objects.create(center=center, name=name, kind=kind, **kw)


def make_staff(vendor, name, post="保安员", **kw):
    return VendorStaff.objects.create(vendor=vendor, name=name, post=post, **kw)


def make_sheet(center, name="月度考核表", period="monthly", threshold=80, items=(), **kw):
    """items: (text, points, from_duties) tuples."""
    sheet = EvaluationSheet.objects.create(
        center=center, name=name, period=period, threshold=Decimal(threshold), **kw
    )
    for order, (text, points, from_duties) in enumerate(items, start=1):
        EvaluationItem.objects.create(
            sheet=sheet, text=text, points=Decimal(points), from_duties=from_duties, order=order
        )
    return sheet


def aware(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_plan(center, vendor_name, title="病媒生物防制"):
    return DutyPlan.objects.create(
        center=center,
        title=title,
        category=DutyPlan.Category.PEST_CONTROL,
        vendor_name=vendor_name,
        rrule="FREQ=WEEKLY",
        dtstart=aware(dt.date(2026, 1, 1)),
    )


def make_task(plan, day, *, done_by=None, on_time=True):
    """A task of `plan` due on `day`; completed (on time or late) when `done_by` is given."""
    due = aware(day)
    task = DutyTask.objects.create(
        center_id=plan.center_id,
        plan=plan,
        title=plan.title,
        category=plan.category,
        due_at=due,
        late_after=due + dt.timedelta(hours=1),
        vendor_name=plan.vendor_name,
        status=DutyTask.Status.DONE if done_by else DutyTask.Status.OPEN,
        completed_at=(due if on_time else due + dt.timedelta(days=1)) if done_by else None,
    )
    if done_by:
        DutyRecord.objects.create(
            center_id=plan.center_id,
            task=task,
            completed_by=done_by,
            completed_at=task.completed_at,
            on_time=on_time,
        )
    return task


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)
