"""Inbox, preferences and the administrator's channel and delivery pages, through the UI."""

import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.notifications.kinds import all_kinds
from houqin.core.notifications.models import Delivery, EmailMute, Notification, WebhookEndpoint
from houqin.core.notifications.services import notify

from .helpers import KIND, OTHER_KIND, make_endpoint

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


def _notify(user, n=1, *, url="/m/", center=None, title="工单已派发"):
    rows = []
    for i in range(n):
        rows += notify(
            recipients=[user],
            kind=KIND,
            title=f"{title}{i}" if n > 1 else title,
            body="维修工单 #12：三楼会议室空调不制冷",
            url=url,
            center=center or user.center,
        )
    return rows


@pytest.fixture
def staff_client(client, staff_x):
    client.force_login(staff_x)
    return client


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# ---------------------------------------------------------------- inbox and header bell


def test_unread_count_in_the_header_bell(staff_client, staff_x):
    page = reverse("notifications:settings")  # any page on base.html
    html = staff_client.get(page).content.decode()
    assert 'href="/notifications/"' in html and "bi-bell" in html
    assert "条未读" not in html
    _notify(staff_x, 3)
    response = staff_client.get(page)
    assert response.context["unread_notifications"] == 3
    html = response.content.decode()
    assert "消息通知，3 条未读" in html
    assert 'text-bg-danger" aria-hidden="true">3</span>' in html


def test_bell_on_the_mobile_layout(rf, staff_x):
    _notify(staff_x, 2)
    request = rf.get("/m/")
    request.user = staff_x
    html = render_to_string("base_mobile.html", request=request)
    assert 'href="/notifications/"' in html and "消息通知，2 条未读" in html


def test_bell_caps_at_99(staff_client, staff_x):
    Notification.objects.bulk_create(
        [Notification(recipient=staff_x, kind=KIND, title=f"n{i}") for i in range(120)]
    )
    html = staff_client.get(INBOX).content.decode()
    assert ">99+</span>" in html


def test_inbox_lists_own_newest_first_and_filters_unread(staff_client, staff_x, liaison_x):
    first, second = _notify(staff_x, 2)
    _notify(liaison_x, title="别人的通知")
    staff_client.post(reverse("notifications:open", args=[first.pk]))
    response = staff_client.get(INBOX)
    html = response.content.decode()
    assert [n.pk for n in response.context["items"]] == [second.pk, first.pk]
    assert "别人的通知" not in html
    assert "申请已批准" in html  # the kind's label
    response = staff_client.get(INBOX, {"unread": "true"})
    assert [n.pk for n in response.context["items"]] == [second.pk]
    assert response.context["unread_only"]


def test_inbox_is_paginated(staff_client, staff_x):
    Notification.objects.bulk_create(
        [Notification(recipient=staff_x, kind=KIND, title=f"第{i}条") for i in range(45)]
    )
    response = staff_client.get(INBOX)
    assert len(response.context["items"]) == 20 and "共 45 条" in response.content.decode()
    response = staff_client.get(INBOX, {"page": 3})
    assert len(response.context["items"]) == 5


def test_inbox_constant_queries(staff_client, staff_x):
    _notify(staff_x, 5)
    few = _queries(staff_client, INBOX)
    _notify(staff_x, 35)
    assert _queries(staff_client, INBOX) == few
    assert _queries(staff_client, INBOX + "?unread=true") == few


def test_open_marks_read_and_follows_the_link(staff_client, staff_x):
    (notification,) = _notify(staff_x, url="/m/")
    response = staff_client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/m/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert staff_client.get(INBOX).context["unread_notifications"] == 0


