"""The technician's phone page: my assigned orders grouped 待接单 / 维修中 / 待配件 /
今日已完工. Each order opens its detail page (views.report.order_detail) for the actions."""

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import WorkOrder
from ..selectors import my_assignments
from ..services.work_orders import is_overdue

S = WorkOrder.Status
LIMIT = 300


def _today_start(now):
    day = timezone.localdate(now)
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@login_required
@permission_required("maintenance.work_workorder", raise_exception=True)
def my_tasks(request):
    now = timezone.now()
    orders = list(
        my_assignments(request.user)
        .filter(
            Q(status__in=(S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS))
            | Q(status__in=(S.DONE, S.CONFIRMED, S.CLOSED), finished_at__gte=_today_start(now))
        )
        .order_by("priority", "due_at", "id")[:LIMIT]
    )
    groups = {"new": [], "working": [], "parts": [], "done": []}
    for order in orders:
        order.overdue = is_overdue(order, now)
        if order.status == S.ASSIGNED and order.accepted_at is None:
            groups["new"].append(order)
        elif order.status in (S.ASSIGNED, S.IN_PROGRESS):
            groups["working"].append(order)
        elif order.status == S.WAITING_PARTS:
            groups["parts"].append(order)
        else:
            groups["done"].append(order)
    sections = [
        ("new", _("待接单"), "bi-inbox", groups["new"]),
        ("working", _("维修中"), "bi-wrench-adjustable", groups["working"]),
        ("parts", _("待配件"), "bi-box-seam", groups["parts"]),
        ("done", _("今日已完工"), "bi-check2-circle", groups["done"]),
    ]
    return render(
        request,
        "maintenance/phone/my_tasks.html",
        {"sections": sections, "total": len(orders), "active_menu": "maintenance_my_tasks"},
    )


urlpatterns = [
    path("tech/", my_tasks, name="my_tasks"),
]
