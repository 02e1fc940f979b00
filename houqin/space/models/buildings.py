"""The register: buildings, their floors (with an uploaded floor plan) and rooms."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel

from .common import floor_plan_path


class UseKind(models.TextChoices):
    """The four kinds of space of the 2014 standard (DOMAIN.md §1)."""

    OFFICE = "office", _("办公室用房")
    SERVICE = "service", _("服务用房")
    EQUIPMENT = "equipment", _("设备用房")
    AUXILIARY = "auxiliary", _("附属用房")


class SubUse(models.TextChoices):
    """用途细分; SUB_USE_KIND says which kind each belongs to."""

    OFFICE = "office", _("办公室")
    MEETING = "meeting", _("会议室")
    RECEPTION = "reception", _("接待室")
    ARCHIVES = "archives", _("档案室")
    PRINTING = "printing", _("文印室")
    MAIL = "mail", _("收发室")
    SERVER = "server", _("计算机房")
    STORAGE = "storage", _("储藏室")
    TOILET = "toilet", _("卫生间")
    DUTY = "duty", _("值班室")
    SWITCHGEAR = "switchgear", _("配电室")
    PUMP = "pump", _("水泵房")
    HVAC = "hvac", _("空调机房")
    ELEVATOR = "elevator", _("电梯机房")
    CANTEEN = "canteen", _("食堂")
    GARAGE = "garage", _("车库")
    CIVIL_DEFENCE = "civil_defence", _("人防设施")
    FIRE_CONTROL = "fire_control", _("消防控制室")
    OTHER = "other", _("其他")


SUB_USE_KIND = {
    SubUse.OFFICE: UseKind.OFFICE,
    SubUse.MEETING: UseKind.SERVICE,
    SubUse.RECEPTION: UseKind.SERVICE,
    SubUse.ARCHIVES: UseKind.SERVICE,
    SubUse.PRINTING: UseKind.SERVICE,
    SubUse.MAIL: UseKind.SERVICE,
    SubUse.SERVER: UseKind.SERVICE,
    SubUse.STORAGE: UseKind.SERVICE,
    SubUse.TOILET: UseKind.SERVICE,
    SubUse.DUTY: UseKind.SERVICE,
    SubUse.SWITCHGEAR: UseKind.EQUIPMENT,
    SubUse.PUMP: UseKind.EQUIPMENT,
    SubUse.HVAC: UseKind.EQUIPMENT,
    SubUse.ELEVATOR: UseKind.EQUIPMENT,
    SubUse.CANTEEN: UseKind.AUXILIARY,
    SubUse.GARAGE: UseKind.AUXILIARY,
    SubUse.CIVIL_DEFENCE: UseKind.AUXILIARY,
    SubUse.FIRE_CONTROL: UseKind.AUXILIARY,
}


class Building(CenterScopedModel):
    """楼栋: one building of the center's estate (owned, allocated or leased)."""

    class Ownership(models.TextChoices):
        OWNED = "owned", _("自有")
        ALLOCATED = "allocated", _("上级调配")
        LEASED = "leased", _("租用")

    name = models.CharField(_("楼栋名称"), max_length=60)
    code = models.CharField(_("编号"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    ownership = models.CharField(
        _("产权性质"), max_length=16, choices=Ownership.choices, default=Ownership.OWNED
    )
    owner_name = models.CharField(_("产权单位"), max_length=100, blank=True)
    floor_area = models.DecimalField(_("建筑面积（㎡）"), max_digits=10, decimal_places=2)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    floors_above = models.PositiveSmallIntegerField(_("地上层数"), default=1)
    floors_below = models.PositiveSmallIntegerField(_("地下层数"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    notes = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["code", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="space_building_unique_name"),
            models.CheckConstraint(condition=Q(floor_area__gt=0), name="space_building_area_pos"),
        ]

    def __str__(self):
        return self.name


class Floor(TimeStampedModel):
    """楼层, with its floor plan (平面图) as an uploaded image, served by an access-checked view."""

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="floors", verbose_name=_("楼栋")
    )
    level = models.SmallIntegerField(_("层号"), help_text=_("地下层为负数，如 -1"))
    name = models.CharField(_("楼层名称"), max_length=20)
    plan = models.ImageField(_("平面图"), upload_to=floor_plan_path, max_length=200, blank=True)
    plan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("平面图上传人"),
    )

    class Meta:
        verbose_name = _("楼层")
        verbose_name_plural = _("楼层")
        ordering = ["building", "level"]
        constraints = [
            models.UniqueConstraint(fields=["building", "level"], name="space_floor_unique_level"),
        ]

    def __str__(self):
        return f"{self.building.name} {self.name}"


class SpaceRoom(CenterScopedModel):
    """房间. `status` is kept by the allocation services: occupied while an agency holds the
    room, idle otherwise; under repair is set by hand and blocks new allocations."""

    class Status(models.TextChoices):
        OCCUPIED = "occupied", _("使用中")
        IDLE = "idle", _("闲置")
        REPAIR = "repair", _("维修中")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("楼栋")
    )
    floor = models.ForeignKey(
        Floor, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("楼层")
    )
    number = models.CharField(_("房间号"), max_length=20)
    name = models.CharField(_("房间名称"), max_length=60, blank=True)
    usable_area = models.DecimalField(_("使用面积（㎡）"), max_digits=8, decimal_places=2)
    use_kind = models.CharField(_("用房类别"), max_length=16, choices=UseKind.choices)
    sub_use = models.CharField(_("具体用途"), max_length=16, choices=SubUse.choices)
    # Desks an office is planned for: how many people may share it at once.
    capacity = models.PositiveSmallIntegerField(_("核定使用人数"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IDLE)
    is_active = models.BooleanField(_("在册"), default=True)
    notes = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["building__code", "building__name", "floor__level", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="space_room_unique_number"),
            models.CheckConstraint(condition=Q(usable_area__gt=0), name="space_room_area_pos"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="space_room_capacity_pos"),
        ]
        indexes = [
            models.Index(fields=["center", "status"], name="space_room_center_status"),
            models.Index(fields=["center", "use_kind"], name="space_room_center_kind"),
        ]

    def __str__(self):
        return f"{self.building.name} {self.number}"

    @property
    def label(self):
        return f"{self.number} {self.name}".strip()
