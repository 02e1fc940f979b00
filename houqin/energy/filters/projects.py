"""django-filter filterset of the projects list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import EnergyProject


class ProjectFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=EnergyProject.Kind.choices, label=_("类型"), empty_label=_("全部")
    )
    year = django_filters.NumberFilter(field_name="year", label=_("下达年度"), min_value=2000)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("项目名称"))

    class Meta:
        model = EnergyProject
        fields = []
