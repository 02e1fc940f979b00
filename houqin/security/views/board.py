"""安全台账: the fire-safety compliance board of the current year (services/board.py), each row
linked to the list behind it; xlsx export."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from houqin.core.audit import record_export
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..selectors import sees_center
from ..services.board import BAD, OK, PENDING, board

STATUS_TEXT = {OK: "✓", BAD: "✗", PENDING: _("进行中"), "info": "—"}
STATUS_CSS = {OK: "success", BAD: "danger", PENDING: "warning", "info": "secondary"}
COLUMNS = [
    Column("label", _("项目"), width=18),
    Column("rule", _("要求"), width=40),
    Column("value", _("情况"), width=50),
    Column("status", _("是否达标"), width=10),
    Column("note", _("说明"), width=40),
]


def _links(user, year):
    """Row key → (url, permission) of the list behind it."""
    year_from = f"{year}-01-01"
    table = {
        "fire_patrol": ("duties:compliance", {"category": "fire_patrol"}, "duties.view_dutytask"),
        "fire_inspection": (
            "duties:record_list",
            {"category": "fire_inspection", "date_from": year_from},
            "duties.view_dutyrecord",
        ),
        "evacuation": ("security:drill_list", {"kind": "evacuation"}, "security.view_drill"),
        "training": (
            "security:drill_list",
            {"kind": "training", "date_from": year_from},
            "security.view_drill",
        ),
        "incidents": (
            "security:incident_list",
            {"date_from": year_from},
            "security.view_incident",
        ),
        "patrols": ("security:patrol_list", {}, "security.view_patrol"),
        "equipment": ("security:equipment_list", {}, "security.view_fireequipment"),
        "cameras": ("security:camera_list", {}, "security.view_camera"),
    }
    links = {}
    for key, (name, query, perm) in table.items():
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not written yet
            continue
        links[key] = f"{url}?{urlencode(query)}" if query else url
    return links


@login_required
@permission_required("security.view_drill", raise_exception=True)
def board_view(request):
    if not sees_center(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = board(request.user.center_id, today=today)
    links = _links(request.user, today.year)
    for row in rows:
        row.url = links.get(row.key)
        row.status_text = STATUS_TEXT[row.status]
        row.css = STATUS_CSS[row.status]
        row.parts_view = [(label, STATUS_CSS[status]) for label, status in row.parts]
    title = _("安全台账 %(y)s年") % {"y": today.year}
    if request.GET.get("export") == "xlsx":
        data = [
            [
                r.label,
                r.rule,
                "；".join([r.value, *(label for label, _s in r.parts)]),
                r.status_text,
                r.note,
            ]
            for r in rows
        ]
        record_export(request, "security.Board", rows=len(data))
        return xlsx_response(build_workbook(title, COLUMNS, data), title)
    return render(
        request,
        "security/board/board.html",
        {
            "rows": rows,
            "title": title,
            "today": today,
            "year": today.year,
            "active_menu": "security_board",
        },
    )


urlpatterns = [path("board/", board_view, name="board")]
