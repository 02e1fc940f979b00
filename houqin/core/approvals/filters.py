"""django-filter filtersets of the approval pages and API (one definition for both)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ApprovalRequest
from .registry import request_types
from .rules import acted_condition, decidable_condition

_SEARCH_MAX = 50


def _type_choices():
    return [(t.code, t.label) for t in request_types()]


class ApprovalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("标题"))
    request_type = django_filters.ChoiceFilter(choices=_type_choices, label=_("申请类型"))
    status = django_filters.ChoiceFilter(choices=ApprovalRequest.Status.choices, label=_("状态"))
    submitted_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("提交日期自")
    )
    submitted_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("提交日期至")
    )

    class Meta:
        model = ApprovalRequest
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()[:_SEARCH_MAX]
        return queryset.filter(title__icontains=value) if value else queryset


class ApprovalApiFilter(ApprovalFilter):
    box = django_filters.ChoiceFilter(
        choices=[
            ("to_decide", _("待我审批")),
            ("mine", _("我发起的")),
            ("done", _("我已处理")),
        ],
        method="in_box",
        label=_("分类"),
        help_text=_("to_decide 待我审批；mine 我发起的；done 我已处理"),
    )

    def in_box(self, queryset, name, value):
        user = self.request.user
        if value == "to_decide":
            return (
                queryset.filter(status=ApprovalRequest.Status.PENDING)
                .exclude(requester_id=user.pk)
                .filter(decidable_condition(user))
            )
        if value == "mine":
            return queryset.filter(requester_id=user.pk)
        if value == "done":
            return queryset.filter(acted_condition(user))
        return queryset
