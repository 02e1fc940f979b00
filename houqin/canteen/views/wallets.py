"""餐卡管理 (desktop, canteen manager; finance officers read): wallets and their statements,
top-ups, adjustments (approved by finance), the monthly meal subsidy, the center's ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.crypto import mask_phone
from houqin.core.filters import recent_by_default
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, ImportFileError, build_workbook, read_table, xlsx_response
from houqin.org.models import Person
from houqin.org.services import ImportRowsError

from ..filters.wallets import AdjustmentFilter, LedgerFilter, StatementFilter, WalletPersonFilter
from ..forms.wallets import AdjustmentForm, SubsidyImportForm, SubsidyRuleForm, TopupForm
from ..models import LedgerEntry, Wallet
from ..reconcile import reconcile_status
from ..selectors import adjustments_for, ledger_for, people_with_wallets, wallets_for
from ..services import wallets as services
from ..tables.wallets import AdjustmentTable, LedgerTable, StatementTable, WalletPersonTable

PAGE_SIZE = 50
VIEW = "canteen.view_wallet"
VIEW_LEDGER = "canteen.view_ledgerentry"
TOPUP = "canteen.topup_wallet"
ADJUST = "canteen.add_walletadjustment"
OPEN = "canteen.add_wallet"
EXPORT = "canteen.export_ledgerentry"
RECENT_ADJUSTMENTS = 20
# Without dates the center ledger shows the last month: its sums then stay cheap.
RECENT_DAYS = 31

SUBSIDY_COLUMNS = [
    Column("agency", "单位", help="选填；填写后只在该单位中查找（全称或简称）", width=20),
    Column("name", "姓名", required=True, width=10),
    Column("phone", "手机号码", help="同名时必填；填写后按 姓名+手机号码 匹配", width=14),
    Column("amount", "金额", required=True, help="本月补贴金额（元），最多两位小数", width=10),
]


# ---------------------------------------------------------------- scoped reads


def get_wallet_for_user(user, pk):
    return get_object_or_404(wallets_for(user), pk=pk)


def _statement(user, wallet=None):
    return ledger_for(user, wallet).select_related(
        "wallet__person__agency", "actor__person", "approved_by__person"
    )


# ---------------------------------------------------------------- helpers


def _page(request, table):
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return table


def _template(request, name):
    return (
        f"canteen/wallets/{name}.html#results" if request.htmx else f"canteen/wallets/{name}.html"
    )


def _audit_export(request, model, rows, **detail):
    record_export(request, model, rows=rows, **detail)


def _who(user):
    return user.display_name if user is not None else ""


LEDGER_COLUMNS = [
    Column("created_at", "时间", width=18),
    Column("kind", "类型", width=8),
    Column("method", "方式", width=10),
    Column("amount", "金额（元）", width=12),
    Column("balance_after", "结余（元）", width=12),
    Column("reason", "摘要", width=28),
    Column("actor", "经办人", width=10),
    Column("approved_by", "审批人", width=10),
]


def _ledger_row(e):
    return [
        e.created_at,
        e.get_kind_display(),
        e.get_method_display(),
        e.amount,
        e.balance_after,
        e.reason,
        _who(e.actor),
        _who(e.approved_by),
    ]


# ---------------------------------------------------------------- wallet list


def _export_balances(request, people):
    _audit_export(request, "canteen.Wallet", people.count())
    columns = [
        Column("agency", "单位", width=20),
        Column("name", "姓名", width=10),
        Column("phone", "手机号码", width=14),
        Column("status", "人员状态", width=8),
        Column("wallet_status", "餐卡状态", width=8),
        Column("balance", "余额（元）", width=12),
    ]

    def rows():
        for p in people.iterator(chunk_size=1000):
            wallet = getattr(p, "wallet", None)
            yield [
                p.agency.name,
                p.name,
                mask_phone(p.phone),
                p.get_status_display(),
                wallet.get_status_display() if wallet else _("未开通"),
                wallet.balance if wallet else 0,
            ]

    return xlsx_response(build_workbook(_("餐卡余额"), columns, rows()), _("餐卡余额"))


@login_required
@permission_required(VIEW, raise_exception=True)
def wallet_list(request):
    filterset = WalletPersonFilter(
        request.GET, queryset=people_with_wallets(request.user), request=request
    )
    if request.GET.get("export") == "xlsx":
        return _export_balances(request, filterset.qs.order_by("agency__path", "name", "pk"))
    table = _page(request, WalletPersonTable(filterset.qs, request=request))
    context = {"table": table, "filter": filterset, "active_menu": "canteen_wallets"}
    if not request.htmx:
        context["totals"] = wallets_for(request.user).aggregate(
            balance=Sum("balance"),
            open=Count("pk", filter=Q(status=Wallet.Status.OPEN)),
        )
        context["reconcile"] = reconcile_status(request.user.center_id)
    return render(request, _template(request, "wallet_list"), context)


@login_required
@permission_required(OPEN, raise_exception=True)
@require_POST
def wallet_open(request, person_pk):
    person = get_object_or_404(people_with_wallets(request.user), pk=person_pk)
    try:
        wallet = services.wallet_open(actor=request.user, person=person)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("canteen:wallet_list")
    messages.success(request, _("已为%(n)s开通餐卡。") % {"n": person.name})
    return redirect("canteen:wallet_detail", pk=wallet.pk)


# ---------------------------------------------------------------- wallet detail


def _export_statement(request, wallet, entries):
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    _audit_export(request, "canteen.LedgerEntry", entries.count(), wallet=wallet.pk)
    title = _("%(n)s餐卡流水") % {"n": wallet.person.name}
    rows = (_ledger_row(e) for e in entries.iterator(chunk_size=1000))
    return xlsx_response(build_workbook(_("餐卡流水"), LEDGER_COLUMNS, rows), title)


def _wallet_page(request, wallet, topup_form=None, adjustment_form=None, status=200):
    filterset = StatementFilter(request.GET, queryset=_statement(request.user, wallet))
    if request.GET.get("export") == "xlsx":
        return _export_statement(request, wallet, filterset.qs.order_by("created_at", "id"))
    table = _page(request, StatementTable(filterset.qs, request=request))
    context = {"table": table, "filter": filterset, "wallet": wallet}
    if request.htmx:
        return render(request, "canteen/wallets/wallet_detail.html#results", context)
    user = request.user
    is_open = wallet.status == Wallet.Status.OPEN
    context.update(
        {
            "adjustments": list(
                adjustments_for(user)
                .filter(wallet=wallet)
                .order_by("-created_at", "-id")[:RECENT_ADJUSTMENTS]
            ),
            "topup_form": topup_form or (TopupForm() if is_open and user.has_perm(TOPUP) else None),
            "adjustment_form": adjustment_form
            or (AdjustmentForm() if is_open and user.has_perm(ADJUST) else None),
            "can_export": user.has_perm(EXPORT),
            "title": _("%(n)s的餐卡") % {"n": wallet.person.name},
            "active_menu": "canteen_wallets",
        }
    )
    return render(request, "canteen/wallets/wallet_detail.html", context, status=status)


def _wallet(request, pk):
    wallet = get_wallet_for_user(request.user, pk)
    wallet.masked_phone = mask_phone(wallet.person.phone)
    return wallet


@login_required
@permission_required(VIEW, raise_exception=True)
def wallet_detail(request, pk):
    return _wallet_page(request, _wallet(request, pk))


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(TOPUP, raise_exception=True)
@require_POST
def wallet_topup(request, pk):
    wallet = _wallet(request, pk)
    form = TopupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.wallet_topup(
                actor=request.user,
                wallet=wallet,
                amount=data["amount"],
                method=data["method"],
                idempotency_key=data["idempotency_key"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            wallet.refresh_from_db(fields=["balance"])
            messages.success(
                request,
                _("已充值 %(a)s 元（%(m)s），当前余额 %(b)s 元。")
                % {"a": entry.amount, "m": entry.get_method_display(), "b": wallet.balance},
            )
            return redirect("canteen:wallet_detail", pk=wallet.pk)
    wallet.refresh_from_db()
    return _wallet_page(request, wallet, topup_form=form)


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(ADJUST, raise_exception=True)
@require_POST
def wallet_adjust(request, pk):
    wallet = _wallet(request, pk)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.wallet_adjustment_request(
                actor=request.user,
                wallet=wallet,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("调账申请已提交，财务审核通过后入账。"))
            return redirect("canteen:wallet_detail", pk=wallet.pk)
    return _wallet_page(request, wallet, adjustment_form=form)


# ---------------------------------------------------------------- subsidy


def _subsidy_months(user):
    """Subsidy credited per month (from the ledger keys subsidy:YYYY-MM), latest first."""
    rows = (
        LedgerEntry.objects.filter(
            center_id=user.center_id,
            kind=LedgerEntry.Kind.TOPUP,
            method=LedgerEntry.Method.SUBSIDY,
            idempotency_key__startswith="subsidy:",
        )
        .order_by()
        .values("idempotency_key")
        .annotate(people=Count("pk"), total=Sum("amount"))
        .order_by("-idempotency_key")[:12]
    )
    return [{"month": r["idempotency_key"][8:], **r} for r in rows]


def _subsidy_page(request, rule_form=None, import_form=None, row_errors=None):
    user = request.user
    context = {
        "rule_form": rule_form or SubsidyRuleForm(),
        "import_form": import_form or SubsidyImportForm(),
        "columns": SUBSIDY_COLUMNS,
        "months": _subsidy_months(user),
        "active_people": Person.objects.filter(
            center_id=user.center_id, status=Person.Status.ACTIVE
        ).count(),
        "active_menu": "canteen_subsidy",
    }
    if row_errors:
        context["row_errors"] = row_errors
        context["error_rows"] = len({row for row, _msg in row_errors})
    return render(request, "canteen/wallets/subsidy.html", context)


def _subsidy_rule(request):
    form = SubsidyRuleForm(request.POST)
    if form.is_valid():
        month, amount = form.cleaned_data["month"], form.cleaned_data["amount"]
        try:
            credited = services.wallet_subsidy_credit(
                actor=request.user, center=request.user.center, month=month, amount=amount
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            label = _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month}
            if credited:
                messages.success(
                    request,
                    _(
                        "已为 %(n)d 人发放%(month)s餐费补贴，每人 %(a)s 元；"
                        "本月已发放过的人员未重复发放。"
                    )
                    % {"n": credited, "month": label, "a": amount},
                )
            else:
                messages.info(
                    request,
                    _("%(month)s餐费补贴此前已全部发放，本次没有重复发放。") % {"month": label},
                )
            return redirect("canteen:subsidy")
    return _subsidy_page(request, rule_form=form)


def _subsidy_import(request):
    form = SubsidyImportForm(request.POST, request.FILES)
    if form.is_valid():
        month = form.cleaned_data["month"]
        try:
            rows = read_table(form.cleaned_data["file"], SUBSIDY_COLUMNS)
            result = services.wallet_subsidy_import(
                actor=request.user, center=request.user.center, month=month, rows=rows
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except ImportRowsError as exc:
            return _subsidy_page(request, import_form=form, row_errors=exc.errors)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            message = _("导入成功：%(n)d 人发放%(month)s餐费补贴，共 %(t)s 元。") % {
                "n": result.credited,
                "month": _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month},
                "t": f"{result.total:.2f}",
            }
            if result.skipped:
                message += _("另有 %(s)d 人本月已发放过，未重复发放。") % {"s": result.skipped}
            messages.success(request, message)
            return redirect("canteen:subsidy")
    return _subsidy_page(request, import_form=form)


@login_required
@permission_required(TOPUP, raise_exception=True)
def subsidy(request):
    if request.method == "POST":
        if request.POST.get("action") == "import":
            return _subsidy_import(request)
        return _subsidy_rule(request)
    return _subsidy_page(request)


@login_required
@permission_required(TOPUP, raise_exception=True)
def subsidy_template(request):
    example = [["区财政局", "张三", "13800000000", "300.00"]]
    workbook = build_workbook(_("餐费补贴"), SUBSIDY_COLUMNS, example)
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("说明")])
    for col in SUBSIDY_COLUMNS:
        notes.append([col.header, _("必填") if col.required else _("选填"), col.help])
    notes.append([])
    notes.append(
        [_("示例行（张三）请删除后再导入。每人每月只发放一次，重复导入同一月份不会重复发放。")]
    )
    return xlsx_response(workbook, _("餐费补贴导入模板"))


# ---------------------------------------------------------------- ledger


def _export_ledger(request, entries):
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    _audit_export(request, "canteen.LedgerEntry", entries.count())
    columns = [
        LEDGER_COLUMNS[0],
        Column("holder", "持卡人", width=10),
        Column("agency", "单位", width=20),
        *LEDGER_COLUMNS[1:],
    ]

    def rows():
        for e in entries.iterator(chunk_size=2000):
            row = _ledger_row(e)
            yield [row[0], e.wallet.person.name, e.wallet.person.agency.name, *row[1:]]

    return xlsx_response(build_workbook(_("餐卡流水"), columns, rows()), _("餐卡流水"))


@login_required
@permission_required(VIEW_LEDGER, raise_exception=True)
def ledger_list(request):
    data = recent_by_default(request.GET, days=RECENT_DAYS)
    filterset = LedgerFilter(data, queryset=_statement(request.user))
    if request.GET.get("export") == "xlsx":
        return _export_ledger(request, filterset.qs.order_by("created_at", "id"))
    table = _page(request, LedgerTable(filterset.qs, request=request))
    labels = dict(LedgerEntry.Kind.choices)
    by_kind = {
        r["kind"]: r
        for r in filterset.qs.order_by().values("kind").annotate(n=Count("pk"), total=Sum("amount"))
    }
    totals = [
        {"kind": kind, "label": labels[kind], **by_kind.get(kind, {"n": 0, "total": 0})}
        for kind in LedgerEntry.Kind.values
    ]
    net = sum((t["total"] for t in totals), 0)
    context = {
        "table": table,
        "filter": filterset,
        "totals": totals,
        "net": net,
        "can_export": request.user.has_perm(EXPORT),
        "active_menu": "canteen_ledger",
    }
    return render(request, _template(request, "ledger_list"), context)


# ---------------------------------------------------------------- adjustments


def _export_adjustments(request, rows):
    _audit_export(request, "canteen.WalletAdjustment", rows.count())
    columns = [
        Column("created_at", "申请时间", width=18),
        Column("holder", "持卡人", width=10),
        Column("amount", "调整金额（元）", width=12),
        Column("reason", "调整原因", width=28),
        Column("requested_by", "申请人", width=10),
        Column("status", "状态", width=8),
        Column("approved_by", "审批人", width=10),
    ]
    data = (
        [
            a.created_at,
            a.wallet.person.name,
            a.amount,
            a.reason,
            _who(a.requested_by),
            a.get_status_display(),
            _who(a.entry.approved_by) if a.entry_id else "",
        ]
        for a in rows.iterator(chunk_size=1000)
    )
    return xlsx_response(build_workbook(_("餐卡调账"), columns, data), _("餐卡调账"))


@login_required
@permission_required(VIEW, raise_exception=True)
def adjustment_list(request):
    filterset = AdjustmentFilter(request.GET, queryset=adjustments_for(request.user))
    if request.GET.get("export") == "xlsx":
        return _export_adjustments(request, filterset.qs.order_by("created_at", "id"))
    table = _page(request, AdjustmentTable(filterset.qs, request=request))
    context = {"table": table, "filter": filterset, "active_menu": "canteen_adjustments"}
    return render(request, _template(request, "adjustment_list"), context)


urlpatterns = [
    path("manage/wallets/", wallet_list, name="wallet_list"),
    path("manage/wallets/<int:pk>/", wallet_detail, name="wallet_detail"),
    path("manage/wallets/<int:pk>/topup/", wallet_topup, name="wallet_topup"),
    path("manage/wallets/<int:pk>/adjust/", wallet_adjust, name="wallet_adjust"),
    path("manage/wallets/open/<int:person_pk>/", wallet_open, name="wallet_open"),
    path("manage/subsidy/", subsidy, name="subsidy"),
    path("manage/subsidy/template.xlsx", subsidy_template, name="subsidy_template"),
    path("manage/ledger/", ledger_list, name="ledger_list"),
    path("manage/adjustments/", adjustment_list, name="adjustment_list"),
]
