"""Forms of publicity events, their activities and photos. They parse input only; the rules
(end not before start, activities within the event's dates, photos are images) are in
services/events.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PublicityEvent
from .projects import EnergyForm, choices, date_field, textarea


class EventForm(EnergyForm):
    kind = forms.ChoiceField(label=_("类型"), choices=choices(PublicityEvent.Kind))
    title = forms.CharField(label=_("活动名称"), max_length=100)
    start_date = date_field(_("开始日期"))
    end_date = date_field(_("结束日期"))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    organizer = forms.CharField(label=_("组织单位"), max_length=100, required=False)
    participants = forms.IntegerField(
        label=_("参与人数"), min_value=0, max_value=10_000_000, required=False, initial=0
    )
    summary = textarea(_("活动总结"), 4000, rows=5)

    FIELDS = (
        "kind",
        "title",
        "start_date",
        "end_date",
        "place",
        "organizer",
        "participants",
        "summary",
    )

    @classmethod
    def for_event(cls, event, data=None):
        if event is None:
            return cls(data)
        return cls(data, initial={name: getattr(event, name) for name in cls.FIELDS})


class ActivityForm(EnergyForm):
    date = date_field(_("日期"))
    title = forms.CharField(label=_("活动内容"), max_length=100)
    participants = forms.IntegerField(
        label=_("参与人数"), min_value=0, max_value=10_000_000, required=False, initial=0
    )
    description = textarea(_("说明"), 2000, rows=2)

    def __init__(self, *args, event=None, **kwargs):
        if event is not None:
            kwargs.setdefault("initial", {"date": event.start_date})
        super().__init__(*args, **kwargs)


class PhotoForm(EnergyForm):
    image = forms.FileField(
        label=_("照片"),
        help_text=_("JPEG、PNG 或 WebP 格式，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)
