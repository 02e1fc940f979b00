"""Forms of activity records, their categories and photos. They parse input only; the rules
(date not in the future, participants of the center, photos are images) are in
services/activities.py."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.org.models import Person

from ..models import ActivityCategory
from .common import ChineseForm, date_field, textarea


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        agency = obj.agency.short_name or obj.agency.name
        return f"{obj.name}（{agency}）"


class ActivityForm(ChineseForm):
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=ActivityCategory.objects.none(), empty_label="—"
    )
    date = date_field(_("日期"))
    title = forms.CharField(label=_("活动主题"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    organizer = forms.CharField(label=_("组织者"), max_length=100, required=False)
    participants = PersonChoiceField(
        label=_("参加人员"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("按住 Ctrl（Mac 为 ⌘）可多选；未列出姓名的人员填在“其他参加人数”。"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    other_participants = forms.IntegerField(
        label=_("其他参加人数"), min_value=0, max_value=100_000, required=False, initial=0
    )
    summary = textarea(_("活动内容"), 4000, rows=5)

    FIELDS = ("category", "date", "title", "place", "organizer", "other_participants", "summary")

    def __init__(self, *args, center_id, activity=None, **kwargs):
        if activity is not None:
            initial = {name: getattr(activity, name) for name in self.FIELDS}
            initial["participants"] = list(activity.participants.values_list("pk", flat=True))
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        keep = Q(is_active=True)
        if activity is not None:
            keep |= Q(pk=activity.category_id)
        self.fields["category"].queryset = ActivityCategory.objects.filter(
            keep, center_id=center_id
        )
        people = Q(status=Person.Status.ACTIVE)
        if activity is not None:
            people |= Q(pk__in=activity.participants.values("pk"))
        self.fields["participants"].queryset = (
            Person.objects.filter(people, center_id=center_id)
            .select_related("agency")
            .order_by("agency__path", "name", "id")
        )

    def clean_other_participants(self):
        return self.cleaned_data.get("other_participants") or 0


class CategoryForm(ChineseForm):
    name = forms.CharField(label=_("类别名称"), max_length=40)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)


class PhotoForm(ChineseForm):
    image = forms.FileField(
        label=_("照片"),
        help_text=_("JPEG、PNG 或 WebP 格式，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)
