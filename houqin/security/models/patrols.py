"""巡查: patrol routes of checkpoints. Each checkpoint carries a secret code printed as a QR
label on site; a guard's patrol counts a checkpoint only when its code is scanned there (the
code is never shown in the app), with the checkpoint's checklist answered."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


def new_checkpoint_code():
    return secrets.token_urlsafe(16)


class PatrolRoute(CenterScopedModel):
    class Kind(models.TextChoices):
        SECURITY = "security", _("安保巡逻")
        FIRE = "fire", _("防火巡查")

    name = models.CharField(_("路线名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.SECURITY)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    # The times a day it is walked (for "patrols done vs planned").
    rounds_per_day = models.PositiveSmallIntegerField(_("每日巡查次数"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("巡查路线")
        verbose_name_plural = _("巡查路线")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="security_route_unique")
        ]

    def __str__(self):
        return self.name


class Checkpoint(TimeStampedModel):
    route = models.ForeignKey(
        PatrolRoute, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("路线")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("检查点"), max_length=60)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    # [{"key": "exit", "label": "安全出口畅通", "type": "bool", "required": true}]
    checklist = models.JSONField(_("检查项"), default=list, blank=True)
    code = models.CharField(max_length=32, unique=True, default=new_checkpoint_code, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["route", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="security_checkpoint_pos")
        ]

    def __str__(self):
        return f"{self.route} · {self.name}"


class Patrol(CenterScopedModel):
    """One walk of a route by a guard."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("巡查中")
        DONE = "done", _("已完成")
        INCOMPLETE = "incomplete", _("未巡完")

    route = models.ForeignKey(
        PatrolRoute, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("路线")
    )
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("巡查人"),
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    note = models.CharField(_("情况说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["-started_at", "-id"]
        constraints = [
            # A guard walks one patrol at a time.
            models.UniqueConstraint(
                fields=["guard"],
                condition=Q(status="in_progress"),
                name="security_patrol_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(finished_at__isnull=False),
                name="security_patrol_finished",
            ),
        ]
        indexes = [models.Index(fields=["center", "started_at"], name="security_patrol_start")]

    def __str__(self):
        return f"{self.route} {self.started_at:%Y-%m-%d %H:%M}"


class CheckpointScan(TimeStampedModel):
    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="scans", verbose_name=_("巡查")
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="scans", verbose_name=_("检查点")
    )
    scanned_at = models.DateTimeField(_("扫码时间"))
    answers = models.JSONField(_("检查结果"), default=dict, blank=True)
    is_ok = models.BooleanField(_("正常"), default=True)
    note = models.CharField(_("异常说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查点记录")
        verbose_name_plural = _("检查点记录")
        ordering = ["patrol", "scanned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patrol", "checkpoint"], name="security_scan_once_per_patrol"
            ),
            models.CheckConstraint(
                condition=Q(is_ok=True) | ~Q(note=""), name="security_scan_problem_note"
            ),
        ]
