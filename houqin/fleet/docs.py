"""派车单 as a Word document (python-docx)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "仿宋_GB2312"


def _font(run, size=None, name=FONT, bold=None):
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _num(value):
    return "" if value is None else str(value)


def trip_sheet_docx(trip, requests) -> bytes:
    """The 派车单 of `trip` (with its merged `requests`) as .docx bytes."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(_("派车单")), size=22, name="方正小标宋简体", bold=True)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(number.add_run(_("编号：%(n)s") % {"n": trip.number}))

    agencies = "、".join(dict.fromkeys(r.agency.name for r in requests))
    requesters = "、".join(dict.fromkeys(r.requester.display_name for r in requests))
    purposes = "；".join(r.purpose for r in requests)
    passengers = sum(r.passengers for r in requests)
    names = "、".join(r.passenger_names for r in requests if r.passenger_names)
    rows = [
        (_("派车单号"), trip.number),
        (_("用车单位"), agencies),
        (_("申请人"), requesters),
        (_("公务事由"), purposes),
        (_("线路"), trip.route),
        (_("乘车人数"), f"{passengers}" + (f"（{names}）" if names else "")),
        (_("车辆"), f"{trip.vehicle.plate} {trip.vehicle.brand_model}"),
        (_("驾驶员"), str(trip.driver)),
        (_("计划出车"), _dt(trip.starts_at)),
        (_("计划收车"), _dt(trip.ends_at)),
        (_("实际出车"), _dt(trip.started_at)),
        (_("实际收车"), _dt(trip.ended_at)),
        (_("出车里程（公里）"), _num(trip.start_odometer)),
        (_("收车里程（公里）"), _num(trip.end_odometer)),
        (_("行驶里程（公里）"), _num(trip.km)),
        (_("通行费（元）"), _num(trip.tolls)),
        (_("停车费（元）"), _num(trip.parking)),
        (_("状态"), trip.get_status_display()),
        (_("调度员"), trip.dispatched_by.display_name),
        (_("备注"), trip.notes),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for (label, value), row in zip(rows, table.rows, strict=True):
        _font(row.cells[0].paragraphs[0].add_run(str(label)), bold=True)
        _font(row.cells[1].paragraphs[0].add_run(str(value or "")))

    doc.add_paragraph()
    for line in (
        _("调度员（签字）：____________    日期：__________"),
        _("驾驶员（签字）：____________    日期：__________"),
        _("用车人（签字）：____________    日期：__________"),
    ):
        _font(doc.add_paragraph().add_run(line))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
