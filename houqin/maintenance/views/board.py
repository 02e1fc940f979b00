"""维修管理 (desktop, maintenance manager; leaders and center admins read): the work-order board,
the list of all orders with its xlsx export, assignment, close / reopen / merge / cancel,
and the SLA rules of the center. Thin: reads through selectors, writes through services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.workdays.calendar import workdays_between
from houqin.core.workdays.hours import WorkingClock
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.orders import BoardFilter, OrderFilter
from ..forms.board import AssignForm, ManageForm, SlaRuleForm
from ..models import Category, Urgency, WorkOrder
from ..selectors import orders_for
from ..services import sla as sla_services
from ..services import work_orders as services
from ..tables.orders import OrderTable, handler, location

VIEW = "maintenance.view_workorder"
MANAGE = "maintenance.change_workorder"
SLA_VIEW = "maintenance.view_slarule"
SLA_EDIT = "maintenance.change_slarule"
PAGE_SIZE = 50
CARD_LIMIT = 50  # cards per board column; the list shows the rest
REFRESH_SECONDS = 60
S = WorkOrder.Status
BOARD_STATUSES = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS, S.DONE, S.CONFIRMED)


def _orders(user):
    return orders_for(user).select_related("assignee__person")


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# ------------------------------------------------------------------ board


@login_required
@permission_required(VIEW, raise_exception=True)
def board(request):
    """Six columns 待派单 … 已确认, each the CARD_LIMIT most pressing cards (highest priority,
    earliest deadline; the latest finished in 已完工/已确认). Three queries whatever the
    number of orders: the counts, the cards, and the filter's technicians."""
    now = timezone.now()
    filterset = BoardFilter(
        request.GET,
        queryset=_orders(request.user).filter(status__in=BOARD_STATUSES),
        request=request,
        now=now,
    )
    qs = filterset.qs
    counts = dict(qs.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    cards = (
        qs.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[
                    F("finished_at").desc(nulls_last=True),
                    F("priority").asc(),
                    F("due_at").asc(),
                    F("pk").asc(),
                ],
            )
        )
        .filter(rank__lte=CARD_LIMIT)
        .order_by("rank")
    )
    by_status = {status: [] for status in BOARD_STATUSES}
    for order in cards:
        order.overdue = services.is_overdue(order, now)
        order.place = location(order)
        order.handler = handler(order)
        by_status[order.status].append(order)
    columns = [
        {
            "status": status,
            "label": S(status).label,
            "count": counts.get(status, 0),
            "orders": by_status[status],
            "more": counts.get(status, 0) - len(by_status[status]),
        }
        for status in BOARD_STATUSES
    ]
    context = {
        "filter": filterset,
        "columns": columns,
        "now": now,
        "can_manage": request.user.has_perm(MANAGE),
        "refresh_seconds": REFRESH_SECONDS,
        "active_menu": "maintenance_board",
    }
    template = "maintenance/board/board.html"
    return render(request, f"{template}#columns" if request.htmx else template, context)


# ------------------------------------------------------------------ list and export

EXPORT_COLUMNS = [
    Column("number", _("工单号"), width=14),
    Column("created_at", _("报修时间"), width=18),
    Column("source", _("来源"), width=10),
    Column("category", _("类别"), width=8),
    Column("urgency", _("紧急程度"), width=8),
    Column("priority", _("优先级"), width=6),
    Column("location", _("位置"), width=24),
    Column("description", _("故障描述"), width=36),
    Column("reporter", _("报修人"), width=10),
    Column("agency", _("报修单位"), width=18),
    Column("status", _("状态"), width=8),
    Column("handler", _("维修人员/外包单位"), width=14),
    Column("response_due_at", _("响应时限"), width=18),
    Column("due_at", _("完成时限"), width=18),
    Column("accepted_at", _("接单时间"), width=18),
    Column("started_at", _("开始维修"), width=18),
    Column("finished_at", _("完工时间"), width=18),
    Column("confirmed_at", _("确认时间"), width=18),
    Column("closed_at", _("关闭时间"), width=18),
    Column("response_hours", _("响应用时（工作小时）"), width=12),
    Column("completion_hours", _("完成用时（工作小时）"), width=12),
    Column("within_sla", _("按时完成"), width=8),
    Column("overdue", _("当前超时"), width=8),
    Column("labor_cost", _("人工费（元）"), width=12),
    Column("material_cost", _("材料费（元）"), width=12),
    Column("total_cost", _("合计（元）"), width=12),
    Column("rating", _("满意度"), width=8),
    Column("completion_note", _("维修情况"), width=36),
]


