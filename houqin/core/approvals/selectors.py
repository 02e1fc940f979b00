"""Reads of the approvals app, always scoped to the user (their center, their requests).

Every list selector returns a QuerySet whose rows carry what a list row shows (requester and
agency joined, the current step's name annotated), so pages run a constant number of queries.
"""

from django.db.models import OuterRef, Prefetch, Q, Subquery

from houqin.core.backends import user_roles
from houqin.core.menu import TodoItem

from .models import ApprovalAction, ApprovalFlow, ApprovalFlowStep, ApprovalRequest, ApprovalStep
from .registry import request_types
from .rules import CENTER_VIEW_ROLES, acted_condition, decidable_condition


def _center_requests(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.center_id:
        return ApprovalRequest.objects.none()
    return ApprovalRequest.objects.filter(center_id=user.center_id)


def with_list_data(qs):
    """Join what a list row shows and annotate the current step's name (no N+1)."""
    step_name = ApprovalStep.objects.filter(
        request=OuterRef("pk"), position=OuterRef("current_position")
    ).values("name")[:1]
    return qs.select_related("requester", "requester__person", "agency").annotate(
        current_step_name=Subquery(step_name)
    )


def _to_decide(user):
    return (
        _center_requests(user)
        .filter(status=ApprovalRequest.Status.PENDING)
        .exclude(requester_id=user.pk)
        .filter(decidable_condition(user))
    )


def approvals_to_decide(user):
    """Requests whose current step `user` may decide now, oldest waiting first."""
    if not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    return with_list_data(_to_decide(user)).order_by("updated_at", "id")


def my_approvals(user):
    """Requests `user` submitted, newest first."""
    if not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    return with_list_data(_center_requests(user).filter(requester_id=user.pk))


def approvals_done(user):
    """Requests on which `user` approved, rejected or returned a step, newest first."""
    if not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    return with_list_data(_center_requests(user).filter(acted_condition(user)))


def approvals_for(user):
    """Every request `user` may read.

    Center administrators, leaders and auditors: all of their center. Anyone else: their own
    requests, those they decided a step of, and those waiting for their decision.
    """
    if not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    qs = _center_requests(user)
    if not user_roles(user) & CENTER_VIEW_ROLES:
        own = Q(requester_id=user.pk)
        waiting = Q(status=ApprovalRequest.Status.PENDING) & decidable_condition(user)
        qs = qs.filter(own | acted_condition(user) | waiting)
    return with_list_data(qs)


def approval_steps(approval):
    return approval.steps.select_related(
        "approver_user", "approver_user__person", "decided_by", "decided_by__person"
    ).order_by("position")


def approval_history(approval):
    """The request's actions in the order they happened."""
    return (
        ApprovalAction.objects.filter(request=approval)
        .select_related("actor", "actor__person")
        .order_by("created_at", "id")
    )


def approval_detail_queryset(qs):
    """Prefetch a request's steps and history (for detail views and the API)."""
    return qs.prefetch_related(
        Prefetch(
            "steps",
            queryset=ApprovalStep.objects.select_related(
                "approver_user", "approver_user__person", "decided_by", "decided_by__person"
            ).order_by("position"),
        ),
    )


def approval_for_object(obj, request_type=None):
    """The latest request about `obj` (optionally of one type), or None; for module pages.

    Not user-scoped: a module shows it on a page the user may already see.
    """
    from django.contrib.contenttypes.models import ContentType

    qs = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    if request_type is not None:
        qs = qs.filter(request_type=request_type)
    return qs.order_by("-created_at", "-id").first()


# ---------------------------------------------------------------- flows


def flows_for(user):
    """The center's configured flows with their steps."""
    if not getattr(user, "is_authenticated", False) or not user.center_id:
        return ApprovalFlow.objects.none()
    return ApprovalFlow.objects.filter(center_id=user.center_id).prefetch_related(
        Prefetch(
            "steps",
            queryset=ApprovalFlowStep.objects.select_related(
                "approver_user", "approver_user__person"
            ).order_by("position"),
        )
    )


def flow_overview(user):
    """Every registered request type with the center's flow for it (None: defaults unused yet)."""
    flows = {flow.request_type: flow for flow in flows_for(user)}
    return [(request_type, flows.get(request_type.code)) for request_type in request_types()]


# ---------------------------------------------------------------- to-do inbox


def todo_fetch(user, limit):
    """TodoSource "approvals": (count, newest `limit` items) waiting for `user`'s decision."""
    if not getattr(user, "is_authenticated", False) or not user.center_id:
        return 0, []
    qs = _to_decide(user)
    count = qs.count()
    if not count:
        return 0, []
    newest = with_list_data(qs).order_by("-updated_at", "-id")[:limit]
    items = [
        TodoItem(
            title=approval.title,
            url=approval.get_absolute_url(),
            created=approval.updated_at,
            detail=f"{approval.request_type_label} · {approval.requester.display_name}",
        )
        for approval in newest
    ]
    return count, items
