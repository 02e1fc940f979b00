"""django-filter filtersets of the patrol records and routes."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..forms.patrols import DATE
from ..models import Patrol, PatrolRoute


class GuardChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class GuardFilter(django_filters.ModelChoiceFilter):
    field_class = GuardChoiceField


class PatrolFilter(django_filters.FilterSet):
    """Filters of the patrol list; route and guard choices are of the user's center."""

    route = django_filters.ModelChoiceFilter(
        queryset=PatrolRoute.objects.none(), label=_("路线"), empty_label=_("全部")
    )
    guard = GuardFilter(
        queryset=get_user_model().objects.none(), label=_("巡查人"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Patrol.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="started_at",
        lookup_expr="date__gte",
        label=_("开始日期自"),
        widget=forms.DateInput(attrs=DATE),
    )
    date_to = django_filters.DateFilter(
        field_name="started_at",
        lookup_expr="date__lte",
        label=_("至"),
        widget=forms.DateInput(attrs=DATE),
    )

    class Meta:
        model = Patrol
        fields = []

    def __init__(self, *args, patrols=None, routes=None, **kwargs):
        """`patrols`: the patrols the user may see (the guard choices are theirs)."""
        super().__init__(*args, **kwargs)
        if routes is not None:
            self.filters["route"].queryset = routes
        if patrols is not None:
            self.filters["guard"].queryset = (
                get_user_model()
                .objects.filter(pk__in=patrols.values("guard_id"))
                .select_related("person")
                .order_by("username")
            )


class RouteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=PatrolRoute.Kind.choices, label=_("类别"), empty_label=_("全部")
    )
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = PatrolRoute
        fields = []
