"""Completion records: list with filters and xlsx export, detail with photos, photo files."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.models import AuditEvent
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..checklist import answer_text, answers_summary
from ..filters import RecordFilter
from ..permissions import EXPORT_RECORDS, VIEW_RECORDS, get_photo_for_user, get_record_for_user
from ..selectors import records_for
from ..tables import RecordTable
from .common import PAGE_SIZE

RECORD_COLUMNS = [
    Column("completed_at", "完成时间", width=18),
    Column("task", "任务", width=24),
    Column("category", "类别"),
    Column("plan", "计划", width=24),
    Column("location", "地点", width=20),
    Column("due_at", "应完成时间", width=18),
    Column("completed_by", "完成人"),
    Column("on_time", "按时", width=8),
    Column("answers", "检查结果", width=60),
    Column("findings", "异常项", width=40),
    Column("notes", "备注", width=30),
    Column("signature", "签名"),
    Column("photos", "照片数", width=8),
]


def _export_rows(records):
    for r in records:
        task = r.task
        yield [
            r.completed_at,
            task.title,
            task.get_category_display(),
            task.plan.title if task.plan_id else _("临时任务"),
            task.location_text,
            task.due_at,
            r.completed_by.display_name,
            "是" if r.on_time else "否",
            answers_summary(task.checklist, r.answers),
            "；".join(f"{i['label']}：{i['reason']}" for i in r.failed_items),
            r.notes,
            r.signature,
            r.photo_count,
        ]


@login_required
@permission_required(VIEW_RECORDS, raise_exception=True)
def record_list(request):
    filterset = RecordFilter(request.GET, queryset=records_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        if not request.user.has_perm(EXPORT_RECORDS):
            raise PermissionDenied
        records = filterset.qs.order_by("-completed_at", "-id")
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="duties.DutyRecord",
            rows=records.count(),
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
        workbook = build_workbook(_("完成记录"), RECORD_COLUMNS, _export_rows(records))
        return xlsx_response(workbook, _("责任事项完成记录"))
    table = RecordTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "duties/record_list.html#results" if request.htmx else "duties/record_list.html"
    return render(
        request, template, {"table": table, "filter": filterset, "active_menu": "duties_records"}
    )


@login_required
def record_detail(request, pk):
    record = get_record_for_user(request.user, pk)
    task = record.task
    failed = {item["key"] for item in record.failed_items}
    photos = list(record.photos.all())
    rows = [
        {
            "item": item,
            "answer": answer_text(item, record.answers.get(item["key"])),
            "failed": item["key"] in failed,
            "photos": [p for p in photos if p.item_key == item["key"]],
        }
        for item in task.checklist
    ]
    loose = [p for p in photos if p.item_key not in {i["key"] for i in task.checklist}]
    return render(
        request,
        "duties/record_detail.html",
        {
            "record": record,
            "task": task,
            "rows": rows,
            "loose_photos": loose,
            "active_menu": "duties_records",
        },
    )


@login_required
def photo_file(request, pk):
    """A record's photo, served only to those who may see the record (never a public URL)."""
    photo = get_photo_for_user(request.user, pk)
    return serve_file(photo.image, filename=f"duty-photo-{photo.pk}")
