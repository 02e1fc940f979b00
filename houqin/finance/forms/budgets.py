"""Forms of budget projects, their monthly plan, expenditures and the finance settings. They
parse input only; every rule is in services/budgets.py, whose errors come back next to the
fields (apply_errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import BudgetProject, CostKind

DATE_FORMAT = "%Y-%m-%d"


def date_field(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def choices(enum, empty="—"):
    return [("", empty), *enum.choices]


class FinanceForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


class ProjectForm(FinanceForm):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("年度须为 4 位数字。"),
            "min_value": _("年度须在 2000—2100 之间。"),
            "max_value": _("年度须在 2000—2100 之间。"),
        },
    )
    code = forms.CharField(label=_("项目编码"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=100)
    category = forms.ChoiceField(label=_("支出类别"), choices=choices(BudgetProject.Category))
    source = forms.ChoiceField(label=_("资金来源"), choices=choices(BudgetProject.Source))
    # Parsed by the service (money): its messages say what is wrong in Chinese.
    amount = forms.CharField(label=_("预算金额（元）"), max_length=20)
    responsible = forms.ModelChoiceField(
        label=_("负责人"), queryset=get_user_model().objects.none(), required=False
    )
    cost_kind = forms.ChoiceField(
        label=_("归集其他模块费用"),
        choices=choices(CostKind, _("（不归集）")),
        required=False,
        help_text=_(
            "选择后，该类费用（如公务用车燃料费）自动计入本项目。每年每类只能由一个项目归集。"
        ),
    )
    notes = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        field.queryset = (
            get_user_model()
            .objects.filter(center_id=center_id, is_active=True)
            .select_related("person")
            .order_by("username")
        )
        field.label_from_instance = _user_label
        field.empty_label = _("（未指定）")

    @classmethod
    def for_project(cls, project, data, *, center_id, year):
        if project is None:
            return cls(data, center_id=center_id, initial={"year": year})
        initial = {
            "year": project.year,
            "code": project.code,
            "name": project.name,
            "category": project.category,
            "source": project.source,
            "amount": project.amount,
            "responsible": project.responsible_id,
            "cost_kind": project.cost_kind,
            "notes": project.notes,
        }
        return cls(data, center_id=center_id, initial=initial)


def _user_label(user):
    person = getattr(user, "person", None)
    return f"{person.name}（{user.username}）" if person is not None else user.username


MONTHS = range(1, 13)


class PlanForm(forms.Form):
    """分月支出计划: the cumulative % planned by the end of each month; all empty = even."""

    def __init__(self, *args, project=None, **kwargs):
        if project is not None and project.monthly_plan and not kwargs.get("initial"):
            kwargs["initial"] = {
                f"m{m}": p for m, p in zip(MONTHS, project.monthly_plan, strict=False)
            }
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            self.fields[f"m{month}"] = forms.CharField(
                label=_("%(m)s月") % {"m": month},
                required=False,
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
            )

    def months(self):
        return [self[f"m{month}"] for month in MONTHS]

    def plan(self):
        """The 12 values as typed, or [] when all are empty (checked by the service)."""
        values = [(self.cleaned_data.get(f"m{m}") or "").strip() for m in MONTHS]
        return [] if not any(values) else values


class ExpenditureForm(FinanceForm):
    project = forms.ModelChoiceField(
        label=_("预算项目"),
        queryset=BudgetProject.objects.none(),
        required=False,
        empty_label=_("（暂不归集）"),
    )
    date = date_field(_("支出日期"))
    amount = forms.CharField(
        label=_("金额（元）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-threshold-input": ""}),
    )
    payee = forms.CharField(label=_("收款单位/人"), max_length=100)
    purpose = forms.CharField(label=_("用途"), max_length=200)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=40, required=False)

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = BudgetProject.objects.filter(
            center_id=center_id
        ).order_by("-year", "code")
        self.fields["project"].label_from_instance = _project_label
        self.fields["date"].error_messages["invalid"] = _("请填写正确的日期，如 2026-11-26。")


def _project_label(project):
    return f"{project.year}年 {project.code} {project.name}"


class AssignForm(FinanceForm):
    project = forms.ModelChoiceField(
        label=_("预算项目"),
        queryset=BudgetProject.objects.none(),
        required=False,
        empty_label=_("（暂不归集）"),
    )

    def __init__(self, *args, expenditure, **kwargs):
        kwargs.setdefault("initial", {"project": expenditure.project_id})
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = BudgetProject.objects.filter(
            center_id=expenditure.center_id, year=expenditure.date.year
        ).order_by("code")
        self.fields["project"].label_from_instance = _project_label
        self.fields["project"].error_messages["invalid_choice"] = _(
            "请选择本中心同一年度的预算项目。"
        )


class SettingsForm(FinanceForm):
    approval_threshold = forms.CharField(
        label=_("须审批的支出金额（元）"),
        max_length=20,
        help_text=_("单笔支出达到此金额的，登记后须经中心领导审批，通过后才计入已支出。"),
    )
    voucher_due_days = forms.CharField(
        label=_("凭证移交期限（期末后天数）"),
        max_length=5,
        help_text=_("所属单位应在会计期间结束后多少天内向中心移交会计凭证。"),
    )


class ExecutionDateForm(forms.Form):
    """?date=YYYY-MM-DD (today when missing or not valid)."""

    date = date_field(_("统计截至日期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["invalid"] = _("请填写正确的日期，如 2021-09-30。")
