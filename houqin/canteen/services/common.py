"""Small checks shared by the canteen services."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def same_center(actor, center_id):
    if actor is not None and actor.center_id != center_id:
        raise PermissionDenied


def require(actor, center_id, perm):
    """The actor works in this center and holds `perm` (a device or the system passes None)."""
    same_center(actor, center_id)
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied


def money(value, field, *, positive=True, maximum=None, label=None):
    """A Decimal in 元 with at most 2 places, or ValidationError({field: Chinese message})."""
    label = label or _("金额")
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: _("请填写有效的%(l)s。") % {"l": label}})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("%(l)s最多保留两位小数。") % {"l": label}})
    if positive and amount <= 0:
        raise ValidationError({field: _("%(l)s必须大于 0。") % {"l": label}})
    if maximum is not None and abs(amount) > maximum:
        raise ValidationError({field: _("%(l)s不能超过 %(m)s 元。") % {"l": label, "m": maximum}})
    return amount.quantize(CENT)
