"""Requests for more office space through the shared approval flow (单位负责人 → 办公用房管理员
→ 中心领导): the whole flow end to end, every way out of it, and bad input that writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from houqin.core.approvals import services as approvals
from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space.models import SpaceRequest
from houqin.space.services import plans

pytestmark = pytest.mark.django_db
S = SpaceRequest.Status


def make_head(agency, username):
    """The agency's leader (单位负责人), who decides the first step."""
    return make_user(
        PersonFactory(agency=agency, name=f"{agency.name}负责人"),
        Role.AGENCY_LEADER,
        username=username,
    )


def submit(actor, agency, **overrides):
    data = {"reason": "新增编制 3 人，现有办公室不足", "headcount": 12, "area_wanted": "36"}
    return plans.request_submit(actor=actor, agency=agency, **(data | overrides))


def approval_of(space_request):
    return approval_for_object(space_request, request_type=plans.REQUEST_TYPE)


@pytest.fixture
def head_x(agency_x):
    return make_head(agency_x, "head_x")


@pytest.fixture
def flow(head_x, manager_a, leader_a):
    """Somebody for every step of the flow of agency_x."""
    return head_x, manager_a, leader_a


def test_submit_approve_through_every_step(liaison_x, agency_x, flow):
    space_request = submit(liaison_x, agency_x)
    assert space_request.status == S.PENDING and space_request.area_wanted == Decimal("36.00")
    approval = approval_of(space_request)
    assert approval.agency == agency_x and approval.requester == liaison_x
    assert [s.name for s in approval.steps.order_by("position")] == [
        "单位负责人审核",
        "办公用房管理员审核",
        "中心领导审批",
    ]
    for position, approver in enumerate(flow, start=1):
        approval.refresh_from_db()
        assert approval.current_position == position
        approvals.approval_approve(actor=approver, approval=approval, comment="同意")
        space_request.refresh_from_db()
        if position < 3:
            assert space_request.status == S.PENDING
    assert space_request.status == S.APPROVED and space_request.decided_at is not None
    note = Notification.objects.get(recipient=liaison_x, kind="space.request")
    assert "已批准" in note.title and note.url == f"/space/requests/{space_request.pk}/"


def test_the_wrong_approver_cannot_decide(liaison_x, agency_x, flow):
    _head_x, manager_a, _leader_a = flow
    approval = approval_of(submit(liaison_x, agency_x))
    with pytest.raises(ValidationError, match="不是当前步骤的审批人"):
        approvals.approval_approve(actor=manager_a, approval=approval)
    with pytest.raises(ValidationError, match="不能审批本人提交的申请"):
        approvals.approval_approve(actor=liaison_x, approval=approval)


def test_rejected(liaison_x, agency_x, flow):
    head_x, manager_a, _ = flow
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    approval = approvals.approval_approve(actor=head_x, approval=approval)
    approvals.approval_reject(actor=manager_a, approval=approval, comment="现有面积已达标准")
    space_request.refresh_from_db()
    assert space_request.status == S.REJECTED and space_request.decided_at is not None


def test_returned_then_resubmitted_edited(liaison_x, agency_x, flow):
    head_x, *_ = flow
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    approvals.approval_return(actor=head_x, approval=approval, comment="请补充编制批文")
    space_request.refresh_from_db()
    assert space_request.status == S.RETURNED
    plans.request_resubmit(
        actor=liaison_x,
        request=space_request,
        approval=approval,
        reason="新增编制 3 人（编办〔2026〕5 号）",
        headcount="13",
        area_wanted="30.5",
    )
    space_request.refresh_from_db()
    approval.refresh_from_db()
    assert space_request.status == S.PENDING
    assert (space_request.headcount, space_request.area_wanted) == (13, Decimal("30.50"))
    assert approval.status == ApprovalRequest.Status.PENDING and approval.current_position == 1
    assert "30.50" in approval.title and "编办" in approval.summary


def test_resubmitted_from_the_approvals_page(liaison_x, agency_x, flow):
    """The shared approvals page resubmits without our form: on_resubmitted keeps us in step."""
    head_x, *_ = flow
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    approvals.approval_return(actor=head_x, approval=approval, comment="请补充说明")
    approvals.approval_resubmit(actor=liaison_x, approval=approval, comment="已补充")
    space_request.refresh_from_db()
    assert space_request.status == S.PENDING


