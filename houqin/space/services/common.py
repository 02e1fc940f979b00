"""Checks shared by the space services."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from houqin.org.models import OrgUnit

EDIT_PERM = "space.change_spaceroom"
CENT = Decimal("0.01")


def require_manager(actor, center_id, perm=EDIT_PERM):
    """Only the center's space managers write; views have already hidden other centers."""
    if actor is None:  # demo data and management commands
        return
    if actor.center_id != center_id or not actor.has_perm(perm):
        raise PermissionDenied(_("只有办公用房管理员可以执行此操作。"))


def area(value, field, label, *, allow_zero=False, max_value=Decimal("999999.99")):
    """A positive area (or amount) with at most two decimals, as Decimal."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(l)s必须是数字。") % {"l": label}})
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError({field: _("%(l)s最多保留两位小数。") % {"l": label}})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: _("%(l)s必须大于 0。") % {"l": label}})
    if number > max_value:
        raise ValidationError({field: _("%(l)s过大。") % {"l": label}})
    return number.quantize(CENT)


def text(value, field, label, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return value


def user_unit(unit, center_id, field="agency"):
    """An agency (or the center itself) of this center that may hold rooms."""
    if (
        unit is None
        or unit.kind not in (OrgUnit.Kind.AGENCY, OrgUnit.Kind.CENTER)
        or unit.center_id_value != center_id
    ):
        raise ValidationError({field: _("请选择本中心的部门/单位。")})
    if not unit.is_active:
        raise ValidationError({field: _("“%(u)s”已停用，不能分配用房。") % {"u": unit}})
    return unit
