"""django-filter filtersets of the budget projects and expenditures lists."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import BudgetProject, Expenditure

NONE = "none"  # ?project=none: expenditures on no project (待归集)


class ProjectFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="year", label=_("年度"), min_value=2000, max_value=2100
    )
    category = django_filters.ChoiceFilter(
        choices=BudgetProject.Category.choices, label=_("支出类别"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="search", label=_("编码/名称"))

    class Meta:
        model = BudgetProject
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ExpenditureFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", label=_("年度"), min_value=2000, max_value=2100
    )
    project = django_filters.ChoiceFilter(
        method="by_project", label=_("预算项目"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Expenditure.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label=_("日期从"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="search", label=_("收款方/用途/凭证号"))

    class Meta:
        model = Expenditure
        fields = []

    def __init__(self, data=None, *args, projects=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["project"].extra["choices"] = [
            (NONE, _("（待归集）")),
            *((str(p.pk), f"{p.year}年 {p.code} {p.name}") for p in projects),
        ]

    def by_project(self, queryset, name, value):
        if value == NONE:
            return queryset.filter(project__isnull=True)
        return queryset.filter(project_id=value)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(payee__icontains=value) | Q(purpose__icontains=value) | Q(voucher_no__icontains=value)
        )
