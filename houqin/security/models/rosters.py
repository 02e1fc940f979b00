"""值班排班: shift definitions per post (门岗 / 消防控制室) and who is on which shift on which
day. Coverage (24 h, and the minimum staff of each shift, ≥ 2 in the fire control room) is
computed by services.rosters.roster_gaps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class Post(models.TextChoices):
    GATE = "gate", _("门岗")
    FIRE_CONTROL = "fire_control", _("消防控制室")
    PATROL = "patrol", _("巡逻")


class Shift(CenterScopedModel):
    """A shift of a post: 白班 08:00–20:00, 夜班 20:00–08:00 (ends the next day)."""

    post = models.CharField(_("岗位"), max_length=16, choices=Post.choices)
    name = models.CharField(_("班次"), max_length=20)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"), help_text=_("早于开始时间表示次日结束"))
    min_staff = models.PositiveSmallIntegerField(_("最少人数"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["post", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "post", "name"], name="security_shift_unique_name"
            ),
            models.CheckConstraint(condition=Q(min_staff__gte=1), name="security_shift_min"),
            models.CheckConstraint(condition=~Q(start=models.F("end")), name="security_shift_len"),
        ]

    def __str__(self):
        return f"{self.get_post_display()} {self.name}"


class RosterEntry(TimeStampedModel):
    """One person on one shift on one day (the day the shift starts)."""

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="entries", verbose_name=_("班次")
    )
    date = models.DateField(_("日期"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roster_entries",
        verbose_name=_("值班人员"),
    )
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["date", "shift__start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "date", "user"], name="security_roster_once")
        ]
        indexes = [models.Index(fields=["date", "shift"], name="security_roster_day")]

    def __str__(self):
        return f"{self.date} {self.shift} {self.user}"
