"""Forms of the fleet pages. They parse input; the services decide what is allowed."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from . import services
from .models import RepairRecord, Vehicle


def _msgs(message, **extra):
    return {"required": message, "invalid": message, "invalid_choice": message, **extra}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _aware(day, time):
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _money_field(label, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages=_msgs(
            _("请填写有效的金额。"),
            min_value=_("金额不能为负数。"),
            max_digits=_("金额过大。"),
            max_decimal_places=_("金额最多保留两位小数。"),
        ),
    )


def _agencies(user):
    return OrgUnit.objects.filter(
        center_id=user.center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
    ).order_by("path")


class TripRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("公务事由"),
        max_length=200,
        error_messages=_msgs(_("请填写公务事由（不得用于与公务无关的事项）。")),
    )
    agency = forms.ModelChoiceField(
        label=_("用车单位"),
        queryset=OrgUnit.objects.none(),
        error_messages=_msgs(_("请选择用车单位。")),
    )
    origin = forms.CharField(
        label=_("出发地"), max_length=100, error_messages=_msgs(_("请填写出发地和目的地。"))
    )
    destination = forms.CharField(
        label=_("目的地"), max_length=100, error_messages=_msgs(_("请填写出发地和目的地。"))
    )
    stops = forms.CharField(label=_("途经"), max_length=200, required=False)
    passengers = forms.IntegerField(
        label=_("乘车人数"),
        min_value=1,
        max_value=60,
        error_messages=_msgs(
            _("请填写乘车人数（1–60）。"),
            min_value=_("请填写乘车人数（1–60）。"),
            max_value=_("请填写乘车人数（1–60）。"),
        ),
    )
    passenger_names = forms.CharField(label=_("乘车人"), max_length=200, required=False)
    depart_date = forms.DateField(
        label=_("出发日期"), widget=_date_widget(), error_messages=_msgs(_("请填写出发日期。"))
    )
    depart_time = forms.TimeField(
        label=_("出发时间"), widget=_time_widget(), error_messages=_msgs(_("请填写出发时间。"))
    )
    return_date = forms.DateField(
        label=_("返回日期"), widget=_date_widget(), error_messages=_msgs(_("请填写返回日期。"))
    )
    return_time = forms.TimeField(
        label=_("预计返回时间"),
        widget=_time_widget(),
        error_messages=_msgs(_("请填写返回时间。")),
    )
    needs_driver = forms.BooleanField(label=_("需要驾驶员"), required=False, initial=True)
    preferred_seats = forms.IntegerField(
        label=_("车型（座位）要求"),
        required=False,
        min_value=2,
        max_value=60,
        error_messages=_msgs(
            _("请填写有效的座位数。"),
            min_value=_("请填写有效的座位数。"),
            max_value=_("请填写有效的座位数。"),
        ),
    )

    # Service field names → form fields.
    FIELD_MAP = {"departs_at": "depart_time", "returns_at": "return_time"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(user)

    def service_fields(self):
        d = self.cleaned_data
        return {
            "agency": d["agency"],
            "purpose": d["purpose"],
            "origin": d["origin"],
            "destination": d["destination"],
            "stops": d["stops"],
            "passengers": d["passengers"],
            "passenger_names": d["passenger_names"],
            "departs_at": _aware(d["depart_date"], d["depart_time"]),
            "returns_at": _aware(d["return_date"], d["return_time"]),
            "needs_driver": d["needs_driver"],
            "preferred_seats": d["preferred_seats"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=200, error_messages=_msgs(_("请填写原因。"))
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages=_msgs(_("请选择 1–5 星。")),
    )
    comment = forms.CharField(
        label=_("评价"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DispatchForm(forms.Form):
    requests = forms.ModelMultipleChoiceField(
        label=_("用车申请"),
        queryset=None,
        error_messages=_msgs(_("请选择要派车的申请。"), invalid_pk_value=_("请选择要派车的申请。")),
    )
    vehicle = forms.ModelChoiceField(
        label=_("车辆"), queryset=None, error_messages=_msgs(_("请选择车辆。"))
    )
    driver = forms.ModelChoiceField(
        label=_("驾驶员"), queryset=None, error_messages=_msgs(_("请选择驾驶员。"))
    )

    def __init__(self, *args, requests, vehicles, drivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = requests
        self.fields["vehicle"].queryset = vehicles
        self.fields["driver"].queryset = drivers


def _odometer_field(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=9,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        error_messages=_msgs(
            _("请填写里程表读数。"),
            min_value=_("里程不能为负数。"),
            max_digits=_("请填写有效的里程表读数。"),
            max_decimal_places=_("里程最多保留一位小数。"),
        ),
    )


class TripStartForm(forms.Form):
    odometer = _odometer_field(_("出车里程（公里）"))
    disinfected = forms.BooleanField(label=_("出车前已完成车辆清洁消杀"), required=False)


class TripEndForm(forms.Form):
    odometer = _odometer_field(_("收车里程（公里）"))
    tolls = _money_field(_("通行费（元）"))
    parking = _money_field(_("停车费（元）"))
    fuel_liters = forms.DecimalField(
        label=_("加油量（升）/充电量（度）"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages=_msgs(_("请填写加油量。"), min_value=_("加油量必须大于 0。")),
    )
    fuel_cost = _money_field(_("加油金额（元）"))
    fuel_station = forms.CharField(label=_("加油站"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("备注"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    disinfected = forms.BooleanField(label=_("收车后已完成消杀"), required=False)

    def service_fields(self):
        d = self.cleaned_data
        return {
            "odometer": d["odometer"],
            "disinfected": d["disinfected"],
            "tolls": d["tolls"] or 0,
            "parking": d["parking"] or 0,
            "fuel_liters": d["fuel_liters"],
            "fuel_cost": d["fuel_cost"],
            "fuel_station": d["fuel_station"],
            "notes": d["notes"],
        }


VEHICLE_FIELDS = list(services.VEHICLE_FIELDS)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = VEHICLE_FIELDS
        widgets = {
            "purchase_date": _date_widget(),
            "insurance_expiry": _date_widget(),
            "inspection_expiry": _date_widget(),
        }
        error_messages = {
            "plate": {"required": _("请填写车牌号。")},
            "brand_model": {"required": _("请填写品牌型号。")},
            "seats": {"required": _("请填写座位数。"), "invalid": _("请填写有效的座位数。")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Driver

        self.fields["owner_agency"].queryset = _agencies(user)
        self.fields["responsible_driver"].queryset = Driver.objects.filter(
            center_id=user.center_id
        ).select_related("user__person")

    def clean_seats(self):
        seats = self.cleaned_data.get("seats")
        if seats is not None and seats < 1:
            raise forms.ValidationError(_("座位数必须大于 0。"))
        return seats

    def validate_unique(self):
        # The service checks the plate within the center (the form has no center).
        pass

    def validate_constraints(self):
        pass


class SealForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("封存开始"),
        widget=_datetime_widget(),
        error_messages=_msgs(_("请填写有效的开始时间。")),
    )
    ends_at = forms.DateTimeField(
        label=_("封存结束"),
        widget=_datetime_widget(),
        error_messages=_msgs(_("请填写有效的结束时间。")),
    )
    reason = forms.CharField(
        label=_("封存原因"), max_length=100, error_messages=_msgs(_("请填写封存原因。"))
    )


class FuelForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=_date_widget(), error_messages=_msgs(_("请填写有效的日期。"))
    )
    fuel_liters = forms.DecimalField(
        label=_("加油量（升）/充电量（度）"),
        max_digits=8,
        decimal_places=2,
        error_messages=_msgs(_("请填写加油量。")),
    )
    fuel_cost = _money_field(_("金额（元）"), required=True)
    fuel_station = forms.CharField(
        label=_("加油站"), max_length=100, error_messages=_msgs(_("请填写加油站。"))
    )


class RepairForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=RepairRecord.Kind.choices, error_messages=_msgs(_("请选择类型。"))
    )
    date = forms.DateField(
        label=_("日期"), widget=_date_widget(), error_messages=_msgs(_("请填写有效的日期。"))
    )
    shop = forms.CharField(
        label=_("维修单位 / 保险公司"),
        max_length=100,
        error_messages=_msgs(_("请填写单位和内容。")),
    )
    description = forms.CharField(
        label=_("内容"), max_length=300, error_messages=_msgs(_("请填写单位和内容。"))
    )
    cost = _money_field(_("金额（元）"), required=True)
