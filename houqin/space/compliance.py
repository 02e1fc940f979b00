"""Area-standard compliance (面积核定), computed from the allocation history for any day.

- A person's share of an office = the room's usable area ÷ the people in it that day; their
  area is the sum of their shares (a second office counts). Over their rank's limit on that
  day (AreaStandard, effective-dated) is 超标, by the difference in ㎡.
- An agency's entitlement (核定面积) = Σ the limits of its staff in post that day; its office
  area = Σ the usable area of the office rooms it holds; over the entitlement is 超标.
- Idle rooms: rooms of the register held by nobody that day.
- Offices of people who left (调离/退休) still occupied: due back one month after they left
  (rules.OFFICE_RETURN_MONTHS); overdue after that.

Everything is read in a fixed number of queries (9) and computed in Python, so the report costs
the same for 30 rooms or 3,000.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from houqin.org.models import OrgUnit, Person, Rank

from .models import Allocation, AreaStandard, Building, Floor, Occupancy, SpaceRoom, UseKind
from .rules import OFFICE_RETURN_MONTHS
from .services.allocation import current_on

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
ACTIVE = Person.Status.ACTIVE.value


def standards_on(day) -> dict[int, Decimal]:
    """rank id → the office-area limit in force on `day` (the latest effective row)."""
    limits = {}
    rows = AreaStandard.objects.filter(effective_from__lte=day).order_by(
        "rank_id", "-effective_from"
    )
    for rank_id, limit in rows.values_list("rank_id", "area_limit"):
        limits.setdefault(rank_id, limit)
    return limits


def excess_of(area, limit) -> Decimal:
    if limit is None:
        return ZERO
    return max(ZERO, (area - limit).quantize(CENT))


@dataclass
class Seat:
    room: SpaceRoom
    occupants: int
    share: Decimal


@dataclass
class PersonRow:
    """Built by compliance(), which adds every seat before anything reads the figures: the
    sums are then cached (a report's lists and totals read them tens of thousands of times)."""

    person: Person
    agency: OrgUnit
    seats: list[Seat] = field(default_factory=list)
    limit: Decimal | None = None

    @cached_property
    def area(self) -> Decimal:
        return sum((s.share for s in self.seats), ZERO)

    @cached_property
    def excess(self) -> Decimal:
        return excess_of(self.area, self.limit)

    @property
    def is_over(self) -> bool:
        return self.excess > 0


@dataclass
class AgencyRow:
    agency: OrgUnit
    headcount: int = 0
    unranked: int = 0
    entitlement: Decimal = ZERO
    rooms: list[SpaceRoom] = field(default_factory=list)
    people_over: int = 0
    counts_by_rank: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def office_area(self) -> Decimal:
        return sum((r.usable_area for r in self.rooms if r.use_kind == UseKind.OFFICE), ZERO)

    def area_of(self, kind) -> Decimal:
        return sum((r.usable_area for r in self.rooms if r.use_kind == kind), ZERO)

    @property
    def excess(self) -> Decimal:
        return excess_of(self.office_area, self.entitlement)

    @property
    def is_over(self) -> bool:
        return self.excess > 0


@dataclass
class Unreturned:
    occupancy: Occupancy
    due: dt.date
    overdue: bool


@dataclass
class Report:
    day: dt.date
    people: list[PersonRow]
    agencies: list[AgencyRow]
    idle_rooms: list[SpaceRoom]
    repair_rooms: list[SpaceRoom]
    unreturned: list[Unreturned]
    unranked_people: list[Person]

    # A finished report is read, never changed: pages ask for these lists several times.
    @cached_property
    def people_over(self):
        return [row for row in self.people if row.is_over]

    @cached_property
    def agencies_over(self):
        return [row for row in self.agencies if row.is_over]

    @cached_property
    def people_excess(self) -> Decimal:
        return sum((row.excess for row in self.people), ZERO)

    @cached_property
    def agencies_excess(self) -> Decimal:
        return sum((row.excess for row in self.agencies), ZERO)

    @property
    def idle_area(self) -> Decimal:
        return sum((r.usable_area for r in self.idle_rooms), ZERO)

    @property
    def overdue(self):
        return [u for u in self.unreturned if u.overdue]


def in_post(day):
    """People in post on `day`: active now, or left after that day."""
    return Q(status=Person.Status.ACTIVE) | Q(status_date__gt=day)


def in_post_on(qs, day):
    return qs.filter(in_post(day))


STAMPS = ("created_at", "updated_at")
# Not needed by any report, and costly to load by the thousand (the ID number is decrypted).
HEAVY_PERSON_FIELDS = (*STAMPS, "id_number", "id_number_digest", "phone", "note")


def return_due(person) -> dt.date | None:
    if person.status == Person.Status.ACTIVE or person.status_date is None:
        return None
    return person.status_date + relativedelta(months=OFFICE_RETURN_MONTHS)


def compliance(center_id, day=None, *, agency=None, today=None) -> Report:
    """The compliance picture of a center on `day` (default today); `agency` limits it to one
    agency (what a department liaison sees)."""
    today = today or timezone.localdate()
    day = day or today
    limits = standards_on(day)
    units = OrgUnit.objects.filter(
        Q(pk=center_id, kind=OrgUnit.Kind.CENTER) | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY)
    ).order_by("path")
    occupancies = current_on(Occupancy.objects.filter(center_id=center_id), day)
    allocations = current_on(Allocation.objects.filter(center_id=center_id), day)
    # Everyone in post that day, and those who left but still held an office.
    people = (
        Person.objects.filter(center_id=center_id)
        .filter(in_post(day) | Q(pk__in=occupancies.values("person_id")))
        .defer(*HEAVY_PERSON_FIELDS)
    )
    rooms = SpaceRoom.objects.filter(center_id=center_id).defer(*STAMPS)
    if agency is not None:
        units = units.filter(pk=agency.pk)
        people = people.filter(agency=agency)
        allocations = allocations.filter(agency=agency)
        occupancies = occupancies.filter(person__agency=agency)

    # Rows are read once and shared: model instances are what the report costs at scale.
    rooms = {room.pk: room for room in rooms}
    # The few buildings and floors shared, not one copy per room (as select_related would).
    buildings = Building.objects.filter(center_id=center_id).defer(*STAMPS).in_bulk()
    floors = Floor.objects.filter(building__center_id=center_id).defer(*STAMPS).in_bulk()
    for room in rooms.values():
        SpaceRoom.building.field.set_cached_value(room, buildings[room.building_id])
        SpaceRoom.floor.field.set_cached_value(room, floors.get(room.floor_id))
    ranks = {rank.pk: rank for rank in Rank.objects.all()}
    people = {person.pk: person for person in people}
    for person in people.values():  # the few ranks shared, not one copy per person
        Person.rank.field.set_cached_value(person, ranks.get(person.rank_id))
    rows = {unit.pk: AgencyRow(agency=unit) for unit in units}
    for person in people.values():
        row = rows.get(person.agency_id)
        if row is None or not (person.status == Person.Status.ACTIVE or person.status_date > day):
            continue
        row.headcount += 1
        row.counts_by_rank[person.rank_id] += 1
        limit = limits.get(person.rank_id)
        if limit is None:
            row.unranked += 1
        else:
            row.entitlement += limit
    allocated = set()
    for room_id, agency_id in allocations.values_list("room_id", "agency_id"):
        allocated.add(room_id)
        if agency_id in rows:
            rows[agency_id].rooms.append(rooms[room_id])

    # Plain tuples: an Occupancy object is only built for the few offices due back.
    occupancies = list(occupancies.values_list("pk", "room_id", "person_id", "start_date"))
    per_room = defaultdict(int)
    for _pk, room_id, _person_id, _start in occupancies:
        per_room[room_id] += 1
    person_rows: dict[int, PersonRow] = {}
    unreturned = []
    for pk, room_id, person_id, start_date in occupancies:
        person, room = people[person_id], rooms[room_id]
        if person.pk not in person_rows:
            person_rows[person.pk] = PersonRow(
                person=person,
                agency=rows[person.agency_id].agency if person.agency_id in rows else None,
                limit=limits.get(person.rank_id),
            )
        n = per_room[room_id]
        share = (room.usable_area / n).quantize(CENT)
        person_rows[person.pk].seats.append(Seat(room, n, share))
        # Judged as on `day`: someone who left after it was still in post then. (Checked
        # before return_due(): its month arithmetic is costly across thousands of seats.)
        if person.status != ACTIVE and person.status_date and person.status_date <= day:
            due = return_due(person)
            occupancy = Occupancy(
                pk=pk, center_id=center_id, room=room, person=person, start_date=start_date
            )
            unreturned.append(Unreturned(occupancy, due, due <= day))
    for row in person_rows.values():
        if row.is_over and row.person.agency_id in rows:
            rows[row.person.agency_id].people_over += 1

    idle, repair = [], []
    if agency is None:
        for room in rooms.values():
            if not room.is_active:
                continue
            if room.status == SpaceRoom.Status.REPAIR and day == today:
                repair.append(room)
            elif room.pk not in allocated:
                idle.append(room)
    ranked_ids = {pk for pk, row in person_rows.items() if row.limit is None}
    return Report(
        day=day,
        people=sorted(
            person_rows.values(),
            key=lambda r: (-r.excess, r.agency.path if r.agency else "", r.person.name),
        ),
        agencies=[row for row in rows.values() if row.headcount or row.rooms],
        idle_rooms=idle,
        repair_rooms=repair,
        unreturned=sorted(unreturned, key=lambda u: u.due),
        unranked_people=[row.person for pk, row in person_rows.items() if pk in ranked_ids],
    )


