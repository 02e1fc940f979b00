"""Writes of the workday calendar."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import HolidayOverride

MAX_RANGE_DAYS = 31


def _clean_name(name):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称，如“国庆节”或“国庆节调休”。")})
    if len(name) > 40:
        raise ValidationError({"name": _("名称最多 40 个字。")})
    return name


def _check_date(value, field="date"):
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: _("请输入有效的日期，如 2027-01-01。")})
    if not 2000 <= value.year <= 2100:
        raise ValidationError({field: _("日期须在 2000 年至 2100 年之间。")})


@transaction.atomic
def holiday_override_set(*, actor, date, is_workday, name):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称，如“国庆节”或“国庆节调休”。")})
    override, _created = HolidayOverride.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name[:40], "created_by": actor}
    )
    return override


@transaction.atomic
def holiday_override_create(*, actor, date, is_workday, name, end_date=None):
    """Enter one day, or each day of [date, end_date] (inclusive, at most 31 days), that is a
    holiday (is_workday=False) or an adjusted workday (True). Refuses dates already entered."""
    _check_date(date)
    name = _clean_name(name)
    end_date = end_date or date
    _check_date(end_date, "end_date")
    if end_date < date:
        raise ValidationError({"end_date": _("截止日期不能早于开始日期。")})
    days = (end_date - date).days + 1
    if days > MAX_RANGE_DAYS:
        raise ValidationError({"end_date": _("一次最多录入 %(n)d 天。") % {"n": MAX_RANGE_DAYS}})
    dates = [date + dt.timedelta(days=i) for i in range(days)]
    taken = list(
        HolidayOverride.objects.filter(date__in=dates)
        .order_by("date")
        .values_list("date", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "date": _("以下日期已有记录，请直接编辑：%(dates)s。")
                % {"dates": "、".join(f"{d:%Y-%m-%d}" for d in taken)}
            }
        )
    try:
        with transaction.atomic():
            # One save per day (not bulk_create) so each row is in the audit log.
            return [
                HolidayOverride.objects.create(
                    date=d, is_workday=bool(is_workday), name=name, created_by=actor
                )
                for d in dates
            ]
    except IntegrityError:  # entered by someone else at the same moment
        raise ValidationError({"date": _("该日期刚刚已被他人录入，请刷新后查看。")}) from None


@transaction.atomic
def holiday_override_update(*, actor, override, date, is_workday, name):
    _check_date(date)
    name = _clean_name(name)
    if HolidayOverride.objects.filter(date=date).exclude(pk=override.pk).exists():
        raise ValidationError(
            {"date": _("%(date)s 已有记录，请直接编辑那一条。") % {"date": f"{date:%Y-%m-%d}"}}
        )
    override.date, override.is_workday, override.name = date, bool(is_workday), name
    override.created_by = actor
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        raise ValidationError({"date": _("该日期刚刚已被他人录入，请刷新后查看。")}) from None
    return override


@transaction.atomic
def holiday_override_delete(*, actor, override):
    override.delete()
