"""Incidents (突发事件), contingency plans for major events (重大活动预案) and trainings /
drills (培训、演练) with their participants."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Incident(CenterScopedModel):
    class Kind(models.TextChoices):
        SECURITY = "security", _("治安")
        FIRE = "fire", _("火情")
        EQUIPMENT = "equipment", _("设施设备")
        MEDICAL = "medical", _("突发疾病")
        PETITION = "petition", _("来访纠纷")
        WEATHER = "weather", _("自然灾害")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("处置中")
        CLOSED = "closed", _("已办结")

    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("地点"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("经过"), max_length=2000)
    handling = models.TextField(_("处置情况"), max_length=2000, blank=True)
    result = models.CharField(_("处置结果"), max_length=500, blank=True)
    follow_up = models.CharField(_("后续措施"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(result="")),
                name="security_incident_closed",
            )
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d} {self.place} {self.get_kind_display()}"


class ContingencyPlan(CenterScopedModel):
    """重大活动安保预案, optionally for a meeting booking marked major."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟")
        ACTIVE = "active", _("已启动")
        DONE = "done", _("已完成")

    title = models.CharField(_("预案名称"), max_length=100)
    event_start = models.DateTimeField(_("活动开始"))
    event_end = models.DateTimeField(_("活动结束"))
    booking = models.ForeignKey(
        "meetings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联会议"),
    )
    measures = models.TextField(_("安保措施"), max_length=4000)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("负责人"),
    )
    coordination_meeting_at = models.DateTimeField(_("协调会时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        verbose_name = _("安保预案")
        verbose_name_plural = _("安保预案")
        ordering = ["-event_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_end__gt=models.F("event_start")), name="security_plan_times"
            )
        ]

    def __str__(self):
        return self.title


class Drill(CenterScopedModel):
    """A training (培训) or a drill (演练). Key units drill at least every half year and train
    every person yearly (DOMAIN.md §8): the compliance board reads these."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("消防安全培训")
        EVACUATION = "evacuation", _("疏散演练")
        FIRE_DRILL = "fire_drill", _("灭火演练")
        GUARD_TRAINING = "guard_training", _("安保业务培训")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("主题"), max_length=100)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organizer = models.CharField(_("组织/授课"), max_length=100, blank=True)
    participants = models.ManyToManyField(
        "org.Person", blank=True, related_name="drills", verbose_name=_("参加人员")
    )
    # People from outside the register (tenants, vendors' staff) counted but not named.
    other_participants = models.PositiveIntegerField(_("其他参加人数"), default=0)
    summary = models.TextField(_("情况小结"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("培训演练")
        verbose_name_plural = _("培训演练")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"
