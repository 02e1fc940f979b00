"""Isolation: other centers, other agencies and bystanders get 404 and change nothing.

Includes the PostgreSQL race: two approvers click "approve" on the same step at the same
moment; exactly one succeeds.
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from houqin.core.approvals import services
from houqin.core.approvals.models import ApprovalAction, ApprovalRequest
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def _page_urls(approval):
    pk = approval.pk
    return [
        ("get", reverse("approvals:detail", args=[pk]), {}),
        ("post", reverse("approvals:decide", args=[pk]), {"action": "approve", "position": 1}),
        ("post", reverse("approvals:resubmit", args=[pk]), {}),
        ("post", reverse("approvals:cancel", args=[pk]), {}),
    ]


def _api_urls(approval):
    base = f"/api/v1/approvals/{approval.pk}/"
    return [("get", base), ("get", base + "history/")] + [
        ("post", f"{base}{name}/") for name in ("approve", "reject", "return", "resubmit", "cancel")
    ]


def _state(approval):
    approval = ApprovalRequest.objects.get(pk=approval.pk)
    return approval.status, approval.current_position, ApprovalAction.objects.count()


@pytest.mark.parametrize("who", ["admin_b", "dispatcher_b", "leader_y", "liaison_x"])
def test_outsiders_get_404_everywhere(client, approval, request, who):
    user = request.getfixturevalue(who)
    before = _state(approval)
    client.force_login(user)
    for method, url, data in _page_urls(approval):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (who, method, url, response.status_code)
    api = APIClient()
    api.force_authenticate(user)
    for method, url in _api_urls(approval):
        response = getattr(api, method)(url, {"comment": "x"}, format="json")
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert _state(approval) == before


def test_outsiders_lists_show_nothing(client, approval, admin_b, leader_y):
    for user in (admin_b, leader_y):
        client.force_login(user)
        for tab in ("to_decide", "mine", "done"):
            html = client.get(reverse("approvals:list"), {"tab": tab}).content.decode()
            assert approval.title not in html
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/v1/approvals/").json()["count"] == 0


def test_center_readers_see_but_cannot_decide(client, approval, admin_a, auditor_a):
    before = _state(approval)
    for user in (admin_a, auditor_a):
        client.force_login(user)
        assert client.get(reverse("approvals:detail", args=[approval.pk])).status_code == 200
        response = client.post(
            reverse("approvals:decide", args=[approval.pk]),
            {"action": "approve", "position": 1},
            follow=True,
        )
        assert "不是当前步骤的审批人" in response.content.decode()
    assert _state(approval) == before


def test_unknown_ids_give_404(client, leader_x):
    client.force_login(leader_x)
    assert client.get(reverse("approvals:detail", args=[999999])).status_code == 404
    assert client.get("/approvals/abc/").status_code == 404


def test_flow_pages_are_for_the_center_admin(client, request_type, staff_x, leader_x, admin_a):
    for user in (staff_x, leader_x):
        client.force_login(user)
        assert client.get(reverse("approvals:flow_list")).status_code == 403
        url = reverse("approvals:flow_edit", args=[request_type.code])
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x"}).status_code == 403
    client.force_login(admin_a)
    assert client.get(reverse("approvals:flow_list")).status_code == 200


def test_center_b_admin_edits_only_center_b_flow(client, request_type, admin_a, admin_b):
    from houqin.core.approvals.models import ApprovalFlow
    from houqin.core.roles import Role

    services.approval_flow_save(
        actor=admin_a,
        request_type=request_type.code,
        name="甲中心流程",
        is_active=True,
        steps=[{"name": "领导", "approver_role": Role.LEADER, "scope": "center"}],
    )
    client.force_login(admin_b)
    html = client.get(reverse("approvals:flow_edit", args=[request_type.code])).content.decode()
    assert "甲中心流程" not in html
    services.approval_flow_save(
        actor=admin_b,
        request_type=request_type.code,
        name="乙中心流程",
        is_active=False,
        steps=[{"name": "领导", "approver_role": Role.LEADER, "scope": "center"}],
    )
    assert ApprovalFlow.objects.get(center_id=admin_a.center_id).name == "甲中心流程"
    assert ApprovalFlow.objects.get(center_id=admin_a.center_id).is_active


# ---------------------------------------------------------------- race (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_one_step_decide_it_once(agency_x, request_type):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…")
    from houqin.core.roles import Role
    from houqin.org.models import Rank

    # A transactional test may run after another one flushed the migration-seeded ranks.
    Rank.objects.get_or_create(
        code="below-section", defaults={"name": "科员", "organ_level": "county"}
    )
    first = make_user(PersonFactory(agency=agency_x), Role.AGENCY_LEADER, username="race_l1")
    second = make_user(PersonFactory(agency=agency_x), Role.AGENCY_LEADER, username="race_l2")
    make_user(PersonFactory(agency=agency_x), Role.FLEET_DISPATCHER, username="race_d")
    requester = make_user(PersonFactory(agency=agency_x), username="race_r")
    approval = services.approval_submit(
        actor=requester, obj=requester.person, request_type=request_type.code, title="并发"
    )

    barrier = threading.Barrier(2)
    results = {}

    def click(user):
        from django.core.exceptions import ValidationError
        from django.db import connections

        try:
            seen = ApprovalRequest.objects.get(pk=approval.pk)  # both read step 1
            barrier.wait(timeout=10)
            services.approval_approve(actor=user, approval=seen, comment=user.username)
            results[user.username] = "ok"
        except ValidationError as exc:
            results[user.username] = " ".join(exc.messages)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results[user.username] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == ["ok", "该审批已被处理，请刷新页面"], results
    approval.refresh_from_db()
    assert approval.current_position == 2
    assert ApprovalAction.objects.filter(request=approval, action="approve").count() == 1
    step = approval.steps.get(position=1)
    assert step.status == "approved" and step.decided_by.username in results
