"""Phone pages of a repair: report a fault in under a minute, my reports, an order's detail
(status, deadlines, timeline, photos, materials and the actions the user may take), the
actions themselves (POST, dispatched to services.work_orders) and its photos (never public).

Everyone signed in may report. Orders are fetched through selectors.orders_for, so an order
the user may not see — another center's, another member of staff's — is a 404; who may take
which action is decided by the services (PermissionDenied is a 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from houqin.core.crypto import mask_phone
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.org.scoping import user_person

from ..forms.report import CancelForm, ConfirmForm, ReopenForm, ReportForm
from ..forms.technician import FinishForm, MaterialForm, PhotosForm, WaitPartsForm
from ..models import WorkOrder, WorkOrderPhoto
from ..selectors import location_suggestions, orders_for
from ..selectors import my_reports as my_reports_qs
from ..services import work_orders as svc

S = WorkOrder.Status
PAGE_SIZE = 20
OPEN_STATUSES = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS)


# ------------------------------------------------------------------ report


@login_required
def report(request):
    user = request.user
    person = user_person(user)
    initial = {"phone": person.phone if person is not None else ""}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = svc.work_order_report(actor=user, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("报修已提交，工单号 %(n)s。维修人员接单后会通知您。") % {"n": order.number},
            )
            return redirect("maintenance:order_detail", pk=order.pk)
    return render(
        request,
        "maintenance/phone/report.html",
        {
            "form": form,
            "suggestions": location_suggestions(user),
            "active_menu": "maintenance_report",
        },
    )


@login_required
def my_reports(request):
    now = timezone.now()
    page = Paginator(my_reports_qs(request.user).order_by("-created_at", "-id"), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    for order in page:
        order.overdue = svc.is_overdue(order, now)
    return render(
        request,
        "maintenance/phone/my_reports.html",
        {"page": page, "active_menu": "maintenance_my_reports"},
    )


# ------------------------------------------------------------------ one order


def _service_call(action, user, order, data, now):
    if action == "confirm":
        return svc.work_order_confirm(
            actor=user, order=order, rating=data["rating"], comment=data["comment"], now=now
        )
    if action == "reopen":
        return svc.work_order_reopen(actor=user, order=order, reason=data["reason"], now=now)
    if action == "cancel":
        return svc.work_order_cancel(actor=user, order=order, reason=data["reason"], now=now)
    if action == "accept":
        return svc.work_order_accept(actor=user, order=order, now=now)
    if action == "start":
        return svc.work_order_start(actor=user, order=order, now=now)
    if action == "wait_parts":
        return svc.work_order_wait_parts(actor=user, order=order, note=data["note"], now=now)
    if action == "photos":
        return svc.work_order_add_photos(actor=user, order=order, photos=data["photos"])
    if action == "material":
        return svc.work_order_add_material(actor=user, order=order, now=now, **data)
    if action == "finish":
        return svc.work_order_finish(
            actor=user,
            order=order,
            note=data["completion_note"],
            labor_cost=data["labor_cost"],
            photos=data["photos"],
            now=now,
        )
    raise Http404  # pragma: no cover - ACTIONS and this dispatch list the same names


# action → (form class or None, success message)
ACTIONS = {
    "confirm": (ConfirmForm, _l("已确认维修完成，感谢您的评价。")),
    "reopen": (ReopenForm, _l("工单已重新打开，将由维修人员继续处理。")),
    "cancel": (CancelForm, _l("报修已撤销。")),
    "accept": (None, _l("已接单。")),
    "start": (None, _l("已开始维修。")),
    "wait_parts": (WaitPartsForm, _l("已标记为等待配件。")),
    "photos": (PhotosForm, _l("照片已上传。")),
    "material": (MaterialForm, _l("材料已登记。")),
    "finish": (FinishForm, _l("已完工，已通知报修人确认。")),
}
WORKER_ACTIONS = ("accept", "start", "wait_parts", "photos", "material", "finish")


def actions_for(user, order):
    """The actions to offer on the page (the services still decide what is allowed)."""
    status = order.status
    reporter = order.reporter_id == user.pk
    manager = svc.is_manager(user, order.center_id)
    worker = manager or (order.assignee_id is not None and order.assignee_id == user.pk)
    offered = set()
    if reporter and status == S.DONE:
        offered.add("confirm")
    if (reporter or manager) and status in (S.DONE, S.CONFIRMED, S.CLOSED):
        offered.add("reopen")
    if reporter and status == S.NEW:
        offered.add("cancel")
    if worker:
        if status == S.ASSIGNED and order.accepted_at is None:
            offered.add("accept")
        if status in (S.ASSIGNED, S.WAITING_PARTS):
            offered.add("start")
        if status == S.IN_PROGRESS:
            offered.update({"wait_parts", "finish"})
        if status in (S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS, S.DONE):
            offered.update({"photos", "material"})
    return offered


def _photo_groups(order):
    photos = list(order.photos.all())
    return [
        (label, [p for p in photos if p.stage == stage])
        for stage, label in WorkOrderPhoto.Stage.choices
        if any(p.stage == stage for p in photos)
    ]


def _events(order):
    events = list(order.events.select_related("actor__person"))
    for event in events:
        event.label = svc.ACTION_LABELS.get(event.action, event.action)
    return events


def _detail(request, order, *, bound=None, status=200):
    user = request.user
    offered = actions_for(user, order)
    forms = {
        action: (bound[1] if bound and bound[0] == action else form_class())
        for action, (form_class, _msg) in ACTIONS.items()
        if form_class is not None and action in offered
    }
    manager = svc.is_manager(user, order.center_id)
    return render(
        request,
        "maintenance/phone/order_detail.html",
        {
            "order": order,
            "events": _events(order),
            "photo_groups": _photo_groups(order),
            "materials": list(order.materials.all()),
            "overdue": svc.is_overdue(order),
            "offered": offered,
            "forms": forms,
            "failed": bound[0] if bound else "",
            "is_reporter": order.reporter_id == user.pk,
            "is_worker": bool(offered & set(WORKER_ACTIONS)),
            # Who fixes it, or manages the repairs, may call the reporter; others see it masked.
            "reporter_phone": order.reporter_phone
            if user.pk in (order.reporter_id, order.assignee_id) or manager
            else mask_phone(order.reporter_phone),
            "is_manager": manager,
            "active_menu": "maintenance_my_reports",
        },
        status=status,
    )


def _order(user, pk):
    return get_object_or_404(orders_for(user), pk=pk)


@login_required
def order_detail(request, pk):
    return _detail(request, _order(request.user, pk))


@login_required
@require_POST
def order_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    pk = int(pk)
    order = _order(request.user, pk)
    form_class, done = ACTIONS[action]
    form = form_class(request.POST, request.FILES) if form_class is not None else None
    if form is not None and not form.is_valid():
        return _detail(request, order, bound=(action, form))
    data = form.cleaned_data if form is not None else {}
    try:
        _service_call(action, request.user, order, data, timezone.now())
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("maintenance:order_detail", pk=order.pk)
        order = _order(request.user, pk)
        if action not in actions_for(request.user, order):
            # Not offered on the page (e.g. already done by someone else): say why at the top.
            for message in exc.messages:
                messages.error(request, message)
            return redirect("maintenance:order_detail", pk=order.pk)
        apply_errors(form, exc)
        return _detail(request, order, bound=(action, form))
    messages.success(request, done)
    return redirect("maintenance:order_detail", pk=order.pk)


@login_required
def order_photo(request, pk):
    """A work order's photo, only for those who may see the order (never a public URL)."""
    photo = get_object_or_404(
        WorkOrderPhoto.objects.filter(order__in=orders_for(request.user).values("pk")), pk=pk
    )
    return serve_file(photo.image, filename=f"repair-photo-{photo.pk}")


urlpatterns = [
    path("report/", report, name="report"),
    path("mine/", my_reports, name="my_reports"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    # Only the actions above match, so the board's orders/<pk>/assign/ and manage/ are not
    # shadowed by this module (listed first in urls.py); any other action is a 404.
    re_path(
        rf"^orders/(?P<pk>[0-9]+)/(?P<action>{'|'.join(ACTIONS)})/$",
        order_action,
        name="order_action",
    ),
    path("photos/<int:pk>/", order_photo, name="order_photo"),
]
