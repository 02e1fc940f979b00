"""Approval reads: the three boxes, who may read what, the to-do source, constant queries."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.approvals import services
from houqin.core.approvals.selectors import (
    approval_for_object,
    approval_history,
    approvals_done,
    approvals_for,
    approvals_to_decide,
    my_approvals,
    todo_fetch,
)
from houqin.core.menu import todos_for
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import TYPE

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_boxes_follow_the_request(approval, staff_x, leader_x, leader_y, dispatcher_a):
    assert _ids(approvals_to_decide(leader_x)) == {approval.pk}
    for user in (leader_y, dispatcher_a, staff_x):
        assert not approvals_to_decide(user).exists()
    assert _ids(my_approvals(staff_x)) == {approval.pk}
    assert not my_approvals(leader_x).exists()

    services.approval_approve(actor=leader_x, approval=approval)
    assert not approvals_to_decide(leader_x).exists()
    assert _ids(approvals_done(leader_x)) == {approval.pk}
    assert _ids(approvals_to_decide(dispatcher_a)) == {approval.pk}
    assert not approvals_done(staff_x).exists()  # submitting is not deciding


def test_list_rows_carry_the_current_step_name(approval, leader_x):
    row = approvals_to_decide(leader_x).get()
    assert row.current_step_name == "部门负责人审批"


def test_who_reads_what(
    approval, staff_x, leader_x, leader_y, dispatcher_a, admin_a, auditor_a, leader_a, admin_b
):
    # Center-wide readers.
    for user in (admin_a, auditor_a, leader_a):
        assert _ids(approvals_for(user)) == {approval.pk}, user
    # The requester and the current approver.
    assert _ids(approvals_for(staff_x)) == {approval.pk}
    assert _ids(approvals_for(leader_x)) == {approval.pk}
    # Not yet the dispatcher (step 2), never another agency's leader or another center.
    for user in (dispatcher_a, leader_y, admin_b):
        assert not approvals_for(user).exists(), user
    services.approval_approve(actor=leader_x, approval=approval)
    services.approval_approve(
        actor=dispatcher_a, approval=approvals_for(dispatcher_a).get(pk=approval.pk)
    )
    # Those who decided keep reading it.
    assert _ids(approvals_for(leader_x)) == {approval.pk}
    assert _ids(approvals_for(dispatcher_a)) == {approval.pk}
    assert not approvals_for(leader_y).exists()


def test_approval_for_object(approval, target, staff_x):
    assert approval_for_object(target) == approval
    assert approval_for_object(target, TYPE) == approval
    assert approval_for_object(target, "other.type") is None
    assert approval_for_object(staff_x.person) is None


def test_history_in_order(approval, leader_x):
    services.approval_return(actor=leader_x, approval=approval, comment="补充")
    assert [a.action for a in approval_history(approval)] == ["submit", "return"]


def test_todo_source_shows_only_the_users_items(approval, leader_x, leader_y, staff_x):
    count, items = todo_fetch(leader_x, 10)
    assert count == 1
    assert items[0].title == approval.title
    assert items[0].url == f"/approvals/{approval.pk}/"
    assert "人员信息审核" in items[0].detail
    for user in (leader_y, staff_x):
        assert todo_fetch(user, 10) == (0, [])
    groups = {g.source.key: g for g in todos_for(leader_x)}
    assert groups["approvals"].count == 1
    assert "approvals" not in {g.source.key for g in todos_for(staff_x)}


def _many_requests(request_type, agency, count):
    for _ in range(count):
        i = next(_serial)
        requester = make_user(PersonFactory(agency=agency), username=f"req{i}")
        services.approval_submit(
            actor=requester, obj=requester.person, request_type=TYPE, title=f"申请{i}"
        )


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_selectors_and_todo_run_constant_queries(
    request_type, agency_x, leader_x, dispatcher_a, django_user_model
):
    def fresh_leader():
        return django_user_model.objects.get(pk=leader_x.pk)  # no cached roles or agency

    def read_all():
        user = fresh_leader()
        for row in approvals_to_decide(user):
            str(row.requester.display_name), row.agency.name, row.current_step_name
        todo_fetch(fresh_leader(), 10)

    _many_requests(request_type, agency_x, 2)
    few = _queries(read_all)
    _many_requests(request_type, agency_x, 12)
    assert approvals_to_decide(fresh_leader()).count() == 14
    assert _queries(read_all) == few
    assert few <= 10
