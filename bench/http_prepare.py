"""Prepare the HTTP benchmark (bench/run_http.sh) on a database seeded by seed_scale.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/http_prepare.py OUT_DIR [--writes]

Writes into OUT_DIR:
  sessions/<login>.txt   32 session cookies of that scale login (one per line): read pages are
                         requested as a logged-in user, each wrk connection with its own session,
                         because every request saves its session row (sliding expiry) and 32
                         clients of one session would queue on that row.
  reads.tsv              "name<TAB>login<TAB>path" of the read pages to measure.
With --writes also, one request per line ("token<TAB>path<TAB>json body"):
  order.txt     a meal order: a distinct (person, menu) pair, as bench/seed_canteen.py does;
  booking.txt   a room booking: a distinct (room, hour) slot, consecutive lines on different
                rooms, so bookings never conflict and never queue on one room's row lock;
  trip.txt      a car request by a distinct person;
  fault.txt     a fault report (maintenance work order).
Lines never repeat an earlier run's pair or slot, so the script may run again on the same
database (BENCH_REUSE=1). Staff get API tokens and, through the subsidy service, 1,000 元.
"""

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from houqin.canteen.models import (  # noqa: E402
    Dish,
    LedgerEntry,
    MealOrder,
    MealSlot,
    Menu,
    MenuItem,
    Wallet,
)
from houqin.canteen.services import wallets  # noqa: E402
from houqin.core.roles import Role  # noqa: E402
from houqin.maintenance.models import Category  # noqa: E402
from houqin.meetings.models import Booking, Room  # noqa: E402
from houqin.org.models import OrgUnit  # noqa: E402

CENTER = "SCALE-1"
STAFF_TOKENS = 3000  # staff who write: every one of a 3,000-staff center
LINES = 30000  # per write endpoint: ~60 s at 500 req/s
SESSIONS = 32  # one per wrk connection
# Read pages: (name, login, path). Dates are in the seeded year (2025); the dashboard is asked
# for that year too, so its year figures run over a full year of records.
READS = [
    ("meetings_grid", "s1meeting", "/meetings/?date={day}"),
    ("meetings_grid_week", "s1meeting", "/meetings/?view=week&date={day}"),
    ("fleet_board", "s1dispatcher", "/fleet/board/?date={day}"),
    # Without dates the list opens on the 31 days before today (2026 here, no seeded orders):
    # ask for the same window before the seeded day instead.
    ("canteen_orders", "s1canteen", "/canteen/manage/orders/?date_from={month_ago}&date_to={day}"),
    ("space_compliance", "s1space", "/space/"),
    ("dashboard", "s1leader", "/reports/?year={year}"),
]


def sessions(out, logins):
    User = get_user_model()
    folder = out / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    for login in logins:
        user = User.objects.get(username=login)
        cookies = []
        for _ in range(SESSIONS):
            client = Client()
            client.force_login(user)
            cookies.append(client.cookies["sessionid"].value)
        (folder / f"{login}.txt").write_text("".join(f"sessionid={c}\n" for c in cookies))


def staff_tokens(center):
    User = get_user_model()
    # Plain staff: an agency leader's own car request has no approver but themself (a 400).
    users = list(
        User.objects.filter(center=center, username__startswith="s1u", person__isnull=False)
        .exclude(role_assignments__role__in=[Role.AGENCY_LEADER, Role.DRIVER, Role.TECHNICIAN])
        .select_related("person")
        .order_by("pk")[:STAFF_TOKENS]
    )
    have = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    Token.objects.bulk_create(
        Token(user=u, key=Token.generate_key()) for u in users if u.pk not in have
    )
    keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    return [(u, keys[u.pk]) for u in users]


