"""django-filter filtersets of the manager's work-order board and list (orders of the center)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import LocalDateFilter
from houqin.core.roles import role_permissions

from ..models import Category, Urgency, WorkOrder

S = WorkOrder.Status
OPEN_STATUSES = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS)
WORK_PERM = "maintenance.work_workorder"


def technicians(center_id):
    """Active users of the center whose roles there give maintenance.work_workorder."""
    User = get_user_model()
    roles = [role for role, perms in role_permissions().items() if WORK_PERM in perms]
    if center_id is None or not roles:
        return User.objects.none()
    return (
        User.objects.filter(
            center_id=center_id,
            is_active=True,
            role_assignments__center_id=center_id,
            role_assignments__role__in=roles,
        )
        .select_related("person")
        .distinct()
        .order_by("person__name", "username")
    )


def _technicians(request):
    return technicians(getattr(request.user, "center_id", None) if request else None)


def overdue_q(now=None):
    """The orders still open past their completion deadline (services.is_overdue)."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Assignee(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AssigneeFilter(django_filters.ModelChoiceFilter):
    field_class = _Assignee


OVERDUE_CHOICES = (("1", _("仅看超时")),)


class _OrderFilterBase(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("类别"), empty_label=_("全部")
    )
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices, label=_("紧急程度"), empty_label=_("全部")
    )
    assignee = AssigneeFilter(queryset=_technicians, label=_("维修人员"), empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(
        choices=OVERDUE_CHOICES, label=_("超时"), empty_label=_("全部"), method="filter_overdue"
    )

    def __init__(self, *args, now=None, **kwargs):
        self.now = now
        super().__init__(*args, **kwargs)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.now)) if value == "1" else queryset


class BoardFilter(_OrderFilterBase):
    """The board's filters: category, urgency, assignee, overdue only."""

    class Meta:
        model = WorkOrder
        fields = []


class OrderFilter(_OrderFilterBase):
    """The list's filters: status, category, urgency, reported between, assignee, overdue,
    source, and a search on the number, description and location."""

    status = django_filters.ChoiceFilter(choices=S.choices, label=_("状态"), empty_label=_("全部"))
    date_from = LocalDateFilter(
        field_name="created_at",
        bound="from",
        label=_("报修日期自"),
        widget=_date_widget(),
    )
    date_to = LocalDateFilter(
        field_name="created_at",
        bound="to",
        label=_("报修日期至"),
        widget=_date_widget(),
    )
    source = django_filters.ChoiceFilter(
        choices=WorkOrder.Source.choices, label=_("来源"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("工单号/描述/位置"))

    class Meta:
        model = WorkOrder
        fields = []

    ORDER = ("status", "category", "urgency", "assignee", "overdue", "source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = [name for name in self.ORDER if name in self.filters]
        self.filters = {
            **{name: self.filters[name] for name in first},
            **{k: v for k, v in self.filters.items() if k not in first},
        }

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(description__icontains=value)
            | Q(building__icontains=value)
            | Q(room__icontains=value)
            | Q(location_text__icontains=value)
        )
