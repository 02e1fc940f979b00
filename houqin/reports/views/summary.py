"""年度工作总结: the preview (section by section, each figure linked to the records it counts),
the Word and xlsx downloads, the section templates the center edits, and the suggestions for
存在问题 an editor accepts.

Who: center administrators write the templates; leaders and administrators read and download.
The period is `?year=` (default: this year) or `?start=&end=` (inclusive dates, e.g. the seed's
"1月1日至9月30日")."""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.audit import record_export

from .. import defaults, services
from ..builder import build, build_with_figures, period_label, templates_of
from ..figures import collect
from ..render import GLOBALS

VIEW_PERM = "reports.view_sectiontemplate"
EDIT_PERM = "reports.change_sectiontemplate"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2015


def period(request):
    """(start, end exclusive, query string, errors) from ?year= or ?start=&end=."""
    today = timezone.localdate()
    start_text, end_text = request.GET.get("start"), request.GET.get("end")
    if start_text or end_text:
        try:
            start, last = parse_date(start_text or ""), parse_date(end_text or "")
        except ValueError:
            start = last = None
        if start is None or last is None:
            return None, None, "", _("请按 YYYY-MM-DD 填写起止日期。")
        if last < start:
            return None, None, "", _("结束日期不能早于开始日期。")
        if (last - start).days > 366:
            return None, None, "", _("统计期间不能超过一年。")
        return start, last + dt.timedelta(days=1), urlencode({"start": start, "end": last}), ""
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= today.year:
        return (
            None,
            None,
            "",
            _("请选择 %(a)s—%(b)s 年之间的年度。") % {"a": FIRST_YEAR, "b": today.year},
        )
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1), urlencode({"year": year}), ""


def _period_or_default(request):
    start, end, query, error = period(request)
    if error:
        messages.warning(request, error)
        year = timezone.localdate().year
        start, end, query = dt.date(year, 1, 1), dt.date(year + 1, 1, 1), f"year={year}"
    return start, end, query


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def summary_preview(request):
    center = request.user.center
    start, end, query = _period_or_default(request)
    summary, collected, earlier = build_with_figures(center, start, end)
    from ..suggestions import suggest

    current = {f.key: f.value for f in summary.figures}
    suggestions = suggest(collected.values, earlier.values, period=period_label(start, end))
    problems = templates_of(center).get("problems", "")
    return render(
        request,
        "reports/summary.html",
        {
            "summary": summary,
            "query": query,
            "start": start,
            "last": end - dt.timedelta(days=1),
            "year_choices": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
            "suggestions": [s for s in suggestions if s.text not in problems],
            "figures": summary.figures,
            "current": current,
            "can_edit": request.user.has_perm(EDIT_PERM),
            "active_menu": "reports_summary",
        },
    )


def _download(request, kind):
    center = request.user.center
    start, end, query = _period_or_default(request)
    summary = build(center, start, end)
    if kind == "docx":
        from ..docx_writer import write_docx

        content, content_type, ext = write_docx(summary), DOCX_TYPE, "docx"
    else:
        from ..xlsx_writer import write_xlsx

        content, content_type, ext = write_xlsx(summary), XLSX_TYPE, "xlsx"
    record_export(request, "reports.Summary", rows=len(summary.figures), format=ext, period=query)
    response = HttpResponse(content, content_type=content_type)
    name = quote(f"{summary.title}.{ext}")
    response["Content-Disposition"] = f"attachment; filename=summary.{ext}; filename*=UTF-8''{name}"
    return response


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def summary_docx(request):
    return _download(request, "docx")


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def summary_xlsx(request):
    return _download(request, "xlsx")


def _titles():
    titles = {
        "opening": _("开头段落"),
        "problems": _("二、存在问题"),
        "plans": _("三、下一步工作计划"),
    }
    titles.update({key: title for key, title, _m in defaults.SECTIONS})
    return titles


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def template_list(request):
    center = request.user.center
    texts = templates_of(center)
    own = set(center_keys(center))
    titles = _titles()
    rows = [
        {"key": key, "title": titles.get(key, key), "body": texts.get(key, ""), "own": key in own}
        for key in services.template_keys()
    ]
    return render(
        request,
        "reports/templates.html",
        {
            "rows": rows,
            "can_edit": request.user.has_perm(EDIT_PERM),
            "active_menu": "reports_summary",
        },
    )


def center_keys(center):
    from ..models import SectionTemplate

    return SectionTemplate.objects.filter(center=center).values_list("key", flat=True)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def template_edit(request, key):
    center = request.user.center
    if key not in services.template_keys():
        raise Http404
    year = timezone.localdate().year
    collected = collect(center, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    known = set(collected.values) | set(GLOBALS)
    body = templates_of(center).get(key, "")
    errors = []
    status = 200
    if request.method == "POST":
        if request.POST.get("reset"):
            services.template_reset(actor=request.user, center=center, key=key)
            messages.success(request, _("已恢复默认模板。"))
            return redirect("reports:template_list")
        body = request.POST.get("body", "")
        try:
            services.template_save(
                actor=request.user, center=center, key=key, body=body, known=known
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 422
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("reports:template_list")
    module_names = {k: m for k, _t, m in defaults.SECTIONS}.get(key)
    keys = sorted(
        k for k in collected.values if module_names is None or k.split(".")[0] in module_names
    )
    available = [
        {
            "key": k,
            "label": (
                collected.labels.get(k)
                or collected.labels.get(".".join(k.split(".")[:2]))
                or ("", "")
            )[0],
            "value": collected.values.get(k),
        }
        for k in keys
    ]
    return render(
        request,
        "reports/template_edit.html",
        {
            "key": key,
            "title": _titles().get(key, key),
            "body": body,
            "errors": errors,
            "available": available,
            "globals": GLOBALS,
            "active_menu": "reports_summary",
        },
        status=status,
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def suggestion_accept(request):
    try:
        services.suggestion_accept(
            actor=request.user, center=request.user.center, text=request.POST.get("text", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已采纳，写入“存在问题”。"))
    query = request.POST.get("query", "")
    return redirect(reverse("reports:summary") + (f"?{query}" if query else ""))


urlpatterns = [
    path("summary/", summary_preview, name="summary"),
    path("summary/word/", summary_docx, name="summary_docx"),
    path("summary/xlsx/", summary_xlsx, name="summary_xlsx"),
    path("summary/templates/", template_list, name="template_list"),
    path("summary/templates/<str:key>/", template_edit, name="template_edit"),
    path("summary/suggestions/accept/", suggestion_accept, name="suggestion_accept"),
]
