"""Account and role administration for the center administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.forms import apply_errors

from .. import services
from ..forms import AccountCreateForm, RolesForm
from ..models import Person, Rank
from ..permissions import get_account_for_user
from ..selectors import accounts_for, people_for, ranks
from ..tables import AccountTable
from .common import PAGE_SIZE

manage = permission_required("org.manage_accounts", raise_exception=True)


@login_required
@manage
def account_list(request):
    qs = accounts_for(request.user)
    if q := request.GET.get("q", "").strip()[:50]:
        qs = qs.filter(username__icontains=q) | qs.filter(person__name__icontains=q)
    table = AccountTable(qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "org/account_list.html",
        {"table": table, "q": q, "active_menu": "org_accounts"},
    )


@login_required
@manage
def account_create(request):
    people = people_for(request.user).filter(user__isnull=True, status=Person.Status.ACTIVE)
    initial = {}
    if person_id := request.GET.get("person"):
        initial["person"] = person_id if person_id.isdigit() else None
    form = AccountCreateForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.account_create(
                actor=request.user,
                person=form.cleaned_data["person"],
                username=form.cleaned_data["username"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request,
                "org/account_password.html",
                {
                    "account": user,
                    "password": password,
                    "created": True,
                    "active_menu": "org_accounts",
                },
            )
    return render(request, "org/account_form.html", {"form": form, "active_menu": "org_accounts"})


@login_required
@manage
def account_detail(request, pk):
    account = get_account_for_user(request.user, pk)
    current = [
        ra.role for ra in account.role_assignments.all() if ra.center_id == account.center_id
    ]
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_roles(
                actor=request.user, user=account, roles=form.cleaned_data["roles"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("角色已更新。"))
            return redirect("org:account_detail", pk=pk)
    return render(
        request,
        "org/account_detail.html",
        {"account": account, "form": form, "active_menu": "org_accounts"},
    )


@login_required
@manage
@require_POST
def account_reset_password(request, pk):
    account = get_account_for_user(request.user, pk)
    password = services.account_reset_password(actor=request.user, user=account, request=request)
    return render(
        request,
        "org/account_password.html",
        {"account": account, "password": password, "created": False, "active_menu": "org_accounts"},
    )


@login_required
@manage
@require_POST
def account_toggle_active(request, pk):
    account = get_account_for_user(request.user, pk)
    try:
        services.account_set_active(actor=request.user, user=account, active=not account.is_active)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("账号已启用。") if account.is_active else _("账号已停用。"))
    return redirect("org:account_detail", pk=pk)


@login_required
@manage
@require_POST
def account_unlock(request, pk):
    account = get_account_for_user(request.user, pk)
    services.account_unlock(actor=request.user, user=account, request=request)
    messages.success(request, _("已解除登录锁定。"))
    return redirect("org:account_detail", pk=pk)


@login_required
@permission_required("org.view_rank", raise_exception=True)
def rank_list(request):
    return render(
        request,
        "org/rank_list.html",
        {
            "ranks": ranks(),
            "levels": Rank._meta.get_field("organ_level").choices,
            "active_menu": "org_ranks",
        },
    )
