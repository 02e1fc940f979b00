"""车辆编制 (quotas per unit × category) and 驾驶员 (drivers, teams) for the dispatcher."""

import datetime as dt
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from houqin.org.models import OrgUnit

from .. import services
from ..models import DriverShift, DriverTeam, Vehicle, VehicleQuota
from ..selectors import driver_stats
from .common import apply, drivers_for, error_messages, expiring, form_error_messages

MANAGE = "fleet.change_vehicle"


def _msgs(message):
    return {"required": message, "invalid": message, "invalid_choice": message}


def _agencies(center_id):
    return OrgUnit.objects.filter(
        center_id=center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
    ).order_by("path")


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class QuotaForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("单位"),
        queryset=OrgUnit.objects.none(),
        error_messages=_msgs(gettext_lazy("请选择单位。")),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=Vehicle.Category.choices,
        error_messages=_msgs(gettext_lazy("请选择车辆类别。")),
    )
    quota = forms.IntegerField(
        label=gettext_lazy("编制数"),
        min_value=0,
        max_value=999,
        error_messages={
            **_msgs(gettext_lazy("请填写编制数（0–999）。")),
            "min_value": gettext_lazy("请填写编制数（0–999）。"),
            "max_value": gettext_lazy("请填写编制数（0–999）。"),
        },
    )

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(center_id)


