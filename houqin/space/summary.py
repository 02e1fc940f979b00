"""The office-space figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). A fixed number of queries (15: 8 for the compliance
picture, 7 here) whatever the amount of data. DEFINITIONS[key] = (label, definition) for every
figure; records(center, start, end, key) lists the rows a figure counts (a list of querysets);
figure_url(key, start, end) links a figure to the page that lists its rows.

Date fields (start_date, vacated_on, finish_date) are compared with the local dates of the
bounds, [day_from, day_to). "At the end of the period" means on its last day, or today when
the period has not ended yet (a summary of the current year shows the situation now).

Definitions (the report's "核定 X 个单位办公用房面积"):
  agencies_approved / agencies_total   units holding rooms at the end of the period (agencies
                        and the center itself) whose office-room area is within their
                        entitlement (Σ the standards of their staff), of all units holding rooms
  requests_received     requests for more space submitted in the period (any outcome)
  requests_granted      requests approved (审批通过) in the period, by decision time
  rooms_obtained / area_obtained_upstream   rooms allocated from the city center (上级调配,
                        source upstream) starting in the period, and their usable area
  rooms_reallocated / area_reallocated   rooms given to an agency by an applied adjustment plan
                        (allocation of an idle room or transfer between agencies; source plan)
                        starting in the period, and their usable area
  leases_vacated / rent_saved_per_year   leases vacated in the period (by vacating date) and
                        the annual rent no longer paid for them (元/年)
  projects_completed / projects_cost   renovation projects completed (竣工) in the period and
                        their final cost (决算); projects_items: their items added up by name
                        and unit (礼堂椅 420 张…)
  people_over / people_excess, agencies_over / agencies_excess   over-standard people and units
                        at the end of the period and the excess ㎡ (should be zero)
  idle_rooms / idle_area   rooms of the register held by nobody at the end of the period
  offices_overdue       offices of departed or retired people still not taken back at the
                        end of the period although due (one month after they left) by then
  ownership_registered / ownership_filed / ownership_pending / ownership_total   the
                        registration of the center's buildings in use now (a building without
                        a record is pending); ownership_pct = (registered + filed) ÷ total
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.recurrence import as_bound, local_today, to_local
from houqin.org.models import OrgUnit, Person

from .compliance import compliance
from .models import (
    Allocation,
    Building,
    Lease,
    Occupancy,
    OwnershipRecord,
    ProjectItem,
    RenovationProject,
    SpaceRequest,
    SpaceRoom,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SOURCE = Allocation.Source
OWN = OwnershipRecord.Status

DEFINITIONS = {
    "agencies_approved": (
        _("办公用房面积核定达标单位（个）"),
        _(
            "期末占有用房的单位（含本中心）中，办公室用房面积未超过核定面积（在编人员标准之和）的单位数。"
        ),
    ),
    "agencies_total": (_("占有办公用房单位（个）"), _("期末占有用房的单位数（含本中心）。")),
    "requests_received": (_("受理用房申请（件）"), _("期间内提交的增加办公用房申请数。")),
    "requests_granted": (_("批准用房申请（件）"), _("期间内审批通过的增加办公用房申请数。")),
    "rooms_obtained": (
        _("上级调配房间（间）"),
        _("期间内启用的、由市后勤中心等上级调配的房间数。"),
    ),
    "area_obtained_upstream": (
        _("上级调配面积（㎡）"),
        _("期间内启用的上级调配房间的使用面积之和。"),
    ),
    "rooms_reallocated": (
        _("调剂闲置房间（间）"),
        _("期间内按已实施的调整方案分配闲置房间或跨单位调剂的房间数。"),
    ),
    "area_reallocated": (
        _("调剂面积（㎡）"),
        _("期间内按调整方案调剂的房间的使用面积之和。"),
    ),
    "leases_vacated": (_("腾退租用房屋（处）"), _("期间内腾退的租用房屋数。")),
    "rent_saved_per_year": (
        _("每年节约租金（元）"),
        _("期间内腾退的租用房屋原年租金之和，即今后每年不再支付的租金。"),
    ),
    "projects_completed": (_("完成维修改造项目（个）"), _("期间内竣工的维修改造项目数。")),
    "projects_cost": (_("维修改造决算金额（元）"), _("期间内竣工项目的决算金额之和。")),
    "projects_items": (
        _("维修改造主要内容"),
        _("期间内竣工项目的内容按名称和单位汇总的数量（如礼堂椅 420 张）。"),
    ),
    "people_over": (
        _("超标准使用办公室人数"),
        _("期末人均办公室使用面积超过其职级标准的人数（应为零）。"),
    ),
    "people_excess": (_("个人超标面积（㎡）"), _("期末超标人员超出标准的面积之和。")),
    "agencies_over": (
        _("超标准占有办公室单位（个）"),
        _("期末办公室用房面积超过核定面积的单位数（应为零）。"),
    ),
    "agencies_excess": (_("单位超标面积（㎡）"), _("期末超标单位超出核定面积之和。")),
    "idle_rooms": (_("闲置房间（间）"), _("期末未分配给任何单位的在册房间数（维修中的除外）。")),
    "idle_area": (_("闲置面积（㎡）"), _("期末闲置房间的使用面积之和。")),
    "offices_overdue": (
        _("逾期未收回办公室（间）"),
        _("调离或退休满一个月仍未腾退的办公室使用记录数。"),
    ),
    "ownership_registered": (_("已办理权属登记楼栋（栋）"), _("在用楼栋中已登记的楼栋数。")),
    "ownership_filed": (_("已备案楼栋（栋）"), _("在用楼栋中不能登记、已备案的楼栋数。")),
    "ownership_pending": (_("待登记楼栋（栋）"), _("在用楼栋中尚未登记或备案的楼栋数。")),
    "ownership_total": (_("在用楼栋（栋）"), _("本中心登记在册、在用的楼栋数。")),
    "ownership_pct": (
        _("权属登记进度（%）"),
        _("已登记与已备案楼栋占在用楼栋的比例。"),
    ),
}


def _cent(value):
    """Sums as Decimal with two places (SQLite's sums come back without their scale)."""
    return (value or ZERO).quantize(CENT)


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _days(start, end):
    """The local dates of the bounds: date fields are compared on [day_from, day_to)."""
    return to_local(start).date(), to_local(end).date()


def _end_day(day_to, now):
    """The day the "at the end of the period" figures are read: its last day, or today."""
    return min(day_to - dt.timedelta(days=1), local_today(now or timezone.now()))


def _compliance(center, day):
    """The compliance picture of `day`, judged on that day: an office is overdue when it was
    due back by then (so a past year does not count people who left after it)."""
    return compliance(center.pk, day, today=day)


def _allocations(center, day_from, day_to):
    return Allocation.objects.filter(center=center, start_date__gte=day_from, start_date__lt=day_to)


def _leases(center, day_from, day_to):
    return Lease.objects.filter(
        center=center,
        status=Lease.Status.VACATED,
        vacated_on__gte=day_from,
        vacated_on__lt=day_to,
    )


def _projects(center, day_from, day_to):
    return RenovationProject.objects.filter(
        center=center,
        status=RenovationProject.Status.COMPLETED,
        finish_date__gte=day_from,
        finish_date__lt=day_to,
    )


def _buildings(center):
    return Building.objects.filter(center=center, is_active=True)


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    end_day = _end_day(day_to, now)
    report = _compliance(center, end_day)
    holding = [row for row in report.agencies if row.rooms]

    requests = SpaceRequest.objects.filter(center=center).aggregate(
        received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        granted=Count(
            "pk",
            filter=Q(
                status=SpaceRequest.Status.APPROVED, decided_at__gte=start, decided_at__lt=end
            ),
        ),
    )
    moved = _allocations(center, day_from, day_to).aggregate(
        obtained=Count("pk", filter=Q(source=SOURCE.UPSTREAM)),
        obtained_area=Sum("room__usable_area", filter=Q(source=SOURCE.UPSTREAM)),
        reallocated=Count("pk", filter=Q(source=SOURCE.PLAN)),
        reallocated_area=Sum("room__usable_area", filter=Q(source=SOURCE.PLAN)),
    )
    leases = _leases(center, day_from, day_to).aggregate(n=Count("pk"), saved=Sum("annual_saving"))
    projects = _projects(center, day_from, day_to).aggregate(n=Count("pk"), cost=Sum("final_cost"))
    items = list(
        ProjectItem.objects.filter(project__in=_projects(center, day_from, day_to))
        .order_by()
        .values("name", "unit")
        .annotate(
            quantity=Sum("quantity"), amount=Sum("amount"), projects=Count("project", distinct=True)
        )
        .order_by("name", "unit")
    )
    ownership = _buildings(center).aggregate(
        total=Count("pk"),
        registered=Count("pk", filter=Q(ownership_record__status=OWN.REGISTERED)),
        filed=Count("pk", filter=Q(ownership_record__status=OWN.FILED)),
    )
    done = ownership["registered"] + ownership["filed"]
    return {
        "period": (start, end),
        "as_of": end_day,
        "agencies_total": len(holding),
        "agencies_approved": sum(1 for row in holding if not row.is_over),
        "agencies_approved_pct": _rate(sum(1 for row in holding if not row.is_over), len(holding)),
        "requests_received": requests["received"],
        "requests_granted": requests["granted"],
        "rooms_obtained": moved["obtained"],
        "area_obtained_upstream": _cent(moved["obtained_area"]),
        "rooms_reallocated": moved["reallocated"],
        "area_reallocated": _cent(moved["reallocated_area"]),
        "leases_vacated": leases["n"],
        "rent_saved_per_year": _cent(leases["saved"]),
        "projects_completed": projects["n"],
        "projects_cost": _cent(projects["cost"]),
        "projects_items": [
            {
                "name": row["name"],
                "unit": row["unit"],
                "quantity": _cent(row["quantity"]),
                "amount": None if row["amount"] is None else _cent(row["amount"]),
                "projects": row["projects"],
            }
            for row in items
        ],
        "people_over": len(report.people_over),
        "people_excess": report.people_excess,
        "agencies_over": len(report.agencies_over),
        "agencies_excess": report.agencies_excess,
        "idle_rooms": len(report.idle_rooms),
        "idle_area": report.idle_area,
        "offices_overdue": len(report.overdue),
        "ownership_total": ownership["total"],
        "ownership_registered": ownership["registered"],
        "ownership_filed": ownership["filed"],
        "ownership_pending": ownership["total"] - done,
        "ownership_pct": _rate(done, ownership["total"]),
        "definitions": DEFINITIONS,
    }


# ------------------------------------------------------------------ the rows behind a figure


def _at_end(center, end, now, pick):
    """A queryset of the rows a compliance list holds at the end of the period."""
    day_to = to_local(as_bound(end)).date()
    return pick(_compliance(center, _end_day(day_to, now)))


def records(center, start, end, key, *, now=None) -> list:
    """The querysets of the rows `key` counts (KeyError for an unknown figure)."""
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    requests = SpaceRequest.objects.filter(center=center).select_related("agency", "requested_by")
    moved = _allocations(center, day_from, day_to).select_related("room__building", "agency")
    projects = _projects(center, day_from, day_to).select_related("building")
    records_ = OwnershipRecord.objects.filter(
        center=center, building__is_active=True
    ).select_related("building")

    def units(pick):
        def build():
            ids = _at_end(center, end, now, lambda r: [row.agency.pk for row in pick(r)])
            return [OrgUnit.objects.filter(pk__in=ids).order_by("path")]

        return build

    def people():
        ids = _at_end(center, end, now, lambda r: [row.person.pk for row in r.people_over])
        return [Person.objects.filter(pk__in=ids).select_related("agency", "rank")]

    def idle():
        ids = _at_end(center, end, now, lambda r: [room.pk for room in r.idle_rooms])
        return [SpaceRoom.objects.filter(pk__in=ids).select_related("building", "floor")]

    def overdue():
        ids = _at_end(center, end, now, lambda r: [u.occupancy.pk for u in r.overdue])
        return [Occupancy.objects.filter(pk__in=ids).select_related("person", "room__building")]

    holding = units(lambda r: [row for row in r.agencies if row.rooms])
    table = {
        "agencies_approved": units(
            lambda r: [row for row in r.agencies if row.rooms and not row.is_over]
        ),
        "agencies_total": holding,
        "requests_received": lambda: [requests.filter(created_at__gte=start, created_at__lt=end)],
        "requests_granted": lambda: [
            requests.filter(
                status=SpaceRequest.Status.APPROVED, decided_at__gte=start, decided_at__lt=end
            )
        ],
        "rooms_obtained": lambda: [moved.filter(source=SOURCE.UPSTREAM)],
        "area_obtained_upstream": lambda: [moved.filter(source=SOURCE.UPSTREAM)],
        "rooms_reallocated": lambda: [moved.filter(source=SOURCE.PLAN)],
        "area_reallocated": lambda: [moved.filter(source=SOURCE.PLAN)],
        "leases_vacated": lambda: [_leases(center, day_from, day_to).select_related("agency")],
        "rent_saved_per_year": lambda: [_leases(center, day_from, day_to).select_related("agency")],
        "projects_completed": lambda: [projects],
        "projects_cost": lambda: [projects],
        "projects_items": lambda: [
            ProjectItem.objects.filter(project__in=_projects(center, day_from, day_to))
            .select_related("project")
            .order_by("name", "project_id", "id")
        ],
        "people_over": people,
        "people_excess": people,
        "agencies_over": units(lambda r: r.agencies_over),
        "agencies_excess": units(lambda r: r.agencies_over),
        "idle_rooms": idle,
        "idle_area": idle,
        "offices_overdue": overdue,
        "ownership_registered": lambda: [records_.filter(status=OWN.REGISTERED)],
        "ownership_filed": lambda: [records_.filter(status=OWN.FILED)],
        "ownership_pending": lambda: [
            _buildings(center).exclude(ownership_record__status__in=(OWN.REGISTERED, OWN.FILED))
        ],
        "ownership_total": lambda: [_buildings(center)],
        "ownership_pct": lambda: [records_.filter(status__in=(OWN.REGISTERED, OWN.FILED))],
    }
    return table[key]()


# Which page lists a figure's rows, with which query (the end-of-period figures: the date).
URLS = {
    "requests_received": ("space:request_list", {}),
    "requests_granted": ("space:request_list", {"status": SpaceRequest.Status.APPROVED}),
    "leases_vacated": ("space:lease_list", {"status": Lease.Status.VACATED}),
    "rent_saved_per_year": ("space:lease_list", {"status": Lease.Status.VACATED}),
    "projects_completed": ("space:project_list", {"status": RenovationProject.Status.COMPLETED}),
    "projects_cost": ("space:project_list", {"status": RenovationProject.Status.COMPLETED}),
    "idle_rooms": ("space:room_list", {"status": SpaceRoom.Status.IDLE}),
    "idle_area": ("space:room_list", {"status": SpaceRoom.Status.IDLE}),
    "ownership_registered": ("space:ownership_list", {}),
    "ownership_filed": ("space:ownership_list", {}),
    "ownership_pending": ("space:ownership_list", {}),
    "ownership_total": ("space:ownership_list", {}),
    "ownership_pct": ("space:ownership_list", {}),
}
COMPLIANCE_KEYS = {
    "agencies_approved",
    "agencies_total",
    "people_over",
    "people_excess",
    "agencies_over",
    "agencies_excess",
    "offices_overdue",
}


def figure_url(key, start, end, *, now=None) -> str | None:
    """A page listing the figure's records, for the summary preview; None when none does."""
    if key in COMPLIANCE_KEYS:
        day_to = to_local(as_bound(end)).date()
        name, query = "space:compliance", {"date": _end_day(day_to, now).isoformat()}
    elif key in URLS:
        name, query = URLS[key]
    else:
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:  # the page is not installed (yet)
        return None
    return f"{url}?{urlencode(query)}" if query else url
