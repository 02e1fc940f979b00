"""Forms of the 节约型机关 pages: scoring sheets, campaigns, batches, enrolment, meetings,
scores and evidence. They parse input only; every rule is in services/conservation.py,
whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import CampaignMeeting, ConservationUnit, ScoringSheet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(label, limit, *, rows=3):
    return forms.CharField(
        label=label, max_length=limit, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


def _year(label):
    return forms.IntegerField(label=label, min_value=2000, max_value=2100)


class ConservationForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


# ------------------------------------------------------------------ scoring sheets


class SheetForm(ConservationForm):
    name = forms.CharField(label=_("评分表名称"), max_length=100)
    pass_mark = forms.DecimalField(
        label=_("达标分数"),
        max_digits=5,
        decimal_places=1,
        initial=80,
        help_text=_("满分 100 分；评审得分达到此分数即为创建达标。"),
    )
    description = _textarea(_("说明"), 2000)

    @classmethod
    def for_sheet(cls, sheet, data=None):
        return cls(
            data,
            initial={
                "name": sheet.name,
                "pass_mark": sheet.pass_mark,
                "description": sheet.description,
            },
        )


class AreaForm(ConservationForm):
    name = forms.CharField(label=_("考核方面"), max_length=100)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False)


class ItemForm(ConservationForm):
    text = forms.CharField(label=_("考核内容"), max_length=300)
    points = forms.CharField(
        label=_("分值"),
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "max": "100"}),
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False)


# ------------------------------------------------------------------ campaigns


class SheetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.total == 100:
            return f"{obj.name}（{_('满分 100 分')}）"
        return f"{obj.name}（{_('当前合计 %(t)s 分，未满 100 分') % {'t': obj.total}}）"


class CampaignForm(ConservationForm):
    name = forms.CharField(label=_("创建活动"), max_length=100)
    sheet = SheetChoiceField(
        label=_("评分表"), queryset=ScoringSheet.objects.none(), empty_label="—"
    )
    start_year = _year(_("起始年度"))
    end_year = _year(_("截止年度"))
    description = _textarea(_("说明"), 2000)

    def __init__(self, *args, center_id, campaign=None, **kwargs):
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": campaign.name,
                    "sheet": campaign.sheet_id,
                    "start_year": campaign.start_year,
                    "end_year": campaign.end_year,
                    "description": campaign.description,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["sheet"].queryset = (
            ScoringSheet.objects.filter(center_id=center_id)
            .annotate(
                total=Coalesce(
                    Sum("areas__items__points"),
                    Value(0),
                    output_field=DecimalField(max_digits=6, decimal_places=1),
                )
            )
            .order_by("name")
        )


class BatchForm(ConservationForm):
    number = forms.IntegerField(label=_("批次"), min_value=1, max_value=99)
    year = _year(_("年度"))
    target_units = forms.IntegerField(
        label=_("目标单位数"), min_value=1, help_text=_("本批次计划创建达标的单位数。")
    )
    deadline = forms.DateField(label=_("完成期限"), required=False, widget=DATE)

    @classmethod
    def for_batch(cls, batch, data=None):
        return cls(
            data,
            initial={
                "number": batch.number,
                "year": batch.year,
                "target_units": batch.target_units,
                "deadline": batch.deadline,
            },
        )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["number_value"] = data.pop("number")
        return data


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class EnrollForm(ConservationForm):
    agencies = AgencyChoiceField(
        label=_("报名单位"),
        queryset=OrgUnit.objects.none(),
        help_text=_("本中心服务的、尚未报名本次创建活动的单位；可一次勾选多个。"),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        enrolled = ConservationUnit.objects.filter(campaign=campaign).values("agency_id")
        self.fields["agencies"].queryset = (
            OrgUnit.objects.filter(
                center_id=campaign.center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
            )
            .exclude(pk__in=enrolled)
            .order_by("path")
        )
        self.fields["agencies"].error_messages["required"] = _("请选择要报名的单位。")


class MeetingForm(ConservationForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *CampaignMeeting.Kind.choices])
    date = forms.DateField(label=_("日期"), widget=DATE)
    title = forms.CharField(label=_("主题"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    participants = forms.IntegerField(
        label=_("参加人数"), min_value=0, max_value=100000, required=False, initial=0
    )
    notes = _textarea(_("纪要"), 4000, rows=5)

    @classmethod
    def for_meeting(cls, meeting, data=None):
        fields = ("kind", "date", "title", "place", "participants", "notes")
        return cls(data, initial={name: getattr(meeting, name) for name in fields})


# ------------------------------------------------------------------ scores and evidence


class ScoreForm(forms.Form):
    """One number input per item (`item_<pk>`), placed in the score table of the unit page
    through the HTML `form` attribute; with `review`, also a note per item (`note_<pk>`) and
    the review comment. Values are checked by the service (0 ≤ score ≤ item points)."""

    def __init__(self, *args, items, form_id, review=False, **kwargs):
        kwargs.setdefault("auto_id", f"{form_id}-%s")
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label="",
                required=False,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.1",
                        "min": "0",
                        "max": f"{item.points}",
                        "form": form_id,
                        "aria-label": f"{item.text}（{_('满分')} {item.points}）",
                        "class": "hq-score-input",
                    }
                ),
            )
            if review:
                self.fields[f"note_{item.pk}"] = forms.CharField(
                    label="",
                    required=False,
                    max_length=300,
                    widget=forms.TextInput(
                        attrs={"form": form_id, "aria-label": f"{item.text} {_('评审说明')}"}
                    ),
                )
        if review:
            self.fields["comment"] = forms.CharField(
                label=_("评审意见"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def points(self):
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.items}

    def notes(self):
        return {item.pk: self.cleaned_data.get(f"note_{item.pk}", "") for item in self.items}


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.area.name} · {obj.text}"


class EvidenceForm(ConservationForm):
    title = forms.CharField(label=_("材料名称"), max_length=100)
    item = ItemChoiceField(
        label=_("对应考核项目"),
        queryset=None,
        required=False,
        empty_label=_("（不指定）"),
    )
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("PDF、图片（PNG/JPG）、Word 或 Excel 文件，不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )

    def __init__(self, *args, items, **kwargs):
        kwargs.setdefault("auto_id", "evidence-%s")
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
