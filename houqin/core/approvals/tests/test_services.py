"""Approval services: the whole life of a request, its rules and its integrity."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from houqin.core.approvals import services
from houqin.core.approvals.models import (
    ApprovalAction,
    ApprovalFlow,
    ApprovalFlowStep,
    ApprovalRequest,
    ApprovalStep,
)
from houqin.core.approvals.registry import StepSpec, register_request_type, unregister_request_type
from houqin.core.approvals.rules import can_act_on_step
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.org.models import RoleAssignment
from houqin.org.tests.factories import PersonFactory, make_unit, make_user

from .conftest import TYPE

pytestmark = pytest.mark.django_db

STALE = "该审批已被处理，请刷新页面"


def _messages(exc_info):
    return " ".join(exc_info.value.messages)


def _snapshot(approval):
    """Everything a refused action must leave untouched."""
    approval = ApprovalRequest.objects.get(pk=approval.pk)
    return (
        approval.status,
        approval.current_position,
        approval.decided_at,
        list(approval.steps.order_by("position").values_list("status", "decided_by", "comment")),
        ApprovalAction.objects.filter(request=approval).count(),
        Notification.objects.count(),
    )


def _recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# ---------------------------------------------------------------- happy path


def test_two_step_approval(approval, staff_x, leader_x, leader_y, dispatcher_a, hooks):
    assert approval.status == ApprovalRequest.Status.PENDING
    assert approval.current_position == 1
    steps = list(approval.steps.order_by("position"))
    assert [(s.position, s.approver_role, s.scope, s.status) for s in steps] == [
        (1, Role.AGENCY_LEADER, "agency", "pending"),
        (2, Role.FLEET_DISPATCHER, "center", "waiting"),
    ]
    # Only the leader of the requesting agency is told about step 1.
    assert _recipients("approval.requested") == {"leader_x"}

    approval = services.approval_approve(actor=leader_x, approval=approval, comment="同意")
    assert approval.status == "pending" and approval.current_position == 2
    assert hooks.calls == []  # not final yet
    assert _recipients("approval.requested") == {"leader_x", "disp_a"}

    approval = services.approval_approve(actor=dispatcher_a, approval=approval)
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert approval.decided_at is not None
    assert list(approval.steps.order_by("position").values_list("status", "decided_by")) == [
        ("approved", leader_x.pk),
        ("approved", dispatcher_a.pk),
    ]
    assert hooks.calls == [("approved", approval.pk, "approved", dispatcher_a.pk)]
    assert _recipients("approval.approved") == {"staff_x"}
    history = list(approval.actions.values_list("action", "actor__username", "position"))
    assert history == [
        ("submit", "staff_x", None),
        ("approve", "leader_x", 1),
        ("approve", "disp_a", 2),
    ]


def test_reject_closes_the_request(approval, staff_x, leader_x, hooks):
    approval = services.approval_reject(actor=leader_x, approval=approval, comment="材料不全")
    approval.refresh_from_db()
    assert approval.status == "rejected" and approval.decided_at is not None
    step = approval.steps.get(position=1)
    assert (step.status, step.comment, step.decided_by) == ("rejected", "材料不全", leader_x)
    assert approval.steps.get(position=2).status == "waiting"
    assert hooks.names() == ["rejected"]
    notice = Notification.objects.get(kind="approval.rejected")
    assert notice.recipient == staff_x and notice.body == "材料不全"


def test_reject_without_comment_changes_nothing(approval, leader_x, hooks):
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_reject(actor=leader_x, approval=approval, comment="  ")
    assert exc_info.value.message_dict == {"comment": ["请填写驳回理由。"]}
    with pytest.raises(ValidationError) as exc_info:
        services.approval_return(actor=leader_x, approval=approval, comment="")
    assert exc_info.value.message_dict == {"comment": ["请填写退回修改的意见。"]}
    assert _snapshot(approval) == before
    assert hooks.calls == []


def test_return_and_resubmit(approval, staff_x, leader_x, dispatcher_a, hooks):
    approval = services.approval_return(actor=leader_x, approval=approval, comment="请补充说明")
    assert approval.status == "returned" and approval.decided_at is None
    assert hooks.names() == ["returned"]
    assert _recipients("approval.returned") == {"staff_x"}

    # The approver cannot resubmit; the requester can, and the flow starts over.
    with pytest.raises(ValidationError) as exc_info:
        services.approval_resubmit(actor=leader_x, approval=approval)
    assert "只有申请人本人" in _messages(exc_info)
    Notification.objects.all().delete()
    approval = services.approval_resubmit(
        actor=staff_x, approval=approval, comment="已补充", summary="补充后的说明"
    )
    approval.refresh_from_db()
    assert approval.status == "pending" and approval.current_position == 1
    assert approval.summary == "补充后的说明"
    assert list(approval.steps.order_by("position").values_list("status", "decided_by")) == [
        ("pending", None),
        ("waiting", None),
    ]
    assert _recipients("approval.requested") == {"leader_x"}

    services.approval_approve(actor=leader_x, approval=approval)
    approval.refresh_from_db()
    services.approval_approve(actor=dispatcher_a, approval=approval)
    approval.refresh_from_db()
    assert approval.status == "approved"
    assert list(approval.actions.values_list("action", flat=True)) == [
        "submit",
        "return",
        "resubmit",
        "approve",
        "approve",
    ]
    assert hooks.names() == ["returned", "approved"]


def test_resubmit_only_after_return(approval, staff_x):
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_resubmit(actor=staff_x, approval=approval)
    assert _messages(exc_info) == STALE
    assert _snapshot(approval) == before


def test_cancel_by_requester(approval, staff_x, leader_x, hooks):
    with pytest.raises(ValidationError) as exc_info:
        services.approval_cancel(actor=leader_x, approval=approval)
    assert "只有申请人本人" in _messages(exc_info)
    approval = services.approval_cancel(actor=staff_x, approval=approval, comment="不需要了")
    approval.refresh_from_db()
    assert approval.status == "cancelled" and approval.decided_at is not None
    assert not approval.steps.filter(status="pending").exists()
    assert hooks.names() == ["cancelled"]
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=leader_x, approval=approval)
    assert _messages(exc_info) == STALE
    with pytest.raises(ValidationError):
        services.approval_cancel(actor=staff_x, approval=approval)


# ---------------------------------------------------------------- refusals


def test_nobody_approves_their_own_request(request_type, target, agency_x, leader_x, dispatcher_a):
    # A second leader of agency X submits; leader_x can decide it, the submitter cannot.
    other_leader = make_user(PersonFactory(agency=agency_x), Role.AGENCY_LEADER, username="ldr2")
    approval = services.approval_submit(
        actor=other_leader, obj=target, request_type=TYPE, title="本人申请"
    )
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=other_leader, approval=approval)
    assert _messages(exc_info) == "不能审批本人提交的申请"
    assert _snapshot(approval) == before
    # Nor is the requester told to approve it.
    assert _recipients("approval.requested") == {"leader_x"}


def test_submission_refused_when_the_requester_is_the_only_approver(
    request_type, target, agency_x, dispatcher_a
):
    only_leader = make_user(PersonFactory(agency=agency_x), Role.AGENCY_LEADER, username="ldr")
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=only_leader, obj=target, request_type=TYPE, title="申请")
    assert "没有除申请人以外可以审批的人员" in _messages(exc_info)
    assert not ApprovalRequest.objects.exists()


def test_submission_refused_when_a_step_has_nobody(request_type, staff_x, target, leader_x):
    # No fleet dispatcher in center A.
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=staff_x, obj=target, request_type=TYPE, title="申请")
    message = _messages(exc_info)
    assert "第 2 步“调度员审批”" in message and "车辆调度员" in message
    assert not ApprovalRequest.objects.exists()
    assert not ApprovalAction.objects.exists()


def test_agency_step_needs_a_leader_of_that_agency(
    request_type, staff_x, target, leader_y, dispatcher_a
):
    # Agency Y's leader does not count for a request of agency X.
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=staff_x, obj=target, request_type=TYPE, title="申请")
    assert "第 1 步“部门负责人审批”" in _messages(exc_info)


def test_double_action_is_refused(approval, leader_x):
    stale_copy = ApprovalRequest.objects.get(pk=approval.pk)
    services.approval_approve(actor=leader_x, approval=approval)
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=leader_x, approval=stale_copy)
    assert _messages(exc_info) == STALE
    with pytest.raises(ValidationError) as exc_info:
        services.approval_reject(actor=leader_x, approval=stale_copy, comment="不同意")
    assert _messages(exc_info) == STALE
    assert _snapshot(approval) == before


def test_position_guard_stops_a_second_click_on_the_next_step(approval, agency_x, leader_x):
    # A user holding both roles must not approve step 2 with a click meant for step 1.
    RoleAssignment.objects.create(
        user=leader_x, center_id=leader_x.center_id, role=Role.FLEET_DISPATCHER
    )
    services.approval_approve(actor=leader_x, approval=approval, position=1)
    fresh = ApprovalRequest.objects.get(pk=approval.pk)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=leader_x, approval=fresh, position=1)
    assert _messages(exc_info) == STALE
    services.approval_approve(actor=leader_x, approval=fresh, position=2)
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "approved"


def test_decided_request_cannot_be_decided_again(approval, leader_x, dispatcher_a, hooks):
    services.approval_approve(actor=leader_x, approval=approval)
    approval = services.approval_approve(
        actor=dispatcher_a, approval=ApprovalRequest.objects.get(pk=approval.pk)
    )
    before = _snapshot(approval)
    for service, kwargs in (
        (services.approval_approve, {}),
        (services.approval_reject, {"comment": "晚了"}),
        (services.approval_return, {"comment": "晚了"}),
    ):
        with pytest.raises(ValidationError) as exc_info:
            service(actor=dispatcher_a, approval=approval, **kwargs)
        assert _messages(exc_info) == STALE
    assert _snapshot(approval) == before
    assert hooks.names() == ["approved"]


def test_other_agency_leader_cannot_approve(approval, leader_y):
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=leader_y, approval=approval)
    assert "不是当前步骤的审批人" in _messages(exc_info)
    assert _snapshot(approval) == before


def test_center_role_cannot_skip_ahead(approval, dispatcher_a, admin_a):
    for user in (dispatcher_a, admin_a):
        with pytest.raises(ValidationError) as exc_info:
            services.approval_approve(actor=user, approval=approval)
        assert "不是当前步骤的审批人" in _messages(exc_info)


def test_other_center_user_cannot_approve(approval, dispatcher_b, leader_x):
    services.approval_approve(actor=leader_x, approval=approval)
    approval.refresh_from_db()
    with pytest.raises(ValidationError):
        services.approval_approve(actor=dispatcher_b, approval=approval)
    assert ApprovalRequest.objects.get(pk=approval.pk).current_position == 2


def test_leader_of_a_parent_agency_decides_for_its_sub_unit(
    request_type, agency_x, leader_x, dispatcher_a
):
    sub = make_unit(agency_x, "财政局下属中心")
    requester = make_user(PersonFactory(agency=sub), username="sub_staff")
    approval = services.approval_submit(
        actor=requester, obj=requester.person, request_type=TYPE, title="下属单位申请"
    )
    assert approval.agency == sub
    services.approval_approve(actor=leader_x, approval=approval)
    assert ApprovalRequest.objects.get(pk=approval.pk).current_position == 2


def test_next_step_without_approvers_is_refused(approval, leader_x, dispatcher_a):
    RoleAssignment.objects.filter(user=dispatcher_a, role=Role.FLEET_DISPATCHER).delete()
    before = _snapshot(approval)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_approve(actor=leader_x, approval=approval)
    assert "第 2 步“调度员审批”没有" in _messages(exc_info)
    assert _snapshot(approval) == before


def test_one_open_request_per_target(approval, submit, leader_x):
    with pytest.raises(ValidationError) as exc_info:
        submit()
    assert "已有进行中的审批" in _messages(exc_info)
    services.approval_reject(actor=leader_x, approval=approval, comment="重新申请")
    assert submit().status == "pending"  # closed requests do not block a new one


def test_bad_submission_input(request_type, staff_x, target, person_b, leader_x, dispatcher_a):
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=staff_x, obj=target, request_type=TYPE, title=" ")
    assert exc_info.value.message_dict == {"title": ["请填写申请标题。"]}
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=staff_x, obj=target, request_type="nope", title="x")
    assert "未知的申请类型" in _messages(exc_info)
    with pytest.raises(ValidationError) as exc_info:
        services.approval_submit(actor=staff_x, obj=person_b, request_type=TYPE, title="x")
    assert "其他中心" in _messages(exc_info)
    assert not ApprovalRequest.objects.exists()


# ---------------------------------------------------------------- hooks


def test_hook_failure_rolls_back_the_decision(approval, leader_x, dispatcher_a, hooks):
    services.approval_approve(actor=leader_x, approval=approval)
    approval.refresh_from_db()
    hooks.fail_on.add("approved")
    before = _snapshot(approval)
    with pytest.raises(RuntimeError):
        services.approval_approve(actor=dispatcher_a, approval=approval)
    assert _snapshot(approval) == before
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"
    assert not Notification.objects.filter(kind="approval.approved").exists()
    # Once the module's hook works again, the same step can be approved.
    hooks.fail_on.clear()
    services.approval_approve(actor=dispatcher_a, approval=approval)
    assert hooks.names() == ["approved", "approved"]
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "approved"


def test_reject_hook_failure_rolls_back(approval, leader_x, hooks):
    hooks.fail_on.add("rejected")
    before = _snapshot(approval)
    with pytest.raises(RuntimeError):
        services.approval_reject(actor=leader_x, approval=approval, comment="不同意")
    assert _snapshot(approval) == before


def test_hook_sees_the_target(request_type, staff_x, target, leader_x, dispatcher_a):
    seen = []
    register_request_type(
        "test.single",
        "单步审批",
        default_steps=[StepSpec("负责人", role=Role.AGENCY_LEADER, scope="agency")],
        on_approved=lambda approval, *, actor: seen.append((approval.target, actor)),
    )
    try:
        approval = services.approval_submit(
            actor=staff_x, obj=target, request_type="test.single", title="单步"
        )
        services.approval_approve(actor=leader_x, approval=approval)
    finally:
        unregister_request_type("test.single")
    assert seen == [(target, leader_x)]


# ---------------------------------------------------------------- flows


def test_flow_is_created_from_defaults_on_first_use(approval, center_a):
    flow = ApprovalFlow.objects.get(center=center_a, request_type=TYPE)
    assert flow.name == "人员信息审核" and flow.is_active
    assert list(flow.steps.values_list("position", "approver_role", "scope")) == [
        (1, Role.AGENCY_LEADER, "agency"),
        (2, Role.FLEET_DISPATCHER, "center"),
    ]


def test_edited_flow_applies_to_new_requests_only(
    approval, submit, admin_a, staff_x, leader_a, leader_x, dispatcher_a
):
    services.approval_flow_save(
        actor=admin_a,
        request_type=TYPE,
        name="人员信息审核（简化）",
        is_active=True,
        steps=[
            {"name": "中心领导审批", "approver_role": Role.LEADER, "scope": "center"},
            {"name": "指定人员复核", "approver_role": "", "approver_user": dispatcher_a},
        ],
    )
    assert approval.steps.count() == 2
    assert approval.steps.get(position=1).approver_role == Role.AGENCY_LEADER  # unchanged
    services.approval_reject(actor=leader_x, approval=approval, comment="按新流程重报")
    new = submit()
    assert list(new.steps.values_list("name", "approver_role", "approver_user")) == [
        ("中心领导审批", Role.LEADER, None),
        ("指定人员复核", "", dispatcher_a.pk),
    ]
    # A named step is decided by that person only.
    services.approval_approve(actor=leader_a, approval=new)
    new.refresh_from_db()
    assert not can_act_on_step(leader_a, new, new.steps.get(position=2))
    services.approval_approve(actor=dispatcher_a, approval=new)
    assert ApprovalRequest.objects.get(pk=new.pk).status == "approved"


def test_inactive_flow_refuses_submission(request_type, admin_a, submit, leader_x):
    services.approval_flow_save(
        actor=admin_a,
        request_type=TYPE,
        name="停用",
        is_active=False,
        steps=[{"name": "负责人", "approver_role": Role.AGENCY_LEADER, "scope": "agency"}],
    )
    with pytest.raises(ValidationError) as exc_info:
        submit()
    assert "已停用" in _messages(exc_info)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "至少需要一个步骤"),
        ([{"name": "", "approver_role": Role.LEADER}], "请填写步骤名称"),
        ([{"name": "x", "approver_role": ""}], "二者选一"),
        ([{"name": "x", "approver_role": "boss"}], "审批角色无效"),
        ([{"name": "x", "approver_role": Role.LEADER, "scope": "world"}], "审批范围无效"),
    ],
)
def test_flow_save_validation(request_type, admin_a, steps, message):
    with pytest.raises(ValidationError) as exc_info:
        services.approval_flow_save(
            actor=admin_a, request_type=TYPE, name="流程", is_active=True, steps=steps
        )
    assert message in _messages(exc_info)
    assert not ApprovalFlow.objects.exists()


def test_flow_step_user_must_be_of_the_center(request_type, admin_a, admin_b, dispatcher_a):
    steps = [{"name": "x", "approver_role": Role.LEADER, "approver_user": dispatcher_a}]
    with pytest.raises(ValidationError) as exc_info:
        services.approval_flow_save(
            actor=admin_a, request_type=TYPE, name="流程", is_active=True, steps=steps
        )
    assert "二者选一" in _messages(exc_info)
    steps = [{"name": "x", "approver_role": "", "approver_user": admin_b}]
    with pytest.raises(ValidationError) as exc_info:
        services.approval_flow_save(
            actor=admin_a, request_type=TYPE, name="流程", is_active=True, steps=steps
        )
    assert "本中心" in _messages(exc_info)


# ---------------------------------------------------------------- database integrity


def test_database_refuses_a_step_with_two_approver_kinds(approval, dispatcher_a):
    flow = ApprovalFlow.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalFlowStep.objects.create(
            flow=flow, position=9, name="x", approver_role=Role.LEADER, approver_user=dispatcher_a
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalFlowStep.objects.create(flow=flow, position=9, name="x")


def test_database_refuses_two_open_requests_and_two_pending_steps(approval, staff_x):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.create(
            center_id=approval.center_id,
            request_type=approval.request_type,
            content_type=approval.content_type,
            object_id=approval.object_id,
            requester=staff_x,
            title="重复",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalStep.objects.filter(request=approval, position=2).update(status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.filter(pk=approval.pk).update(status="approved")  # no decided_at


def test_audit_log_records_changes_with_the_center(approval, center_a):
    from houqin.core.models import AuditLogEntry

    entries = AuditLogEntry.objects.filter(content_type__app_label="approvals")
    assert entries.exists()
    assert set(entries.values_list("center_id", flat=True)) == {center_a.pk}
