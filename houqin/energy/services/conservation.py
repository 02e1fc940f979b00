"""节约型机关创建: scoring sheets, campaigns and batches, enrolment, self-assessment and review.

A unit's score is the sum of its item scores, each between 0 and the item's points. The
review decides: at or above the sheet's pass mark (80 by default) the unit passes (创建达标),
below it fails. A liaison or leader of the enrolled agency self-assesses their own unit; the
energy manager can do it for them and alone reviews.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_document
from houqin.org.models import OrgUnit
from houqin.org.scoping import Scope, user_agency

from ..models import (
    CampaignBatch,
    CampaignMeeting,
    ConservationCampaign,
    ConservationUnit,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
    UnitEvidence,
    UnitScore,
)
from .common import number, require_manager, text

EVIDENCE_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx")
MAX_POINTS = Decimal("100")


# ---- scoring sheets ---------------------------------------------------------------------


def sheet_total(sheet) -> Decimal:
    return ScoringItem.objects.filter(area__sheet=sheet).aggregate(t=Sum("points"))["t"] or Decimal(
        0
    )


def _sheet_in_use(sheet):
    return UnitScore.objects.filter(item__area__sheet=sheet).exists()


def sheet_in_use(sheet) -> bool:
    """Scores were given against the sheet: its areas and items are frozen."""
    return _sheet_in_use(sheet)


def _editable(sheet):
    if _sheet_in_use(sheet):
        raise ValidationError(_("评分表已用于评分，不能再修改考核项目。"))


@transaction.atomic
def sheet_create(*, actor, center, name, pass_mark=Decimal(80), description="") -> ScoringSheet:
    require_manager(actor, center.pk)
    name = text(name, "name", _("评分表名称"), 100, required=True)
    if ScoringSheet.objects.filter(center=center, name=name).exists():
        raise ValidationError({"name": _("已有同名评分表。")})
    return ScoringSheet.objects.create(
        center=center,
        name=name,
        pass_mark=number(pass_mark, "pass_mark", _("达标分数"), places=1, positive=True),
        description=text(description, "description", _("说明"), 2000),
    )


@transaction.atomic
def sheet_update(*, actor, sheet, name, pass_mark, description="") -> ScoringSheet:
    require_manager(actor, sheet.center_id)
    name = text(name, "name", _("评分表名称"), 100, required=True)
    if ScoringSheet.objects.filter(center_id=sheet.center_id, name=name).exclude(pk=sheet.pk):
        raise ValidationError({"name": _("已有同名评分表。")})
    pass_mark = number(pass_mark, "pass_mark", _("达标分数"), places=1, positive=True)
    if pass_mark != sheet.pass_mark and ConservationUnit.objects.filter(
        campaign__sheet=sheet,
        status__in=[ConservationUnit.Status.PASSED, ConservationUnit.Status.FAILED],
    ):
        raise ValidationError({"pass_mark": _("已有单位按此评分表认定，不能再修改达标分数。")})
    sheet.name, sheet.pass_mark = name, pass_mark
    sheet.description = text(description, "description", _("说明"), 2000)
    sheet.save()
    return sheet


@transaction.atomic
def area_add(*, actor, sheet, name, order=0) -> ScoringArea:
    require_manager(actor, sheet.center_id)
    _editable(sheet)
    name = text(name, "name", _("考核方面"), 100, required=True)
    if sheet.areas.filter(name=name).exists():
        raise ValidationError({"name": _("该评分表已有此考核方面。")})
    return ScoringArea.objects.create(sheet=sheet, name=name, order=order or 0)


@transaction.atomic
def item_add(*, actor, area, text_value, points, order=0) -> ScoringItem:
    sheet = area.sheet
    require_manager(actor, sheet.center_id)
    _editable(sheet)
    points = number(points, "points", _("分值"), places=1, positive=True, maximum=MAX_POINTS)
    if sheet_total(sheet) + points > MAX_POINTS:
        raise ValidationError({"points": _("评分表总分不能超过 100 分。")})
    return ScoringItem.objects.create(
        area=area,
        text=text(text_value, "text", _("考核内容"), 300, required=True),
        points=points,
        order=order or 0,
    )


@transaction.atomic
def item_delete(*, actor, item):
    sheet = item.area.sheet
    require_manager(actor, sheet.center_id)
    _editable(sheet)
    item.delete()


@transaction.atomic
def area_delete(*, actor, area):
    require_manager(actor, area.sheet.center_id)
    _editable(area.sheet)
    area.delete()


# ---- campaigns, batches, enrolment -----------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, actor, center, name, sheet, start_year, end_year, description=""
) -> ConservationCampaign:
    require_manager(actor, center.pk)
    name = text(name, "name", _("创建活动"), 100, required=True)
    if sheet.center_id != center.pk:
        raise ValidationError({"sheet": _("请选择本中心的评分表。")})
    if end_year < start_year:
        raise ValidationError({"end_year": _("截止年度不能早于起始年度。")})
    if ConservationCampaign.objects.filter(center=center, name=name).exists():
        raise ValidationError({"name": _("已有同名创建活动。")})
    return ConservationCampaign.objects.create(
        center=center,
        name=name,
        sheet=sheet,
        start_year=start_year,
        end_year=end_year,
        description=text(description, "description", _("说明"), 2000),
    )


@transaction.atomic
def campaign_update(
    *, actor, campaign, name, sheet, start_year, end_year, description=""
) -> ConservationCampaign:
    """Change a campaign. Its sheet is fixed once a unit has been scored; its years must
    still cover its batches."""
    require_manager(actor, campaign.center_id)
    name = text(name, "name", _("创建活动"), 100, required=True)
    if sheet.center_id != campaign.center_id:
        raise ValidationError({"sheet": _("请选择本中心的评分表。")})
    if sheet.pk != campaign.sheet_id and UnitScore.objects.filter(unit__campaign=campaign):
        raise ValidationError({"sheet": _("已有单位按原评分表打分，不能更换评分表。")})
    if end_year < start_year:
        raise ValidationError({"end_year": _("截止年度不能早于起始年度。")})
    years = campaign.batches.aggregate(lo=Min("year"), hi=Max("year"))
    if years["lo"] is not None and (start_year > years["lo"] or end_year < years["hi"]):
        raise ValidationError(
            {
                "start_year": _("起止年度须包含已有批次的年度（%(a)s—%(b)s）。")
                % {"a": years["lo"], "b": years["hi"]}
            }
        )
    if ConservationCampaign.objects.filter(center_id=campaign.center_id, name=name).exclude(
        pk=campaign.pk
    ):
        raise ValidationError({"name": _("已有同名创建活动。")})
    campaign.name, campaign.sheet = name, sheet
    campaign.start_year, campaign.end_year = start_year, end_year
    campaign.description = text(description, "description", _("说明"), 2000)
    campaign.save()
    return campaign


@transaction.atomic
def batch_save(*, actor, campaign, number_value, year, target_units, deadline=None, batch=None):
    """Add a batch (批次) to a campaign, or change one."""
    require_manager(actor, campaign.center_id)
    if not campaign.start_year <= year <= campaign.end_year:
        raise ValidationError(
            {
                "year": _("年度应在 %(a)s—%(b)s 之间。")
                % {"a": campaign.start_year, "b": campaign.end_year}
            }
        )
    if not target_units or target_units <= 0:
        raise ValidationError({"target_units": _("目标单位数必须大于 0。")})
    clash = campaign.batches.filter(number=number_value)
    if batch is not None:
        clash = clash.exclude(pk=batch.pk)
    if clash.exists():
        raise ValidationError({"number": _("该批次已存在。")})
    batch = batch or CampaignBatch(campaign=campaign)
    batch.number, batch.year, batch.target_units, batch.deadline = (
        number_value,
        year,
        target_units,
        deadline,
    )
    batch.save()
    return batch


@transaction.atomic
def unit_enroll(*, actor, batch, agency) -> ConservationUnit:
    campaign = batch.campaign
    require_manager(actor, campaign.center_id)
    if agency.center_id != campaign.center_id or agency.kind != OrgUnit.Kind.AGENCY:
        raise ValidationError({"agency": _("请选择本中心服务的单位。")})
    if ConservationUnit.objects.filter(campaign=campaign, agency=agency).exists():
        raise ValidationError({"agency": _("%(a)s 已报名本次创建活动。") % {"a": agency}})
    return ConservationUnit.objects.create(campaign=campaign, batch=batch, agency=agency)


@transaction.atomic
def units_enroll(*, actor, batch, agencies) -> list[ConservationUnit]:
    """Enrol several agencies in a batch at once: all of them or none."""
    if not agencies:
        raise ValidationError({"agencies": _("请选择要报名的单位。")})
    units = []
    for agency in agencies:
        try:
            units.append(unit_enroll(actor=actor, batch=batch, agency=agency))
        except ValidationError as exc:
            raise ValidationError({"agencies": exc.messages}) from None
    return units


@transaction.atomic
def unit_withdraw(*, actor, unit):
    require_manager(actor, unit.campaign.center_id)
    if unit.status != ConservationUnit.Status.ENROLLED:
        raise ValidationError(_("已自评或评审的单位不能退出。"))
    unit.delete()


# ---- scoring ---------------------------------------------------------------------------------


def may_self_assess(actor, unit) -> bool:
    """The energy manager, or a liaison / leader of the enrolled agency."""
    from ..selectors import is_manager, scope

    if actor.center_id != unit.campaign.center_id:
        return False
    if is_manager(actor):
        return True
    return scope(actor) == Scope.AGENCY and user_agency(actor) == unit.agency


def _points(unit, points, attribute, notes=None):
    """{item id: Decimal} checked against the sheet: every item scored, 0 ≤ p ≤ item points.
    `notes` ({item id: text}, optional) are kept as the items' 说明."""
    items = list(ScoringItem.objects.filter(area__sheet_id=unit.campaign.sheet_id))
    if not items:
        raise ValidationError(_("评分表还没有考核项目。"))
    errors, checked = {}, {}
    for item in items:
        raw = points.get(item.pk, points.get(str(item.pk)))
        field = f"item_{item.pk}"
        if raw in (None, ""):
            errors[field] = _("请为“%(t)s”打分。") % {"t": item.text}
            continue
        try:
            value = number(raw, field, item.text, places=1)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if value > item.points:
            errors[field] = _("“%(t)s”最多 %(p)s 分。") % {"t": item.text, "p": item.points}
            continue
        checked[item] = value
    kept = {}
    for item in items if notes is not None else ():
        try:
            raw = notes.get(item.pk, notes.get(str(item.pk)))
            kept[item] = text(raw, f"note_{item.pk}", _("说明"), 300)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    for item, value in checked.items():
        defaults = {attribute: value, **({"note": kept[item]} if item in kept else {})}
        UnitScore.objects.update_or_create(unit=unit, item=item, defaults=defaults)
    return sum(checked.values(), Decimal(0))


