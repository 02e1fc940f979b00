"""Seed the apps a stopped seed_scale run did not reach, into its existing center.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/http_seed_missing.py space,vendors,activities

seed_scale commits app by app and refuses to run again once its centers exist; when a run
stops part-way (an app's scale module failed), this rebuilds the run's context from the
database (the center, its sections, agencies, people and role logins) and calls the missing
apps' scale.seed() as seed_scale would. The random stream differs from an unbroken run.
"""

import importlib
import random
import sys

import django

django.setup()

from django.db import transaction  # noqa: E402

from houqin.core.scale import ScaleContext  # noqa: E402
from houqin.org.management.commands.seed_scale import ACCOUNTS, PACKAGES  # noqa: E402
from houqin.org.models import OrgUnit, Person, User  # noqa: E402


def context(index=1, staff=3000, year=2025):
    center = OrgUnit.objects.get(kind=OrgUnit.Kind.CENTER, code=f"SCALE-{index}")
    ctx = ScaleContext(center=center, year=year, staff=staff, rng=random.Random(2025 + index))  # noqa: S311
    units = OrgUnit.objects.get_children(center)
    ctx.center_sections = {u.code: u for u in units.filter(kind=OrgUnit.Kind.SECTION)}
    ctx.agencies = list(units.filter(kind=OrgUnit.Kind.AGENCY).order_by("code"))
    ctx.people = list(
        Person.objects.filter(center=center, agency__in=ctx.agencies, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    ctx.accounts = {
        suffix: User.objects.get(username=f"s{index}{suffix}") for suffix, _, _ in ACCOUNTS
    }
    ctx.write = print
    return ctx


def main():
    ctx = context()
    for app in sys.argv[1].split(","):
        module = importlib.import_module(f"{PACKAGES.get(app, 'houqin.' + app)}.scale")
        with transaction.atomic():
            rows = module.seed(ctx)
        print(f"{app}: {rows or 0} rows")


if __name__ == "__main__":
    main()