def _hours(start, end, clock):
    if start is None or end is None:
        return None
    return round(clock.hours_between(start, end), 1)


def _orders_xlsx(request, queryset, now):
    orders = list(queryset.select_related("reporter__person"))
    record_export(request, "maintenance.WorkOrder", rows=len(orders))
    moments = [
        t for o in orders for t in (o.created_at, o.accepted_at, o.finished_at) if t is not None
    ]
    clock = WorkingClock(
        workdays_between(
            timezone.localdate(min(moments)),
            timezone.localdate(max(moments)) + dt.timedelta(days=1),
        )
        if moments
        else ()
    )
    yes, no = _("是"), _("否")
    rows = []
    for o in orders:
        finished = o.finished_at
        rows.append(
            [
                o.number,
                o.created_at,
                o.get_source_display(),
                o.get_category_display(),
                o.get_urgency_display(),
                o.priority,
                location(o),
                o.description,
                o.reporter.display_name if o.reporter_id else "",
                o.agency.name if o.agency_id else "",
                o.get_status_display(),
                handler(o),
                o.response_due_at,
                o.due_at,
                o.accepted_at,
                o.started_at,
                finished,
                o.confirmed_at,
                o.closed_at,
                _hours(o.created_at, o.accepted_at, clock),
                _hours(o.created_at, finished, clock),
                (yes if finished <= o.due_at else no) if finished else "",
                yes if services.is_overdue(o, now) else "",
                o.labor_cost,
                o.material_cost,
                o.total_cost,
                o.rating,
                o.completion_note,
            ]
        )
    title = _("维修工单")
    return xlsx_response(build_workbook(title, EXPORT_COLUMNS, rows), title)


@login_required
@permission_required(VIEW, raise_exception=True)
def order_list(request):
    now = timezone.now()
    filterset = OrderFilter(request.GET, queryset=_orders(request.user), request=request, now=now)
    if request.GET.get("export") == "xlsx":
        return _orders_xlsx(request, filterset.qs.order_by("created_at", "pk"), now)
    table = OrderTable(filterset.qs, now=now, can_manage=request.user.has_perm(MANAGE))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "maintenance/board/order_list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": "maintenance_orders"},
    )


# ------------------------------------------------------------------ assign and manage


