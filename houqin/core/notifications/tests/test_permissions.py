"""Who may see what: everybody their own inbox; the center admin their own center's channels
and deliveries. Another center or another user gets 404, a user without the role 403."""

import pytest
from django.urls import reverse

from houqin.core.notifications.models import Delivery, WebhookEndpoint
from houqin.core.notifications.selectors import deliveries_for, webhook_endpoints_for
from houqin.core.notifications.services import notify

from .helpers import KIND, make_endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint_a(center_a):
    return make_endpoint(center_a, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")


@pytest.fixture
def delivery_a(center_a, staff_x, endpoint_a):
    notify(recipients=[staff_x], kind=KIND, title="甲中心的通知", center=center_a)
    return Delivery.objects.get(endpoint=endpoint_a)


def _object_urls(endpoint, delivery):
    return [
        ("get", reverse("notifications:webhook_edit", args=[endpoint.pk])),
        ("post", reverse("notifications:webhook_edit", args=[endpoint.pk])),
        ("post", reverse("notifications:webhook_delete", args=[endpoint.pk])),
        ("post", reverse("notifications:webhook_test", args=[endpoint.pk])),
        ("post", reverse("notifications:delivery_retry", args=[delivery.pk])),
    ]


LIST_URLS = [
    "notifications:webhook_list",
    "notifications:webhook_create",
    "notifications:delivery_list",
]


@pytest.mark.parametrize("who", ["staff_x", "liaison_x", "auditor_a"])
def test_without_the_role_admin_pages_are_403(client, request, who, endpoint_a, delivery_a):
    client.force_login(request.getfixturevalue(who))
    for name in LIST_URLS:
        assert client.get(reverse(name)).status_code == 403, name
    for method, url in _object_urls(endpoint_a, delivery_a):
        assert getattr(client, method)(url).status_code == 403, url
    assert WebhookEndpoint.objects.filter(pk=endpoint_a.pk).exists()


def test_center_b_admin_gets_404_and_sees_nothing_of_a(client, admin_b, endpoint_a, delivery_a):
    client.force_login(admin_b)
    for method, url in _object_urls(endpoint_a, delivery_a):
        assert getattr(client, method)(url).status_code == 404, url
    assert WebhookEndpoint.objects.filter(pk=endpoint_a.pk).exists()
    html = client.get(reverse("notifications:webhook_list")).content.decode()
    assert endpoint_a.name not in html
    html = client.get(reverse("notifications:delivery_list")).content.decode()
    assert "甲中心的通知" not in html
    assert not webhook_endpoints_for(admin_b).exists() and not deliveries_for(admin_b).exists()


def test_center_a_admin_sees_own_center(admin_a, endpoint_a, delivery_a):
    assert list(webhook_endpoints_for(admin_a)) == [endpoint_a]
    assert list(deliveries_for(admin_a)) == [delivery_a]


def test_email_deliveries_without_center_belong_to_the_recipients_center(admin_a, admin_b, staff_x):
    staff_x.email = "x@example.gov.cn"
    staff_x.save()
    notify(recipients=[staff_x], kind=KIND, title="无中心的通知")
    assert deliveries_for(admin_a).count() == 1 and deliveries_for(admin_b).count() == 0


def test_menu_items_only_for_the_center_admin(client, admin_a, staff_x):
    client.force_login(staff_x)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "消息通道" not in html and "发送记录" not in html
    client.force_login(admin_a)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "消息通道" in html and "发送记录" in html


def test_every_user_has_an_inbox_and_preferences(client, staff_x):
    client.force_login(staff_x)
    assert client.get(reverse("notifications:inbox")).status_code == 200
    assert client.get(reverse("notifications:settings")).status_code == 200
    assert client.post(reverse("notifications:read_all")).status_code == 302


def test_another_users_notification_is_404(client, staff_x, liaison_x, person_b, admin_b):
    (theirs,) = notify(recipients=[admin_b], kind=KIND, title="乙中心")
    client.force_login(staff_x)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404


def test_webhook_changes_are_audited_with_the_key_masked(client, admin_a):
    from houqin.core.models import AuditLogEntry

    client.force_login(admin_a)
    client.post(
        reverse("notifications:webhook_create"),
        {"name": "群", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=TOPSECRET"},
    )
    entry = AuditLogEntry.objects.get(content_type__model="webhookendpoint")
    assert entry.center_id == admin_a.center_id and entry.actor == admin_a
    assert "TOPSECRET" not in str(entry.changes)