@transaction.atomic
def unit_self_assess(*, actor, unit, points) -> ConservationUnit:
    """自评: score every item; the unit becomes 已自评. Allowed until the review starts."""
    unit = ConservationUnit.objects.select_for_update().select_related("campaign").get(pk=unit.pk)
    if actor is not None and not may_self_assess(actor, unit):
        raise PermissionDenied(_("只有本单位联络员、负责人或节能管理员可以自评。"))
    if unit.status not in (ConservationUnit.Status.ENROLLED, ConservationUnit.Status.SELF_ASSESSED):
        raise ValidationError(_("已进入评审，不能再修改自评。"))
    unit.self_score = _points(unit, points, "self_points")
    unit.self_assessed_at = timezone.now()
    unit.status = ConservationUnit.Status.SELF_ASSESSED
    unit.save(update_fields=["self_score", "self_assessed_at", "status", "updated_at"])
    return unit


@transaction.atomic
def unit_review(
    *, actor, unit, points, comment="", decide=False, on=None, notes=None
) -> ConservationUnit:
    """评审: score every item (with an optional note each). With `decide`, the unit is 达标
    when the review score reaches the sheet's pass mark (≥ 80 of 100 by default), else
    未达标, on `on` (today)."""
    unit = (
        ConservationUnit.objects.select_for_update()
        .select_related("campaign__sheet")
        .get(pk=unit.pk)
    )
    require_manager(actor, unit.campaign.center_id)
    if unit.status not in (ConservationUnit.Status.SELF_ASSESSED, ConservationUnit.Status.REVIEWED):
        if unit.status == ConservationUnit.Status.ENROLLED:
            raise ValidationError(_("单位尚未自评，不能评审。"))
        raise ValidationError(_("该单位已认定，不能再评审。"))
    unit.review_score = _points(unit, points, "review_points", notes)
    unit.review_comment = text(comment, "comment", _("评审意见"), 2000)
    unit.reviewed_by = actor
    if decide:
        passed = unit.review_score >= unit.campaign.sheet.pass_mark
        unit.status = ConservationUnit.Status.PASSED if passed else ConservationUnit.Status.FAILED
        unit.decided_on = on or timezone.localdate()
    else:
        unit.status = ConservationUnit.Status.REVIEWED
    unit.save()
    return unit


