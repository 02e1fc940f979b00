"""Every write of the org app: <entity>_<action>(*, actor, ...), atomic, validated, audited.

Row changes are audited by django-auditlog (registered in apps.py); imports, exports and
password resets also write an AuditEvent. Services raise ValidationError with Chinese messages
(dict form: field -> message) that views show on the form; nothing is written on error.
"""

import secrets
import string

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import record_event
from houqin.core.crypto import digest
from houqin.core.models import AuditEvent
from houqin.core.roles import Role

from .models import OrganLevel, OrgUnit, Person, RoleAssignment, User
from .signals import person_left
from .validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone

# ------------------------------------------------------------------ organisation tree


@transaction.atomic
def center_create(
    *, actor, name, code="", organ_level=OrganLevel.COUNTY, short_name="", upper_center=None
):
    """A new tenant. `upper_center` makes it a subordinate (e.g. a district center under the
    city's), whose aggregate figures the upper center's leaders see side by side."""
    if upper_center is not None and upper_center.kind != OrgUnit.Kind.CENTER:
        raise ValidationError({"upper_center": _("上级中心必须是后勤服务中心。")})
    return OrgUnit.objects.add_root(
        create_kwargs={
            "kind": OrgUnit.Kind.CENTER,
            "name": name,
            "code": code,
            "organ_level": organ_level,
            "short_name": short_name,
            "upper_center": upper_center,
        }
    )


def _check_parent(kind, parent):
    if parent is None:
        raise ValidationError({"parent": _("请选择上级机构。")})
    if not parent.is_active:
        raise ValidationError({"parent": _("上级机构已停用。")})
    if kind == OrgUnit.Kind.SECTION and parent.kind == OrgUnit.Kind.SECTION:
        raise ValidationError({"parent": _("股室下不能再设股室。")})
    if kind == OrgUnit.Kind.AGENCY and parent.kind == OrgUnit.Kind.SECTION:
        raise ValidationError({"parent": _("部门/单位不能设在股室之下。")})


