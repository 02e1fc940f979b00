"""The technician's phone work: my tasks grouped by stage, and accept / start / wait for parts /
photos / material / finish on the order page, with errors shown and nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.notifications.models import Notification
from houqin.maintenance.models import MaterialUse, WorkOrder, WorkOrderPhoto
from houqin.maintenance.services import work_orders as wo

from .conftest import NOW
from .test_views_report import action_url, assigned, clock, detail_url, fresh, login, png, report

pytestmark = pytest.mark.django_db
S = WorkOrder.Status
TASKS = reverse("maintenance:my_tasks")
__all__ = ["clock"]  # the autouse clock fixture (NOW, temporary media root)


def test_my_tasks_needs_the_technician_permission(client, staff_x):
    assert login(client, staff_x).get(TASKS).status_code == 403


def test_my_tasks_groups_my_orders(client, staff_x, manager_a, tech_a, tech_a2):
    new = assigned(staff_x, manager_a, tech_a, description="待接单的")
    accepted = assigned(staff_x, manager_a, tech_a, description="已接单的")
    wo.work_order_accept(actor=tech_a, order=fresh(accepted), now=NOW)
    working = assigned(staff_x, manager_a, tech_a, description="正在修的")
    wo.work_order_start(actor=tech_a, order=fresh(working), now=NOW)
    parts = assigned(staff_x, manager_a, tech_a, description="等配件的")
    wo.work_order_start(actor=tech_a, order=fresh(parts), now=NOW)
    wo.work_order_wait_parts(actor=tech_a, order=fresh(parts), note="缺阀门", now=NOW)
    done = assigned(staff_x, manager_a, tech_a, description="今天修好的")
    wo.work_order_start(actor=tech_a, order=fresh(done), now=NOW)
    wo.work_order_finish(actor=tech_a, order=fresh(done), note="已修好", now=NOW)
    old = assigned(staff_x, manager_a, tech_a, description="昨天修好的")
    wo.work_order_start(actor=tech_a, order=fresh(old), now=NOW - dt.timedelta(days=1))
    wo.work_order_finish(
        actor=tech_a, order=fresh(old), note="已修好", now=NOW - dt.timedelta(days=1)
    )
    assigned(staff_x, manager_a, tech_a2, description="别人的任务")
    report(staff_x, description="还没派单的")

    response = login(client, tech_a).get(TASKS)
    html = response.content.decode()
    groups = {key: [o.pk for o in orders] for key, _l, _i, orders in response.context["sections"]}
    assert groups == {
        "new": [new.pk],
        "working": [accepted.pk, working.pk],
        "parts": [parts.pk],
        "done": [done.pk],
    }
    assert "待接单" in html and "维修中" in html and "待配件" in html and "今日已完工" in html
    assert "别人的任务" not in html and "还没派单的" not in html and "昨天修好的" not in html
    assert detail_url(new) in html


def test_my_tasks_query_count_is_constant(client, staff_x, manager_a, tech_a):
    login(client, tech_a)
    assigned(staff_x, manager_a, tech_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(TASKS).status_code == 200
    for i in range(10):
        order = assigned(staff_x, manager_a, tech_a, room=f"R{i}")
        if i % 2:
            wo.work_order_start(actor=tech_a, order=fresh(order), now=NOW)
    with CaptureQueriesContext(connection) as many:
        assert client.get(TASKS).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_accept_start_wait_for_parts_and_start_again(client, staff_x, manager_a, tech_a):
    order = assigned(staff_x, manager_a, tech_a)
    login(client, tech_a)
    html = client.get(detail_url(order)).content.decode()
    assert action_url(order, "accept") in html and action_url(order, "start") in html
    assert client.post(action_url(order, "accept")).status_code == 302
    assert fresh(order).accepted_at == NOW
    html = client.get(detail_url(order)).content.decode()
    assert "已接单。" in html and action_url(order, "accept") not in html
    client.post(action_url(order, "start"))
    assert fresh(order).status == S.IN_PROGRESS
    response = client.post(action_url(order, "wait_parts"), {"note": ""})
    assert "请填写所需配件。" in response.content.decode()
    assert fresh(order).status == S.IN_PROGRESS
    client.post(action_url(order, "wait_parts"), {"note": "缺 DN15 阀门"})
    assert fresh(order).status == S.WAITING_PARTS
    client.post(action_url(order, "start"))
    assert fresh(order).status == S.IN_PROGRESS


def test_a_second_accept_shows_the_message(client, staff_x, manager_a, tech_a):
    order = assigned(staff_x, manager_a, tech_a)
    wo.work_order_start(actor=tech_a, order=fresh(order), now=NOW)
    response = login(client, tech_a).post(action_url(order, "accept"))
    assert "工单维修中，不能接单。" in client.get(response.url).content.decode()


def start(staff, manager, tech):
    order = assigned(staff, manager, tech)
    return wo.work_order_start(actor=tech, order=fresh(order), now=NOW)


def test_add_material(client, staff_x, manager_a, tech_a):
    order = start(staff_x, manager_a, tech_a)
    login(client, tech_a)
    data = {"name": "水龙头", "spec": "DN15", "quantity": "2", "unit": "个", "unit_price": "35.5"}
    response = client.post(action_url(order, "material"), {**data, "quantity": "0"})
    assert response.status_code == 200 and not MaterialUse.objects.exists()
    response = client.post(action_url(order, "material"), {**data, "unit_price": "-1"})
    assert response.status_code == 200 and not MaterialUse.objects.exists()
    response = client.post(action_url(order, "material"), {**data, "name": ""})
    assert "请填写材料名称。" in response.content.decode()
    assert client.post(action_url(order, "material"), data).status_code == 302
    assert fresh(order).material_cost == Decimal("71.00")
    html = client.get(detail_url(order)).content.decode()
    assert "水龙头（DN15） × 2个 @ 35.50" in html and "71.00 元" in html


def test_add_photos_refuses_bad_files(client, staff_x, manager_a, tech_a):
    order = start(staff_x, manager_a, tech_a)
    login(client, tech_a)
    response = client.post(action_url(order, "photos"), {})
    assert "请选择要上传的照片。" in response.content.decode()
    bad = SimpleUploadedFile("x.gif", b"GIF89a not really", content_type="image/gif")
    response = client.post(action_url(order, "photos"), {"photos": [png(), bad]})
    assert "“x.gif”不是有效的图片文件" in response.content.decode()
    assert not WorkOrderPhoto.objects.exists()
    client.post(action_url(order, "photos"), {"photos": [png()]})
    assert list(order.photos.values_list("stage", flat=True)) == ["progress"]


def test_finish_needs_a_note_and_nothing_is_written_on_error(client, staff_x, manager_a, tech_a):
    order = start(staff_x, manager_a, tech_a)
    login(client, tech_a)
    response = client.post(action_url(order, "finish"), {"completion_note": "", "labor_cost": "50"})
    html = response.content.decode()
    assert response.status_code == 200 and "请填写维修情况。" in html
    assert 'data-action="finish" open' in html
    response = client.post(
        action_url(order, "finish"), {"completion_note": "换了阀芯", "labor_cost": "-5"}
    )
    assert response.status_code == 200
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "image/jpeg")
    response = client.post(
        action_url(order, "finish"), {"completion_note": "换了阀芯", "photos": big}
    )
    assert "图片“big.jpg”过大" in response.content.decode()
    order = fresh(order)
    assert order.status == S.IN_PROGRESS and order.completion_note == ""
    assert order.finished_at is None and not WorkOrderPhoto.objects.exists()


def test_finish_notifies_the_reporter(client, staff_x, manager_a, tech_a):
    order = start(staff_x, manager_a, tech_a)
    response = login(client, tech_a).post(
        action_url(order, "finish"),
        {"completion_note": "更换阀芯，试水正常", "labor_cost": "50", "photos": [png()]},
    )
    assert response.status_code == 302
    order = fresh(order)
    assert order.status == S.DONE and order.labor_cost == Decimal("50.00")
    assert list(order.photos.values_list("stage", flat=True)) == ["finish"]
    note = Notification.objects.get(recipient=staff_x, kind="maintenance.done")
    assert note.url == detail_url(order)
    html = client.get(detail_url(order)).content.decode()
    assert "已完工，已通知报修人确认。" in html and "更换阀芯，试水正常" in html


def test_other_technician_and_other_center_get_404(
    client, staff_x, manager_a, tech_a, tech_a2, person_b
):
    from houqin.org.tests.factories import make_user

    order = start(staff_x, manager_a, tech_a)
    tech_b = make_user(person_b, "technician", username="tech_b")
    for user in (tech_a2, tech_b):
        login(client, user)
        assert client.post(action_url(order, "finish"), {"completion_note": "x"}).status_code == 404
    assert fresh(order).status == S.IN_PROGRESS


def test_manager_may_act_for_the_technician(client, staff_x, manager_a, tech_a):
    order = assigned(staff_x, manager_a, tech_a)
    login(client, manager_a)
    client.post(action_url(order, "start"))
    assert fresh(order).status == S.IN_PROGRESS
