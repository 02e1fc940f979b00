"""Checks shared by the finance services."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import FinanceSettings

CENT = Decimal("0.01")


def require_finance(actor, center_id, perm="finance.change_expenditure"):
    """Only the center's finance officers write; views have already hidden other centers."""
    if actor is None:  # demo data, jobs, other modules' costs
        return
    if actor.center_id != center_id or not actor.has_perm(perm):
        raise PermissionDenied(_("只有财务人员可以执行此操作。"))


def money(value, field, label, *, allow_zero=False):
    """A positive amount in yuan with at most two decimals."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}})
    if number != number.quantize(CENT):
        raise ValidationError({field: _("%(l)s最多保留两位小数。") % {"l": label}})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: _("%(l)s必须大于 0。") % {"l": label}})
    if number >= Decimal("1e12"):
        raise ValidationError({field: _("%(l)s过大。") % {"l": label}})
    return number


def text(value, field, label, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return value


def settings_for(center_id) -> FinanceSettings:
    found, _created = FinanceSettings.objects.get_or_create(center_id=center_id)
    return found