def fund(center, staff):
    """1,000 元 to every writer through the subsidy service (keyed by month: a new month a run)."""
    people = [u.person for u, _ in staff]
    funded = Wallet.objects.filter(person__in=people, balance__gte=Decimal("500.00")).count()
    if funded == len(people):  # a run before funded them: a run spends at most ~200 元 each
        return
    User = get_user_model()
    cashier = User.objects.get(username="s1canteen")
    month = timezone.localdate().replace(day=1)
    for _ in range(240):
        key = wallets.subsidy_key(month)
        if not LedgerEntry.objects.filter(center=center, idempotency_key=key).exists():
            break
        month = (month + dt.timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        wallets.wallet_subsidy_credit(
            actor=cashier,
            center=center,
            month=month,
            amount=Decimal("1000.00"),
            people=people,
        )


def order_lines(center, staff):
    slots = {s.meal: s for s in MealSlot.objects.filter(center=center, is_active=True)}
    meals = [m for m in ("lunch", "dinner") if m in slots]
    ahead = min(slots[m].order_days_ahead for m in meals)
    dishes = []
    for i in range(6):
        dish, _ = Dish.objects.get_or_create(
            center=center,
            name=f"基准套餐{i}",
            defaults={"category": "set_meal", "price": Decimal("12.00")},
        )
        dishes.append(dish)
    menus = []
    today = timezone.localdate()
    for n in range(2, ahead + 1):
        for meal in meals:
            menu, created = Menu.objects.get_or_create(
                center=center,
                date=today + dt.timedelta(days=n),
                meal=meal,
                defaults={
                    "status": "published",
                    "published_at": timezone.now(),
                    "holiday_open": True,
                },
            )
            if created:
                MenuItem.objects.bulk_create(
                    MenuItem(center=center, menu=menu, dish=d, price=d.price, sort=i)
                    for i, d in enumerate(dishes)
                )
            if menu.status == "published":
                menus.append(menu)
    taken = set(
        MealOrder.objects.filter(menu__in=menus).values_list("person_id", "menu_id").distinct()
    )
    lines = []
    for menu in menus:
        items = list(menu.items.order_by("sort").values_list("pk", flat=True))
        for i, (user, token) in enumerate(staff):
            if (user.person.pk, menu.pk) in taken or not items:
                continue
            body = {"menu": menu.pk, "items": [{"item": items[i % len(items)], "quantity": 1}]}
            lines.append((token, "/api/v1/canteen/orders/", body))
    return lines[:LINES]


def booking_lines(center, staff):
    rooms = list(
        Room.objects.filter(
            center=center,
            is_active=True,
            requires_approval=False,
            bookable_by=Room.BookableBy.STAFF,
        ).order_by("pk")
    )
    latest = Booking.objects.filter(center=center).aggregate(m=Max("ends_at"))["m"]
    day = max(timezone.localdate(), timezone.localdate(latest) if latest else dt.date.min)
    day += dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    lines = []
    while len(lines) < LINES and rooms:
        # Hour slots of this day, room by room interleaved (different rooms on adjacent lines).
        slots = []
        for room in rooms:
            hour = room.open_from.hour + (1 if room.open_from.minute else 0)
            while dt.time(hour + 1) <= room.open_until and hour + 1 < 24:
                slots.append((hour, room))
                hour += 1
        slots.sort(key=lambda s: (s[0], s[1].pk))
        for hour, room in slots:
            _user, token = staff[len(lines) % len(staff)]
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
            body = {
                "room": room.pk,
                "title": "基准测试会议",
                "starts_at": start.isoformat(),
                "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
                "attendees_expected": max(1, min(room.capacity, 8)),
            }
            lines.append((token, "/api/v1/meeting-bookings/", body))
        day += dt.timedelta(days=1)
    return lines[:LINES]


def trip_lines(staff):
    tz = timezone.get_current_timezone()
    first = timezone.localdate() + dt.timedelta(days=3)
    lines = []
    for n in range(LINES):
        _user, token = staff[n % len(staff)]
        start = dt.datetime.combine(
            first + dt.timedelta(days=n // len(staff)), dt.time(8 + n % 9), tzinfo=tz
        )
        body = {
            "purpose": "基准测试：赴市里参加工作会议",
            "origin": "区政府大院",
            "destination": "市政府",
            "passengers": 1 + n % 4,
            "departs_at": start.isoformat(),
            "returns_at": (start + dt.timedelta(hours=2)).isoformat(),
        }
        lines.append((token, "/api/v1/trip-requests/", body))
    return lines


def fault_lines(staff):
    categories = list(Category.values)
    lines = []
    for n in range(LINES):
        _user, token = staff[n % len(staff)]
        body = {
            "category": categories[n % len(categories)],
            "description": "基准测试：办公室灯管不亮",
            "location_text": f"{1 + n % 5}号楼{100 + n % 30}室",
        }
        lines.append((token, "/api/v1/maintenance/work-orders/", body))
    return lines


def write(path, lines):
    with path.open("w") as out:
        for token, url, body in lines:
            out.write(f"{token}\t{url}\t{json.dumps(body, ensure_ascii=False)}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--writes", action="store_true")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--day", default="2025-11-19", help="a workday of the seeded year")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    center = OrgUnit.objects.get(kind=OrgUnit.Kind.CENTER, code=CENTER)
    sessions(args.out, sorted({login for _, login, _ in READS}))
    with (args.out / "reads.tsv").open("w") as out:
        for name, login, path in READS:
            month_ago = dt.date.fromisoformat(args.day) - dt.timedelta(days=31)
            url = path.format(day=args.day, year=args.year, month_ago=month_ago.isoformat())
            out.write(f"{name}\t{login}\t{url}\n")
    if args.writes:
        staff = staff_tokens(center)
        fund(center, staff)
        for name, lines in (
            ("order", order_lines(center, staff)),
            ("booking", booking_lines(center, staff)),
            ("trip", trip_lines(staff)),
            ("fault", fault_lines(staff)),
        ):
            write(args.out / f"{name}.txt", lines)
            print(f"{name}: {len(lines)} requests", file=sys.stderr)


if __name__ == "__main__":
    main()
