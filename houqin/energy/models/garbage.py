"""Garbage sorting in public institutions (GB/T 19095-2019, DOMAIN.md §5): sites (some of them
demonstration sites, e.g. a school), inspections with the correct-sorting rate, and the
weights collected per category where they are recorded."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel

from .common import inspection_photo_path


class GarbageCategory(models.TextChoices):
    RECYCLABLE = "recyclable", _("可回收物")
    HAZARDOUS = "hazardous", _("有害垃圾")
    KITCHEN = "kitchen", _("厨余垃圾")
    OTHER = "other", _("其他垃圾")


# GB/T 19095-2019: the bin colour and sub-categories of each category.
CATEGORY_COLOURS = {
    GarbageCategory.RECYCLABLE: ("蓝色", "#0b5ea8"),
    GarbageCategory.HAZARDOUS: ("红色", "#c0392b"),
    GarbageCategory.KITCHEN: ("绿色", "#2e7d32"),
    GarbageCategory.OTHER: ("灰色", "#616161"),
}
SUBCATEGORIES = {
    GarbageCategory.RECYCLABLE: ("纸类", "塑料", "金属", "玻璃", "织物"),
    GarbageCategory.HAZARDOUS: ("灯管", "家用化学品", "电池"),
    GarbageCategory.KITCHEN: ("家庭厨余垃圾", "餐厨垃圾", "其他厨余垃圾"),
    GarbageCategory.OTHER: (),
}


class SortingSite(CenterScopedModel):
    class Kind(models.TextChoices):
        ORGAN = "organ", _("党政机关")
        SCHOOL = "school", _("学校")
        HOSPITAL = "hospital", _("医院")
        OTHER = "other", _("其他公共机构")

    name = models.CharField(_("点位名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices)
    institution = models.ForeignKey(
        "energy.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公共机构"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    bins = models.PositiveSmallIntegerField(_("分类投放点（组）"), default=1)
    is_demonstration = models.BooleanField(_("示范点"), default=False)
    demonstration_level = models.CharField(_("示范级别"), max_length=20, blank=True)
    recognized_on = models.DateField(_("认定日期"), null=True, blank=True)
    started_on = models.DateField(_("开展分类日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("垃圾分类点位")
        verbose_name_plural = _("垃圾分类点位")
        ordering = ["-is_demonstration", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="energy_site_name"),
            models.CheckConstraint(
                condition=Q(is_demonstration=False) | Q(recognized_on__isnull=False),
                name="energy_site_demo_date",
            ),
        ]

    def __str__(self):
        return self.name


class SortingInspection(TimeStampedModel):
    """A check of a site's bins: of `bins_checked`, `bins_correct` were correctly sorted."""

    site = models.ForeignKey(
        SortingSite, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("点位")
    )
    date = models.DateField(_("检查日期"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("检查人"),
    )
    bins_checked = models.PositiveSmallIntegerField(_("检查桶数"))
    bins_correct = models.PositiveSmallIntegerField(_("分类正确桶数"))
    problems = models.TextField(_("发现问题"), max_length=2000, blank=True)
    photo = models.ImageField(
        _("照片"), upload_to=inspection_photo_path, max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("分类检查")
        verbose_name_plural = _("分类检查")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(bins_checked__gt=0), name="energy_insp_checked"),
            models.CheckConstraint(
                condition=Q(bins_correct__lte=F("bins_checked")), name="energy_insp_correct"
            ),
        ]
        indexes = [models.Index(fields=["site", "date"], name="energy_insp_site_date")]

    def __str__(self):
        return f"{self.site} {self.date}"

    @property
    def rate(self):
        """Correct-sorting rate in % (one decimal)."""
        return round(self.bins_correct * 100 / self.bins_checked, 1)


class GarbageCollection(TimeStampedModel):
    """Weights collected at a site on a day, per category (kg), where recorded."""

    site = models.ForeignKey(
        SortingSite, on_delete=models.CASCADE, related_name="collections", verbose_name=_("点位")
    )
    date = models.DateField(_("日期"))
    recyclable_kg = models.DecimalField(
        _("可回收物（kg）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    hazardous_kg = models.DecimalField(
        _("有害垃圾（kg）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    kitchen_kg = models.DecimalField(
        _("厨余垃圾（kg）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    other_kg = models.DecimalField(
        _("其他垃圾（kg）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )

    WEIGHT_FIELDS = {
        GarbageCategory.RECYCLABLE: "recyclable_kg",
        GarbageCategory.HAZARDOUS: "hazardous_kg",
        GarbageCategory.KITCHEN: "kitchen_kg",
        GarbageCategory.OTHER: "other_kg",
    }

    class Meta:
        verbose_name = _("分类收运量")
        verbose_name_plural = _("分类收运量")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "date"], name="energy_collection_once"),
            models.CheckConstraint(
                condition=Q(recyclable_kg__isnull=False)
                | Q(hazardous_kg__isnull=False)
                | Q(kitchen_kg__isnull=False)
                | Q(other_kg__isnull=False),
                name="energy_collection_some",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"energy_collection_{name}_pos",
                )
                for name in ("recyclable_kg", "hazardous_kg", "kitchen_kg", "other_kg")
            ),
        ]

    def __str__(self):
        return f"{self.site} {self.date}"
