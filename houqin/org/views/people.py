"""People pages: list with filters, export, import, detail, create, edit, status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import ImportFileError, read_table, xlsx_response

from .. import services
from ..filters import PersonFilter
from ..forms import ImportForm, PersonForm, PersonStatusForm
from ..importing import PERSON_COLUMNS, export_workbook, parse_rows, template_workbook
from ..permissions import can_view_sensitive, get_person_for_user
from ..selectors import people_for
from ..tables import PersonTable
from .common import PAGE_SIZE


@login_required
@permission_required("org.view_person", raise_exception=True)
def person_list(request):
    filterset = PersonFilter(request.GET, queryset=people_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        if not request.user.has_perm("org.export_person"):
            raise PermissionDenied
        people = filterset.qs
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="org.Person",
            rows=people.count(),
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
        return xlsx_response(export_workbook(people), _("人员名单"))
    table = PersonTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "org/person_list.html#results" if request.htmx else "org/person_list.html"
    return render(
        request, template, {"table": table, "filter": filterset, "active_menu": "org_people"}
    )


@login_required
@permission_required("org.view_person", raise_exception=True)
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "can_reveal": can_view_sensitive(request.user),
            "status_form": PersonStatusForm(
                initial={"status": person.status, "status_date": person.status_date}
            ),
            "active_menu": "org_people",
        },
    )


@login_required
@permission_required("org.view_person_sensitive", raise_exception=True)
@require_POST
def person_reveal(request, pk):
    """Show the full phone and ID number (htmx); every reveal is an audit event."""
    person = get_person_for_user(request.user, pk)
    record_event(
        AuditEvent.Kind.SENSITIVE_VIEW, request=request, person=person.pk, name=person.name
    )
    return HttpResponse(
        format_html(
            '<dl class="row mb-0"><dt class="col-4">手机号码</dt><dd class="col-8">{}</dd>'
            '<dt class="col-4">身份证号</dt><dd class="col-8">{}</dd></dl>',
            person.phone or "—",
            person.id_number or "—",
        )
    )


@login_required
@permission_required("org.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增人员“%(name)s”。") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(
        request,
        "org/person_form.html",
        {"form": form, "title": _("新增人员"), "active_menu": "org_people"},
    )


@login_required
@permission_required("org.change_person", raise_exception=True)
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("id_number"):
            data.pop("id_number", None)  # blank means "keep the stored number"
        try:
            # The form mutated `person` in _post_clean; pass a fresh copy to the service.
            services.person_update(
                actor=request.user, person=get_person_for_user(request.user, pk), **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("org:person_detail", pk=pk)
    return render(
        request,
        "org/person_form.html",
        {"form": form, "person": person, "title": _("编辑人员"), "active_menu": "org_people"},
    )


@login_required
@permission_required("org.change_person", raise_exception=True)
@require_POST
def person_status(request, pk):
    person = get_person_for_user(request.user, pk)
    form = PersonStatusForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_status(
                actor=request.user,
                person=person,
                status=form.cleaned_data["status"],
                date=form.cleaned_data["status_date"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已更新人员状态。"))
    else:
        messages.error(request, _("请填写有效的状态和日期。"))
    return redirect("org:person_detail", pk=pk)


@login_required
@permission_required("org.import_person", raise_exception=True)
def person_import_template(request):
    return xlsx_response(template_workbook(request.user), _("人员导入模板"))


@login_required
@permission_required("org.import_person", raise_exception=True)
def person_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": PERSON_COLUMNS, "active_menu": "org_people"}
    if request.method == "POST" and form.is_valid():
        try:
            raw = read_table(form.cleaned_data["file"], PERSON_COLUMNS)
            people = services.people_import(
                actor=request.user,
                center=request.user.center,
                rows=parse_rows(raw, request.user),
                request=request,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except services.ImportRowsError as exc:
            context["row_errors"] = exc.errors
            context["error_rows"] = len({row for row, _msg in exc.errors})
        else:
            messages.success(request, _("导入成功：新增 %(n)d 名人员。") % {"n": len(people)})
            return redirect("org:person_list")
    return render(request, "org/person_import.html", context)
