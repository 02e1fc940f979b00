"""The area-standard rules of issue 8 (DOMAIN.md §1), on the compliance report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.org.models import Person
from houqin.org.services import person_set_status
from houqin.space.compliance import compliance, standards_on
from houqin.space.models import AreaStandard, SubUse
from houqin.space.services.allocation import allocation_create, occupancy_add, occupancy_end

from .conftest import D, rank

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)


def office(make_room, agency, area, capacity=1):
    room = make_room(area=area, capacity=capacity)
    allocation_create(actor=None, room=room, agency=agency, start_date=START)
    return room


def seat(room, *people, day=START):
    for person in people:
        occupancy_add(actor=None, room=room, person=person, start_date=day)


def person_row(report, person):
    return next(row for row in report.people if row.person.pk == person.pk)


def test_seeded_2014_county_standards():
    limits = standards_on(D)
    assert limits[rank("county-head").pk] == Decimal("30.00")
    assert limits[rank("county-deputy").pk] == Decimal("24.00")
    assert limits[rank("section-head").pk] == Decimal("18.00")
    assert limits[rank("section-deputy").pk] == Decimal("12.00")
    assert limits[rank("below-section").pk] == Decimal("9.00")


def test_county_head_alone_in_30_is_compliant(center_a, agency_x, make_room, make_person):
    head = make_person(agency_x, "county-head")
    seat(office(make_room, agency_x, "30.00"), head)
    row = person_row(compliance(center_a.pk, D, today=D), head)
    assert row.area == Decimal("30.00")
    assert row.limit == Decimal("30.00")
    assert row.excess == 0 and not row.is_over


def test_county_head_alone_in_31_is_one_over(center_a, agency_x, make_room, make_person):
    head = make_person(agency_x, "county-head")
    seat(office(make_room, agency_x, "31.00"), head)
    report = compliance(center_a.pk, D, today=D)
    assert person_row(report, head).excess == Decimal("1.00")
    assert [r.person for r in report.people_over] == [head]


def test_two_clerks_sharing_18_are_compliant(center_a, agency_x, make_room, make_person):
    a, b = make_person(agency_x), make_person(agency_x)
    seat(office(make_room, agency_x, "18.00", capacity=2), a, b)
    report = compliance(center_a.pk, D, today=D)
    assert [person_row(report, p).area for p in (a, b)] == [Decimal("9.00")] * 2
    assert report.people_over == []


def test_three_clerks_sharing_30_are_3_over_in_total(center_a, agency_x, make_room, make_person):
    people = [make_person(agency_x) for _ in range(3)]
    seat(office(make_room, agency_x, "30.00", capacity=3), *people)
    report = compliance(center_a.pk, D, today=D)
    assert [person_row(report, p).excess for p in people] == [Decimal("1.00")] * 3
    assert report.people_excess == Decimal("3.00")


def test_two_offices_add_up(center_a, agency_x, make_room, make_person):
    """A person with a second office is judged on both (中办发〔2017〕70号)."""
    deputy = make_person(agency_x, "county-deputy")
    seat(office(make_room, agency_x, "20.00"), deputy)
    seat(office(make_room, agency_x, "10.00"), deputy)
    row = person_row(compliance(center_a.pk, D, today=D), deputy)
    assert row.area == Decimal("30.00") and row.excess == Decimal("6.00")


def test_agency_entitlement_sums_its_people_ranks(
    center_a, agency_x, agency_y, make_room, make_person
):
    make_person(agency_x, "county-head")  # 30
    make_person(agency_x, "section-head")  # 18
    make_person(agency_x)  # 9
    make_person(agency_x)  # 9
    make_person(agency_x, status=Person.Status.RETIRED, status_date=dt.date(2025, 1, 1))
    make_person(agency_y, "county-head")
    office(make_room, agency_x, "60.00")
    office(make_room, agency_x, "10.00")
    make_room(area="50.00", sub_use=SubUse.MEETING)  # not an office: never counted
    report = compliance(center_a.pk, D, today=D)
    row = next(r for r in report.agencies if r.agency == agency_x)
    # The fixture's own staff of agency_x (below-section each) count too.
    extra = Person.objects.filter(agency=agency_x, status="active").count() - 4
    assert row.entitlement == Decimal("66.00") + 9 * extra
    assert row.office_area == Decimal("70.00")
    assert row.excess == max(Decimal("0.00"), Decimal("70.00") - row.entitlement)


def test_agency_over_its_entitlement(center_a, agency_y, make_room, make_person):
    make_person(agency_y, "section-head")
    office(make_room, agency_y, "25.50")
    report = compliance(center_a.pk, D, today=D)
    row = next(r for r in report.agencies if r.agency == agency_y)
    assert row.entitlement == Decimal("18.00")
    assert row.excess == Decimal("7.50")
    assert row in report.agencies_over


def test_effective_dated_standards_apply_by_date(center_a, agency_x, make_room, make_person):
    clerk = make_person(agency_x)
    seat(office(make_room, agency_x, "10.00"), clerk)
    AreaStandard.objects.create(
        rank=rank("below-section"), area_limit=Decimal("12.00"), effective_from=dt.date(2026, 7, 1)
    )
    before = person_row(compliance(center_a.pk, dt.date(2026, 6, 30), today=D), clerk)
    after = person_row(compliance(center_a.pk, dt.date(2026, 7, 1), today=D), clerk)
    assert (before.limit, before.excess) == (Decimal("9.00"), Decimal("1.00"))
    assert (after.limit, after.excess) == (Decimal("12.00"), Decimal("0.00"))


def test_history_answers_a_past_day(center_a, agency_x, make_room, make_person):
    a, b = make_person(agency_x), make_person(agency_x)
    room = office(make_room, agency_x, "18.00", capacity=2)
    seat(room, a, b)
    occupancy_end(actor=None, occupancy=b.occupancies.get(), end_date=dt.date(2026, 6, 1))
    then = person_row(compliance(center_a.pk, dt.date(2026, 5, 31), today=D), a)
    now = person_row(compliance(center_a.pk, D, today=D), a)
    assert then.area == Decimal("9.00") and then.seats[0].occupants == 2
    assert now.area == Decimal("18.00") and now.excess == Decimal("9.00")


def test_idle_rooms_listed(center_a, agency_x, make_room):
    idle = make_room(area="15.00")
    office(make_room, agency_x, "20.00")
    report = compliance(center_a.pk, D, today=D)
    assert report.idle_rooms == [idle]
    assert report.idle_area == Decimal("15.00")


def test_departed_person_office_flagged_after_one_month(
    center_a, agency_x, make_room, make_person, admin_a
):
    clerk = make_person(agency_x)
    seat(office(make_room, agency_x, "9.00"), clerk)
    person_set_status(
        actor=admin_a, person=clerk, status=Person.Status.TRANSFERRED, date=dt.date(2026, 10, 20)
    )
    within = compliance(center_a.pk, today=dt.date(2026, 11, 19))
    assert [u.occupancy.person for u in within.unreturned] == [clerk]
    assert within.overdue == []
    assert within.unreturned[0].due == dt.date(2026, 11, 20)
    after = compliance(center_a.pk, today=dt.date(2026, 11, 20))
    assert [u.occupancy.person for u in after.overdue] == [clerk]
    occupancy_end(actor=None, occupancy=clerk.occupancies.get(), end_date=dt.date(2026, 11, 21))
    assert compliance(center_a.pk, today=dt.date(2026, 11, 21)).unreturned == []


def test_agency_view_limited_to_own_agency(center_a, agency_x, agency_y, make_room, make_person):
    x, y = make_person(agency_x), make_person(agency_y)
    seat(office(make_room, agency_x, "9.00"), x)
    seat(office(make_room, agency_y, "9.00"), y)
    report = compliance(center_a.pk, D, agency=agency_x, today=D)
    assert [r.agency for r in report.agencies] == [agency_x]
    assert [r.person for r in report.people] == [x]
    assert report.idle_rooms == []


def test_constant_queries_for_300_rooms_and_1000_people(center_a, agency_x, agency_y, make_room):
    """The report reads a fixed number of queries whatever the size of the estate."""
    from houqin.space.models import Allocation, Occupancy, SpaceRoom

    sample = make_room(area="9.00")

    def build(rooms, people, prefix):
        made = SpaceRoom.objects.bulk_create(
            [
                SpaceRoom(
                    center=center_a,
                    building=sample.building,
                    floor=sample.floor,
                    number=f"{prefix}{i}",
                    usable_area=Decimal("18.00"),
                    use_kind="office",
                    sub_use="office",
                    capacity=4,
                    status="occupied",
                )
                for i in range(rooms)
            ]
        )
        Allocation.objects.bulk_create(
            [Allocation(center=center_a, room=r, agency=agency_x, start_date=START) for r in made]
        )
        staff = Person.objects.bulk_create(
            [
                Person(
                    center=center_a,
                    agency=agency_x,
                    name=f"{prefix}人{i}",
                    gender="M",
                    rank=rank("below-section"),
                )
                for i in range(people)
            ]
        )
        Occupancy.objects.bulk_create(
            [
                Occupancy(center=center_a, room=made[i % rooms], person=p, start_date=START)
                for i, p in enumerate(staff)
            ]
        )

    build(3, 10, "S")
    with CaptureQueriesContext(connection) as small:
        compliance(center_a.pk, D, today=D)
    build(300, 1000, "L")
    with CaptureQueriesContext(connection) as large:
        report = compliance(center_a.pk, D, today=D)
    assert len(report.people) == 1010
    assert len(large.captured_queries) == len(small.captured_queries) <= 9
