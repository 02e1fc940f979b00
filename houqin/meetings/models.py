"""会务: meeting rooms, bookings (single or a recurring series), maintenance blocks, services.

No two active bookings of a room overlap: on PostgreSQL an exclusion constraint (migration
0002, btree_gist) enforces it; on SQLite the booking services run in BEGIN IMMEDIATE
transactions and check first. Times are aware datetimes; ranges are half-open [start, end).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Room(CenterScopedModel):
    class Kind(models.TextChoices):
        AUDITORIUM = "auditorium", _("报告厅")
        MEDIUM = "medium", _("中型会议室")
        SMALL = "small", _("小型会议室")

    class BookableBy(models.TextChoices):
        STAFF = "staff", _("全体干部职工")
        LIAISON = "liaison", _("部门联络员及以上")
        MANAGER = "manager", _("仅会务管理员")

    name = models.CharField(_("名称"), max_length=50)
    code = models.CharField(_("编号"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    building = models.CharField(_("楼栋"), max_length=30, blank=True)
    floor = models.CharField(_("楼层"), max_length=10, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    equipment = models.CharField(
        _("设备"), max_length=300, blank=True, help_text=_("如 投影、音响、录音录像、LED 屏")
    )
    photo = models.ImageField(_("照片"), upload_to="meetings/rooms/", blank=True)
    open_from = models.TimeField(_("开放开始"), default=dt.time(8, 0))
    open_until = models.TimeField(_("开放结束"), default=dt.time(21, 0))
    requires_approval = models.BooleanField(_("预订须审批"), default=False)
    bookable_by = models.CharField(
        _("可预订人员"), max_length=16, choices=BookableBy.choices, default=BookableBy.STAFF
    )
    max_duration_minutes = models.PositiveIntegerField(_("单次最长（分钟）"), default=8 * 60)
    auto_release_minutes = models.PositiveIntegerField(
        _("未签到自动释放（分钟）"), null=True, blank=True, help_text=_("留空表示不自动释放")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        ordering = ["building", "floor", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="meetings_room_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="meetings_room_capacity"),
            models.CheckConstraint(
                condition=Q(open_until__gt=F("open_from")), name="meetings_room_open_hours"
            ),
        ]

    def __str__(self):
        return self.name


class MeetingService(CenterScopedModel):
    """A service the center provides for meetings (茶水、桌签、投影、音响…): configuration."""

    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会务服务项目")
        verbose_name_plural = _("会务服务项目")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="meetings_service_unique")
        ]

    def __str__(self):
        return self.name


class BookingSeries(CenterScopedModel):
    """A recurring booking (e.g. every Monday 09:00–10:00); its occurrences are Bookings."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    rrule = models.CharField(_("重复规则"), max_length=200)
    title = models.CharField(_("会议名称"), max_length=100)
    booker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("周期预订")
        verbose_name_plural = _("周期预订")

    def __str__(self):
        return self.title


class Booking(CenterScopedModel):
    class Level(models.TextChoices):
        ORDINARY = "ordinary", _("一般会议")
        IMPORTANT = "important", _("重要会议")
        MAJOR = "major", _("重大会议")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        CONFIRMED = "confirmed", _("已确认")
        SERVED = "served", _("已服务")
        REJECTED = "rejected", _("已驳回")
        CANCELLED = "cancelled", _("已取消")
        RELEASED = "released", _("已释放（未签到）")

    # Statuses that hold the room (the exclusion constraint uses the same list).
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.SERVED)

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("周期预订"),
    )
    title = models.CharField(_("会议名称"), max_length=100)
    agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_bookings",
        verbose_name=_("预订人"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    attendees_expected = models.PositiveIntegerField(_("预计人数"))
    attendees_actual = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    level = models.CharField(
        _("会议级别"), max_length=16, choices=Level.choices, default=Level.ORDINARY
    )
    major_kind = models.CharField(
        _("重大会议类别"), max_length=30, blank=True, help_text=_("如 区人大、区政协、党代会")
    )
    services = models.ManyToManyField(
        MeetingService, blank=True, related_name="bookings", verbose_name=_("会务服务")
    )
    notes = models.TextField(_("备注"), blank=True, max_length=1000)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    served_at = models.DateTimeField(_("服务完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议预订")
        verbose_name_plural = _("会议预订")
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_booking_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(attendees_expected__gt=0), name="meetings_booking_attendees"
            ),
            # The no-overlap exclusion constraint is PostgreSQL-only: see migration 0002.
        ]
        indexes = [
            models.Index(fields=["room", "starts_at"], name="meetings_booking_room_start"),
            models.Index(fields=["center", "starts_at"], name="meetings_booking_center_start"),
        ]

    def __str__(self):
        return f"{self.title}（{self.room}）"

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class RoomBlock(CenterScopedModel):
    """The room is unavailable (maintenance, renovation) during [starts_at, ends_at)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blocks")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("原因"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("停用时段")
        verbose_name_plural = _("停用时段")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_block_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.room} {self.reason}"
