"""The finance part of seed_scale at a small size: budgets with their plans, expenditures
whose approvals are closed as the services leave them, assets with a closed count and
approved disposals, procurement and vouchers, the year's figures and the finance pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from houqin.core.approvals.models import ApprovalRequest, ApprovalStep
from houqin.finance import summary
from houqin.finance.models import (
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    BudgetProject,
    Expenditure,
    FixedAsset,
    Procurement,
    VoucherHandover,
)
from houqin.finance.services.common import settings_for
from houqin.org.models import OrgUnit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="finance", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1", kind=OrgUnit.Kind.CENTER)


def test_finance_scale(center, client):
    projects = BudgetProject.objects.filter(center=center, year=2025)
    assert projects.count() == 40
    assert all(len(p.monthly_plan) == 12 and p.monthly_plan[-1] == "100" for p in projects)
    expenditures = Expenditure.objects.filter(center=center)
    assert 400 <= expenditures.count() <= 700
    assert not expenditures.exclude(date__year=2025)
    assert not expenditures.filter(status=Expenditure.Status.PENDING)

    # Every expenditure at or above the threshold has one closed request matching its status.
    threshold = settings_for(center.pk).approval_threshold
    kind = ContentType.objects.get_for_model(Expenditure)
    requests = {
        r.object_id: r for r in ApprovalRequest.objects.filter(center=center, content_type=kind)
    }
    for e in expenditures:
        if e.amount >= threshold and e.status != Expenditure.Status.CANCELLED:
            request = requests.pop(e.pk)
            expected = "approved" if e.status == Expenditure.Status.RECORDED else "rejected"
            assert request.status == expected and request.decided_at is not None
            assert request.created_at.date() == e.date
    assert not requests
    assert not ApprovalRequest.objects.filter(center=center, status__in=["pending", "returned"])
    assert not ApprovalStep.objects.filter(request__center=center, status="pending")
    assert ApprovalRequest.objects.filter(center=center).aggregate(n=Count("steps"))["n"]

    assets = FixedAsset.objects.filter(center=center)
    assert 30 <= assets.count() <= 60
    disposed = assets.filter(status=FixedAsset.Status.DISPOSED)
    assert (
        disposed.count() == AssetDisposal.objects.filter(center=center, status="approved").count()
    )
    assert not disposed.filter(disposed_on__isnull=True)
    count = AssetCount.objects.get(center=center, year=2025)
    assert count.status == AssetCount.Status.CLOSED
    lines = AssetCountLine.objects.filter(count=count)
    assert not lines.filter(result="pending")
    assert lines.filter(asset__isnull=False).count() == assets.exclude(status="disposed").count()
    assert Procurement.objects.filter(center=center).count() >= 15
    vouchers = VoucherHandover.objects.filter(center=center)
    agencies = OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY).count()
    assert vouchers.count() == 12 * min(3, agencies)
    assert not vouchers.filter(handed_on__isnull=True)

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    budget = projects.aggregate(s=Sum("amount"))["s"]
    spent = expenditures.filter(status="recorded", project__isnull=False).aggregate(
        s=Sum("amount")
    )["s"]
    assert figures["budget_total"] == budget
    assert Decimal(85) < figures["execution_rate"] < Decimal(100)
    assert figures["spent"] <= spent
    assert 0 < figures["behind_projects"] < 10
    assert figures["expenditures_total"] > 0 and figures["expenditures_by_project"]
    assert figures["assets_count"] == assets.count() - disposed.count()
    assert figures["procurements"] > 0 and figures["procurement_amount"] > 0

    client.force_login(User.objects.get(username="s1finance"))
    for name in ("finance:expenditure_list", "finance:asset_list", "finance:voucher_list"):
        assert client.get(reverse(name)).status_code == 200
