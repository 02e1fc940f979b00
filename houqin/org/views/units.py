"""Organisation tree pages: list (tree order), create, edit, move, deactivate/delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.forms import apply_errors

from .. import services
from ..filters import OrgUnitFilter
from ..forms import MoveUnitForm, OrgUnitForm
from ..permissions import get_org_unit_for_user
from ..selectors import org_tree_for
from ..tables import OrgUnitTable
from .common import PAGE_SIZE


@login_required
@permission_required("org.view_orgunit", raise_exception=True)
def unit_list(request):
    filterset = OrgUnitFilter(request.GET, queryset=org_tree_for(request.user), request=request)
    table = OrgUnitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE * 2}).configure(table)
    return render(
        request,
        "org/unit_list.html",
        {"table": table, "filter": filterset, "active_menu": "org_units"},
    )


@login_required
@permission_required("org.add_orgunit", raise_exception=True)
def unit_create(request):
    initial = {}
    if parent_id := request.GET.get("parent"):
        initial["parent"] = parent_id if parent_id.isdigit() else None
    form = OrgUnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = data["parent"] or request.user.center
        try:
            unit = services.org_unit_create(
                actor=request.user,
                parent=parent,
                kind=data["kind"],
                name=data["name"],
                short_name=data["short_name"],
                code=data["code"],
                organ_level=data["organ_level"],
                establishment=data["establishment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增“%(name)s”。") % {"name": unit.name})
            return redirect("org:unit_list")
    return render(
        request,
        "org/unit_form.html",
        {"form": form, "title": _("新增机构"), "active_menu": "org_units"},
    )


@login_required
@permission_required("org.change_orgunit", raise_exception=True)
def unit_edit(request, pk):
    unit = get_org_unit_for_user(request.user, pk)
    initial = {
        f: getattr(unit, f) for f in ("name", "short_name", "code", "organ_level", "establishment")
    }
    form = OrgUnitForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("org:unit_list")
    return render(
        request,
        "org/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("编辑机构"),
            "active_menu": "org_units",
            "move_form": MoveUnitForm(user=request.user),
        },
    )


@login_required
@permission_required("org.change_orgunit", raise_exception=True)
@require_POST
def unit_move(request, pk):
    unit = get_org_unit_for_user(request.user, pk)
    form = MoveUnitForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.org_unit_move(
                actor=request.user,
                unit=unit,
                new_parent=form.cleaned_data["parent"] or request.user.center,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已移动“%(name)s”。") % {"name": unit.name})
    else:
        messages.error(request, _("请选择有效的上级机构。"))
    return redirect("org:unit_edit", pk=unit.pk)


@login_required
@permission_required("org.change_orgunit", raise_exception=True)
@require_POST
def unit_toggle(request, pk):
    unit = get_org_unit_for_user(request.user, pk)
    try:
        services.org_unit_update(actor=request.user, unit=unit, is_active=not unit.is_active)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        state = _("启用") if not unit.is_active else _("停用")
        messages.success(request, _("已%(s)s“%(name)s”。") % {"s": state, "name": unit.name})
    return redirect("org:unit_list")


@login_required
@permission_required("org.delete_orgunit", raise_exception=True)
@require_POST
def unit_delete(request, pk):
    unit = get_org_unit_for_user(request.user, pk)
    try:
        services.org_unit_delete(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": unit.name})
    return redirect("org:unit_list")
