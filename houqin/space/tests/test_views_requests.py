"""用房申请 pages: create (liaison for their agency, manager for any), list with filter and
export, detail with the approval steps and the agency's figures, resubmit and withdraw;
scoping (another agency's liaison and another center: 404; staff: 403) and query budgets."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.approvals import services as approvals
from houqin.core.approvals.models import ApprovalRequest
from houqin.core.models import AuditEvent
from houqin.core.roles import Role
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space.compliance import ZERO, compliance
from houqin.space.models import PlanStep, SpaceRequest
from houqin.space.services import allocation as alloc
from houqin.space.services import plans

from .conftest import D
from .test_requests import approval_of, make_head, submit

pytestmark = pytest.mark.django_db
S = SpaceRequest.Status


def url(name, *args):
    return reverse(f"space:{name}", args=args)


FORM = {"reason": "新增编制 3 人", "headcount": "12", "area_wanted": "36"}


@pytest.fixture
def head_x(agency_x):
    return make_head(agency_x, "head_x")


@pytest.fixture
def head_y(agency_y):
    return make_head(agency_y, "head_y")


@pytest.fixture
def liaison_y(agency_y):
    return make_user(
        PersonFactory(agency=agency_y, name="联络员乙"), Role.LIAISON, username="lia_y"
    )


@pytest.fixture
def approvers(head_x, manager_a, leader_a):
    """Somebody for every step of agency_x's flow (submitting needs them all)."""
    return head_x, manager_a, leader_a


@pytest.fixture
def space_request(liaison_x, agency_x, approvers):
    return submit(liaison_x, agency_x)


def test_liaison_applies_for_their_agency(client, liaison_x, agency_x, approvers):
    client.force_login(liaison_x)
    page = client.get(url("request_create")).content.decode()
    assert "甲区财政局" in page and 'name="agency"' not in page
    response = client.post(url("request_create"), FORM)
    space_request = SpaceRequest.objects.get()
    assert response.status_code == 302 and response.url == url("request_detail", space_request.pk)
    assert space_request.agency == agency_x and space_request.requested_by == liaison_x
    assert approval_of(space_request).status == ApprovalRequest.Status.PENDING


def test_bad_input_is_shown_and_nothing_written(client, liaison_x, head_x):
    client.force_login(liaison_x)
    for bad, message in (
        ({"area_wanted": "0"}, "申请面积必须大于 0"),
        ({"area_wanted": "abc"}, "申请面积必须是数字"),
        ({"headcount": "1.5"}, "现有人数必须是整数"),
        ({"reason": ""}, "请填写申请理由"),
        ({"headcount": ""}, "请填写现有人数"),
    ):
        response = client.post(url("request_create"), FORM | bad)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not SpaceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_manager_chooses_the_agency(client, manager_a, agency_y, head_y, leader_a):
    make_user(PersonFactory(agency=agency_y), Role.SPACE_MANAGER, username="space_a2")
    client.force_login(manager_a)
    assert 'name="agency"' in client.get(url("request_create")).content.decode()
    response = client.post(url("request_create"), FORM)
    assert response.status_code == 422 and "请选择申请单位" in response.content.decode()
    response = client.post(url("request_create"), FORM | {"agency": agency_y.pk})
    assert response.status_code == 302
    assert SpaceRequest.objects.get().agency == agency_y


def test_manager_cannot_pick_another_centers_agency(client, manager_a, agency_b):
    client.force_login(manager_a)
    response = client.post(url("request_create"), FORM | {"agency": agency_b.pk})
    assert response.status_code == 422 and "请选择本中心的部门/单位" in response.content.decode()
    assert not SpaceRequest.objects.exists()


def test_staff_may_not_apply_nor_list(client, staff_x):
    client.force_login(staff_x)
    assert client.get(url("request_create")).status_code == 403
    assert client.post(url("request_create"), FORM).status_code == 403
    assert client.get(url("request_list")).status_code == 403
    assert not SpaceRequest.objects.exists()


def test_leader_reads_but_does_not_apply(client, leader_a, space_request):
    client.force_login(leader_a)
    assert client.get(url("request_create")).status_code == 403
    assert client.get(url("request_detail", space_request.pk)).status_code == 200


