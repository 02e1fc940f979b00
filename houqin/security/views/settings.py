"""门岗与名单 settings (security managers): the gates with their entry checks and the watch
list; and the daily screening tally that guards record at a gate (gate/tally/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.forms import apply_errors

from ..forms.settings import GateForm, TallyForm, WatchEntryForm
from ..models import ScreeningTally
from ..selectors import gates_for, watch_entries_for
from ..services import visits as services
from .gate import SESSION_GATE

ACTIVE = "security_settings"
WATCH_PAGE_SIZE = 50
TALLY_LIMIT = 60


@login_required
@permission_required("security.change_gate", raise_exception=True)
def settings(request):
    user = request.user
    watch = Paginator(watch_entries_for(user), WATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/settings/settings.html",
        {
            "gates": list(gates_for(user)),
            "watch": watch,
            "retention_days": services.retention_days(),
            "active_menu": ACTIVE,
        },
    )


def _form_page(request, template, form, obj, title, status=200):
    return render(
        request,
        template,
        {"form": form, "object": obj, "title": title, "active_menu": ACTIVE},
        status=422 if form.errors else status,
    )


@login_required
@permission_required("security.add_gate", raise_exception=True)
def gate_create(request):
    form = GateForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            gate = services.gate_save(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增门岗“%(g)s”。") % {"g": gate})
            return redirect("security:settings")
    return _form_page(request, "security/settings/gate_form.html", form, None, _("新增门岗"))


@login_required
@permission_required("security.change_gate", raise_exception=True)
def gate_edit(request, pk):
    gate = get_object_or_404(gates_for(request.user), pk=pk)
    form = GateForm(request.POST or None, initial=GateForm.initial_for(gate))
    if request.method == "POST" and form.is_valid():
        try:
            services.gate_save(
                actor=request.user, center=request.user.center, gate=gate, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存门岗“%(g)s”。") % {"g": gate})
            return redirect("security:settings")
    return _form_page(request, "security/settings/gate_form.html", form, gate, _("编辑门岗"))


@login_required
@permission_required("security.add_watchentry", raise_exception=True)
def watch_create(request):
    form = WatchEntryForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.watch_entry_save(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已加入关注名单：%(e)s。") % {"e": entry})
            return redirect("security:settings")
    return _form_page(request, "security/settings/watch_form.html", form, None, _("新增关注名单"))


@login_required
@permission_required("security.change_watchentry", raise_exception=True)
def watch_edit(request, pk):
    entry = get_object_or_404(watch_entries_for(request.user), pk=pk)
    form = WatchEntryForm(
        request.POST or None, entry=entry, initial=WatchEntryForm.initial_for(entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.watch_entry_save(
                actor=request.user,
                center=request.user.center,
                entry=entry,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存关注名单：%(e)s。") % {"e": entry})
            return redirect("security:settings")
    return _form_page(request, "security/settings/watch_form.html", form, entry, _("编辑关注名单"))


@login_required
@permission_required("security.add_screeningtally", raise_exception=True)
def tally_add(request):
    """入口查验 daily totals at a gate, and the recent ones of the center."""
    user = request.user
    form = TallyForm(
        request.POST or None,
        center_id=user.center_id,
        initial={
            "gate": request.session.get(SESSION_GATE),
            "date": timezone.localdate(),
            "abnormal": 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            tally = services.screening_tally_add(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记 %(g)s %(d)s 的入口查验统计。") % {"g": tally.gate, "d": tally.date},
            )
            return redirect("security:tally_add")
    tallies = list(
        ScreeningTally.objects.filter(center_id=user.center_id)
        .select_related("gate", "recorded_by__person")
        .order_by("-date", "gate__name")[:TALLY_LIMIT]
    )
    return render(
        request,
        "security/settings/tally.html",
        {"form": form, "tallies": tallies, "active_menu": "security_gate"},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("settings/", settings, name="settings"),
    path("settings/gates/new/", gate_create, name="gate_create"),
    path("settings/gates/<int:pk>/edit/", gate_edit, name="gate_edit"),
    path("settings/watch/new/", watch_create, name="watch_create"),
    path("settings/watch/<int:pk>/edit/", watch_edit, name="watch_edit"),
    path("gate/tally/", tally_add, name="tally_add"),
]
