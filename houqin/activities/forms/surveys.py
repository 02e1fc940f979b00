"""Forms of surveys: the survey itself, its questions, exemptions, and the phone answer form
built from the questions (one field `q_<pk>` per question, family sub-entries `f<i>_…`).
They parse input only: the answer rules are in services/surveys.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import SurveyQuestion
from ..services.surveys import NO, YES
from .common import ChineseForm, date_field, textarea


class SurveyForm(ChineseForm):
    title = forms.CharField(label=_("摸排主题"), max_length=100)
    deadline = date_field(_("截止日期"))
    description = textarea(_("说明"), 2000, rows=3)
    agencies = forms.ModelMultipleChoiceField(
        label=_("摸排范围（单位）"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("不选则为本中心全部在岗人员"),
        widget=forms.CheckboxSelectMultiple,
    )
    include_vendor_staff = forms.BooleanField(label=_("含外包人员"), required=False)
    allow_family = forms.BooleanField(label=_("可填报家属"), required=False)

    def __init__(self, *args, center_id, survey=None, **kwargs):
        if survey is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": survey.title,
                    "deadline": survey.deadline,
                    "description": survey.description,
                    "agencies": list(survey.agencies.values_list("pk", flat=True)),
                    "include_vendor_staff": survey.include_vendor_staff,
                    "allow_family": survey.allow_family,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = OrgUnit.objects.filter(
            center_id=center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
        ).order_by("path")


class QuestionForm(ChineseForm):
    text = forms.CharField(label=_("问题"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *SurveyQuestion.Kind.choices])
    choices = forms.CharField(
        label=_("选项"),
        required=False,
        help_text=_("单选题填写，每行一个选项，至少 2 个"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)


class ExemptForm(ChineseForm):
    response = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("免填原因"), max_length=200)


def _question_field(question, required_mark=True):
    label = question.text + (" *" if question.required and required_mark else "")
    kind = question.kind
    if kind == SurveyQuestion.Kind.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[(YES, _("是")), (NO, _("否"))],
            widget=forms.RadioSelect,
        )
    if kind == SurveyQuestion.Kind.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[(c, c) for c in question.choices],
            widget=forms.RadioSelect,
        )
    if kind == SurveyQuestion.Kind.NUMBER:
        return forms.CharField(
            label=label,
            required=False,
            max_length=30,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    if kind == SurveyQuestion.Kind.DATE:
        return forms.CharField(
            label=label,
            required=False,
            max_length=10,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    return forms.CharField(
        label=label, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    """Fields: q_<pk> per question; with family, slots f<i>_name, f<i>_relation, f<i>_q_<pk>.
    Every field is optional here: the service says what is missing."""

    def __init__(self, *args, questions, family_slots=0, response=None, **kwargs):
        self.questions = list(questions)
        self.family_slots = family_slots
        initial = {}
        if response is not None:
            initial = self.initial_from(response)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for q in self.questions:
            self.fields[f"q_{q.pk}"] = _question_field(q)
        for i in range(family_slots):
            self.fields[f"f{i}_name"] = forms.CharField(
                label=_("家属姓名"), required=False, max_length=40
            )
            self.fields[f"f{i}_relation"] = forms.CharField(
                label=_("关系"), required=False, max_length=20
            )
            for q in self.questions:
                self.fields[f"f{i}_q_{q.pk}"] = _question_field(q)

    def initial_from(self, response):
        initial = {f"q_{a.question_id}": a.value for a in response.answers.all()}
        for i, member in enumerate(response.family.all()):
            initial[f"f{i}_name"] = member.family_name
            initial[f"f{i}_relation"] = member.family_relation
            for a in member.answers.all():
                initial[f"f{i}_q_{a.question_id}"] = a.value
        return initial

    def own_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    def family_groups(self):
        groups = []
        for i in range(self.family_slots):
            fields = [self[f"f{i}_name"], self[f"f{i}_relation"]]
            answers = [self[f"f{i}_q_{q.pk}"] for q in self.questions]
            filled = any(f.value() not in (None, "") or f.errors for f in fields + answers)
            groups.append(
                {
                    "index": i + 1,
                    "name": fields[0],
                    "relation": fields[1],
                    "answers": answers,
                    "open": filled,
                }
            )
        return groups

    def answers(self):
        data = self.cleaned_data
        return {q.pk: data.get(f"q_{q.pk}", "") for q in self.questions}

    def family(self):
        """The filled family slots (a slot with neither a name nor an answer is skipped)."""
        data = self.cleaned_data
        members = []
        for i in range(self.family_slots):
            answers = {q.pk: data.get(f"f{i}_q_{q.pk}", "") for q in self.questions}
            name = data.get(f"f{i}_name", "")
            relation = data.get(f"f{i}_relation", "")
            if not name and not relation and not any(answers.values()):
                continue
            members.append({"slot": i, "name": name, "relation": relation, "answers": answers})
        return members
