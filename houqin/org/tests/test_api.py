"""org API: /api/v1/org-units/, /api/v1/people/, /api/v1/me/, the schema and Swagger UI.

Scoping (ARCHITECTURE rule 2): center B and another agency see nothing of center A's through
the API; missing and forbidden are the same 404. Personal data is always masked.
"""

import json
import re

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from houqin.core.roles import Role
from houqin.org.models import OrgUnit, Person
from houqin.org.tests.factories import PASSWORD, PersonFactory, make_unit, make_user

PEOPLE = "/api/v1/people/"
UNITS = "/api/v1/org-units/"
ME = "/api/v1/me/"

PHONE_Y = "13912345678"
ID_Y = "11010519491231002X"


def person_url(pk):
    return f"{PEOPLE}{pk}/"


def unit_url(pk):
    return f"{UNITS}{pk}/"


def session_client(user):
    """A client logged in through the real session login (axes needs a request)."""
    client = APIClient()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def token_client(user):
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


# --- authentication and permissions --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PEOPLE, UNITS, ME])
def test_anonymous_is_refused(url, person_y):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "results" not in response.json()


@pytest.mark.django_db
def test_anonymous_is_refused_on_detail(person_y, agency_y):
    client = APIClient()
    assert client.get(person_url(person_y.pk)).status_code == 401
    assert client.get(unit_url(agency_y.pk)).status_code == 401


@pytest.mark.django_db
def test_bad_token_is_refused(person_y):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(PEOPLE).status_code == 401


@pytest.mark.django_db
def test_staff_without_view_permissions_gets_403(staff_x, person_y, agency_x):
    client = session_client(staff_x)
    assert client.get(PEOPLE).status_code == 403
    assert client.get(UNITS).status_code == 403
    # Not even their own person record or agency through these endpoints.
    assert client.get(person_url(staff_x.person.pk)).status_code == 403
    assert client.get(unit_url(agency_x.pk)).status_code == 403
    # /me/ needs only a login.
    assert client.get(ME).status_code == 200


@pytest.mark.django_db
def test_token_authentication(admin_a, person_y, person_b):
    client = token_client(admin_a)
    listed = names(client.get(PEOPLE))
    assert person_y.name in listed
    assert person_b.name not in listed
    assert client.get(person_url(person_y.pk)).status_code == 200
    assert client.get(ME).json()["username"] == "admin_a"


@pytest.mark.django_db
def test_session_authentication(auditor_a, person_y, person_b):
    # The auditor (a read-only center role) sees the whole center too.
    client = session_client(auditor_a)
    listed = names(client.get(PEOPLE))
    assert person_y.name in listed
    assert person_b.name not in listed


# --- people: scoping -----------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_lists_people_of_own_center_only(admin_a, person_y, person_b, liaison_x):
    listed = names(session_client(admin_a).get(PEOPLE))
    assert {"管理员甲", "联络员甲", person_y.name} <= listed
    assert person_b.name not in listed
    assert "管理员乙" not in listed


@pytest.mark.django_db
def test_person_of_other_center_and_unknown_id_are_404(admin_a, person_b):
    client = session_client(admin_a)
    response = client.get(person_url(person_b.pk))
    assert response.status_code == 404
    assert person_b.name not in response.content.decode()
    missing = Person.objects.order_by("-pk").first().pk + 1000
    assert client.get(person_url(missing)).status_code == 404
    assert client.get(f"{PEOPLE}not-a-number/").status_code == 404


@pytest.mark.django_db
def test_center_b_sees_nothing_of_center_a(admin_b, person_y, admin_a, agency_x, section_x):
    client = session_client(admin_b)
    listed = names(client.get(PEOPLE))
    assert listed == {"管理员乙"}
    assert client.get(person_url(person_y.pk)).status_code == 404
    assert client.get(person_url(admin_a.person.pk)).status_code == 404

    units = names(client.get(UNITS))
    assert units == {"乙区财政局"}
    for unit in (agency_x, section_x, person_y.agency):
        assert client.get(unit_url(unit.pk)).status_code == 404


@pytest.mark.django_db
def test_liaison_sees_own_agency_people_only(liaison_x, admin_a, person_y, person_b, agency_x):
    sub_agency = make_unit(agency_x, "财政局下属中心")
    in_sub = PersonFactory(agency=sub_agency, name="下属中心职工")
    client = session_client(liaison_x)
    listed = names(client.get(PEOPLE))
    assert listed == {"联络员甲", "管理员甲", in_sub.name}
    assert client.get(person_url(person_y.pk)).status_code == 404
    assert client.get(person_url(person_b.pk)).status_code == 404
    assert client.get(person_url(in_sub.pk)).status_code == 200