def _check_unique(center_id, kind, name, code, exclude_pk=None):
    qs = OrgUnit.objects.filter(center_id=center_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if kind == OrgUnit.Kind.AGENCY and qs.filter(kind=kind, name=name).exists():
        raise ValidationError({"name": _("本中心已有同名的部门/单位“%(name)s”。") % {"name": name}})
    if code and qs.filter(code=code).exists():
        raise ValidationError({"code": _("编码“%(code)s”已被使用。") % {"code": code}})


@transaction.atomic
def org_unit_create(
    *,
    actor,
    parent,
    kind,
    name,
    short_name="",
    code="",
    organ_level=None,
    establishment=None,
):
    if kind == OrgUnit.Kind.CENTER:
        raise ValidationError({"kind": _("后勤服务中心只能由系统管理员创建。")})
    _check_parent(kind, parent)
    center_id = parent.center_id_value
    _check_unique(center_id, kind, name, code)
    return OrgUnit.objects.add_child(
        parent,
        create_kwargs={
            "kind": kind,
            "name": name,
            "short_name": short_name,
            "code": code,
            "organ_level": organ_level or parent.organ_level,
            "establishment": establishment,
            "center_id": center_id,
        },
    )


_UNIT_FIELDS = {"name", "short_name", "code", "organ_level", "establishment", "is_active"}


@transaction.atomic
def org_unit_update(*, actor, unit, **fields):
    unknown = set(fields) - _UNIT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check_unique(
        unit.center_id_value,
        unit.kind,
        fields.get("name", unit.name),
        fields.get("code", unit.code),
        exclude_pk=unit.pk,
    )
    if fields.get("is_active") is False and unit.is_active:
        _check_can_deactivate(unit)
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.save()
    return unit


def _check_can_deactivate(unit):
    descendants = OrgUnit.objects.filter(path__startswith=unit.path)
    active_people = (
        Person.objects.filter(agency__in=descendants, status=Person.Status.ACTIVE).count()
        + Person.objects.filter(section__in=descendants, status=Person.Status.ACTIVE).count()
    )
    if active_people:
        raise ValidationError(
            _("“%(name)s”下还有 %(n)d 名在职人员，请先调整人员后再停用。")
            % {"name": unit.name, "n": active_people}
        )


@transaction.atomic
def org_unit_move(*, actor, unit, new_parent):
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent.center_id_value != unit.center_id:
        raise ValidationError({"parent": _("不能移动到其他中心。")})
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能移动到自身或其下级机构之下。")})
    _check_parent(unit.kind, new_parent)
    OrgUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    return unit


@transaction.atomic
def org_unit_delete(*, actor, unit):
    """Delete an empty unit; units with people or sub-units are deactivated instead."""
    if OrgUnit.objects.get_children_count(unit):
        raise ValidationError(_("该机构下还有下级机构，不能删除，可改为停用。"))
    if Person.objects.filter(agency=unit).exists() or Person.objects.filter(section=unit).exists():
        raise ValidationError(_("该机构有人员记录（含历史人员），不能删除，可改为停用。"))
    unit.delete()


# ------------------------------------------------------------------ people

PERSON_FIELDS = (
    "name",
    "gender",
    "agency",
    "section",
    "rank",
    "position",
    "employment_type",
    "phone",
    "id_number",
    "note",
)


def _clean_person(center_id, data, *, exclude_pk=None):
    """Normalise and check one person's data against the rules. Raises ValidationError."""
    errors = {}
    data = dict(data)
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        errors["name"] = _("请填写姓名。")
    data["phone"] = normalize_phone(data.get("phone", ""))
    data["id_number"] = normalize_id_number(data.get("id_number", ""))
    for field, check in (("phone", validate_phone), ("id_number", validate_id_number)):
        try:
            check(data[field])
        except ValidationError as exc:
            errors[field] = exc.messages[0]
    agency = data.get("agency")
    section = data.get("section")
    if agency is None:
        errors["agency"] = _("请选择所在单位。")
    elif agency.center_id_value != center_id or agency.kind == OrgUnit.Kind.SECTION:
        errors["agency"] = _("所在单位无效。")
    if (
        section is not None
        and agency is not None
        and (section.kind != OrgUnit.Kind.SECTION or not section.path.startswith(agency.path))
    ):
        errors["section"] = _("股室“%(s)s”不属于“%(a)s”。") % {"s": section, "a": agency}
    if not errors:
        others = Person.objects.filter(center_id=center_id)
        if exclude_pk:
            others = others.exclude(pk=exclude_pk)
        if data["id_number"] and others.filter(id_number_digest=digest(data["id_number"])).exists():
            errors["id_number"] = _("该身份证号已登记在其他人员名下。")
        if data["phone"] and others.filter(name=data["name"], phone=data["phone"]).exists():
            errors["phone"] = _("已有同名且手机号相同的人员，疑似重复。")
    if errors:
        raise ValidationError(errors)
    data["id_number_digest"] = digest(data["id_number"]) if data["id_number"] else ""
    return data


@transaction.atomic
def person_create(*, actor, center, **data):
    data = _clean_person(center.pk, {k: data.get(k) for k in PERSON_FIELDS})
    return Person.objects.create(center_id=center.pk, **_defaults(data))


def _defaults(data):
    data = dict(data)
    for key in ("position", "note", "phone", "id_number"):
        data[key] = data.get(key) or ""
    data["employment_type"] = data.get("employment_type") or Person.EmploymentType.CIVIL
    return data


@transaction.atomic
def person_update(*, actor, person, **data):
    merged = {k: getattr(person, k) for k in PERSON_FIELDS}
    merged.update({k: v for k, v in data.items() if k in PERSON_FIELDS})
    clean = _defaults(_clean_person(person.center_id, merged, exclude_pk=person.pk))
    person = Person.objects.select_for_update().get(pk=person.pk)
    for key, value in clean.items():
        setattr(person, key, value)
    person.save()
    return person


@transaction.atomic
def person_set_status(*, actor, person, status, date):
    """Transfer, retire or reinstate a person. Leaving deactivates their login account and
    tells other modules (org.signals.person_left) so they take back offices, close wallets…"""
    if status not in Person.Status.values:
        raise ValidationError({"status": _("状态无效。")})
    if status != Person.Status.ACTIVE and date is None:
        raise ValidationError({"status_date": _("请填写调离或退休日期。")})
    if date and date > timezone.localdate() + timezone.timedelta(days=366):
        raise ValidationError({"status_date": _("日期不能晚于一年以后。")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    was_active = person.status == Person.Status.ACTIVE
    person.status = status
    person.status_date = date
    person.save(update_fields=["status", "status_date", "updated_at"])
    if status != Person.Status.ACTIVE and person.user_id:
        User.objects.filter(pk=person.user_id).update(is_active=False)
    if was_active and status != Person.Status.ACTIVE:
        person_left.send(sender=Person, person=person, actor=actor)
    return person


# ------------------------------------------------------------------ import


@transaction.atomic
def people_import(*, actor, center, rows, request=None):
    """Create every person in `rows` (already parsed: dicts of model values plus "_row"),
    or none: all rows are checked first, including duplicates inside the file.

    Returns the created people; raises ImportRowsError listing every bad row.
    """
    errors: list[tuple[int, str]] = []
    cleaned = []
    seen_ids: dict[str, int] = {}
    seen_name_phone: dict[tuple[str, str], int] = {}
    for row in rows:
        row_no = row["_row"]
        if row.get("_errors"):
            errors.extend((row_no, msg) for msg in row["_errors"])
            continue
        try:
            data = _clean_person(center.pk, {k: row.get(k) for k in PERSON_FIELDS})
        except ValidationError as exc:
            errors.extend((row_no, msg) for msg in _messages(exc))
            continue
        key_id = data["id_number_digest"]
        if key_id and key_id in seen_ids:
            errors.append((row_no, _("身份证号与第 %(r)d 行重复。") % {"r": seen_ids[key_id]}))
            continue
        key_np = (data["name"], data["phone"])
        if data["phone"] and key_np in seen_name_phone:
            errors.append(
                (row_no, _("姓名和手机号与第 %(r)d 行重复。") % {"r": seen_name_phone[key_np]})
            )
            continue
        if key_id:
            seen_ids[key_id] = row_no
        if data["phone"]:
            seen_name_phone[key_np] = row_no
        cleaned.append(_defaults(data))
    if errors:
        raise ImportRowsError(errors)
    people = [Person.objects.create(center_id=center.pk, **data) for data in cleaned]
    record_event(
        AuditEvent.Kind.IMPORT, request=request, actor=actor, model="org.Person", rows=len(people)
    )
    return people


class ImportRowsError(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = sorted(errors)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return exc.messages


# ------------------------------------------------------------------ accounts and roles


def generate_password(length=12) -> str:
    """A random password that satisfies the password rules (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "@#%+=?"
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in value)
            and any(c.isupper() for c in value)
            and any(c.isdigit() for c in value)
            and any(not c.isalnum() for c in value)
        ):
            return value


def _check_roles(roles):
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise ValidationError({"roles": _("未知角色：%(r)s") % {"r": "、".join(bad)}})


@transaction.atomic
def account_create(*, actor, person, username, roles, password=None, must_change=True):
    """Create a login for `person` with `roles` in the person's center.

    Returns (user, password); the password is shown once to the administrator, and the user
    must change it at first login.
    """
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("请填写用户名。")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": username}})
    if person.user_id:
        raise ValidationError({"username": _("%(p)s 已有登录账号。") % {"p": person.name}})
    if person.status != Person.Status.ACTIVE:
        raise ValidationError({"username": _("该人员已不在职，不能开通账号。")})
    _check_roles(roles)
    user = User(username=username, center_id=person.center_id, must_change_password=must_change)
    password = password or generate_password()
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    account_set_roles(actor=actor, user=user, roles=roles)
    return user, password


@transaction.atomic
def account_set_roles(*, actor, user, roles):
    _check_roles(roles)
    roles = set(roles)
    current = {ra.role: ra for ra in RoleAssignment.objects.filter(user=user, center=user.center)}
    for role, assignment in current.items():
        if role not in roles:
            assignment.delete()
    for role in roles - set(current):
        RoleAssignment.objects.create(
            user=user, center_id=user.center_id, role=role, granted_by=actor
        )
    if hasattr(user, "_houqin_roles"):
        del user._houqin_roles
    return sorted(roles)


@transaction.atomic
def account_reset_password(*, actor, user, request=None):
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    axes_reset(username=user.username)
    record_event(AuditEvent.Kind.PASSWORD_RESET, request=request, actor=actor, target=user.username)
    return password


@transaction.atomic
def account_set_active(*, actor, user, active):
    if user.pk == actor.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    if active and hasattr(user, "person") and user.person.status != Person.Status.ACTIVE:
        raise ValidationError(_("该人员已不在职，不能启用账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def account_unlock(*, actor, user, request=None):
    """Clear login-failure lockout (django-axes) for this account."""
    count = axes_reset(username=user.username)
    record_event(
        AuditEvent.Kind.ACCOUNT_UNLOCKED, request=request, actor=actor, target=user.username
    )
    return count


@transaction.atomic
def user_change_password(*, actor, old_password, new_password, request=None):
    """The signed-in user changes their own password (first login, expiry or by choice)."""
    if not actor.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("新密码不能与原密码相同。")})
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.password_changed_at = timezone.now()
    actor.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record_event(AuditEvent.Kind.PASSWORD_CHANGED, request=request, actor=actor)
    return actor
