"""Workday calendar pages: the administrator's holiday overrides, a 60-day preview and the
warning when a year's holidays are not known yet."""

import contextlib
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors as _apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from . import calendar, services
from .filters import HolidayOverrideFilter
from .forms import HolidayOverrideForm
from .permissions import get_holiday_override_for_user
from .selectors import holiday_overrides_for
from .tables import WEEKDAYS, HolidayOverrideTable

PAGE_SIZE = 50
PREVIEW_DAYS = 60


def _year_param(request, default):
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def _preview(today):
    """The next 60 days as a Monday-first grid: leading blanks, then the days."""
    days = calendar.days_info(today, today + dt.timedelta(days=PREVIEW_DAYS))
    return [None] * today.weekday() + days


@login_required
@permission_required("workdays.view_holidayoverride", raise_exception=True)
def calendar_page(request):
    today = timezone.localdate()
    year = _year_param(request, today.year)
    data = request.GET.copy()
    data["year"] = str(year)  # always one year (sanitised; default: this year)
    filterset = HolidayOverrideFilter(data, queryset=holiday_overrides_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = list(filterset.qs)
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="workdays.HolidayOverride",
            rows=len(rows),
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
        workbook = build_workbook(
            _("节假日调整"),
            [
                Column("date", _("日期"), width=12),
                Column("weekday", _("星期"), width=8),
                Column("kind", _("安排"), width=10),
                Column("name", _("名称"), width=20),
                Column("created_by", _("录入人"), width=12),
            ],
            (
                (
                    o.date,
                    WEEKDAYS[o.date.weekday()],
                    _("上班") if o.is_workday else _("放假"),
                    o.name,
                    o.created_by.display_name if o.created_by else "",
                )
                for o in rows
            ),
        )
        return xlsx_response(workbook, _("节假日调整"))
    table = HolidayOverrideTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    first, last = calendar.package_years()
    return render(
        request,
        "workdays/calendar.html",
        {
            "table": table,
            "filter": filterset,
            "year": year,
            "prev_year": year - 1,
            "next_year": year + 1,
            "warning": calendar.calendar_warning(today),
            "unknown_year": calendar.first_unknown_year(today),
            "package_first": first,
            "package_last": last,
            "preview": _preview(today),
            "weekdays": WEEKDAYS,
            "today": today,
            "active_menu": "workdays_calendar",
        },
    )


@login_required
@permission_required("workdays.add_holidayoverride", raise_exception=True)
def override_create(request):
    initial = {}
    if (raw := request.GET.get("date", "")) and len(raw) == 10:
        with contextlib.suppress(ValueError):
            initial["date"] = dt.date.fromisoformat(raw)
    form = HolidayOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.holiday_override_create(
                actor=request.user,
                date=data["date"],
                end_date=data.get("end_date"),
                is_workday=form.is_workday,
                name=data["name"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已录入 %(n)d 天：%(name)s（%(kind)s）。")
                % {
                    "n": len(created),
                    "name": data["name"].strip(),
                    "kind": _("上班") if form.is_workday else _("放假"),
                },
            )
            return redirect(f"{reverse('workdays:calendar')}?year={data['date'].year}")
    return render(
        request,
        "workdays/override_form.html",
        {"form": form, "title": _("录入节假日调整"), "active_menu": "workdays_calendar"},
    )


@login_required
@permission_required("workdays.change_holidayoverride", raise_exception=True)
def override_edit(request, pk):
    override = get_holiday_override_for_user(request.user, pk)
    initial = {
        "date": override.date,
        "day_type": HolidayOverrideForm.WORKDAY
        if override.is_workday
        else HolidayOverrideForm.HOLIDAY,
        "name": override.name,
    }
    form = HolidayOverrideForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.holiday_override_update(
                actor=request.user,
                override=get_holiday_override_for_user(request.user, pk),
                date=data["date"],
                is_workday=form.is_workday,
                name=data["name"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(f"{reverse('workdays:calendar')}?year={data['date'].year}")
    return render(
        request,
        "workdays/override_form.html",
        {
            "form": form,
            "override": override,
            "title": _("编辑节假日调整"),
            "active_menu": "workdays_calendar",
        },
    )


@login_required
@permission_required("workdays.delete_holidayoverride", raise_exception=True)
@require_POST
def override_delete(request, pk):
    override = get_holiday_override_for_user(request.user, pk)
    year, label = override.date.year, str(override)
    services.holiday_override_delete(actor=request.user, override=override)
    messages.success(request, _("已删除 %(item)s。") % {"item": label})
    return redirect(f"{reverse('workdays:calendar')}?year={year}")