@pytest.mark.django_db
def test_person_detail(admin_a, person_y, agency_y):
    data = session_client(admin_a).get(person_url(person_y.pk)).json()
    assert data["id"] == person_y.pk
    assert data["name"] == person_y.name
    assert data["agency"] == {"id": agency_y.pk, "name": agency_y.name}
    assert data["section"] is None
    assert data["rank"] == {"id": person_y.rank.pk, "name": person_y.rank.name}
    assert data["gender"] == "M"
    assert data["gender_display"] == "男"
    assert data["employment_type"] == "civil"
    assert data["employment_type_display"] == "在编"
    assert data["status"] == "active"
    assert data["status_display"] == "在职"
    assert data["status_date"] is None
    assert data["has_account"] is False


@pytest.mark.django_db
def test_has_account_and_section(admin_a, agency_x, section_x):
    data = session_client(admin_a).get(person_url(admin_a.person.pk)).json()
    assert data["has_account"] is True
    person = PersonFactory(agency=agency_x, section=section_x, rank=None)
    data = session_client(admin_a).get(person_url(person.pk)).json()
    assert data["section"] == {"id": section_x.pk, "name": "综合股"}
    assert data["rank"] is None


# --- people: personal data is masked --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("make_client", [session_client, token_client])
def test_phone_and_id_number_are_masked(make_client, admin_a, person_y):
    # Even the center admin (who may reveal them in the UI, with an audit event) gets masks.
    assert admin_a.has_perm("org.view_person_sensitive")
    client = make_client(admin_a)

    detail = client.get(person_url(person_y.pk))
    listed = client.get(PEOPLE, {"q": person_y.name})
    rows = [detail.json(), *listed.json()["results"]]
    assert len(rows) == 2
    for row in rows:
        assert row["phone"] == "139****5678"
        assert row["id_number"] == "1101**********002X"
        assert not {"id_number_digest", "note", "user", "center"} & set(row)
    for response in (detail, listed):
        body = response.content.decode()
        assert PHONE_Y not in body
        assert ID_Y not in body


@pytest.mark.django_db
def test_empty_phone_and_id_number(admin_a, agency_x):
    person = PersonFactory(agency=agency_x, phone="", id_number="")
    data = session_client(admin_a).get(person_url(person.pk)).json()
    assert data["phone"] == ""
    assert data["id_number"] == ""


# --- people: filters and paging ---------------------------------------------------------------


@pytest.mark.django_db
def test_agency_filter_includes_sub_units(admin_a, agency_x, person_y):
    sub_agency = make_unit(agency_x, "财政局下属中心")
    in_sub = PersonFactory(agency=sub_agency, name="下属中心职工")
    client = session_client(admin_a)
    in_x = names(client.get(PEOPLE, {"agency": agency_x.pk}))
    assert in_x == {"管理员甲", in_sub.name}
    assert names(client.get(PEOPLE, {"agency": sub_agency.pk})) == {in_sub.name}
    assert names(client.get(PEOPLE, {"agency": person_y.agency_id})) == {person_y.name}


@pytest.mark.django_db
def test_agency_filter_rejects_units_out_of_scope(admin_a, agency_b, liaison_x, agency_y):
    response = session_client(admin_a).get(PEOPLE, {"agency": agency_b.pk})
    assert response.status_code == 400
    assert "agency" in response.json()
    # A liaison cannot filter by another agency of the same center either.
    assert session_client(liaison_x).get(PEOPLE, {"agency": agency_y.pk}).status_code == 400


@pytest.mark.django_db
def test_section_rank_gender_and_employment_filters(admin_a, agency_x, section_x, person_y):
    in_section = PersonFactory(
        agency=agency_x,
        section=section_x,
        name="综合股职工",
        gender=Person.Gender.FEMALE,
        employment_type=Person.EmploymentType.CONTRACT,
        rank=None,
    )
    client = session_client(admin_a)
    assert names(client.get(PEOPLE, {"section": section_x.pk})) == {in_section.name}
    assert names(client.get(PEOPLE, {"gender": "F"})) == {in_section.name}
    assert names(client.get(PEOPLE, {"employment_type": "contract"})) == {in_section.name}
    by_rank = names(client.get(PEOPLE, {"rank": person_y.rank_id}))
    assert person_y.name in by_rank
    assert in_section.name not in by_rank


@pytest.mark.django_db
def test_search_and_status_filters(admin_a, agency_x, person_y):
    retired = PersonFactory(
        agency=agency_x,
        name="退休老同志",
        position="原科长",
        status=Person.Status.RETIRED,
        status_date="2024-06-30",
    )
    client = session_client(admin_a)
    assert names(client.get(PEOPLE, {"q": "教育"})) == {person_y.name}
    assert names(client.get(PEOPLE, {"q": "科长"})) == {retired.name}
    assert names(client.get(PEOPLE, {"status": "retired"})) == {retired.name}
    active = names(client.get(PEOPLE, {"status": "active"}))
    assert retired.name not in active
    assert person_y.name in active
    assert client.get(PEOPLE, {"status": "dead"}).status_code == 400
    data = client.get(person_url(retired.pk)).json()
    assert data["status_display"] == "退休"
    assert data["status_date"] == "2024-06-30"