@dataclass
class EffectRow:
    agency: OrgUnit
    entitlement: Decimal
    before_area: Decimal
    after_area: Decimal

    @property
    def change(self) -> Decimal:
        return self.after_area - self.before_area

    @property
    def before_excess(self) -> Decimal:
        return excess_of(self.before_area, self.entitlement)

    @property
    def after_excess(self) -> Decimal:
        return excess_of(self.after_area, self.entitlement)


@dataclass
class PlanEffect:
    rows: list[EffectRow]
    problems: list[str]
    moving_out: list[Occupancy]

    @property
    def can_apply(self) -> bool:
        return not self.problems


def plan_effect(plan, *, today=None) -> PlanEffect:
    """What applying `plan` now would do to each agency it touches: office area and excess
    before and after (entitlements do not change: nobody changes agency). Also the problems
    that would stop it and the people who would have to move out of transferred or vacated
    rooms. plan_apply() makes exactly these changes."""
    from .models import PlanStep
    from .services.plans import plan_problems

    K = PlanStep.Kind
    report = compliance(plan.center_id, today=today)
    rows = {row.agency.pk: row for row in report.agencies}
    steps = list(plan.steps.select_related("room", "from_agency", "to_agency"))
    delta = defaultdict(lambda: ZERO)
    touched = {}
    for step in steps:
        office = step.room.use_kind == UseKind.OFFICE
        if step.kind in (K.TRANSFER, K.VACATE):
            touched[step.from_agency_id] = step.from_agency
            if office:
                delta[step.from_agency_id] -= step.room.usable_area
        if step.kind != K.VACATE:
            touched[step.to_agency_id] = step.to_agency
            if office:
                delta[step.to_agency_id] += step.room.usable_area
    effect_rows = []
    for agency_id, agency in sorted(touched.items(), key=lambda kv: kv[1].path):
        row = rows.get(agency_id)
        before = row.office_area if row else ZERO
        effect_rows.append(
            EffectRow(
                agency=agency,
                entitlement=row.entitlement if row else ZERO,
                before_area=before,
                after_area=before + delta[agency_id],
            )
        )
    moving = Occupancy.objects.filter(
        room_id__in=[s.room_id for s in steps if s.kind in (K.TRANSFER, K.VACATE)],
        end_date__isnull=True,
    ).select_related("person", "room__building")
    return PlanEffect(rows=effect_rows, problems=plan_problems(plan), moving_out=list(moving))
