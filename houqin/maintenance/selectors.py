"""Reads of the maintenance app, scoped to the user (ARCHITECTURE.md rule 2).

Maintenance managers (maintenance.change_workorder), center admins and leaders see every work
order of their center; a technician sees the orders assigned to them; everyone else sees the
orders they reported. Missing and forbidden rows look the same.
"""

from django.db.models import Q

from houqin.core.backends import user_roles
from houqin.core.roles import Role

from .models import Equipment, Finding, WorkOrder

CENTER_ROLES = frozenset({Role.MAINTENANCE_MANAGER, Role.CENTER_ADMIN, Role.LEADER})


def _usable(user):
    return user.is_authenticated and user.is_active and user.center_id is not None


def is_manager(user):
    return _usable(user) and user.has_perm("maintenance.change_workorder")


def sees_center(user):
    return _usable(user) and (is_manager(user) or bool(user_roles(user) & CENTER_ROLES))


def orders_for(user):
    qs = WorkOrder.objects.select_related("assignee", "reporter", "agency", "equipment")
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if sees_center(user):
        return qs
    return qs.filter(Q(reporter=user) | Q(assignee=user))


def my_reports(user):
    return orders_for(user).filter(reporter=user)


def my_assignments(user):
    return orders_for(user).filter(assignee=user)


def equipment_for(user):
    if not _usable(user) or not user.has_perm("maintenance.view_equipment"):
        return Equipment.objects.none()
    return Equipment.objects.filter(center_id=user.center_id)


def findings_for(user):
    """Findings of the center for those who manage inspections; one's own to fix otherwise."""
    qs = Finding.objects.select_related("responsible", "work_order")
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if user.has_perm("maintenance.view_finding"):
        return qs
    return qs.filter(responsible=user)


SUGGESTIONS = 100  # suggestions per field in the report form


def location_suggestions(user, limit=SUGGESTIONS):
    """Buildings, floors and rooms for the report form's <datalist>: the office-space register
    first (the user's own office and agency rooms), then names used in earlier orders."""
    from houqin.space.selectors import location_names

    if user.center_id is None:
        return {}
    register = location_names(user, limit)
    orders = WorkOrder.objects.filter(center_id=user.center_id)
    suggestions = {}
    for name in ("building", "floor", "room"):
        earlier = (
            orders.exclude(**{name: ""})
            .order_by(name)
            .values_list(name, flat=True)
            .distinct()[:limit]
        )
        merged = dict.fromkeys([*register[name], *earlier])
        suggestions[name] = list(merged)[:limit]
    return suggestions
