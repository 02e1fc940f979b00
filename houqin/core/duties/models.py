"""The recurring duties engine (ARCHITECTURE rule 7): plans, generated tasks, records, photos.

A DutyPlan says what, where, who, how often (an RFC 5545 RRULE in Asia/Shanghai local time,
optionally workdays only) and with what checklist. Tasks are generated ahead for a rolling
window (one row per plan and due time: the unique constraint makes generation idempotent);
other modules add ad-hoc tasks with no plan. A DutyRecord is the one completion of a task.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel
from houqin.core.roles import Role


def duty_photo_path(instance, filename):
    """duties/YYYY/MM/<random>.<ext>: the user's file name never reaches the storage path."""
    ext = Path(filename).suffix.lower()[:6] or ".jpg"
    now = timezone.localtime()
    return f"duties/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"


class DutyPlan(CenterScopedModel):
    """A recurring duty: what, where, who, how often, and the checklist of its record."""

    class Category(models.TextChoices):
        DISINFECTION = "disinfection", _("消毒")
        CLEANING = "cleaning", _("保洁")
        PEST_CONTROL = "pest_control", _("除四害")
        FIRE_PATROL = "fire_patrol", _("防火巡查")
        FIRE_INSPECTION = "fire_inspection", _("消防检查")
        SECURITY_PATROL = "security_patrol", _("安保巡查")
        SAFETY_TRAINING = "safety_training", _("安全培训")
        MAINTENANCE = "maintenance", _("预防性维护")
        SAFETY_INSPECTION = "safety_inspection", _("安全检查")
        FOOD_SAFETY = "food_safety", _("食品安全")
        OTHER = "other", _("其他")

    title = models.CharField(_("名称"), max_length=100)
    category = models.CharField(
        _("类别"), max_length=32, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("说明"), blank=True)
    location_text = models.CharField(_("地点"), max_length=200, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    assignee_role = models.CharField(_("执行角色"), max_length=32, choices=Role.choices, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="duty_plans", verbose_name=_("执行人")
    )
    vendor_name = models.CharField(_("外包单位"), max_length=100, blank=True)
    rrule = models.CharField(_("重复规则"), max_length=500)
    dtstart = models.DateTimeField(_("开始时间"))
    workdays_only = models.BooleanField(_("仅工作日"), default=False)
    grace_minutes = models.PositiveIntegerField(_("宽限时间（分钟）"), default=60)
    checklist = models.JSONField(_("检查项"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_duty_plans",
        verbose_name=_("负责人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        verbose_name = _("责任计划")
        verbose_name_plural = _("责任计划")
        ordering = ["category", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "title"],
                condition=Q(is_active=True),
                name="duties_plan_unique_active_title",
            ),
            models.CheckConstraint(
                condition=Q(grace_minutes__gte=0), name="duties_plan_grace_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["center", "is_active"], name="duties_plan_center_active")]

    def __str__(self):
        return self.title


class DutyTask(CenterScopedModel):
    """One occurrence of a plan (or an ad-hoc task) that someone must complete by `due_at`."""

    class Status(models.TextChoices):
        OPEN = "open", _("待完成")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    plan = models.ForeignKey(
        DutyPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("责任计划"),
    )
    title = models.CharField(_("任务"), max_length=100)
    category = models.CharField(
        _("类别"),
        max_length=32,
        choices=DutyPlan.Category.choices,
        default=DutyPlan.Category.OTHER,
    )
    location_text = models.CharField(_("地点"), max_length=200, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    due_at = models.DateTimeField(_("应完成时间"))
    late_after = models.DateTimeField(_("逾期时间"))
    assignee_role = models.CharField(_("执行角色"), max_length=32, choices=Role.choices, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="duty_tasks", verbose_name=_("执行人")
    )
    vendor_name = models.CharField(_("外包单位"), max_length=100, blank=True)
    checklist = models.JSONField(_("检查项"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        verbose_name = _("责任任务")
        verbose_name_plural = _("责任任务")
        ordering = ["due_at", "id"]
        constraints = [
            # Generating twice (or concurrently) never makes a second task for one occurrence.
            models.UniqueConstraint(fields=["plan", "due_at"], name="duties_task_unique_plan_due"),
            models.CheckConstraint(
                condition=Q(late_after__gte=F("due_at")), name="duties_task_late_after_due"
            ),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_at__isnull=False))
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="duties_task_completed_iff_done",
            ),
        ]
        indexes = [
            # "open tasks due before X in center" (my tasks, to-dos, the overdue board).
            models.Index(
                fields=["center", "due_at"],
                condition=Q(status="open"),
                name="duties_task_open_due",
            ),
            models.Index(fields=["center", "due_at"], name="duties_task_center_due"),
            # Reminders: open tasks becoming due or overdue, across centers.
            models.Index(fields=["due_at"], condition=Q(status="open"), name="duties_task_open"),
            models.Index(
                fields=["late_after"], condition=Q(status="open"), name="duties_task_open_late"
            ),
            models.Index(fields=["target_type", "target_id"], name="duties_task_target"),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"

    @property
    def responsible_id(self):
        """Who answers for the task: the plan's manager, or the creator of an ad-hoc task."""
        return self.plan.manager_id if self.plan_id else self.created_by_id

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.OPEN and (now or timezone.now()) >= self.late_after


class DutyRecord(CenterScopedModel):
    """The completion of one task: who, when, checklist answers, notes, signature."""

    task = models.OneToOneField(
        DutyTask, on_delete=models.PROTECT, related_name="record", verbose_name=_("任务")
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("完成人"),
    )
    completed_at = models.DateTimeField(_("完成时间"))
    answers = models.JSONField(_("检查结果"), default=dict, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    signature = models.CharField(_("签名"), max_length=100, blank=True)
    failed_items = models.JSONField(_("异常项"), default=list, blank=True)
    on_time = models.BooleanField(_("按时完成"))

    class Meta:
        verbose_name = _("完成记录")
        verbose_name_plural = _("完成记录")
        ordering = ["-completed_at", "-id"]
        permissions = [("export_dutyrecord", _("导出完成记录"))]
        indexes = [
            models.Index(fields=["center", "-completed_at"], name="duties_record_center_done")
        ]

    def __str__(self):
        return f"{self.task.title} {timezone.localtime(self.completed_at):%Y-%m-%d %H:%M}"


class DutyPhoto(CenterScopedModel):
    """A photo of a record (for a checklist item, or general), kept in Django storage."""

    record = models.ForeignKey(
        DutyRecord, on_delete=models.CASCADE, related_name="photos", verbose_name=_("完成记录")
    )
    item_key = models.CharField(_("检查项"), max_length=40, blank=True)
    image = models.ImageField(_("照片"), upload_to=duty_photo_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["id"]

    def __str__(self):
        return self.original_name or Path(self.image.name).name
