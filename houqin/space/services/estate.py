"""Leases of outside buildings (租用), renovation projects (维修改造) and ownership registration
(权属登记).

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing. `actor=None` is allowed for demo data.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import SCAN_TYPES, file_size, validate_document

from ..models import (
    Building,
    Lease,
    OwnershipDocument,
    OwnershipRecord,
    ProjectItem,
    ProjectUpdate,
    RenovationProject,
)
from .common import area, require_manager, text, user_unit

LEASE_PERM = "space.change_lease"
PROJECT_PERM = "space.change_renovationproject"
OWNERSHIP_PERM = "space.change_ownershiprecord"
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# Column limits of the money and area fields (max_digits - decimal_places digits before the
# point), so an absurd figure is a message on the form, not a database error.
MAX_AREA = Decimal("99999999.99")
MAX_MONEY = Decimal("9999999999.99")
MAX_QUANTITY = Decimal("99999999.99")
# A date more than this far from today is a typing mistake (20260 for 2026).
MAX_YEARS = 50


def _date(value, field, label, *, required=True):
    """A date from a date object or an ISO string; None when optional and empty."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                {field: _("%(l)s格式不正确，应为 YYYY-MM-DD。") % {"l": label}}
            ) from None
    today = timezone.localdate()
    if abs(value.year - today.year) > MAX_YEARS:
        raise ValidationError({field: _("%(l)s年份不正确。") % {"l": label}})
    return value


def _not_future(value, field, label):
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("%(l)s不能晚于今天。") % {"l": label}})
    return value


def _money(value, field, label, *, required=True):
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
        return None
    try:
        negative = Decimal(str(value).strip()) < 0
    except (ArithmeticError, ValueError):
        negative = False  # area() below says it is not a number
    if negative:
        raise ValidationError({field: _("%(l)s不能为负数。") % {"l": label}})
    return area(value, field, label, allow_zero=True, max_value=MAX_MONEY)


# ------------------------------------------------------------------ leases


def _lease_fields(center_id, data):
    cleaned = {
        "lessor": text(data.get("lessor"), "lessor", _("出租方"), 100, required=True),
        "address": text(data.get("address"), "address", _("房屋地址"), 200, required=True),
        "approval_ref": text(data.get("approval_ref"), "approval_ref", _("批准文号"), 100),
        "notes": text(data.get("notes"), "notes", _("备注"), 500),
        "area": area(data.get("area"), "area", _("租用面积"), max_value=MAX_AREA),
        "annual_rent": _money(data.get("annual_rent"), "annual_rent", _("年租金")),
        "start_date": _date(data.get("start_date"), "start_date", _("租期起")),
        "end_date": _date(data.get("end_date"), "end_date", _("租期止")),
    }
    if cleaned["end_date"] < cleaned["start_date"]:
        raise ValidationError({"end_date": _("租期止不能早于租期起。")})
    agency = data.get("agency")
    cleaned["agency"] = None if agency is None else user_unit(agency, center_id)
    return cleaned


@transaction.atomic
def lease_create(*, actor, center, **data) -> Lease:
    """Record a lease of outside space (with its approval reference)."""
    require_manager(actor, center.pk, LEASE_PERM)
    fields = _lease_fields(center.pk, data)
    return Lease.objects.create(center=center, status=Lease.Status.ACTIVE, **fields)


@transaction.atomic
def lease_update(*, actor, lease, **data) -> Lease:
    """Edit a lease. A renewal (a new end date) re-arms the expiry reminder; a vacated lease
    keeps its vacating date and saving, which the new dates must still allow."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    require_manager(actor, lease.center_id, LEASE_PERM)
    fields = _lease_fields(lease.center_id, data)
    if lease.vacated_on is not None and lease.vacated_on < fields["start_date"]:
        raise ValidationError({"start_date": _("租期起不能晚于腾退日期。")})
    if (
        lease.status == Lease.Status.VACATED
        and lease.annual_saving is not None
        and lease.annual_saving > fields["annual_rent"]
    ):
        raise ValidationError({"annual_rent": _("年租金不能低于已登记的每年节约租金。")})
    if fields["end_date"] != lease.end_date:
        lease.expiry_notified_on = None
    for key, value in fields.items():
        setattr(lease, key, value)
    lease.save()
    return lease


@transaction.atomic
def lease_vacate(*, actor, lease, vacated_on, annual_saving=None, notes=None) -> Lease:
    """The space is handed back: from now on its rent is saved every year (the annual rent
    unless a smaller figure is given, e.g. when part of the rent was already waived)."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    require_manager(actor, lease.center_id, LEASE_PERM)
    if lease.status == Lease.Status.VACATED:
        raise ValidationError(
            {"vacated_on": _("该房屋已于 %(d)s 腾退，不能重复办理。") % {"d": lease.vacated_on}}
        )
    vacated_on = _not_future(
        _date(vacated_on, "vacated_on", _("腾退日期")), "vacated_on", _("腾退日期")
    )
    if vacated_on < lease.start_date:
        raise ValidationError({"vacated_on": _("腾退日期不能早于租期起。")})
    saving = _money(annual_saving, "annual_saving", _("每年节约租金"), required=False)
    if saving is None:
        saving = lease.annual_rent
    if saving > lease.annual_rent:
        raise ValidationError({"annual_saving": _("每年节约租金不能超过年租金。")})
    lease.status = Lease.Status.VACATED
    lease.vacated_on = vacated_on
    lease.annual_saving = saving
    if notes is not None:
        lease.notes = text(notes, "notes", _("备注"), 500)
    lease.save()
    return lease


