"""Seed the standard-coal conversion factors of GB/T 2589 (DOMAIN.md §3). Configuration: a
later or local factor is a new row with its own effective date. Gasoline and diesel are metered
in litres, so their factor is per kg with a density (kg/L); the others are per metered unit."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

EFFECTIVE = dt.date(2020, 1, 1)
BASIS = "GB/T 2589"
FACTORS = [
    # kind, kgce per unit (or per kg with density), density kg per metered unit
    ("electricity", "0.1229", None),
    ("natural_gas", "1.2143", None),
    ("gasoline", "1.4714", "0.73"),
    ("diesel", "1.4571", "0.86"),
    ("kerosene", "1.4714", None),
    ("lpg", "1.7143", None),
    ("coal", "0.7143", None),
    ("heat", "0.03412", None),
]


def seed(apps, schema_editor):
    EnergyFactor = apps.get_model("energy", "EnergyFactor")
    for kind, factor, density in FACTORS:
        EnergyFactor.objects.get_or_create(
            kind=kind,
            effective_from=EFFECTIVE,
            defaults={
                "factor": Decimal(factor),
                "density": Decimal(density) if density else None,
                "basis": BASIS,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("energy", "EnergyFactor").objects.filter(
        effective_from=EFFECTIVE, basis=BASIS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("energy", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