@pytest.mark.django_db
def test_paging_fields(admin_a, agency_x):
    PersonFactory.create_batch(4, agency=agency_x)
    client = session_client(admin_a)
    first = client.get(PEOPLE, {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(PEOPLE, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    seen = {row["id"] for page in (1, 2, 3) for row in _page(client, page)}
    assert len(seen) == 5
    assert client.get(PEOPLE, {"page": 99}).status_code == 404


def _page(client, page):
    return client.get(PEOPLE, {"page_size": 2, "page": page}).json()["results"]


@pytest.mark.django_db
def test_page_size_is_capped_at_200(admin_a, center_a, agency_x):
    Person.objects.bulk_create(
        Person(center=center_a, agency=agency_x, name=f"批量{i:03d}", gender="M")
        for i in range(205)
    )
    data = session_client(admin_a).get(PEOPLE, {"page_size": 1000}).json()
    assert data["count"] == 206
    assert len(data["results"]) == 200
    assert data["next"] is not None


@pytest.mark.django_db
def test_people_list_query_count_is_constant(admin_a, agency_x, section_x):
    client = session_client(admin_a)
    client.get(PEOPLE)  # warm-up: one-off caches (content types, etc.)

    def add_people(count):
        for i in range(count):
            person = PersonFactory(
                agency=agency_x,
                section=section_x if i % 2 else None,
                id_number=f"11010519900101{i:04d}",
            )
            if i % 3 == 0:
                make_user(person)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(PEOPLE, {"page_size": 100})
        assert response.status_code == 200
        return len(response.json()["results"]), len(ctx.captured_queries)

    add_people(3)
    rows_few, queries_few = measure()
    add_people(27)
    rows_many, queries_many = measure()
    assert (rows_few, rows_many) == (4, 31)
    assert queries_few == queries_many
    assert queries_many <= 12


# --- org units ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_list_fields_and_parent_ids(admin_a, center_a, agency_x, agency_y, section_x):
    response = session_client(admin_a).get(UNITS)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3  # centers are not listed
    rows = {row["name"]: row for row in data["results"]}
    assert rows["甲区财政局"] == {
        "id": agency_x.pk,
        "kind": "agency",
        "kind_display": "部门/单位",
        "name": "甲区财政局",
        "short_name": "财政局",
        "code": "X",
        "organ_level": "county",
        "parent_id": center_a.pk,
        "depth": 2,
        "is_active": True,
        "establishment": None,
    }
    assert rows["综合股"]["parent_id"] == agency_x.pk
    assert rows["综合股"]["kind"] == "section"
    assert rows["综合股"]["depth"] == 3
    assert rows["甲区教育局"]["parent_id"] == center_a.pk
    # Tree order (materialised path).
    assert [row["name"] for row in data["results"]] == ["甲区财政局", "综合股", "甲区教育局"]


@pytest.mark.django_db
def test_unit_detail(admin_a, agency_x, section_x, agency_b):
    client = session_client(admin_a)
    data = client.get(unit_url(section_x.pk)).json()
    assert data["id"] == section_x.pk
    assert data["parent_id"] == agency_x.pk
    assert client.get(unit_url(agency_b.pk)).status_code == 404
    assert client.get(unit_url(agency_b.center_id)).status_code == 404  # centers not exposed
    assert client.get(unit_url(agency_b.pk + 1000)).status_code == 404


@pytest.mark.django_db
def test_unit_filters(admin_a, center_a, agency_x, agency_y, section_x):
    sub_agency = make_unit(agency_x, "财政局下属中心")
    sub_section = make_unit(sub_agency, "下属中心办公室", kind=OrgUnit.Kind.SECTION)
    client = session_client(admin_a)
    assert names(client.get(UNITS, {"kind": "section"})) == {"综合股", sub_section.name}
    assert names(client.get(UNITS, {"parent": agency_x.pk})) == {"综合股", sub_agency.name}
    assert names(client.get(UNITS, {"parent": center_a.pk})) == {"甲区财政局", "甲区教育局"}
    assert names(client.get(UNITS, {"under": agency_x.pk})) == {
        "综合股",
        sub_agency.name,
        sub_section.name,
    }
    assert names(client.get(UNITS, {"q": "教育"})) == {"甲区教育局"}
    assert client.get(UNITS, {"kind": "center"}).status_code == 400

    agency_y.is_active = False
    agency_y.save(update_fields=["is_active"])
    assert names(client.get(UNITS, {"is_active": "false"})) == {"甲区教育局"}
    assert "甲区教育局" not in names(client.get(UNITS, {"is_active": "true"}))


@pytest.mark.django_db
def test_unit_filters_reject_other_center(admin_a, agency_b, center_b, agency_x):
    client = session_client(admin_a)
    for params in ({"parent": agency_b.pk}, {"under": center_b.pk}, {"under": "abc"}):
        assert client.get(UNITS, params).status_code == 400


@pytest.mark.django_db
def test_liaison_sees_own_agency_units_only(liaison_x, agency_x, agency_y, section_x):
    client = session_client(liaison_x)
    assert names(client.get(UNITS)) == {"甲区财政局", "综合股"}
    assert client.get(unit_url(agency_y.pk)).status_code == 404
    assert client.get(unit_url(section_x.pk)).status_code == 200


@pytest.mark.django_db
def test_unit_list_query_count_is_constant(admin_a, center_a, agency_x):
    client = session_client(admin_a)
    client.get(UNITS)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(UNITS, {"page_size": 100})
        assert response.status_code == 200
        return len(response.json()["results"]), len(ctx.captured_queries)

    for i in range(3):
        make_unit(agency_x, f"股室{i}", kind=OrgUnit.Kind.SECTION)
    rows_few, queries_few = measure()
    for i in range(27):
        make_unit(center_a, f"单位{i}")
    rows_many, queries_many = measure()
    assert (rows_few, rows_many) == (4, 31)
    assert queries_few == queries_many


# --- me ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_me(admin_a, center_a, staff_x):
    data = session_client(admin_a).get(ME).json()
    assert data == {
        "username": "admin_a",
        "display_name": "管理员甲",
        "center": {"id": center_a.pk, "name": center_a.name},
        "roles": sorted([Role.CENTER_ADMIN, Role.STAFF]),
    }
    assert token_client(staff_x).get(ME).json()["roles"] == [Role.STAFF]


# --- read-only: writes change nothing -------------------------------------------------------------


@pytest.mark.django_db
def test_write_methods_are_not_allowed(admin_a, person_y, agency_y):
    client = session_client(admin_a)
    people_before = Person.objects.count()
    units_before = OrgUnit.objects.count()
    payload = {"name": "篡改", "gender": "F"}
    attempts = [
        client.post(PEOPLE, payload, format="json"),
        client.put(person_url(person_y.pk), payload, format="json"),
        client.patch(person_url(person_y.pk), payload, format="json"),
        client.delete(person_url(person_y.pk)),
        client.post(UNITS, payload, format="json"),
        client.put(unit_url(agency_y.pk), payload, format="json"),
        client.patch(unit_url(agency_y.pk), payload, format="json"),
        client.delete(unit_url(agency_y.pk)),
        client.post(ME, payload, format="json"),
    ]
    assert [r.status_code for r in attempts] == [405] * len(attempts)
    assert Person.objects.count() == people_before
    assert OrgUnit.objects.count() == units_before
    person_y.refresh_from_db()
    agency_y.refresh_from_db()
    assert person_y.name == "教育局职工"
    assert person_y.gender == "M"
    assert agency_y.name == "甲区教育局"


@pytest.mark.django_db
def test_writes_without_permission_are_403(staff_x, person_y):
    client = token_client(staff_x)
    assert client.delete(person_url(person_y.pk)).status_code == 403
    assert client.post(PEOPLE, {"name": "x"}, format="json").status_code == 403
    assert Person.objects.filter(pk=person_y.pk).exists()


# --- schema and Swagger UI ----------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_and_docs_need_login():
    client = APIClient()
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code in (401, 403)


@pytest.mark.django_db
def test_schema(admin_a):
    client = session_client(admin_a)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (PEOPLE, "/api/v1/people/{id}/", UNITS, "/api/v1/org-units/{id}/", ME):
        assert path in schema["paths"]
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert "id_number_digest" not in person
    yaml = client.get("/api/schema/")
    assert yaml.status_code == 200
    assert yaml.content.startswith(b"openapi: 3.")


@pytest.mark.django_db
def test_swagger_ui_uses_local_assets_only(admin_a):
    client = session_client(admin_a)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for marker in ("cdn", "jsdelivr", "unpkg", "cdnjs", "googleapis"):
        assert marker not in page.lower()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    assert refs, page
    for ref in refs:
        assert not re.match(r"^(?:[a-z]+:)?//", ref, re.IGNORECASE), ref
    # Every referenced asset (Swagger UI bundle, CSS, favicon, init script) is served here.
    for ref in refs:
        asset = client.get(ref.replace("&amp;", "&"))
        assert asset.status_code == 200, ref