def _manage_page(request, order, *, assign_form=None, manage_form=None):
    center_id = request.user.center_id
    return render(
        request,
        "maintenance/board/order_assign.html",
        {
            "order": order,
            "place": location(order),
            "handler": handler(order),
            "overdue": services.is_overdue(order),
            # The form stays on the page when its POST was refused (the reason shows on it).
            "can_assign": order.status in services.TRANSITIONS["assign"][0]
            or assign_form is not None,
            "assign_form": assign_form
            or AssignForm(
                initial={
                    "assignee": order.assignee_id,
                    "vendor_name": order.vendor_name,
                    "priority": order.priority,
                },
                center_id=center_id,
            ),
            "manage_form": manage_form or ManageForm(),
            "next": _next_url(request, ""),
            "active_menu": "maintenance_board",
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def order_assign(request, pk):
    order = get_object_or_404(_orders(request.user), pk=pk)
    if request.method != "POST":
        return _manage_page(request, order)
    form = AssignForm(request.POST, center_id=request.user.center_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = services.work_order_assign(
                actor=request.user,
                order=order,
                assignee=data["assignee"],
                vendor_name=data["vendor_name"],
                priority=data["priority"],
                due_at=data["due_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("工单 %(n)s 已派给 %(w)s。") % {"n": order.number, "w": handler(order)},
            )
            return redirect(_next_url(request, reverse("maintenance:board")))
    return _manage_page(request, order, assign_form=form)


# service field → form field
_MANAGE_FIELDS = {"reason": "note", "note": "note", "into": "into"}


def _manage_errors(form, exc):
    if hasattr(exc, "error_dict"):
        exc = ValidationError(
            {_MANAGE_FIELDS.get(field, field): errors for field, errors in exc.error_dict.items()}
        )
    apply_errors(form, exc)


MANAGE_DONE = {
    "close": _("工单 %(n)s 已关闭。"),
    "reopen": _("工单 %(n)s 已重新打开，派回原维修人员。"),
    "merge": _("工单 %(n)s 已合并到 %(t)s。"),
    "cancel": _("工单 %(n)s 已撤销。"),
}


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def order_manage(request, pk):
    order = get_object_or_404(_orders(request.user), pk=pk)
    form = ManageForm(request.POST)
    if form.is_valid():
        op, note = form.cleaned_data["op"], form.cleaned_data["note"]
        target = ""
        try:
            if op == "close":
                services.work_order_close(actor=request.user, order=order, note=note)
            elif op == "reopen":
                services.work_order_reopen(actor=request.user, order=order, reason=note)
            elif op == "merge":
                target = form.cleaned_data["into"].strip()
                into = _orders(request.user).filter(number__iexact=target).first()
                if into is None:
                    raise ValidationError({"into": _("未找到工单号 %(n)s。") % {"n": target}})
                services.work_order_merge(actor=request.user, order=order, into=into)
                target = into.number
            else:
                services.work_order_cancel(actor=request.user, order=order, reason=note)
        except ValidationError as exc:
            _manage_errors(form, exc)
        else:
            messages.success(request, MANAGE_DONE[op] % {"n": order.number, "t": target})
            return redirect(_next_url(request, reverse("maintenance:board")))
    order.refresh_from_db()
    return _manage_page(request, order, manage_form=form)


# ------------------------------------------------------------------ SLA rules


def _sla_page(request, *, bound=None):
    """The category × urgency matrix; `bound` = the SlaRuleForm of the cell just posted."""
    rows = sla_services.sla_matrix(request.user.center_id)
    if bound is not None:
        for row in rows:
            for cell in row["cells"]:
                if (cell["category"], cell["urgency"]) == (
                    bound.data.get("category"),
                    bound.data.get("urgency"),
                ):
                    cell["form"] = bound
    return render(
        request,
        "maintenance/board/sla_rules.html",
        {
            "rows": rows,
            "urgencies": Urgency.choices,
            "bound": bound,
            "can_edit": request.user.has_perm(SLA_EDIT),
            "active_menu": "maintenance_sla",
        },
    )


@login_required
@permission_required(SLA_VIEW, raise_exception=True)
def sla_rules(request):
    if request.method != "POST":
        return _sla_page(request)
    if not request.user.has_perm(SLA_EDIT):
        raise PermissionDenied
    form = SlaRuleForm(request.POST)
    reset = request.POST.get("action") == "reset"
    if reset:
        # Only the cell is needed to go back to the default.
        for name in ("response_hours", "completion_hours"):
            form.fields[name].required = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            if reset:
                sla_services.sla_rule_reset(
                    actor=request.user,
                    center=request.user.center,
                    category=data["category"],
                    urgency=data["urgency"],
                )
            else:
                sla_services.sla_rule_save(
                    actor=request.user,
                    center=request.user.center,
                    category=data["category"],
                    urgency=data["urgency"],
                    response_hours=data["response_hours"],
                    completion_hours=data["completion_hours"],
                    around_the_clock=data["around_the_clock"],
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            labels = f"{Category(data['category']).label}·{Urgency(data['urgency']).label}"
            messages.success(
                request,
                (_("%(c)s 已恢复默认时限。") if reset else _("%(c)s 的时限已保存。"))
                % {"c": labels},
            )
            return redirect("maintenance:sla_rules")
    return _sla_page(request, bound=form)


urlpatterns = [
    path("board/", board, name="board"),
    path("orders/", order_list, name="order_list"),
    path("orders/<int:pk>/assign/", order_assign, name="order_assign"),
    path("orders/<int:pk>/manage/", order_manage, name="order_manage"),
    path("sla/", sla_rules, name="sla_rules"),
]
