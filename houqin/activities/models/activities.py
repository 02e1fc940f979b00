"""Activity records by category (学习, 主题教育, 志愿服务, 参观教育基地, 节日走访, 讲座…;
categories are configurable per center), with participants and photos."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


def photo_path(instance, filename):
    ext = Path(filename).suffix.lower()[:8] or ".bin"
    now = timezone.localtime()
    return f"activities/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"


class ActivityCategory(CenterScopedModel):
    name = models.CharField(_("类别名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("活动类别")
        verbose_name_plural = _("活动类别")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="activities_category_name"),
        ]

    def __str__(self):
        return self.name


class Activity(CenterScopedModel):
    category = models.ForeignKey(
        ActivityCategory,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("类别"),
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("活动主题"), max_length=100)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organizer = models.CharField(_("组织者"), max_length=100, blank=True)
    participants = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name=_("参加人员")
    )
    # People not picked by name (e.g. "机关干部 45 人"); the total is picked + others.
    other_participants = models.PositiveIntegerField(_("其他参加人数"), default=0)
    participant_total = models.PositiveIntegerField(_("参加人数"), default=0)
    summary = models.TextField(_("活动内容"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["center", "date"], name="activities_date")]

    def __str__(self):
        return f"{self.date} {self.title}"


class ActivityPhoto(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("活动")
    )
    image = models.ImageField(_("照片"), upload_to=photo_path, max_length=200)
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(image=""), name="activities_photo_image"),
        ]

    def __str__(self):
        return self.caption or f"{self.activity} #{self.pk}"
