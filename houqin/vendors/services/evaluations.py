"""Scoring sheets (考核表) and periodic evaluations of vendors.

An evaluation scores every item of the sheet: items marked `from_duties` are scored by the
duty engine (points × the vendor's on-time rate of its duty tasks in the period), the others
by the evaluator (0..points). A total below the sheet's threshold flags the period's payment
and tells the center's finance officers and vendor managers.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.summary import compliance
from houqin.core.notifications.services import notify
from houqin.core.roles import Role

from ..models import EvaluationItem, EvaluationScore, EvaluationSheet, Vendor, VendorEvaluation
from .common import number, require
from .common import text as clean_text

TENTH = Decimal("0.1")
MAX_TOTAL = Decimal(100)


# ----------------------------------------------------------------------------- periods
def period_bounds(period, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter containing `day`: (first day, last day)."""
    if period == EvaluationSheet.Period.QUARTERLY:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, first_month, 1)
        last_month = first_month + 2
    else:
        start = day.replace(day=1)
        last_month = day.month
    end = dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return start, end


def last_finished_period(period, today: dt.date) -> tuple[dt.date, dt.date]:
    """The latest month or quarter that has ended by `today`."""
    start, _end = period_bounds(period, today)
    return period_bounds(period, start - dt.timedelta(days=1))


# ---------------------------------------------------------------------------- duty rate
@dataclass
class DutyRate:
    due: int = 0
    on_time: int = 0

    @property
    def rate(self) -> Decimal | None:
        """On time ÷ due as a fraction (None when nothing was due)."""
        return None if not self.due else Decimal(self.on_time) / Decimal(self.due)

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(TENTH, ROUND_HALF_UP)


def duty_rows(vendor, start: dt.date, end: dt.date, *, now=None):
    """The duties board's compliance rows (houqin.core.duties.summary.compliance) of the plans
    whose 外包单位 is `vendor`, for the days start..end (inclusive)."""
    rows = compliance(vendor.center_id, start, end + dt.timedelta(days=1), now=now)
    return [row for row in rows if row.plan is not None and row.plan.vendor_name == vendor.name]


def duty_rate(vendor, start: dt.date, end: dt.date, *, now=None) -> DutyRate:
    """Tasks of the vendor's duty plans due in the period: how many, how many done on time."""
    result = DutyRate()
    for row in duty_rows(vendor, start, end, now=now):
        result.due += row.due
        result.on_time += row.done_on_time
    return result


# ------------------------------------------------------------------------------ sheets
def sheet_used(sheet) -> bool:
    return VendorEvaluation.objects.filter(sheet=sheet).exists()


def _frozen(sheet):
    if sheet_used(sheet):
        raise ValidationError(_("该考核表已用于考核，考核项目不能再修改。"))


@transaction.atomic
def sheet_save(
    *,
    actor,
    center,
    sheet=None,
    name,
    period,
    threshold,
    vendor_kind="",
    is_active=True,
):
    center_id = sheet.center_id if sheet else getattr(center, "pk", center)
    require(
        actor,
        center_id,
        "vendors.change_evaluationsheet" if sheet else "vendors.add_evaluationsheet",
    )
    name = clean_text(name, "name", _("考核表名称"), 100, required=True)
    if period not in EvaluationSheet.Period.values:
        raise ValidationError({"period": _("请选择考核周期。")})
    vendor_kind = vendor_kind or ""
    if vendor_kind and vendor_kind not in Vendor.Kind.values:
        raise ValidationError({"vendor_kind": _("请选择适用服务类别。")})
    threshold = number(threshold, "threshold", _("合格分数"), positive=True, maximum=MAX_TOTAL)
    clash = EvaluationSheet.objects.filter(center_id=center_id, name=name)
    if sheet:
        clash = clash.exclude(pk=sheet.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名的考核表。")})
    if sheet is not None and sheet_used(sheet):
        changed = (
            sheet.period != period
            or sheet.threshold != threshold
            or sheet.vendor_kind != vendor_kind
        )
        if changed:
            raise ValidationError(
                _("该考核表已用于考核，只能修改名称和启用状态；如需调整请新建考核表。")
            )
    if sheet is None:
        sheet = EvaluationSheet(center_id=center_id)
    sheet.name, sheet.period, sheet.threshold = name, period, threshold
    sheet.vendor_kind, sheet.is_active = vendor_kind, bool(is_active)
    sheet.save()
    return sheet


@transaction.atomic
def item_add(*, actor, sheet, text, points, from_duties=False, order=None):
    """Add an item; the items' points add up to at most 100."""
    require(actor, sheet.center_id, "vendors.add_evaluationitem")
    sheet = EvaluationSheet.objects.select_for_update().get(pk=sheet.pk)
    _frozen(sheet)
    text = clean_text(text, "text", _("考核内容"), 200, required=True)
    points = number(points, "points", _("分值"), positive=True, maximum=MAX_TOTAL)
    used = Decimal(sheet.items.aggregate(s=Sum("points"))["s"] or 0).quantize(TENTH)
    if used + points > MAX_TOTAL:
        raise ValidationError(
            {
                "points": _("各项分值合计不能超过 100 分（已有 %(u)s 分，最多还能设 %(r)s 分）。")
                % {"u": used, "r": MAX_TOTAL - used}
            }
        )
    if from_duties and sheet.items.filter(from_duties=True).exists():
        raise ValidationError({"from_duties": _("每张考核表只能有一项按责任事项完成率计分。")})
    if order is None:
        order = sheet.items.count() + 1
    return EvaluationItem.objects.create(
        sheet=sheet, text=text, points=points, from_duties=bool(from_duties), order=order
    )


@transaction.atomic
def item_delete(*, actor, item):
    require(actor, item.sheet.center_id, "vendors.delete_evaluationitem")
    _frozen(item.sheet)
    item.delete()


# ------------------------------------------------------------------------- evaluations
def _recipients(center_id):
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__center_id=center_id,
            role_assignments__role__in=[Role.FINANCE_OFFICER, Role.VENDOR_MANAGER],
        )
        .distinct()
    )


