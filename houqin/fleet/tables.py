import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import TripRequest, Vehicle
from .views.common import expiring

REQUEST_CSS = {
    TripRequest.Status.PENDING: "warning",
    TripRequest.Status.APPROVED: "info",
    TripRequest.Status.DISPATCHED: "primary",
    TripRequest.Status.COMPLETED: "success",
    TripRequest.Status.REJECTED: "danger",
    TripRequest.Status.UNMET: "danger",
    TripRequest.Status.CANCELLED: "secondary",
}
VEHICLE_CSS = {
    Vehicle.Status.IN_SERVICE: "success",
    Vehicle.Status.REPAIR: "warning",
    Vehicle.Status.SEALED: "secondary",
    Vehicle.Status.DISPOSED: "dark",
}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


class TripRequestTable(tables.Table):
    departs_at = tables.Column(verbose_name=_("用车时间"))
    purpose = tables.LinkColumn(
        "fleet:request_detail", args=[tables.A("pk")], verbose_name=_("公务事由")
    )
    route = tables.Column(verbose_name=_("线路"), empty_values=(), orderable=False)
    agency = tables.Column(verbose_name=_("用车单位"), order_by=("agency__path",))
    requester = tables.Column(verbose_name=_("申请人"), orderable=False)
    passengers = tables.Column(verbose_name=_("人数"))
    trip = tables.Column(verbose_name=_("车辆 / 驾驶员"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = TripRequest
        fields = (
            "departs_at",
            "purpose",
            "route",
            "agency",
            "requester",
            "passengers",
            "trip",
            "status",
        )
        order_by = ("-departs_at",)

    def render_departs_at(self, record):
        start = timezone.localtime(record.departs_at)
        end = timezone.localtime(record.returns_at)
        fmt = "%H:%M" if start.date() == end.date() else "%m-%d %H:%M"
        return f"{start:%Y-%m-%d %H:%M}–{end.strftime(fmt)}"

    def render_route(self, record):
        return f"{record.origin}→{record.destination}"

    def render_agency(self, record):
        return record.agency.short_name or record.agency.name

    def render_requester(self, record):
        return record.requester.display_name

    def render_trip(self, record):
        trip = record.trip
        return f"{trip.vehicle.plate} {trip.driver}"

    def render_status(self, record):
        return badge(REQUEST_CSS.get(record.status, "secondary"), record.get_status_display())


class VehicleTable(tables.Table):
    plate = tables.LinkColumn("fleet:vehicle_edit", args=[tables.A("pk")], verbose_name=_("车牌号"))
    brand_model = tables.Column(verbose_name=_("品牌型号"))
    category = tables.Column(verbose_name=_("类别"))
    energy = tables.Column(verbose_name=_("能源"))
    seats = tables.Column(verbose_name=_("座位"))
    fixed = tables.Column(verbose_name=_("三定点"), empty_values=(), orderable=False)
    responsible_driver = tables.Column(verbose_name=_("责任驾驶员"), orderable=False)
    insurance_expiry = tables.Column(verbose_name=_("保险到期"))
    inspection_expiry = tables.Column(verbose_name=_("年检到期"))
    odometer_km = tables.Column(verbose_name=_("里程"))
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Vehicle
        fields = (
            "plate",
            "brand_model",
            "category",
            "energy",
            "seats",
            "fixed",
            "responsible_driver",
            "insurance_expiry",
            "inspection_expiry",
            "odometer_km",
            "status",
        )
        order_by = ("plate",)

    def render_fixed(self, record):
        parts = [
            (_("停放"), record.fixed_parking),
            (_("加油"), record.fixed_fuel_station),
            (_("维修"), record.fixed_repair_shop),
        ]
        return "；".join(f"{k}：{v}" for k, v in parts if v) or "—"

    def render_responsible_driver(self, record):
        return str(record.responsible_driver)

    def _expiry(self, value):
        if expiring(value):
            return format_html(
                '<span class="text-danger fw-bold hq-expiring">{} {}</span>',
                value.isoformat(),
                _("即将到期"),
            )
        return value.isoformat()

    def render_insurance_expiry(self, value):
        return self._expiry(value)

    def render_inspection_expiry(self, value):
        return self._expiry(value)

    def render_status(self, record):
        return badge(VEHICLE_CSS.get(record.status, "secondary"), record.get_status_display())
