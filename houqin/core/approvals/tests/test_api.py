"""approvals API: boxes, detail, history, decisions and their Chinese 400s."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from houqin.core.approvals import services
from houqin.core.approvals.models import ApprovalAction, ApprovalRequest
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import TYPE

pytestmark = pytest.mark.django_db

BASE = "/api/v1/approvals/"
_serial = itertools.count()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_boxes(approval, staff_x, leader_x, dispatcher_a):
    assert _ids(api(leader_x).get(BASE, {"box": "to_decide"})) == {approval.pk}
    assert _ids(api(leader_x).get(BASE, {"box": "mine"})) == set()
    assert _ids(api(staff_x).get(BASE, {"box": "mine"})) == {approval.pk}
    assert _ids(api(staff_x).get(BASE, {"box": "to_decide"})) == set()
    assert _ids(api(dispatcher_a).get(BASE)) == set()
    api(leader_x).post(f"{BASE}{approval.pk}/approve/", {"comment": "同意"}, format="json")
    assert _ids(api(leader_x).get(BASE, {"box": "done"})) == {approval.pk}
    assert _ids(api(dispatcher_a).get(BASE, {"box": "to_decide"})) == {approval.pk}


def test_bad_box_is_a_400(approval, leader_x):
    response = api(leader_x).get(BASE, {"box": "everything"})
    assert response.status_code == 400 and "box" in response.json()


def test_detail(approval, leader_x, staff_x):
    data = api(leader_x).get(f"{BASE}{approval.pk}/").json()
    assert data["title"] == approval.title
    assert data["status"] == "pending" and data["status_display"] == "审批中"
    assert data["request_type"] == TYPE and data["request_type_label"] == "人员信息审核"
    assert data["target"] == {"type": "org.person", "id": approval.object_id}
    assert data["requester"]["name"] == "职工甲"
    assert data["current_step_name"] == "部门负责人审批"
    assert [s["status"] for s in data["steps"]] == ["pending", "waiting"]
    assert data["steps"][0]["approver"] == "部门负责人（申请部门）"
    assert data["can_decide"] is True
    assert api(staff_x).get(f"{BASE}{approval.pk}/").json()["can_decide"] is False


def test_full_flow_through_the_api(approval, staff_x, leader_x, dispatcher_a, hooks):
    response = api(leader_x).post(
        f"{BASE}{approval.pk}/return/", {"comment": "请补充"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"
    response = api(staff_x).post(f"{BASE}{approval.pk}/resubmit/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    response = api(leader_x).post(f"{BASE}{approval.pk}/approve/", {"position": 1}, format="json")
    assert response.json()["current_position"] == 2
    response = api(dispatcher_a).post(f"{BASE}{approval.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert hooks.names() == ["returned", "approved"]
    history = api(staff_x).get(f"{BASE}{approval.pk}/history/").json()
    assert [h["action"] for h in history] == ["submit", "return", "resubmit", "approve", "approve"]
    assert history[1]["comment"] == "请补充" and history[1]["actor"]["name"] == "财政局负责人"


def test_reject_needs_a_comment(approval, leader_x):
    response = api(leader_x).post(f"{BASE}{approval.pk}/reject/", {"comment": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"comment": ["请填写驳回理由。"]}
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"
    assert ApprovalAction.objects.count() == 1


def test_too_long_comment(approval, leader_x):
    response = api(leader_x).post(
        f"{BASE}{approval.pk}/approve/", {"comment": "长" * 1001}, format="json"
    )
    assert response.status_code == 400 and "1000" in response.json()["comment"][0]


def test_deciding_twice_is_a_400(approval, leader_x):
    url = f"{BASE}{approval.pk}/approve/"
    assert api(leader_x).post(url, {"position": 1}, format="json").status_code == 200
    response = api(leader_x).post(url, {"position": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该审批已被处理，请刷新页面"]}
    assert ApprovalAction.objects.filter(action="approve").count() == 1


def test_self_approval_is_a_400(request_type, target, agency_x, leader_x, dispatcher_a):
    from houqin.core.roles import Role

    boss = make_user(PersonFactory(agency=agency_x), Role.AGENCY_LEADER, username="boss")
    approval = services.approval_submit(actor=boss, obj=target, request_type=TYPE, title="自批")
    response = api(boss).post(f"{BASE}{approval.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["不能审批本人提交的申请"]}


def test_not_the_approver_is_a_400(approval, admin_a):
    response = api(admin_a).post(f"{BASE}{approval.pk}/approve/", {}, format="json")
    assert response.status_code == 400 and "不是当前步骤的审批人" in str(response.json())


def test_cancel_by_requester(approval, staff_x, leader_x):
    assert api(leader_x).post(f"{BASE}{approval.pk}/cancel/", {}, format="json").status_code == 400
    response = api(staff_x).post(f"{BASE}{approval.pk}/cancel/", {"comment": "撤回"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_anonymous_is_refused(approval):
    assert APIClient().get(BASE).status_code in (401, 403)


def test_list_runs_constant_queries(request_type, agency_x, leader_x, dispatcher_a):
    def add(count):
        for _ in range(count):
            requester = make_user(PersonFactory(agency=agency_x), username=f"areq{next(_serial)}")
            services.approval_submit(
                actor=requester, obj=requester.person, request_type=TYPE, title="批量"
            )

    client = api(leader_x)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(BASE, {"box": "to_decide", "page_size": 100})
        assert response.status_code == 200
        return len(response.json()["results"]), len(ctx.captured_queries)

    add(2)
    client.get(BASE)  # warm-up
    rows_few, few = measure()
    add(15)
    rows_many, many = measure()
    assert (rows_few, rows_many) == (2, 17)
    assert few == many
