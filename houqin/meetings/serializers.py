"""Serializers of the meetings API (/api/v1/meeting-rooms/, /api/v1/meeting-bookings/).

Input serializers only parse and check the shape of the input (Chinese messages); the booking
rules (hours, overlap, who may book) live in services.py, whose ValidationError the view turns
into a 400 with field errors.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.org.models import OrgUnit
from houqin.org.scoping import user_agency

from .models import Booking, MeetingService, Room


class RefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class MeetingRoomSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text=_("auditorium 报告厅；medium 中型；small 小型")
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    bookable_by = serializers.CharField(
        read_only=True,
        help_text=_("staff 全体干部职工；liaison 部门联络员及以上；manager 仅会务管理员"),
    )
    bookable_by_display = serializers.CharField(source="get_bookable_by_display", read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "kind_display",
            "building",
            "floor",
            "capacity",
            "equipment",
            "open_from",
            "open_until",
            "requires_approval",
            "bookable_by",
            "bookable_by_display",
            "max_duration_minutes",
            "auto_release_minutes",
            "is_active",
        ]
        read_only_fields = fields


class MeetingBookingSerializer(serializers.ModelSerializer):
    room = RefSerializer(read_only=True)
    agency = RefSerializer(read_only=True)
    booker = serializers.SerializerMethodField(help_text=_("预订人：{id, name}"))
    series_id = serializers.IntegerField(read_only=True, allow_null=True)
    level = serializers.CharField(
        read_only=True, help_text=_("ordinary 一般会议；important 重要会议；major 重大会议")
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status = serializers.CharField(
        read_only=True,
        help_text=_(
            "pending 待审批；confirmed 已确认；served 已服务；rejected 已驳回；"
            "cancelled 已取消；released 已释放（未签到）"
        ),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    services = RefSerializer(many=True, read_only=True)
    ics_url = serializers.SerializerMethodField(help_text=_("下载日历文件（.ics）的地址"))

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "series_id",
            "title",
            "agency",
            "booker",
            "starts_at",
            "ends_at",
            "attendees_expected",
            "attendees_actual",
            "level",
            "level_display",
            "major_kind",
            "services",
            "notes",
            "status",
            "status_display",
            "cancel_reason",
            "checked_in_at",
            "served_at",
            "ics_url",
        ]
        read_only_fields = fields

    @extend_schema_field(RefSerializer)
    def get_booker(self, booking):
        person = getattr(booking.booker, "person", None)
        return {"id": booking.booker_id, "name": person.name if person else booking.booker.username}

    def get_ics_url(self, booking) -> str:
        return reverse("meetings:booking_ics", args=[booking.pk])


def _errors(**messages):
    return {key: str(value) for key, value in messages.items()}


class _ScopedPK(serializers.PrimaryKeyRelatedField):
    """A primary key looked up in a queryset built from the requesting user."""

    default_error_messages = {
        "required": _("此项为必填项。"),
        "does_not_exist": _("所选项不存在或无权使用。"),
        "incorrect_type": _("请填写有效的编号。"),
    }

    def __init__(self, builder, **kwargs):
        self.builder = builder
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.builder(request.user) if request is not None else self.queryset.none()


def _rooms(user):
    from .selectors import rooms_for

    return rooms_for(user)


def _agencies(user):
    """Managers book for any unit of their center; others for their own agency (or a sub-unit)."""
    qs = OrgUnit.objects.filter(center_id=user.center_id)
    if user.has_perm("meetings.change_booking"):
        return qs
    agency = user_agency(user)
    return qs.filter(path__startswith=agency.path) if agency is not None else qs.none()


def default_agency(user):
    """The user's agency; for center staff (whose agency is the center itself) their section."""
    agency = user_agency(user)
    if agency is not None and agency.kind == OrgUnit.Kind.CENTER:
        person = user.person
        return person.section
    return agency


def _services(user):
    return MeetingService.objects.filter(center_id=user.center_id, is_active=True)


class MeetingBookingCreateSerializer(serializers.Serializer):
    room = _ScopedPK(_rooms, queryset=Room.objects.none(), help_text=_("会议室 ID"))
    title = serializers.CharField(
        max_length=100,
        help_text=_("会议名称"),
        error_messages={"blank": _("请填写会议名称。"), "required": _("请填写会议名称。")},
    )
    agency = _ScopedPK(
        _agencies,
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("主办单位 ID（不填为本人所在单位）"),
    )
    starts_at = serializers.DateTimeField(
        help_text=_("开始时间（ISO 8601；不带时区按北京时间）"),
        error_messages={"invalid": _("请填写有效的开始时间。"), "required": _("请填写开始时间。")},
    )
    ends_at = serializers.DateTimeField(
        help_text=_("结束时间"),
        error_messages={"invalid": _("请填写有效的结束时间。"), "required": _("请填写结束时间。")},
    )
    attendees_expected = serializers.IntegerField(
        min_value=1,
        max_value=10000,
        help_text=_("预计参会人数"),
        error_messages={
            "invalid": _("请填写预计参会人数。"),
            "required": _("请填写预计参会人数。"),
            "min_value": _("预计参会人数至少为 1。"),
        },
    )
    level = serializers.ChoiceField(
        choices=Booking.Level.choices,
        default=Booking.Level.ORDINARY,
        help_text=_("ordinary 一般会议；important 重要会议；major 重大会议"),
        error_messages={"invalid_choice": _("请选择会议级别。")},
    )
    major_kind = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    services = _ScopedPK(
        _services,
        queryset=MeetingService.objects.none(),
        many=True,
        required=False,
        help_text=_("会务服务项目 ID 列表"),
    )
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    rrule = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("重复规则（RFC 5545，如 FREQ=WEEKLY;BYDAY=MO）；与 until 一起填写时为周期预订"),
    )
    until = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("周期预订截止时间"),
        error_messages={"invalid": _("请填写有效的截止时间。")},
    )
    skip_conflicts = serializers.BooleanField(
        required=False, default=False, help_text=_("周期预订：跳过有冲突的场次")
    )

    def validate(self, attrs):
        if bool(attrs.get("rrule")) != bool(attrs.get("until")):
            key = "until" if attrs.get("rrule") else "rrule"
            raise serializers.ValidationError(
                _errors(**{key: _("周期预订须同时填写重复规则和截止时间。")})
            )
        if attrs.get("agency") is None:
            agency = default_agency(self.context["request"].user)
            if agency is None:
                raise serializers.ValidationError(_errors(agency=_("请选择主办单位。")))
            attrs["agency"] = agency
        return attrs


class MeetingSeriesSkippedSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    problem = serializers.CharField()


class MeetingSeriesResultSerializer(serializers.Serializer):
    """周期预订结果：已创建的场次与跳过的场次。"""

    series_id = serializers.IntegerField()
    created = MeetingBookingSerializer(many=True)
    skipped = MeetingSeriesSkippedSerializer(many=True)


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        help_text=_("取消原因"),
        error_messages={"blank": _("请填写取消原因。"), "required": _("请填写取消原因。")},
    )


class BusyIntervalSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("booking 预订；block 停用"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField(allow_blank=True, help_text=_("预订状态（停用时段为空）"))
    label = serializers.CharField(allow_blank=True, help_text=_("主办单位或停用原因"))


class RoomAvailabilitySerializer(serializers.Serializer):
    room = RefSerializer()
    busy = BusyIntervalSerializer(many=True)