def test_list_is_scoped_and_filtered(
    client, liaison_x, liaison_y, manager_a, space_request, head_y, agency_y
):
    other = submit(liaison_y, agency_y, reason="教育局新增科室")
    client.force_login(liaison_x)
    page = client.get(url("request_list")).content.decode()
    assert url("request_detail", space_request.pk) in page
    assert url("request_detail", other.pk) not in page
    client.force_login(manager_a)
    page = client.get(url("request_list")).content.decode()
    assert (
        url("request_detail", other.pk) in page and url("request_detail", space_request.pk) in page
    )
    page = client.get(url("request_list"), {"agency": agency_y.pk}).content.decode()
    assert url("request_detail", space_request.pk) not in page
    page = client.get(url("request_list"), {"status": "approved"}).content.decode()
    assert url("request_detail", other.pk) not in page
    response = client.get(url("request_list"), {"q": "教育局"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and url("request_detail", other.pk) in body
    assert url("request_detail", space_request.pk) not in body


def test_export(client, manager_a, space_request):
    client.force_login(manager_a)
    response = client.get(url("request_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "甲区财政局" in values and "新增编制 3 人，现有办公室不足" in values
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "space.SpaceRequest" and event.detail["rows"] == 1


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_list_runs_a_constant_number_of_queries(client, manager_a, liaison_x, agency_x, approvers):
    client.force_login(manager_a)
    submit(liaison_x, agency_x)
    few = _queries(client, url("request_list"))
    for _ in range(12):
        submit(liaison_x, agency_x)
    assert _queries(client, url("request_list")) == few


def test_detail_shows_steps_figures_and_link_to_decide(
    client, liaison_x, head_x, center_a, agency_x, make_room, space_request
):
    alloc.allocation_create(actor=None, room=make_room(area="40.00"), agency=agency_x)
    client.force_login(liaison_x)
    page = client.get(url("request_detail", space_request.pk)).content.decode()
    approval = approval_of(space_request)
    assert reverse("approvals:detail", args=[approval.pk]) in page
    for name in ("单位负责人审核", "办公用房管理员审核", "中心领导审批"):
        assert name in page
    figures = compliance(center_a.pk, agency=agency_x).agencies[0]
    assert f"{figures.entitlement} ㎡" in page and "40.00 ㎡" in page
    headroom = max(figures.entitlement - figures.office_area, ZERO)
    assert f"{headroom} ㎡" in page
    assert "撤回申请" in page and "修改后重新提交" not in page
    client.force_login(head_x)  # an approver reads it too, but cannot withdraw it
    page = client.get(url("request_detail", space_request.pk)).content.decode()
    assert "撤回申请" not in page


def test_user_text_is_escaped(client, liaison_x, agency_x, approvers, manager_a):
    space_request = submit(liaison_x, agency_x, reason="<script>alert(1)</script>")
    client.force_login(manager_a)
    for path in (url("request_detail", space_request.pk), url("request_list")):
        page = client.get(path).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_other_agency_and_other_center_get_404(client, liaison_y, manager_b, space_request):
    for user in (liaison_y, manager_b):
        client.force_login(user)
        assert client.get(url("request_detail", space_request.pk)).status_code == 404
        assert client.post(url("request_cancel", space_request.pk)).status_code == 404
        assert client.get(url("request_resubmit", space_request.pk)).status_code in (403, 404)
    space_request.refresh_from_db()
    assert space_request.status == S.PENDING


def test_returned_request_edited_and_resubmitted(client, liaison_x, head_x, space_request):
    approvals.approval_return(
        actor=head_x, approval=approval_of(space_request), comment="请补充编制批文"
    )
    client.force_login(liaison_x)
    page = client.get(url("request_detail", space_request.pk)).content.decode()
    assert "修改后重新提交" in page and "请补充编制批文" in page
    form = client.get(url("request_resubmit", space_request.pk)).content.decode()
    assert "新增编制 3 人，现有办公室不足" in form
    response = client.post(url("request_resubmit", space_request.pk), FORM | {"area_wanted": "x"})
    assert response.status_code == 422 and "申请面积必须是数字" in response.content.decode()
    space_request.refresh_from_db()
    assert space_request.status == S.RETURNED
    response = client.post(url("request_resubmit", space_request.pk), FORM | {"area_wanted": "30"})
    assert response.status_code == 302
    space_request.refresh_from_db()
    assert space_request.status == S.PENDING and str(space_request.area_wanted) == "30.00"
    assert approval_of(space_request).status == ApprovalRequest.Status.PENDING


def test_only_the_applicant_resubmits_a_returned_request(
    client, liaison_x, head_x, manager_a, space_request
):
    client.force_login(liaison_x)
    response = client.get(url("request_resubmit", space_request.pk), follow=True)
    assert "只有申请人可以修改退回的申请" in response.content.decode()  # still pending
    approvals.approval_return(actor=head_x, approval=approval_of(space_request), comment="改")
    client.force_login(manager_a)
    response = client.post(url("request_resubmit", space_request.pk), FORM, follow=True)
    assert "只有申请人可以修改退回的申请" in response.content.decode()
    space_request.refresh_from_db()
    assert space_request.status == S.RETURNED


def test_withdraw(client, liaison_x, manager_a, space_request):
    client.force_login(manager_a)  # not the applicant
    response = client.post(url("request_cancel", space_request.pk), follow=True)
    assert "只有申请人本人可以撤回申请" in response.content.decode()
    client.force_login(liaison_x)
    assert client.get(url("request_cancel", space_request.pk)).status_code == 405
    response = client.post(url("request_cancel", space_request.pk), follow=True)
    assert "已撤回用房申请" in response.content.decode()
    space_request.refresh_from_db()
    assert space_request.status == S.CANCELLED
    assert "撤回申请" not in client.get(url("request_detail", space_request.pk)).content.decode()


def test_detail_lists_the_plan_steps_that_realise_it(
    client, liaison_x, manager_a, center_a, agency_x, make_room, space_request
):
    approval = approval_of(space_request)
    for user in ("head_x", "space_a", "lead_a"):
        actor = type(manager_a).objects.get(username=user)
        approval = approvals.approval_approve(actor=actor, approval=approval)
    space_request.refresh_from_db()
    plan = plans.plan_create(
        actor=manager_a, center=center_a, year=2026, title="2026 年调整方案", effective_date=D
    )
    plans.plan_step_add(
        actor=manager_a,
        plan=plan,
        kind=PlanStep.Kind.ALLOCATE,
        room=make_room(number="508"),
        to_agency=agency_x,
        request=space_request,
    )
    client.force_login(liaison_x)
    page = client.get(url("request_detail", space_request.pk)).content.decode()
    assert "2026 年调整方案" in page and "508" in page
    assert url("plan_detail", plan.pk) not in page  # liaisons do not open plans
    client.force_login(manager_a)
    page = client.get(url("request_detail", space_request.pk)).content.decode()
    assert url("plan_detail", plan.pk) in page
