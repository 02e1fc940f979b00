"""宣传活动 pages: publicity events (节能宣传周, 全国低碳日…) with their activities and a photo
gallery; photos are served only through an access-checked view.

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
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.events import EventFilter
from ..forms.events import ActivityForm, EventForm, PhotoForm
from ..selectors import events_for, photos_for
from ..services.events import activity_add, event_save, photo_add, photo_delete
from ..tables.events import EventTable

PAGE_SIZE = 50
MENU = "energy_events"


def _events(user):
    return events_for(user).annotate(photo_count=Count("photos"))


def _event(request, pk):
    return get_object_or_404(events_for(request.user), pk=pk)


def _form_page(request, context, form):
    return render(
        request,
        "energy/events/form.html",
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


EVENT_COLUMNS = [
    Column("kind", _("类型"), width=14),
    Column("title", _("活动名称"), width=30),
    Column("start_date", _("开始日期"), width=12),
    Column("end_date", _("结束日期"), width=12),
    Column("place", _("地点"), width=20),
    Column("organizer", _("组织单位"), width=20),
    Column("participants", _("参与人数"), width=10),
    Column("photos", _("照片数"), width=8),
    Column("summary", _("活动总结"), width=60),
]


@login_required
@permission_required("energy.view_publicityevent", raise_exception=True)
def event_list(request):
    filterset = EventFilter(request.GET, queryset=_events(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                e.get_kind_display(),
                e.title,
                e.start_date,
                e.end_date,
                e.place,
                e.organizer,
                e.participants,
                e.photo_count,
                e.summary,
            ]
            for e in filterset.qs
        ]
        record_export(request, "energy.PublicityEvent", rows=len(rows))
        return xlsx_response(build_workbook(_("宣传活动"), EVENT_COLUMNS, rows), _("宣传活动"))
    table = EventTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "energy/events/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


@login_required
@permission_required("energy.add_publicityevent", raise_exception=True)
def event_create(request):
    form = EventForm.for_event(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_save(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增宣传活动“%(t)s”。") % {"t": event.title})
            return redirect("energy:event_detail", pk=event.pk)
    return _form_page(request, {}, form)


@login_required
@permission_required("energy.change_publicityevent", raise_exception=True)
def event_edit(request, pk):
    event = _event(request, pk)
    form = EventForm.for_event(event, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_save(actor=request.user, center=event.center, event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:event_detail", pk=event.pk)
    return _form_page(request, {"event": event}, form)


def _detail(request, event, *, activity_form=None, photo_form=None, status=200):
    user = request.user
    return render(
        request,
        "energy/events/detail.html",
        {
            "event": event,
            "activities": event.activities.all(),
            "photos": event.photos.all(),
            "activity_form": (activity_form or ActivityForm(event=event))
            if user.has_perm("energy.add_eventactivity")
            else None,
            "photo_form": (photo_form or PhotoForm())
            if user.has_perm("energy.add_eventphoto")
            else None,
            "can_delete_photo": user.has_perm("energy.delete_eventphoto"),
            "active_menu": MENU,
        },
        status=status,
    )


@login_required
@permission_required("energy.view_publicityevent", raise_exception=True)
def event_detail(request, pk):
    return _detail(request, _event(request, pk))


@login_required
@permission_required("energy.add_eventactivity", raise_exception=True)
@require_POST
def activity_create(request, pk):
    event = _event(request, pk)
    form = ActivityForm(request.POST, event=event)
    if form.is_valid():
        try:
            activity = activity_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加活动项目“%(t)s”。") % {"t": activity.title})
            return redirect("energy:event_detail", pk=event.pk)
    return _detail(request, event, activity_form=form, status=422)


@login_required
@permission_required("energy.add_eventphoto", raise_exception=True)
@require_POST
def photo_upload(request, pk):
    event = _event(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传照片。"))
            return redirect("energy:event_detail", pk=event.pk)
    return _detail(request, event, photo_form=form, status=422)


@login_required
@permission_required("energy.view_eventphoto", raise_exception=True)
def event_photo(request, pk):
    """An event photo, only to those who may see the event (never a public URL)."""
    photo = get_object_or_404(photos_for(request.user), pk=pk)
    return serve_file(photo.image, filename=f"event-photo-{photo.pk}")


@login_required
@permission_required("energy.delete_eventphoto", raise_exception=True)
@require_POST
def photo_delete_view(request, pk):
    photo = get_object_or_404(photos_for(request.user), pk=pk)
    event_pk = photo.event_id
    photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("已删除照片。"))
    return redirect("energy:event_detail", pk=event_pk)


urlpatterns = [
    path("events/", event_list, name="event_list"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/activities/new/", activity_create, name="activity_create"),
    path("events/<int:pk>/photos/new/", photo_upload, name="photo_upload"),
    path("events/photos/<int:pk>/", event_photo, name="event_photo"),
    path("events/photos/<int:pk>/delete/", photo_delete_view, name="photo_delete"),
]
