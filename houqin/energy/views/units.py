"""节约型机关 unit pages: one enrolled unit with its scoring sheet, self-assessment (the
agency's liaison or leader, or the energy manager), review and decision (the energy manager),
evidence files; withdrawal; and a liaison's list of their agency's enrolments.

Units are read through selectors.units_for: center roles see the whole center's, a liaison or
agency leader only their own agency's (404 for the others)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.org.scoping import user_agency

from ..forms.conservation import EvidenceForm, ScoreForm
from ..models import ConservationUnit, ScoringArea, ScoringItem, UnitScore
from ..selectors import evidence_for, units_for
from ..services import conservation as services

ACTIVE = "energy_campaigns"
MY_UNITS = "energy_my_units"
SELF_FORM = "self-form"
REVIEW_FORM = "review-form"
S = ConservationUnit.Status


def _unit(request, pk):
    return get_object_or_404(units_for(request.user), pk=pk)


def _items(unit):
    return ScoringItem.objects.filter(area__sheet_id=unit.campaign.sheet_id).order_by(
        "area__order", "area_id", "order", "id"
    )


def _may_review(user, unit):
    return user.has_perm("energy.change_conservationunit") and unit.status in (
        S.SELF_ASSESSED,
        S.REVIEWED,
    )


def _may_self_assess(user, unit):
    return unit.status in (S.ENROLLED, S.SELF_ASSESSED) and services.may_self_assess(user, unit)


def _may_add_evidence(user, unit):
    return (
        user.has_perm("energy.add_unitevidence")
        and unit.status not in (S.PASSED, S.FAILED)
        and services.may_self_assess(user, unit)
    )


def _unit_page(
    request, unit, *, self_form=None, review_form=None, evidence_form=None, errors=(), status=200
):
    user = request.user
    areas = list(
        ScoringArea.objects.filter(sheet_id=unit.campaign.sheet_id).prefetch_related("items")
    )
    items = [item for area in areas for item in area.items.all()]
    scores = {s.item_id: s for s in UnitScore.objects.filter(unit=unit)}

    if _may_self_assess(user, unit) and items:
        self_form = self_form or ScoreForm(
            items=items,
            form_id=SELF_FORM,
            initial={
                f"item_{pk}": s.self_points for pk, s in scores.items() if s.self_points is not None
            },
        )
    else:
        self_form = None
    if _may_review(user, unit) and items:
        initial = {"comment": unit.review_comment}
        for pk, s in scores.items():
            points = s.review_points if s.review_points is not None else s.self_points
            if points is not None:
                initial[f"item_{pk}"] = points
            initial[f"note_{pk}"] = s.note
        review_form = review_form or ScoreForm(
            items=items, form_id=REVIEW_FORM, review=True, initial=initial
        )
    else:
        review_form = None

    groups = []
    for area in areas:
        rows = []
        for item in area.items.all():
            score = scores.get(item.pk)
            rows.append(
                {
                    "item": item,
                    "self_points": score.self_points if score else None,
                    "review_points": score.review_points if score else None,
                    "note": score.note if score else "",
                    "self_field": self_form[f"item_{item.pk}"] if self_form else None,
                    "review_field": review_form[f"item_{item.pk}"] if review_form else None,
                    "note_field": review_form[f"note_{item.pk}"] if review_form else None,
                }
            )
        groups.append(
            {
                "area": area,
                "rows": rows,
                "points": sum((i.points for i in area.items.all()), 0),
                "self": _sum(scores, area, "self_points"),
                "review": _sum(scores, area, "review_points"),
            }
        )

    may_add_evidence = _may_add_evidence(user, unit)
    if may_add_evidence:
        evidence_form = evidence_form or EvidenceForm(
            items=ScoringItem.objects.filter(area__sheet_id=unit.campaign.sheet_id)
            .select_related("area")
            .order_by("area__order", "area_id", "order", "id")
        )
    else:
        evidence_form = None
    return render(
        request,
        "energy/conservation/unit_detail.html",
        {
            "unit": unit,
            "campaign": unit.campaign,
            "sheet": unit.campaign.sheet,
            "groups": groups,
            "total_points": sum((i.points for i in items), 0),
            "self_form": self_form,
            "review_form": review_form,
            "self_form_id": SELF_FORM,
            "review_form_id": REVIEW_FORM,
            "decided": unit.status in (S.PASSED, S.FAILED),
            "evidence": list(
                evidence_for(user).filter(unit=unit).select_related("uploaded_by__person")
            ),
            "evidence_form": evidence_form,
            "may_delete_evidence": may_add_evidence,
            "may_withdraw": user.has_perm("energy.delete_conservationunit")
            and unit.status == S.ENROLLED,
            "errors": errors,
            "active_menu": ACTIVE
            if user.has_perm("energy.view_conservationcampaign")
            else MY_UNITS,
        },
        status=status,
    )


def _sum(scores, area, attribute):
    values = [getattr(scores[i.pk], attribute) for i in area.items.all() if i.pk in scores]
    values = [v for v in values if v is not None]
    return sum(values, 0) if values else None


@login_required
@permission_required("energy.view_conservationunit", raise_exception=True)
def unit_detail(request, pk):
    return _unit_page(request, _unit(request, pk))


@login_required
@permission_required("energy.view_conservationunit", raise_exception=True)
@require_POST
def unit_self_assess(request, pk):
    """自评: the agency's liaison or leader, or the energy manager (the service refuses the
    others with 403)."""
    unit = _unit(request, pk)
    form = ScoreForm(request.POST, items=_items(unit), form_id=SELF_FORM)
    if form.is_valid():
        try:
            unit = services.unit_self_assess(actor=request.user, unit=unit, points=form.points())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已提交自评，自评得分 %(s)s 分。") % {"s": f"{unit.self_score:.1f}"}
            )
            return redirect("energy:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, self_form=form, errors=form.non_field_errors(), status=422)


@login_required
@permission_required("energy.change_conservationunit", raise_exception=True)
@require_POST
def unit_review(request, pk):
    """评审: 保存评审 keeps the scores; 评审认定 (decide) also decides 达标 / 未达标."""
    unit = _unit(request, pk)
    form = ScoreForm(request.POST, items=_items(unit), form_id=REVIEW_FORM, review=True)
    decide = "decide" in request.POST
    if form.is_valid():
        try:
            unit = services.unit_review(
                actor=request.user,
                unit=unit,
                points=form.points(),
                notes=form.notes(),
                comment=form.cleaned_data["comment"],
                decide=decide,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if decide:
                text = _("评审认定：%(r)s（评审得分 %(s)s 分，达标分数 %(p)s 分）。") % {
                    "r": unit.get_status_display(),
                    "s": f"{unit.review_score:.1f}",
                    "p": unit.campaign.sheet.pass_mark,
                }
            else:
                text = _("已保存评审，评审得分 %(s)s 分。") % {"s": unit.review_score}
            messages.success(request, text)
            return redirect("energy:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, review_form=form, errors=form.non_field_errors(), status=422)


@login_required
@permission_required("energy.delete_conservationunit", raise_exception=True)
@require_POST
def unit_withdraw(request, pk):
    unit = _unit(request, pk)
    campaign_id, name = unit.campaign_id, unit.agency.name
    try:
        services.unit_withdraw(actor=request.user, unit=unit)
    except ValidationError as exc:
        return _unit_page(request, unit, errors=exc.messages, status=422)
    messages.success(request, _("%(a)s 已退出本次创建活动。") % {"a": name})
    return redirect("energy:campaign_detail", pk=campaign_id)


# ------------------------------------------------------------------ evidence


@login_required
@permission_required("energy.add_unitevidence", raise_exception=True)
@require_POST
def evidence_upload(request, pk):
    unit = _unit(request, pk)
    form = EvidenceForm(
        request.POST,
        request.FILES,
        items=ScoringItem.objects.filter(area__sheet_id=unit.campaign.sheet_id).select_related(
            "area"
        ),
    )
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                actor=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                item=form.cleaned_data["item"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传佐证材料“%(t)s”。") % {"t": evidence.title})
            return redirect("energy:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, evidence_form=form, errors=form.non_field_errors(), status=422)


def _evidence(request, pk):
    return get_object_or_404(evidence_for(request.user).select_related("unit"), pk=pk)


@login_required
@permission_required("energy.view_conservationunit", raise_exception=True)
def evidence_download(request, pk):
    """An evidence file, to those who may see the unit; always a download."""
    evidence = _evidence(request, pk)
    return serve_file(evidence.file, filename=evidence.title, attachment=True)


@login_required
@permission_required("energy.add_unitevidence", raise_exception=True)
@require_POST
def evidence_delete(request, pk):
    evidence = _evidence(request, pk)
    unit = _unit(request, evidence.unit_id)
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        return _unit_page(request, unit, errors=exc.messages, status=422)
    messages.success(request, _("已删除佐证材料“%(t)s”。") % {"t": evidence.title})
    return redirect("energy:unit_detail", pk=unit.pk)


# ------------------------------------------------------------------ my units


@login_required
@permission_required("energy.self_assess_conservationunit", raise_exception=True)
def my_units(request):
    """A liaison's or agency leader's view: their agency's enrolments."""
    agency = user_agency(request.user)
    units = (
        units_for(request.user).filter(agency=agency).order_by("-campaign__start_year", "-id")
        if agency is not None
        else ConservationUnit.objects.none()
    )
    return render(
        request,
        "energy/conservation/my_units.html",
        {"agency": agency, "units": list(units), "active_menu": MY_UNITS},
    )


urlpatterns = [
    path("units/<int:pk>/", unit_detail, name="unit_detail"),
    path("units/<int:pk>/self-assess/", unit_self_assess, name="unit_self_assess"),
    path("units/<int:pk>/review/", unit_review, name="unit_review"),
    path("units/<int:pk>/withdraw/", unit_withdraw, name="unit_withdraw"),
    path("units/<int:pk>/evidence/", evidence_upload, name="evidence_upload"),
    path("units/evidence/<int:pk>/", evidence_download, name="evidence_download"),
    path("units/evidence/<int:pk>/delete/", evidence_delete, name="evidence_delete"),
    path("my-units/", my_units, name="my_units"),
]
