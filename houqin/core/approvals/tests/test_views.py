"""Approval pages: boxes, detail with the action form, decisions, flow settings, home inbox."""

import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.approvals import services
from houqin.core.approvals.models import ApprovalAction, ApprovalFlow, ApprovalRequest
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory

from .conftest import TYPE

pytestmark = pytest.mark.django_db

LIST = reverse("approvals:list")
_serial = itertools.count()


def _login(client, user):
    client.force_login(user)
    return client


def _detail(approval):
    return reverse("approvals:detail", args=[approval.pk])


def _decide(approval):
    return reverse("approvals:decide", args=[approval.pk])


@pytest.mark.parametrize("tab", ["to_decide", "mine", "done", "bogus"])
def test_list_tabs_render(client, approval, leader_x, tab):
    html = _login(client, leader_x).get(LIST, {"tab": tab}).content.decode()
    assert "<html" in html and "待我审批" in html and "我发起的" in html and "我已处理" in html
    if tab in ("to_decide", "bogus"):
        assert approval.title in html and "部门负责人审批" in html


def test_each_box_lists_its_own(client, approval, staff_x, leader_x):
    _login(client, staff_x)
    assert approval.title not in client.get(LIST).content.decode()
    assert approval.title in client.get(LIST, {"tab": "mine"}).content.decode()
    services.approval_approve(actor=leader_x, approval=approval)
    _login(client, leader_x)
    assert approval.title not in client.get(LIST).content.decode()
    assert approval.title in client.get(LIST, {"tab": "done"}).content.decode()


def test_list_filters(client, submit, staff_x, leader_x):
    submit(title="用车申请甲")
    submit(obj=staff_x.person, title="会议申请乙")
    _login(client, leader_x)
    html = client.get(LIST, {"q": "用车"}).content.decode()
    assert "用车申请甲" in html and "会议申请乙" not in html
    html = client.get(LIST, {"status": "approved"}).content.decode()
    assert "用车申请甲" not in html
    html = client.get(LIST, {"request_type": TYPE}).content.decode()
    assert "用车申请甲" in html and "会议申请乙" in html


def test_list_htmx_returns_the_fragment(client, approval, leader_x):
    response = _login(client, leader_x).get(LIST, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and approval.title in html


def _add_requests(requester, agency, count):
    for _ in range(count):
        target = PersonFactory(agency=agency, name=f"对象{next(_serial)}")
        services.approval_submit(
            actor=requester, obj=target, request_type=TYPE, title=f"批量申请{target.name}"
        )


@pytest.mark.parametrize("tab", ["to_decide", "mine", "done"])
def test_list_pages_run_constant_queries(
    client, request_type, agency_x, staff_x, leader_x, dispatcher_a, tab
):
    _login(client, staff_x if tab == "mine" else leader_x)

    def measure(rows):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, {"tab": tab})
        assert response.status_code == 200
        assert f"共 {rows} 条" in response.content.decode()
        return len(ctx.captured_queries)

    def add(count):
        _add_requests(staff_x, agency_x, count)
        if tab == "done":
            for approval in ApprovalRequest.objects.filter(current_position=1, status="pending"):
                services.approval_approve(actor=leader_x, approval=approval)

    add(2)
    client.get(LIST, {"tab": tab})  # warm-up: one-off caches
    few = measure(2)
    add(15)
    assert measure(17) == few