def _score(value, item):
    field = f"item_{item.pk}"
    if value is None or value == "":
        raise ValidationError({field: _("请为“%(t)s”打分。") % {"t": item.text}})
    score = number(value, field, item.text)
    if score > item.points:
        raise ValidationError(
            {
                field: _("“%(t)s”的得分不能超过该项分值 %(p)s 分。")
                % {"t": item.text, "p": item.points}
            }
        )
    return score


def duty_score(item, rate: DutyRate) -> Decimal:
    """points × on-time rate, to one decimal; full points when nothing was due."""
    if rate.rate is None:
        return item.points
    return (item.points * rate.rate).quantize(TENTH, ROUND_HALF_UP)


@transaction.atomic
def evaluation_record(
    *,
    actor,
    vendor,
    sheet,
    period_start,
    period_end,
    points,
    comment="",
    contract=None,
    notes=None,
):
    """Score `vendor` on `sheet` for the period. `points`: {item pk: score} for the items
    not scored from duties; `notes`: optional {item pk: 扣分说明}."""
    center_id = vendor.center_id
    require(actor, center_id, "vendors.add_vendorevaluation")
    if sheet.center_id != center_id:
        raise ValidationError({"sheet": _("请选择本中心的考核表。")})
    if not sheet.is_active:
        raise ValidationError({"sheet": _("该考核表已停用。")})
    if sheet.vendor_kind and sheet.vendor_kind != vendor.kind:
        raise ValidationError(
            {"sheet": _("该考核表适用于%(k)s单位。") % {"k": Vendor.Kind(sheet.vendor_kind).label}}
        )
    if not isinstance(period_start, dt.date):
        raise ValidationError({"period_start": _("请填写考核期间起。")})
    if not isinstance(period_end, dt.date):
        raise ValidationError({"period_end": _("请填写考核期间止。")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("考核期间止不能早于考核期间起。")})
    if period_start > timezone.localdate():
        raise ValidationError({"period_start": _("考核期间尚未开始。")})
    if contract is not None and contract.vendor_id != vendor.pk:
        raise ValidationError({"contract": _("请选择该单位的合同。")})
    comment = clean_text(comment, "comment", _("考核意见"), 2000)
    if VendorEvaluation.objects.filter(
        vendor=vendor, sheet=sheet, period_start=period_start
    ).exists():
        raise ValidationError({"period_start": _("该单位本期已按此考核表考核过。")})
    items = list(sheet.items.all())
    if not items:
        raise ValidationError({"sheet": _("该考核表还没有考核项目。")})
    points = {str(k): v for k, v in (points or {}).items()}
    notes = {str(k): v for k, v in (notes or {}).items()}
    rate = duty_rate(vendor, period_start, period_end)
    scores = []
    for item in items:
        if item.from_duties:
            value = duty_score(item, rate)
            note = (
                _("责任事项按时完成 %(ok)s/%(due)s") % {"ok": rate.on_time, "due": rate.due}
                if rate.due
                else _("本期无到期责任事项")
            )
        else:
            value = _score(points.get(str(item.pk)), item)
            note = clean_text(notes.get(str(item.pk)), f"note_{item.pk}", _("扣分说明"), 200)
        scores.append(EvaluationScore(item=item, points=value, note=note))
    total = sum((s.points for s in scores), Decimal(0)).quantize(TENTH)
    evaluation = VendorEvaluation.objects.create(
        center_id=center_id,
        vendor=vendor,
        contract=contract,
        sheet=sheet,
        period_start=period_start,
        period_end=period_end,
        total=total,
        duty_rate=rate.percent,
        payment_flagged=total < sheet.threshold,
        comment=comment,
        evaluated_by=actor,
    )
    for score in scores:
        score.evaluation = evaluation
    EvaluationScore.objects.bulk_create(scores)
    if evaluation.payment_flagged:
        notify(
            recipients=_recipients(center_id),
            kind="vendors.payment_flagged",
            title=_("%(v)s %(s)s 至 %(e)s 考核 %(t)s 分，低于合格分 %(h)s 分，付款预警")
            % {
                "v": vendor.name,
                "s": f"{period_start:%Y-%m-%d}",
                "e": f"{period_end:%Y-%m-%d}",
                "t": total,
                "h": sheet.threshold,
            },
            body=comment,
            url=reverse("vendors:evaluation_detail", args=[evaluation.pk]),
            obj=evaluation,
            actor=actor,
        )
    return evaluation
