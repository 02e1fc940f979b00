"""Who may act on a step: the one definition used by services, selectors and pages.

A step is decided by its named user, or by a holder of its role in the request's center who,
for an agency-scoped step, works in the request's agency or in an agency above it (by the
org tree's materialised path). Nobody decides a step of their own request.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from houqin.core.backends import user_roles
from houqin.core.roles import Role

from .models import ApprovalAction, ApprovalRequest, ApprovalStep, Scope

# Roles whose holders see every approval request of their center (read only).
CENTER_VIEW_ROLES = frozenset({Role.CENTER_ADMIN, Role.LEADER, Role.AUDITOR})

_PATH_CACHE = "_approvals_agency_path"
_MISSING = object()


def agency_path_of(user) -> str | None:
    """Materialised path of the user's own agency (None without a person record); cached."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, _PATH_CACHE, _MISSING)
    if cached is _MISSING:
        cached = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list("person__agency__path", flat=True)
            .first()
        )
        setattr(user, _PATH_CACHE, cached)
    return cached


def ancestor_paths(path: str) -> list[str]:
    """The path of a unit and of every unit above it (treebeard's fixed-width steps)."""
    from django.apps import apps

    steplen = apps.get_model("org", "OrgUnit").steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def _active_in_center(user, center_id) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.center_id is not None
        and user.center_id == center_id
    )


def can_act_on_step(user, approval, step) -> bool:
    """May `user` decide `step` (the current pending step of `approval`) now?"""
    if step is None or not _active_in_center(user, approval.center_id):
        return False
    if approval.requester_id == user.pk:
        return False
    if approval.status != ApprovalRequest.Status.PENDING:
        return False
    if step.status != ApprovalStep.Status.PENDING:
        return False
    if step.approver_user_id:
        return step.approver_user_id == user.pk
    if step.approver_role not in user_roles(user):
        return False
    if step.scope == Scope.CENTER:
        return True
    path = agency_path_of(user)
    if not path or approval.agency_id is None:
        return False
    return approval.agency.path.startswith(path)


def current_step(approval):
    """The request's pending step (from prefetched steps when available), or None."""
    cache = getattr(approval, "_prefetched_objects_cache", {})
    steps = cache["steps"] if "steps" in cache else approval.steps.all()
    for step in steps:
        if step.position == approval.current_position:
            return step if step.status == ApprovalStep.Status.PENDING else None
    return None


def can_act(user, approval) -> bool:
    if approval.status != ApprovalRequest.Status.PENDING:
        return False
    return can_act_on_step(user, approval, current_step(approval))


def eligible_approvers(*, center_id, step, agency, exclude_user_id=None):
    """Active users of the center who could decide `step` (a flow step or a request step)."""
    User = get_user_model()
    users = User.objects.filter(is_active=True, center_id=center_id)
    if step.approver_user_id:
        users = users.filter(pk=step.approver_user_id)
    else:
        users = users.filter(
            role_assignments__center_id=center_id, role_assignments__role=step.approver_role
        )
        if step.scope == Scope.AGENCY:
            if agency is None:
                return User.objects.none()
            users = users.filter(person__agency__path__in=ancestor_paths(agency.path))
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.order_by("pk")


def decidable_condition(user) -> Q:
    """Condition on ApprovalRequest rows: their pending step is one `user` may decide.

    Does not exclude the user's own requests nor restrict the center; callers do.
    """
    pending = ApprovalStep.objects.filter(
        request=OuterRef("pk"), status=ApprovalStep.Status.PENDING
    )
    condition = Q(Exists(pending.filter(approver_user=user)))
    roles = user_roles(user)
    if roles:
        condition |= Q(Exists(pending.filter(approver_role__in=roles, scope=Scope.CENTER)))
        path = agency_path_of(user)
        if path:
            condition |= Q(agency__path__startswith=path) & Q(
                Exists(pending.filter(approver_role__in=roles, scope=Scope.AGENCY))
            )
    return condition


def acted_condition(user) -> Q:
    """Condition on ApprovalRequest rows: `user` has decided one of their steps."""
    return Q(
        Exists(
            ApprovalAction.objects.filter(
                request=OuterRef("pk"), actor=user, action__in=ApprovalAction.DECISIONS
            )
        )
    )
