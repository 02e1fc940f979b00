"""The manager's pages: board, list and export, assignment, close/reopen/merge/cancel, SLA rules."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.roles import Role
from houqin.maintenance.models import SlaRule, WorkOrder
from houqin.maintenance.services import work_orders as wo
from houqin.maintenance.views import board as board_views
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def test_board_urls_resolve():
    """The board's URLs reach the board's views (report.py's order actions do not shadow
    orders/<pk>/assign/ and manage/)."""
    for url, view in (
        ("/maintenance/orders/1/assign/", board_views.order_assign),
        ("/maintenance/orders/1/manage/", board_views.order_manage),
        ("/maintenance/board/", board_views.board),
        ("/maintenance/sla/", board_views.sla_rules),
    ):
        assert resolve(url).func is view, url


def report(user, *, now=None, **kw):
    fields = {
        "category": "water",
        "description": "卫生间水龙头漏水",
        "building": "A座",
        "room": "305",
    }
    return wo.work_order_report(actor=user, now=now or timezone.now(), **{**fields, **kw})


def late(user, **kw):
    """Reported a month ago: past its completion deadline (overdue while open)."""
    return report(user, now=timezone.now() - dt.timedelta(days=30), **kw)


@pytest.fixture
def leader_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="分管领导"), Role.LEADER, username="ld_a")


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙维修管理员"), "maintenance_manager", username="mm_b"
    )


@pytest.fixture
def mgr(client, manager_a):
    client.force_login(manager_a)
    return client


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("name", ["board", "order_list", "sla_rules"])
def test_staff_gets_403(client, staff_x, name):
    client.force_login(staff_x)
    assert client.get(reverse(f"maintenance:{name}")).status_code == 403


def test_staff_and_technician_cannot_assign(client, staff_x, tech_a):
    order = report(staff_x)
    for user in (staff_x, tech_a):
        client.force_login(user)
        url = reverse("maintenance:order_assign", args=[order.pk])
        assert client.get(url).status_code == 403
        response = client.post(
            reverse("maintenance:order_manage", args=[order.pk]), {"op": "cancel"}
        )
        assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == S.NEW


def test_leader_reads_board_and_list_but_cannot_manage(client, leader_a, staff_x):
    order = report(staff_x)
    client.force_login(leader_a)
    response = client.get(reverse("maintenance:board"))
    assert response.status_code == 200 and order.number in response.content.decode()
    response = client.get(reverse("maintenance:order_list"))
    assert response.status_code == 200 and order.number in response.content.decode()
    assert reverse("maintenance:order_assign", args=[order.pk]) not in response.content.decode()
    assert client.get(reverse("maintenance:order_assign", args=[order.pk])).status_code == 403
    assert client.get(reverse("maintenance:sla_rules")).status_code == 403


def test_other_center_is_404(client, manager_b, staff_x, tech_a):
    order = report(staff_x)
    client.force_login(manager_b)
    assert client.get(reverse("maintenance:order_assign", args=[order.pk])).status_code == 404
    response = client.post(
        reverse("maintenance:order_assign", args=[order.pk]), {"assignee": tech_a.pk, "priority": 3}
    )
    assert response.status_code == 404
    response = client.post(reverse("maintenance:order_manage", args=[order.pk]), {"op": "cancel"})
    assert response.status_code == 404
    assert order.number not in client.get(reverse("maintenance:board")).content.decode()
    assert order.number not in client.get(reverse("maintenance:order_list")).content.decode()
    order.refresh_from_db()
    assert order.status == S.NEW and order.assignee is None


# ------------------------------------------------------------------ board


def test_board_columns_cards_and_overdue(mgr, manager_a, tech_a, staff_x):
    fresh = report(staff_x, location_text="一楼大厅", building="", room="")
    overdue = late(staff_x, category="electric", urgency="urgent")
    assigned = wo.work_order_assign(actor=manager_a, order=report(staff_x), assignee=tech_a)
    closed = report(staff_x)
    wo.work_order_cancel(actor=staff_x, order=closed)
    response = mgr.get(reverse("maintenance:board"))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c["label"] for c in columns] == [
        "待派单",
        "已派单",
        "维修中",
        "待配件",
        "已完工",
        "已确认",
    ]
    new_col = columns[0]
    assert new_col["count"] == 2
    assert {o.pk for o in new_col["orders"]} == {fresh.pk, overdue.pk}
    assert [o.pk for o in columns[1]["orders"]] == [assigned.pk]
    cards = {o.pk: o for c in columns for o in c["orders"]}
    assert closed.pk not in cards  # cancelled: only in the list
    assert cards[overdue.pk].overdue and not cards[fresh.pk].overdue
    assert cards[assigned.pk].handler == "水电工甲"
    html = response.content.decode()
    assert reverse("maintenance:order_detail", args=[fresh.pk]) in html
    assert "一楼大厅" in html and "水电工甲" in html and "超时" in html


def test_board_filters(mgr, manager_a, tech_a, staff_x):
    water = report(staff_x)
    ac = late(staff_x, category="ac", urgency="emergency")
    mine = wo.work_order_assign(actor=manager_a, order=report(staff_x), assignee=tech_a)

    def shown(**params):
        response = mgr.get(reverse("maintenance:board"), params)
        return {o.pk for c in response.context["columns"] for o in c["orders"]}

    assert shown(category="ac") == {ac.pk}
    assert shown(urgency="emergency") == {ac.pk}
    assert shown(assignee=tech_a.pk) == {mine.pk}
    assert shown(overdue="1") == {ac.pk}
    assert shown() == {water.pk, ac.pk, mine.pk}


def test_board_htmx_refresh_renders_columns_only(mgr, staff_x):
    report(staff_x)
    response = mgr.get(reverse("maintenance:board"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-board" in html and "<html" not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many(manager, tech, staff, n):
    for i in range(n):
        order = report(staff, category=["water", "ac", "network"][i % 3])
        if i % 2:
            order = wo.work_order_assign(actor=manager, order=order, assignee=tech)
        if i % 4 == 1:
            order = wo.work_order_start(actor=tech, order=order)
            wo.work_order_finish(actor=tech, order=order, note="已修复", labor_cost=5)


def test_board_query_count_is_constant(mgr, manager_a, tech_a, staff_x):
    _many(manager_a, tech_a, staff_x, 2)
    url = reverse("maintenance:board")
    few = _queries(mgr, url)
    _many(manager_a, tech_a, staff_x, 15)
    assert _queries(mgr, url) == few


# ------------------------------------------------------------------ list and export


def test_list_filters(mgr, manager_a, tech_a, staff_x):
    water = report(staff_x)
    ac = late(staff_x, category="ac")
    cancelled = report(staff_x, category="network")
    wo.work_order_cancel(actor=staff_x, order=cancelled)
    url = reverse("maintenance:order_list")

    def shown(**params):
        return {o.pk for o in mgr.get(url, params).context["table"].data}

    assert shown() == {water.pk, ac.pk, cancelled.pk}
    assert shown(status="cancelled") == {cancelled.pk}
    assert shown(category="ac") == {ac.pk}
    assert shown(overdue="1") == {ac.pk}
    today = timezone.localdate()
    assert shown(date_from=(today - dt.timedelta(days=1)).isoformat()) == {
        water.pk,
        ac.pk,
        cancelled.pk,
    }  # created_at is the real reporting time
    assert shown(date_to=(today - dt.timedelta(days=2)).isoformat()) == set()
    assert shown(source="preventive") == set()
    assert shown(q=water.number) == {water.pk}


def test_list_query_count_is_constant(mgr, manager_a, tech_a, staff_x):
    _many(manager_a, tech_a, staff_x, 2)
    url = reverse("maintenance:order_list")
    few = _queries(mgr, url)
    _many(manager_a, tech_a, staff_x, 15)
    assert _queries(mgr, url) == few


def test_xlsx_export(mgr, manager_a, tech_a, staff_x):
    order = report(staff_x)
    order = wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a)
    order = wo.work_order_start(actor=tech_a, order=order)
    wo.work_order_add_material(
        actor=tech_a, order=order, name="阀门", quantity=2, unit_price="12.50"
    )
    wo.work_order_finish(actor=tech_a, order=order, note="更换阀门", labor_cost="30")
    report(staff_x, description='=HYPERLINK("x")')
    response = mgr.get(reverse("maintenance:order_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "工单号" and "合计（元）" in header and "完成用时（工作小时）" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["工单号"] == order.number
    assert first["维修人员/外包单位"] == "水电工甲"
    assert Decimal(str(first["材料费（元）"])) == Decimal("25")
    assert Decimal(str(first["合计（元）"])) == Decimal("55")
    assert first["状态"] == "已完工" and first["维修情况"] == "更换阀门"
    second = dict(zip(header, rows[2], strict=True))
    assert second["故障描述"] == '=HYPERLINK("x")'  # text, never a formula
    assert sheet.cell(row=3, column=header.index("故障描述") + 1).data_type == "s"


# ------------------------------------------------------------------ assign


def test_assign_form_lists_center_technicians_only(mgr, staff_x, tech_a, tech_a2, agency_b):
    make_user(PersonFactory(agency=agency_b, name="乙区水电工"), "technician", username="t_b")
    order = report(staff_x)
    response = mgr.get(reverse("maintenance:order_assign", args=[order.pk]))
    assert response.status_code == 200
    choices = {
        str(label) for _value, label in response.context["assign_form"].fields["assignee"].choices
    }
    assert {"水电工甲", "水电工乙"} <= choices
    assert "乙区水电工" not in choices and "职工甲" not in choices


def test_assign_to_technician(mgr, staff_x, tech_a):
    order = report(staff_x)
    due = timezone.localtime(order.due_at) + dt.timedelta(days=2)
    response = mgr.post(
        reverse("maintenance:order_assign", args=[order.pk]),
        {"assignee": tech_a.pk, "priority": "1", "due_at": due.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("maintenance:board")
    order.refresh_from_db()
    assert order.status == S.ASSIGNED and order.assignee == tech_a and order.priority == 1
    assert order.due_at == due.replace(second=0, microsecond=0)


def test_assign_to_vendor(mgr, staff_x):
    order = report(staff_x)
    response = mgr.post(
        reverse("maintenance:order_assign", args=[order.pk]),
        {"vendor_name": "恒安电梯公司", "priority": "3"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.assignee is None and order.vendor_name == "恒安电梯公司"


def test_assign_errors_in_chinese(mgr, staff_x, tech_a):
    order = report(staff_x)
    url = reverse("maintenance:order_assign", args=[order.pk])
    response = mgr.post(url, {"priority": "3"})
    assert "请选择维修人员或填写外包单位。" in response.content.decode()
    response = mgr.post(url, {"assignee": staff_x.pk, "priority": "3"})
    assert "所选人员不是本中心的维修人员。" in response.content.decode()
    response = mgr.post(url, {"assignee": tech_a.pk, "priority": "9"})
    assert "优先级须为 1（最高）到 5。" in response.content.decode()
    early = timezone.localtime(order.response_due_at) - dt.timedelta(hours=3)
    response = mgr.post(
        url, {"assignee": tech_a.pk, "priority": "3", "due_at": early.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "完成时限不能早于响应时限。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.NEW and order.assignee is None


def test_assign_refused_transition_shown(mgr, staff_x, tech_a):
    order = report(staff_x)
    wo.work_order_cancel(actor=staff_x, order=order)
    response = mgr.post(
        reverse("maintenance:order_assign", args=[order.pk]), {"assignee": tech_a.pk, "priority": 3}
    )
    assert response.status_code == 200
    assert "工单已撤销，不能派单。" in response.content.decode()


# ------------------------------------------------------------------ manage


def _done(manager, tech, staff):
    order = wo.work_order_assign(actor=manager, order=report(staff), assignee=tech)
    order = wo.work_order_start(actor=tech, order=order)
    return wo.work_order_finish(actor=tech, order=order, note="已修复")


def test_close_and_reopen(mgr, manager_a, tech_a, staff_x):
    order = _done(manager_a, tech_a, staff_x)
    url = reverse("maintenance:order_manage", args=[order.pk])
    assert mgr.post(url, {"op": "close", "note": "归档"}).status_code == 302
    order.refresh_from_db()
    assert order.status == S.CLOSED
    response = mgr.post(url, {"op": "reopen"})
    assert "请填写重新打开原因。" in response.content.decode()
    assert mgr.post(url, {"op": "reopen", "note": "又漏水了"}).status_code == 302
    order.refresh_from_db()
    assert order.status == S.ASSIGNED and order.assignee == tech_a


def test_merge_and_cancel(mgr, manager_a, staff_x):
    kept, dup, other = report(staff_x), report(staff_x), report(staff_x)
    url = reverse("maintenance:order_manage", args=[dup.pk])
    response = mgr.post(url, {"op": "merge"})
    assert "请填写要合并到的工单号。" in response.content.decode()
    response = mgr.post(url, {"op": "merge", "into": "WX0000"})
    assert "未找到工单号 WX0000。" in response.content.decode()
    response = mgr.post(url, {"op": "merge", "into": dup.number})
    assert "请选择本中心的另一张工单。" in response.content.decode()
    response = mgr.post(url, {"op": "merge", "into": kept.number, "next": "/maintenance/orders/"})
    assert response.status_code == 302 and response["Location"] == "/maintenance/orders/"
    dup.refresh_from_db()
    assert dup.status == S.MERGED and dup.merged_into == kept
    response = mgr.post(reverse("maintenance:order_manage", args=[other.pk]), {"op": "cancel"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == S.CANCELLED


def test_refused_transitions_are_chinese_errors(mgr, manager_a, tech_a, staff_x):
    order = report(staff_x)
    url = reverse("maintenance:order_manage", args=[order.pk])
    response = mgr.post(url, {"op": "close"})
    assert response.status_code == 200
    assert "没有维修情况说明的工单不能关闭。" in response.content.decode()
    response = mgr.post(url, {"op": "reopen", "note": "x"})
    assert "工单待派单，不能重新打开。" in response.content.decode()
    done = _done(manager_a, tech_a, staff_x)
    response = mgr.post(reverse("maintenance:order_manage", args=[done.pk]), {"op": "cancel"})
    assert "工单已完工，不能撤销。" in response.content.decode()
    response = mgr.post(url, {"op": "nonsense"})
    assert "请选择操作。" in response.content.decode()
    order.refresh_from_db()
    done.refresh_from_db()
    assert order.status == S.NEW and done.status == S.DONE


def test_manage_is_post_only(mgr, staff_x):
    order = report(staff_x)
    assert mgr.get(reverse("maintenance:order_manage", args=[order.pk])).status_code == 405


def test_next_must_be_local(mgr, staff_x):
    order = report(staff_x)
    response = mgr.post(
        reverse("maintenance:order_manage", args=[order.pk]),
        {"op": "cancel", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("maintenance:board")


# ------------------------------------------------------------------ SLA rules


def test_sla_matrix_shows_defaults(mgr):
    response = mgr.get(reverse("maintenance:sla_rules"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 8 and all(len(r["cells"]) == 3 for r in rows)
    cell = rows[0]["cells"][2]
    assert cell["urgency"] == "emergency" and cell["is_default"]
    assert cell["response_hours"] == Decimal("0.5") and cell["around_the_clock"]


def test_sla_save_and_reset(mgr, manager_a, staff_x, center_a):
    url = reverse("maintenance:sla_rules")
    response = mgr.post(
        url,
        {
            "category": "elevator",
            "urgency": "normal",
            "response_hours": "2",
            "completion_hours": "8",
            "around_the_clock": "on",
        },
    )
    assert response.status_code == 302
    rule = SlaRule.objects.get(center=center_a, category="elevator", urgency="normal")
    assert rule.response_hours == Decimal("2.0") and rule.around_the_clock
    order = report(staff_x, category="elevator")
    assert order.due_at - order.created_at < dt.timedelta(hours=8, minutes=1)
    response = mgr.post(url, {"category": "elevator", "urgency": "normal", "action": "reset"})
    assert response.status_code == 302
    assert not SlaRule.objects.filter(center=center_a).exists()


def test_sla_errors_in_chinese(mgr, center_a):
    url = reverse("maintenance:sla_rules")
    base = {"category": "water", "urgency": "urgent"}
    response = mgr.post(url, {**base, "response_hours": "5", "completion_hours": "2"})
    assert response.status_code == 200
    assert "完成时限不能短于响应时限。" in response.content.decode()
    response = mgr.post(url, {**base, "response_hours": "0", "completion_hours": "2"})
    assert "响应时限必须大于 0。" in response.content.decode()
    response = mgr.post(url, {**base, "response_hours": "abc", "completion_hours": "2"})
    assert "请填写有效的响应时限。" in response.content.decode()
    assert not SlaRule.objects.filter(center=center_a).exists()


def test_sla_rules_of_another_center_untouched(client, manager_b, center_a):
    client.force_login(manager_b)
    client.post(
        reverse("maintenance:sla_rules"),
        {"category": "water", "urgency": "urgent", "response_hours": "2", "completion_hours": "3"},
    )
    assert not SlaRule.objects.filter(center=center_a).exists()
    assert SlaRule.objects.filter(center=manager_b.center).count() == 1
