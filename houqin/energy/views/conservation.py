"""节约型机关 pages for the energy manager: campaigns with their batches, enrolment of units,
and the campaign's meetings and trainings (the scoring sheets are in sheets.py).

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.conservation import CampaignFilter, UnitFilter
from ..forms.conservation import (
    BatchForm,
    CampaignForm,
    EnrollForm,
    MeetingForm,
)
from ..models import CampaignMeeting
from ..selectors import (
    batches_for,
    campaign_overview_for,
    campaigns_for,
    meetings_for,
    units_for,
)
from ..services import conservation as services
from ..tables.conservation import CampaignTable, UnitTable

ACTIVE = "energy_campaigns"
PAGE_SIZE = 50


def _data(request):
    """The submitted data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _form_page(request, template, context, form):
    return render(
        request,
        template,
        {"active_menu": ACTIVE, **context, "form": form},
        status=422 if form.errors else 200,
    )


def _table(request, table):
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return table


# ------------------------------------------------------------------ campaigns


def _campaign_columns():
    return [
        Column("name", _("创建活动"), width=28),
        Column("years", _("起止年度"), width=12),
        Column("sheet", _("评分表"), width=24),
        Column("batches", _("批次"), width=8),
        Column("target", _("目标单位数"), width=10),
        Column("enrolled", _("已报名"), width=10),
        Column("passed", _("已达标"), width=10),
        Column("rate", _("完成率（%）"), width=10),
    ]


@login_required
@permission_required("energy.view_conservationcampaign", raise_exception=True)
def campaign_list(request):
    filterset = CampaignFilter(request.GET, queryset=campaign_overview_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                c.name,
                f"{c.start_year}—{c.end_year}",
                c.sheet.name,
                len(c.batches.all()),
                c.target_total,
                c.enrolled_total,
                c.passed_total,
                round(c.passed_total * 100 / c.target_total, 1) if c.target_total else "",
            ]
            for c in filterset.qs
        ]
        record_export(request, "energy.ConservationCampaign", rows=len(rows))
        title = _("节约型机关创建")
        return xlsx_response(build_workbook(title, _campaign_columns(), rows), title)
    template = "energy/conservation/campaign_list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": _table(request, CampaignTable(filterset.qs)),
            "filter": filterset,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("energy.add_conservationcampaign", raise_exception=True)
def campaign_create(request):
    year = timezone.localdate().year
    form = CampaignForm(
        _data(request),
        center_id=request.user.center_id,
        initial={"start_year": year, "end_year": year + 2},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新建创建活动“%(n)s”，请添加批次。") % {"n": campaign.name}
            )
            return redirect("energy:campaign_detail", pk=campaign.pk)
    return _form_page(request, "energy/conservation/campaign_form.html", {}, form)


def _campaign(request, pk):
    return get_object_or_404(campaigns_for(request.user), pk=pk)


@login_required
@permission_required("energy.change_conservationcampaign", raise_exception=True)
def campaign_edit(request, pk):
    campaign = _campaign(request, pk)
    form = CampaignForm(_data(request), center_id=campaign.center_id, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:campaign_detail", pk=campaign.pk)
    return _form_page(
        request, "energy/conservation/campaign_form.html", {"campaign": campaign}, form
    )


def _unit_columns():
    return [
        Column("agency", _("单位"), width=28),
        Column("batch", _("批次"), width=8),
        Column("year", _("年度"), width=8),
        Column("status", _("状态"), width=10),
        Column("self_score", _("自评得分"), width=10),
        Column("review_score", _("评审得分"), width=10),
        Column("decided_on", _("认定日期"), width=12),
        Column("comment", _("评审意见"), width=40),
    ]


@login_required
@permission_required("energy.view_conservationcampaign", raise_exception=True)
def campaign_detail(request, pk):
    """Batches with their progress, the enrolled units (filterable by status and batch,
    exportable) and the meetings and trainings of the campaign."""
    campaign = _campaign(request, pk)
    units = units_for(request.user).filter(campaign=campaign)
    filterset = UnitFilter(request.GET, queryset=units, campaign=campaign)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                u.agency.name,
                u.batch.number,
                u.batch.year,
                u.get_status_display(),
                u.self_score,
                u.review_score,
                u.decided_on,
                u.review_comment,
            ]
            for u in filterset.qs
        ]
        record_export(request, "energy.ConservationUnit", rows=len(rows), campaign=campaign.pk)
        title = _("创建单位")
        return xlsx_response(
            build_workbook(title, _unit_columns(), rows), f"{campaign.name}-{title}"
        )
    table = _table(request, UnitTable(filterset.qs))
    template = "energy/conservation/campaign_detail.html"
    if request.htmx:
        return render(request, f"{template}#units", {"campaign": campaign, "table": table})
    progress = services.campaign_progress(campaign)
    meetings = list(meetings_for(request.user).filter(campaign=campaign))
    kinds = Counter(m.kind for m in meetings)
    return render(
        request,
        template,
        {
            "campaign": campaign,
            "progress": progress,
            "totals": {
                "target": sum(p.target for p in progress),
                "enrolled": sum(p.enrolled for p in progress),
                "self_assessed": sum(p.self_assessed for p in progress),
                "passed": sum(p.passed for p in progress),
                "failed": sum(p.failed for p in progress),
            },
            "filter": filterset,
            "table": table,
            "meetings": meetings,
            "meeting_counts": [
                (label, kinds.get(value, 0)) for value, label in CampaignMeeting.Kind.choices
            ],
            "participants": sum(m.participants for m in meetings),
            "active_menu": ACTIVE,
        },
    )


