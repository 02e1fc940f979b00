"""Inbox, email preferences, and the center administrator's channel and delivery pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors as _apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from . import services
from .delivery import mask_url, safe_path, send_test_message
from .filters import DeliveryFilter, NotificationFilter, WebhookEndpointFilter
from .forms import EmailPreferencesForm, WebhookEndpointForm
from .kinds import kind_label
from .models import EmailMute
from .permissions import (
    get_delivery_for_user,
    get_notification_for_user,
    get_webhook_endpoint_for_user,
)
from .selectors import deliveries_for, notifications_for, webhook_endpoints_for
from .tables import DeliveryTable, WebhookEndpointTable, delivery_target

PAGE_SIZE = 50
INBOX_PAGE_SIZE = 20
EXPORT_MAX_ROWS = 10000


def _export(request, model, rows, title, columns, values):
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        model=model,
        rows=len(rows),
        filters={k: v for k, v in request.GET.items() if k != "export"},
    )
    return xlsx_response(build_workbook(title, columns, (values(row) for row in rows)), title)


# ---------------------------------------------------------------- inbox (every user)


@login_required
def inbox(request):
    filterset = NotificationFilter(request.GET, queryset=notifications_for(request.user))
    notifications = filterset.qs
    if request.GET.get("export") == "xlsx":
        rows = list(notifications[:EXPORT_MAX_ROWS])
        return _export(
            request,
            "notifications.Notification",
            rows,
            _("我的通知"),
            [
                Column("created_at", _("时间"), width=18),
                Column("kind", _("类型"), width=16),
                Column("title", _("标题"), width=40),
                Column("body", _("内容"), width=60),
                Column("read", _("状态"), width=8),
            ],
            lambda n: (
                n.created_at,
                kind_label(n.kind),
                n.title,
                n.body,
                _("已读") if n.read_at else _("未读"),
            ),
        )
    page = Paginator(notifications, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.kind_display = kind_label(item.kind)
    unread_only = filterset.form.is_valid() and filterset.form.cleaned_data.get("unread") is True
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": items,
            "unread_only": unread_only,
            "active_menu": "notifications_inbox",
        },
    )


@login_required
@require_POST
def open_notification(request, pk):
    """Mark read, then follow the notification's link if it is a path on this site."""
    notification = get_notification_for_user(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = safe_path(notification.url)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    else:
        messages.info(request, _("没有未读通知。"))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    muted = set(EmailMute.objects.filter(user=request.user).values_list("kind", flat=True))
    form = EmailPreferencesForm(request.POST or None, muted=muted)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_mutes_set(actor=request.user, muted_kinds=form.muted_kinds())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("提醒设置已保存。"))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "active_menu": "notifications_inbox"},
    )


# ---------------------------------------------------------------- webhook channels (admin)


@login_required
@permission_required("notifications.view_webhookendpoint", raise_exception=True)
def webhook_list(request):
    filterset = WebhookEndpointFilter(request.GET, queryset=webhook_endpoints_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = list(filterset.qs[:EXPORT_MAX_ROWS])
        return _export(
            request,
            "notifications.WebhookEndpoint",
            rows,
            _("消息通道"),
            [
                Column("name", _("名称"), width=24),
                Column("url", _("地址（已隐藏密钥）"), width=60),
                Column("kinds", _("推送的通知类型"), width=40),
                Column("is_active", _("启用"), width=8),
            ],
            lambda e: (
                e.name,
                mask_url(e.url),
                "、".join(kind_label(k) for k in e.kinds) if e.kinds else _("全部类型"),
                _("是") if e.is_active else _("否"),
            ),
        )
    table = WebhookEndpointTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "notifications/webhook_list.html",
        {"table": table, "filter": filterset, "active_menu": "notification_webhooks"},
    )


@login_required
@permission_required("notifications.add_webhookendpoint", raise_exception=True)
def webhook_create(request):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已新增消息通道“%(name)s”。可点击“发送测试消息”检查配置。")
                % {"name": endpoint.name},
            )
            return redirect("notifications:webhook_edit", pk=endpoint.pk)
    return render(
        request,
        "notifications/webhook_form.html",
        {"form": form, "title": _("新增消息通道"), "active_menu": "notification_webhooks"},
    )


@login_required
@permission_required("notifications.change_webhookendpoint", raise_exception=True)
def webhook_edit(request, pk):
    endpoint = get_webhook_endpoint_for_user(request.user, pk)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "kinds": endpoint.kinds,
        "is_active": endpoint.is_active,
    }
    form = WebhookEndpointForm(request.POST or None, initial=initial, current_kinds=endpoint.kinds)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_update(
                actor=request.user, endpoint=endpoint, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("notifications:webhook_list")
    return render(
        request,
        "notifications/webhook_form.html",
        {
            "form": form,
            "endpoint": endpoint,
            "title": _("编辑消息通道"),
            "active_menu": "notification_webhooks",
        },
    )


@login_required
@permission_required("notifications.delete_webhookendpoint", raise_exception=True)
@require_POST
def webhook_delete(request, pk):
    endpoint = get_webhook_endpoint_for_user(request.user, pk)
    services.webhook_endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, _("已删除消息通道“%(name)s”。") % {"name": endpoint.name})
    return redirect("notifications:webhook_list")


@login_required
@permission_required("notifications.change_webhookendpoint", raise_exception=True)
@require_POST
def webhook_test(request, pk):
    """Post a test message now and show the outcome (nothing is written)."""
    endpoint = get_webhook_endpoint_for_user(request.user, pk)
    ok, message = send_test_message(endpoint, actor=request.user)
    (messages.success if ok else messages.error)(request, message)
    return redirect("notifications:webhook_edit", pk=endpoint.pk)


# ---------------------------------------------------------------- delivery log (admin)


@login_required
@permission_required("notifications.view_delivery", raise_exception=True)
def delivery_list(request):
    filterset = DeliveryFilter(request.GET, queryset=deliveries_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = list(filterset.qs[:EXPORT_MAX_ROWS])
        return _export(
            request,
            "notifications.Delivery",
            rows,
            _("发送记录"),
            [
                Column("created_at", _("时间"), width=18),
                Column("channel", _("渠道"), width=10),
                Column("target", _("发送到"), width=30),
                Column("title", _("通知"), width=40),
                Column("kind", _("类型"), width=16),
                Column("status", _("状态"), width=12),
                Column("attempts", _("尝试次数"), width=8),
                Column("sent_at", _("发送时间"), width=18),
                Column("last_error", _("最近错误"), width=60),
            ],
            lambda d: (
                d.created_at,
                d.get_channel_display(),
                delivery_target(d),
                d.notification.title,
                kind_label(d.notification.kind),
                d.get_status_display(),
                d.attempts,
                d.sent_at,
                d.last_error,
            ),
        )
    table = DeliveryTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "notifications/delivery_list.html",
        {"table": table, "filter": filterset, "active_menu": "notification_deliveries"},
    )


@login_required
@permission_required("notifications.change_delivery", raise_exception=True)
@require_POST
def delivery_retry(request, pk):
    delivery = get_delivery_for_user(request.user, pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已安排立即重试，请稍后刷新查看发送结果。"))
    # Back to the list as it was filtered (the form posts with the list's query string).
    url = reverse("notifications:delivery_list")
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)
