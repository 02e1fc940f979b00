"""门岗 pages for guards (tablet first, 1024×768): the quick register form, today's expected
visitors with 到达, the visitors in now with 离开, the visitor pass with its QR code, and the
pass scan (a guard opens /security/pass/<code>/ from the QR and gets the visit).

Thin: parse, fetch through the scoped selectors, call one service, render. The guard's
current gate is remembered in the session."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.forms import apply_errors

from ..forms.visits import ArriveForm, PassLookupForm, RegisterForm
from ..models import Visit
from ..selectors import gates_for, today_expected, visits_for
from ..services import visits as services

SESSION_GATE = "security_gate_id"
IN_NOW_LIMIT = 200
ACTIVE = "security_gate"


def current_gate(request):
    """The guard's gate: ?gate= (remembered), else the one in the session, else the first."""
    gates = gates_for(request.user).filter(is_active=True)
    wanted = request.GET.get("gate") or request.session.get(SESSION_GATE)
    gate = None
    if wanted and str(wanted).isdigit():
        gate = gates.filter(pk=int(wanted)).first()
    if gate is None:
        gate = gates.first()
    if gate is not None:
        request.session[SESSION_GATE] = gate.pk
    return gate


def _visit(request, pk):
    return get_object_or_404(visits_for(request.user), pk=pk)


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def pass_url(request, visit):
    return request.build_absolute_uri(reverse("security:visit_by_pass", args=[visit.pass_code]))


def qr_svg(data):
    """An inline SVG QR code (segno; no image library, no external service)."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=6,
        border=3,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=_("访客通行证二维码"),
        svgclass="security-qr",
        lineclass=None,
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 - segno output, no user markup


def _gate_page(request, gate, form, status=200):
    user = request.user
    in_now = list(
        visits_for(user).filter(status=Visit.Status.IN).order_by("-entered_at")[:IN_NOW_LIMIT]
    )
    return render(
        request,
        "security/gate/gate.html",
        {
            "gate": gate,
            "gates": list(gates_for(user).filter(is_active=True)),
            "form": form,
            "lookup_form": PassLookupForm(),
            "expected": list(today_expected(user, timezone.localdate())),
            "in_now": in_now,
            "active_menu": ACTIVE,
        },
        status=status,
    )


@login_required
@permission_required("security.add_visit", raise_exception=True)
def gate(request):
    user = request.user
    if request.GET.get("code"):  # a USB scanner typed the pass into the lookup box
        lookup = PassLookupForm(request.GET)
        if lookup.is_valid():
            return redirect("security:visit_by_pass", code=lookup.pass_code())
    current = current_gate(request)
    if request.htmx and request.GET.get("part") == "host":
        form = RegisterForm(
            center_id=user.center_id,
            gate=current,
            initial={"host_agency": request.GET.get("host_agency")},
        )
        return render(request, "security/gate/gate.html#host_person", {"form": form})
    form = RegisterForm(
        center_id=user.center_id,
        gate=current,
        initial={"gate": current.pk if current else None},
    )
    return _gate_page(request, current, form)


@login_required
@permission_required("security.add_visit", raise_exception=True)
@require_POST
def visit_register(request):
    user = request.user
    gate_id = request.POST.get("gate")
    current = (
        gates_for(user).filter(is_active=True, pk=gate_id).first()
        if str(gate_id or "").isdigit()
        else None
    )
    form = RegisterForm(request.POST, center_id=user.center_id, gate=current)
    if form.is_valid():
        try:
            visit = services.visit_register(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_GATE] = visit.gate_id
            if visit.status == Visit.Status.REFUSED:
                messages.error(
                    request,
                    _("%(n)s 已被拒绝入内（%(r)s），已记录并通知安保负责人。")
                    % {"n": visit.visitor.name, "r": visit.note},
                )
            else:
                messages.success(request, _("已登记访客 %(n)s。") % {"n": visit.visitor.name})
            return redirect("security:visit_pass", pk=visit.pk)
    if current is None:
        form.add_error(None, _("请先选择门岗。"))
    return _gate_page(request, current, form, status=422)


@login_required
@permission_required("security.change_visit", raise_exception=True)
def visit_arrive(request, pk):
    """An invited visitor arrives: POST straight from the list, or a small form when the gate
    records screening per entry."""
    user = request.user
    visit = _visit(request, pk)
    current = current_gate(request)
    if request.method == "POST":
        gate_id = request.POST.get("gate")
        chosen = (
            gates_for(user).filter(is_active=True, pk=gate_id).first()
            if str(gate_id or "").isdigit()
            else current
        )
        form = ArriveForm(request.POST, center_id=user.center_id, gate=chosen)
        if form.is_valid():
            try:
                visit = services.visit_arrive(
                    actor=user,
                    visit=visit,
                    gate=form.cleaned_data["gate"],
                    screening=form.screening(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                request.session[SESSION_GATE] = visit.gate_id
                if visit.status == Visit.Status.REFUSED:
                    messages.error(
                        request,
                        _("%(n)s 已被拒绝入内（%(r)s），已记录并通知安保负责人。")
                        % {"n": visit.visitor.name, "r": visit.note},
                    )
                else:
                    messages.success(
                        request, _("%(n)s 已到达，已通知被访人。") % {"n": visit.visitor.name}
                    )
                return redirect("security:visit_pass", pk=visit.pk)
        status = 422
    else:
        form = ArriveForm(center_id=user.center_id, gate=current)
        status = 200
    return render(
        request,
        "security/gate/arrive.html",
        {"visit": visit, "form": form, "gate": current, "active_menu": ACTIVE},
        status=status,
    )


@login_required
@permission_required("security.change_visit", raise_exception=True)
@require_POST
def visit_exit(request, pk):
    visit = _visit(request, pk)
    try:
        visit = services.visit_exit(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s 已离开。") % {"n": visit.visitor.name})
    return redirect(_next(request, reverse("security:gate")))


@login_required
def visit_pass(request, pk):
    """The printable visitor pass (big name, host, time, QR); a refused visit shows why."""
    visit = _visit(request, pk)
    return render(
        request,
        "security/gate/pass.html",
        {
            "visit": visit,
            "qr": qr_svg(pass_url(request, visit)) if visit.status != Visit.Status.REFUSED else "",
            "is_guard": request.user.has_perm("security.change_visit"),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("security.view_visit", raise_exception=True)
def visit_by_pass(request, code):
    """A scanned pass: the visit (with its 离开 button), if it is this guard's center's."""
    visit = get_object_or_404(visits_for(request.user), pass_code=code)
    return redirect("security:visit_detail", pk=visit.pk)


urlpatterns = [
    path("gate/", gate, name="gate"),
    path("gate/register/", visit_register, name="visit_register"),
    path("visits/<int:pk>/arrive/", visit_arrive, name="visit_arrive"),
    path("visits/<int:pk>/exit/", visit_exit, name="visit_exit"),
    path("visits/<int:pk>/pass/", visit_pass, name="visit_pass"),
    path("pass/<str:code>/", visit_by_pass, name="visit_by_pass"),
]
