"""The energy register: public institutions in scope with their base data per year, meters
(sub-meters of a main meter), the five-year targets, and the monthly entry grid (one month's
readings of many meters in one transaction).

Rules (Chinese messages by field, nothing written on error):
- institution: name unique in the center; the agency it stands for is an agency of the center,
  its building one of the center's;
- base data of a year: floor area > 0 with at most two decimals, headcount > 0, establishment
  ≥ 0; once per institution and year;
- meter: code unique in the center; a parent meter is of the same institution and kind, not the
  meter itself nor one of its sub-meters; kind and mode are fixed once it has readings (the
  consumption already computed depends on them); a meter with sub-meters keeps its institution
  and kind; a main meter is stopped only after its active sub-meters;
- target: base year before the target year, reductions between 0 and 100 %, once per target
  year.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.org.models import OrgUnit

from ..models import EnergyKind, EnergyTarget, Institution, InstitutionYear, Meter, MeterReading
from . import readings as reading_services
from .common import number, require_manager, text

MIN_YEAR, MAX_YEAR = 2000, 2100
HUNDRED = Decimal("100")
MAX_AREA = Decimal("99999999.99")
MAX_PEOPLE = 1_000_000


def _year(value, field, label):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(l)s必须是年份，如 2026。") % {"l": label}}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {field: _("%(l)s应在 %(a)s—%(b)s 之间。") % {"l": label, "a": MIN_YEAR, "b": MAX_YEAR}}
        )
    return year


def _count(value, field, label, *, positive):
    try:
        count = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(l)s必须是整数。") % {"l": label}}) from None
    if count < 0 or (positive and count == 0):
        message = _("%(l)s必须大于 0。") if positive else _("%(l)s不能为负数。")
        raise ValidationError({field: message % {"l": label}})
    if count > MAX_PEOPLE:
        raise ValidationError({field: _("%(l)s过大。") % {"l": label}})
    return count


# ------------------------------------------------------------------ institutions


@transaction.atomic
def institution_save(
    *, actor, center, name, agency=None, building=None, is_active=True, institution=None
) -> Institution:
    """Create (institution=None) or change a public institution in scope."""
    perm = "energy.change_institution" if institution else "energy.add_institution"
    require_manager(actor, center.pk, perm)
    if institution is not None and institution.center_id != center.pk:
        raise ValidationError(_("该公共机构不属于本中心。"))
    name = text(name, "name", _("单位名称"), 100, required=True)
    if agency is not None and (agency.center_id != center.pk or agency.kind != OrgUnit.Kind.AGENCY):
        raise ValidationError({"agency": _("请选择本中心服务的部门/单位。")})
    if building is not None and building.center_id != center.pk:
        raise ValidationError({"building": _("请选择本中心的办公楼。")})
    clash = Institution.objects.filter(center=center, name=name)
    if institution is not None:
        clash = clash.exclude(pk=institution.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有名为“%(n)s”的公共机构。") % {"n": name}})
    institution = institution or Institution(center=center)
    institution.name, institution.agency, institution.building = name, agency, building
    institution.is_active = bool(is_active)
    institution.save()
    return institution


@transaction.atomic
def institution_year_save(
    *, actor, institution, year, floor_area, headcount, establishment=0, record=None
) -> InstitutionYear:
    """The survey base data of one year (建筑面积, 用能人数, 编制人数): add a year
    (record=None) or correct one."""
    perm = "energy.change_institutionyear" if record else "energy.add_institutionyear"
    require_manager(actor, institution.center_id, perm)
    if record is not None and record.institution_id != institution.pk:
        raise ValidationError(_("该年度数据不属于此公共机构。"))
    year = _year(year, "year", _("年度"))
    if year > timezone.localdate().year + 1:
        raise ValidationError({"year": _("年度不能晚于明年。")})
    floor_area = number(
        floor_area, "floor_area", _("建筑面积"), places=2, positive=True, maximum=MAX_AREA
    )
    headcount = _count(headcount, "headcount", _("用能人数"), positive=True)
    establishment = _count(establishment or 0, "establishment", _("编制人数"), positive=False)
    clash = InstitutionYear.objects.filter(institution=institution, year=year)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    if clash.exists():
        raise ValidationError(
            {"year": _("%(y)s 年的基础数据已录入，请在列表中点“修改”。") % {"y": year}}
        )
    record = record or InstitutionYear(institution=institution)
    record.year, record.floor_area = year, floor_area
    record.headcount, record.establishment = headcount, establishment
    record.save()
    return record


# ------------------------------------------------------------------ meters


def _descendant_ids(meter) -> set:
    """The pks of the meter's sub-meters, their sub-meters, … (one query per level)."""
    found, level = set(), {meter.pk}
    while level:
        level = set(
            Meter.objects.filter(parent_id__in=level)
            .exclude(pk__in=found | {meter.pk})
            .values_list("pk", flat=True)
        )
        found |= level
    return found


