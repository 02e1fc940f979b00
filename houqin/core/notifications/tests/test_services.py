"""notify() fan-out, sending over email and a real local webhook server, retries, and the
rule that a failing channel never breaks the request that caused the notification."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import include, path
from django.utils import timezone

from houqin.core.notifications import delivery as sender
from houqin.core.notifications.models import Delivery, EmailMute, Notification, WebhookEndpoint
from houqin.core.notifications.services import (
    delivery_retry,
    email_mutes_set,
    notify,
    webhook_endpoint_create,
    webhook_endpoint_update,
)
from houqin.org.models import User
from houqin.org.tests.factories import PersonFactory, make_user

from .helpers import KIND, OTHER_KIND, make_endpoint, with_email

pytestmark = pytest.mark.django_db


def _notify(recipients, center, **kwargs):
    defaults = {
        "kind": KIND,
        "title": "您的用车申请已批准",
        "body": "车辆：皖A·12345",
        "url": "/m/",
    }
    return notify(recipients=recipients, center=center, **{**defaults, **kwargs})


def webhook_deliveries():
    return Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK)


def email_deliveries():
    return Delivery.objects.filter(channel=Delivery.Channel.EMAIL)


# ---------------------------------------------------------------- fan-out


def test_in_app_rows_for_each_recipient_without_duplicates_inactive_or_actor(
    center_a, agency_x, staff_x, liaison_x, admin_a
):
    gone = make_user(PersonFactory(agency=agency_x), username="gone")
    gone.is_active = False
    gone.save()
    rows = _notify([staff_x, liaison_x, staff_x, gone, None, admin_a], center_a, actor=admin_a)
    assert sorted(n.recipient.username for n in rows) == ["liaison_x", "staff_x"]
    stored = Notification.objects.all()
    assert stored.count() == 2
    assert {n.center_id for n in stored} == {center_a.pk}
    assert len({n.batch for n in stored}) == 1 and stored[0].batch is not None
    assert all(n.read_at is None and n.kind == KIND for n in stored)


def test_center_defaults_to_the_objects_center(center_a, staff_x, agency_x):
    person = PersonFactory(agency=agency_x)
    (row,) = notify(recipients=[staff_x], kind=KIND, title="人员信息已更新", obj=person)
    assert row.center_id == center_a.pk
    assert row.target == person


def test_nobody_left_writes_nothing(center_a, admin_a):
    assert _notify([admin_a], center_a, actor=admin_a) == []
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_email_only_for_users_with_an_address_who_did_not_mute_the_kind(
    center_a, staff_x, liaison_x, admin_a
):
    with_email(staff_x, "staff@example.gov.cn")
    with_email(admin_a, "admin@example.gov.cn")  # has an address but muted this kind
    EmailMute.objects.create(user=admin_a, kind=KIND)
    _notify([staff_x, liaison_x, admin_a], center_a)  # liaison_x has no address
    assert [d.notification.recipient for d in email_deliveries()] == [staff_x]
    assert Notification.objects.count() == 3  # the inbox still gets every one
    # Another kind is not muted.
    _notify([admin_a], center_a, kind=OTHER_KIND)
    assert email_deliveries().filter(notification__recipient=admin_a).count() == 1


def test_one_webhook_post_per_notify_call_per_matching_active_endpoint(
    center_a, center_b, staff_x, liaison_x
):
    everything = make_endpoint(center_a, "http://127.0.0.1:9/a", name="全部")
    approvals = make_endpoint(center_a, "http://127.0.0.1:9/b", name="审批", kinds=[KIND])
    make_endpoint(center_a, "http://127.0.0.1:9/c", name="只要指派", kinds=[OTHER_KIND])
    make_endpoint(center_a, "http://127.0.0.1:9/d", name="停用", is_active=False)
    make_endpoint(center_b, "http://127.0.0.1:9/e", name="乙中心")
    _notify([staff_x, liaison_x], center_a)
    assert sorted(d.endpoint_id for d in webhook_deliveries()) == sorted(
        [everything.pk, approvals.pk]
    )
    _notify([staff_x], center_a, kind=OTHER_KIND)
    assert webhook_deliveries().count() == 2 + 2  # 全部 and 只要指派
    # No center: no group chat to post to.
    notify(recipients=[staff_x], kind=KIND, title="无中心")
    assert webhook_deliveries().count() == 4


def test_kind_is_required(staff_x):
    with pytest.raises(ValueError):
        notify(recipients=[staff_x], kind="", title="x")


# ---------------------------------------------------------------- sending


def test_webhook_success_marks_sent_and_posts_the_fields(
    center_a, staff_x, liaison_x, robot, django_capture_on_commit_callbacks
):
    make_endpoint(center_a, robot.url)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([staff_x, liaison_x], center_a, url="/approvals/12/")
    (delivery,) = webhook_deliveries()
    assert delivery.status == Delivery.Status.SENT and delivery.sent_at and delivery.attempts == 1
    assert len(robot.received) == 1
    post = robot.last
    assert post["path"] == "/cgi-bin/webhook/send?key=robot-secret"
    assert post["content_type"].startswith("application/json")
    payload = post["json"]
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "您的用车申请已批准"
    assert payload["markdown"]["text"] == payload["markdown"]["content"]
    assert "您的用车申请已批准" in payload["markdown"]["text"]
    assert payload["kind"] == KIND and payload["kind_label"] == "申请已批准"
    assert payload["title"] == "您的用车申请已批准" and payload["body"] == "车辆：皖A·12345"
    assert payload["url"] == "https://houqin.example.gov.cn/approvals/12/"
    assert payload["center"] == center_a.name
    assert sorted(payload["recipients"]) == ["职工甲", "联络员甲"]
    assert dt.datetime.fromisoformat(payload["created_at"]).utcoffset() == dt.timedelta(hours=8)


def test_email_sent_through_the_backend(center_a, staff_x, django_capture_on_commit_callbacks):
    with_email(staff_x, "staff@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([staff_x], center_a, url="/approvals/12/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "您的用车申请已批准"
    assert message.to == ["staff@example.gov.cn"]
    assert "车辆：皖A·12345" in message.body
    assert "https://houqin.example.gov.cn/approvals/12/" in message.body
    assert "https://houqin.example.gov.cn/notifications/settings/" in message.body
    assert email_deliveries().get().status == Delivery.Status.SENT


def test_email_without_a_safe_link_points_to_the_inbox(center_a, staff_x):
    with_email(staff_x, "staff@example.gov.cn")
    _notify([staff_x], center_a, url="https://evil.example.com/")
    assert sender.send_delivery(email_deliveries().get().pk) is True
    assert "https://houqin.example.gov.cn/notifications/" in mail.outbox[0].body
    assert "evil" not in mail.outbox[0].body


def test_email_failure_is_retried(center_a, staff_x, settings, closed_port_url):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    port = int(closed_port_url.rsplit(":", 1)[1].split("/")[0])
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
    with_email(staff_x, "staff@example.gov.cn")
    _notify([staff_x], center_a)
    delivery = email_deliveries().get()
    assert sender.send_delivery(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "邮件发送失败" in delivery.last_error


def test_email_to_a_user_whose_address_was_removed_fails_at_once(center_a, staff_x):
    with_email(staff_x, "staff@example.gov.cn")
    _notify([staff_x], center_a)
    with_email(staff_x, "")
    delivery = email_deliveries().get()
    assert sender.send_delivery(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and "未登记邮箱" in delivery.last_error


@pytest.mark.parametrize("failure", ["http500", "refused", "errcode"])
def test_failure_stays_pending_then_recovers_through_retry_due(
    center_a, staff_x, robot, closed_port_url, failure, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(center_a, closed_port_url if failure == "refused" else robot.url)
    if failure == "http500":
        robot.status = 500
    if failure == "errcode":
        robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    expected = {"http500": "HTTP 500", "refused": "无法连接", "errcode": "errcode=93000"}[failure]
    assert expected in delivery.last_error
    assert before + dt.timedelta(seconds=50) < delivery.next_attempt_at
    assert delivery.next_attempt_at < timezone.now() + dt.timedelta(minutes=2)
    # Not due yet: the periodic job leaves it alone.
    assert sender.retry_due() == 0
    # The remote end recovers and the back-off has passed.
    robot.status, robot.reply = 200, {"errcode": 0, "errmsg": "ok"}
    if failure == "refused":
        endpoint.url = robot.url
        endpoint.save()
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert sender.retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert robot.last["json"]["title"] == "您的用车申请已批准"


def test_backoff_grows_and_gives_up_after_max_attempts(center_a, staff_x, robot, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    robot.status = 500
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    waits = []
    for _attempt in range(3):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        started = timezone.now()
        assert sender.retry_due() == 1
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - started).total_seconds() / 60))
    assert waits == [1, 5]
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert delivery.next_attempt_at is None and "HTTP 500" in delivery.last_error
    assert len(robot.received) == 3
    # Given up: the job does not touch it again.
    assert sender.retry_due() == 0 and len(robot.received) == 3


def test_a_claimed_delivery_is_never_sent_twice(center_a, staff_x, robot):
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    claimed = sender._claim(delivery.pk, timezone.now())  # a sender is busy with it
    assert claimed.status == Delivery.Status.SENDING and claimed.attempts == 1
    assert sender.send_delivery(delivery.pk) is None  # the first-send task arrives: skipped
    assert sender.retry_due() == 0  # the retry job too
    assert robot.received == []
    # The busy sender crashed: once its lease has expired the job sends it (once).
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert sender.retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(robot.received) == 1
    # Sent rows are skipped.
    assert sender.send_delivery(delivery.pk) is None and len(robot.received) == 1


def test_send_delivery_never_raises(monkeypatch, center_a, staff_x, robot):
    assert sender.send_delivery(987654) is None

    def boom(_delivery):
        raise RuntimeError("bug")

    monkeypatch.setattr(sender, "_send_webhook", boom)
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    assert sender.send_delivery(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and "bug" in delivery.last_error


def test_a_redirect_is_a_failure_not_followed(center_a, staff_x, robot):
    robot.status = 302
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    assert sender.send_delivery(delivery.pk) is False
    delivery.refresh_from_db()
    assert "HTTP 302" in delivery.last_error and len(robot.received) == 1


def test_inactive_endpoint_fails_without_posting(center_a, staff_x, robot):
    endpoint = make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    endpoint.is_active = False
    endpoint.save()
    delivery = webhook_deliveries().get()
    sender.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and robot.received == []


def test_retry_command(center_a, staff_x, robot, capsys):
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    call_command("retry_notifications")
    assert "已处理 1 条" in capsys.readouterr().out
    assert webhook_deliveries().get().status == Delivery.Status.SENT


def test_the_celery_task_is_eager_and_swallows_errors(center_a, staff_x, closed_port_url):
    from houqin.core.notifications.tasks import deliver, retry_deliveries

    make_endpoint(center_a, closed_port_url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    deliver.delay(delivery.pk)  # eager: runs here, must not raise
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.status == Delivery.Status.PENDING
    assert retry_deliveries.delay().successful()


def test_manual_retry_of_a_failed_delivery(
    center_a, staff_x, admin_a, robot, django_capture_on_commit_callbacks
):
    make_endpoint(center_a, robot.url)
    _notify([staff_x], center_a)
    delivery = webhook_deliveries().get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=3, next_attempt_at=None, last_error="HTTP 500"
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(actor=admin_a, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(robot.received) == 1
    with pytest.raises(ValidationError, match="已发送成功"):
        delivery_retry(actor=admin_a, delivery=delivery)


# ---------------------------------------------------------------- the request never breaks


def _commit_callbacks_run_in_request(view):
    """The test database never commits; run the on_commit callbacks where a real commit would
    run them: inside the request, before the response goes back. An exception raised by one
    would reach the client exactly as it would in production."""

    def wrapped(request, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            response = view(request, *args, **kwargs)
        response["X-On-Commit-Callbacks"] = str(len(callbacks))
        return response

    return wrapped


@_commit_callbacks_run_in_request
def _approve(request):
    """A module's view: writes its own row and notifies, in one transaction."""
    user = User.objects.get(pk=request.GET["user"])
    with transaction.atomic():
        user.first_name = "已批准"
        user.save(update_fields=["first_name"])
        notify(recipients=[user], kind=KIND, title="您的申请已批准", url="/m/", center=user.center)
    return HttpResponse("已批准")


