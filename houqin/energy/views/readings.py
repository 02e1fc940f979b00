"""The readings pages: the monthly entry grid (one row per active meter, month navigation,
all values saved in one transaction), the xlsx import with its template, the list of all
readings with filters and xlsx, and the confirmation (核实) of a flagged reading.

Thin: parse, fetch through the scoped selectors (another center's row is 404), call one
service, render; a refused input re-renders the page with the errors (status 422)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, ImportFileError, build_workbook, xlsx_response

from ..filters.register import ReadingFilter, parse_month
from ..forms.readings import ReadingConfirmForm, ReadingEntryForm, ReadingImportForm
from ..selectors import entry_rows_for, institutions_for, meters_for, reading_rows_for
from ..services import readings as reading_services
from ..services import register as services
from ..tables.register import ReadingTable

PAGE_SIZE = 50
ENTRY = "energy_readings"
ADD_PERM = "energy.add_meterreading"
FLAG_LIST_LIMIT = 10  # flagged readings named in the warning after saving

LIST_COLUMNS = [
    Column("month", _("月份"), width=10),
    Column("institution", _("公共机构"), width=24),
    Column("code", _("表计编号"), width=16),
    Column("name", _("名称/位置"), width=24),
    Column("kind", _("能源品种"), width=10),
    Column("unit", _("计量单位"), width=10),
    Column("value", _("读数/用量"), width=14),
    Column("consumption", _("当月用量"), width=14),
    Column("flag", _("核实状态"), width=10),
    Column("flag_reason", _("异常原因"), width=40),
    Column("entered_by", _("录入人"), width=12),
]


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _entry_url(month, institution=None):
    query = {"month": f"{month:%Y-%m}"}
    if institution is not None:
        query["institution"] = institution.pk
    return f"{reverse('energy:reading_entry')}?{urlencode(query)}"


# ------------------------------------------------------------------ the entry grid


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def reading_entry(request):
    source = request.POST if request.method == "POST" else request.GET
    # ?month=YYYY-MM; by default the previous month (meters are read after a month ends).
    month = parse_month(source.get("month") or "")
    if month is None:
        if request.method == "POST":  # never save into a month the user did not see
            messages.error(request, _("月份格式应为 YYYY-MM，如 2026-03。"))
            return redirect("energy:reading_entry")
        month = services.previous_month()
    institutions = list(institutions_for(request.user).filter(is_active=True))
    institution = None
    if source.get("institution"):
        institution = next(
            (i for i in institutions if str(i.pk) == str(source.get("institution"))), None
        )
        if institution is None:
            return redirect(_entry_url(month))
    meters = entry_rows_for(request.user, month)
    if institution is not None:
        meters = meters.filter(institution=institution)
    meters = list(meters)
    current = timezone.localdate().replace(day=1)
    if request.method == "POST":
        form = ReadingEntryForm(request.POST, meters=meters)
        if form.is_valid():
            try:
                saved = services.readings_enter(
                    actor=request.user,
                    center=request.user.center,
                    month=month,
                    values=form.values(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                _report_saved(request, saved)
                return redirect(_entry_url(month, institution))
    else:
        form = ReadingEntryForm(initial=ReadingEntryForm.initial_for(meters), meters=meters)
    return render(
        request,
        "energy/readings/entry.html",
        {
            "form": form,
            "month": month,
            "institution": institution,
            "institutions": institutions,
            "previous_url": _entry_url(_shift(month, -1), institution),
            "previous_label": f"{_shift(month, -1):%Y-%m}",
            "next_url": _entry_url(_shift(month, 1), institution) if month < current else "",
            "is_future": month > current,
            "entered": sum(1 for m in meters if m.current_value is not None),
            "active_menu": ENTRY,
        },
        status=422 if form.errors else 200,
    )


def _report_saved(request, saved):
    if not saved:
        messages.info(request, _("没有新填写或修改的读数。"))
        return
    messages.success(request, _("已保存 %(n)s 条读数") % {"n": len(saved)})
    flagged = [r for r in saved if r.flagged]
    if flagged:
        names = "；".join(f"{r.meter.code}：{r.flag_reason}" for r in flagged[:FLAG_LIST_LIMIT])
        more = len(flagged) - FLAG_LIST_LIMIT
        if more > 0:
            names += _("；另有 %(n)s 条") % {"n": more}
        messages.warning(
            request,
            _("%(n)s 条读数待核实：%(list)s") % {"n": len(flagged), "list": names},
        )


# ------------------------------------------------------------------ import


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def reading_template(request):
    return xlsx_response(import_template(request.user), _("抄表数据导入模板"))


def import_template(user):
    """The import workbook: the three columns with an example row per active meter (last
    month, blank value), and a 说明 sheet with the columns and the meters to use."""
    meters = list(
        meters_for(user)
        .filter(is_active=True, institution__is_active=True)
        .order_by("institution__name", "kind", "code")
    )
    month = f"{services.previous_month():%Y-%m}"
    rows = [[m.code, month, None] for m in meters] or [["E-001", month, "12345.60"]]
    workbook = build_workbook(_("抄表数据"), reading_services.COLUMNS, rows)
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列"), _("是否必填"), _("说明")])
    notes.append([_("表计编号"), _("必填"), _("与系统中登记的计量表编号一致（见下方列表）。")])
    notes.append([_("月份"), _("必填"), _("YYYY-MM，如 2026-03；同一表计同一月份只能出现一次。")])
    notes.append(
        [
            _("读数/用量"),
            _("必填"),
            _("累计读数的表填表上读数，按月用量的表填当月用量；不能为负数，最多两位小数。"),
        ]
    )
    notes.append([])
    notes.append(
        [
            _(
                "文件先整体检查，有任何错误则一行也不导入；"
                "读数小于上月或用量超过此前月均 3 倍的记录会标为待核实。"
            )
        ]
    )
    notes.append([])
    notes.append(
        [_("表计编号"), _("名称/位置"), _("公共机构"), _("能源品种"), _("单位"), _("录入方式")]
    )
    for meter in meters:
        notes.append(
            [
                meter.code,
                meter.name,
                meter.institution.name,
                meter.get_kind_display(),
                meter.unit,
                meter.get_mode_display(),
            ]
        )
    for letter, width in zip("ABCDEF", (16, 24, 60, 12, 8, 12), strict=True):
        notes.column_dimensions[letter].width = width
    return workbook


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def reading_import(request):
    posted = request.method == "POST"
    form = ReadingImportForm(request.POST, request.FILES) if posted else ReadingImportForm()
    context = {"form": form, "columns": reading_services.COLUMNS, "active_menu": ENTRY}
    if posted and form.is_valid():
        started = timezone.now()
        try:
            count = reading_services.readings_import(
                actor=request.user, center=request.user.center, uploaded=form.cleaned_data["file"]
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except reading_services.ImportRowsError as exc:
            context["row_errors"] = exc.rows
            context["error_rows"] = len({row for row, _msg in exc.rows})
        else:
            messages.success(request, _("导入成功：%(n)s 条读数。") % {"n": count})
            flagged = (
                reading_rows_for(request.user)
                .filter(flagged=True, entered_by=request.user, updated_at__gte=started)
                .count()
            )
            if flagged:
                messages.warning(
                    request, _("其中 %(n)s 条读数待核实，请逐条核实。") % {"n": flagged}
                )
                return redirect(f"{reverse('energy:reading_list')}?flagged=1")
            return redirect("energy:reading_list")
    status = 422 if form.errors or context.get("row_errors") else 200
    return render(request, "energy/readings/import.html", context, status=status)


# ------------------------------------------------------------------ list and confirmation


def _list_row(r):
    if r.flagged:
        state = _("待核实")
    elif r.confirmed_by_id:
        state = _("已核实")
    else:
        state = _("正常")
    return [
        f"{r.month:%Y-%m}",
        r.meter.institution.name,
        r.meter.code,
        r.meter.name,
        r.meter.get_kind_display(),
        r.meter.unit,
        r.value,
        r.consumption,
        state,
        r.flag_reason,
        r.entered_by.display_name if r.entered_by else "",
    ]


@login_required
@permission_required("energy.view_meterreading", raise_exception=True)
def reading_list(request):
    filterset = ReadingFilter(request.GET, queryset=reading_rows_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        rows = [
            _list_row(r)
            for r in filterset.qs.order_by("month", "meter__institution__name", "meter__code")
        ]
        record_export(request, "energy.MeterReading", rows=len(rows))
        title = _("抄表记录")
        return xlsx_response(build_workbook(title, LIST_COLUMNS, rows), title)
    table = ReadingTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "energy/readings/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "flagged_count": reading_rows_for(request.user).filter(flagged=True).count(),
            "active_menu": ENTRY,
        },
    )


def _next_url(request, reading):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("energy:meter_detail", args=[reading.meter_id])


@login_required
@permission_required("energy.change_meterreading", raise_exception=True)
def reading_confirm(request, pk):
    reading = get_object_or_404(reading_rows_for(request.user), pk=pk)
    back = _next_url(request, reading)
    if not reading.flagged:
        messages.info(request, _("该记录无需核实。"))
        return redirect(back)
    form = ReadingConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reading_services.reading_confirm(
                actor=request.user, reading=reading, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已核实 %(m)s %(month)s 的读数。")
                % {"m": reading.meter.code, "month": f"{reading.month:%Y-%m}"},
            )
            return redirect(back)
    return render(
        request,
        "energy/readings/confirm.html",
        {"form": form, "reading": reading, "back": back, "active_menu": ENTRY},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("readings/", reading_list, name="reading_list"),
    path("readings/entry/", reading_entry, name="reading_entry"),
    path("readings/import/", reading_import, name="reading_import"),
    path("readings/import/template/", reading_template, name="reading_template"),
    path("readings/<int:pk>/confirm/", reading_confirm, name="reading_confirm"),
]