@transaction.atomic
def meter_save(
    *, actor, center, institution, kind, code, name, mode, parent=None, meter=None
) -> Meter:
    """Register a meter (meter=None) or change one."""
    perm = "energy.change_meter" if meter else "energy.add_meter"
    require_manager(actor, center.pk, perm)
    if meter is not None:
        meter = Meter.objects.select_for_update().get(pk=meter.pk)
        if meter.center_id != center.pk:
            raise ValidationError(_("该计量表不属于本中心。"))
    if institution is None or institution.center_id != center.pk:
        raise ValidationError({"institution": _("请选择本中心的公共机构。")})
    if kind not in EnergyKind.values:
        raise ValidationError({"kind": _("请选择能源品种。")})
    if mode not in Meter.Mode.values:
        raise ValidationError({"mode": _("请选择录入方式。")})
    code = text(code, "code", _("表计编号"), 40, required=True)
    name = text(name, "name", _("名称/位置"), 100, required=True)
    clash = Meter.objects.filter(center=center, code__iexact=code)
    if meter is not None:
        clash = clash.exclude(pk=meter.pk)
    if clash.exists():
        raise ValidationError({"code": _("本中心已有编号为“%(c)s”的计量表。") % {"c": code}})
    if meter is not None:
        has_readings = MeterReading.objects.filter(meter=meter).exists()
        if has_readings and kind != meter.kind:
            raise ValidationError({"kind": _("该表已有抄表记录，不能更改能源品种。")})
        if has_readings and mode != meter.mode:
            raise ValidationError({"mode": _("该表已有抄表记录，不能更改录入方式。")})
        if (kind != meter.kind or institution.pk != meter.institution_id) and (
            Meter.objects.filter(parent=meter).exists()
        ):
            raise ValidationError({"institution": _("该表下有分表，不能更改公共机构或能源品种。")})
    if parent is not None:
        if parent.center_id != center.pk:
            raise ValidationError({"parent": _("请选择本中心的计量表。")})
        if meter is not None and parent.pk == meter.pk:
            raise ValidationError({"parent": _("上级总表不能是本表自己。")})
        if parent.institution_id != institution.pk:
            raise ValidationError({"parent": _("上级总表须属于同一公共机构。")})
        if parent.kind != kind:
            raise ValidationError({"parent": _("上级总表须为同一能源品种。")})
        if meter is not None and parent.pk in _descendant_ids(meter):
            raise ValidationError({"parent": _("上级总表不能是本表的分表。")})
    meter = meter or Meter(center=center)
    meter.institution, meter.kind, meter.mode, meter.parent = institution, kind, mode, parent
    meter.code, meter.name = code, name
    meter.save()
    return meter


