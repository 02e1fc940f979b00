"""django-filter filtersets of the org pages and API (one definition for both).

Every id a client passes (unit, agency, section) is validated against what the user may see:
an id of another center, outside the user's scope or unknown is one and the same 400
"invalid choice", so a filter reveals nothing a detail request would not.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

from .models import OrgUnit, Person, Rank
from .selectors import org_units_for

_SEARCH_MAX = 50


class AnyYesNoWidget(BooleanWidget):
    """Yes/no filter whose empty choice reads “全部” rather than “未知”."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))


def _units(request):
    if request is None:
        return OrgUnit.objects.none()
    return org_units_for(request.user)


def _anchor_units(request):
    """Units a tree filter may start from: the visible units and the user's own center."""
    if request is None:
        return OrgUnit.objects.none()
    user = request.user
    return OrgUnit.objects.filter(
        Q(pk__in=org_units_for(user).values("pk")) | Q(pk=user.center_id, kind=OrgUnit.Kind.CENTER)
    )


def _agencies(request):
    return _units(request).exclude(kind=OrgUnit.Kind.SECTION)


def _sections(request):
    return _units(request).filter(kind=OrgUnit.Kind.SECTION)


class OrgUnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=[(OrgUnit.Kind.AGENCY, _("部门/单位")), (OrgUnit.Kind.SECTION, _("股室"))],
        label=_("类型"),
    )
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=AnyYesNoWidget)
    # Not model fields: the schema type is given explicitly (an id).
    parent = extend_schema_field({"type": "integer", "description": "上级机构 ID：仅其直属下级"})(
        django_filters.ModelChoiceFilter(
            queryset=_anchor_units, method="children_of", label=_("直属于"), empty_label=_("全部")
        )
    )
    under = extend_schema_field({"type": "integer", "description": "机构 ID：其下全部各级下级"})(
        django_filters.ModelChoiceFilter(
            queryset=_anchor_units,
            method="descendants_of",
            label=_("下属于"),
            empty_label=_("全部"),
        )
    )
    q = django_filters.CharFilter(method="search", label=_("名称"))

    class Meta:
        model = OrgUnit
        fields = []

    def children_of(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path, depth=value.depth + 1)

    def descendants_of(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path, depth__gt=value.depth)

    def search(self, queryset, name, value):
        value = value.strip()[:_SEARCH_MAX]
        return queryset.filter(name__icontains=value) if value else queryset


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名/职务"))
    agency = django_filters.ModelChoiceFilter(
        queryset=_agencies, method="in_agency", label=_("单位（含下属单位）"), empty_label=_("全部")
    )
    section = django_filters.ModelChoiceFilter(
        queryset=_sections, label=_("股室"), empty_label=_("全部")
    )
    rank = django_filters.ModelChoiceFilter(
        queryset=Rank.objects.filter(is_active=True), label=_("职级")
    )
    employment_type = django_filters.ChoiceFilter(
        choices=Person.EmploymentType.choices, label=_("用工性质")
    )
    status = django_filters.ChoiceFilter(choices=Person.Status.choices, label=_("状态"))
    gender = django_filters.ChoiceFilter(choices=Person.Gender.choices, label=_("性别"))

    class Meta:
        model = Person
        fields = []

    def in_agency(self, queryset, name, value):
        # An agency includes its sub-units (materialised path prefix).
        return queryset.filter(agency__path__startswith=value.path)

    def search(self, queryset, name, value):
        value = value.strip()[:_SEARCH_MAX]
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value))