urlpatterns = [
    path("approve/", _approve),
    path("notifications/", include("houqin.core.notifications.urls")),
]


@pytest.mark.parametrize("failure", ["http500", "refused"])
@override_settings(ROOT_URLCONF=__name__)
def test_failing_webhook_never_breaks_the_request(
    client, center_a, staff_x, robot, closed_port_url, failure
):
    endpoint = make_endpoint(center_a, robot.url if failure == "http500" else closed_port_url)
    robot.status = 500
    response = client.get("/approve/", {"user": staff_x.pk})
    assert response.status_code == 200 and response.content.decode() == "已批准"
    assert response["X-On-Commit-Callbacks"] == "1"  # the send ran inside the request
    staff_x.refresh_from_db()
    assert staff_x.first_name == "已批准"  # the caller's write stands
    assert Notification.objects.filter(recipient=staff_x).count() == 1
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert delivery.last_error
    # Recovery: the next run of the periodic job sends it.
    robot.status = 200
    endpoint.url = robot.url
    endpoint.save()
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert sender.retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


@override_settings(ROOT_URLCONF=__name__)
def test_broker_down_never_breaks_the_request(client, center_a, staff_x, robot, monkeypatch):
    from houqin.core.notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    endpoint = make_endpoint(center_a, robot.url)
    response = client.get("/approve/", {"user": staff_x.pk})
    assert response.status_code == 200
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0
    assert sender.retry_due() == 1  # the periodic job sends what could not be queued
    assert robot.received


