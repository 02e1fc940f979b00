from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from houqin.core.models import TimeStampedModel


class HolidayOverride(TimeStampedModel):
    """An administrator's word on one date, consulted before `chinese_calendar`.

    Used for years the package does not know yet (the State Council publishes next year's
    schedule each November) and for local exceptions. National, so not center-scoped.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否上班"), help_text=_("勾选：调休上班日；不勾选：放假（节假日或临时休息）")
    )
    name = models.CharField(_("名称"), max_length=40, help_text=_("如 国庆节、国庆节调休"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"
