"""django-filter filtersets of the duties pages and API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .models import DutyPlan, DutyRecord, DutyTask
from .recurrence import day_bounds
from .selectors import assigned_q, plans_for

_SEARCH_MAX = 50


class AnyYesNoWidget(BooleanWidget):
    """Yes/no filter whose empty choice reads “全部”."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))


def _plans(request):
    if request is None:
        return DutyPlan.objects.none()
    return plans_for(request.user).order_by("title")


def _search(queryset, field, value):
    value = (value or "").strip()[:_SEARCH_MAX]
    return queryset.filter(**{f"{field}__icontains": value}) if value else queryset


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称/地点"))
    category = django_filters.ChoiceFilter(choices=DutyPlan.Category.choices, label=_("类别"))
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=AnyYesNoWidget)

    class Meta:
        model = DutyPlan
        fields = []

    def search(self, queryset, name, value):
        value = (value or "").strip()[:_SEARCH_MAX]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(location_text__icontains=value))


class RecordFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(method="completed_from", label=_("完成日期自"))
    date_to = django_filters.DateFilter(method="completed_to", label=_("至"))
    category = django_filters.ChoiceFilter(
        field_name="task__category", choices=DutyPlan.Category.choices, label=_("类别")
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="task__plan", queryset=_plans, label=_("计划"), empty_label=_("全部")
    )
    on_time = django_filters.BooleanFilter(label=_("按时"), widget=AnyYesNoWidget)
    has_findings = django_filters.BooleanFilter(
        method="findings", label=_("有异常项"), widget=AnyYesNoWidget
    )
    q = django_filters.CharFilter(method="search", label=_("任务/地点"))

    class Meta:
        model = DutyRecord
        fields = []

    def completed_from(self, queryset, name, value):
        return queryset.filter(completed_at__gte=day_bounds(value)[0])

    def completed_to(self, queryset, name, value):
        return queryset.filter(completed_at__lt=day_bounds(value)[1])

    def findings(self, queryset, name, value):
        return queryset.exclude(failed_items=[]) if value else queryset.filter(failed_items=[])

    def search(self, queryset, name, value):
        value = (value or "").strip()[:_SEARCH_MAX]
        if not value:
            return queryset
        return queryset.filter(
            Q(task__title__icontains=value) | Q(task__location_text__icontains=value)
        )


class TaskFilter(django_filters.FilterSet):
    """API filters of /api/v1/duty-tasks/."""

    date = django_filters.DateFilter(method="due_on", label=_("应完成日期（北京时间）"))
    status = django_filters.ChoiceFilter(choices=DutyTask.Status.choices, label=_("状态"))
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("计划 ID"))
    mine = django_filters.BooleanFilter(method="assigned_to_me", label=_("只看分配给我的"))

    class Meta:
        model = DutyTask
        fields = []

    def due_on(self, queryset, name, value):
        start, end = day_bounds(value)
        return queryset.filter(due_at__gte=start, due_at__lt=end)

    def assigned_to_me(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(assigned_q(self.request.user))
