"""突发事件, 安保预案 and 培训演练 pages: lists (filters, xlsx), create, detail, edit; an
incident is closed with its result.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.models import Person

from ..filters.events import DrillFilter, IncidentFilter, PlanFilter
from ..forms.events import DrillForm, IncidentCloseForm, IncidentForm, PlanForm
from ..selectors import drills_for, incidents_for, plans_for
from ..services import events as services
from ..tables.events import DrillTable, IncidentTable, PlanTable, local

PAGE_SIZE = 50


def _list(request, *, template, filterset, table_class, active):
    table = table_class(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": active},
    )


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


# ------------------------------------------------------------------ incidents

INCIDENTS = "security_incidents"
INCIDENT_COLUMNS = [
    Column("occurred_at", _("发生时间"), width=18),
    Column("kind", _("类型"), width=12),
    Column("place", _("地点"), width=20),
    Column("description", _("经过"), width=40),
    Column("handling", _("处置情况"), width=40),
    Column("result", _("处置结果"), width=30),
    Column("follow_up", _("后续措施"), width=30),
    Column("status", _("状态"), width=10),
    Column("reported_by", _("登记人"), width=12),
    Column("closed_at", _("办结时间"), width=18),
]


@login_required
@permission_required("security.view_incident", raise_exception=True)
def incident_list(request):
    filterset = IncidentFilter(request.GET, queryset=incidents_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                local(i.occurred_at),
                i.get_kind_display(),
                i.place,
                i.description,
                i.handling,
                i.result,
                i.follow_up,
                i.get_status_display(),
                i.reported_by.display_name,
                local(i.closed_at) if i.closed_at else "",
            ]
            for i in filterset.qs
        ]
        record_export(request, "security.Incident", rows=len(rows))
        return xlsx_response(build_workbook(_("突发事件"), INCIDENT_COLUMNS, rows), _("突发事件"))
    return _list(
        request,
        template="security/incidents/list.html",
        filterset=filterset,
        table_class=IncidentTable,
        active=INCIDENTS,
    )


@login_required
@permission_required(services.ADD_INCIDENT, raise_exception=True)
def incident_create(request):
    form = IncidentForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(
                actor=request.user, center=request.user.center_id, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记突发事件，并已通知安保消防管理员。"))
            return redirect("security:incident_detail", pk=incident.pk)
    return _form_page(request, "security/incidents/form.html", {"active_menu": INCIDENTS}, form)


def _incident(request, pk):
    return get_object_or_404(incidents_for(request.user), pk=pk)


def _incident_detail(request, incident, close_form=None, status=200):
    can_change = request.user.has_perm(services.CHANGE_INCIDENT)
    return render(
        request,
        "security/incidents/detail.html",
        {
            "incident": incident,
            "can_change": can_change,
            "close_form": (
                close_form or IncidentCloseForm(initial={"follow_up": incident.follow_up})
            )
            if can_change and incident.status == incident.Status.OPEN
            else None,
            "active_menu": INCIDENTS,
        },
        status=status,
    )


@login_required
@permission_required("security.view_incident", raise_exception=True)
def incident_detail(request, pk):
    return _incident_detail(request, _incident(request, pk))


@login_required
@permission_required(services.CHANGE_INCIDENT, raise_exception=True)
def incident_edit(request, pk):
    incident = _incident(request, pk)
    form = IncidentForm.for_incident(incident, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("security:incident_detail", pk=incident.pk)
    return _form_page(
        request,
        "security/incidents/form.html",
        {"incident": incident, "active_menu": INCIDENTS},
        form,
    )


@login_required
@permission_required(services.CHANGE_INCIDENT, raise_exception=True)
@require_POST
def incident_close(request, pk):
    incident = _incident(request, pk)
    form = IncidentCloseForm(request.POST)
    if form.is_valid():
        try:
            services.incident_close(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("事件已办结。"))
            return redirect("security:incident_detail", pk=incident.pk)
    return _incident_detail(request, incident, close_form=form, status=422)


# ------------------------------------------------------------------ contingency plans

PLANS = "security_plans"
PLAN_COLUMNS = [
    Column("title", _("预案名称"), width=28),
    Column("event_start", _("活动开始"), width=18),
    Column("event_end", _("活动结束"), width=18),
    Column("booking", _("关联会议"), width=28),
    Column("room", _("会议室"), width=16),
    Column("coordination_meeting_at", _("协调会时间"), width=18),
    Column("responsible", _("负责人"), width=12),
    Column("status", _("状态"), width=10),
    Column("measures", _("安保措施"), width=60),
]


def _plans(request):
    return plans_for(request.user).select_related("booking__room")


@login_required
@permission_required("security.view_contingencyplan", raise_exception=True)
def plan_list(request):
    filterset = PlanFilter(request.GET, queryset=_plans(request))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.title,
                local(p.event_start),
                local(p.event_end),
                p.booking.title if p.booking else "",
                p.booking.room.name if p.booking else "",
                local(p.coordination_meeting_at) if p.coordination_meeting_at else "",
                p.responsible.display_name,
                p.get_status_display(),
                p.measures,
            ]
            for p in filterset.qs
        ]
        record_export(request, "security.ContingencyPlan", rows=len(rows))
        return xlsx_response(build_workbook(_("安保预案"), PLAN_COLUMNS, rows), _("安保预案"))
    return _list(
        request,
        template="security/plans/list.html",
        filterset=filterset,
        table_class=PlanTable,
        active=PLANS,
    )


def _plan(request, pk):
    return get_object_or_404(_plans(request), pk=pk)


@login_required
@permission_required(services.ADD_PLAN, raise_exception=True)
def plan_create(request):
    center_id = request.user.center_id
    form = PlanForm(
        request.POST or None, center_id=center_id, initial={"responsible": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.contingency_plan_create(
                actor=request.user, center=center_id, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增安保预案“%(t)s”。") % {"t": plan.title})
            return redirect("security:plan_detail", pk=plan.pk)
    return _form_page(request, "security/plans/form.html", {"active_menu": PLANS}, form)


@login_required
@permission_required("security.view_contingencyplan", raise_exception=True)
def plan_detail(request, pk):
    return render(
        request,
        "security/plans/detail.html",
        {"plan": _plan(request, pk), "active_menu": PLANS},
    )


@login_required
@permission_required(services.CHANGE_PLAN, raise_exception=True)
def plan_edit(request, pk):
    plan = _plan(request, pk)
    form = PlanForm(request.POST or None, center_id=plan.center_id, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.contingency_plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("security:plan_detail", pk=plan.pk)
    return _form_page(
        request, "security/plans/form.html", {"plan": plan, "active_menu": PLANS}, form
    )


# ------------------------------------------------------------------ trainings and drills

DRILLS = "security_drills"
DRILL_COLUMNS = [
    Column("held_on", _("日期"), width=12),
    Column("kind", _("类型"), width=14),
    Column("title", _("主题"), width=28),
    Column("place", _("地点"), width=18),
    Column("organizer", _("组织/授课"), width=14),
    Column("people", _("名册内人员"), width=10),
    Column("other", _("其他人员"), width=10),
    Column("total", _("参加总人数"), width=10),
    Column("names", _("参加人员名单"), width=60),
    Column("summary", _("情况小结"), width=40),
]


def _drills(request):
    return drills_for(request.user).annotate(
        people_count=Count("participants", distinct=True),
        total_count=Count("participants", distinct=True) + F("other_participants"),
    )


@login_required
@permission_required("security.view_drill", raise_exception=True)
def drill_list(request):
    filterset = DrillFilter(request.GET, queryset=_drills(request))
    if request.GET.get("export") == "xlsx":
        people = Prefetch("participants", queryset=Person.objects.order_by("name", "id"))
        rows = [
            [
                d.held_on,
                d.get_kind_display(),
                d.title,
                d.place,
                d.organizer,
                d.people_count,
                d.other_participants,
                d.total_count,
                "、".join(p.name for p in d.participants.all()),
                d.summary,
            ]
            for d in filterset.qs.prefetch_related(people)
        ]
        record_export(request, "security.Drill", rows=len(rows))
        return xlsx_response(build_workbook(_("培训演练"), DRILL_COLUMNS, rows), _("培训演练"))
    return _list(
        request,
        template="security/drills/list.html",
        filterset=filterset,
        table_class=DrillTable,
        active=DRILLS,
    )


def _drill(request, pk):
    return get_object_or_404(drills_for(request.user), pk=pk)


def _drill_form(request, form, drill=None):
    return _form_page(
        request,
        "security/drills/form.html",
        {"drill": drill, "agencies": form.agencies, "active_menu": DRILLS},
        form,
    )


@login_required
@permission_required(services.ADD_DRILL, raise_exception=True)
def drill_create(request):
    center_id = request.user.center_id
    form = DrillForm(
        request.POST or None, center_id=center_id, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.drill_create(
                actor=request.user, center=center_id, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记“%(t)s”。") % {"t": drill.title})
            return redirect("security:drill_detail", pk=drill.pk)
    return _drill_form(request, form)


@login_required
@permission_required("security.view_drill", raise_exception=True)
def drill_detail(request, pk):
    drill = _drill(request, pk)
    people = drill.participants.select_related("agency").order_by("agency__path", "name", "id")
    groups = {}
    for person in people:
        groups.setdefault(person.agency, []).append(person)
    return render(
        request,
        "security/drills/detail.html",
        {
            "drill": drill,
            "groups": list(groups.items()),
            "people_count": sum(len(v) for v in groups.values()),
            "active_menu": DRILLS,
        },
    )


@login_required
@permission_required(services.CHANGE_DRILL, raise_exception=True)
def drill_edit(request, pk):
    drill = _drill(request, pk)
    form = DrillForm(request.POST or None, center_id=drill.center_id, drill=drill)
    if request.method == "POST" and form.is_valid():
        try:
            services.drill_update(actor=request.user, drill=drill, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("security:drill_detail", pk=drill.pk)
    return _drill_form(request, form, drill)


urlpatterns = [
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/new/", incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/close/", incident_close, name="incident_close"),
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("drills/", drill_list, name="drill_list"),
    path("drills/new/", drill_create, name="drill_create"),
    path("drills/<int:pk>/", drill_detail, name="drill_detail"),
    path("drills/<int:pk>/edit/", drill_edit, name="drill_edit"),
]
