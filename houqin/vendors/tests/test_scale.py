"""The vendors' part of seed_scale at a small size: counts, constraints, totals that match
their scores, the year's figures and the evaluation list of the vendor manager."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from houqin.org.models import OrgUnit, User
from houqin.vendors import summary
from houqin.vendors.models import (
    Contract,
    EvaluationScore,
    EvaluationSheet,
    Vendor,
    VendorEvaluation,
    VendorStaff,
)
from houqin.vendors.scale import VENDORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="vendors", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1", kind=OrgUnit.Kind.CENTER)


def test_vendors_scale(center, client):
    vendors = Vendor.objects.filter(center=center)
    assert vendors.count() == len(VENDORS)
    # At 60 staff (factor 0.02) every vendor keeps at least one person on its roster.
    assert len(VENDORS) <= VendorStaff.objects.filter(vendor__center=center).count() <= 40
    assert not VendorStaff.objects.filter(vendor__center=center, end_date__lt=dt.date(2000, 1, 1))
    # Each vendor has a contract covering the year.
    covering = Contract.objects.filter(
        center=center, start_date__lte=dt.date(2025, 1, 1), end_date__gte=dt.date(2025, 12, 31)
    )
    assert covering.values("vendor").distinct().count() == len(VENDORS)

    evaluations = VendorEvaluation.objects.filter(center=center)
    assert evaluations.count() == 12 * len(VENDORS)
    assert (
        not evaluations.values("vendor", "sheet", "period_start")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    # Totals are the sum of the scores; flagged exactly when below the sheet's mark.
    sums = dict(
        EvaluationScore.objects.filter(evaluation__center=center)
        .values_list("evaluation")
        .annotate(s=Sum("points"))
    )
    thresholds = dict(EvaluationSheet.objects.filter(center=center).values_list("pk", "threshold"))
    for e in evaluations:
        assert sums[e.pk] == e.total
        assert e.payment_flagged == (e.total < thresholds[e.sheet_id])
        assert e.sheet.vendor_kind in ("", e.vendor.kind)
    assert Decimal(70) < sum(e.total for e in evaluations) / evaluations.count() < Decimal(97)

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures["vendors_active"] == len(VENDORS)
    # The period is [start, end): December's evaluations end on the 31st, outside it.
    assert figures["evaluations"] == 11 * len(VENDORS)
    assert figures["evaluations_flagged"] is not None
    assert Decimal(70) < figures["average_score"] < Decimal(97)
    assert len(figures["by_vendor"]) == len(VENDORS)

    client.force_login(User.objects.get(username="s1vendor"))
    for name in ("vendors:evaluation_list", "vendors:vendor_list", "vendors:contract_list"):
        assert client.get(reverse(name)).status_code == 200
