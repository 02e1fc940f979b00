"""Shell pages (home), the audit log, and the Chinese error pages."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from .filters import AuditEntryFilter, AuditEventFilter
from .menu import tiles_for, todos_for
from .selectors import audit_entries_for, audit_events_for
from .tables import AuditEntryTable, AuditEventTable

PAGE_SIZE = 50


@login_required
def home(request):
    todos = todos_for(request.user)
    return render(
        request,
        "home.html",
        {
            "todos": todos,
            "todo_total": sum(group.count for group in todos),
            "tiles": tiles_for(request.user),
            "active_menu": "home",
        },
    )


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
@login_required
@permission_required("core.view_auditlogentry", raise_exception=True)
def audit(request):
    """Change log (row changes) and security events on two tabs; read-only by design."""
    tab = "events" if request.GET.get("tab") == "events" else "changes"
    if tab == "events":
        filterset = AuditEventFilter(request.GET, queryset=audit_events_for(request.user))
        table = AuditEventTable(filterset.qs)
    else:
        filterset = AuditEntryFilter(
            request.GET, queryset=audit_entries_for(request.user), request=request
        )
        table = AuditEntryTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "core/audit.html",
        {"table": table, "filter": filterset, "tab": tab, "active_menu": "audit"},
    )


# ---------------------------------------------------------------- error pages


def _error(request, status, title, message):
    template = "errors/error.html"
    return render(
        request, template, {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request, exception=None):
    return _error(request, 400, _("请求有误"), _("请求无法处理，请检查后重试。"))


def permission_denied(request, exception=None):
    return _error(
        request, 403, _("无权访问"), _("您没有权限访问此页面。如需开通，请联系中心管理员。")
    )


def page_not_found(request, exception=None):
    return _error(request, 404, _("页面不存在"), _("您访问的页面不存在，或您无权查看该内容。"))


def server_error(request):
    # Rendered without the request: no context processors, no session, no database, so the
    # error page cannot fail again for the same reason.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("页面已过期"),
        _("表单已失效（安全校验未通过），请返回刷新页面后重新提交。"),
    )