def test_resubmit_rules(liaison_x, agency_x, flow, manager_a):
    head_x, *_ = flow
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    fields = {"reason": "改", "headcount": 1, "area_wanted": "10"}
    with pytest.raises(ValidationError, match="只有退回修改的申请"):
        plans.request_resubmit(actor=liaison_x, request=space_request, approval=approval, **fields)
    approvals.approval_return(actor=head_x, approval=approval, comment="请补充")
    with pytest.raises(ValidationError, match="只有申请人可以重新提交"):
        plans.request_resubmit(actor=manager_a, request=space_request, approval=approval, **fields)
    with pytest.raises(ValidationError, match="请填写申请理由"):
        plans.request_resubmit(
            actor=liaison_x, request=space_request, approval=approval, **(fields | {"reason": ""})
        )
    other = approval_of(submit(liaison_x, agency_x))
    with pytest.raises(ValidationError, match="未找到该申请的审批单"):
        plans.request_resubmit(actor=liaison_x, request=space_request, approval=other, **fields)
    space_request.refresh_from_db()
    assert space_request.status == S.RETURNED and space_request.reason.startswith("新增编制")


def test_cancelled_by_the_applicant_only(liaison_x, agency_x, flow, manager_a):
    space_request = submit(liaison_x, agency_x)
    approval = approval_of(space_request)
    with pytest.raises(ValidationError, match="只有申请人本人可以撤回"):
        plans.request_cancel(actor=manager_a, request=space_request, approval=approval)
    plans.request_cancel(actor=liaison_x, request=space_request, approval=approval)
    space_request.refresh_from_db()
    approval.refresh_from_db()
    assert space_request.status == S.CANCELLED
    assert approval.status == ApprovalRequest.Status.CANCELLED
    with pytest.raises(ValidationError, match="已被处理"):
        plans.request_cancel(actor=liaison_x, request=space_request, approval=approval)


def test_manager_applies_on_behalf_of_any_agency(manager_a, agency_y, leader_a):
    make_head(agency_y, "head_y")
    # A second space manager decides step 2: nobody decides their own request.
    make_user(PersonFactory(agency=agency_y), Role.SPACE_MANAGER, username="space_a2")
    space_request = submit(manager_a, agency_y)
    assert space_request.agency == agency_y and space_request.requested_by == manager_a
    assert approval_of(space_request).agency == agency_y


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"area_wanted": "0"}, "申请面积必须大于 0"),
        ({"area_wanted": "-5"}, "申请面积必须大于 0"),
        ({"area_wanted": "abc"}, "申请面积必须是数字"),
        ({"area_wanted": "12.345"}, "最多保留两位小数"),
        ({"area_wanted": "100000"}, "申请面积过大"),
        ({"headcount": "0"}, "现有人数应在 1—10000 之间"),
        ({"headcount": "三"}, "现有人数必须是整数"),
        ({"headcount": ""}, "现有人数必须是整数"),
        ({"reason": "   "}, "请填写申请理由"),
        ({"reason": "长" * 2001}, "申请理由不能超过 2000 个字"),
    ],
)
def test_bad_input_writes_nothing(liaison_x, agency_x, head_x, overrides, message):
    with pytest.raises(ValidationError, match=message) as info:
        submit(liaison_x, agency_x, **overrides)
    assert set(info.value.message_dict) <= {"reason", "headcount", "area_wanted"}
    assert not SpaceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_only_for_ones_own_agency(liaison_x, agency_y, agency_b, head_x, staff_x, agency_x):
    make_head(agency_y, "head_y")
    with pytest.raises(ValidationError, match="只能为本单位申请办公用房"):
        submit(liaison_x, agency_y)
    with pytest.raises(ValidationError, match="请选择本中心的部门/单位"):
        submit(liaison_x, agency_b)
    with pytest.raises(ValidationError, match="没有提交用房申请的权限"):
        submit(staff_x, agency_x)
    assert not SpaceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_no_agency_leader_means_nothing_is_submitted(liaison_x, agency_x):
    with pytest.raises(ValidationError, match="单位负责人审核"):
        submit(liaison_x, agency_x)
    assert not SpaceRequest.objects.exists()
