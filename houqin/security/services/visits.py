"""来访登记 at the gate and invitations by staff.

ID numbers: a 居民身份证 number is checked (18 digits, check digit); every number is stored
encrypted and found again only through an HMAC digest of type + number, which also matches the
watch list. Lists and exports show it masked; the full value needs security.view_full_id and is
audited (views). Visits are kept SECURITY_VISIT_RETENTION_DAYS and then purged by a job.
"""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.crypto import digest, mask_id_number
from houqin.core.notifications.services import notify
from houqin.org.models import OrgUnit, Person
from houqin.org.scoping import user_person
from houqin.org.validators import normalize_id_number, validate_id_number, validate_phone

from ..models import Gate, ScreeningTally, Visit, Visitor, WatchEntry
from ..models.visitors import IdType
from .common import require, security_managers, text

OTHER_ID_RE = re.compile(r"^[A-Z0-9]{5,30}$")
PLATE_RE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{4,6}$")


def clean_id(id_type, id_number):
    """(type, normalised number, digest) or a Chinese ValidationError on "id_number"."""
    if id_type not in IdType.values:
        raise ValidationError({"id_type": _("请选择证件类型。")})
    number = normalize_id_number(id_number).replace(" ", "")
    if not number:
        return id_type, "", ""
    if id_type == IdType.RESIDENT:
        try:
            validate_id_number(number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
    elif not OTHER_ID_RE.match(number):
        raise ValidationError({"id_number": _("证件号码应为 5—30 位字母或数字。")})
    return id_type, number, digest(f"{id_type}:{number}")


def watch_match(center_id, name, id_digest):
    """The active watch-list entry for this person, by ID digest, or by name when the entry
    has no ID."""
    entries = WatchEntry.objects.filter(center_id=center_id, is_active=True)
    if id_digest:
        hit = entries.filter(id_digest=id_digest).first()
        if hit is not None:
            return hit
    return entries.filter(id_digest="", name=name).first()


def _visitor(center_id, *, name, id_type, id_number, phone, company):
    name = text(name, "name", _("姓名"), 50, required=True)
    id_type, number, id_digest = clean_id(id_type, id_number)
    phone = (phone or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    company = text(company, "company", _("单位"), 100)
    visitor = None
    if id_digest:
        visitor = Visitor.objects.filter(center_id=center_id, id_digest=id_digest).first()
    if visitor is None:
        visitor = Visitor(center_id=center_id, id_digest=id_digest)
    visitor.name, visitor.id_type, visitor.id_number = name, id_type, number
    if phone or not visitor.phone:
        visitor.phone = phone
    if company or not visitor.company:
        visitor.company = company
    visitor.save()
    return visitor


def _visit_fields(center_id, *, party_size, host_agency, host_person, purpose, plate):
    try:
        party_size = 1 if party_size in (None, "") else int(party_size)
    except (TypeError, ValueError):
        raise ValidationError({"party_size": _("来访人数必须是整数。")}) from None
    if not 1 <= party_size <= 200:
        raise ValidationError({"party_size": _("来访人数应在 1—200 之间。")})
    if (
        host_agency is None
        or host_agency.kind not in (OrgUnit.Kind.AGENCY, OrgUnit.Kind.CENTER)
        or host_agency.center_id_value != center_id
    ):
        raise ValidationError({"host_agency": _("请选择被访单位。")})
    if host_person is not None and (
        host_person.agency_id != host_agency.pk or host_person.status != Person.Status.ACTIVE
    ):
        raise ValidationError({"host_person": _("被访人不在所选单位。")})
    plate = (plate or "").strip().upper().replace(" ", "")
    if plate and not PLATE_RE.match(plate):
        raise ValidationError({"plate": _("车牌号格式不正确，如 桂A12345。")})
    return {
        "party_size": party_size,
        "host_agency": host_agency,
        "host_person": host_person,
        "purpose": text(purpose, "purpose", _("事由"), 200, required=True),
        "plate": plate,
    }


def _clean_screening(gate, screening):
    """Per-entry screening answers against the gate's checks; (answers, all_ok)."""
    if gate is None or not gate.screening_per_entry:
        return {}, True
    answers, ok = {}, True
    for check in gate.checks:
        value = (screening or {}).get(check["key"])
        if value is None:
            raise ValidationError({"screening": _("请完成查验：%(l)s。") % {"l": check["label"]}})
        answers[check["key"]] = bool(value)
        ok = ok and bool(value)
    return answers, ok


def _admit(visit, *, actor, gate, screening, now):
    """Let the visitor in (or refuse them): watch list, screening, the host told."""
    answers, screening_ok = _clean_screening(gate, screening)
    visit.gate = gate
    visit.screening = answers
    visit.registered_by = actor
    hit = watch_match(visit.center_id, visit.visitor.name, visit.visitor.id_digest)
    if (hit is not None and hit.level == WatchEntry.Level.BLOCKED) or not screening_ok:
        visit.status = Visit.Status.REFUSED
        visit.note = (
            _("关注名单：%(r)s") % {"r": hit.reason} if hit is not None else _("入口查验未通过")
        )[:200]
    else:
        visit.status = Visit.Status.IN
        visit.entered_at = now
        visit.needs_escort = hit is not None
    visit.save()
    if hit is not None:
        notify(
            recipients=security_managers(visit.center_id),
            kind="security.watch_hit",
            title=_("关注名单人员来访：%(n)s（%(l)s）")
            % {"n": hit.name, "l": hit.get_level_display()},
            url=reverse("security:visit_detail", args=[visit.pk]),
            obj=visit,
            actor=actor,
        )
    host_user = visit.host_person.user if visit.host_person is not None else None
    if visit.status == Visit.Status.IN and host_user is not None:
        notify(
            recipients=[host_user],
            kind="security.visitor_arrived",
            title=_("您的访客 %(n)s（%(k)s 人）已到达门岗")
            % {"n": visit.visitor.name, "k": visit.party_size},
            url=reverse("security:invite"),
            obj=visit,
            actor=actor,
        )
    return visit


@transaction.atomic
def visit_register(
    *,
    actor,
    gate,
    name,
    id_type=IdType.RESIDENT,
    id_number="",
    phone="",
    company="",
    party_size=1,
    host_agency=None,
    host_person=None,
    purpose="",
    plate="",
    screening=None,
    now=None,
) -> Visit:
    """A walk-in visitor registered by the guard: in now, or refused (watch list, screening).
    A refused visit is kept (status 拒绝入内) so the refusal is on record."""
    center_id = gate.center_id
    require(actor, "security.add_visit", center_id)
    visitor = _visitor(
        center_id, name=name, id_type=id_type, id_number=id_number, phone=phone, company=company
    )
    fields = _visit_fields(
        center_id,
        party_size=party_size,
        host_agency=host_agency,
        host_person=host_person,
        purpose=purpose,
        plate=plate,
    )
    visit = Visit(center_id=center_id, visitor=visitor, **fields)
    return _admit(visit, actor=actor, gate=gate, screening=screening, now=now or timezone.now())


@transaction.atomic
def visit_invite(
    *,
    actor,
    name,
    expected_at,
    purpose,
    id_type=IdType.RESIDENT,
    id_number="",
    phone="",
    company="",
    party_size=1,
    plate="",
    now=None,
) -> Visit:
    """预约: a member of staff invites a visitor; the guard finds them in today's list."""
    person = user_person(actor)
    if person is None or person.center_id != actor.center_id:
        raise ValidationError(_("您的账号没有对应的人员档案，不能邀请访客。"))
    now = now or timezone.now()
    if expected_at is None or expected_at < now - dt.timedelta(hours=1):
        raise ValidationError({"expected_at": _("预计到访时间不能早于现在。")})
    if expected_at > now + dt.timedelta(days=60):
        raise ValidationError({"expected_at": _("只能邀请 60 天以内的访客。")})
    visitor = _visitor(
        actor.center_id,
        name=name,
        id_type=id_type,
        id_number=id_number,
        phone=phone,
        company=company,
    )
    fields = _visit_fields(
        actor.center_id,
        party_size=party_size,
        host_agency=person.agency,
        host_person=person,
        purpose=purpose,
        plate=plate,
    )
    return Visit.objects.create(
        center_id=actor.center_id,
        visitor=visitor,
        expected_at=expected_at,
        invited_by=actor,
        **fields,
    )


def _lock(visit):
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("visitor", "host_person__user")
        .get(pk=visit.pk)
    )


@transaction.atomic
def visit_arrive(*, actor, visit, gate, screening=None, now=None) -> Visit:
    """An invited visitor arrives at the gate."""
    visit = _lock(visit)
    require(actor, "security.change_visit", visit.center_id)
    if visit.status != Visit.Status.EXPECTED:
        raise ValidationError(_("该访客已%(s)s。") % {"s": visit.get_status_display()})
    if gate is None or gate.center_id != visit.center_id:
        raise ValidationError({"gate": _("请选择门岗。")})
    return _admit(visit, actor=actor, gate=gate, screening=screening, now=now or timezone.now())


@transaction.atomic
def visit_exit(*, actor, visit, now=None) -> Visit:
    visit = _lock(visit)
    require(actor, "security.change_visit", visit.center_id)
    if visit.status != Visit.Status.IN:
        raise ValidationError(_("该访客不在访，无法登记离开。"))
    now = now or timezone.now()
    visit.status = Visit.Status.OUT
    visit.exited_at = max(now, visit.entered_at)
    visit.save(update_fields=["status", "exited_at", "updated_at"])
    return visit


@transaction.atomic
def visit_cancel(*, actor, visit) -> Visit:
    """The inviter (or a security manager) calls off an expected visit."""
    visit = _lock(visit)
    if visit.invited_by_id != actor.pk:
        require(actor, "security.change_visit", visit.center_id)
    if visit.status != Visit.Status.EXPECTED:
        raise ValidationError(_("只能取消尚未到访的预约。"))
    visit.status = Visit.Status.CANCELLED
    visit.save(update_fields=["status", "updated_at"])
    return visit


@transaction.atomic
def watch_entry_save(
    *, actor, center, name, level, reason, id_type="", id_number="", entry=None, is_active=True
):
    require(
        actor,
        "security.change_watchentry" if entry is not None else "security.add_watchentry",
        center.pk,
    )
    if entry is not None and entry.center_id != center.pk:
        raise ValidationError(_("关注名单记录不属于本中心。"))
    name = text(name, "name", _("姓名"), 50, required=True)
    if level not in WatchEntry.Level.values:
        raise ValidationError({"level": _("请选择处置方式。")})
    reason = text(reason, "reason", _("原因"), 200, required=True)
    id_digest, id_masked = "", ""
    if id_number:
        id_type, number, id_digest = clean_id(id_type or IdType.RESIDENT, id_number)
        id_masked = mask_id_number(number)
    entry = entry or WatchEntry(center=center)
    entry.name, entry.level, entry.reason = name, level, reason
    entry.is_active = bool(is_active)
    if id_number or entry.pk is None:
        entry.id_digest, entry.id_masked = id_digest, id_masked
    entry.save()
    return entry


def retention_days():
    return int(getattr(settings, "SECURITY_VISIT_RETENTION_DAYS", 180))


@transaction.atomic
def visits_purge(*, now=None) -> int:
    """Delete visits older than the retention period (by entry, or expected, or registration
    time) and visitors left with no visit. Returns the number of visits deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    old = Visit.objects.filter(created_at__lt=cutoff).exclude(status=Visit.Status.IN)
    _total, per_model = old.delete()
    Visitor.objects.filter(center_id__isnull=False, visits__isnull=True).delete()
    return per_model.get("security.Visit", 0)


def gate_choices(center_id):
    return Gate.objects.filter(center_id=center_id, is_active=True)


def checks_from_labels(labels, existing=()):
    """Gate checks from a list of labels: a label kept from `existing` keeps its key (so past
    answers still read), a new one gets the next free key c1, c2, …"""
    keys = {c["label"]: c["key"] for c in existing}
    used = set(keys.values())
    checks, seen, n = [], set(), 0
    for raw in labels:
        label = (raw or "").strip()
        if not label or label in seen:
            continue
        if len(label) > 30:
            raise ValidationError({"checks": _("查验项“%(l)s”不能超过 30 个字。") % {"l": label}})
        seen.add(label)
        key = keys.get(label)
        if key is None:
            n += 1
            while f"c{n}" in used:
                n += 1
            key = f"c{n}"
            used.add(key)
        checks.append({"key": key, "label": label, "type": "bool"})
    if len(checks) > 10:
        raise ValidationError({"checks": _("查验项不能超过 10 项。")})
    return checks


@transaction.atomic
def gate_save(
    *, actor, center, name, checks=(), screening_per_entry=False, is_active=True, gate=None
):
    """Create or edit a gate; `checks` are the labels of the entry checks, one per item."""
    require(actor, "security.change_gate" if gate else "security.add_gate", center.pk)
    if gate is not None and gate.center_id != center.pk:
        raise ValidationError(_("门岗不属于本中心。"))
    name = text(name, "name", _("门岗名称"), 50, required=True)
    clash = Gate.objects.filter(center=center, name=name)
    if gate is not None:
        clash = clash.exclude(pk=gate.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名门岗。")})
    checks = checks_from_labels(checks, gate.checks if gate is not None else ())
    if screening_per_entry and not checks:
        raise ValidationError({"checks": _("逐人记录查验结果时，请至少填写一项查验项。")})
    gate = gate or Gate(center=center)
    gate.name, gate.checks = name, checks
    gate.screening_per_entry, gate.is_active = bool(screening_per_entry), bool(is_active)
    gate.save()
    return gate


@transaction.atomic
def screening_tally_add(*, actor, gate, date, checked, abnormal=0, note="", today=None):
    """入口查验 daily totals at a gate: one record per gate and day."""
    require(actor, "security.add_screeningtally", gate.center_id)
    today = today or timezone.localdate()
    if date is None:
        raise ValidationError({"date": _("请填写日期。")})
    if date > today:
        raise ValidationError({"date": _("不能登记未来日期的查验统计。")})
    if checked is None or checked < 0:
        raise ValidationError({"checked": _("查验人数不能为负数。")})
    abnormal = abnormal or 0
    if abnormal < 0:
        raise ValidationError({"abnormal": _("异常人数不能为负数。")})
    if abnormal > checked:
        raise ValidationError({"abnormal": _("异常人数不能多于查验人数。")})
    note = text(note, "note", _("处置情况"), 200)
    if ScreeningTally.objects.filter(gate=gate, date=date).exists():
        raise ValidationError(
            {"date": _("%(g)s %(d)s 的查验统计已登记。") % {"g": gate, "d": date}}
        )
    try:
        with transaction.atomic():
            return ScreeningTally.objects.create(
                center_id=gate.center_id,
                gate=gate,
                date=date,
                checked=checked,
                abnormal=abnormal,
                note=note,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"date": _("%(g)s %(d)s 的查验统计已登记。") % {"g": gate, "d": date}}
        ) from None
