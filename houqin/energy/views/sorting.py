"""垃圾分类 pages: sites (demonstration sites with their level), the year's figures and the
GB/T 19095-2019 legend, a site's inspections (correct-sorting rate, photo) and collected
weights per category, and the inspections list with its xlsx export.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.sorting import InspectionFilter, SiteFilter
from ..forms.sorting import CollectionForm, InspectionForm, SiteForm
from ..models import (
    CATEGORY_COLOURS,
    SUBCATEGORIES,
    GarbageCollection,
    SortingInspection,
)
from ..selectors import collections_for, inspections_for, sites_for
from ..services.sorting import collection_record, inspection_record, site_save, sorting_figures
from ..tables.projects import percent
from ..tables.sorting import CollectionTable, InspectionTable, SiteTable

PAGE_SIZE = 50
MENU = "energy_sorting"
RECENT_DAYS = 30


def _form_page(request, template, context, form):
    return render(
        request,
        template,
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


def sites(user, today=None):
    """The user's sites, each annotated (correlated subqueries, no join) with its last
    inspection (last_date, last_checked, last_correct) and the bins checked / correct over
    the last RECENT_DAYS days including today (checked_30, correct_30)."""
    today = today or timezone.localdate()
    own = SortingInspection.objects.filter(site=OuterRef("pk"))
    latest = own.order_by("-date", "-id")
    recent = (
        own.filter(date__gt=today - dt.timedelta(days=RECENT_DAYS), date__lte=today)
        .order_by()
        .values("site")
    )

    def total(field):
        return Subquery(recent.annotate(n=Sum(field)).values("n")[:1], output_field=IntegerField())

    return sites_for(user).annotate(
        last_date=Subquery(latest.values("date")[:1]),
        last_checked=Subquery(latest.values("bins_checked")[:1]),
        last_correct=Subquery(latest.values("bins_correct")[:1]),
        checked_30=total("bins_checked"),
        correct_30=total("bins_correct"),
    )


def _site(request, pk):
    return get_object_or_404(sites(request.user), pk=pk)


def _inspections(user):
    return inspections_for(user).select_related("inspector__person")


def legend():
    """The four categories of GB/T 19095-2019 with their bin colour and sub-categories."""
    return [
        {
            "key": category.value,
            "label": category.label,
            "colour": CATEGORY_COLOURS[category][0],
            "subcategories": SUBCATEGORIES[category],
        }
        for category in CATEGORY_COLOURS
    ]


# ------------------------------------------------------------------ sites

SITE_COLUMNS = [
    Column("name", _("点位名称"), width=24),
    Column("kind", _("单位类型"), width=14),
    Column("institution", _("公共机构"), width=20),
    Column("address", _("地址"), width=28),
    Column("bins", _("分类投放点（组）"), width=12),
    Column("demo", _("示范点"), width=8),
    Column("level", _("示范级别"), width=10),
    Column("recognized_on", _("认定日期"), width=12),
    Column("started_on", _("开展分类日期"), width=12),
    Column("last_date", _("最近检查日期"), width=12),
    Column("last_rate", _("最近正确率（%）"), width=12),
    Column("rate_30", _("近30天正确率（%）"), width=14),
    Column("active", _("在用"), width=8),
]


def _yes(value):
    return _("是") if value else _("否")


@login_required
@permission_required("energy.view_sortingsite", raise_exception=True)
def site_list(request):
    filterset = SiteFilter(request.GET, queryset=sites(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                s.name,
                s.get_kind_display(),
                s.institution.name if s.institution else "",
                s.address,
                s.bins,
                _yes(s.is_demonstration),
                s.demonstration_level,
                s.recognized_on,
                s.started_on,
                s.last_date,
                percent(s.last_correct or 0, s.last_checked),
                percent(s.correct_30 or 0, s.checked_30),
                _yes(s.is_active),
            ]
            for s in filterset.qs
        ]
        record_export(request, "energy.SortingSite", rows=len(rows))
        return xlsx_response(
            build_workbook(_("垃圾分类点位"), SITE_COLUMNS, rows), _("垃圾分类点位")
        )
    table = SiteTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "energy/sorting/list.html"
    if request.htmx:
        return render(request, f"{template}#results", {"table": table, "filter": filterset})
    year = timezone.localdate().year
    figures = sorting_figures(request.user.center_id, dt.date(year, 1, 1), dt.date(year, 12, 31))
    total = sum(figures.weights.values())
    weights = [
        {
            "key": category.value,
            "label": category.label,
            "kg": figures.weights[field],
            "share": percent(figures.weights[field], total),
        }
        for category, field in GarbageCollection.WEIGHT_FIELDS.items()
    ]
    return render(
        request,
        template,
        {
            "table": table,
            "filter": filterset,
            "figures": figures,
            "weights": weights,
            "weights_total": total,
            "year": year,
            "legend": legend(),
            "active_menu": MENU,
        },
    )


@login_required
@permission_required("energy.add_sortingsite", raise_exception=True)
def site_create(request):
    form = SiteForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            site = site_save(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增点位“%(n)s”。") % {"n": site.name})
            return redirect("energy:site_detail", pk=site.pk)
    return _form_page(request, "energy/sorting/site_form.html", {}, form)


@login_required
@permission_required("energy.change_sortingsite", raise_exception=True)
def site_edit(request, pk):
    site = get_object_or_404(sites_for(request.user), pk=pk)
    form = SiteForm(request.POST or None, center_id=site.center_id, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            site_save(actor=request.user, center=site.center, site=site, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:site_detail", pk=site.pk)
    return _form_page(request, "energy/sorting/site_form.html", {"site": site}, form)


@login_required
@permission_required("energy.view_sortingsite", raise_exception=True)
def site_detail(request, pk):
    site = _site(request, pk)
    inspections = InspectionTable(
        _inspections(request.user).filter(site=site), prefix="i-", exclude=("site",)
    )
    collections = CollectionTable(collections_for(request.user).filter(site=site), prefix="c-")
    config = RequestConfig(request, paginate={"per_page": PAGE_SIZE})
    config.configure(inspections)
    config.configure(collections)
    return render(
        request,
        "energy/sorting/detail.html",
        {
            "site": site,
            "last_rate": percent(site.last_correct or 0, site.last_checked),
            "rate_30": percent(site.correct_30 or 0, site.checked_30),
            "recent_days": RECENT_DAYS,
            "inspections": inspections,
            "collections": collections,
            "active_menu": MENU,
        },
    )


# ------------------------------------------------------------------ inspections

INSPECTION_COLUMNS = [
    Column("date", _("检查日期"), width=12),
    Column("site", _("点位"), width=24),
    Column("inspector", _("检查人"), width=12),
    Column("bins_checked", _("检查桶数"), width=10),
    Column("bins_correct", _("分类正确桶数"), width=12),
    Column("rate", _("正确率（%）"), width=12),
    Column("problems", _("发现问题"), width=48),
    Column("photo", _("照片"), width=8),
]


@login_required
@permission_required("energy.view_sortinginspection", raise_exception=True)
def inspection_list(request):
    filterset = InspectionFilter(request.GET, queryset=_inspections(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                i.date,
                i.site.name,
                i.inspector.display_name,
                i.bins_checked,
                i.bins_correct,
                i.rate,
                i.problems,
                _("有") if i.photo else "",
            ]
            for i in filterset.qs
        ]
        record_export(request, "energy.SortingInspection", rows=len(rows))
        return xlsx_response(
            build_workbook(_("垃圾分类检查"), INSPECTION_COLUMNS, rows), _("垃圾分类检查")
        )
    table = InspectionTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "energy/sorting/inspections.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


@login_required
@permission_required("energy.add_sortinginspection", raise_exception=True)
def inspection_create(request, pk):
    site = get_object_or_404(sites_for(request.user), pk=pk)
    form = InspectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_record(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记 %(d)s 的检查，分类正确率 %(r)s%%。")
                % {"d": inspection.date.strftime("%Y-%m-%d"), "r": inspection.rate},
            )
            return redirect("energy:site_detail", pk=site.pk)
    return _form_page(request, "energy/sorting/inspection_form.html", {"site": site}, form)


@login_required
@permission_required("energy.view_sortinginspection", raise_exception=True)
def inspection_photo(request, pk):
    """An inspection's photo, only to those who may see the site (never a public URL)."""
    inspection = get_object_or_404(inspections_for(request.user), pk=pk)
    return serve_file(inspection.photo, filename=f"sorting-inspection-{inspection.pk}")


# ------------------------------------------------------------------ collections


@login_required
@permission_required("energy.add_garbagecollection", raise_exception=True)
def collection_create(request, pk):
    site = get_object_or_404(sites_for(request.user), pk=pk)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = collection_record(
                actor=request.user,
                site=site,
                date=form.cleaned_data["date"],
                weights=form.weights(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已记录 %(d)s 的分类收运量。") % {"d": collection.date.strftime("%Y-%m-%d")},
            )
            return redirect("energy:site_detail", pk=site.pk)
    return _form_page(request, "energy/sorting/collection_form.html", {"site": site}, form)


urlpatterns = [
    path("sorting/", site_list, name="site_list"),
    path("sorting/sites/new/", site_create, name="site_create"),
    path("sorting/sites/<int:pk>/", site_detail, name="site_detail"),
    path("sorting/sites/<int:pk>/edit/", site_edit, name="site_edit"),
    path("sorting/sites/<int:pk>/inspections/new/", inspection_create, name="inspection_create"),
    path("sorting/sites/<int:pk>/collections/new/", collection_create, name="collection_create"),
    path("sorting/inspections/", inspection_list, name="inspection_list"),
    path("sorting/inspections/<int:pk>/photo/", inspection_photo, name="inspection_photo"),
]
