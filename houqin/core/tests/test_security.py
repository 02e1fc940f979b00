"""Login and session security (等保 2.0 style, DOMAIN.md §10)."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.core.models import AuditEvent
from houqin.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_and_logout_are_audit_events(client, staff_x):
    assert _login(client, "staff_x", PASSWORD).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["login", "logout"]
    assert AuditEvent.objects.get(kind="login").center_id == staff_x.center_id


def test_logout_requires_post(client, staff_x):
    client.force_login(staff_x)
    assert client.get(reverse("logout")).status_code == 405


def test_wrong_password_chinese_message_and_audited(client, staff_x):
    response = _login(client, "staff_x", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(kind="login_failed")
    assert event.username == "staff_x" and event.ip == "127.0.0.1"


def test_lockout_after_five_failures_with_retry_time(client, staff_x):
    for _ in range(4):
        _login(client, "staff_x", "wrong")
    response = _login(client, "staff_x", "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert "锁定" in html and "15" in html
    # Even the right password is refused while locked, from any client.
    response = _login(Client(), "staff_x", PASSWORD)
    assert response.status_code == 429
    assert AuditEvent.objects.filter(kind="locked_out", username="staff_x").exists()
    # Other accounts are not affected.
    assert AuditEvent.objects.filter(kind="login").count() == 0


def test_admin_unlock_clears_lockout(client, admin_a, staff_x):
    for _ in range(5):
        _login(client, "staff_x", "wrong")
    admin = Client()
    admin.force_login(admin_a)
    admin.post(reverse("org:account_unlock", args=[staff_x.pk]))
    assert _login(Client(), "staff_x", PASSWORD).status_code == 302


def test_failures_expire_after_cooloff(client, staff_x, settings):
    from axes.models import AccessAttempt

    for _ in range(4):
        _login(client, "staff_x", "wrong")
    # Age the recorded failures past the 15-minute window.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    _login(client, "staff_x", "wrong")
    assert _login(client, "staff_x", PASSWORD).status_code == 302


def test_idle_session_times_out(client, staff_x):
    client.force_login(staff_x)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_houqin_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert AuditEvent.objects.filter(kind="session_expired").exists()
    page = client.get(response.url)
    assert "30 分钟未操作" in page.content.decode()


def test_session_cookie_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY


def test_forced_password_change_blocks_other_pages(client, staff_x):
    staff_x.must_change_password = True
    staff_x.save()
    client.force_login(staff_x)
    for url in (reverse("home"), reverse("portal:home"), reverse("profile")):
        assert client.get(url).url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_expired_password_must_be_changed(client, staff_x, settings):
    staff_x.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    staff_x.save()
    client.force_login(staff_x)
    assert client.get(reverse("home")).url == reverse("password_change")


def test_password_change_form_errors_in_chinese(client, staff_x):
    client.force_login(staff_x)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    html = response.content.decode()
    assert "至少 3 类" in html
    staff_x.refresh_from_db()
    assert staff_x.check_password(PASSWORD)


def test_forged_csrf_is_refused_in_chinese(staff_x):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_x)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-New-2026",
            "new_password2": "Brand-New-2026",
        },
    )
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    staff_x.refresh_from_db()
    assert staff_x.check_password(PASSWORD)


def test_login_csrf_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "x", "password": "y"}).status_code == 403


def test_security_headers(client, staff_x):
    client.force_login(staff_x)
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_chinese_404_page(client, staff_x):
    client.force_login(staff_x)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_idle_timeout_on_htmx_request_redirects_whole_page(client, staff_x):
    client.force_login(staff_x)
    session = client.session
    session["_houqin_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert "30 分钟未操作" in client.get(reverse("login")).content.decode()


def test_500_page_is_static_chinese():
    from houqin.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and "服务器内部错误" in response.content.decode()


def test_client_ip_trusts_forwarded_for_only_behind_proxy(client, staff_x, settings):
    client.post(
        LOGIN, {"username": "staff_x", "password": "wrong"}, HTTP_X_FORWARDED_FOR="10.1.2.3"
    )
    assert AuditEvent.objects.get(kind="login_failed").ip == "127.0.0.1"
    settings.USE_X_FORWARDED_FOR = True
    client.post(
        LOGIN, {"username": "staff_x", "password": "wrong"}, HTTP_X_FORWARDED_FOR="10.1.2.3"
    )
    assert AuditEvent.objects.filter(kind="login_failed").latest("id").ip == "10.1.2.3"
