"""The data builders of the compliance pages and the annual reports (reporting.py) on a small
estate made with the services, and their fixed query counts. The `estate` fixture and the
grow() helper are shared with the view tests."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.org.models import Person
from houqin.org.services import person_set_status
from houqin.org.tests.factories import PersonFactory, make_unit
from houqin.space import reporting
from houqin.space.models import (
    Allocation,
    Lease,
    Occupancy,
    OwnershipRecord,
    SpaceRoom,
    SubUse,
    UseKind,
)
from houqin.space.services.allocation import (
    allocation_create,
    allocation_vacate,
    occupancy_add,
)

from .conftest import rank

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 1)
TODAY = dt.date(2026, 11, 25)
YEAR_END = dt.date(2025, 12, 31)


def office(make_room, agency, area, *, start=START, **kwargs):
    room = make_room(area=area, **kwargs)
    allocation_create(actor=None, room=room, agency=agency, start_date=start)
    return room


def seat(room, *people, day=START):
    for person in people:
        occupancy_add(actor=None, room=room, person=person, start_date=day)


class Estate:
    """Handles on the objects of the small estate, for assertions."""


def make_estate(center, agency_y, building, make_room, make_person):
    """审计局: a county head alone in 31 ㎡ (1 over), a 副科 and a clerk sharing 21 ㎡ (10.50
    each: the clerk 1.50 over), a 40 ㎡ meeting room and a 12 ㎡ pump room; entitlement 51,
    office area 52 (1 over). 教育局: a 正科 in 18 ㎡ (compliant). One idle 15 ㎡ office."""
    e = Estate()
    e.agency = audit_office = make_unit(center, "甲区审计局", short_name="审计局", code="S")
    e.other = agency_y
    e.head = make_person(audit_office, "county-head", name="张局长")
    e.deputy = make_person(audit_office, "section-deputy", name="王副科")
    e.clerk = make_person(audit_office, name="李科员")
    e.teacher = make_person(agency_y, "section-head", name="赵科长")
    e.r301 = office(make_room, audit_office, "31.00", number="301", level=3)
    e.r302 = office(make_room, audit_office, "21.00", number="302", level=3, capacity=2)
    e.r303 = office(make_room, audit_office, "40.00", number="303", level=3, sub_use=SubUse.MEETING)
    e.pump = office(make_room, audit_office, "12.00", number="B101", level=-1, sub_use=SubUse.PUMP)
    e.r201 = office(make_room, agency_y, "18.00", number="201", level=2)
    e.idle = make_room(area="15.00", number="304", level=3)
    seat(e.r301, e.head)
    seat(e.r302, e.deputy, e.clerk)
    seat(e.r201, e.teacher)
    e.building = building
    return e


@pytest.fixture
def estate(center_a, agency_y, building_a, make_room, make_person):
    return make_estate(center_a, agency_y, building_a, make_room, make_person)


def grow(center, agency, building, n, prefix):
    """n office rooms held by `agency`, each shared by two people (one of every five with no
    rank), plus n people who left with their office not handed back and n idle rooms."""
    floor = building.floors.get(level=1)

    def room(i, kind):
        return SpaceRoom(
            center=center,
            building=building,
            floor=floor,
            number=f"{prefix}{kind}{i}",
            usable_area=Decimal("18.00"),
            use_kind="office",
            sub_use="office",
            capacity=4,
            status="occupied" if kind == "o" else "idle",
        )

    rooms = SpaceRoom.objects.bulk_create([room(i, "o") for i in range(n)])
    SpaceRoom.objects.bulk_create([room(i, "i") for i in range(n)])
    Allocation.objects.bulk_create(
        [Allocation(center=center, room=r, agency=agency, start_date=START) for r in rooms]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                center=center,
                agency=agency,
                name=f"{prefix}人{i}",
                gender="M",
                rank=None if i % 5 == 0 else rank("section-deputy"),
            )
            for i in range(2 * n)
        ]
        + [
            Person(
                center=center,
                agency=agency,
                name=f"{prefix}离{i}",
                gender="F",
                rank=rank("below-section"),
                status=Person.Status.RETIRED,
                status_date=dt.date(2026, 1, 1),
            )
            for i in range(n)
        ]
    )
    Occupancy.objects.bulk_create(
        [
            Occupancy(center=center, room=rooms[i % n], person=p, start_date=START)
            for i, p in enumerate(people)
        ]
    )


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# ------------------------------------------------------------------ compliance page


def test_compliance_page_lines(center_a, estate):
    page = reporting.compliance_page(center_a.pk, TODAY, today=TODAY)
    line = next(a for a in page.agencies if a.agency == estate.agency)
    assert (line.row.entitlement, line.office, line.service, line.equipment) == (
        Decimal("51.00"),
        Decimal("52.00"),
        Decimal("40.00"),
        Decimal("12.00"),
    )
    assert line.row.excess == Decimal("1.00") and line.total == Decimal("104.00")
    over = {row.person.name: row.excess for row in page.report.people_over}
    assert over == {"张局长": Decimal("1.00"), "李科员": Decimal("1.50")}
    # Ranks are attached: reading them costs nothing.
    assert count_queries(lambda: [r.person.rank.name for r in page.report.people]) == 0


def test_unranked_and_unreturned(center_a, estate, admin_a, make_person):
    nobody = PersonFactory(agency=estate.agency, name="无职级", rank=None)
    person_set_status(
        actor=admin_a, person=estate.clerk, status=Person.Status.RETIRED, date=dt.date(2026, 9, 1)
    )
    page = reporting.compliance_page(center_a.pk, TODAY, today=TODAY)
    assert nobody in page.unranked and estate.clerk not in page.unranked
    [line] = page.unreturned
    assert line.item.occupancy.person == estate.clerk and line.item.overdue
    assert line.agency == estate.agency
    assert count_queries(lambda: [p.agency.name for p in page.unranked]) == 0


def test_liaison_scope_limits_everything(center_a, estate):
    page = reporting.compliance_page(center_a.pk, TODAY, agency=estate.other, today=TODAY)
    assert [a.agency for a in page.agencies] == [estate.other]
    assert [r.person for r in page.report.people] == [estate.teacher]
    assert page.report.idle_rooms == []
    assert all(p.agency == estate.other for p in page.unranked)


# ------------------------------------------------------------------ agency detail


def test_agency_detail(center_a, estate, make_person, admin_a):
    make_person(estate.agency, "section-head", name="新同志")
    person_set_status(
        actor=admin_a, person=estate.clerk, status=Person.Status.TRANSFERRED, date=TODAY
    )
    detail = reporting.agency_detail(center_a.pk, estate.agency, TODAY, today=TODAY)
    rooms = {line.room.number: [p.person.name for p, _s in line.people] for line in detail.rooms}
    assert rooms == {
        "301": ["张局长"],
        "302": ["王副科", "李科员"],
        "303": [],
        "B101": [],
    }
    people = {p.person.name: (p.limit, p.area, p.excess) for p in detail.people}
    assert people["新同志"] == (Decimal("18.00"), Decimal("0.00"), Decimal("0.00"))
    assert people["张局长"] == (Decimal("30.00"), Decimal("31.00"), Decimal("1.00"))
    assert "李科员" not in people  # left today: no longer in post
    assert [r.person for r in detail.departed] == [estate.clerk]
    # 51 - 9 (the clerk left) + 18 (the newcomer)
    assert detail.line.row.entitlement == Decimal("60.00")


def test_agency_detail_of_an_agency_without_rooms(center_a, agency_x):
    detail = reporting.agency_detail(center_a.pk, agency_x, TODAY, today=TODAY)
    assert detail.rooms == [] and detail.line.office == 0


# ------------------------------------------------------------------ publication


def test_publication_lists_office_rooms_with_people(center_a, estate):
    pub = reporting.publication(center_a.pk, 2026, TODAY, today=TODAY)
    assert [item.agency for item in pub.agencies] == [estate.other, estate.agency]
    audit = pub.agencies[1]
    assert [line.room.number for line in audit.rooms] == ["301", "302"]  # offices only
    shared = audit.rooms[1]
    assert shared.occupants == 2
    assert [(row.person.name, seat.share) for row, seat in shared.people] == [
        ("王副科", Decimal("10.50")),
        ("李科员", Decimal("10.50")),
    ]


def test_publication_of_a_past_year(center_a, estate, make_room):
    late = office(make_room, estate.other, "20.00", start=dt.date(2026, 3, 1), number="202")
    allocation_vacate(actor=None, room=estate.r301, end_date=dt.date(2026, 2, 1))
    pub = reporting.publication(center_a.pk, 2025, YEAR_END, today=TODAY)
    numbers = [line.room.number for item in pub.agencies for line in item.rooms]
    assert "301" in numbers and late.number not in numbers


# ------------------------------------------------------------------ statistics


def lease(center, agency, **kwargs):
    data = {
        "lessor": "某物业公司",
        "address": "XX路 8 号",
        "area": Decimal("300.00"),
        "annual_rent": Decimal("120000.00"),
        "start_date": dt.date(2023, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "agency": agency,
    }
    return Lease.objects.create(center=center, **{**data, **kwargs})


def test_statistics_figures(center_a, estate):
    OwnershipRecord.objects.create(
        center=center_a,
        building=estate.building,
        status=OwnershipRecord.Status.REGISTERED,
        certificate_no="不动产权第 001 号",
        certificate_date=dt.date(2020, 5, 1),
    )
    active = lease(center_a, estate.agency)
    gone = lease(
        center_a,
        estate.other,
        lessor="旧房东",
        status="vacated",
        vacated_on=dt.date(2025, 6, 30),
        annual_saving=Decimal("80000.00"),
    )
    lease(center_a, None, status="vacated", vacated_on=dt.date(2024, 6, 30), annual_saving=1)
    lease(center_a, None, start_date=dt.date(2026, 1, 5))  # after the report day
    stats = reporting.statistics(center_a.pk, 2025, YEAR_END, today=TODAY)

    assert {(line.lease, line.active) for line in stats.leases} == {(active, True), (gone, False)}
    assert stats.leased_area == Decimal("300.00")
    assert stats.annual_saving == Decimal("80000.00")

    audit = next(a for a in stats.agencies if a.agency == estate.agency)
    assert audit.leased == Decimal("300.00")
    counts = audit.row.counts_by_rank
    assert counts[rank("county-head").pk] == 1 and counts[rank("section-deputy").pk] == 1
    assert [r.code for r in stats.ranks] == [
        "county-head",
        "county-deputy",
        "section-head",
        "section-deputy",
        "below-section",
    ]

    [building] = stats.buildings
    assert building.areas == {
        UseKind.OFFICE: Decimal("85.00"),
        UseKind.SERVICE: Decimal("40.00"),
        UseKind.EQUIPMENT: Decimal("12.00"),
        UseKind.AUXILIARY: Decimal("0"),
    }
    assert building.usable_area == Decimal("137.00")
    assert (building.rooms, building.occupied, building.idle) == (6, 5, 1)
    assert (building.occupied_area, building.idle_area) == (Decimal("122.00"), Decimal("15.00"))
    assert building.record.certificate_no == "不动产权第 001 号"


def test_statistics_rank_columns_add_other_levels_present(center_a, estate, make_person):
    make_person(estate.agency, "city-bureau-head")
    stats = reporting.statistics(center_a.pk, 2026, TODAY, today=TODAY)
    assert [r.code for r in stats.ranks][-1] == "city-bureau-head"


def test_builders_read_a_fixed_number_of_queries(center_a, agency_x, building_a):
    grow(center_a, agency_x, building_a, 3, "S")
    calls = {
        "page": lambda: reporting.compliance_page(center_a.pk, TODAY, today=TODAY),
        "agency": lambda: reporting.agency_detail(center_a.pk, agency_x, TODAY, today=TODAY),
        "publication": lambda: reporting.publication(center_a.pk, 2026, TODAY, today=TODAY),
        "statistics": lambda: reporting.statistics(center_a.pk, 2026, TODAY, today=TODAY),
    }
    small = {name: count_queries(fn) for name, fn in calls.items()}
    grow(center_a, agency_x, building_a, 30, "L")
    large = {name: count_queries(fn) for name, fn in calls.items()}
    assert small == large
    assert max(large.values()) <= 14  # compliance: 9 queries (buildings, floors shared)
