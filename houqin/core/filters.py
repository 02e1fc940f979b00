import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, AuditLogEntry

ACTION_CHOICES = [
    (AuditLogEntry.Action.CREATE, _("新增")),
    (AuditLogEntry.Action.UPDATE, _("修改")),
    (AuditLogEntry.Action.DELETE, _("删除")),
    (AuditLogEntry.Action.ACCESS, _("访问")),
]


def _tracked_types(request):
    from auditlog.registry import auditlog

    return ContentType.objects.get_for_models(*auditlog.get_models()).values()


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor__username", lookup_expr="icontains", label=_("操作人")
    )
    action = django_filters.ChoiceFilter(choices=ACTION_CHOICES, label=_("操作"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.none(), label=_("对象类型"), empty_label=_("全部")
    )
    object_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("对象"))
    remote_addr = django_filters.CharFilter(label=_("IP 地址"))
    date_from = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = AuditLogEntry
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [ct.pk for ct in _tracked_types(request)]
        self.filters["content_type"].queryset = ContentType.objects.filter(pk__in=ids)


class AuditEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("用户名"))
    kind = django_filters.ChoiceFilter(choices=AuditEvent.Kind.choices, label=_("事件"))
    ip = django_filters.CharFilter(label=_("IP 地址"))
    date_from = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = AuditEvent
        fields = []
