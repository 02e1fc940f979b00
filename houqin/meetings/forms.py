"""Forms of the meetings pages. They parse input; the services decide what is allowed."""

import datetime as dt

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.uploads import validate_image
from houqin.org.models import OrgUnit

from .models import Booking, MeetingService, Room
from .selectors import rooms_for

REPEAT_CHOICES = [
    ("", _("不重复")),
    ("FREQ=WEEKLY", _("每周")),
    ("FREQ=WEEKLY;INTERVAL=2", _("每两周")),
    ("FREQ=MONTHLY", _("每月")),
]


def _required(message):
    return {"required": message, "invalid": message, "invalid_choice": message}


def _time_widget():
    return forms.TimeInput(attrs={"type": "time", "step": 1800}, format="%H:%M")


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _aware(day, time):
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class BookingForm(forms.Form):
    room = forms.ModelChoiceField(
        label=_("会议室"),
        queryset=Room.objects.none(),
        empty_label=_("请选择会议室"),
        error_messages=_required(_("请选择会议室。")),
    )
    date = forms.DateField(
        label=_("日期"), widget=_date_widget(), error_messages=_required(_("请填写有效的日期。"))
    )
    start_time = forms.TimeField(
        label=_("开始时间"),
        widget=_time_widget(),
        error_messages=_required(_("请填写有效的开始时间。")),
    )
    end_time = forms.TimeField(
        label=_("结束时间"),
        widget=_time_widget(),
        error_messages=_required(_("请填写有效的结束时间。")),
    )
    title = forms.CharField(
        label=_("会议名称"), max_length=100, error_messages=_required(_("请填写会议名称。"))
    )
    agency = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=OrgUnit.objects.none(),
        error_messages=_required(_("请选择主办单位。")),
    )
    attendees_expected = forms.IntegerField(
        label=_("预计人数"),
        min_value=1,
        max_value=10000,
        error_messages={
            **_required(_("请填写预计参会人数。")),
            "min_value": _("预计参会人数至少为 1 人。"),
            "max_value": _("预计参会人数不能超过 10000 人。"),
        },
    )
    level = forms.ChoiceField(
        label=_("会议级别"),
        choices=Booking.Level.choices,
        initial=Booking.Level.ORDINARY,
        error_messages=_required(_("请选择会议级别。")),
    )
    major_kind = forms.CharField(
        label=_("重大会议类别"),
        max_length=30,
        required=False,
        help_text=_("重大会议填写，如 区人大、区政协、党代会"),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("会务服务"),
        queryset=MeetingService.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("请选择有效的会务服务。")},
    )
    notes = forms.CharField(
        label=_("备注"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repeat = forms.ChoiceField(
        label=_("重复"),
        choices=REPEAT_CHOICES,
        required=False,
        error_messages=_required(_("请选择有效的重复方式。")),
    )
    until = forms.DateField(
        label=_("重复截止日期"),
        required=False,
        widget=_date_widget(),
        error_messages=_required(_("请填写有效的截止日期。")),
    )
    skip_conflicts = forms.BooleanField(
        label=_("跳过冲突的日期"),
        required=False,
        help_text=_("勾选后，与已有预订或停用时段冲突的日期不预订，其余日期照常预订。"),
    )

    SERIES_FIELDS = ("repeat", "until", "skip_conflicts")

    def __init__(self, *args, user, series=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms_for(user)
        self.fields["agency"].queryset = OrgUnit.objects.filter(
            center_id=user.center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
        ).order_by("path")
        self.fields["services"].queryset = MeetingService.objects.filter(
            center_id=user.center_id, is_active=True
        )
        if not series:
            for name in self.SERIES_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = _aware(day, start)
            data["ends_at"] = _aware(day, end)
        if data.get("repeat") and not data.get("until"):
            self.add_error("until", _("请填写重复截止日期。"))
        return data

    def booking_fields(self):
        """Keyword arguments for booking_create / booking_update."""
        d = self.cleaned_data
        return {
            "room": d["room"],
            "title": d["title"],
            "agency": d["agency"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "attendees_expected": d["attendees_expected"],
            "level": d["level"],
            "major_kind": d["major_kind"],
            "services": list(d["services"]),
            "notes": d["notes"],
        }

    def series_fields(self):
        """Keyword arguments for booking_series_create."""
        fields = self.booking_fields()
        fields.pop("major_kind")
        fields["first_start"] = fields.pop("starts_at")
        fields["first_end"] = fields.pop("ends_at")
        fields["rrule"] = self.cleaned_data["repeat"]
        fields["until"] = _aware(self.cleaned_data["until"], dt.time(23, 59, 59))
        fields["skip_conflicts"] = self.cleaned_data["skip_conflicts"]
        return fields

    @classmethod
    def initial_for(cls, booking):
        start = timezone.localtime(booking.starts_at)
        end = timezone.localtime(booking.ends_at)
        return {
            "room": booking.room_id,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "title": booking.title,
            "agency": booking.agency_id,
            "attendees_expected": booking.attendees_expected,
            "level": booking.level,
            "major_kind": booking.major_kind,
            "services": [s.pk for s in booking.services.all()],
            "notes": booking.notes,
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        error_messages=_required(_("请填写取消原因。")),
    )


class ServedForm(forms.Form):
    attendees_actual = forms.IntegerField(
        label=_("实到人数"),
        min_value=0,
        max_value=10000,
        error_messages={
            **_required(_("请填写实到人数。")),
            "min_value": _("请填写实到人数。"),
            "max_value": _("实到人数不能超过 10000 人。"),
        },
    )


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "name",
            "code",
            "kind",
            "building",
            "floor",
            "capacity",
            "equipment",
            "photo",
            "open_from",
            "open_until",
            "requires_approval",
            "bookable_by",
            "max_duration_minutes",
            "auto_release_minutes",
            "is_active",
        ]
        widgets = {"open_from": _time_widget(), "open_until": _time_widget()}
        error_messages = {
            "name": {"required": _("请填写会议室名称。")},
            "kind": {"required": _("请选择会议室类型。")},
            "capacity": {"required": _("请填写容纳人数。")},
        }

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            validate_image(photo)
        return photo

    def clean(self):
        data = super().clean()
        start, end = data.get("open_from"), data.get("open_until")
        if start and end and end <= start:
            self.add_error("open_until", _("开放结束时间必须晚于开放开始时间。"))
        if data.get("capacity") == 0:
            self.add_error("capacity", _("容纳人数必须大于 0。"))
        return data

    def validate_constraints(self):
        # The service checks the name and the constraints (with the center the form lacks).
        pass

    def room_fields(self):
        data = dict(self.cleaned_data)
        photo = data.get("photo")
        if photo is False:
            data["photo"] = ""  # "clear" ticked
        elif not isinstance(photo, UploadedFile):
            data.pop("photo", None)  # unchanged
        return data


class BlockForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages=_required(_("请填写有效的开始时间。")),
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages=_required(_("请填写有效的结束时间。")),
    )
    reason = forms.CharField(
        label=_("停用原因"), max_length=100, error_messages=_required(_("请填写停用原因。"))
    )
