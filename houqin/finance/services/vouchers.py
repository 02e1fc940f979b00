"""Affiliated units' accounting vouchers (凭证移交): the center plans the periods each unit
must hand over (due = period end + the center's `voucher_due_days`), then registers each
handover. A period not handed over after its due date is overdue."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.org.models import OrgUnit

from ..models import VoucherHandover
from .common import require_finance, settings_for, text

PERM = "finance.change_voucherhandover"


def overdue(qs, today=None):
    """The rows of `qs` not handed over whose due date has passed."""
    today = today or timezone.localdate()
    return qs.filter(handed_on__isnull=True, due_date__lt=today)


def is_overdue(voucher, today=None) -> bool:
    today = today or timezone.localdate()
    return voucher.handed_on is None and voucher.due_date < today


@transaction.atomic
def voucher_plan(*, actor, center, units, period_start, period_end) -> list[VoucherHandover]:
    """Create the period's row for each affiliated unit (those already planned are kept)."""
    require_finance(actor, center.pk, PERM)
    units = list(units)
    if not units:
        raise ValidationError({"units": _("请选择单位。")})
    if any(u.kind == OrgUnit.Kind.CENTER or u.center_id != center.pk for u in units):
        raise ValidationError({"units": _("请选择本中心服务的单位。")})
    if period_start is None:
        raise ValidationError({"period_start": _("请填写所属期间起。")})
    if period_end is None:
        raise ValidationError({"period_end": _("请填写所属期间止。")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("所属期间止不能早于期间起。")})
    if (period_end - period_start).days > 366:
        raise ValidationError({"period_end": _("所属期间不能超过一年。")})
    due = period_end + dt.timedelta(days=settings_for(center.pk).voucher_due_days)
    planned = set(
        VoucherHandover.objects.filter(
            unit__in=units, period_start=period_start, period_end=period_end
        ).values_list("unit_id", flat=True)
    )
    try:
        created = VoucherHandover.objects.bulk_create(
            [
                VoucherHandover(
                    center=center,
                    unit=unit,
                    period_start=period_start,
                    period_end=period_end,
                    due_date=due,
                )
                for unit in units
                if unit.pk not in planned
            ]
        )
    except IntegrityError:  # planned by someone else at the same moment
        raise ValidationError(_("该期间的移交计划已存在，请刷新后重试。")) from None
    if not created:
        raise ValidationError({"units": _("所选单位该期间的移交计划已存在。")})
    return created


@transaction.atomic
def voucher_handover(
    *, actor, voucher, voucher_count, volumes, handed_by, handed_on, notes=""
) -> VoucherHandover:
    """登记移交: count, volumes, who handed them; the actor receives them."""
    voucher = VoucherHandover.objects.select_for_update().get(pk=voucher.pk)
    require_finance(actor, voucher.center_id, PERM)
    if voucher.handed_on is not None:
        raise ValidationError(_("该期间的凭证已移交。"))
    if not voucher_count or voucher_count < 1:
        raise ValidationError({"voucher_count": _("凭证张数必须大于 0。")})
    if volumes is not None and volumes < 1:
        raise ValidationError({"volumes": _("册数必须大于 0。")})
    if handed_on is None:
        raise ValidationError({"handed_on": _("请填写移交日期。")})
    if handed_on > timezone.localdate():
        raise ValidationError({"handed_on": _("移交日期不能晚于今天。")})
    if handed_on < voucher.period_start:
        raise ValidationError({"handed_on": _("移交日期不能早于所属期间。")})
    voucher.voucher_count, voucher.volumes = voucher_count, volumes
    voucher.handed_by = text(handed_by, "handed_by", _("移交人"), 40, required=True)
    voucher.handed_on, voucher.received_by = handed_on, actor
    voucher.notes = text(notes, "notes", _("备注"), 200)
    voucher.save()
    return voucher