@transaction.atomic
def evidence_add(*, actor, unit, title, upload, item=None) -> UnitEvidence:
    if actor is not None and not may_self_assess(actor, unit):
        raise PermissionDenied(_("只有本单位联络员、负责人或节能管理员可以上传佐证材料。"))
    if unit.status in (ConservationUnit.Status.PASSED, ConservationUnit.Status.FAILED):
        raise ValidationError(_("该单位已认定，不能再上传佐证材料。"))
    if item is not None and item.area.sheet_id != unit.campaign.sheet_id:
        raise ValidationError({"item": _("请选择本评分表的考核项目。")})
    try:
        validate_document(upload, types=EVIDENCE_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    return UnitEvidence.objects.create(
        unit=unit,
        item=item,
        title=text(title, "title", _("佐证材料"), 100, required=True),
        file=upload,
        uploaded_by=actor,
    )


@transaction.atomic
def evidence_delete(*, actor, evidence):
    unit = evidence.unit
    if actor is not None and not may_self_assess(actor, unit):
        raise PermissionDenied(_("只有本单位联络员、负责人或节能管理员可以删除佐证材料。"))
    if unit.status in (ConservationUnit.Status.PASSED, ConservationUnit.Status.FAILED):
        raise ValidationError(_("该单位已认定，不能再删除佐证材料。"))
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def meeting_record(
    *, actor, campaign, kind, date, title, place="", participants=0, notes="", meeting=None
) -> CampaignMeeting:
    """A progress meeting (推进会) or training (培训) of the campaign."""
    require_manager(actor, campaign.center_id)
    if kind not in CampaignMeeting.Kind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    meeting = meeting or CampaignMeeting(campaign=campaign)
    meeting.kind, meeting.date = kind, date
    meeting.title = text(title, "title", _("主题"), 100, required=True)
    meeting.place = text(place, "place", _("地点"), 100)
    meeting.participants = participants or 0
    meeting.notes = text(notes, "notes", _("纪要"), 4000)
    meeting.save()
    return meeting


# ---- progress ------------------------------------------------------------------------------


@dataclass
class BatchProgress:
    batch: CampaignBatch
    enrolled: int
    self_assessed: int
    passed: int
    failed: int

    @property
    def target(self):
        return self.batch.target_units

    @property
    def rate(self):
        """Passed units as % of the target (one decimal)."""
        return round(self.passed * 100 / self.target, 1) if self.target else None


def campaign_progress(campaign) -> list[BatchProgress]:
    """Per batch: enrolled, self-assessed (or further), passed and failed units vs target.
    One query."""
    status = ConservationUnit.Status
    batches = campaign.batches.annotate(
        n_enrolled=Count("units"),
        n_assessed=Count("units", filter=~Q(units__status=status.ENROLLED)),
        n_passed=Count("units", filter=Q(units__status=status.PASSED)),
        n_failed=Count("units", filter=Q(units__status=status.FAILED)),
    ).order_by("number")
    return [BatchProgress(b, b.n_enrolled, b.n_assessed, b.n_passed, b.n_failed) for b in batches]
