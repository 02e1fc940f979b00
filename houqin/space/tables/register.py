"""django-tables2 tables of the register: buildings and rooms."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Building, SpaceRoom

STATUS_CSS = {"occupied": "success", "idle": "warning", "repair": "danger"}


def status_badge(room):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_CSS.get(room.status, "secondary"),
        room.get_status_display(),
    )


def square_metres(value):
    return "—" if value is None else f"{value:,.2f}"


class BuildingTable(tables.Table):
    name = tables.LinkColumn(
        "space:building_detail", args=[tables.A("pk")], verbose_name=_("楼栋名称")
    )
    code = tables.Column(verbose_name=_("编号"))
    address = tables.Column(verbose_name=_("地址"))
    ownership = tables.Column(verbose_name=_("产权性质"))
    floor_area = tables.Column(
        verbose_name=_("建筑面积（㎡）"), attrs={"td": {"class": "text-end"}}
    )
    floors = tables.Column(
        verbose_name=_("层数"), empty_values=(), order_by=("floors_above", "floors_below")
    )
    room_count = tables.Column(verbose_name=_("房间数"), attrs={"td": {"class": "text-end"}})
    room_area = tables.Column(
        verbose_name=_("使用面积合计（㎡）"), empty_values=(), attrs={"td": {"class": "text-end"}}
    )
    idle_count = tables.Column(verbose_name=_("闲置房间"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Building
        fields = (
            "name",
            "code",
            "address",
            "ownership",
            "floor_area",
            "floors",
            "room_count",
            "room_area",
            "idle_count",
        )
        order_by = ("code", "name")

    def render_name(self, record, value):
        if record.is_active:
            return value
        return format_html('{} <span class="badge text-bg-secondary">{}</span>', value, _("停用"))

    def render_floor_area(self, value):
        return square_metres(value)

    def render_floors(self, record):
        if record.floors_below:
            return _("地上 %(a)s / 地下 %(b)s") % {
                "a": record.floors_above,
                "b": record.floors_below,
            }
        return _("地上 %(a)s") % {"a": record.floors_above}

    def render_room_area(self, value):
        return square_metres(value)

    def render_idle_count(self, value):
        if value:
            return format_html('<span class="badge text-bg-warning">{}</span>', value)
        return "0"


class RoomTable(tables.Table):
    building = tables.Column(
        verbose_name=_("楼栋"),
        accessor="building__name",
        order_by=("building__code", "building__name"),
    )
    floor = tables.Column(
        verbose_name=_("楼层"), accessor="floor__name", order_by=("floor__level",)
    )
    number = tables.LinkColumn("space:room_detail", args=[tables.A("pk")], verbose_name=_("房间号"))
    name = tables.Column(verbose_name=_("房间名称"))
    use_kind = tables.Column(verbose_name=_("用房类别"))
    sub_use = tables.Column(verbose_name=_("具体用途"))
    usable_area = tables.Column(
        verbose_name=_("使用面积（㎡）"), attrs={"td": {"class": "text-end"}}
    )
    capacity = tables.Column(verbose_name=_("核定人数"), attrs={"td": {"class": "text-end"}})
    people = tables.Column(verbose_name=_("现有人数"), attrs={"td": {"class": "text-end"}})
    holder_name = tables.Column(verbose_name=_("使用单位"), default="—")
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = SpaceRoom
        fields = (
            "building",
            "floor",
            "number",
            "name",
            "use_kind",
            "sub_use",
            "usable_area",
            "capacity",
            "people",
            "holder_name",
            "status",
        )
        order_by = ("building", "floor", "number")

    def render_usable_area(self, value):
        return square_metres(value)

    def render_people(self, record, value):
        if value > record.capacity:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return value

    def render_status(self, record):
        return status_badge(record)
