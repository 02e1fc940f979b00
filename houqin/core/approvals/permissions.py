"""Who may see and act on approvals; every object fetch goes through here (404 if not visible)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import ApprovalRequest
from .registry import get_request_type
from .rules import can_act
from .selectors import approval_detail_queryset, approvals_for

MANAGE_FLOWS = "approvals.change_approvalflow"


def get_approval_for_user(user, pk):
    """The request if `user` may read it; 404 for missing and forbidden alike."""
    return get_object_or_404(approval_detail_queryset(approvals_for(user)), pk=pk)


def get_request_type_or_404(code):
    request_type = get_request_type(code)
    if request_type is None:
        raise Http404
    return request_type


def can_decide(user, approval) -> bool:
    return can_act(user, approval)


def can_resubmit(user, approval) -> bool:
    return approval.requester_id == user.pk and approval.status == ApprovalRequest.Status.RETURNED


def can_cancel(user, approval) -> bool:
    return approval.requester_id == user.pk and approval.is_open


def can_manage_flows(user) -> bool:
    return user.has_perm(MANAGE_FLOWS)
