import datetime as dt

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .duties.recurrence import day_bounds
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


def recent_by_default(data, *, days, start="date_from", end="date_to"):
    """A list's GET data with `start` set to `days` ago when neither date was given.

    Lists of a year's records (720,000 meal orders, as many ledger rows) open on the recent
    weeks: what the staff work on, and a page whose count and sums stay cheap whatever the
    history. The filled-in date shows in the form, so an earlier one is one edit away.
    """
    if data.get(start) or data.get(end):
        return data
    data = data.copy()
    data[start] = (timezone.localdate() - dt.timedelta(days=days)).isoformat()
    return data


class LocalDateFilter(django_filters.DateFilter):
    """A date bound on a timestamp column, as a range on the column itself.

    `created_at__date__gte=d` makes the database convert every row's timestamp to a local date
    before comparing (no index helps); `created_at >= d 00:00 local` compares the column as
    stored. `bound="from"` keeps rows from the start of the day; `bound="to"` rows before the
    start of the next day (the whole day included).
    """

    def __init__(self, *args, bound="from", **kwargs):
        if bound not in ("from", "to"):
            raise ValueError(bound)
        self.bound = bound
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        start, end = day_bounds(value)
        if self.bound == "from":
            return self.get_method(qs)(**{f"{self.field_name}__gte": start})
        return self.get_method(qs)(**{f"{self.field_name}__lt": end})
