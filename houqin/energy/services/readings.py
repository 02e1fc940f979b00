"""Monthly meter readings, by hand or from an xlsx file.

A register meter's consumption is this reading minus the previous month's. Suspicious entries
are saved but flagged 待核实 and left out of nothing — they count as entered — until confirmed:
a reading lower than the last one (meter replaced or mistyped: its consumption is unknown and
counted as 0 until someone confirms it with the right figure), or a month more than three times
the usual (the mean of the up to 12 months before).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.core.xlsx import Column, read_table

from ..models import Meter, MeterReading

EDIT_PERM = "energy.change_meterreading"
SPIKE = Decimal("3")
HISTORY_MONTHS = 12
CENT = Decimal("0.01")


def _require(actor, center_id):
    if actor is None:
        return
    if actor.center_id != center_id or not actor.has_perm(EDIT_PERM):
        raise PermissionDenied(_("只有节能管理员可以录入能耗数据。"))


def month_start(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError({"month": _("月份格式应为 YYYY-MM，如 2026-03。")}) from None


def _amount(value, field="value"):
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("读数/用量必须是数字。")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("读数/用量不能为负数。")})
    if number != number.quantize(CENT):
        raise ValidationError({field: _("读数/用量最多保留两位小数。")})
    if number >= Decimal("1e12"):
        raise ValidationError({field: _("读数/用量过大。")})
    return number


def _assess(meter, month, value):
    """(consumption, flag reason) for `value` entered for `month`."""
    earlier = list(
        MeterReading.objects.filter(meter=meter, month__lt=month).order_by("-month")[
            :HISTORY_MONTHS
        ]
    )
    reason = ""
    if meter.mode == Meter.Mode.REGISTER:
        if not earlier:
            # The first reading only sets the register: nothing consumed yet.
            return Decimal("0.00"), ""
        consumption = value - earlier[0].value
        if consumption < 0:
            return Decimal("0.00"), _("读数 %(v)s 小于上月读数 %(p)s，请核实（是否换表）。") % {
                "v": value,
                "p": earlier[0].value,
            }
    else:
        consumption = value
    usual = [r.consumption for r in earlier if not r.flagged]
    if usual:
        mean = sum(usual, Decimal(0)) / len(usual)
        if mean > 0 and consumption > SPIKE * mean:
            reason = _("用量 %(c)s 超过此前月均 %(m)s 的 3 倍，请核实。") % {
                "c": consumption,
                "m": mean.quantize(CENT),
            }
    return consumption, reason


@transaction.atomic
def reading_record(*, actor, meter, month, value) -> MeterReading:
    """Enter (or correct) a meter's reading for a month. The next month's consumption of a
    register meter is recomputed from it."""
    _require(actor, meter.center_id)
    month = month_start(month)
    value = _amount(value)
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    if not meter.is_active:
        raise ValidationError(_("计量表 %(m)s 已停用。") % {"m": meter})
    consumption, reason = _assess(meter, month, value)
    reading, _created = MeterReading.objects.update_or_create(
        meter=meter,
        month=month,
        defaults={
            "value": value,
            "consumption": consumption,
            "flagged": bool(reason),
            "flag_reason": reason,
            "confirmed_by": None,
            "entered_by": actor,
        },
    )
    following = MeterReading.objects.filter(meter=meter, month__gt=month).order_by("month").first()
    if (
        following is not None
        and meter.mode == Meter.Mode.REGISTER
        and not following.confirmed_by_id
    ):
        following.consumption, following.flag_reason = _assess(
            meter, following.month, following.value
        )
        following.flagged = bool(following.flag_reason)
        following.save(update_fields=["consumption", "flagged", "flag_reason", "updated_at"])
    return reading


@transaction.atomic
def reading_confirm(*, actor, reading, consumption=None) -> MeterReading:
    """核实: accept a flagged reading, with the true consumption where it was unknown."""
    reading = MeterReading.objects.select_for_update().select_related("meter").get(pk=reading.pk)
    _require(actor, reading.meter.center_id)
    if not reading.flagged:
        raise ValidationError(_("该记录无需核实。"))
    if consumption is not None:
        reading.consumption = _amount(consumption, "consumption")
    reading.flagged = False
    reading.flag_reason = ""
    reading.confirmed_by = actor
    reading.save(
        update_fields=["consumption", "flagged", "flag_reason", "confirmed_by", "updated_at"]
    )
    return reading


COLUMNS = [
    Column("code", _("表计编号"), required=True, width=16),
    Column("month", _("月份"), required=True, help="YYYY-MM", width=10),
    Column("value", _("读数/用量"), required=True, width=14),
]


class ImportRowsError(ValidationError):
    """Row errors of an import: `rows` is [(row number, message)]; nothing was written."""

    def __init__(self, rows):
        self.rows = rows
        super().__init__([f"第 {n} 行：{message}" for n, message in rows])


@transaction.atomic
def readings_import(*, actor, center, uploaded) -> int:
    """Many readings at once from xlsx (表计编号, 月份, 读数/用量): the whole file is checked
    first and written only when every row is right. Rows are applied in month order."""
    _require(actor, center.pk)
    rows = read_table(uploaded, COLUMNS)
    meters = {m.code: m for m in Meter.objects.filter(center=center)}
    errors, parsed, seen = [], [], set()
    for row in rows:
        n = row["_row"]
        meter = meters.get(row["code"].strip())
        if meter is None:
            errors.append((n, _("没有编号为“%(c)s”的计量表。") % {"c": row["code"]}))
            continue
        try:
            month = month_start(row["month"])
            value = _amount(row["value"])
        except ValidationError as exc:
            errors.append((n, "；".join(exc.messages)))
            continue
        if (meter.pk, month) in seen:
            errors.append((n, _("与前面的行重复（同一表计同一月份）。")))
            continue
        if not meter.is_active:
            errors.append((n, _("计量表 %(m)s 已停用。") % {"m": meter.code}))
            continue
        seen.add((meter.pk, month))
        parsed.append((month, meter, value))
    if errors:
        raise ImportRowsError(errors)
    for month, meter, value in sorted(parsed, key=lambda item: (item[0], item[1].pk)):
        reading_record(actor=actor, meter=meter, month=month, value=value)
    return len(parsed)
