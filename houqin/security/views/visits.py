"""Visit pages: the staff invite page (phone), cancelling an invitation, the visit register
for guards and managers (filters, xlsx export), a visit's detail, and revealing a visitor's
full ID number (security.view_full_id, POST, audited).

ID numbers and phones are masked in the list, the detail and the export; the full values are
only returned by visit_reveal_id, one visit at a time, each time an audit event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event, record_export
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.visits import VisitFilter
from ..forms.visits import InviteForm
from ..selectors import visits_for
from ..services import visits as services
from ..tables.visits import VisitTable
from .gate import _next, current_gate

PAGE_SIZE = 50
INVITE_PAGE_SIZE = 20
ACTIVE = "security_visits"

COLUMNS = [
    Column("name", _("来访人"), width=12),
    Column("company", _("单位"), width=20),
    Column("id_type", _("证件类型"), width=12),
    Column("id_number", _("证件号码（脱敏）"), width=22),
    Column("phone", _("手机号码（脱敏）"), width=14),
    Column("party_size", _("人数"), width=6),
    Column("host_agency", _("被访单位"), width=18),
    Column("host_person", _("被访人"), width=10),
    Column("purpose", _("事由"), width=24),
    Column("plate", _("车牌号"), width=10),
    Column("gate", _("门岗"), width=10),
    Column("status", _("状态"), width=8),
    Column("needs_escort", _("需陪同"), width=6),
    Column("expected_at", _("预计到访时间"), width=17),
    Column("entered_at", _("进入时间"), width=17),
    Column("exited_at", _("离开时间"), width=17),
    Column("note", _("备注"), width=24),
]


def _visit(request, pk):
    return get_object_or_404(visits_for(request.user), pk=pk)


def _row(v):
    return [
        v.visitor.name,
        v.visitor.company,
        v.visitor.get_id_type_display() if v.visitor.id_number else "",
        v.visitor.masked_id_number,
        v.visitor.masked_phone,
        v.party_size,
        v.host_agency.name,
        v.host_person.name if v.host_person else "",
        v.purpose,
        v.plate,
        v.gate.name if v.gate else "",
        v.get_status_display(),
        _("是") if v.needs_escort else "",
        v.expected_at,
        v.entered_at,
        v.exited_at,
        v.note,
    ]


# ------------------------------------------------------------------ staff: invitations


@login_required
def invite(request):
    """邀请访客 (phone): invite a visitor and see my invitations."""
    user = request.user
    form = InviteForm(request.POST or None, initial={"party_size": 1})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_invite(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已邀请 %(n)s，到达门岗时会通知您。") % {"n": visit.visitor.name},
            )
            return redirect("security:invite")
    mine = visits_for(user).filter(invited_by=user).order_by("-expected_at", "-id")
    page = Paginator(mine, INVITE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/visits/invite.html",
        {"form": form, "page": page, "active_menu": "security_invite"},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def visit_cancel(request, pk):
    visit = _visit(request, pk)
    try:
        services.visit_cancel(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已取消对 %(n)s 的邀请。") % {"n": visit.visitor.name})
    return redirect(_next(request, reverse("security:invite")))


# ------------------------------------------------------------------ the register


@login_required
@permission_required("security.view_visit", raise_exception=True)
def visit_list(request):
    user = request.user
    filterset = VisitFilter(request.GET, queryset=visits_for(user), center_id=user.center_id)
    if request.GET.get("export") == "xlsx":
        rows = [_row(v) for v in filterset.qs.order_by("-created_at", "-id")]
        record_export(request, "security.Visit", rows=len(rows))
        return xlsx_response(build_workbook(_("来访登记"), COLUMNS, rows), _("来访登记"))
    table = VisitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "security/visits/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ACTIVE},
    )


@login_required
@permission_required("security.view_visit", raise_exception=True)
def visit_detail(request, pk):
    visit = _visit(request, pk)
    labels = {c["key"]: c["label"] for c in (visit.gate.checks if visit.gate else [])}
    screening = [(labels.get(key, key), ok) for key, ok in visit.screening.items()]
    gate = current_gate(request) if request.user.has_perm("security.change_visit") else None
    return render(
        request,
        "security/visits/detail.html",
        {
            "visit": visit,
            "screening": screening,
            "gate": gate,
            "can_change": request.user.has_perm("security.change_visit"),
            "can_reveal": request.user.has_perm("security.view_full_id"),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("security.view_full_id", raise_exception=True)
@require_POST
def visit_reveal_id(request, pk):
    """The visitor's full ID number and phone (htmx fragment); every reveal is audited."""
    visit = _visit(request, pk)
    visitor = visit.visitor
    record_event(
        AuditEvent.Kind.SENSITIVE_VIEW,
        request=request,
        model="security.Visitor",
        visitor=visitor.pk,
        visit=visit.pk,
        name=visitor.name,
    )
    return HttpResponse(
        format_html(
            '<dl class="row mb-0" data-revealed><dt class="col-4">{}</dt><dd class="col-8">{}</dd>'
            '<dt class="col-4">{}</dt><dd class="col-8">{}</dd></dl>',
            _("证件号码"),
            visitor.id_number or "—",
            _("手机号码"),
            visitor.phone or "—",
        )
    )


urlpatterns = [
    path("invite/", invite, name="invite"),
    path("visits/", visit_list, name="visit_list"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
    path("visits/<int:pk>/cancel/", visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/reveal-id/", visit_reveal_id, name="visit_reveal_id"),
]
