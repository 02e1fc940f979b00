"""活动记录 pages: activities by category with participants and photos, counts per category
and per month, and the category settings. Photos are served only through an access-checked
view.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..figures import activity_counts
from ..filters.activities import ActivityFilter
from ..forms.activities import ActivityForm, CategoryForm, PhotoForm
from ..selectors import activities_for, categories_for, photos_for
from ..services.activities import (
    activity_save,
    categories_ensure,
    category_save,
    category_set_active,
    photo_add,
    photo_delete,
)
from ..tables.activities import ActivityTable

PAGE_SIZE = 50
MENU = "activities_list"


def _activity(request, pk):
    return get_object_or_404(activities_for(request.user), pk=pk)


def _columns():
    return [
        Column("date", _("日期"), width=12),
        Column("category", _("类别"), width=14),
        Column("title", _("活动主题"), width=30),
        Column("place", _("地点"), width=20),
        Column("organizer", _("组织者"), width=16),
        Column("people", _("参加人员"), width=40),
        Column("others", _("其他参加人数"), width=12),
        Column("total", _("参加人数"), width=10),
        Column("photos", _("照片数"), width=8),
        Column("summary", _("活动内容"), width=60),
    ]


def _year(request):
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    this_year = timezone.localdate().year
    return year if this_year - 50 <= year <= this_year else this_year


@login_required
@permission_required("activities.view_activity", raise_exception=True)
def activity_list(request):
    qs = activities_for(request.user).annotate(photo_count=Count("photos", distinct=True))
    filterset = ActivityFilter(request.GET, queryset=qs, request=request)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                a.date,
                a.category.name,
                a.title,
                a.place,
                a.organizer,
                "、".join(p.name for p in a.participants.all()),
                a.other_participants,
                a.participant_total,
                a.photo_count,
                a.summary,
            ]
            for a in filterset.qs.prefetch_related("participants")
        ]
        record_export(request, "activities.Activity", rows=len(rows))
        return xlsx_response(build_workbook(_("活动记录"), _columns(), rows), _("活动记录"))
    table = ActivityTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    counts = activity_counts(request.user.center_id, _year(request))
    chart = {
        "year": counts["year"],
        "months": [f"{m}月" for m in range(1, 13)],
        "monthly": counts["months"],
        "categories": [c["name"] for c in counts["categories"]],
        "by_category": [c["count"] for c in counts["categories"]],
        "series_month": _("按月份"),
        "series_category": _("按类别"),
        "unit": _("次"),
    }
    template = "activities/activities/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "counts": counts,
            "chart_data": chart,
            "active_menu": MENU,
        },
    )


def _form_page(request, form, activity=None):
    return render(
        request,
        "activities/activities/form.html",
        {"form": form, "activity": activity, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("activities.add_activity", raise_exception=True)
def activity_create(request):
    center = request.user.center
    categories_ensure(center=center)
    form = ActivityForm(
        request.POST or None,
        center_id=center.pk,
        initial={"date": timezone.localdate(), "other_participants": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_save(actor=request.user, center=center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记活动“%(t)s”。") % {"t": activity.title})
            return redirect("activities:activity_detail", pk=activity.pk)
    return _form_page(request, form)


@login_required
@permission_required("activities.change_activity", raise_exception=True)
def activity_edit(request, pk):
    activity = _activity(request, pk)
    form = ActivityForm(request.POST or None, center_id=activity.center_id, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity_save(
                actor=request.user,
                center=activity.center,
                activity=activity,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:activity_detail", pk=activity.pk)
    return _form_page(request, form, activity)


def _detail(request, activity, *, photo_form=None, status=200):
    can_change = request.user.has_perm("activities.change_activity")
    return render(
        request,
        "activities/activities/detail.html",
        {
            "activity": activity,
            "people": activity.participants.select_related("agency").order_by(
                "agency__path", "name"
            ),
            "photos": activity.photos.all(),
            "photo_form": (photo_form or PhotoForm()) if can_change else None,
            "can_change": can_change,
            "active_menu": MENU,
        },
        status=status,
    )


@login_required
@permission_required("activities.view_activity", raise_exception=True)
def activity_detail(request, pk):
    return _detail(request, _activity(request, pk))


@login_required
@permission_required("activities.change_activity", raise_exception=True)
@require_POST
def photo_upload(request, pk):
    activity = _activity(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo_add(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传照片。"))
            return redirect("activities:activity_detail", pk=activity.pk)
    return _detail(request, activity, photo_form=form, status=422)


@login_required
@permission_required("activities.view_activityphoto", raise_exception=True)
def photo(request, pk):
    """An activity photo, only to those who may see the activity (never a public URL)."""
    item = get_object_or_404(photos_for(request.user), pk=pk)
    return serve_file(item.image, filename=f"activity-photo-{item.pk}")


@login_required
@permission_required("activities.change_activity", raise_exception=True)
@require_POST
def photo_delete_view(request, pk):
    item = get_object_or_404(photos_for(request.user), pk=pk)
    activity_pk = item.activity_id
    photo_delete(actor=request.user, photo=item)
    messages.success(request, _("已删除照片。"))
    return redirect("activities:activity_detail", pk=activity_pk)


def _categories_page(request, form=None, *, edit_forms=None, status=200):
    categories = list(
        categories_for(request.user).annotate(n=Count("activities")).order_by("order", "id")
    )
    edit_forms = edit_forms or {}
    rows = [
        (
            c,
            edit_forms.get(c.pk)
            or CategoryForm(initial={"name": c.name, "order": c.order}, prefix=f"c{c.pk}"),
        )
        for c in categories
    ]
    return render(
        request,
        "activities/categories/list.html",
        {
            "rows": rows,
            "form": form or CategoryForm(initial={"order": (len(categories) + 1) * 10}),
            "can_change": request.user.has_perm("activities.change_activitycategory"),
            "active_menu": MENU,
        },
        status=status,
    )


@login_required
@permission_required("activities.view_activitycategory", raise_exception=True)
def category_list(request):
    if request.user.has_perm("activities.add_activitycategory"):
        categories_ensure(center=request.user.center)
    if request.method != "POST":
        return _categories_page(request)
    if not request.user.has_perm("activities.add_activitycategory"):
        raise PermissionDenied
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = category_save(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增类别“%(n)s”。") % {"n": category.name})
            return redirect("activities:category_list")
    return _categories_page(request, form, status=422)


@login_required
@permission_required("activities.change_activitycategory", raise_exception=True)
@require_POST
def category_edit(request, pk):
    category = get_object_or_404(categories_for(request.user), pk=pk)
    action = request.POST.get("action")
    if action in ("deactivate", "activate"):
        category_set_active(actor=request.user, category=category, is_active=action == "activate")
        messages.success(
            request,
            (_("已启用类别“%(n)s”。") if action == "activate" else _("已停用类别“%(n)s”。"))
            % {"n": category.name},
        )
        return redirect("activities:category_list")
    form = CategoryForm(request.POST, prefix=f"c{category.pk}")
    if form.is_valid():
        try:
            category_save(
                actor=request.user,
                center=request.user.center,
                category=category,
                is_active=category.is_active,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:category_list")
    return _categories_page(request, edit_forms={category.pk: form}, status=422)


urlpatterns = [
    path("", activity_list, name="activity_list"),
    path("new/", activity_create, name="activity_create"),
    path("<int:pk>/", activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("<int:pk>/photos/new/", photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", photo, name="photo"),
    path("photos/<int:pk>/delete/", photo_delete_view, name="photo_delete"),
    path("categories/", category_list, name="category_list"),
    path("categories/<int:pk>/", category_edit, name="category_edit"),
]