def test_open_is_post_only(staff_client, staff_x):
    (notification,) = _notify(staff_x)
    assert (
        staff_client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    )
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/phish",
        "//evil.example.com/",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "",
    ],
)
def test_open_refuses_an_open_redirect(staff_client, staff_x, url):
    (notification,) = _notify(staff_x, url=url)
    response = staff_client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == INBOX
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_404(staff_client, liaison_x):
    (theirs,) = _notify(liaison_x)
    assert staff_client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert staff_client.post(reverse("notifications:open", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(staff_client, staff_x, liaison_x):
    _notify(staff_x, 3)
    (theirs,) = _notify(liaison_x)
    response = staff_client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=staff_x, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # someone else's stays unread
    assert staff_client.get(reverse("notifications:read_all")).status_code == 405


def test_inbox_export(staff_client, staff_x):
    _notify(staff_x, 2)
    response = staff_client.get(INBOX, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["时间", "类型", "标题", "内容", "状态"]
    assert sheet.max_row == 3 and sheet["E2"].value == "未读"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/login/" in response.url


# ---------------------------------------------------------------- email preferences


def test_preferences_show_a_checkbox_per_kind_and_save_mutes(staff_client, staff_x):
    url = reverse("notifications:settings")
    html = staff_client.get(url).content.decode()
    assert "申请已批准" in html and "任务已指派" in html and "邮件提醒" in html
    everything = {f"kind__{code}": "on" for code, _label in all_kinds()}
    response = staff_client.post(url, {k: v for k, v in everything.items() if KIND not in k})
    assert response.status_code == 302
    assert list(EmailMute.objects.filter(user=staff_x).values_list("kind", flat=True)) == [KIND]
    form = staff_client.get(url).context["form"]
    assert form[f"kind__{KIND}"].initial is False and form[f"kind__{OTHER_KIND}"].initial is True
    staff_client.post(url, everything)
    assert not EmailMute.objects.filter(user=staff_x).exists()


def test_muted_kind_gets_no_email_but_stays_in_the_inbox(staff_client, staff_x):
    staff_x.email = "staff@example.gov.cn"
    staff_x.save()
    staff_client.post(
        reverse("notifications:settings"),
        {f"kind__{code}": "on" for code, _label in all_kinds() if code != KIND},
    )
    _notify(staff_x)
    assert not Delivery.objects.filter(channel="email").exists()
    assert Notification.objects.filter(recipient=staff_x).count() == 1


# ---------------------------------------------------------------- webhook channels (admin)


def test_admin_pages_render(admin_client, admin_a, center_a):
    endpoint = make_endpoint(center_a, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
    for url in (
        reverse("notifications:webhook_list"),
        reverse("notifications:webhook_create"),
        reverse("notifications:webhook_edit", args=[endpoint.pk]),
        reverse("notifications:delivery_list"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    html = admin_client.get(INBOX).content.decode()
    assert "消息通道" in html and "发送记录" in html  # menu items


def test_webhook_list_masks_the_key(admin_client, center_a):
    make_endpoint(center_a, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=topsecret")
    html = admin_client.get(reverse("notifications:webhook_list")).content.decode()
    assert "topsecret" not in html and "key=****" in html


def test_create_edit_and_delete_webhook(admin_client, admin_a, center_a):
    response = admin_client.post(
        reverse("notifications:webhook_create"),
        {
            "name": "后勤值班群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "kinds": [KIND],
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert endpoint.center_id == center_a.pk and endpoint.kinds == [KIND] and endpoint.is_active
    response = admin_client.post(
        reverse("notifications:webhook_edit", args=[endpoint.pk]),
        {"name": "后勤值班群", "url": "http://msg-gw:8080/hook"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "http://msg-gw:8080/hook" and endpoint.kinds == []
    assert not endpoint.is_active
    response = admin_client.post(reverse("notifications:webhook_delete", args=[endpoint.pk]))
    assert response.status_code == 302 and not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://robot.example.com/", "robot.example.com/send", "javascript:x"]
)
def test_bad_webhook_url_rejected_in_chinese(admin_client, url):
    response = admin_client.post(
        reverse("notifications:webhook_create"), {"name": "机器人", "url": url, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "须以 http:// 或 https:// 开头" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_empty_name_rejected_in_chinese(admin_client):
    response = admin_client.post(
        reverse("notifications:webhook_create"), {"name": "", "url": "https://x.example/h"}
    )
    assert response.status_code == 200 and "请填写名称" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_send_test_message_success(admin_client, center_a, robot):
    endpoint = make_endpoint(center_a, robot.url)
    response = admin_client.post(
        reverse("notifications:webhook_test", args=[endpoint.pk]), follow=True
    )
    assert "测试消息已发送成功（HTTP 200）" in response.content.decode()
    payload = robot.last["json"]
    assert payload["title"] == "测试消息" and payload["msgtype"] == "markdown"
    assert payload["recipients"] == ["管理员甲"]
    assert not Delivery.objects.exists()  # nothing written


def test_send_test_message_failure_is_shown_in_chinese(
    admin_client, center_a, closed_port_url, robot
):
    endpoint = make_endpoint(center_a, closed_port_url)
    html = admin_client.post(
        reverse("notifications:webhook_test", args=[endpoint.pk]), follow=True
    ).content.decode()
    assert "测试消息发送失败：无法连接" in html
    robot.reply = {"errcode": 310000, "errmsg": "keywords not in content"}
    endpoint.url = robot.url
    endpoint.save()
    html = admin_client.post(
        reverse("notifications:webhook_test", args=[endpoint.pk]), follow=True
    ).content.decode()
    assert "测试消息发送失败：机器人返回错误：errcode=310000" in html


# ---------------------------------------------------------------- delivery log (admin)


def _deliveries(center, user, n, endpoint):
    for i in range(n):
        notify(recipients=[user], kind=KIND, title=f"通知{i}", center=center)
    return Delivery.objects.filter(endpoint=endpoint)


def test_delivery_log_filters_export_and_constant_queries(
    admin_client, center_a, staff_x, liaison_x
):
    staff_x.email = "staff@example.gov.cn"
    staff_x.save()
    endpoint = make_endpoint(center_a, "http://127.0.0.1:9/hook")
    url = reverse("notifications:delivery_list")
    _deliveries(center_a, staff_x, 3, endpoint)
    few = _queries(admin_client, url)
    _deliveries(center_a, liaison_x, 30, endpoint)
    assert _queries(admin_client, url) == few
    Delivery.objects.filter(endpoint=endpoint).update(status="failed", last_error="HTTP 500")
    response = admin_client.get(url, {"status": "failed"})
    assert response.context["table"].paginator.count == 33
    response = admin_client.get(url, {"channel": "email"})
    assert response.context["table"].paginator.count == 3
    assert "职工甲" in response.content.decode()
    response = admin_client.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"})
    assert response.context["table"].paginator.count == 0
    response = admin_client.get(url, {"channel": "email", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4 and sheet["B2"].value == "邮件"


def test_retry_now(admin_client, center_a, staff_x, robot, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(center_a, robot.url)
    notify(recipients=[staff_x], kind=KIND, title="重试我", center=center_a)
    delivery = Delivery.objects.get(endpoint=endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=3, last_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("notifications:delivery_retry", args=[delivery.pk]) + "?status=failed"
        )
    assert response.status_code == 302 and response.url.endswith("/deliveries/?status=failed")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and robot.last["json"]["title"] == "重试我"
    response = admin_client.post(
        reverse("notifications:delivery_retry", args=[delivery.pk]), follow=True
    )
    assert "已发送成功，无需重试" in response.content.decode()


def test_webhook_list_filters_export_and_constant_queries(admin_client, center_a):
    url = reverse("notifications:webhook_list")
    make_endpoint(center_a, "https://a.example/h?key=1", name="甲群")
    few = _queries(admin_client, url)
    for i in range(20):
        make_endpoint(center_a, f"https://b.example/h{i}", name=f"乙群{i}", kinds=[KIND])
    make_endpoint(center_a, "https://c.example/h", name="停用群", is_active=False)
    assert _queries(admin_client, url) == few
    assert admin_client.get(url, {"q": "甲"}).context["table"].paginator.count == 1
    assert admin_client.get(url, {"is_active": "false"}).context["table"].paginator.count == 1
    response = admin_client.get(url, {"q": "甲", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "甲群" and sheet["B2"].value == "https://a.example/h?key=****"
