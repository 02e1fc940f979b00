"""Shared filters: date bounds on timestamp columns, and lists that open on recent weeks."""

import datetime as dt

import django_filters
import pytest
from django.http import QueryDict
from django.utils import timezone

from houqin.core.filters import LocalDateFilter, recent_by_default
from houqin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


class EventFilter(django_filters.FilterSet):
    date_from = LocalDateFilter(field_name="timestamp", bound="from")
    date_to = LocalDateFilter(field_name="timestamp", bound="to")

    class Meta:
        model = AuditEvent
        fields = []


def local(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_local_date_bounds_take_whole_local_days():
    """1 June 00:00 and 23:59 Beijing time belong to 1 June (in UTC the first is still 31
    May); 31 May 23:59 and 2 June 00:00 do not."""
    day = dt.date(2026, 6, 1)
    times = {
        "before": local(day - dt.timedelta(days=1), 23, 59),
        "first": local(day, 0, 0),
        "last": local(day, 23, 59),
        "after": local(day + dt.timedelta(days=1), 0, 0),
    }
    for name, when in times.items():
        event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, username=name)
        AuditEvent.objects.filter(pk=event.pk).update(timestamp=when)
    data = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    filtered = EventFilter(data, queryset=AuditEvent.objects.all()).qs
    assert set(filtered.values_list("username", flat=True)) == {"first", "last"}
    sql = str(filtered.query)
    assert 'timestamp" >=' in sql and 'timestamp" <' in sql  # the column, not a cast of it
    only_to = EventFilter({"date_to": day.isoformat()}, queryset=AuditEvent.objects.all()).qs
    assert set(only_to.values_list("username", flat=True)) == {"before", "first", "last"}
    assert EventFilter({}, queryset=AuditEvent.objects.all()).qs.count() == 4


def test_recent_by_default_fills_the_start_only_when_no_date_is_given(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 6, 30))
    assert recent_by_default(QueryDict(""), days=31)["date_from"] == "2026-05-30"
    given = QueryDict("date_to=2026-01-31&status=placed")
    assert recent_by_default(given, days=31) is given
    kept = recent_by_default(QueryDict("status=placed"), days=7)
    assert kept["status"] == "placed" and kept["date_from"] == "2026-06-23"
    assert LocalDateFilter(bound="to").bound == "to"
    with pytest.raises(ValueError):
        LocalDateFilter(bound="until")
