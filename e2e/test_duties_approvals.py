"""Shared mechanisms through a real browser: a guard records a patrol on the phone; an agency
leader and a dispatcher approve a request from their to-do inboxes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from helpers import login

from houqin.core.approvals import services as approvals
from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.registry import StepSpec, register_request_type, unregister_request_type
from houqin.core.duties.models import DutyTask
from houqin.core.duties.services import duty_task_create_adhoc
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPE = "e2e.review"


@pytest.fixture
def center():
    center = make_center("测试区机关后勤服务中心", code="E2E")
    return center, make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")


def test_guard_records_a_patrol_on_the_phone(page, live_server, center):
    center, agency = center
    guard = make_user(
        PersonFactory(agency=agency, name="门岗小李"), Role.GUARD, username="guard_li"
    )
    # Due within the hour, but today: the page lists today's tasks, and after 23:00 an hour
    # later is tomorrow (a task due in the last minute is listed as overdue, still today's).
    now = timezone.localtime()
    end_of_today = now.replace(hour=23, minute=59, second=0, microsecond=0)
    task = duty_task_create_adhoc(
        actor=guard,
        center=center,
        title="报告厅会前消防检查",
        due_at=min(now + dt.timedelta(hours=1), end_of_today),
        assignee_role=Role.GUARD,
        location_text="一楼报告厅",
        checklist=[
            {"key": "exits", "label": "安全出口畅通", "type": "bool", "required": True},
            {
                "key": "temp",
                "label": "机房温度",
                "type": "number",
                "required": True,
                "min": 10,
                "max": 30,
                "unit": "℃",
            },
        ],
    )
    login(page, live_server.url, "guard_li")
    page.goto(f"{live_server.url}{reverse('duties:my_tasks')}")
    expect(page.get_by_text("报告厅会前消防检查")).to_be_visible()
    page.get_by_role("link", name="登记").first.click()

    page.get_by_label("是").first.check()
    page.get_by_role("button", name="提交完成").click()
    expect(page.get_by_text("请填写“机房温度”")).to_be_visible()  # nothing recorded yet
    task.refresh_from_db()
    assert task.status == DutyTask.Status.OPEN

    page.get_by_label("是").first.check()
    page.locator("input[name=item_temp]").fill("22")
    page.get_by_role("button", name="提交完成").click()
    page.wait_for_load_state()
    task.refresh_from_db()
    assert task.status == DutyTask.Status.DONE
    assert task.record.completed_by == guard
    assert task.record.answers["temp"] in (22, "22", 22.0, "22.0")
    assert not page.console_errors


@pytest.fixture
def review_type():
    register_request_type(
        TYPE,
        "测试申请",
        default_steps=[
            StepSpec("部门负责人审批", role=Role.AGENCY_LEADER, scope="agency"),
            StepSpec("调度员审批", role=Role.FLEET_DISPATCHER, scope="center"),
        ],
    )
    yield
    unregister_request_type(TYPE)


def test_two_step_approval_from_the_todo_inbox(desktop_page, live_server, center, review_type):
    page = desktop_page
    center, agency = center
    requester = make_user(PersonFactory(agency=agency, name="申请人"), username="shenqing")
    make_user(PersonFactory(agency=agency, name="王局长"), Role.AGENCY_LEADER, username="juzhang")
    dispatcher_agency = make_unit(center, "车队", code="CD")
    make_user(
        PersonFactory(agency=dispatcher_agency, name="调度员"),
        Role.FLEET_DISPATCHER,
        username="diaodu",
    )
    approval = approvals.approval_submit(
        actor=requester,
        obj=requester.person,
        request_type=TYPE,
        title="下乡调研用车",
        agency=agency,
    )

    for username in ("juzhang", "diaodu"):
        login(page, live_server.url, username)
        # The home page's to-do inbox lists the request; the user acts on it from there.
        page.get_by_role("link", name="下乡调研用车").click()
        page.locator("textarea[name=comment]").fill("同意")
        page.get_by_role("button", name="同意").click()
        page.wait_for_load_state()
        page.locator('form[action$="/logout/"] button').first.dispatch_event("click")
        page.wait_for_url(f"{live_server.url}/login/**")

    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert requester.notifications.filter(kind="approval.approved").exists()
    assert not page.console_errors
