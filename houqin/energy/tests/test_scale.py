"""The scale dataset of 节能 (houqin/energy/scale.py) on a small district (60 staff)."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from houqin.energy import summary
from houqin.energy.models import (
    ConservationUnit,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    UnitScore,
)
from houqin.org.models import OrgUnit, User


def test_scale_year(db, client):
    call_command("seed_scale", staff=60, year=2025, only="energy", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1")

    # One institution per agency (60 staff → 1 agency) and the center's compound.
    institutions = Institution.objects.filter(center=center)
    assert institutions.count() == 2
    assert InstitutionYear.objects.filter(institution__center=center).count() == 6
    meters = Meter.objects.filter(center=center)
    mains = meters.filter(parent__isnull=True)
    assert mains.filter(kind="electricity").count() == 4
    assert meters.filter(parent__isnull=False, mode=Meter.Mode.REGISTER).count() == 4
    readings = MeterReading.objects.filter(meter__center=center)
    # Main meters: the base year and 24 months; sub-meters: 25 register readings.
    assert readings.filter(meter__parent__isnull=True).count() == mains.count() * 36
    assert readings.filter(meter__parent__isnull=False).count() == 4 * 25
    # Register consumption = this reading − the previous one, except the confirmed
    # replacement, whose consumption the manager entered.
    for meter in meters.filter(mode=Meter.Mode.REGISTER):
        previous = None
        for reading in meter.readings.order_by("month"):
            if previous is not None and reading.confirmed_by_id is None:
                assert reading.consumption == reading.value - previous.value
            previous = reading
    assert readings.filter(confirmed_by__isnull=False).count() == 1
    assert not readings.filter(flagged=True).exists()
    assert not readings.exclude(month__day=1).exists()

    # Conservation units: scores are the sums of their item scores; decisions follow them.
    for unit in ConservationUnit.objects.filter(campaign__center=center):
        sums = UnitScore.objects.filter(unit=unit).aggregate(
            s=Sum("self_points"), r=Sum("review_points")
        )
        assert unit.self_score == sums["s"] and unit.review_score == sums["r"]
        passed = unit.review_score >= Decimal(80)
        assert unit.status == ("passed" if passed else "failed")

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures["energy_months"] == 12
    assert figures["energy_kgce"] > 0
    assert figures["per_area_vs_last_pct"] < 0  # 同比 reads: a little less than last year
    assert figures["per_area_vs_base_pct"] < -5  # the 2020→2025 target is met
    assert figures["target_base_year"] == 2020
    assert figures["stations_target"] == 16 and 10 <= figures["stations_completed"] <= 15
    assert figures["sorting_sites"] == 5 and figures["sorting_inspections"] == 60
    assert 70 <= figures["sorting_rate"] <= 100
    assert figures["events"] >= 3
    assert figures["units_target"] >= 1

    client.force_login(User.objects.get(username="s1energy"))
    assert client.get(reverse("energy:reading_list")).status_code == 200
    assert client.get(reverse("energy:meter_list")).status_code == 200
