"""权属登记 pages: every building of the center with its registration status (待登记 when it
has no record yet) and the progress figure, xlsx; one page per building with its record
(the form for the space managers) and its scanned documents; upload, access-checked
download and removal of a document.

Thin: parse, fetch through the scoped selectors, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.estate import OwnershipFilter
from ..forms.estate import OwnershipDocumentForm, OwnershipForm
from ..models import OwnershipDocument, OwnershipRecord
from ..selectors import buildings_for, ownership_for
from ..services import estate as services
from ..tables.estate import OwnershipTable

VIEW_PERM = "space.view_ownershiprecord"
EDIT_PERM = services.OWNERSHIP_PERM
PAGE_SIZE = 50
ACTIVE = "space_ownership"
S = OwnershipRecord.Status

COLUMNS = [
    Column("code", _("编号"), width=10),
    Column("name", _("楼栋"), width=20),
    Column("address", _("地址"), width=30),
    Column("floor_area", _("建筑面积（㎡）"), width=14),
    Column("ownership", _("产权性质"), width=10),
    Column("status", _("登记状态"), width=10),
    Column("right_holder", _("权利人"), width=20),
    Column("certificate_no", _("不动产权证号"), width=24),
    Column("certificate_date", _("登簿日期"), width=12),
    Column("filing_no", _("备案编号"), width=20),
    Column("filing_date", _("备案日期"), width=12),
    Column("notes", _("备注"), width=30),
]


def _buildings(request):
    return buildings_for(request.user).select_related("ownership_record")


def _export(request, buildings):
    rows = []
    for b in buildings.order_by("code", "name", "id"):
        r = getattr(b, "ownership_record", None)
        rows.append(
            [
                b.code,
                b.name,
                b.address,
                b.floor_area,
                b.get_ownership_display(),
                r.get_status_display() if r else str(S.PENDING.label),
                r.right_holder if r else "",
                r.certificate_no if r else "",
                r.certificate_date if r else None,
                r.filing_no if r else "",
                r.filing_date if r else None,
                r.notes if r else "",
            ]
        )
    record_export(request, "space.OwnershipRecord", rows=len(rows))
    return xlsx_response(build_workbook(_("权属登记"), COLUMNS, rows), _("权属登记"))


def figures(buildings) -> dict:
    """How far registration has come: registered + filed out of all buildings."""
    counts = buildings.order_by().aggregate(
        total=Count("pk"),
        registered=Count("pk", filter=Q(ownership_record__status=S.REGISTERED)),
        filed=Count("pk", filter=Q(ownership_record__status=S.FILED)),
    )
    done = counts["registered"] + counts["filed"]
    counts["pending"] = counts["total"] - done
    counts["done"] = done
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 0
    return counts


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def ownership_list(request):
    base = _buildings(request)
    filterset = OwnershipFilter(request.GET, queryset=base)
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs)
    table = OwnershipTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "space/ownership/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "figures": figures(buildings_for(request.user)),
            "active_menu": ACTIVE,
        },
    )


def _page(request, building, record, form, status=200):
    documents = list(record.documents.select_related("uploaded_by__person")) if record else []
    return render(
        request,
        "space/ownership/edit.html",
        {
            "building": building,
            "record": record,
            "form": form,
            "documents": documents,
            "can_edit": request.user.has_perm(EDIT_PERM),
            "document_form": OwnershipDocumentForm(),
            "active_menu": ACTIVE,
        },
        status=status,
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def ownership_edit(request, pk):
    """The ownership page of a building (pk of the building): its record and documents for
    every viewer, the form that creates or updates the record for the space managers."""
    building = get_object_or_404(_buildings(request), pk=pk)
    record = getattr(building, "ownership_record", None)
    if request.method == "POST":
        if not request.user.has_perm(EDIT_PERM):
            raise PermissionDenied
        form = OwnershipForm(request.POST)
        if form.is_valid():
            try:
                services.ownership_save(
                    actor=request.user, building=building, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存“%(b)s”的权属登记。") % {"b": building})
                return redirect("space:ownership_edit", pk=building.pk)
        return _page(request, building, record, form, status=422)
    initial = OwnershipForm.initial_from(record) if record else {"status": S.PENDING}
    return _page(request, building, record, OwnershipForm(initial=initial))


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def ownership_document_add(request, pk):
    record = get_object_or_404(ownership_for(request.user), pk=pk)
    form = OwnershipDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.ownership_document_add(
                actor=request.user,
                record=record,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传“%(t)s”。") % {"t": document.title})
            return redirect("space:ownership_edit", pk=record.building_id)
    return render(
        request,
        "space/ownership/document_form.html",
        {"form": form, "record": record, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


def _document(request, pk):
    return get_object_or_404(
        OwnershipDocument.objects.filter(record__in=ownership_for(request.user)).select_related(
            "record"
        ),
        pk=pk,
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def ownership_document(request, pk):
    """A scanned document, to those who may see the center's ownership records; always a
    download (never rendered inline on our origin)."""
    document = _document(request, pk)
    return serve_file(document.file, filename=document.title, attachment=True)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def ownership_document_delete(request, pk):
    document = _document(request, pk)
    services.ownership_document_delete(actor=request.user, document=document)
    messages.success(request, _("已删除“%(t)s”。") % {"t": document.title})
    return redirect("space:ownership_edit", pk=document.record.building_id)


urlpatterns = [
    path("ownership/", ownership_list, name="ownership_list"),
    path("ownership/buildings/<int:pk>/", ownership_edit, name="ownership_edit"),
    path(
        "ownership/<int:pk>/documents/add/",
        ownership_document_add,
        name="ownership_document_add",
    ),
    path("ownership/documents/<int:pk>/", ownership_document, name="ownership_document"),
    path(
        "ownership/documents/<int:pk>/delete/",
        ownership_document_delete,
        name="ownership_document_delete",
    ),
]
