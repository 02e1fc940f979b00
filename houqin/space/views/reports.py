"""统计报送: the annual statistics workbook (the figures the national office-space system asks
for) and the annual internal publication list (年度内部公示), both as on 31 December of the
chosen year, or today for the current year.

The statistics cover the whole center, so only center-wide viewers download them; a
department liaison sees the publication list of their own agency."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import record_export
from houqin.core.xlsx import xlsx_response

from .. import reporting
from ..forms.compliance import YearForm, report_day
from ..selectors import sees_center
from ..tables import compliance as sheets
from .compliance import VIEW_PERM, viewer_agency

ACTIVE = "space_reports"


def _year(request, today):
    form = YearForm(request.GET, today=today)
    if not form.is_valid():
        for error in form.errors.get("year", []):
            messages.warning(request, _("%(e)s 已显示今年的情况。") % {"e": error})
    return form, form.chosen()


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def reports(request):
    agency = viewer_agency(request.user)
    today = timezone.localdate()
    form, year = _year(request, today)
    return render(
        request,
        "space/reports/reports.html",
        {
            "form": form,
            "year": year,
            "day": report_day(year, today),
            "agency": agency,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def report_statistics(request):
    if not sees_center(request.user):
        raise PermissionDenied(_("年度统计报表只对办公用房管理员和中心领导开放。"))
    today = timezone.localdate()
    form = YearForm(request.GET, today=today)
    if not form.is_valid():
        for error in form.errors.get("year", []):
            messages.error(request, error)
        return redirect("space:reports")
    year = form.chosen()
    stats = reporting.statistics(request.user.center_id, year, report_day(year, today), today=today)
    workbook, rows = sheets.statistics_workbook(stats)
    record_export(request, "space.SpaceRoom", rows=rows, report="statistics", year=year)
    return xlsx_response(workbook, _("办公用房统计%(y)s年度") % {"y": year})


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def report_publication(request):
    agency = viewer_agency(request.user)
    today = timezone.localdate()
    form, year = _year(request, today)
    pub = reporting.publication(
        request.user.center_id, year, report_day(year, today), agency=agency, today=today
    )
    if request.GET.get("export") == "xlsx":
        workbook, rows = sheets.publication_workbook(pub)
        record_export(request, "space.SpaceRoom", rows=rows, report="publication", year=year)
        return xlsx_response(workbook, _("办公用房使用情况内部公示%(y)s年度") % {"y": year})
    return render(
        request,
        "space/reports/publication.html",
        {"form": form, "pub": pub, "agency": agency, "active_menu": ACTIVE},
    )


urlpatterns = [
    path("reports/", reports, name="reports"),
    path("reports/statistics/", report_statistics, name="report_statistics"),
    path("reports/publication/", report_publication, name="report_publication"),
]
