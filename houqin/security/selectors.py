"""Reads of the security app, scoped to the user (ARCHITECTURE.md rule 2).

Security managers, center admins and leaders see the whole center; guards see their center's
gate work (visits, watch list, rosters, their own patrols); any member of staff sees the
visits they invited. Another center's rows are never visible (views give 404).
"""

from django.db.models import Q

from houqin.core.backends import user_roles
from houqin.core.roles import Role

from .models import (
    Camera,
    ContingencyPlan,
    Drill,
    FireEquipment,
    Gate,
    Incident,
    Patrol,
    PatrolRoute,
    RosterEntry,
    Shift,
    Visit,
    WatchEntry,
)

CENTER_ROLES = frozenset({Role.SECURITY_MANAGER, Role.CENTER_ADMIN, Role.LEADER})
GATE_ROLES = CENTER_ROLES | {Role.GUARD}


def _usable(user):
    return user.is_authenticated and user.is_active and user.center_id is not None


def sees_center(user):
    return _usable(user) and bool(user_roles(user) & CENTER_ROLES)


def works_gate(user):
    return _usable(user) and bool(user_roles(user) & GATE_ROLES)


def is_manager(user):
    return sees_center(user) and user.has_perm("security.change_gate")


def _center(qs, user):
    return qs.filter(center_id=user.center_id) if _usable(user) else qs.none()


def visits_for(user):
    qs = Visit.objects.select_related("visitor", "host_agency", "host_person", "gate")
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if works_gate(user):
        return qs
    return qs.filter(invited_by=user)


def gates_for(user):
    return _center(Gate.objects.all(), user) if works_gate(user) else Gate.objects.none()


def watch_entries_for(user):
    if not works_gate(user):
        return WatchEntry.objects.none()
    return _center(WatchEntry.objects.all(), user)


def shifts_for(user):
    return _center(Shift.objects.all(), user) if works_gate(user) else Shift.objects.none()


def roster_for(user):
    qs = RosterEntry.objects.select_related("shift", "user__person")
    if not works_gate(user):
        return qs.none()
    return qs.filter(shift__center_id=user.center_id)


def routes_for(user):
    if not works_gate(user):
        return PatrolRoute.objects.none()
    return _center(PatrolRoute.objects.all(), user)


def patrols_for(user):
    qs = Patrol.objects.select_related("route", "guard__person")
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if sees_center(user):
        return qs
    if works_gate(user):
        return qs.filter(guard=user)
    return qs.none()


def patrols_with_counts(patrols):
    """Each patrol with its route's active checkpoints, those scanned and the problems."""
    from django.db.models import Count

    return patrols.annotate(
        points=Count(
            "route__checkpoints", filter=Q(route__checkpoints__is_active=True), distinct=True
        ),
        scanned=Count("scans", distinct=True),
        problems=Count("scans", filter=Q(scans__is_ok=False), distinct=True),
    )


def incidents_for(user):
    if not works_gate(user):
        return Incident.objects.none()
    return _center(Incident.objects.select_related("reported_by__person"), user)


def plans_for(user):
    if not sees_center(user):
        return ContingencyPlan.objects.none()
    return _center(ContingencyPlan.objects.select_related("responsible__person", "booking"), user)


def drills_for(user):
    if not sees_center(user):
        return Drill.objects.none()
    return _center(Drill.objects.all(), user)


def equipment_for(user):
    if not works_gate(user):
        return FireEquipment.objects.none()
    return _center(FireEquipment.objects.all(), user)


def cameras_for(user):
    if not sees_center(user):
        return Camera.objects.none()
    return _center(Camera.objects.all(), user)


def today_expected(user, day):
    """Invited visitors expected on `day` and not yet arrived (the guard's list)."""
    return (
        visits_for(user)
        .filter(Q(status=Visit.Status.EXPECTED) & Q(expected_at__date=day))
        .order_by("expected_at")
    )