def lease_totals(leases, year=None) -> dict:
    """Figures of a set of leases: rent still paid each year, rent saved each year by the
    vacated ones (those vacated in `year` only, when given) and how many of each."""
    vacated = Q(status=Lease.Status.VACATED)
    if year is not None:
        vacated &= Q(vacated_on__year=year)
    totals = leases.order_by().aggregate(
        active=Count("pk", filter=Q(status=Lease.Status.ACTIVE)),
        active_area=Sum("area", filter=Q(status=Lease.Status.ACTIVE)),
        active_rent=Sum("annual_rent", filter=Q(status=Lease.Status.ACTIVE)),
        vacated=Count("pk", filter=vacated),
        vacated_area=Sum("area", filter=vacated),
        saving=Sum("annual_saving", filter=vacated),
    )
    zero = Decimal("0.00")
    return {key: (zero if value is None else value) for key, value in totals.items()}


# ------------------------------------------------------------------ renovation projects

OPEN = (RenovationProject.Status.PLANNED, RenovationProject.Status.IN_PROGRESS)


def _open_project(project):
    if project.status not in OPEN:
        raise ValidationError(_("项目%(s)s，不能再修改。") % {"s": project.get_status_display()})


def _project_fields(center_id, data):
    building = data.get("building")
    if building is not None and building.center_id != center_id:
        raise ValidationError({"building": _("请选择本中心的楼栋。")})
    return {
        "title": text(data.get("title"), "title", _("项目名称"), 100, required=True),
        "description": text(data.get("description"), "description", _("项目内容"), 4000),
        "contractor": text(data.get("contractor"), "contractor", _("施工单位"), 100),
        "budget": _money(data.get("budget") or 0, "budget", _("预算")),
        "start_date": _date(data.get("start_date"), "start_date", _("开工日期"), required=False),
        "building": building,
    }


@transaction.atomic
def project_create(*, actor, center, **data) -> RenovationProject:
    require_manager(actor, center.pk, PROJECT_PERM)
    fields = _project_fields(center.pk, data)
    return RenovationProject.objects.create(
        center=center, status=RenovationProject.Status.PLANNED, **fields
    )


@transaction.atomic
def project_update(*, actor, project, **data) -> RenovationProject:
    project = RenovationProject.objects.select_for_update().get(pk=project.pk)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    for key, value in _project_fields(project.center_id, data).items():
        setattr(project, key, value)
    project.save()
    return project


@transaction.atomic
def project_item_add(*, actor, project, name, quantity, unit, amount=None, note="") -> ProjectItem:
    """A line of the project's scope (礼堂椅 × 420 张), with its amount when known."""
    project = RenovationProject.objects.select_for_update().get(pk=project.pk)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    return ProjectItem.objects.create(
        project=project,
        name=text(name, "name", _("内容"), 100, required=True),
        quantity=area(quantity, "quantity", _("数量"), max_value=MAX_QUANTITY),
        unit=text(unit, "unit", _("单位"), 10, required=True),
        amount=_money(amount, "amount", _("金额"), required=False),
        note=text(note, "note", _("备注"), 200),
    )


@transaction.atomic
def project_item_remove(*, actor, item) -> None:
    project = RenovationProject.objects.select_for_update().get(pk=item.project_id)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    ProjectItem.objects.filter(pk=item.pk).delete()


def _progress_value(value, current):
    try:
        progress = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"progress": _("进度必须是 0—100 的整数。")}) from None
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度必须是 0—100 的整数。")})
    if progress < current:
        raise ValidationError({"progress": _("进度不能低于当前的 %(p)s%%。") % {"p": current}})
    return progress


@transaction.atomic
def project_progress(*, actor, project, progress, note) -> ProjectUpdate:
    """Report progress (never backwards). The first report starts a planned project (and
    dates its start today when no start date was set)."""
    project = RenovationProject.objects.select_for_update().get(pk=project.pk)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    progress = _progress_value(progress, project.progress)
    note = text(note, "note", _("进展情况"), 500, required=True)
    if project.status == RenovationProject.Status.PLANNED:
        project.status = RenovationProject.Status.IN_PROGRESS
        project.start_date = project.start_date or timezone.localdate()
    project.progress = progress
    project.save()
    return ProjectUpdate.objects.create(
        project=project, progress=progress, note=note, created_by=actor
    )


