"""Reads of the space app, scoped to the user (ARCHITECTURE.md rule 2).

Space managers, center administrators and leaders see the whole center's estate; a
department liaison or leader sees the rooms their agency holds and their agency's requests;
anyone else sees nothing here. Missing and forbidden rows look the same (views give 404).
"""

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for, user_agency

from .models import (
    AdjustmentPlan,
    Allocation,
    Building,
    Lease,
    Occupancy,
    OwnershipRecord,
    RenovationProject,
    SpaceRequest,
    SpaceRoom,
)

POLICY = ScopePolicy(
    center_roles=frozenset({Role.SPACE_MANAGER, Role.CENTER_ADMIN, Role.LEADER}),
    self_roles=frozenset(),  # no "own rows" for plain staff
)


def scope(user) -> Scope:
    return scope_for(user, POLICY)


def sees_center(user) -> bool:
    return scope(user) == Scope.CENTER


def is_manager(user) -> bool:
    return sees_center(user) and user.has_perm("space.change_spaceroom")


def scoped_agency(user):
    """The agency an agency-scoped user is limited to (None for center-wide users)."""
    return user_agency(user) if scope(user) == Scope.AGENCY else None


def rooms_for(user):
    qs = SpaceRoom.objects.select_related("building", "floor")
    s = scope(user)
    if s == Scope.CENTER:
        return qs.filter(center_id=user.center_id)
    if s == Scope.AGENCY:
        return qs.filter(
            center_id=user.center_id,
            allocations__end_date__isnull=True,
            allocations__agency=user_agency(user),
        )
    return qs.none()


def rooms_with_people(qs):
    """Annotate each room with its current holder's name and the number of people in it."""
    return qs.annotate(
        people=Count("occupancies", filter=Q(occupancies__end_date__isnull=True), distinct=True)
    )


def rooms_with_holder(qs):
    """Rooms with the agency holding each now (holder_name) and the people in it (people)."""
    current = Allocation.objects.filter(room=OuterRef("pk"), end_date__isnull=True)
    return rooms_with_people(qs).annotate(holder_name=Subquery(current.values("agency__name")[:1]))


def buildings_with_totals(qs):
    """Rooms, their usable area and the idle ones per building, in the one list query (a
    single join: floors are counted from the building's own floor counts)."""
    active = Q(rooms__is_active=True)
    return qs.annotate(
        room_count=Count("rooms", filter=active),
        room_area=Sum("rooms__usable_area", filter=active),
        idle_count=Count("rooms", filter=active & Q(rooms__status=SpaceRoom.Status.IDLE)),
    )


def holder_units(center_id):
    """Units of the center that may hold rooms (form choices): its active agencies and the
    center itself."""
    from houqin.org.models import OrgUnit

    return OrgUnit.objects.filter(
        Q(pk=center_id, kind=OrgUnit.Kind.CENTER)
        | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY),
        is_active=True,
    ).order_by("path")


def buildings_for(user):
    if not sees_center(user):
        return Building.objects.none()
    return Building.objects.filter(center_id=user.center_id)


def allocations_for(user):
    qs = Allocation.objects.select_related("room__building", "agency", "created_by")
    s = scope(user)
    if s == Scope.CENTER:
        return qs.filter(center_id=user.center_id)
    if s == Scope.AGENCY:
        return qs.filter(center_id=user.center_id, agency=user_agency(user))
    return qs.none()


def occupancies_for(user):
    qs = Occupancy.objects.select_related("room__building", "person__rank", "person__agency")
    s = scope(user)
    if s == Scope.CENTER:
        return qs.filter(center_id=user.center_id)
    if s == Scope.AGENCY:
        return qs.filter(center_id=user.center_id, person__agency=user_agency(user))
    return qs.none()


def requests_for(user):
    qs = SpaceRequest.objects.select_related("agency", "requested_by")
    s = scope(user)
    if s == Scope.CENTER:
        return qs.filter(center_id=user.center_id)
    if s == Scope.AGENCY:
        return qs.filter(center_id=user.center_id, agency=user_agency(user))
    return qs.none()


def plans_for(user):
    if not sees_center(user):
        return AdjustmentPlan.objects.none()
    return AdjustmentPlan.objects.filter(center_id=user.center_id).select_related(
        "created_by", "applied_by"
    )


def leases_for(user):
    if not sees_center(user):
        return Lease.objects.none()
    return Lease.objects.filter(center_id=user.center_id).select_related("agency")


def projects_for(user):
    if not sees_center(user):
        return RenovationProject.objects.none()
    return RenovationProject.objects.filter(center_id=user.center_id).select_related("building")


def ownership_for(user):
    if not sees_center(user):
        return OwnershipRecord.objects.none()
    return OwnershipRecord.objects.filter(center_id=user.center_id).select_related("building")


def location_names(user, limit=100):
    """Names from the register for other apps' location pickers (a repair report): the
    center's buildings, floor names, and the rooms of the user's own agency first (their
    office first of all). Plain strings; no scoping beyond the center is needed for names."""
    from houqin.org.scoping import user_person

    from .models import Floor

    if user.center_id is None:
        return {"building": [], "floor": [], "room": []}
    person = user_person(user)
    rooms = []
    if person is not None:
        mine = SpaceRoom.objects.filter(
            center_id=user.center_id,
            occupancies__person=person,
            occupancies__end_date__isnull=True,
        )
        held = SpaceRoom.objects.filter(
            center_id=user.center_id,
            allocations__agency_id=person.agency_id,
            allocations__end_date__isnull=True,
        )
        rooms = list(
            dict.fromkeys(
                [
                    *mine.order_by("number").values_list("number", flat=True),
                    *held.order_by("number").values_list("number", flat=True)[:limit],
                ]
            )
        )[:limit]
    return {
        "building": list(
            Building.objects.filter(center_id=user.center_id, is_active=True)
            .order_by("code", "name")
            .values_list("name", flat=True)[:limit]
        ),
        "floor": list(
            Floor.objects.filter(building__center_id=user.center_id)
            .order_by("level")
            .values_list("name", flat=True)
            .distinct()[:limit]
        ),
        "room": rooms,
    }
