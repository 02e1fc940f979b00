"""Effective-dated area standards (面积标准).

The limits are national regulations (发改投资〔2014〕2674号 and its successors), shared by every
center, so adding one needs `space.add_areastandard`, which no role grants: only a superuser
(the system operator) records a new standard. A standard is never edited or deleted in place:
a change is a new row with a later effective date, so past years stay judged by their own
standard (compliance.standards_on)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from houqin.org.models import Rank

from ..models import AreaStandard
from .common import area, text

ADD_PERM = "space.add_areastandard"
# The field holds 6 digits with 2 decimals; no rank comes anywhere near this anyway.
MAX_LIMIT = Decimal("9999.99")


def _duplicate(rank, day, existing=None):
    message = _("“%(r)s”在 %(d)s 已有面积标准%(a)s，同一职级同一生效日期只能有一条。") % {
        "r": rank,
        "d": f"{day:%Y-%m-%d}",
        "a": f"（{existing}㎡）" if existing is not None else "",
    }
    return ValidationError({"effective_from": message})


@transaction.atomic
def area_standard_create(*, actor, rank, area_limit, effective_from, basis) -> AreaStandard:
    if actor is not None and not actor.has_perm(ADD_PERM):
        raise PermissionDenied(_("面积标准依据国家规定统一设置，只有系统管理员可以新增。"))
    if not isinstance(rank, Rank):
        raise ValidationError({"rank": _("请选择职级。")})
    if not rank.is_active:
        raise ValidationError({"rank": _("职级“%(r)s”已停用，不能新增面积标准。") % {"r": rank}})
    limit = area(area_limit, "area_limit", _("面积上限"), max_value=MAX_LIMIT)
    if isinstance(effective_from, dt.datetime):
        effective_from = effective_from.date()
    if not isinstance(effective_from, dt.date):
        raise ValidationError({"effective_from": _("请填写生效日期。")})
    basis = text(basis, "basis", _("依据"), 100, required=True)
    existing = (
        AreaStandard.objects.filter(rank=rank, effective_from=effective_from)
        .values_list("area_limit", flat=True)
        .first()
    )
    if existing is not None:
        raise _duplicate(rank, effective_from, existing)
    try:
        # A savepoint: a concurrent insert of the same (rank, date) loses cleanly.
        with transaction.atomic():
            return AreaStandard.objects.create(
                rank=rank, area_limit=limit, effective_from=effective_from, basis=basis
            )
    except IntegrityError:
        raise _duplicate(rank, effective_from) from None
