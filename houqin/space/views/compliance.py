"""面积核定: the space home page (the center's compliance on a day, or one agency's for a
department liaison) and the page of one agency (its rooms, its people, entitlement vs area).

Thin: parse the day, choose the scope from the selectors, call one builder of reporting.py,
render (or write the xlsx of the same figures)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import record_export
from houqin.core.xlsx import xlsx_response
from houqin.org.models import OrgUnit

from .. import reporting
from ..forms.compliance import DayForm
from ..selectors import scoped_agency, sees_center
from ..tables import compliance as sheets

VIEW_PERM = "space.view_spaceroom"
ACTIVE = "space_compliance"


def viewer_agency(user):
    """None for a center-wide viewer, their agency for a department liaison or leader;
    anyone else may not see compliance figures at all (403)."""
    if sees_center(user):
        return None
    agency = scoped_agency(user)
    if agency is None:
        raise PermissionDenied(_("您无权查看办公用房核定情况。"))
    return agency


def _day(request, today):
    form = DayForm(request.GET, today=today)
    if not form.is_valid():
        for error in form.errors.get("date", []):
            messages.warning(request, _("%(e)s 已显示今天的情况。") % {"e": error})
    return form, form.day()


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def compliance(request):
    agency = viewer_agency(request.user)
    today = timezone.localdate()
    form, day = _day(request, today)
    page = reporting.compliance_page(request.user.center_id, day, agency=agency, today=today)
    if request.GET.get("export") == "xlsx":
        workbook, rows = sheets.compliance_workbook(page)
        record_export(request, "space.SpaceRoom", rows=rows, report="compliance")
        return xlsx_response(workbook, _("面积核定%(d)s") % {"d": f"{day:%Y%m%d}"})
    return render(
        request,
        "space/compliance/compliance.html",
        {
            "form": form,
            "day": day,
            "is_today": day == today,
            "page": page,
            "report": page.report,
            "agency": agency,
            "active_menu": ACTIVE,
        },
    )


def _agency_for(request, pk):
    """An agency (or the center itself) of the user's center the user may see; else 404."""
    own = viewer_agency(request.user)
    if own is not None:
        if own.pk != pk:
            raise Http404
        return own
    center_id = request.user.center_id
    # Inactive agencies included: their past figures stay readable.
    units = OrgUnit.objects.filter(
        Q(pk=center_id, kind=OrgUnit.Kind.CENTER) | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY)
    )
    return get_object_or_404(units, pk=pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def compliance_agency(request, pk):
    agency = _agency_for(request, pk)
    today = timezone.localdate()
    form, day = _day(request, today)
    detail = reporting.agency_detail(request.user.center_id, agency, day, today=today)
    return render(
        request,
        "space/compliance/agency.html",
        {
            "form": form,
            "day": day,
            "is_today": day == today,
            "detail": detail,
            "agency": agency,
            "center_wide": sees_center(request.user),
            "active_menu": ACTIVE,
        },
    )


urlpatterns = [
    path("", compliance, name="compliance"),
    path("compliance/agencies/<int:pk>/", compliance_agency, name="compliance_agency"),
]