# ---------------------------------------------------------------- preferences and channels


def test_email_mutes_set_writes_rows(staff_x):
    email_mutes_set(actor=staff_x, muted_kinds=[KIND])
    assert set(EmailMute.objects.filter(user=staff_x).values_list("kind", flat=True)) == {KIND}
    email_mutes_set(actor=staff_x, muted_kinds=[OTHER_KIND])
    assert set(EmailMute.objects.filter(user=staff_x).values_list("kind", flat=True)) == {
        OTHER_KIND
    }
    email_mutes_set(actor=staff_x, muted_kinds=[])
    assert not EmailMute.objects.filter(user=staff_x).exists()


def test_email_mutes_refuses_unknown_kinds_and_writes_nothing(staff_x):
    with pytest.raises(ValidationError, match="未知的通知类型"):
        email_mutes_set(actor=staff_x, muted_kinds=[KIND, "no.such.kind"])
    assert not EmailMute.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://robot.example.com/send",
        "javascript:alert(1)",
        "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
        "http://",
        "http://exa mple.com/",
        "file:///etc/passwd",
        "http://host:99999/",
    ],
)
def test_webhook_url_must_be_http_or_https(admin_a, url):
    with pytest.raises(ValidationError) as info:
        webhook_endpoint_create(actor=admin_a, name="机器人", url=url)
    assert "url" in info.value.message_dict
    assert any(("http" in m or "请填写地址" in m) for m in info.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_webhook_create_and_update(admin_a):
    endpoint = webhook_endpoint_create(
        actor=admin_a, name=" 值班群 ", url="http://msg-gw:8080/hook", kinds=[KIND, KIND]
    )
    assert endpoint.center_id == admin_a.center_id and endpoint.name == "值班群"
    assert endpoint.kinds == [KIND]  # an intranet host name without a dot is fine
    webhook_endpoint_update(
        actor=admin_a, endpoint=endpoint, name="值班群", url="https://x.example/h", is_active=False
    )
    endpoint.refresh_from_db()
    assert endpoint.kinds == [] and not endpoint.is_active
    with pytest.raises(ValidationError, match="请填写名称"):
        webhook_endpoint_update(
            actor=admin_a, endpoint=endpoint, name=" ", url="https://x.example/"
        )


def test_mask_url_hides_the_robot_key():
    assert (
        sender.mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx")
        == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****"
    )
    assert "abcdefghijklmnopqrst" not in sender.mask_url(
        "https://open.feishu.cn/open-apis/bot/v2/hook/abcdefghijklmnopqrst"
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/approvals/12/", "/approvals/12/"),
        ("/m/?tab=1", "/m/?tab=1"),
        ("", ""),
        ("https://evil.example.com/", ""),
        ("//evil.example.com/", ""),
        ("/\\evil.example.com", ""),
        ("javascript:alert(1)", ""),
        ("approvals/12/", ""),
        ("/\tevil", ""),
    ],
)
def test_safe_path(url, safe):
    assert sender.safe_path(url) == safe
