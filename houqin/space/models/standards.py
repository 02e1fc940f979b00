"""面积标准: the office-room usable-area limit per person for a rank, from a date on.

Ranks carry their organ level (org.Rank), so (rank, effective_from) identifies a limit. The
2014 standard is seeded by a data migration; a later or local standard is a new row with a
later effective date, so past years are still judged by the standard of their day."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import TimeStampedModel


class AreaStandard(TimeStampedModel):
    rank = models.ForeignKey(
        "org.Rank", on_delete=models.PROTECT, related_name="area_standards", verbose_name=_("职级")
    )
    area_limit = models.DecimalField(
        _("人均办公室使用面积上限（㎡）"), max_digits=6, decimal_places=2
    )
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("办公用房面积标准")
        verbose_name_plural = _("办公用房面积标准")
        ordering = ["rank__organ_level", "-rank__seniority", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank", "effective_from"], name="space_standard_unique_rank_date"
            ),
            models.CheckConstraint(condition=Q(area_limit__gt=0), name="space_standard_pos"),
        ]

    def __str__(self):
        return f"{self.rank} {self.area_limit}㎡（{self.effective_from:%Y-%m-%d} 起）"
