"""Reads of the space app, scoped to the user (ARCHITECTURE.md rule 2).

Space managers, center administrators and leaders see the whole center's estate; a
department liaison or leader sees the rooms their agency holds and their agency's requests;
anyone else sees nothing here. Missing and forbidden rows look the same (views give 404).
"""

from django.db.models import Count, Q

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
