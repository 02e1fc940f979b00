"""org pages through the UI: lists, forms, import/export, accounts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.org.models import OrgUnit, Person, User
from houqin.org.tests.factories import PASSWORD, PersonFactory
from houqin.org.tests.xlsx_files import HEADERS, person_row, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "org:unit_list",
        "org:unit_create",
        "org:person_list",
        "org:person_create",
        "org:person_import",
        "org:account_list",
        "org:account_create",
        "org:rank_list",
    ],
)
def test_admin_pages_render(admin_client, agency_x, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_home_and_profile_render(admin_client):
    assert admin_client.get(reverse("home")).status_code == 200
    assert admin_client.get(reverse("profile")).status_code == 200
    assert admin_client.get(reverse("portal:home")).status_code == 200


def test_person_detail_shows_masked_values(admin_client, person_y):
    html = admin_client.get(reverse("org:person_detail", args=[person_y.pk])).content.decode()
    assert "139****5678" in html and "1101**********002X" in html
    assert "13912345678" not in html and "11010519491231002X" not in html


def test_reveal_is_post_only_and_audited(admin_client, person_y):
    url = reverse("org:person_reveal", args=[person_y.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert "13912345678" in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SENSITIVE_VIEW)
    assert event.detail["person"] == person_y.pk


def test_create_person_through_form(admin_client, agency_x, section_x):
    response = admin_client.post(
        reverse("org:person_create"),
        {
            "name": "赵六",
            "gender": "F",
            "agency": agency_x.pk,
            "section": section_x.pk,
            "employment_type": "civil",
            "phone": "13700001234",
        },
    )
    person = Person.objects.get(name="赵六")
    assert response.status_code == 302 and response.url == reverse(
        "org:person_detail", args=[person.pk]
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "123"}, "手机号码格式不正确"),
        ({"name": "名" * 51}, "50"),
        ({"id_number": "110105194912310021"}, "校验位不正确"),
        ({"agency": "999999"}, "选择一个有效的选项"),
    ],
)
def test_create_person_bad_input(admin_client, agency_x, data, message):
    before = Person.objects.count()
    payload = {
        "name": "赵六",
        "gender": "F",
        "agency": agency_x.pk,
        "employment_type": "civil",
        "phone": "13700001234",
    }
    payload.update(data)
    response = admin_client.post(reverse("org:person_create"), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == before


def test_edit_person_keeps_id_number_when_blank(admin_client, person_y, agency_x):
    response = admin_client.post(
        reverse("org:person_edit", args=[person_y.pk]),
        {
            "name": person_y.name,
            "gender": "M",
            "agency": agency_x.pk,
            "employment_type": "civil",
            "phone": person_y.phone,
            "id_number": "",
            "position": "科长",
        },
    )
    assert response.status_code == 302
    person_y.refresh_from_db()
    assert person_y.position == "科长" and person_y.agency == agency_x
    assert person_y.id_number == "11010519491231002X"


def test_person_status_change(admin_client, staff_x):
    url = reverse("org:person_status", args=[staff_x.person.pk])
    admin_client.post(url, {"status": "transferred", "status_date": ""})
    staff_x.person.refresh_from_db()
    assert staff_x.person.status == "active"  # date missing: refused
    admin_client.post(url, {"status": "transferred", "status_date": "2026-11-20"})
    staff_x.refresh_from_db()
    assert staff_x.person.status == "transferred" and not staff_x.is_active


def test_person_list_filters_and_constant_queries(admin_client, agency_x, agency_y, section_x):
    url = reverse("org:person_list")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    PersonFactory.create_batch(3, agency=agency_x, section=section_x, name="财政甲")
    few = count_queries()
    PersonFactory.create_batch(40, agency=agency_y, name="教育乙")
    assert count_queries() == few
    html = admin_client.get(url, {"agency": agency_y.pk}).content.decode()
    assert "教育乙" in html and "财政甲" not in html
    html = admin_client.get(url, {"q": "财政"}).content.decode()
    assert "财政甲" in html and "教育乙" not in html


def test_person_list_htmx_returns_fragment(admin_client, agency_x):
    response = admin_client.get(reverse("org:person_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "<table" in html


def test_export_is_masked_and_audited(admin_client, person_y):
    response = admin_client.get(reverse("org:person_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "139****5678" in values and "1101**********002X" in values
    assert "13912345678" not in values
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_liaison_cannot_export_other_agency(client, liaison_x, person_y):
    client.force_login(liaison_x)
    response = client.get(reverse("org:person_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert person_y.name not in names and "联络员甲" in names


# ------------------------------------------------------------------ import


def test_import_template_is_valid_xlsx(admin_client, agency_x):
    response = admin_client.get(reverse("org:person_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.active[1]] == HEADERS
    notes = [c for row in workbook["填写说明"].iter_rows(values_only=True) for c in row]
    assert agency_x.name in notes and "正科" in notes


def _import(client, upload):
    return client.post(reverse("org:person_import"), {"file": upload})


def test_import_good_file(admin_client, agency_x, section_x):
    rows = [
        person_row(f"导入{i}", "财政局", f"1350000{i:04d}", 股室="综合股", 职级="副科")
        for i in range(20)
    ]
    response = _import(admin_client, xlsx_upload(rows))
    assert response.status_code == 302
    people = Person.objects.filter(name__startswith="导入")
    assert people.count() == 20
    assert {p.section_id for p in people} == {section_x.pk}
    assert {p.rank.name for p in people} == {"副科"}


def test_import_bad_rows_reports_each_and_writes_nothing(admin_client, agency_x):
    rows = [
        person_row("好人", "财政局", "13500000001"),
        person_row("坏单位", "不存在的局", "13500000002"),
        person_row("坏电话", "财政局", "123"),
        person_row("坏性别", "财政局", "13500000003", 性别="未知"),
        person_row("好人", "财政局", "13500000001"),
        person_row("长" * 60, "财政局", "13500000004"),
        person_row("坏职级", "财政局", "13500000005", 职级="大官"),
    ]
    before = Person.objects.count()
    response = _import(admin_client, xlsx_upload(rows))
    html = response.content.decode()
    assert response.status_code == 200 and Person.objects.count() == before
    for text in (
        "不存在的局",
        "手机号码格式不正确",
        "性别应为",
        "第 2 行重复",
        "超过 50 个字",
        "职级“大官”不存在",
        "6 行存在问题",
    ):
        assert text in html, text


@pytest.mark.parametrize(
    ("upload_kwargs", "message"),
    [
        ({"name": "people.csv"}, "只支持 .xlsx"),
        ({"headers": ["姓名", "电话"]}, "缺少必需的列"),
        ({"tweak": lambda s: s.merge_cells("A2:B2")}, "合并单元格"),
        ({"tweak": lambda s: s.__setitem__("A2", "=1+1")}, "公式"),
    ],
)
def test_import_malformed_files(admin_client, agency_x, upload_kwargs, message):
    upload = xlsx_upload([person_row("甲", "财政局", "13500000001")], **upload_kwargs)
    response = _import(admin_client, upload)
    assert message in response.content.decode()
    assert not Person.objects.filter(name="甲").exists()


def test_import_not_a_spreadsheet(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.xlsx", b"this is not a zip file")
    assert "不是有效的 .xlsx" in _import(admin_client, upload).content.decode()


def test_import_ten_thousand_rows_refused(admin_client, agency_x):
    rows = [person_row(f"人{i}", "财政局", "") for i in range(10_000)]
    response = _import(admin_client, xlsx_upload(rows))
    assert "数据行数过多" in response.content.decode()
    assert not Person.objects.filter(name__startswith="人").exists()


# ------------------------------------------------------------------ accounts


def test_account_create_then_forced_password_change(admin_client, client, agency_x):
    from django.test import Client

    person = PersonFactory(agency=agency_x, name="新同事")
    response = admin_client.post(
        reverse("org:account_create"),
        {"person": person.pk, "username": "xintongshi", "roles": ["liaison", "staff"]},
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="xintongshi")
    assert user.must_change_password

    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "xintongshi", "password": password})
    assert response.status_code == 302
    assert fresh.get(reverse("home")).url == reverse("password_change")
    response = fresh.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Brand-New-2026",
            "new_password2": "Brand-New-2026",
        },
    )
    assert response.status_code == 302
    assert fresh.get(reverse("home")).status_code == 200


def test_account_roles_edit_and_reset(admin_client, staff_x):
    url = reverse("org:account_detail", args=[staff_x.pk])
    admin_client.post(url, {"roles": ["auditor", "staff"]})
    assert set(staff_x.role_assignments.values_list("role", flat=True)) == {"auditor", "staff"}
    response = admin_client.post(reverse("org:account_reset_password", args=[staff_x.pk]))
    staff_x.refresh_from_db()
    assert staff_x.check_password(response.context["password"]) and staff_x.must_change_password
    assert not staff_x.check_password(PASSWORD)


def test_account_deactivate_blocks_login(admin_client, staff_x):
    from django.test import Client

    admin_client.post(reverse("org:account_toggle", args=[staff_x.pk]))
    staff_x.refresh_from_db()
    assert not staff_x.is_active
    client = Client()
    response = client.post(reverse("login"), {"username": "staff_x", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_unit_create_edit_toggle(admin_client, center_a, agency_x):
    admin_client.post(
        reverse("org:unit_create"),
        {"kind": "section", "parent": agency_x.pk, "name": "新股室", "organ_level": "county"},
    )
    section = OrgUnit.objects.get(name="新股室")
    assert section.kind == "section" and section.center_id == center_a.pk
    admin_client.post(
        reverse("org:unit_edit", args=[section.pk]), {"name": "改名股室", "organ_level": "county"}
    )
    section.refresh_from_db()
    assert section.name == "改名股室"
    admin_client.post(reverse("org:unit_toggle", args=[section.pk]))
    section.refresh_from_db()
    assert not section.is_active
    response = admin_client.post(
        reverse("org:unit_create"),
        {"kind": "agency", "name": agency_x.name, "organ_level": "county"},
    )
    assert "同名" in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_unit_list_constant_queries(admin_client, center_a, agency_x):
    from houqin.org.tests.factories import make_unit

    url = reverse("org:unit_list")
    few = _queries(admin_client, url)
    for i in range(30):
        make_unit(center_a, f"新增局{i}")
    assert _queries(admin_client, url) == few


def test_account_list_constant_queries(admin_client, agency_x):
    from houqin.org.tests.factories import make_user

    url = reverse("org:account_list")
    few = _queries(admin_client, url)
    for i in range(20):
        make_user(PersonFactory(agency=agency_x), username=f"acct{i}")
    assert _queries(admin_client, url) == few


def test_unit_list_counts_people_of_agencies_and_sections(admin_client, agency_x, section_x):
    PersonFactory.create_batch(2, agency=agency_x, section=section_x)
    PersonFactory(agency=agency_x, status="retired", status_date="2026-01-01")
    table = admin_client.get(reverse("org:unit_list")).context["table"]
    counts = {row.record.pk: row.record.people_count for row in table.page.object_list}
    # agency_x: 2 + admin_a's person (fixture); the retired one does not count.
    assert counts[section_x.pk] == 2 and counts[agency_x.pk] == 3
