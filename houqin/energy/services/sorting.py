"""Garbage sorting: sites (demonstration sites need their recognition date), inspections with
the correct-sorting rate, and weights collected per category."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_image

from ..models import GarbageCollection, SortingInspection, SortingSite
from .common import number, require_manager, text

MAX_KG = Decimal("9999999")


@transaction.atomic
def site_save(
    *,
    actor,
    center,
    name,
    kind,
    bins=1,
    institution=None,
    address="",
    is_demonstration=False,
    demonstration_level="",
    recognized_on=None,
    started_on=None,
    is_active=True,
    site=None,
) -> SortingSite:
    require_manager(actor, center.pk)
    name = text(name, "name", _("点位名称"), 100, required=True)
    if kind not in SortingSite.Kind.values:
        raise ValidationError({"kind": _("请选择单位类型。")})
    if not bins or bins <= 0:
        raise ValidationError({"bins": _("分类投放点至少 1 组。")})
    if is_demonstration and recognized_on is None:
        raise ValidationError({"recognized_on": _("示范点请填写认定日期。")})
    if not is_demonstration:
        demonstration_level, recognized_on = "", None
    if institution is not None and institution.center_id != center.pk:
        raise ValidationError({"institution": _("请选择本中心的公共机构。")})
    clash = SortingSite.objects.filter(center=center, name=name)
    if site is not None:
        clash = clash.exclude(pk=site.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名点位。")})
    site = site or SortingSite(center=center)
    site.name, site.kind, site.bins, site.institution = name, kind, bins, institution
    site.address = text(address, "address", _("地址"), 200)
    site.is_demonstration = bool(is_demonstration)
    site.demonstration_level = text(demonstration_level, "demonstration_level", _("示范级别"), 20)
    site.recognized_on, site.started_on, site.is_active = recognized_on, started_on, is_active
    site.save()
    return site


@transaction.atomic
def inspection_record(
    *, actor, site, date, bins_checked, bins_correct, problems="", photo=None
) -> SortingInspection:
    require_manager(actor, site.center_id)
    if date > timezone.localdate():
        raise ValidationError({"date": _("检查日期不能晚于今天。")})
    if not bins_checked or bins_checked <= 0:
        raise ValidationError({"bins_checked": _("检查桶数必须大于 0。")})
    if bins_correct is None or bins_correct < 0:
        raise ValidationError({"bins_correct": _("分类正确桶数不能为负数。")})
    if bins_correct > bins_checked:
        raise ValidationError({"bins_correct": _("分类正确桶数不能多于检查桶数。")})
    if photo:
        try:
            validate_image(photo)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from None
    return SortingInspection.objects.create(
        site=site,
        date=date,
        inspector=actor,
        bins_checked=bins_checked,
        bins_correct=bins_correct,
        problems=text(problems, "problems", _("发现问题"), 2000),
        photo=photo or "",
    )


@transaction.atomic
def collection_record(*, actor, site, date, weights) -> GarbageCollection:
    """Weights (kg) per category for a site and day; `weights` maps the model's weight field
    names to a number or None. Recording the same day again replaces it."""
    require_manager(actor, site.center_id)
    if date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    values = {}
    for category, field in GarbageCollection.WEIGHT_FIELDS.items():
        raw = weights.get(field)
        values[field] = (
            None if raw in (None, "") else number(raw, field, category.label, maximum=MAX_KG)
        )
    if all(v is None for v in values.values()):
        raise ValidationError(_("请至少填写一类垃圾的重量。"))
    collection, _created = GarbageCollection.objects.update_or_create(
        site=site, date=date, defaults={**values, "recorded_by": actor}
    )
    return collection


@dataclass
class SortingFigures:
    sites: int
    demonstration_sites: int
    inspections: int
    average_rate: float | None  # % of bins correctly sorted, over all inspections
    weights: dict  # field name → kg


def sorting_figures(center_id, start, end) -> SortingFigures:
    """Sites in use, inspections between `start` and `end` and their pooled correct-sorting
    rate (Σ correct ÷ Σ checked), and the weights collected. Three queries."""
    sites = SortingSite.objects.filter(center_id=center_id, is_active=True).aggregate(
        n=Count("id"), demo=Count("id", filter=Q(is_demonstration=True))
    )
    checks = SortingInspection.objects.filter(
        site__center_id=center_id, date__range=(start, end)
    ).aggregate(
        n=Count("id"),
        checked=Sum("bins_checked"),
        correct=Sum("bins_correct"),
    )
    weights = GarbageCollection.objects.filter(
        site__center_id=center_id, date__range=(start, end)
    ).aggregate(**{field: Sum(field) for field in GarbageCollection.WEIGHT_FIELDS.values()})
    rate = round(checks["correct"] * 100 / checks["checked"], 1) if checks["checked"] else None
    return SortingFigures(
        sites=sites["n"],
        demonstration_sites=sites["demo"],
        inspections=checks["n"],
        average_rate=rate,
        weights={k: v or Decimal(0) for k, v in weights.items()},
    )
