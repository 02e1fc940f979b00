"""节约型机关 pages for the energy manager: scoring sheets (areas, items, points), campaigns
with their batches, enrolment of units, and the campaign's meetings and trainings.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.conservation import CampaignFilter, SheetFilter, UnitFilter
from ..forms.conservation import (
    AreaForm,
    BatchForm,
    CampaignForm,
    EnrollForm,
    ItemForm,
    MeetingForm,
    SheetForm,
)
from ..models import CampaignMeeting, ConservationUnit
from ..selectors import (
    batches_for,
    campaign_overview_for,
    campaigns_for,
    meetings_for,
    scoring_areas_for,
    scoring_items_for,
    sheets_for,
    units_for,
)
from ..services import conservation as services
from ..tables.conservation import CampaignTable, SheetTable, UnitTable

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
    path("sheets/", sheet_list, name="sheet_list"),
    path("sheets/new/", sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/areas/add/", sheet_area_add, name="sheet_area_add"),
    path("sheets/areas/<int:pk>/items/add/", sheet_item_add, name="sheet_item_add"),
    path("sheets/areas/<int:pk>/delete/", sheet_area_delete, name="sheet_area_delete"),
    path("sheets/items/<int:pk>/delete/", sheet_item_delete, name="sheet_item_delete"),
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
