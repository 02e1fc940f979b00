"""Fixed assets (固定资产): cards, transfers between custodians, the annual count (盘点) with
its differences, and disposal through the shared approval flow (request type
"finance.disposal"; hooks.py reacts to the decision: approved → disposed with the date,
rejected/cancelled → back to idle)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.approvals.services import approval_submit

from ..models import (
    AssetClass,
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    AssetTransfer,
    FixedAsset,
)
from .common import money, require_finance, text

REQUEST_TYPE = "finance.disposal"
ASSET_PERM = "finance.change_fixedasset"
COUNT_PERM = "finance.change_assetcount"
DISPOSAL_PERM = "finance.add_assetdisposal"


def _unit_of_center(unit, center_id):
    return unit is not None and unit.center_id_value == center_id


def _custodian(agency, custodian, center_id):
    """The custodian agency must be of the center; the person must work in it (or a unit
    below it)."""
    if not _unit_of_center(agency, center_id):
        raise ValidationError({"custodian_agency": _("请选择本中心的使用单位。")})
    if custodian is None:
        return
    if custodian.center_id != center_id or not (
        custodian.agency_id == agency.pk or custodian.agency.path.startswith(agency.path)
    ):
        raise ValidationError({"custodian": _("保管人应是使用单位的人员。")})


@transaction.atomic
def asset_save(
    *,
    actor,
    center,
    code,
    name,
    asset_class,
    value,
    purchase_date,
    custodian_agency,
    custodian=None,
    model="",
    location="",
    status=FixedAsset.Status.IN_USE,
    equipment=None,
    asset=None,
) -> FixedAsset:
    """新增/修改资产卡片. Status here is only 在用/闲置: disposal goes through approval."""
    require_finance(actor, center.pk, ASSET_PERM)
    if asset is not None:
        asset = FixedAsset.objects.select_for_update().get(pk=asset.pk)
        if asset.status in (FixedAsset.Status.DISPOSING, FixedAsset.Status.DISPOSED):
            raise ValidationError(_("处置审批中或已处置的资产不能修改。"))
    code = text(code, "code", _("资产编号"), 40, required=True)
    others = FixedAsset.objects.filter(center=center, code=code)
    if asset is not None:
        others = others.exclude(pk=asset.pk)
    if others.exists():
        raise ValidationError({"code": _("本中心已有编号为 %(c)s 的资产。") % {"c": code}})
    if asset_class not in AssetClass.values:
        raise ValidationError({"asset_class": _("请选择资产分类。")})
    if status not in (FixedAsset.Status.IN_USE, FixedAsset.Status.IDLE):
        raise ValidationError({"status": _("请选择“在用”或“闲置”；处置请提交处置申请。")})
    if purchase_date is None:
        raise ValidationError({"purchase_date": _("请填写取得日期。")})
    if purchase_date > timezone.localdate():
        raise ValidationError({"purchase_date": _("取得日期不能晚于今天。")})
    _custodian(custodian_agency, custodian, center.pk)
    if equipment is not None:
        if equipment.center_id != center.pk:
            raise ValidationError({"equipment": _("请选择本中心的设备。")})
        linked = FixedAsset.objects.filter(equipment=equipment)
        if asset is not None:
            linked = linked.exclude(pk=asset.pk)
        if linked.exists():
            raise ValidationError({"equipment": _("该设备已关联其他资产卡片。")})
    asset = asset or FixedAsset(center=center)
    asset.code = code
    asset.name = text(name, "name", _("资产名称"), 100, required=True)
    asset.asset_class = asset_class
    asset.model = text(model, "model", _("规格型号"), 100)
    asset.value = money(value, "value", _("原值"), allow_zero=True)
    asset.purchase_date = purchase_date
    asset.custodian_agency, asset.custodian = custodian_agency, custodian
    asset.location = text(location, "location", _("存放地点"), 100)
    asset.status = status
    asset.equipment = equipment
    asset.save()
    return asset


@transaction.atomic
def asset_transfer(
    *, actor, asset, date, to_agency, to_custodian=None, to_location="", reason=""
) -> AssetTransfer:
    """调拨: from the current custodian to the new one; the card follows."""
    asset = FixedAsset.objects.select_for_update().get(pk=asset.pk)
    require_finance(actor, asset.center_id, ASSET_PERM)
    if asset.status in (FixedAsset.Status.DISPOSING, FixedAsset.Status.DISPOSED):
        raise ValidationError(_("处置审批中或已处置的资产不能调拨。"))
    if date is None:
        raise ValidationError({"date": _("请填写调拨日期。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("调拨日期不能晚于今天。")})
    if date < asset.purchase_date:
        raise ValidationError({"date": _("调拨日期不能早于取得日期。")})
    try:
        _custodian(to_agency, to_custodian, asset.center_id)
    except ValidationError as exc:
        raise ValidationError(
            {
                {"custodian_agency": "to_agency", "custodian": "to_custodian"}[k]: v
                for k, v in exc.message_dict.items()
            }
        ) from None
    to_location = text(to_location, "to_location", _("新存放地点"), 100)
    same_keeper = to_agency.pk == asset.custodian_agency_id and (
        (to_custodian.pk if to_custodian else None) == asset.custodian_id
    )
    if same_keeper and to_location in ("", asset.location):
        raise ValidationError({"to_agency": _("调入单位和保管人与现在相同，无需调拨。")})
    transfer = AssetTransfer.objects.create(
        asset=asset,
        date=date,
        from_agency_id=asset.custodian_agency_id,
        to_agency=to_agency,
        from_custodian_id=asset.custodian_id,
        to_custodian=to_custodian,
        to_location=to_location,
        reason=text(reason, "reason", _("原因"), 200),
        recorded_by=actor,
    )
    asset.custodian_agency, asset.custodian = to_agency, to_custodian
    if to_location:
        asset.location = to_location
    asset.save(update_fields=["custodian_agency", "custodian", "location", "updated_at"])
    return transfer


# ------------------------------------------------------------------ annual count


@transaction.atomic
def count_start(*, actor, center, year, notes="", started_on=None) -> AssetCount:
    """开始年度盘点: one per center and year, a line per asset not disposed."""
    require_finance(actor, center.pk, COUNT_PERM)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("请填写年度。")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000—2100 之间。")})
    if AssetCount.objects.filter(center=center, year=year).exists():
        raise ValidationError({"year": _("%(y)s 年度的盘点已经开始。") % {"y": year}})
    if AssetCount.objects.filter(center=center, status=AssetCount.Status.OPEN).exists():
        raise ValidationError({"year": _("还有未完成的盘点，请先完成。")})
    count = AssetCount.objects.create(
        center=center,
        year=year,
        started_on=started_on or timezone.localdate(),
        notes=text(notes, "notes", _("说明"), 2000),
    )
    assets = FixedAsset.objects.filter(center=center).exclude(status=FixedAsset.Status.DISPOSED)
    AssetCountLine.objects.bulk_create(
        [AssetCountLine(count=count, asset_id=pk) for pk in assets.values_list("pk", flat=True)]
    )
    return count


def _open_count(count):
    count = AssetCount.objects.select_for_update().get(pk=count.pk)
    if count.status != AssetCount.Status.OPEN:
        raise ValidationError(_("该盘点已完成，不能再修改。"))
    return count


RECORDABLE = (
    AssetCountLine.Result.FOUND,
    AssetCountLine.Result.MOVED,
    AssetCountLine.Result.MISSING,
)


@transaction.atomic
def count_line_record(*, actor, line, result, found_location="", note="") -> AssetCountLine:
    """Record what was found for one asset: 账实相符 / 地点不符 (where) / 盘亏."""
    line = AssetCountLine.objects.select_for_update().get(pk=line.pk)
    count = _open_count(line.count)
    require_finance(actor, count.center_id, COUNT_PERM)
    if line.asset_id is None:
        raise ValidationError(_("盘盈资产无需登记结果。"))
    if result not in RECORDABLE:
        raise ValidationError({"result": _("请选择盘点结果。")})
    found_location = text(found_location, "found_location", _("实际地点"), 100)
    if result == AssetCountLine.Result.MOVED and not found_location:
        raise ValidationError({"found_location": _("地点不符时请填写实际地点。")})
    line.result = result
    line.found_location = found_location if result == AssetCountLine.Result.MOVED else ""
    line.note = text(note, "note", _("备注"), 200)
    line.checked_by = actor
    line.save(update_fields=["result", "found_location", "note", "checked_by", "updated_at"])
    return line


@transaction.atomic
def count_add_surplus(*, actor, count, description, found_location="", note="") -> AssetCountLine:
    """盘盈: something found that is not on the register."""
    count = _open_count(count)
    require_finance(actor, count.center_id, COUNT_PERM)
    return AssetCountLine.objects.create(
        count=count,
        asset=None,
        description=text(description, "description", _("盘盈资产说明"), 200, required=True),
        result=AssetCountLine.Result.SURPLUS,
        found_location=text(found_location, "found_location", _("实际地点"), 100),
        note=text(note, "note", _("备注"), 200),
        checked_by=actor,
    )


@transaction.atomic
def count_close(*, actor, count, closed_on=None) -> AssetCount:
    """完成盘点: every line must have a result."""
    count = _open_count(count)
    require_finance(actor, count.center_id, COUNT_PERM)
    pending = count.lines.filter(result=AssetCountLine.Result.PENDING).count()
    if pending:
        raise ValidationError(_("还有 %(n)s 项资产未盘点，全部盘点后才能完成。") % {"n": pending})
    closed_on = closed_on or timezone.localdate()
    if closed_on < count.started_on:
        raise ValidationError({"closed_on": _("完成日期不能早于开始日期。")})
    count.status, count.closed_on = AssetCount.Status.CLOSED, closed_on
    count.save(update_fields=["status", "closed_on", "updated_at"])
    return count


@dataclass
class CountDifferences:
    total: int = 0
    checked: int = 0
    pending: int = 0
    found: int = 0
    moved: int = 0
    missing: int = 0
    missing_value: Decimal = Decimal("0.00")
    surplus: int = 0
    missing_lines: list = field(default_factory=list)
    moved_lines: list = field(default_factory=list)
    surplus_lines: list = field(default_factory=list)

    @property
    def has_differences(self):
        return bool(self.moved or self.missing or self.surplus)


def count_differences(count) -> CountDifferences:
    """盘点差异: 盘亏 (with the book value total), 地点不符, 盘盈 — in three queries."""
    R = AssetCountLine.Result
    lines = AssetCountLine.objects.filter(count=count)
    diff = CountDifferences()
    for row in lines.values("result").annotate(n=Count("id")).order_by():
        n = row["n"]
        if row["result"] != R.SURPLUS:
            diff.total += n
        setattr(diff, row["result"], n)
    diff.checked = diff.total - diff.pending
    picked = (
        lines.filter(result__in=[R.MISSING, R.MOVED, R.SURPLUS])
        .select_related("asset", "asset__custodian_agency")
        .order_by("asset__code", "id")
    )
    for line in picked:
        if line.result == R.MISSING:
            diff.missing_lines.append(line)
            diff.missing_value += line.asset.value
        elif line.result == R.MOVED:
            diff.moved_lines.append(line)
        else:
            diff.surplus_lines.append(line)
    return diff


# ------------------------------------------------------------------ disposal


@transaction.atomic
def disposal_request(*, actor, asset, method, reason) -> AssetDisposal:
    """申请处置: the asset waits (处置审批中) for the approval flow's decision."""
    asset = FixedAsset.objects.select_for_update().get(pk=asset.pk)
    require_finance(actor, asset.center_id, DISPOSAL_PERM)
    if asset.status == FixedAsset.Status.DISPOSED:
        raise ValidationError(_("该资产已处置。"))
    if asset.status == FixedAsset.Status.DISPOSING:
        raise ValidationError(_("该资产已在处置审批中，请勿重复申请。"))
    if method not in AssetDisposal.Method.values:
        raise ValidationError({"method": _("请选择处置方式。")})
    reason = text(reason, "reason", _("处置原因"), 300, required=True)
    disposal = AssetDisposal.objects.create(
        center_id=asset.center_id,
        asset=asset,
        method=method,
        reason=reason,
        requested_by=actor,
    )
    asset.status = FixedAsset.Status.DISPOSING
    asset.save(update_fields=["status", "updated_at"])
    approval_submit(
        actor=actor,
        obj=disposal,
        request_type=REQUEST_TYPE,
        title=_("资产处置：%(c)s %(n)s（%(m)s）")
        % {"c": asset.code, "n": asset.name, "m": disposal.get_method_display()},
        summary=_("原值 %(v)s 元。%(r)s") % {"v": asset.value, "r": reason},
    )
    return disposal