@transaction.atomic
def meter_deactivate(*, actor, meter) -> Meter:
    """停用: the meter leaves the entry grid; its readings stay in the statistics."""
    require_manager(actor, meter.center_id)
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    if not meter.is_active:
        raise ValidationError(_("该表已停用。"))
    children = list(
        Meter.objects.filter(parent=meter, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if children:
        raise ValidationError(
            _("该表下还有启用的分表（%(c)s），请先停用分表。") % {"c": "、".join(children)}
        )
    meter.is_active = False
    meter.save(update_fields=["is_active", "updated_at"])
    return meter


@transaction.atomic
def meter_reactivate(*, actor, meter) -> Meter:
    """重新启用 a stopped meter (its parent, if any, must be in use)."""
    require_manager(actor, meter.center_id)
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    if meter.is_active:
        raise ValidationError(_("该表正在使用。"))
    if meter.parent is not None and not meter.parent.is_active:
        raise ValidationError(_("上级总表 %(p)s 已停用，请先启用总表。") % {"p": meter.parent})
    meter.is_active = True
    meter.save(update_fields=["is_active", "updated_at"])
    return meter


# ------------------------------------------------------------------ monthly entry grid


def _same(recorded, typed) -> bool:
    if recorded is None:
        return False
    try:
        return Decimal(typed) == recorded
    except (InvalidOperation, ValueError):
        return False


@transaction.atomic
def readings_enter(*, actor, center, month, values) -> list[MeterReading]:
    """The monthly entry grid: `values` maps meters to the text typed for `month`. Blank
    entries and values equal to the one already recorded are skipped (re-saving the grid does
    not undo a confirmation); every other one goes through reading_record. One bad value and
    nothing is saved: the ValidationError is keyed ``value_<meter pk>`` for each bad entry."""
    require_manager(actor, center.pk, reading_services.EDIT_PERM)
    month = reading_services.month_start(month)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("不能录入以后月份的读数。")})
    entered = {meter: str(raw).strip() for meter, raw in values.items() if str(raw or "").strip()}
    existing = dict(
        MeterReading.objects.filter(meter__in=list(entered), month=month).values_list(
            "meter_id", "value"
        )
    )
    errors, saved = {}, []
    for meter in sorted(entered, key=lambda m: m.pk):
        field = f"value_{meter.pk}"
        if meter.center_id != center.pk:
            errors[field] = [_("该计量表不属于本中心。")]
            continue
        if _same(existing.get(meter.pk), entered[meter]):
            continue
        try:
            saved.append(
                reading_services.reading_record(
                    actor=actor, meter=meter, month=month, value=entered[meter]
                )
            )
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return saved


# ------------------------------------------------------------------ targets


@transaction.atomic
def target_save(
    *, actor, center, base_year, target_year, per_area_pct, per_capita_pct, water_pct, target=None
) -> EnergyTarget:
    """A five-year target: the reductions (%) of the three indicators in the target year
    against the base year (e.g. 2020 → 2025: 5 / 6 / 6)."""
    perm = "energy.change_energytarget" if target else "energy.add_energytarget"
    require_manager(actor, center.pk, perm)
    if target is not None and target.center_id != center.pk:
        raise ValidationError(_("该目标不属于本中心。"))
    base_year = _year(base_year, "base_year", _("基准年"))
    target_year = _year(target_year, "target_year", _("目标年"))
    if target_year <= base_year:
        raise ValidationError({"target_year": _("目标年须晚于基准年。")})
    pcts = {}
    for field, label, value in (
        ("per_area_pct", _("单位面积能耗下降"), per_area_pct),
        ("per_capita_pct", _("人均综合能耗下降"), per_capita_pct),
        ("water_pct", _("人均用水量下降"), water_pct),
    ):
        pcts[field] = number(value, field, label, places=2, maximum=HUNDRED)
    clash = EnergyTarget.objects.filter(center=center, target_year=target_year)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError(
            {"target_year": _("已有目标年为 %(y)s 年的节能目标。") % {"y": target_year}}
        )
    target = target or EnergyTarget(center=center)
    target.base_year, target.target_year = base_year, target_year
    for field, value in pcts.items():
        setattr(target, field, value)
    target.save()
    return target


def previous_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before `today` (default: today in Asia/Shanghai)."""
    first = (today or timezone.localdate()).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)
