"""固定资产 pages: the asset register (cards, transfers, disposal requests through approval)
and the annual count (盘点) with its differences.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.assets import AssetFilter
from ..forms.assets import (
    AssetForm,
    CountCloseForm,
    CountLineForm,
    CountStartForm,
    DisposalForm,
    SurplusForm,
    TransferForm,
)
from ..models import AssetCountLine, AssetDisposal, FixedAsset
from ..selectors import assets_for, counts_for, disposals_for, transfers_for
from ..services.assets import (
    asset_save,
    asset_transfer,
    count_add_surplus,
    count_close,
    count_differences,
    count_line_record,
    count_start,
    disposal_request,
)
from ..tables.assets import AssetTable, CountTable

PAGE_SIZE = 50
MENU = "finance_assets"


def _form_page(request, template, context, form):
    return render(
        request,
        template,
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


def _asset(request, pk):
    return get_object_or_404(assets_for(request.user), pk=pk)


# ------------------------------------------------------------------ register

ASSET_COLUMNS = [
    Column("code", _("资产编号"), width=14),
    Column("name", _("资产名称"), width=24),
    Column("asset_class", _("资产分类"), width=14),
    Column("model", _("规格型号"), width=18),
    Column("value", _("原值（元）"), width=14),
    Column("purchase_date", _("取得日期"), width=12),
    Column("agency", _("使用单位"), width=20),
    Column("custodian", _("保管人"), width=10),
    Column("location", _("存放地点"), width=18),
    Column("status", _("状态"), width=10),
    Column("disposed_on", _("处置日期"), width=12),
]


@login_required
@permission_required("finance.view_fixedasset", raise_exception=True)
def asset_list(request):
    filterset = AssetFilter(
        request.GET, queryset=assets_for(request.user), center_id=request.user.center_id
    )
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                a.code,
                a.name,
                a.get_asset_class_display(),
                a.model,
                a.value,
                a.purchase_date,
                a.custodian_agency.name,
                a.custodian.name if a.custodian else "",
                a.location,
                a.get_status_display(),
                a.disposed_on,
            ]
            for a in qs
        ]
        record_export(request, "finance.FixedAsset", rows=len(rows))
        return xlsx_response(build_workbook(_("固定资产"), ASSET_COLUMNS, rows), _("固定资产"))
    totals = qs.aggregate(
        count=Count("id"),
        value_sum=Sum("value"),
        in_use=Count("id", filter=~Q(status=FixedAsset.Status.DISPOSED)),
        in_use_sum=Sum("value", filter=~Q(status=FixedAsset.Status.DISPOSED)),
    )
    table = AssetTable(qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "finance/assets/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "totals": totals, "active_menu": MENU},
    )


@login_required
@permission_required("finance.add_fixedasset", raise_exception=True)
def asset_create(request):
    form = AssetForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            asset = asset_save(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增资产“%(n)s”。") % {"n": asset})
            return redirect("finance:asset_detail", pk=asset.pk)
    return _form_page(request, "finance/assets/form.html", {}, form)


@login_required
@permission_required("finance.change_fixedasset", raise_exception=True)
def asset_edit(request, pk):
    asset = _asset(request, pk)
    form = AssetForm(request.POST or None, center_id=asset.center_id, asset=asset)
    if request.method == "POST" and form.is_valid():
        try:
            asset_save(actor=request.user, center=asset.center, asset=asset, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存资产卡片。"))
            return redirect("finance:asset_detail", pk=asset.pk)
    return _form_page(request, "finance/assets/form.html", {"asset": asset}, form)


@login_required
@permission_required("finance.view_fixedasset", raise_exception=True)
def asset_detail(request, pk):
    asset = get_object_or_404(assets_for(request.user).select_related("equipment"), pk=pk)
    transfers = list(
        transfers_for(request.user)
        .filter(asset=asset)
        .select_related("recorded_by__person")
        .order_by("-date", "-id")
    )
    disposals = list(
        disposals_for(request.user)
        .filter(asset=asset)
        .select_related("requested_by__person")
        .order_by("-id")
    )
    pending = next((d for d in disposals if d.status == AssetDisposal.Status.PENDING), None)
    active = asset.status in (FixedAsset.Status.IN_USE, FixedAsset.Status.IDLE)
    return render(
        request,
        "finance/assets/detail.html",
        {
            "asset": asset,
            "transfers": transfers,
            "disposals": disposals,
            "pending_disposal": pending,
            "active": active,
            "active_menu": MENU,
        },
    )


@login_required
@permission_required("finance.change_fixedasset", raise_exception=True)
def asset_transfer_view(request, pk):
    asset = _asset(request, pk)
    form = TransferForm(request.POST or None, center_id=asset.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            asset_transfer(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记调拨。"))
            return redirect("finance:asset_detail", pk=asset.pk)
    return _form_page(request, "finance/assets/transfer_form.html", {"asset": asset}, form)


@login_required
@permission_required("finance.add_assetdisposal", raise_exception=True)
def disposal_create(request, pk):
    asset = _asset(request, pk)
    form = DisposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disposal_request(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已提交处置申请，等待审批。"))
            return redirect("finance:asset_detail", pk=asset.pk)
    return _form_page(request, "finance/assets/disposal_form.html", {"asset": asset}, form)


# ------------------------------------------------------------------ annual count


def _count_figures(qs):
    R = AssetCountLine.Result
    return qs.annotate(
        lines_total=Count("lines", filter=~Q(lines__result=R.SURPLUS)),
        lines_pending=Count("lines", filter=Q(lines__result=R.PENDING)),
        lines_missing=Count("lines", filter=Q(lines__result=R.MISSING)),
        lines_surplus=Count("lines", filter=Q(lines__result=R.SURPLUS)),
    )


@login_required
@permission_required("finance.view_assetcount", raise_exception=True)
def count_list(request):
    table = CountTable(_count_figures(counts_for(request.user)))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "finance/assets/count_list.html", {"table": table, "active_menu": MENU})


@login_required
@permission_required("finance.add_assetcount", raise_exception=True)
def count_start_view(request):
    form = CountStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = count_start(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已开始%(c)s。") % {"c": count})
            return redirect("finance:count_detail", pk=count.pk)
    return _form_page(request, "finance/assets/count_start.html", {}, form)


LINE_FILTERS = {
    "pending": Q(result=AssetCountLine.Result.PENDING),
    "differences": Q(
        result__in=[
            AssetCountLine.Result.MOVED,
            AssetCountLine.Result.MISSING,
            AssetCountLine.Result.SURPLUS,
        ]
    ),
}


def _count_context(request, count, *, surplus_form=None, close_form=None):
    lines = (
        AssetCountLine.objects.filter(count=count)
        .select_related("asset__custodian_agency", "checked_by__person")
        .order_by(F("asset__code").asc(nulls_last=True), "id")
    )
    show = request.GET.get("show", "")
    if show in LINE_FILTERS:
        lines = lines.filter(LINE_FILTERS[show])
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    is_open = count.status == count.Status.OPEN
    can_change = is_open and request.user.has_perm("finance.change_assetcount")
    return {
        "count": count,
        "page": page,
        "rows": [
            (line, CountLineForm(prefix=f"l{line.pk}", initial=_line_initial(line)))
            for line in page
        ]
        if can_change
        else [(line, None) for line in page],
        "show": show,
        "diff": count_differences(count),
        "can_change": can_change,
        "surplus_form": surplus_form or SurplusForm(prefix="s"),
        "close_form": close_form or CountCloseForm(prefix="c"),
        "active_menu": MENU,
    }


def _line_initial(line):
    if line.result == AssetCountLine.Result.PENDING:
        return {}
    return {"result": line.result, "found_location": line.found_location, "note": line.note}


def _count(request, pk):
    return get_object_or_404(counts_for(request.user), pk=pk)


@login_required
@permission_required("finance.view_assetcount", raise_exception=True)
def count_detail(request, pk):
    count = _count(request, pk)
    return render(request, "finance/assets/count_detail.html", _count_context(request, count))


@login_required
@permission_required("finance.change_assetcount", raise_exception=True)
@require_POST
def count_line(request, pk):
    """Record one line's result; htmx swaps the row (422 with the errors in the row)."""
    line = get_object_or_404(
        AssetCountLine.objects.filter(count__in=counts_for(request.user)).select_related(
            "count", "asset__custodian_agency", "checked_by__person"
        ),
        pk=pk,
    )
    form = CountLineForm(request.POST, prefix=f"l{line.pk}")
    status = 200
    if form.is_valid():
        try:
            line = count_line_record(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            messages.success(request, _("已登记盘点结果：%(a)s。") % {"a": line.asset})
        else:
            errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, errors)
        return redirect("finance:count_detail", pk=line.count_id)
    if status == 200:
        line = AssetCountLine.objects.select_related(
            "asset__custodian_agency", "checked_by__person"
        ).get(pk=line.pk)
        form = CountLineForm(prefix=f"l{line.pk}", initial=_line_initial(line))
    response = render(
        request,
        "finance/assets/count_detail.html#line",
        {"line": line, "form": form, "can_change": True, "saved": status == 200},
        status=status,
    )
    response["HX-Trigger"] = "count-changed"
    return response