# ------------------------------------------------------------------ batches and enrolment


@login_required
@permission_required("energy.add_campaignbatch", raise_exception=True)
def batch_create(request, pk):
    campaign = _campaign(request, pk)
    last = campaign.batches.order_by("-number").first()
    form = BatchForm(
        _data(request),
        initial={
            "number": (last.number + 1) if last else 1,
            "year": min(max(timezone.localdate().year, campaign.start_year), campaign.end_year),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_save(
                actor=request.user, campaign=campaign, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加第%(n)s批。") % {"n": batch.number})
            return redirect("energy:campaign_detail", pk=campaign.pk)
    return _form_page(request, "energy/conservation/batch_form.html", {"campaign": campaign}, form)


@login_required
@permission_required("energy.change_campaignbatch", raise_exception=True)
def batch_edit(request, pk):
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    form = BatchForm.for_batch(batch, _data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_save(
                actor=request.user, campaign=batch.campaign, batch=batch, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:campaign_detail", pk=batch.campaign_id)
    return _form_page(
        request,
        "energy/conservation/batch_form.html",
        {"campaign": batch.campaign, "batch": batch},
        form,
    )


@login_required
@permission_required("energy.add_conservationunit", raise_exception=True)
def unit_enroll(request, pk):
    """Enrol one or several agencies of the center in a batch (all or none)."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    form = EnrollForm(_data(request), campaign=batch.campaign)
    if request.method == "POST" and form.is_valid():
        try:
            units = services.units_enroll(
                actor=request.user, batch=batch, agencies=list(form.cleaned_data["agencies"])
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已为第%(b)s批报名 %(n)s 个单位。") % {"b": batch.number, "n": len(units)},
            )
            return redirect("energy:campaign_detail", pk=batch.campaign_id)
    return _form_page(
        request,
        "energy/conservation/enroll_form.html",
        {"campaign": batch.campaign, "batch": batch},
        form,
    )


# ------------------------------------------------------------------ meetings and trainings


@login_required
@permission_required("energy.add_campaignmeeting", raise_exception=True)
def meeting_create(request, pk):
    campaign = _campaign(request, pk)
    form = MeetingForm(_data(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记%(k)s“%(t)s”。") % {"k": meeting.get_kind_display(), "t": meeting.title},
            )
            return redirect("energy:campaign_detail", pk=campaign.pk)
    return _form_page(
        request, "energy/conservation/meeting_form.html", {"campaign": campaign}, form
    )


@login_required
@permission_required("energy.change_campaignmeeting", raise_exception=True)
def meeting_edit(request, pk):
    meeting = get_object_or_404(meetings_for(request.user), pk=pk)
    form = MeetingForm.for_meeting(meeting, _data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                actor=request.user,
                campaign=meeting.campaign,
                meeting=meeting,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:campaign_detail", pk=meeting.campaign_id)
    return _form_page(
        request,
        "energy/conservation/meeting_form.html",
        {"campaign": meeting.campaign, "meeting": meeting},
        form,
    )


urlpatterns = [
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/batches/new/", batch_create, name="batch_create"),
    path("campaigns/batches/<int:pk>/edit/", batch_edit, name="batch_edit"),
    path("campaigns/batches/<int:pk>/enroll/", unit_enroll, name="unit_enroll"),
    path("campaigns/<int:pk>/meetings/new/", meeting_create, name="meeting_create"),
    path("campaigns/meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
]
