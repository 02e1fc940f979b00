"""Publicity campaigns and events (节能宣传周, 全国低碳日…) with their activities,
participants and photos."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel

from .common import event_photo_path


class PublicityEvent(CenterScopedModel):
    class Kind(models.TextChoices):
        WEEK = "week", _("节能宣传周")
        LOW_CARBON = "low_carbon", _("全国低碳日")
        WATER = "water", _("节水宣传")
        SORTING = "sorting", _("垃圾分类宣传")
        OTHER = "other", _("其他")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organizer = models.CharField(_("组织单位"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    summary = models.TextField(_("活动总结"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="energy_event_dates"
            ),
        ]
        indexes = [models.Index(fields=["center", "start_date"], name="energy_event_start")]

    def __str__(self):
        return self.title


class EventActivity(TimeStampedModel):
    event = models.ForeignKey(
        PublicityEvent,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("宣传活动"),
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("活动内容"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)

    class Meta:
        verbose_name = _("活动项目")
        verbose_name_plural = _("活动项目")
        ordering = ["event", "date", "id"]

    def __str__(self):
        return self.title


class EventPhoto(TimeStampedModel):
    event = models.ForeignKey(
        PublicityEvent, on_delete=models.CASCADE, related_name="photos", verbose_name=_("宣传活动")
    )
    image = models.ImageField(_("照片"), upload_to=event_photo_path, max_length=200)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["event", "id"]

    def __str__(self):
        return self.caption or f"{self.event} #{self.pk}"