@login_required
@permission_required("finance.change_assetcount", raise_exception=True)
@require_POST
def count_surplus(request, pk):
    count = _count(request, pk)
    form = SurplusForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            count_add_surplus(actor=request.user, count=count, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记盘盈资产。"))
            return redirect("finance:count_detail", pk=count.pk)
    return render(
        request,
        "finance/assets/count_detail.html",
        _count_context(request, count, surplus_form=form),
        status=422,
    )


@login_required
@permission_required("finance.change_assetcount", raise_exception=True)
@require_POST
def count_close_view(request, pk):
    count = _count(request, pk)
    form = CountCloseForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            count_close(actor=request.user, count=count, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("盘点已完成。"))
            return redirect("finance:count_detail", pk=count.pk)
    return render(
        request,
        "finance/assets/count_detail.html",
        _count_context(request, count, close_form=form),
        status=422,
    )


@login_required
@permission_required("finance.view_assetcount", raise_exception=True)
def count_summary(request, pk):
    """The differences card alone (htmx refresh after a line is recorded)."""
    count = _count(request, pk)
    return render(
        request,
        "finance/assets/count_detail.html#summary",
        {"count": count, "diff": count_differences(count)},
    )


urlpatterns = [
    path("assets/", asset_list, name="asset_list"),
    path("assets/new/", asset_create, name="asset_create"),
    path("assets/<int:pk>/", asset_detail, name="asset_detail"),
    path("assets/<int:pk>/edit/", asset_edit, name="asset_edit"),
    path("assets/<int:pk>/transfer/", asset_transfer_view, name="asset_transfer"),
    path("assets/<int:pk>/dispose/", disposal_create, name="disposal_create"),
    path("assets/counts/", count_list, name="count_list"),
    path("assets/counts/new/", count_start_view, name="count_start"),
    path("assets/counts/<int:pk>/", count_detail, name="count_detail"),
    path("assets/counts/<int:pk>/summary/", count_summary, name="count_summary"),
    path("assets/counts/<int:pk>/surplus/", count_surplus, name="count_surplus"),
    path("assets/counts/<int:pk>/close/", count_close_view, name="count_close"),
    path("assets/counts/lines/<int:pk>/", count_line, name="count_line"),
]
