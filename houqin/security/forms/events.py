"""Forms of incidents, contingency plans and trainings/drills. They parse input only; every
rule is in services/events.py, whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.org.models import Person

from ..models import ContingencyPlan, Drill, Incident
from ..services.events import active_people, major_bookings, responsible_users

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _datetime(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


def _textarea(label, limit, *, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EventForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


# ------------------------------------------------------------------ incidents


class IncidentForm(EventForm):
    occurred_at = _datetime(_("发生时间"))
    kind = forms.ChoiceField(label=_("事件类型"), choices=[("", "—"), *Incident.Kind.choices])
    place = forms.CharField(label=_("地点"), max_length=100)
    description = _textarea(_("经过"), 2000, rows=4, required=True)
    handling = _textarea(_("处置情况"), 2000)
    follow_up = forms.CharField(label=_("后续措施"), max_length=500, required=False)

    @classmethod
    def for_incident(cls, incident, data=None):
        initial = {
            name: getattr(incident, name)
            for name in ("kind", "place", "description", "handling", "follow_up")
        }
        initial["occurred_at"] = timezone.localtime(incident.occurred_at)
        return cls(data, initial=initial)


class IncidentCloseForm(EventForm):
    result = forms.CharField(
        label=_("处置结果"),
        max_length=500,
    )
    follow_up = forms.CharField(label=_("后续措施"), max_length=500, required=False)


# ------------------------------------------------------------------ contingency plans


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        start = timezone.localtime(obj.starts_at)
        major = f" · {obj.major_kind}" if obj.major_kind else ""
        return f"{start:%Y-%m-%d %H:%M} {obj.title}（{obj.room.name}）{major}"


class PlanForm(EventForm):
    title = forms.CharField(label=_("预案名称"), max_length=100)
    booking = BookingChoiceField(
        label=_("关联会议"),
        required=False,
        queryset=None,
        empty_label=_("（不关联会议）"),
        help_text=_("可选：会务预订中标记为“重大会议”且尚未结束的会议；不填活动时间则取会议时间。"),
    )
    event_start = _datetime(_("活动开始"), required=False)
    event_end = _datetime(_("活动结束"), required=False)
    coordination_meeting_at = _datetime(_("协调会时间"), required=False)
    responsible = UserChoiceField(
        label=_("负责人"),
        queryset=get_user_model().objects.none(),
        empty_label="—",
        help_text=_("安保消防管理员或中心领导。"),
    )
    status = forms.ChoiceField(label=_("状态"), choices=ContingencyPlan.Status.choices)
    measures = _textarea(
        _("安保措施"),
        4000,
        rows=8,
        required=True,
        help_text=_("如：人员分工、警戒区域、车辆停放、证件查验、消防保障、应急处置、医疗保障。"),
    )

    def __init__(self, *args, center_id, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": plan.title,
                    "booking": plan.booking_id,
                    "event_start": timezone.localtime(plan.event_start),
                    "event_end": timezone.localtime(plan.event_end),
                    "coordination_meeting_at": timezone.localtime(plan.coordination_meeting_at)
                    if plan.coordination_meeting_at
                    else None,
                    "responsible": plan.responsible_id,
                    "status": plan.status,
                    "measures": plan.measures,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = major_bookings(
            center_id, include=plan.booking_id if plan is not None else None
        )
        self.fields["responsible"].queryset = responsible_users(center_id)


# ------------------------------------------------------------------ trainings and drills


class PeopleWidget(forms.CheckboxSelectMultiple):
    """Checkboxes that carry each person's agency (data-agency) and name (data-name), so
    security/events.js can narrow the list by agency and by name without a round trip."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = self.people.get(getattr(value, "value", value))
        if person is not None:
            option["attrs"]["data-agency"] = str(person.agency_id)
            option["attrs"]["data-name"] = person.name
        return option


class PeopleField(forms.ModelMultipleChoiceField):
    widget = PeopleWidget

    def label_from_instance(self, obj):
        agency = obj.agency.short_name or obj.agency.name
        return f"{obj.name}（{agency}）"


class DrillForm(EventForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *Drill.Kind.choices])
    title = forms.CharField(label=_("主题"), max_length=100)
    held_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    organizer = forms.CharField(label=_("组织/授课"), max_length=100, required=False)
    other_participants = forms.IntegerField(
        label=_("其他参加人数"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("不在人员名册中的参加人员（如物业、外包服务人员）的人数。"),
    )
    summary = _textarea(_("情况小结"), 2000)
    participants = PeopleField(
        label=_("参加人员"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("本中心在职人员；可按单位筛选或输入姓名查找后勾选。"),
    )

    def __init__(self, *args, center_id, drill=None, **kwargs):
        chosen = []
        if drill is not None:
            chosen = list(drill.participants.all())
            kwargs.setdefault(
                "initial",
                {
                    "kind": drill.kind,
                    "title": drill.title,
                    "held_on": drill.held_on,
                    "place": drill.place,
                    "organizer": drill.organizer,
                    "other_participants": drill.other_participants,
                    "summary": drill.summary,
                    "participants": [p.pk for p in chosen],
                },
            )
        super().__init__(*args, **kwargs)
        # Active people, plus those already on the record who have since left.
        people = list(active_people(center_id))
        known = {p.pk for p in people}
        people += [p for p in chosen if p.pk not in known]
        field = self.fields["participants"]
        field.queryset = Person.objects.filter(center_id=center_id).filter(
            Q(status=Person.Status.ACTIVE) | Q(pk__in=[p.pk for p in chosen])
        )
        field.widget.people = {p.pk: p for p in people}
        field.widget.choices = [(p.pk, field.label_from_instance(p)) for p in people]
        self.agencies = sorted(
            {p.agency_id: p.agency for p in people}.values(), key=lambda a: a.path
        )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["participants"] = list(data["participants"])
        data["other_participants"] = data.get("other_participants") or 0
        return data
