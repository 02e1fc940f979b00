"""The fire equipment register (消防器材: extinguishers, hydrants, alarms…) with monthly checks
and expiry dates, and the surveillance cameras register (监控)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class FireEquipment(CenterScopedModel):
    class Kind(models.TextChoices):
        EXTINGUISHER_ABC = "extinguisher_abc", _("干粉灭火器")
        EXTINGUISHER_CO2 = "extinguisher_co2", _("二氧化碳灭火器")
        HYDRANT = "hydrant", _("室内消火栓")
        OUTDOOR_HYDRANT = "outdoor_hydrant", _("室外消火栓")
        ALARM = "alarm", _("火灾报警控制器")
        DETECTOR = "detector", _("烟感探测器")
        SPRINKLER = "sprinkler", _("自动喷淋")
        EMERGENCY_LIGHT = "emergency_light", _("应急照明/疏散指示")
        FIRE_DOOR = "fire_door", _("防火门")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("在用")
        FAULTY = "faulty", _("故障")
        REPLACED = "replaced", _("已更换")
        SCRAPPED = "scrapped", _("已报废")

    code = models.CharField(_("编号"), max_length=40)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    location = models.CharField(_("位置"), max_length=100)
    model = models.CharField(_("规格型号"), max_length=60, blank=True)
    quantity = models.PositiveSmallIntegerField(_("数量"), default=1)
    produced_on = models.DateField(_("生产日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至/报废日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_SERVICE
    )
    replaced_on = models.DateField(_("更换/报废日期"), null=True, blank=True)
    last_checked_on = models.DateField(_("最近检查"), null=True, blank=True)
    expiry_notified_on = models.DateField(_("到期提醒日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("消防器材")
        verbose_name_plural = _("消防器材")
        ordering = ["location", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="security_fire_eq_code"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="security_fire_eq_qty"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(produced_on__isnull=True)
                | Q(expires_on__gt=F("produced_on")),
                name="security_fire_eq_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["replaced", "scrapped"]) | Q(replaced_on__isnull=False),
                name="security_fire_eq_replaced",
            ),
        ]
        indexes = [models.Index(fields=["center", "expires_on"], name="security_fire_eq_exp")]

    def __str__(self):
        return f"{self.code} {self.get_kind_display()}"


class FireEquipmentCheck(TimeStampedModel):
    """月检: one monthly check of a piece of equipment."""

    equipment = models.ForeignKey(
        FireEquipment, on_delete=models.CASCADE, related_name="checks", verbose_name=_("器材")
    )
    checked_on = models.DateField(_("检查日期"))
    is_ok = models.BooleanField(_("完好"), default=True)
    note = models.CharField(_("问题说明"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("检查人"),
    )

    class Meta:
        verbose_name = _("器材检查")
        verbose_name_plural = _("器材检查")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_ok=True) | ~Q(note=""), name="security_check_note"
            )
        ]


class Camera(CenterScopedModel):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("正常")
        FAULTY = "faulty", _("故障")
        RETIRED = "retired", _("已拆除/更换")

    code = models.CharField(_("编号"), max_length=40)
    location = models.CharField(_("安装位置"), max_length=100)
    model = models.CharField(_("型号"), max_length=60, blank=True)
    installed_on = models.DateField(_("安装日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_SERVICE
    )
    retired_on = models.DateField(_("拆除/更换日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("监控摄像机")
        verbose_name_plural = _("监控摄像机")
        ordering = ["location", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="security_camera_code"),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(retired_on__isnull=False),
                name="security_camera_retired",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.location}"
