"""Seed a benchmark center for the ordering benchmark and write bench/var/pairs.txt.

Run with DJANGO_SETTINGS_MODULE=bench.settings (see run_canteen_orders.sh). Creates one center,
PEOPLE staff with API tokens and funded wallets (through the ledger service), MENUS published
future menus with 6 unlimited dishes each, and one line "token menu item" per (person, menu)
pair, interleaved so concurrent requests come from different people ordering the same meal
(the real peak: everyone orders tomorrow's lunch before 09:30).
"""

import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from houqin.canteen.models import Dish, MealSlot, Menu, MenuItem  # noqa: E402
from houqin.canteen.services import wallets  # noqa: E402
from houqin.core.roles import Role  # noqa: E402
from houqin.org.models import OrgUnit, Person, RoleAssignment  # noqa: E402
from houqin.org.services import center_create, org_unit_create  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 2000))
MENUS = int(os.environ.get("BENCH_MENUS", 16))
OUT = Path(__file__).resolve().parent / "var" / "pairs.txt"


def main():
    User = get_user_model()
    center = center_create(actor=None, name="基准测试机关后勤服务中心", code="BENCH")
    agency = org_unit_create(actor=None, parent=center, kind=OrgUnit.Kind.AGENCY, name="基准测试局")
    cashier_person = Person.objects.create(center=center, agency=agency, name="收银员", gender="F")
    cashier = User.objects.create_user(username="bench_cashier", center=center)
    cashier_person.user = cashier
    cashier_person.save()
    RoleAssignment.objects.create(user=cashier, center=center, role=Role.CANTEEN_MANAGER)

    users = User.objects.bulk_create(
        User(username=f"bench{i:05d}", center=center, password=make_password(None))
        for i in range(PEOPLE)
    )
    Person.objects.bulk_create(
        Person(center=center, agency=agency, name=f"职工{i:05d}", gender="M", user=u)
        for i, u in enumerate(users)
    )
    tokens = Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in users)
    cashier = User.objects.get(pk=cashier.pk)
    with transaction.atomic():
        wallets.wallet_subsidy_credit(
            actor=cashier, center=center, month=timezone.localdate(), amount=Decimal("1000.00")
        )
    for meal, start, end in (
        ("lunch", dt.time(11, 30), dt.time(13, 0)),
        ("dinner", dt.time(17, 30), dt.time(19, 0)),
    ):
        MealSlot.objects.create(
            center=center,
            meal=meal,
            serve_from=start,
            serve_until=end,
            cutoff_days_before=1,
            cutoff_time=dt.time(23, 0),
            order_days_ahead=31,
        )
    dishes = [
        Dish.objects.create(
            center=center, name=f"套餐{i}", category="set_meal", price=Decimal("12.00")
        )
        for i in range(6)
    ]
    menus, day = [], timezone.localdate() + dt.timedelta(days=2)
    while len(menus) < MENUS:
        for meal in ("lunch", "dinner"):
            menu = Menu.objects.create(
                center=center,
                date=day,
                meal=meal,
                status="published",
                published_at=timezone.now(),
                holiday_open=True,
            )
            MenuItem.objects.bulk_create(
                MenuItem(center=center, menu=menu, dish=d, price=d.price, sort=i)
                for i, d in enumerate(dishes)
            )
            menus.append(menu)
        day += dt.timedelta(days=1)
    items = {m.pk: list(m.items.order_by("sort").values_list("pk", flat=True)) for m in menus}
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w") as out:
        for menu in menus[:MENUS]:
            for i, token in enumerate(tokens):
                out.write(f"{token.key} {menu.pk} {items[menu.pk][i % 6]}\n")
    print(f"seeded {PEOPLE} people, {MENUS} menus → {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
