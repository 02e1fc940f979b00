"""Projects assigned from upstream and their charging stations. A station counts towards the
project's target once built (建成) or in use (投入使用); it then needs its completion date."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ChargingStation, EnergyProject
from .common import number, require_manager, text


@transaction.atomic
def project_save(
    *,
    actor,
    center,
    name,
    kind,
    year,
    target,
    assigned_by="",
    deadline=None,
    notes="",
    project=None,
) -> EnergyProject:
    require_manager(actor, center.pk)
    name = text(name, "name", _("项目名称"), 100, required=True)
    if kind not in EnergyProject.Kind.values:
        raise ValidationError({"kind": _("请选择项目类型。")})
    if not target or target <= 0:
        raise ValidationError({"target": _("目标数量必须大于 0。")})
    clash = EnergyProject.objects.filter(center=center, name=name)
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名项目。")})
    project = project or EnergyProject(center=center)
    project.name, project.kind, project.year, project.target = name, kind, year, target
    project.assigned_by = text(assigned_by, "assigned_by", _("下达单位"), 100)
    project.deadline = deadline
    project.notes = text(notes, "notes", _("说明"), 2000)
    project.save()
    return project


@transaction.atomic
def station_save(
    *,
    actor,
    project,
    name,
    site,
    piles,
    power_kw,
    status=ChargingStation.Status.PLANNED,
    completed_on=None,
    institution=None,
    notes="",
    station=None,
) -> ChargingStation:
    """Add a station to a project or change one (status, completion date…)."""
    require_manager(actor, project.center_id)
    name = text(name, "name", _("站点名称"), 100, required=True)
    if status not in ChargingStation.Status.values:
        raise ValidationError({"status": _("请选择状态。")})
    if not piles or piles <= 0:
        raise ValidationError({"piles": _("充电桩数必须大于 0。")})
    power_kw = number(power_kw, "power_kw", _("总功率"), places=1, positive=True)
    if status in ChargingStation.COMPLETED:
        if completed_on is None:
            raise ValidationError({"completed_on": _("建成或投入使用的站点请填写建成日期。")})
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("建成日期不能晚于今天。")})
    else:
        completed_on = None
    if institution is not None and institution.center_id != project.center_id:
        raise ValidationError({"institution": _("请选择本中心的公共机构。")})
    clash = ChargingStation.objects.filter(project=project, name=name)
    if station is not None:
        clash = clash.exclude(pk=station.pk)
    if clash.exists():
        raise ValidationError({"name": _("该项目已有同名站点。")})
    station = station or ChargingStation(center_id=project.center_id, project=project)
    station.name = name
    station.site = text(site, "site", _("建设地点"), 200, required=True)
    station.piles, station.power_kw, station.status = piles, power_kw, status
    station.completed_on, station.institution = completed_on, institution
    station.notes = text(notes, "notes", _("备注"), 300)
    station.save()
    return station


@dataclass
class ProjectProgress:
    project: EnergyProject
    completed: int
    building: int
    planned: int
    piles: int
    power_kw: object

    @property
    def target(self):
        return self.project.target

    @property
    def rate(self):
        """Completed stations as % of the target (one decimal, may pass 100)."""
        return round(self.completed * 100 / self.target, 1)

    @property
    def remaining(self):
        return max(self.target - self.completed, 0)


def project_progress(project, *, until=None) -> ProjectProgress:
    """Completed stations vs the target, as of `until` (a date; default now). One query."""
    completed = Q(status__in=ChargingStation.COMPLETED)
    if until is not None:
        completed &= Q(completed_on__lte=until)
    figures = ChargingStation.objects.filter(project=project).aggregate(
        completed=Count("id", filter=completed),
        building=Count("id", filter=Q(status=ChargingStation.Status.BUILDING)),
        planned=Count("id", filter=Q(status=ChargingStation.Status.PLANNED)),
        piles=Sum("piles", filter=completed),
        power=Sum("power_kw", filter=completed),
    )
    return ProjectProgress(
        project,
        figures["completed"],
        figures["building"],
        figures["planned"],
        figures["piles"] or 0,
        figures["power"] or 0,
    )


def completed_in(center_id, start: dt.date, end: dt.date) -> int:
    """Stations completed between `start` and `end` (inclusive)."""
    return ChargingStation.objects.filter(
        center_id=center_id,
        status__in=ChargingStation.COMPLETED,
        completed_on__range=(start, end),
    ).count()
