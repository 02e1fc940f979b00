import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, Person
from .selectors import org_units_for, ranks


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名/职务"))
    agency = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.none(), method="in_unit", label=_("单位")
    )
    rank = django_filters.ModelChoiceFilter(queryset=ranks(), label=_("职级"))
    employment_type = django_filters.ChoiceFilter(
        choices=Person.EmploymentType.choices, label=_("用工性质")
    )
    status = django_filters.ChoiceFilter(choices=Person.Status.choices, label=_("状态"))
    gender = django_filters.ChoiceFilter(choices=Person.Gender.choices, label=_("性别"))

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = org_units_for(user).exclude(kind=OrgUnit.Kind.SECTION)
        self.filters["rank"].queryset = ranks()

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value))

    def in_unit(self, queryset, name, value):
        # An agency includes its sub-units (materialised path prefix).
        return queryset.filter(agency__path__startswith=value.path)


class OrgUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    kind = django_filters.ChoiceFilter(
        choices=[(OrgUnit.Kind.AGENCY, _("部门/单位")), (OrgUnit.Kind.SECTION, _("股室"))],
        label=_("类型"),
    )
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = OrgUnit
        fields = []
