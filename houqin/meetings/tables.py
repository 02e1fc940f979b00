import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Booking, Room

STATUS_CSS = {
    Booking.Status.PENDING: "warning",
    Booking.Status.CONFIRMED: "success",
    Booking.Status.SERVED: "primary",
    Booking.Status.REJECTED: "danger",
    Booking.Status.CANCELLED: "secondary",
    Booking.Status.RELEASED: "secondary",
}


def status_badge(booking):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_CSS.get(booking.status, "secondary"),
        booking.get_status_display(),
    )


class BookingTable(tables.Table):
    starts_at = tables.Column(verbose_name=_("时间"))
    title = tables.LinkColumn(
        "meetings:booking_detail", args=[tables.A("pk")], verbose_name=_("会议名称")
    )
    room = tables.Column(verbose_name=_("会议室"), order_by=("room__name",))
    agency = tables.Column(verbose_name=_("主办单位"), order_by=("agency__path",))
    booker = tables.Column(verbose_name=_("预订人"), orderable=False)
    attendees_expected = tables.Column(verbose_name=_("预计人数"))
    level = tables.Column(verbose_name=_("会议级别"))
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Booking
        fields = (
            "starts_at",
            "title",
            "room",
            "agency",
            "booker",
            "attendees_expected",
            "level",
            "status",
        )
        order_by = ("-starts_at",)

    def render_starts_at(self, record):
        start = timezone.localtime(record.starts_at)
        end = timezone.localtime(record.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def render_agency(self, record):
        return record.agency.short_name or record.agency.name

    def render_booker(self, record):
        return record.booker.display_name

    def render_status(self, record):
        return status_badge(record)


class RoomTable(tables.Table):
    name = tables.LinkColumn("meetings:room_edit", args=[tables.A("pk")], verbose_name=_("名称"))
    code = tables.Column(verbose_name=_("编号"))
    kind = tables.Column(verbose_name=_("类型"))
    location = tables.Column(verbose_name=_("位置"), empty_values=(), orderable=False)
    capacity = tables.Column(verbose_name=_("容纳人数"))
    equipment = tables.Column(verbose_name=_("设备"), orderable=False)
    requires_approval = tables.BooleanColumn(verbose_name=_("须审批"))
    bookable_by = tables.Column(verbose_name=_("可预订人员"))
    is_active = tables.BooleanColumn(verbose_name=_("启用"))

    class Meta:
        model = Room
        fields = (
            "name",
            "code",
            "kind",
            "location",
            "capacity",
            "equipment",
            "requires_approval",
            "bookable_by",
            "is_active",
        )
        order_by = ("name",)

    def render_location(self, record):
        parts = [record.building, f"{record.floor}层" if record.floor else ""]
        return " ".join(p for p in parts if p) or "—"