@transaction.atomic
def project_complete(*, actor, project, finish_date, final_cost, note="") -> RenovationProject:
    """Completion and final accounts (竣工决算): the project is closed at 100 %."""
    project = RenovationProject.objects.select_for_update().get(pk=project.pk)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    finish_date = _not_future(
        _date(finish_date, "finish_date", _("竣工日期")), "finish_date", _("竣工日期")
    )
    if project.start_date and finish_date < project.start_date:
        raise ValidationError({"finish_date": _("竣工日期不能早于开工日期。")})
    final_cost = _money(final_cost, "final_cost", _("决算金额"))
    note = text(note, "note", _("进展情况"), 500) or _("项目竣工，决算金额 %(c)s 元。") % {
        "c": final_cost
    }
    project.status = RenovationProject.Status.COMPLETED
    project.finish_date = finish_date
    project.final_cost = final_cost
    project.progress = 100
    project.start_date = project.start_date or finish_date
    project.save()
    ProjectUpdate.objects.create(project=project, progress=100, note=note, created_by=actor)
    from houqin.finance.models import CostKind
    from houqin.finance.services.costs import cost_record

    cost_record(  # the final accounts arrive in finance as an expenditure (维修改造项目)
        center_id=project.center_id,
        kind=CostKind.RENOVATION,
        source_label="space.renovationproject",
        source_id=project.pk,
        date=finish_date,
        amount=final_cost,
        payee=project.contractor or _("施工单位"),
        purpose=_("维修改造项目决算：%(t)s") % {"t": project.title},
        actor=actor,
    )
    return project


@transaction.atomic
def project_cancel(*, actor, project, reason) -> RenovationProject:
    project = RenovationProject.objects.select_for_update().get(pk=project.pk)
    require_manager(actor, project.center_id, PROJECT_PERM)
    _open_project(project)
    reason = text(reason, "reason", _("取消原因"), 400, required=True)
    project.status = RenovationProject.Status.CANCELLED
    project.save()
    ProjectUpdate.objects.create(
        project=project,
        progress=project.progress,
        note=_("项目取消：%(r)s") % {"r": reason},
        created_by=actor,
    )
    return project


# ------------------------------------------------------------------ ownership registration


@transaction.atomic
def ownership_save(*, actor, building, status, **data) -> OwnershipRecord:
    """Create or update the ownership record of a building. Registered (已登记) needs the
    certificate number and date, filed (备案) the filing number and date."""
    require_manager(actor, building.center_id, OWNERSHIP_PERM)
    S = OwnershipRecord.Status
    if status not in S.values:
        raise ValidationError({"status": _("请选择登记状态。")})
    fields = {
        "right_holder": text(data.get("right_holder"), "right_holder", _("权利人"), 100),
        "certificate_no": text(data.get("certificate_no"), "certificate_no", _("不动产权证号"), 60),
        "filing_no": text(data.get("filing_no"), "filing_no", _("备案编号"), 60),
        "notes": text(data.get("notes"), "notes", _("备注"), 500),
    }
    for key, label in (("certificate_date", _("登簿日期")), ("filing_date", _("备案日期"))):
        value = _date(data.get(key), key, label, required=False)
        fields[key] = _not_future(value, key, label)
    if status == S.REGISTERED:
        if not fields["certificate_no"]:
            raise ValidationError({"certificate_no": _("已登记的楼栋须填写不动产权证号。")})
        if fields["certificate_date"] is None:
            raise ValidationError({"certificate_date": _("已登记的楼栋须填写登簿日期。")})
    if status == S.FILED:
        if not fields["filing_no"]:
            raise ValidationError({"filing_no": _("已备案的楼栋须填写备案编号。")})
        if fields["filing_date"] is None:
            raise ValidationError({"filing_date": _("已备案的楼栋须填写备案日期。")})
    # Lock the building: two managers saving a first record at once would otherwise both
    # try to create it (one record per building).
    building = Building.objects.select_for_update().get(pk=building.pk)
    record = OwnershipRecord.objects.filter(building=building).first()
    if record is None:
        return OwnershipRecord.objects.create(
            center_id=building.center_id, building=building, status=status, **fields
        )
    record.status = status
    for key, value in fields.items():
        setattr(record, key, value)
    record.save()
    return record


@transaction.atomic
def ownership_document_add(*, actor, record, file, title="") -> OwnershipDocument:
    """Attach a scan (certificate, filing receipt): PDF, PNG or JPG, at most 20 MB, whose
    bytes match its type."""
    require_manager(actor, record.center_id, OWNERSHIP_PERM)
    try:
        validate_document(file, types=SCAN_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    title = (title or "").strip() or Path(getattr(file, "name", "") or "").stem.strip()[:100]
    title = text(title, "title", _("文件名称"), 100, required=True)
    return OwnershipDocument.objects.create(
        center_id=record.center_id,
        record=record,
        title=title,
        file=file,
        size=file_size(file),
        uploaded_by=actor,
    )


@transaction.atomic
def ownership_document_delete(*, actor, document) -> None:
    """Remove a document; its file leaves the storage once the deletion is committed."""
    require_manager(actor, document.center_id, OWNERSHIP_PERM)
    storage, name = document.file.storage, document.file.name
    OwnershipDocument.objects.filter(pk=document.pk).delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
