"""Scoring sheets of 节约型机关 creation (评分表): areas and items with points, the pass mark;
frozen once a unit has been scored against them.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.forms import apply_errors

from ..filters.conservation import SheetFilter
from ..forms.conservation import AreaForm, ItemForm, SheetForm
from ..models import ConservationUnit
from ..selectors import scoring_areas_for, scoring_items_for, sheets_for
from ..services import conservation as services
from ..tables.conservation import SheetTable
from .conservation import ACTIVE, _data, _form_page, _table

# ------------------------------------------------------------------ scoring sheets


@login_required
@permission_required("energy.view_scoringsheet", raise_exception=True)
def sheet_list(request):
    filterset = SheetFilter(
        request.GET, queryset=sheets_for(request.user).annotate(campaign_count=Count("campaigns"))
    )
    template = "energy/conservation/sheet_list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": _table(request, SheetTable(filterset.qs)),
            "filter": filterset,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("energy.add_scoringsheet", raise_exception=True)
def sheet_create(request):
    form = SheetForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_create(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新建评分表“%(n)s”，请添加考核方面和项目。") % {"n": sheet.name}
            )
            return redirect("energy:sheet_detail", pk=sheet.pk)
    return _form_page(request, "energy/conservation/sheet_form.html", {}, form)


def _sheet(request, pk):
    return get_object_or_404(sheets_for(request.user), pk=pk)


def _sheet_page(
    request, sheet, *, area_form=None, item_form=None, item_area=None, errors=(), status=200
):
    """The sheet with its areas and items, the running total, and (while the sheet is not
    yet used for scoring) the forms to change it."""
    areas = list(sheet.areas.all())
    total = sum((item.points for area in areas for item in area.items.all()), 0)
    frozen = services.sheet_in_use(sheet)
    can_change = request.user.has_perm("energy.change_scoringsheet") and not frozen
    rows = []
    for area in areas:
        if item_form is not None and item_area == area.pk:
            form = item_form
        else:
            form = ItemForm(auto_id=f"area{area.pk}-%s")
        rows.append(
            {
                "area": area,
                "items": list(area.items.all()),
                "subtotal": sum((item.points for item in area.items.all()), 0),
                "item_form": form if can_change else None,
            }
        )
    campaigns = list(sheet.campaigns.order_by("-start_year", "name"))
    decided = ConservationUnit.objects.filter(
        campaign__sheet=sheet,
        status__in=[ConservationUnit.Status.PASSED, ConservationUnit.Status.FAILED],
    ).count()
    scored = ConservationUnit.objects.filter(scores__item__area__sheet=sheet).distinct().count()
    return render(
        request,
        "energy/conservation/sheet_detail.html",
        {
            "sheet": sheet,
            "areas": rows,
            "total": total,
            "complete": total == 100,
            "frozen": frozen,
            "scored_units": scored,
            "decided_units": decided,
            "campaigns": campaigns,
            "can_change": can_change,
            "may_edit": request.user.has_perm("energy.change_scoringsheet"),
            "area_form": (area_form or AreaForm(auto_id="area-%s")) if can_change else None,
            "errors": errors,
            "active_menu": ACTIVE,
        },
        status=status,
    )


@login_required
@permission_required("energy.view_scoringsheet", raise_exception=True)
def sheet_detail(request, pk):
    return _sheet_page(request, _sheet(request, pk))


@login_required
@permission_required("energy.change_scoringsheet", raise_exception=True)
def sheet_edit(request, pk):
    sheet = _sheet(request, pk)
    form = SheetForm.for_sheet(sheet, _data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_update(actor=request.user, sheet=sheet, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:sheet_detail", pk=sheet.pk)
    return _form_page(request, "energy/conservation/sheet_form.html", {"sheet": sheet}, form)


@login_required
@permission_required("energy.change_scoringsheet", raise_exception=True)
@require_POST
def sheet_area_add(request, pk):
    sheet = _sheet(request, pk)
    form = AreaForm(request.POST, auto_id="area-%s")
    if form.is_valid():
        try:
            area = services.area_add(actor=request.user, sheet=sheet, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加考核方面“%(n)s”。") % {"n": area.name})
            return redirect("energy:sheet_detail", pk=sheet.pk)
    return _sheet_page(request, sheet, area_form=form, errors=form.non_field_errors(), status=422)


@login_required
@permission_required("energy.change_scoringsheet", raise_exception=True)
@require_POST
def sheet_item_add(request, pk):
    area = get_object_or_404(scoring_areas_for(request.user), pk=pk)
    form = ItemForm(request.POST, auto_id=f"area{area.pk}-%s")
    if form.is_valid():
        try:
            services.item_add(
                actor=request.user,
                area=area,
                text_value=form.cleaned_data["text"],
                points=form.cleaned_data["points"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加考核项目。"))
            return redirect("energy:sheet_detail", pk=area.sheet_id)
    sheet = _sheet(request, area.sheet_id)
    return _sheet_page(
        request,
        sheet,
        item_form=form,
        item_area=area.pk,
        errors=form.non_field_errors(),
        status=422,
    )


def _delete(request, sheet_pk, action, done):
    try:
        action()
    except ValidationError as exc:
        return _sheet_page(request, _sheet(request, sheet_pk), errors=exc.messages, status=422)
    messages.success(request, done)
    return redirect("energy:sheet_detail", pk=sheet_pk)


@login_required
@permission_required("energy.change_scoringsheet", raise_exception=True)
@require_POST
def sheet_item_delete(request, pk):
    item = get_object_or_404(scoring_items_for(request.user), pk=pk)
    return _delete(
        request,
        item.area.sheet_id,
        lambda: services.item_delete(actor=request.user, item=item),
        _("已删除考核项目“%(t)s”。") % {"t": item.text},
    )


@login_required
@permission_required("energy.change_scoringsheet", raise_exception=True)
@require_POST
def sheet_area_delete(request, pk):
    area = get_object_or_404(scoring_areas_for(request.user), pk=pk)
    return _delete(
        request,
        area.sheet_id,
        lambda: services.area_delete(actor=request.user, area=area),
        _("已删除考核方面“%(n)s”及其考核项目。") % {"n": area.name},
    )


urlpatterns = [
    path("sheets/", sheet_list, name="sheet_list"),
    path("sheets/new/", sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/areas/add/", sheet_area_add, name="sheet_area_add"),
    path("sheets/areas/<int:pk>/items/add/", sheet_item_add, name="sheet_item_add"),
    path("sheets/areas/<int:pk>/delete/", sheet_area_delete, name="sheet_area_delete"),
    path("sheets/items/<int:pk>/delete/", sheet_item_delete, name="sheet_item_delete"),
]
