"""Rules of the org services: tree, people, import, accounts and roles."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from houqin.core.crypto import digest
from houqin.core.models import AuditEvent, AuditLogEntry
from houqin.core.roles import Role
from houqin.org import services
from houqin.org.models import OrgUnit, Person, RoleAssignment, User
from houqin.org.signals import person_left
from houqin.org.tests.factories import PersonFactory, make_unit

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ tree


def test_tree_descendants_and_ancestors_use_paths(center_a, agency_x, section_x, agency_y):
    sub = make_unit(agency_x, "下属事业单位")
    under_x = OrgUnit.objects.filter(path__startswith=agency_x.path)
    assert set(under_x) == {agency_x, section_x, sub}
    assert [u.pk for u in OrgUnit.objects.get_ancestors(section_x)] == [center_a.pk, agency_x.pk]
    assert section_x.center_id == center_a.pk and sub.center_id == center_a.pk


def test_section_cannot_hold_a_section_or_agency(section_x):
    with pytest.raises(ValidationError) as exc:
        services.org_unit_create(actor=None, parent=section_x, kind="section", name="子股")
    assert "股室下不能再设股室" in str(exc.value)
    with pytest.raises(ValidationError):
        services.org_unit_create(actor=None, parent=section_x, kind="agency", name="局")


def test_agency_names_and_codes_unique_per_center_only(center_a, center_b, agency_x):
    with pytest.raises(ValidationError) as exc:
        make_unit(center_a, agency_x.name)
    assert "同名" in str(exc.value)
    with pytest.raises(ValidationError):
        make_unit(center_a, "另一个局", code="X")
    # Another center may use the same name and code.
    assert make_unit(center_b, agency_x.name, code="X").center_id == center_b.pk


def test_database_enforces_center_is_root(center_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.add_child(
            center_a, {"kind": OrgUnit.Kind.CENTER, "name": "嵌套中心", "center_id": center_a.pk}
        )


def test_move_refuses_own_subtree_and_other_center(agency_x, section_x, agency_b, center_a):
    sub = make_unit(agency_x, "下属单位")
    with pytest.raises(ValidationError):
        services.org_unit_move(actor=None, unit=agency_x, new_parent=sub)
    with pytest.raises(ValidationError):
        services.org_unit_move(actor=None, unit=sub, new_parent=agency_b)
    moved = services.org_unit_move(actor=None, unit=sub, new_parent=center_a)
    assert moved.depth == 2


def test_deactivate_refused_while_active_people(agency_x, section_x):
    PersonFactory(agency=agency_x, section=section_x)
    with pytest.raises(ValidationError) as exc:
        services.org_unit_update(actor=None, unit=agency_x, is_active=False)
    assert "在职人员" in str(exc.value)
    assert OrgUnit.objects.get(pk=agency_x.pk).is_active


def test_delete_only_empty_units(agency_x, section_x):
    with pytest.raises(ValidationError):
        services.org_unit_delete(actor=None, unit=agency_x)
    services.org_unit_delete(actor=None, unit=section_x)
    assert not OrgUnit.objects.filter(pk=section_x.pk).exists()


# ------------------------------------------------------------------ people


def _person_data(agency, **extra):
    data = {"name": "李明", "gender": "M", "agency": agency, "phone": "13800001111"}
    data.update(extra)
    return data


def test_person_create_encrypts_id_number_and_masks(center_a, agency_x, section_x):
    person = services.person_create(
        actor=None,
        center=center_a,
        section=section_x,
        **_person_data(agency_x, id_number="11010519491231002x"),
    )
    person.refresh_from_db()
    assert person.id_number == "11010519491231002X"  # normalised, decrypted transparently
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM org_person WHERE id = %s", [person.pk])
        raw = cursor.fetchone()[0]
    assert "1101051949" not in raw  # stored encrypted
    assert person.id_number_digest == digest("11010519491231002X")
    assert person.masked_id_number == "1101**********002X"
    assert person.masked_phone == "138****1111"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "手机号码格式不正确"),
        ("id_number", "110105194912310021", "校验位不正确"),
        ("id_number", "1101", "18 位"),
        ("name", "   ", "请填写姓名"),
    ],
)
def test_person_bad_input_writes_nothing(center_a, agency_x, field, value, message):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=None, center=center_a, **_person_data(agency_x, **{field: value})
        )
    assert message in str(exc.value)
    assert not Person.objects.exists()


def test_person_section_must_belong_to_agency(center_a, agency_x, agency_y, section_x):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=None, center=center_a, section=section_x, **_person_data(agency_y)
        )
    assert "不属于" in str(exc.value)


def test_person_agency_of_other_center_refused(center_a, agency_b):
    with pytest.raises(ValidationError):
        services.person_create(actor=None, center=center_a, **_person_data(agency_b))


def test_duplicate_person_refused_by_service_and_database(center_a, agency_x):
    services.person_create(
        actor=None, center=center_a, **_person_data(agency_x, id_number="11010519491231002X")
    )
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=None,
            center=center_a,
            **_person_data(agency_x, name="王五", phone="", id_number="11010519491231002X"),
        )
    assert "身份证号已登记" in str(exc.value)
    with pytest.raises(ValidationError):
        services.person_create(actor=None, center=center_a, **_person_data(agency_x))
    # The unique constraint holds even when the service is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            center=center_a, agency=agency_x, name="李明", gender="M", phone="13800001111"
        )


def test_person_update_keeps_unchanged_fields(center_a, agency_x, agency_y):
    person = services.person_create(
        actor=None, center=center_a, **_person_data(agency_x, id_number="11010519491231002X")
    )
    updated = services.person_update(actor=None, person=person, agency=agency_y, position="科长")
    assert updated.agency == agency_y and updated.position == "科长"
    assert updated.id_number == "11010519491231002X"


def test_person_leaving_deactivates_account_and_signals(staff_x):
    person = staff_x.person
    received = []

    def receiver(sender, person, actor, **kwargs):
        received.append(person.pk)

    person_left.connect(receiver)
    try:
        with pytest.raises(ValidationError):
            services.person_set_status(actor=None, person=person, status="retired", date=None)
        services.person_set_status(
            actor=None, person=person, status="retired", date=dt.date(2026, 11, 1)
        )
    finally:
        person_left.disconnect(receiver)
    assert received == [person.pk]
    staff_x.refresh_from_db()
    assert not staff_x.is_active


def test_person_changes_are_audited_with_center_and_masked(admin_a, center_a, agency_x):
    person = services.person_create(
        actor=admin_a, center=center_a, **_person_data(agency_x, id_number="11010519491231002X")
    )
    entry = AuditLogEntry.objects.get(
        object_pk=str(person.pk), action=AuditLogEntry.Action.CREATE, content_type__model="person"
    )
    assert entry.center_id == center_a.pk
    assert "11010519491231002X" not in str(entry.changes)


# ------------------------------------------------------------------ import


def _row(n, **values):
    base = {
        "_row": n,
        "name": f"导入{n}",
        "gender": "M",
        "phone": f"1390000{n:04d}",
        "id_number": "",
        "position": "",
        "note": "",
        "section": None,
        "rank": None,
        "employment_type": "civil",
    }
    base.update(values)
    return base


def test_import_all_or_nothing_with_row_errors(center_a, agency_x, admin_a):
    rows = [
        _row(2, agency=agency_x),
        _row(3, agency=agency_x, phone="bad"),
        _row(4, agency=agency_x, name="导入2", phone="13900000002"),  # duplicate of row 2
        _row(5, agency=agency_x, _errors=["单位“不存在局”不存在。"]),
    ]
    with pytest.raises(services.ImportRowsError) as exc:
        services.people_import(actor=admin_a, center=center_a, rows=rows)
    rows_with_errors = {row for row, _ in exc.value.errors}
    assert rows_with_errors == {3, 4, 5}
    assert any("第 2 行重复" in msg for _, msg in exc.value.errors)
    assert Person.objects.filter(center=center_a).count() == 1  # only admin_a's own person


def test_import_writes_every_row_and_audits(center_a, agency_x, admin_a):
    before = Person.objects.count()
    people = services.people_import(
        actor=admin_a, center=center_a, rows=[_row(i, agency=agency_x) for i in range(2, 12)]
    )
    assert len(people) == 10 and Person.objects.count() == before + 10
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
    assert event.detail["rows"] == 10 and event.center_id == center_a.pk


# ------------------------------------------------------------------ accounts


def test_account_create_generates_valid_password_and_forces_change(center_a, agency_x, admin_a):
    person = PersonFactory(agency=agency_x)
    user, password = services.account_create(
        actor=admin_a, person=person, username="newuser", roles=[Role.LIAISON, Role.STAFF]
    )
    assert user.check_password(password) and user.must_change_password
    assert user.center_id == center_a.pk
    assert set(user.role_assignments.values_list("role", flat=True)) == {"liaison", "staff"}
    assert user.has_perm("org.view_person") and not user.has_perm("org.manage_accounts")


def test_account_create_refuses_taken_username_and_unknown_role(agency_x, admin_a):
    person = PersonFactory(agency=agency_x)
    with pytest.raises(ValidationError):
        services.account_create(actor=admin_a, person=person, username="ADMIN_A", roles=[])
    with pytest.raises(ValidationError):
        services.account_create(actor=admin_a, person=person, username="x1", roles=["root"])
    assert not User.objects.filter(username="x1").exists()


def test_roles_are_per_center(admin_a, center_b):
    """A role held in another center gives nothing in the user's current center."""
    RoleAssignment.objects.filter(user=admin_a).delete()
    RoleAssignment.objects.create(user=admin_a, center=center_b, role=Role.CENTER_ADMIN)
    admin_a = User.objects.get(pk=admin_a.pk)
    assert not admin_a.has_perm("org.manage_accounts")


