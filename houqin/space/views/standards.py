"""面积标准: the effective-dated office-area limits per rank (global: national regulations), and
adding a new one (superusers only: no role holds space.add_areastandard)."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.forms import apply_errors
from houqin.org.models import OrganLevel

from ..forms.compliance import AreaStandardForm
from ..models import AreaStandard
from ..services import standards as services

VIEW_PERM = "space.view_areastandard"
ADD_PERM = services.ADD_PERM
ACTIVE = "space_standards"
# A district is county level: its own ranks first, then upwards.
LEVELS = [OrganLevel.COUNTY, OrganLevel.CITY, OrganLevel.PROVINCIAL, OrganLevel.CENTRAL]


def _grouped(rows, today):
    """[(level label, [(rank, [(standard, state)])])]; state is "current" for the row in
    force today, "future" for one not yet in force, "past" for a superseded one."""
    by_level = {level: [] for level in LEVELS}
    rows = sorted(rows, key=lambda s: (s.rank.organ_level, -s.rank.seniority, s.rank_id))
    for _rank, group in itertools.groupby(rows, key=lambda s: s.rank_id):
        group = sorted(group, key=lambda s: s.effective_from, reverse=True)
        current = next((s for s in group if s.effective_from <= today), None)
        states = []
        for standard in group:
            if standard.effective_from > today:
                state = "future"
            else:
                state = "current" if standard is current else "past"
            states.append((standard, state))
        by_level.setdefault(group[0].rank.organ_level, []).append((group[0].rank, states))
    return [
        (OrganLevel(level).label, ranks)
        for level, ranks in by_level.items()
        if ranks and level in OrganLevel.values
    ]


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def standard_list(request):
    today = timezone.localdate()
    rows = AreaStandard.objects.select_related("rank")
    return render(
        request,
        "space/standards/list.html",
        {
            "levels": _grouped(rows, today),
            "today": today,
            "can_add": request.user.has_perm(ADD_PERM),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def standard_create(request):
    form = AreaStandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.area_standard_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增面积标准：%(s)s。") % {"s": standard})
            return redirect("space:standard_list")
    return render(
        request,
        "space/standards/form.html",
        {"form": form, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("standards/", standard_list, name="standard_list"),
    path("standards/new/", standard_create, name="standard_create"),
]
