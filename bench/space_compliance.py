"""Office-space compliance at district scale: how long the 面积核定 page and the statistics
workbook take for ROOMS rooms and PEOPLE people (server side, no network).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/houqin_bench_space \\
        .venv/bin/python bench/space_compliance.py [ROOMS PEOPLE]

Drops and recreates nothing itself: run it on an empty, migrated database (the script
`bench/run_space_compliance.sh` does that). Writes rows with bulk_create (the services are
measured by the tests; here only the reads matter), then times each page RUNS times with
Django's test client and prints p50/p95 and the number of SQL statements.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from houqin.core.roles import Role  # noqa: E402
from houqin.org.models import OrgUnit, Person, Rank, RoleAssignment, User  # noqa: E402
from houqin.org.services import center_create, org_unit_create  # noqa: E402
from houqin.space.models import Allocation, Building, Floor, Occupancy, SpaceRoom  # noqa: E402

ROOMS, PEOPLE = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (1000, 3000)
AGENCIES = 40
RUNS = 20
START = dt.date(2021, 1, 1)


@transaction.atomic
def seed():
    center = center_create(actor=None, name="基准测试区机关后勤服务中心", code="BENCH-SPACE")
    agencies = [
        org_unit_create(
            actor=None, parent=center, kind=OrgUnit.Kind.AGENCY, name=f"基准局{i:02d}", code=f"B{i}"
        )
        for i in range(AGENCIES)
    ]
    ranks = list(Rank.objects.filter(organ_level="county").order_by("-seniority"))
    building = Building.objects.create(
        center=center, name="基准大楼", address="基准路 1 号", floor_area=Decimal("90000")
    )
    floors = Floor.objects.bulk_create(
        [Floor(building=building, level=n, name=f"{n}F") for n in range(1, 21)]
    )
    rooms = SpaceRoom.objects.bulk_create(
        [
            SpaceRoom(
                center=center,
                building=building,
                floor=floors[i % 20],
                number=f"{i % 20 + 1}{i // 20:03d}",
                usable_area=Decimal(9 + i % 20),
                use_kind="office" if i % 10 else "service",
                sub_use="office" if i % 10 else "meeting",
                capacity=4,
                status="occupied" if i % 25 else "idle",
            )
            for i in range(ROOMS)
        ]
    )
    held = [r for i, r in enumerate(rooms) if i % 25]
    Allocation.objects.bulk_create(
        [
            Allocation(center=center, room=r, agency=agencies[i % AGENCIES], start_date=START)
            for i, r in enumerate(held)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                center=center,
                agency=agencies[i % AGENCIES],
                name=f"职工{i}",
                gender="M",
                rank=ranks[min(i % 40, len(ranks) - 1)] if i % 40 < 4 else ranks[-1],
                phone=f"139{i:08d}",
            )
            for i in range(PEOPLE)
        ]
    )
    offices = {}
    for i, room in enumerate(held):
        if room.use_kind == "office":
            offices.setdefault(i % AGENCIES, []).append(room)
    seats, used = [], {}
    for i, person in enumerate(people):
        mine = offices.get(i % AGENCIES, [])
        for room in mine[used.get(i % AGENCIES, 0) // 4 :][:1]:
            seats.append(Occupancy(center=center, room=room, person=person, start_date=START))
            used[i % AGENCIES] = used.get(i % AGENCIES, 0) + 1
    Occupancy.objects.bulk_create(seats)
    user = User.objects.create_user(
        username="bench_space",
        center_id=center.pk,
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    RoleAssignment.objects.create(user=user, center=center, role=Role.SPACE_MANAGER)
    from houqin.core.roles import sync_role_groups

    sync_role_groups()
    return user, len(seats)


def measure(client, path):
    timings, statements = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        statements = len(queries.captured_queries)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statements


def main():
    settings.ALLOWED_HOSTS = ["*"]
    began = time.perf_counter()
    user, seated = seed()
    print(
        f"seeded {ROOMS} rooms, {PEOPLE} people ({seated} seated)"
        f" in {time.perf_counter() - began:.1f} s"
    )
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    for label, path in (
        ("面积核定 /space/", reverse("space:compliance")),
        ("房间台账 /space/rooms/", reverse("space:room_list")),
        ("年度统计表 xlsx", reverse("space:report_statistics") + "?year=2026"),
        ("内部公示 /space/reports/publication/", reverse("space:report_publication")),
    ):
        p50, p95, statements = measure(client, path)
        print(f"{label:<40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {statements} SQL")


if __name__ == "__main__":
    main()