def test_set_roles_replaces_and_changes_permissions(admin_a, staff_x):
    services.account_set_roles(actor=admin_a, user=staff_x, roles=[Role.AUDITOR])
    staff_x = User.objects.get(pk=staff_x.pk)
    assert staff_x.has_perm("core.view_auditlogentry")
    services.account_set_roles(actor=admin_a, user=staff_x, roles=[Role.STAFF])
    staff_x = User.objects.get(pk=staff_x.pk)
    assert not staff_x.has_perm("core.view_auditlogentry")


def test_reset_password_forces_change_and_is_audited(admin_a, staff_x):
    password = services.account_reset_password(actor=admin_a, user=staff_x)
    staff_x.refresh_from_db()
    assert staff_x.check_password(password) and staff_x.must_change_password
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET, actor=admin_a).exists()


def test_cannot_deactivate_self(admin_a):
    with pytest.raises(ValidationError):
        services.account_set_active(actor=admin_a, user=admin_a, active=False)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少"),  # too short (Django's message)
        ("abcdefgh1", "至少 3 类"),
        ("Staff_x-2026", "用户名"),
    ],
)
def test_change_password_rules(staff_x, password, message):
    from houqin.org.tests.factories import PASSWORD

    with pytest.raises(ValidationError) as exc:
        services.user_change_password(actor=staff_x, old_password=PASSWORD, new_password=password)
    assert message in str(exc.value)
    staff_x.refresh_from_db()
    assert staff_x.check_password(PASSWORD)


def test_change_password_clears_forced_flag(staff_x):
    from houqin.org.tests.factories import PASSWORD

    staff_x.must_change_password = True
    staff_x.save()
    with pytest.raises(ValidationError):
        services.user_change_password(
            actor=staff_x, old_password="wrong", new_password="N3w-Pass!x"
        )
    services.user_change_password(actor=staff_x, old_password=PASSWORD, new_password="N3w-Pass!x")
    staff_x.refresh_from_db()
    assert not staff_x.must_change_password and staff_x.check_password("N3w-Pass!x")
