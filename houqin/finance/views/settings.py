"""财务设置: the approval threshold of expenditures and the voucher handover period of the
center (finance officers only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from houqin.core.forms import apply_errors

from ..forms.budgets import SettingsForm
from ..models import FinanceSettings
from ..services.budgets import settings_save

MENU = "finance_execution"


@login_required
@permission_required("finance.change_financesettings", raise_exception=True)
def settings_view(request):
    current = FinanceSettings.objects.filter(center_id=request.user.center_id).first()
    current = current or FinanceSettings(center_id=request.user.center_id)
    form = SettingsForm(
        request.POST or None,
        initial={
            "approval_threshold": current.approval_threshold,
            "voucher_due_days": current.voucher_due_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(actor=request.user, center=request.user.center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存财务设置。"))
            return redirect("finance:settings")
    return render(
        request,
        "finance/execution/settings.html",
        {"form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("settings/", settings_view, name="settings"),
]
