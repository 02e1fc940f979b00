"""Checks shared by the vendors services."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

EDIT_PERM = "vendors.change_vendor"


def require(actor, center_id, perm=EDIT_PERM):
    """Only the center's vendor managers write; views have already hidden other centers."""
    if actor is None:  # demo data and management commands
        return
    if actor.center_id != center_id or not actor.has_perm(perm):
        raise PermissionDenied(_("只有外包管理员可以执行此操作。"))


def text(value, field, label, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return value


def number(value, field, label, *, places=1, minimum=Decimal(0), maximum=None, positive=False):
    """A Decimal with at most `places` decimals in [minimum, maximum] (> 0 if `positive`)."""
    if value is None or value == "":
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}}) from None
    if not result.is_finite():
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}})
    quantum = Decimal(1).scaleb(-places)
    if result != result.quantize(quantum):
        raise ValidationError(
            {field: _("%(l)s最多保留 %(n)s 位小数。") % {"l": label, "n": places}}
        )
    if positive and result <= 0:
        raise ValidationError({field: _("%(l)s必须大于 0。") % {"l": label}})
    if result < minimum:
        raise ValidationError({field: _("%(l)s不能小于 %(m)s。") % {"l": label, "m": minimum}})
    if maximum is not None and result > maximum:
        raise ValidationError({field: _("%(l)s不能超过 %(m)s。") % {"l": label, "m": maximum}})
    return result
