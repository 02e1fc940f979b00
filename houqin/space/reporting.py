"""Data of the compliance pages and the annual reports, built on compliance.compliance().

Views stay thin: they parse the day or year, call one builder here and render (HTML or xlsx).
Every builder reads a fixed number of queries whatever the size of the estate: the
compliance report (7) plus at most a handful of whole-center reads, joined in Python. The
person objects of the report come from its occupancy query, which does not join the rank;
attach_ranks() fills it from one read of the (few dozen) ranks so templates never query per
row.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from houqin.org.models import OrganLevel, Person, Rank

from .compliance import (
    ZERO,
    AgencyRow,
    PersonRow,
    Report,
    Seat,
    Unreturned,
    compliance,
    in_post_on,
    standards_on,
)
from .models import Building, Lease, SpaceRoom, UseKind

KINDS = [UseKind.OFFICE, UseKind.SERVICE, UseKind.EQUIPMENT, UseKind.AUXILIARY]


def room_sort_key(room):
    return (room.building.code, room.building.name, room.number, room.pk)


def attach_ranks(report: Report) -> dict[int, Rank]:
    """Give every person of the report their rank without a query per person."""
    ranks = {rank.pk: rank for rank in Rank.objects.all()}
    people = [row.person for row in report.people]
    people += [u.occupancy.person for u in report.unreturned]
    people += list(report.unranked_people)
    for person in people:
        person.rank = ranks.get(person.rank_id)
    return ranks


# ------------------------------------------------------------------ per agency


@dataclass
class AgencyLine:
    """An AgencyRow with its areas by kind worked out for templates and sheets."""

    row: AgencyRow
    areas: dict = field(default_factory=dict)
    leased: Decimal = ZERO

    @classmethod
    def of(cls, row: AgencyRow, leased=ZERO):
        return cls(row=row, areas={k: row.area_of(k) for k in KINDS}, leased=leased)

    @property
    def agency(self):
        return self.row.agency

    @property
    def office(self):
        return self.areas[UseKind.OFFICE]

    @property
    def service(self):
        return self.areas[UseKind.SERVICE]

    @property
    def equipment(self):
        return self.areas[UseKind.EQUIPMENT]

    @property
    def auxiliary(self):
        return self.areas[UseKind.AUXILIARY]

    @property
    def total(self):
        return sum(self.areas.values(), ZERO)


@dataclass
class RoomLine:
    """A room and the people in it that day, with their share of it."""

    room: SpaceRoom
    people: list[tuple[PersonRow, Seat]] = field(default_factory=list)

    @property
    def occupants(self):
        return len(self.people)


def room_lines(report: Report, rooms) -> list[RoomLine]:
    """`rooms` with their people (from the report's seats), sorted by building and number."""
    lines = {room.pk: RoomLine(room) for room in rooms}
    for row in report.people:
        for seat in row.seats:
            if seat.room.pk in lines:
                lines[seat.room.pk].people.append((row, seat))
    for line in lines.values():
        line.people.sort(key=lambda p: (-(p[0].limit or 0), p[0].person.name))
    return sorted(lines.values(), key=lambda line: room_sort_key(line.room))


@dataclass
class UnreturnedLine:
    item: Unreturned
    agency: object


@dataclass
class CompliancePage:
    report: Report
    agencies: list[AgencyLine]
    unreturned: list[UnreturnedLine]
    unranked: list[Person]


def unranked_in_post(center_id, day, limits, *, agency=None):
    """People in post on `day` whose rank has no standard (or who have no rank): they add
    nothing to their agency's entitlement until the rank is recorded."""
    people = in_post_on(Person.objects.filter(center_id=center_id), day)
    if agency is not None:
        people = people.filter(agency=agency)
    return list(
        people.filter(Q(rank__isnull=True) | ~Q(rank_id__in=list(limits)))
        .select_related("agency", "rank")
        .order_by("agency__path", "name", "id")
    )


def compliance_page(center_id, day, *, agency=None, today=None) -> CompliancePage:
    report = compliance(center_id, day, agency=agency, today=today)
    attach_ranks(report)
    agencies = {row.person.pk: row.agency for row in report.people}
    return CompliancePage(
        report=report,
        agencies=[AgencyLine.of(row) for row in report.agencies],
        unreturned=[
            UnreturnedLine(item, agencies.get(item.occupancy.person_id))
            for item in report.unreturned
        ],
        unranked=unranked_in_post(center_id, report.day, standards_on(report.day), agency=agency),
    )


@dataclass
class PersonLine:
    """One member of staff of an agency, with or without an office."""

    person: Person
    limit: Decimal | None
    row: PersonRow | None

    @property
    def seats(self):
        return self.row.seats if self.row else []

    @property
    def area(self):
        return self.row.area if self.row else ZERO

    @property
    def excess(self):
        return self.row.excess if self.row else ZERO


@dataclass
class AgencyDetail:
    report: Report
    line: AgencyLine
    rooms: list[RoomLine]
    people: list[PersonLine]
    # People who have left but still hold an office here (待收回).
    departed: list[PersonRow]


def agency_detail(center_id, agency, day, *, today=None) -> AgencyDetail:
    report = compliance(center_id, day, agency=agency, today=today)
    ranks = attach_ranks(report)
    row = next((r for r in report.agencies if r.agency.pk == agency.pk), None)
    row = row or AgencyRow(agency=agency)
    limits = standards_on(report.day)
    by_person = {r.person.pk: r for r in report.people}
    staff = in_post_on(Person.objects.filter(center_id=center_id, agency=agency), report.day)
    people = [
        PersonLine(person, limits.get(person.rank_id), by_person.pop(person.pk, None))
        for person in staff.select_related("rank").order_by("-rank__seniority", "name", "id")
    ]
    for person_row in by_person.values():
        person_row.person.rank = ranks.get(person_row.person.rank_id)
    return AgencyDetail(
        report=report,
        line=AgencyLine.of(row),
        rooms=room_lines(report, row.rooms),
        people=people,
        departed=sorted(by_person.values(), key=lambda r: r.person.name),
    )


# ------------------------------------------------------------------ annual publication


@dataclass
class PublicationAgency:
    line: AgencyLine
    rooms: list[RoomLine]

    @property
    def agency(self):
        return self.line.agency


@dataclass
class Publication:
    year: int
    day: dt.date
    agencies: list[PublicationAgency]


def publication(center_id, year, day, *, agency=None, today=None) -> Publication:
    """年度内部公示: per agency, each office room it holds with the people in it, their share
    and the standard of their rank, as on `day` (31 December, or today this year)."""
    report = compliance(center_id, day, agency=agency, today=today)
    attach_ranks(report)
    agencies = []
    for row in report.agencies:
        offices = [room for room in row.rooms if room.use_kind == UseKind.OFFICE]
        if offices:
            agencies.append(PublicationAgency(AgencyLine.of(row), room_lines(report, offices)))
    return Publication(year=year, day=report.day, agencies=agencies)


# ------------------------------------------------------------------ annual statistics


@dataclass
class BuildingLine:
    building: Building
    areas: dict = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    rooms: int = 0
    occupied: int = 0
    occupied_area: Decimal = ZERO
    idle: int = 0
    idle_area: Decimal = ZERO
    repair: int = 0
    repair_area: Decimal = ZERO

    @property
    def usable_area(self):
        return sum(self.areas.values(), ZERO)

    @property
    def record(self):
        return getattr(self.building, "ownership_record", None)


@dataclass
class LeaseLine:
    lease: Lease
    active: bool  # in use on the report day; otherwise vacated during the year


@dataclass
class Statistics:
    year: int
    day: dt.date
    report: Report
    ranks: list[Rank]  # the headcount columns
    agencies: list[AgencyLine]
    buildings: list[BuildingLine]
    leases: list[LeaseLine]

    @property
    def leased_area(self):
        return sum((line.lease.area for line in self.leases if line.active), ZERO)

    @property
    def annual_saving(self):
        return sum(
            (line.lease.annual_saving or ZERO for line in self.leases if not line.active), ZERO
        )


def rank_columns(ranks, report) -> list[Rank]:
    """The county ranks (a district is county level), then any other rank someone holds."""
    present = {rank_id for row in report.agencies for rank_id, n in row.counts_by_rank.items() if n}
    columns = [
        rank
        for rank in ranks.values()
        if (rank.organ_level == OrganLevel.COUNTY and rank.is_active) or rank.pk in present
    ]
    return sorted(columns, key=lambda r: (r.organ_level != OrganLevel.COUNTY, -r.seniority))


def lease_lines(center_id, year, day) -> list[LeaseLine]:
    """Leases in use on `day`, and those vacated between 1 January and `day`."""
    start = dt.date(year, 1, 1)
    leases = (
        Lease.objects.filter(center_id=center_id, start_date__lte=day)
        .filter(Q(vacated_on__isnull=True) | Q(vacated_on__gte=start))
        .select_related("agency")
        .order_by("agency__path", "start_date", "id")
    )
    # Held on the day unless handed back by then; the others were handed back this year.
    return [
        LeaseLine(lease, lease.vacated_on is None or lease.vacated_on > day) for lease in leases
    ]


def building_lines(center_id, report) -> list[BuildingLine]:
    buildings = Building.objects.filter(center_id=center_id, is_active=True).select_related(
        "ownership_record"
    )
    lines = {b.pk: BuildingLine(b) for b in buildings}
    sums = (
        SpaceRoom.objects.filter(center_id=center_id, is_active=True)
        .values("building_id", "use_kind")
        .annotate(n=Count("id"), area=Sum("usable_area"))
        .order_by()
    )
    for item in sums:
        line = lines.get(item["building_id"])
        if line is not None:
            line.areas[item["use_kind"]] = item["area"] or ZERO
            line.rooms += item["n"]
    for row in report.agencies:
        for room in row.rooms:
            line = lines.get(room.building_id)
            if line is not None and room.is_active:
                line.occupied += 1
                line.occupied_area += room.usable_area
    for rooms, count, area in (
        (report.idle_rooms, "idle", "idle_area"),
        (report.repair_rooms, "repair", "repair_area"),
    ):
        for room in rooms:
            line = lines.get(room.building_id)
            if line is not None:
                setattr(line, count, getattr(line, count) + 1)
                setattr(line, area, getattr(line, area) + room.usable_area)
    return list(lines.values())


def statistics(center_id, year, day, *, today=None) -> Statistics:
    """The figures of the annual statistical return (全国党政机关办公用房信息系统), as on `day`."""
    report = compliance(center_id, day, today=today)
    ranks = attach_ranks(report)
    leases = lease_lines(center_id, year, report.day)
    leased = defaultdict(lambda: ZERO)
    for line in leases:
        if line.active and line.lease.agency_id:
            leased[line.lease.agency_id] += line.lease.area
    return Statistics(
        year=year,
        day=report.day,
        report=report,
        ranks=rank_columns(ranks, report),
        agencies=[AgencyLine.of(row, leased[row.agency.pk]) for row in report.agencies],
        buildings=building_lines(center_id, report),
        leases=leases,
    )