class DriverForm(forms.Form):
    user = _UserChoice(
        label=gettext_lazy("人员账号"),
        queryset=None,
        error_messages=_msgs(gettext_lazy("请选择本中心的人员账号。")),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("班组"),
        queryset=None,
        required=False,
        error_messages=_msgs(gettext_lazy("请选择班组。")),
    )
    licence_class = forms.CharField(
        label=gettext_lazy("准驾车型"),
        max_length=10,
        initial="C1",
        error_messages=_msgs(gettext_lazy("请填写准驾车型。")),
    )
    licence_expiry = forms.DateField(
        label=gettext_lazy("驾驶证有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_msgs(gettext_lazy("请填写有效的日期。")),
    )
    is_active = forms.BooleanField(label=gettext_lazy("在岗"), required=False, initial=True)

    def __init__(self, *args, center_id, driver=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(center_id=center_id, is_active=True)
        self.fields["user"].queryset = users.select_related("person").order_by("username")
        self.fields["team"].queryset = DriverTeam.objects.filter(center_id=center_id)
        if driver is not None:
            self.fields["user"].disabled = True


class TeamForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("班组名称"),
        max_length=30,
        error_messages=_msgs(gettext_lazy("请填写班组名称。")),
    )
    team_leader = forms.ModelChoiceField(
        label=gettext_lazy("班长"),
        queryset=None,
        required=False,
        error_messages=_msgs(gettext_lazy("请选择本中心的驾驶员。")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_leader"].queryset = drivers_for(user, active_only=True)


# ---------------------------------------------------------------- 车辆编制


def _quota_rows(center_id):
    """Per unit × category: quota, actual (vehicles not disposed) and vacancy. 3 queries."""
    quotas = {
        (q.agency_id, q.category): q
        for q in VehicleQuota.objects.filter(center_id=center_id).select_related("agency")
    }
    actual = defaultdict(int)
    for row in (
        Vehicle.objects.filter(center_id=center_id, owner_agency__isnull=False)
        .exclude(status=Vehicle.Status.DISPOSED)
        .values("owner_agency_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        actual[(row["owner_agency_id"], row["category"])] = row["n"]
    names = {a.pk: a for a in _agencies(center_id)}
    names.update({q.agency_id: q.agency for q in quotas.values()})
    labels = dict(Vehicle.Category.choices)
    rows = []
    for key in set(quotas) | set(actual):
        agency_id, category = key
        quota = quotas.get(key)
        n = quotas[key].quota if quota else 0
        rows.append(
            {
                "agency": names.get(agency_id),
                "category": labels.get(category, category),
                "quota": quota,
                "quota_n": n,
                "actual": actual.get(key, 0),
                "vacancy": n - actual.get(key, 0),
                "over": max(0, actual.get(key, 0) - n),
            }
        )
    rows.sort(key=lambda r: (getattr(r["agency"], "path", ""), r["category"]))
    totals = {k: sum(r[k] for r in rows) for k in ("quota_n", "actual", "vacancy")}
    return rows, totals


@login_required
@permission_required(MANAGE, raise_exception=True)
def quota_list(request):
    center = request.user.center
    form = QuotaForm(request.POST or None, center_id=center.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_save(actor=request.user, center=center, **form.cleaned_data)
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, _("已保存车辆编制。"))
            return redirect("fleet:quota_list")
    rows, totals = _quota_rows(center.pk)
    return render(
        request,
        "fleet/quota_list.html",
        {"form": form, "rows": rows, "totals": totals, "active_menu": "fleet_quotas"},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def quota_delete(request, pk):
    quota = get_object_or_404(VehicleQuota, pk=pk, center_id=request.user.center_id)
    services.quota_delete(actor=request.user, quota=quota)
    messages.success(request, _("已删除车辆编制。"))
    return redirect("fleet:quota_list")


# ---------------------------------------------------------------- 驾驶员


@login_required
@permission_required(MANAGE, raise_exception=True)
def driver_list(request):
    center = request.user.center
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    stats = driver_stats(center, start, dt.date(today.year + 1, 1, 1))
    teams = list(
        DriverTeam.objects.filter(center=center)
        .select_related("team_leader__user__person")
        .annotate(n=Count("drivers"))
    )
    team_names = {t.pk: t.name for t in teams}
    for s in stats:
        s.team_name = team_names.get(s.driver.team_id, "")
        s.licence_expiring = expiring(s.driver.licence_expiry, today)
    return render(
        request,
        "fleet/driver_list.html",
        {
            "stats": sorted(
                stats, key=lambda s: (not s.driver.is_active, s.team_name, s.driver.pk)
            ),
            "teams": teams,
            "year": today.year,
            "team_form": TeamForm(user=request.user),
            "active_menu": "fleet_drivers",
        },
    )


def _driver_fields(form, driver=None):
    d = form.cleaned_data
    return {
        "user": driver.user if driver else d["user"],
        "team": d["team"],
        "licence_class": d["licence_class"],
        "licence_expiry": d["licence_expiry"],
        "is_active": d["is_active"],
    }


def _driver_page(request, form, title, driver=None):
    return render(
        request,
        "fleet/driver_form.html",
        {"form": form, "driver": driver, "title": title, "active_menu": "fleet_drivers"},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def driver_create(request):
    form = DriverForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            driver = services.driver_save(
                actor=request.user, center=request.user.center, **_driver_fields(form)
            )
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, _("已登记驾驶员 %(d)s。") % {"d": driver})
            return redirect("fleet:driver_list")
    return _driver_page(request, form, _("登记驾驶员"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def driver_edit(request, pk):
    driver = get_object_or_404(drivers_for(request.user), pk=pk)
    initial = {
        "user": driver.user_id,
        "team": driver.team_id,
        "licence_class": driver.licence_class,
        "licence_expiry": driver.licence_expiry,
        "is_active": driver.is_active,
    }
    form = DriverForm(
        request.POST or None, center_id=request.user.center_id, driver=driver, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_save(
                actor=request.user,
                center=request.user.center,
                driver=driver,
                **_driver_fields(form, driver),
            )
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, _("已保存驾驶员信息。"))
            return redirect("fleet:driver_list")
    return _driver_page(request, form, str(driver), driver)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def team_create(request):
    form = TeamForm(request.POST, user=request.user)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("fleet:driver_list")
    try:
        team = services.team_save(
            actor=request.user, center=request.user.center, **form.cleaned_data
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("已新建班组 %(n)s。") % {"n": team.name})
    return redirect("fleet:driver_list")


# ---------------------------------------------------------------- 驾驶员排班


class ShiftForm(forms.Form):
    driver = forms.ModelChoiceField(
        label=gettext_lazy("驾驶员"),
        queryset=None,
        required=False,
        error_messages=_msgs(gettext_lazy("请选择本中心在岗的驾驶员。")),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("或整个班组"),
        queryset=None,
        required=False,
        error_messages=_msgs(gettext_lazy("请选择本中心的班组。")),
    )
    date = forms.DateField(
        label=gettext_lazy("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_msgs(gettext_lazy("请填写有效的排班日期。")),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("班次"),
        choices=DriverShift.Kind.choices,
        initial=DriverShift.Kind.DAY,
        error_messages=_msgs(gettext_lazy("请选择班次。")),
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers_for(user, active_only=True).order_by("pk")
        self.fields["team"].queryset = DriverTeam.objects.filter(center_id=user.center_id)

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("driver")) == bool(data.get("team")):
            raise ValidationError(_("请选择一名驾驶员或一个班组（二选一）。"))
        return data


def _monday(day):
    return day - dt.timedelta(days=day.weekday())


def _parse_week(request):
    raw = request.GET.get("week", "")
    if raw:
        try:
            return _monday(dt.date.fromisoformat(raw))
        except ValueError:
            messages.warning(request, _("周次格式不正确（应为 YYYY-MM-DD），已显示本周。"))
    return _monday(timezone.localdate())


def _roster_url(day):
    return f"{reverse('fleet:shift_roster')}?week={_monday(day).isoformat()}"


def _roster_groups(user, days):
    """Drivers × days grouped by team, team leader first. 3 queries whatever the size."""
    teams = list(DriverTeam.objects.filter(center_id=user.center_id).order_by("name"))
    drivers = list(drivers_for(user, active_only=True))
    by_cell = defaultdict(list)
    for shift in DriverShift.objects.filter(
        center_id=user.center_id, date__gte=days[0], date__lte=days[-1]
    ).order_by("kind", "pk"):
        by_cell[(shift.driver_id, shift.date)].append(shift)
    members = defaultdict(list)
    for d in drivers:
        members[d.team_id].append(d)
    groups = []
    for team in [*teams, None]:
        leader_id = team.team_leader_id if team else None
        rows = [
            {
                "driver": d,
                "is_leader": d.pk == leader_id,
                "cells": [{"day": day, "shifts": by_cell.get((d.pk, day), [])} for day in days],
            }
            for d in sorted(
                members.get(team.pk if team else None, []),
                key=lambda d: (d.pk != leader_id, str(d), d.pk),
            )
        ]
        if rows or team is not None:
            groups.append({"team": team, "rows": rows})
    return groups


@login_required
@permission_required(MANAGE, raise_exception=True)
def shift_roster(request):
    user = request.user
    monday = _parse_week(request)
    form = ShiftForm(request.POST or None, user=user, initial={"date": monday})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["team"] is not None:
                created = services.shift_assign_team(
                    actor=user, center=user.center, team=d["team"], date=d["date"], kind=d["kind"]
                )
                messages.success(
                    request,
                    _("已为班组 %(t)s 排班 %(n)d 人（已在班者跳过）。")
                    % {"t": d["team"].name, "n": len(created)},
                )
            else:
                services.shift_assign(
                    actor=user,
                    center=user.center,
                    driver=d["driver"],
                    date=d["date"],
                    kind=d["kind"],
                    note=d["note"],
                )
                messages.success(request, _("已排班：%(d)s。") % {"d": d["driver"]})
        except ValidationError as exc:
            apply(form, exc)
        else:
            return redirect(_roster_url(d["date"]))
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return render(
        request,
        "fleet/shift_roster.html",
        {
            "form": form,
            "days": days,
            "today": timezone.localdate(),
            "monday": monday,
            "prev_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "groups": _roster_groups(user, days),
            "active_menu": "fleet_shifts",
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def shift_delete(request, pk):
    shift = get_object_or_404(DriverShift, pk=pk, center_id=request.user.center_id)
    day = shift.date
    services.shift_delete(actor=request.user, shift=shift)
    messages.success(request, _("已删除排班。"))
    return redirect(_roster_url(day))
