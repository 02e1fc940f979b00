"""外包考核 pages: scoring sheets with their items, the evaluations list (filters, average per
vendor, xlsx), recording an evaluation (items scored by hand, duty items computed from the
duty engine) and an evaluation's page."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.evaluations import EvaluationFilter
from ..forms.evaluations import EvaluationForm, ItemForm, SheetForm
from ..models import Vendor
from ..selectors import evaluations_for, items_for, sheets_for, vendors_for
from ..services.evaluations import (
    duty_rate,
    duty_score,
    evaluation_record,
    item_add,
    item_delete,
    last_finished_period,
    sheet_save,
    sheet_used,
)
from ..tables.evaluations import EvaluationTable, SheetTable

PAGE_SIZE = 50
MENU = "vendors_evaluations"


# ------------------------------------------------------------------------------ sheets
@login_required
@permission_required("vendors.view_evaluationsheet", raise_exception=True)
def sheet_list(request):
    sheets = sheets_for(request.user).annotate(
        item_count=Count("items"), total_points=Sum("items__points")
    )
    table = SheetTable(sheets)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "vendors/sheets/list.html", {"table": table, "active_menu": MENU})


def _sheet_form_page(request, context, form):
    return render(
        request,
        "vendors/sheets/form.html",
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("vendors.add_evaluationsheet", raise_exception=True)
def sheet_create(request):
    form = SheetForm.for_sheet(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = sheet_save(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新增考核表“%(n)s”，请添加考核项目。") % {"n": sheet.name}
            )
            return redirect("vendors:sheet_detail", pk=sheet.pk)
    return _sheet_form_page(request, {}, form)


@login_required
@permission_required("vendors.change_evaluationsheet", raise_exception=True)
def sheet_edit(request, pk):
    sheet = get_object_or_404(sheets_for(request.user), pk=pk)
    form = SheetForm.for_sheet(sheet, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet_save(actor=request.user, center=sheet.center_id, sheet=sheet, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("vendors:sheet_detail", pk=sheet.pk)
    return _sheet_form_page(request, {"sheet": sheet}, form)


def _sheet_detail(request, sheet, *, item_form=None, status=200):
    items = list(sheet.items.all())
    used = sheet_used(sheet)
    can_edit = request.user.has_perm("vendors.add_evaluationitem") and not used
    return render(
        request,
        "vendors/sheets/detail.html",
        {
            "sheet": sheet,
            "items": items,
            "total_points": sum((i.points for i in items), Decimal(0)),
            "used": used,
            "kind_label": Vendor.Kind(sheet.vendor_kind).label if sheet.vendor_kind else "",
            "item_form": (item_form or ItemForm()) if can_edit else None,
            "can_delete": can_edit and request.user.has_perm("vendors.delete_evaluationitem"),
            "active_menu": MENU,
        },
        status=status,
    )


@login_required
@permission_required("vendors.view_evaluationsheet", raise_exception=True)
def sheet_detail(request, pk):
    return _sheet_detail(request, get_object_or_404(sheets_for(request.user), pk=pk))


@login_required
@permission_required("vendors.add_evaluationitem", raise_exception=True)
@require_POST
def item_create(request, pk):
    sheet = get_object_or_404(sheets_for(request.user), pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = item_add(actor=request.user, sheet=sheet, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加考核项目“%(t)s”。") % {"t": item.text})
            return redirect("vendors:sheet_detail", pk=sheet.pk)
    return _sheet_detail(request, sheet, item_form=form, status=422)


@login_required
@permission_required("vendors.delete_evaluationitem", raise_exception=True)
@require_POST
def item_delete_view(request, pk):
    item = get_object_or_404(items_for(request.user), pk=pk)
    try:
        item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除考核项目。"))
    return redirect("vendors:sheet_detail", pk=item.sheet_id)


# ------------------------------------------------------------------------- evaluations
EVALUATION_COLUMNS = [
    Column("vendor", _("外包单位"), width=28),
    Column("kind", _("服务类别"), width=12),
    Column("sheet", _("考核表"), width=24),
    Column("period_start", _("考核期间起"), width=12),
    Column("period_end", _("考核期间止"), width=12),
    Column("total", _("总分"), width=8),
    Column("threshold", _("合格分数"), width=8),
    Column("duty_rate", _("责任事项按时完成率（%）"), width=14),
    Column("flagged", _("付款预警"), width=10),
    Column("evaluated_by", _("考核人"), width=12),
    Column("comment", _("考核意见"), width=40),
]


def _person(user):
    return user.display_name


@login_required
@permission_required("vendors.view_vendorevaluation", raise_exception=True)
def evaluation_list(request):
    filterset = EvaluationFilter(
        request.GET, queryset=evaluations_for(request.user), center_id=request.user.center_id
    )
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                e.vendor.name,
                e.vendor.get_kind_display(),
                e.sheet.name,
                e.period_start,
                e.period_end,
                e.total,
                e.sheet.threshold,
                e.duty_rate,
                _("是") if e.payment_flagged else "",
                _person(e.evaluated_by),
                e.comment,
            ]
            for e in qs
        ]
        record_export(request, "vendors.VendorEvaluation", rows=len(rows))
        return xlsx_response(build_workbook(_("外包考核"), EVALUATION_COLUMNS, rows), _("外包考核"))
    averages = list(
        qs.order_by()
        .values("vendor_id", "vendor__name")
        .annotate(
            average=Avg("total"),
            count=Count("pk"),
            flagged=Count("pk", filter=Q(payment_flagged=True)),
        )
        .order_by("vendor__name")
    )
    for row in averages:
        row["average"] = Decimal(row["average"]).quantize(Decimal("0.1"))
    table = EvaluationTable(qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "vendors/evaluations/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "averages": averages, "active_menu": MENU},
    )


def _pick(qs, value):
    return qs.filter(pk=value).first() if str(value or "").isdigit() else None


@login_required
@permission_required("vendors.add_vendorevaluation", raise_exception=True)
def evaluation_create(request):
    """GET ?vendor=&sheet=&period_start=&period_end= shows the sheet's items (duty items with
    their computed score); POST records the evaluation."""
    source = request.POST if request.method == "POST" else request.GET
    vendor = _pick(vendors_for(request.user), source.get("vendor"))
    sheet = _pick(sheets_for(request.user).filter(is_active=True), source.get("sheet"))
    items = list(sheet.items.all()) if sheet else []
    initial = {}
    if sheet is not None and not source.get("period_start"):
        start, end = last_finished_period(sheet.period, timezone.localdate())
        initial = {"period_start": start, "period_end": end}
    if request.method == "POST":
        form = EvaluationForm(
            request.POST, center_id=request.user.center_id, items=items, vendor=vendor
        )
    else:
        form = EvaluationForm(
            initial={**initial, **{k: v for k, v in request.GET.items() if v}},
            center_id=request.user.center_id,
            items=items,
            vendor=vendor,
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = evaluation_record(
                actor=request.user,
                vendor=data["vendor"],
                sheet=data["sheet"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                points=form.points(),
                notes=form.notes(),
                comment=data["comment"],
                contract=data["contract"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if evaluation.payment_flagged:
                messages.warning(
                    request,
                    _("已保存考核：%(t)s 分，低于合格分数 %(h)s 分，已向财务人员发出付款预警。")
                    % {"t": evaluation.total, "h": sheet.threshold},
                )
            else:
                messages.success(request, _("已保存考核：%(t)s 分。") % {"t": evaluation.total})
            return redirect("vendors:evaluation_detail", pk=evaluation.pk)
    duty = None
    period = _period(form)
    if vendor is not None and sheet is not None and period and any(i.from_duties for i in items):
        rate = duty_rate(vendor, *period)
        duty = {
            "rate": rate,
            "scores": {i.pk: duty_score(i, rate) for i in items if i.from_duties},
        }
    return render(
        request,
        "vendors/evaluations/form.html",
        {
            "form": form,
            "vendor": vendor,
            "sheet": sheet,
            "rows": form.scored_rows(),
            "duty": duty,
            "period": period,
            "active_menu": MENU,
        },
        status=422 if form.errors else 200,
    )


def _period(form):
    """The period the form is about (bound data or initial), when both dates parse."""
    values = []
    for name in ("period_start", "period_end"):
        field = form.fields[name]
        raw = form[name].value()
        try:
            values.append(field.clean(raw) if isinstance(raw, str) else raw)
        except ValidationError:
            return None
    if not all(values) or values[1] < values[0]:
        return None
    return tuple(values)


@login_required
@permission_required("vendors.view_vendorevaluation", raise_exception=True)
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(evaluations_for(request.user), pk=pk)
    scores = list(evaluation.scores.select_related("item").order_by("item__order", "item_id"))
    return render(
        request,
        "vendors/evaluations/detail.html",
        {"evaluation": evaluation, "scores": scores, "active_menu": MENU},
    )


urlpatterns = [
    path("sheets/", sheet_list, name="sheet_list"),
    path("sheets/new/", sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/items/new/", item_create, name="item_create"),
    path("sheets/items/<int:pk>/delete/", item_delete_view, name="item_delete"),
    path("evaluations/", evaluation_list, name="evaluation_list"),
    path("evaluations/new/", evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation_detail"),
]
