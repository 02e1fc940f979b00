"""Phone pages of a repair: report a fault (category tiles, location suggestions, photos),
my reports, the order's detail, the reporter's actions (confirm with stars, reopen, cancel)
and the photos served only to those who may see the order."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from houqin.maintenance.models import WorkOrder, WorkOrderEvent, WorkOrderPhoto
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import make_user

from .conftest import NOW

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


# ------------------------------------------------------------------ helpers (shared)


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings, tmp_path):
    """Pages read timezone.now(): pin it to NOW; uploads go to a temporary media root."""
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def png(name="photo.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report(user, **kwargs):
    fields = {
        "category": "water",
        "description": "卫生间水龙头漏水",
        "building": "1号楼",
        "floor": "3",
        "room": "301",
        "now": NOW,
    }
    fields.update(kwargs)
    return wo.work_order_report(actor=user, **fields)


def assigned(reporter, manager, tech, **kwargs):
    order = report(reporter, **kwargs)
    return wo.work_order_assign(actor=manager, order=order, assignee=tech, now=NOW)


def fresh(order):
    return WorkOrder.objects.get(pk=order.pk)


def detail_url(order):
    return reverse("maintenance:order_detail", args=[order.pk])


def action_url(order, action):
    return reverse("maintenance:order_action", args=[order.pk, action])


def login(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------ report


def test_report_page_has_category_tiles_prefilled_phone_and_suggestions(
    client, staff_x, person_b, center_b
):
    staff_x.person.phone = "13800001111"
    staff_x.person.save()
    report(staff_x, building="综合楼", room="502")
    other = make_user(person_b, username="staff_b")
    report(other, building="别的中心大楼", room="999")
    html = login(client, staff_x).get(reverse("maintenance:report")).content.decode()
    for label in ("水", "电", "空调", "电梯", "门窗", "网络", "家具", "其他"):
        assert f"<span>{label}</span>" in html
    assert 'value="13800001111"' in html
    assert '<option value="综合楼">' in html and '<option value="502">' in html
    assert "别的中心大楼" not in html and "999" not in html
    assert 'accept="image/*"' in html and "multiple" in html and 'capture="environment"' in html


def test_report_with_photo_creates_the_order(client, staff_x):
    response = login(client, staff_x).post(
        reverse("maintenance:report"),
        {
            "category": "electric",
            "building": "1号楼",
            "floor": "2",
            "room": "205",
            "description": "灯不亮",
            "urgency": "urgent",
            "phone": "13900002222",
            "photos": [png("a.png"), png("b.png")],
        },
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response.url == detail_url(order)
    assert order.reporter == staff_x and order.category == "electric"
    assert order.urgency == "urgent" and order.reporter_phone == "13900002222"
    assert order.room == "205" and order.status == S.NEW
    assert list(order.photos.values_list("stage", flat=True)) == ["report", "report"]
    page = client.get(response.url).content.decode()
    assert "报修已提交，工单号 " + order.number in page
    assert "1号楼 2层 205" in page and "待派单" in page


def test_report_errors_are_shown_and_nothing_is_written(client, staff_x):
    login(client, staff_x)
    response = client.post(reverse("maintenance:report"), {"urgency": "normal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择报修类别。" in html and "请填写故障描述。" in html
    # No location at all: the service's message appears next to the location field.
    response = client.post(
        reverse("maintenance:report"),
        {"category": "water", "description": "漏水", "urgency": "normal"},
    )
    assert "请选择或填写报修位置。" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_report_refuses_bad_photos(client, staff_x):
    login(client, staff_x)
    base = {"category": "water", "description": "漏水", "room": "101", "urgency": "normal"}
    text = SimpleUploadedFile("fake.png", b"not an image at all", content_type="image/png")
    html = client.post(
        reverse("maintenance:report"), {**base, "photos": [png(), text]}
    ).content.decode()
    assert "“fake.png”不是有效的图片文件" in html
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "image/png")
    html = client.post(reverse("maintenance:report"), {**base, "photos": big}).content.decode()
    assert "图片“big.png”过大" in html
    html = client.post(
        reverse("maintenance:report"),
        {**base, "photos": [png(f"{i}.png") for i in range(10)]},
    ).content.decode()
    assert "最多上传 9 张照片。" in html
    assert not WorkOrder.objects.exists() and not WorkOrderPhoto.objects.exists()
    assert not WorkOrderEvent.objects.exists()


def test_report_needs_login(client):
    response = client.get(reverse("maintenance:report"))
    assert response.status_code == 302 and "/login/" in response.url


# ------------------------------------------------------------------ my reports


def test_my_reports_lists_only_mine_with_status(client, staff_x, person_y, manager_a, tech_a):
    mine = assigned(staff_x, manager_a, tech_a, description="空调不制冷", category="ac")
    other = make_user(person_y, username="staff_y")
    theirs = report(other, description="别人的报修")
    html = login(client, staff_x).get(reverse("maintenance:my_reports")).content.decode()
    assert "空调不制冷" in html and "已派单" in html and detail_url(mine) in html
    assert "别人的报修" not in html and detail_url(theirs) not in html


def test_my_reports_shows_overdue(client, staff_x, monkeypatch):
    order = report(staff_x)
    monkeypatch.setattr(timezone, "now", lambda: order.due_at + dt.timedelta(hours=1))
    html = login(client, staff_x).get(reverse("maintenance:my_reports")).content.decode()
    assert "已超时" in html


def test_my_reports_query_count_is_constant(client, staff_x, manager_a, tech_a):
    login(client, staff_x)
    assigned(staff_x, manager_a, tech_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("maintenance:my_reports")).status_code == 200
    for i in range(12):
        assigned(staff_x, manager_a, tech_a, room=f"R{i}", category="ac")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("maintenance:my_reports")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# ------------------------------------------------------------------ detail and scoping


def test_detail_shows_status_deadlines_timeline_and_costs(client, staff_x, manager_a, tech_a):
    order = assigned(staff_x, manager_a, tech_a, photos=[png()])
    wo.work_order_start(actor=tech_a, order=order, now=NOW)
    wo.work_order_add_material(
        actor=tech_a,
        order=order,
        name="水龙头",
        spec="DN15",
        quantity="1",
        unit="个",
        unit_price="35.50",
        now=NOW,
    )
    html = login(client, staff_x).get(detail_url(order)).content.decode()
    assert order.number in html and "维修中" in html
    assert "11月25日 15:00" in html  # response deadline: 4 working hours
    assert "报修" in html and "派单" in html and "开始维修" in html
    assert "派给 水电工甲" in html and "维修管理员" in html
    assert "水龙头（DN15） × 1个 @ 35.50" in html and "35.50 元" in html
    photo = order.photos.get()
    assert reverse("maintenance:order_photo", args=[photo.pk]) in html
    # The reporter may not act while the technician works.
    assert action_url(order, "finish") not in html and action_url(order, "cancel") not in html


def test_scoping_of_the_detail_page(
    client, staff_x, person_y, person_b, admin_a, manager_a, tech_a, tech_a2
):
    order = assigned(staff_x, manager_a, tech_a)
    assert login(client, staff_x).get(detail_url(order)).status_code == 200
    assert login(client, tech_a).get(detail_url(order)).status_code == 200
    assert login(client, manager_a).get(detail_url(order)).status_code == 200
    assert login(client, admin_a).get(detail_url(order)).status_code == 200  # center admin
    for stranger in (
        make_user(person_y, username="staff_y"),  # another member of staff
        tech_a2,  # a technician it is not assigned to
        make_user(person_b, "maintenance_manager", username="mm_b"),  # another center
    ):
        assert login(client, stranger).get(detail_url(order)).status_code == 404
        assert login(client, stranger).post(action_url(order, "cancel")).status_code == 404


# ------------------------------------------------------------------ reporter's actions


def test_cancel_while_new(client, staff_x):
    order = report(staff_x)
    login(client, staff_x)
    assert action_url(order, "cancel") in client.get(detail_url(order)).content.decode()
    response = client.post(action_url(order, "cancel"), {"reason": "已自行修好"})
    assert response.status_code == 302
    assert fresh(order).status == S.CANCELLED
    assert "报修已撤销。" in client.get(response.url).content.decode()


def test_unknown_action_is_404_and_get_is_refused(client, staff_x):
    order = report(staff_x)
    login(client, staff_x)
    assert client.post(f"/maintenance/orders/{order.pk}/explode/").status_code == 404
    # The board's own order URLs are not taken by the phone actions.
    assert action_url(order, "finish") == f"/maintenance/orders/{order.pk}/finish/"
    assert client.get(action_url(order, "cancel")).status_code == 405
    assert fresh(order).status == S.NEW


def done_order(staff, manager, tech):
    order = assigned(staff, manager, tech)
    wo.work_order_start(actor=tech, order=fresh(order), now=NOW)
    return wo.work_order_finish(actor=tech, order=fresh(order), note="更换阀芯", now=NOW)


def test_confirm_with_stars(client, staff_x, manager_a, tech_a):
    order = done_order(staff_x, manager_a, tech_a)
    login(client, staff_x)
    html = client.get(detail_url(order)).content.decode()
    assert action_url(order, "confirm") in html and "更换阀芯" in html
    response = client.post(action_url(order, "confirm"), {"comment": "很快"})
    assert "请选择 1 到 5 星评价。" in response.content.decode()
    assert fresh(order).status == S.DONE
    response = client.post(action_url(order, "confirm"), {"rating": "5", "comment": "很快"})
    assert response.status_code == 302
    order = fresh(order)
    assert order.status == S.CONFIRMED and order.rating == 5 and order.rating_comment == "很快"
    html = client.get(detail_url(order)).content.decode()
    assert "已确认" in html and 'data-rating="5"' in html


def test_reopen_needs_a_reason(client, staff_x, manager_a, tech_a):
    order = done_order(staff_x, manager_a, tech_a)
    login(client, staff_x)
    response = client.post(action_url(order, "reopen"), {"reason": ""})
    assert "请填写重新打开原因。" in response.content.decode()
    assert fresh(order).status == S.DONE
    client.post(action_url(order, "reopen"), {"reason": "又漏了"})
    assert fresh(order).status == S.ASSIGNED
    assert fresh(order).events.last().note == "又漏了"


def test_reporter_cannot_take_technician_actions(client, staff_x, manager_a, tech_a):
    order = assigned(staff_x, manager_a, tech_a)
    assert login(client, staff_x).post(action_url(order, "start")).status_code == 403
    assert fresh(order).status == S.ASSIGNED


def test_illegal_transition_shows_the_service_message(client, staff_x):
    order = report(staff_x)
    response = login(client, staff_x).post(action_url(order, "confirm"), {"rating": "4"})
    assert response.status_code == 302
    assert "工单待派单，不能确认。" in client.get(response.url).content.decode()
    assert fresh(order).status == S.NEW


# ------------------------------------------------------------------ photos


def test_photo_is_served_only_to_those_who_see_the_order(
    client, staff_x, person_y, person_b, manager_a, tech_a
):
    order = assigned(staff_x, manager_a, tech_a, photos=[png()])
    url = reverse("maintenance:order_photo", args=[order.photos.get().pk])
    for user in (staff_x, tech_a, manager_a):
        response = login(client, user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert "private" in response["Cache-Control"]
        b"".join(response.streaming_content)
    for user in (make_user(person_y, username="y"), make_user(person_b, username="b")):
        assert login(client, user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_reporter_phone_masked_except_for_who_fixes_it(client, staff_x, admin_a, manager_a, tech_a):
    from houqin.maintenance.services import work_orders as wo

    from .conftest import NOW

    order = wo.work_order_report(
        actor=staff_x,
        category="water",
        description="漏水",
        building="A座",
        phone="13912345678",
        now=NOW,
    )
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    url = f"/maintenance/orders/{order.pk}/"
    for user, full in ((admin_a, False), (manager_a, True), (tech_a, True), (staff_x, True)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("13912345678" in page) is full, user
        if not full:
            assert "139****5678" in page
