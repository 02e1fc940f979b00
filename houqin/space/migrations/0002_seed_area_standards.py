"""Seed the office-room usable-area limits of 《党政机关办公用房建设标准》(发改投资〔2014〕2674号),
DOMAIN.md §1, for the ranks seeded by org 0002. Configuration, not code: a later or local
standard is added as a new row with its own effective date (the 1999 standard is superseded
and not seeded)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

BASIS = "发改投资〔2014〕2674号"
EFFECTIVE = dt.date(2014, 12, 1)
LIMITS = {
    "county-head": 30,
    "county-deputy": 24,
    "section-head": 18,
    "section-deputy": 12,
    "below-section": 9,
    "city-head": 42,
    "city-deputy": 30,
    "city-bureau-head": 24,
    "city-bureau-deputy": 18,
    "city-below-bureau": 9,
    "prov-head": 54,
    "prov-deputy": 42,
    "prov-dept-head": 30,
    "prov-dept-deputy": 24,
    "prov-division-head": 18,
    "prov-division-deputy": 12,
    "prov-below-division": 9,
    "central-minister": 54,
    "central-vice-minister": 42,
    "central-bureau-head": 24,
    "central-bureau-deputy": 18,
    "central-division": 12,
    "central-below-division": 9,
}


def seed(apps, schema_editor):
    Rank = apps.get_model("org", "Rank")
    AreaStandard = apps.get_model("space", "AreaStandard")
    for rank in Rank.objects.filter(code__in=LIMITS):
        AreaStandard.objects.get_or_create(
            rank=rank,
            effective_from=EFFECTIVE,
            defaults={"area_limit": Decimal(LIMITS[rank.code]), "basis": BASIS},
        )


def unseed(apps, schema_editor):
    AreaStandard = apps.get_model("space", "AreaStandard")
    AreaStandard.objects.filter(effective_from=EFFECTIVE, basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("space", "0001_initial"), ("org", "0002_seed_ranks")]
    operations = [migrations.RunPython(seed, unseed)]