def test_export_xlsx(client, approval, leader_x):
    response = _login(client, leader_x).get(LIST, {"tab": "to_decide", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "标题" and rows[1][0] == approval.title and rows[1][5] == "部门负责人审批"


# ---------------------------------------------------------------- detail and decisions


def test_detail_shows_target_steps_history_and_form_to_the_approver(client, approval, leader_x):
    html = _login(client, leader_x).get(_detail(approval)).content.decode()
    assert approval.title in html and "待审核人员" in html
    assert reverse("org:person_detail", args=[approval.object_id]) in html
    assert "部门负责人审批" in html and "调度员审批" in html and "提交" in html
    assert 'value="approve"' in html and _decide(approval) in html


@pytest.mark.parametrize("who", ["staff_x", "admin_a", "auditor_a"])
def test_detail_has_no_action_form_for_others(client, approval, request, who):
    user = request.getfixturevalue(who)
    response = _login(client, user).get(_detail(approval))
    assert response.status_code == 200
    assert 'value="approve"' not in response.content.decode()


def test_approve_through_the_page(client, approval, leader_x):
    response = _login(client, leader_x).post(
        _decide(approval), {"action": "approve", "comment": "同意", "position": 1}
    )
    assert response.status_code == 302 and response.url == _detail(approval)
    approval.refresh_from_db()
    assert approval.current_position == 2
    assert approval.steps.get(position=1).comment == "同意"


def test_reject_without_comment_shows_the_error(client, approval, leader_x):
    response = _login(client, leader_x).post(
        _decide(approval), {"action": "reject", "comment": "", "position": 1}
    )
    assert response.status_code == 200
    assert "请填写驳回理由。" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == "pending" and approval.actions.count() == 1


def test_second_click_gets_the_stale_message(client, approval, leader_x):
    _login(client, leader_x)
    data = {"action": "approve", "comment": "", "position": 1}
    client.post(_decide(approval), data)
    response = client.post(_decide(approval), data, follow=True)
    assert "该审批已被处理，请刷新页面" in response.content.decode()
    assert ApprovalAction.objects.filter(action="approve").count() == 1


def test_bad_action_is_refused(client, approval, leader_x):
    response = _login(client, leader_x).post(_decide(approval), {"action": "delete", "position": 1})
    assert response.status_code == 200 and "请选择审批操作" in response.content.decode()
    assert ApprovalRequest.objects.get(pk=approval.pk).current_position == 1


def test_decide_is_post_only(client, approval, leader_x):
    assert _login(client, leader_x).get(_decide(approval)).status_code == 405


def test_return_resubmit_and_cancel_through_the_pages(client, approval, staff_x, leader_x):
    _login(client, leader_x).post(
        _decide(approval), {"action": "return", "comment": "请补充", "position": 1}
    )
    _login(client, staff_x)
    html = client.get(_detail(approval)).content.decode()
    assert "重新提交" in html and "请补充" in html
    client.post(reverse("approvals:resubmit", args=[approval.pk]), {"comment": "已补充"})
    approval.refresh_from_db()
    assert approval.status == "pending"
    response = client.post(reverse("approvals:resubmit", args=[approval.pk]), follow=True)
    assert "该审批已被处理，请刷新页面" in response.content.decode()
    client.post(reverse("approvals:cancel", args=[approval.pk]))
    approval.refresh_from_db()
    assert approval.status == "cancelled"


def test_home_inbox_shows_the_approvers_items_only(client, approval, leader_x, staff_x):
    html = _login(client, leader_x).get(reverse("home")).content.decode()
    assert "待审批" in html and approval.title in html
    html = _login(client, staff_x).get(reverse("home")).content.decode()
    assert approval.title not in html


def test_menu_entries(staff_x, admin_a):
    from houqin.core.menu import menu_for

    def keys(user):
        return {item.key for _group, items in menu_for(user) for item in items}

    assert "approvals" in keys(staff_x) and "approval_flows" not in keys(staff_x)
    assert {"approvals", "approval_flows"} <= keys(admin_a)


# ---------------------------------------------------------------- flow settings


def _flow_post(steps, name="人员信息审核", is_active=True):
    data = {
        "name": name,
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
    }
    if is_active:
        data["is_active"] = "on"
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{i}-{key}"] = value
    return data


def test_flow_pages_for_the_center_admin(client, request_type, admin_a):
    _login(client, admin_a)
    html = client.get(reverse("approvals:flow_list")).content.decode()
    assert "人员信息审核" in html and "默认" in html
    url = reverse("approvals:flow_edit", args=[TYPE])
    html = client.get(url).content.decode()
    assert "部门负责人审批" in html and "调度员审批" in html
    assert not ApprovalFlow.objects.exists()  # showing the defaults writes nothing


def test_flow_edit_reorders_removes_and_adds(client, request_type, admin_a, dispatcher_a):
    _login(client, admin_a)
    url = reverse("approvals:flow_edit", args=[TYPE])
    steps = [
        {
            "name": "部门负责人审批",
            "approver_role": Role.AGENCY_LEADER,
            "scope": "agency",
            "ORDER": "2",
        },
        {
            "name": "调度员审批",
            "approver_role": Role.FLEET_DISPATCHER,
            "scope": "center",
            "ORDER": "1",
        },
        {
            "name": "删掉的",
            "approver_role": Role.LEADER,
            "scope": "center",
            "ORDER": "3",
            "DELETE": "on",
        },
        {
            "name": "指定复核",
            "approver_role": "",
            "scope": "center",
            "approver_user": str(dispatcher_a.pk),
            "ORDER": "4",
        },
        {"name": "", "approver_role": "", "scope": "center", "ORDER": ""},  # blank extra row
    ]
    response = client.post(url, _flow_post(steps))
    assert response.status_code == 302, response.content.decode()
    flow = ApprovalFlow.objects.get()
    assert list(flow.steps.values_list("position", "name", "approver_role", "approver_user")) == [
        (1, "调度员审批", Role.FLEET_DISPATCHER, None),
        (2, "部门负责人审批", Role.AGENCY_LEADER, None),
        (3, "指定复核", "", dispatcher_a.pk),
    ]
    html = client.get(reverse("approvals:flow_list")).content.decode()
    assert "启用" in html and "指定复核" in html


def test_flow_edit_bad_input_changes_nothing(client, request_type, admin_a, admin_b):
    _login(client, admin_a)
    url = reverse("approvals:flow_edit", args=[TYPE])
    both = [
        {
            "name": "x",
            "approver_role": Role.LEADER,
            "scope": "center",
            "approver_user": "",
            "ORDER": "1",
        }
    ]
    both[0]["approver_user"] = str(admin_a.pk)
    response = client.post(url, _flow_post(both))
    assert response.status_code == 200 and "二者选一" in response.content.decode()
    other_center = [
        {"name": "x", "approver_role": "", "scope": "center", "approver_user": str(admin_b.pk)}
    ]
    response = client.post(url, _flow_post(other_center))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.post(url, _flow_post([]))
    assert "至少需要一个步骤" in response.content.decode()
    assert not ApprovalFlow.objects.exists()


def test_flow_edit_unknown_type_is_404(client, admin_a):
    assert _login(client, admin_a).get("/approvals/flows/nope/").status_code == 404
