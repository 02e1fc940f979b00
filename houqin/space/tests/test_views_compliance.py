"""The compliance pages: the space home page (center-wide, or one agency for a liaison) and
one agency's page; the day picker; permissions (staff 403, another center sees nothing of A,
a liaison only their agency); escaping; constant query counts."""

import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.roles import Role
from houqin.org.models import Person
from houqin.org.services import person_set_status
from houqin.org.tests.factories import PersonFactory, make_unit, make_user

from .test_reporting import count_queries, grow, make_estate

pytestmark = pytest.mark.django_db
HOME = reverse("space:compliance")


@pytest.fixture
def estate(center_a, agency_y, building_a, make_room, make_person):
    return make_estate(center_a, agency_y, building_a, make_room, make_person)


def agency_url(pk):
    return reverse("space:compliance_agency", args=[pk])


def row(page, attr, pk):
    """The <tr> of the page with data-<attr>="<pk>" (up to its end)."""
    match = re.search(rf'<tr data-{attr}="{pk}".*?</tr>', page, re.S)
    return match.group(0) if match else None


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize("who", ["manager_a", "leader_a", "admin_a"])
def test_center_wide_viewers(client, request, who, estate):
    response = get(client, request.getfixturevalue(who), HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "审计局" in page and "甲区教育局" in page
    assert row(page, "room", estate.idle.pk) is not None
    assert 'id="unreturned"' in page


def test_county_head_in_31_is_one_over(client, manager_a, estate):
    page = get(client, manager_a, HOME).content.decode()
    head = row(page, "person", estate.head.pk)
    assert "张局长" in head and "县级正职" in head and "31.00" in head
    assert re.search(r"data-excess>1\.00<", head)
    assert re.search(r"data-people-over>2<", page)  # the head and the clerk
    assert re.search(r"data-agencies-over>1<", page)
    assert "超出 2.50 ㎡" in page  # 1.00 + 1.50
    agency = row(page, "agency", estate.agency.pk)
    assert re.search(r"data-excess>1\.00<", agency)
    assert row(page, "person", estate.teacher.pk) is None  # compliant: not listed


def test_past_day_answers_from_history(client, manager_a, estate):
    page = get(client, manager_a, HOME, date="2024-12-31").content.decode()
    assert row(page, "person", estate.head.pk) is None  # no office before 2025
    assert re.search(r"data-people-over>0<", page)
    assert "2024年12月31日" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("2026-02-30", "日期格式不正确"), ("2999-01-01", "不能查看将来的日期")],
)
def test_bad_day_falls_back_to_today(client, manager_a, estate, value, message):
    response = get(client, manager_a, HOME, date=value)
    assert response.status_code == 200
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(message in note and "已显示今天的情况" in note for note in notes)
    assert response.context["day"] == timezone.localdate()


def test_unreturned_and_unranked_sections(client, manager_a, admin_a, estate):
    person_set_status(
        actor=admin_a,
        person=estate.clerk,
        status=Person.Status.TRANSFERRED,
        date=timezone.localdate() - dt.timedelta(days=40),
    )
    nobody = PersonFactory(agency=estate.agency, name="待定职级", rank=None)
    page = get(client, manager_a, HOME).content.decode()
    section = page[page.index('id="unreturned"') :]
    line = row(section, "occupancy", estate.clerk.occupancies.get().pk)
    assert "李科员" in line and "调离" in line and "逾期" in line and "审计局" in line
    assert re.search(r"data-overdue>1<", page)
    assert "待定职级" in row(page, "unranked", nobody.pk)


def test_user_text_is_escaped(client, manager_a, estate):
    estate.head.name = "<script>x</script>"
    estate.head.save()
    page = get(client, manager_a, HOME).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_export(client, manager_a, estate):
    response = get(client, manager_a, HOME, export="xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按单位", "超标", "闲置房间", "待收回办公室", "未定职级"]
    people = [r[1] for r in book["超标"].iter_rows(min_row=2, values_only=True)]
    assert people == ["李科员", "张局长", "甲区审计局"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "space.SpaceRoom" and event.detail["report"] == "compliance"


# ------------------------------------------------------------------ scoping


def test_staff_get_403(client, staff_x, estate):
    assert get(client, staff_x, HOME).status_code == 403
    assert get(client, staff_x, agency_url(estate.agency.pk)).status_code == 403


def test_liaison_sees_own_agency_only(client, estate):
    liaison = make_user(
        PersonFactory(agency=estate.agency, name="审计局联络员"), Role.LIAISON, username="l_s"
    )
    page = get(client, liaison, HOME).content.decode()
    assert "张局长" in page and "赵科长" not in page and "甲区教育局" not in page
    assert 'id="idle"' not in page and row(page, "room", estate.idle.pk) is None
    assert get(client, liaison, agency_url(estate.agency.pk)).status_code == 200
    assert get(client, liaison, agency_url(estate.other.pk)).status_code == 404
    assert get(client, liaison, agency_url(estate.agency.center_id)).status_code == 404


def test_other_center_sees_nothing_of_a(client, manager_b, agency_b, estate, make_person):
    make_person(agency_b, "county-head", name="乙区局长")
    page = get(client, manager_b, HOME).content.decode()
    assert "乙区财政局" in page
    for name in ("张局长", "李科员", "审计局", "甲区教育局"):
        assert name not in page
    assert get(client, manager_b, agency_url(estate.agency.pk)).status_code == 404
    assert get(client, manager_b, agency_url(estate.agency.center_id)).status_code == 404


# ------------------------------------------------------------------ one agency


def test_agency_page(client, manager_a, estate):
    page = get(client, manager_a, agency_url(estate.agency.pk)).content.decode()
    assert re.search(r"data-entitlement>51\.00<", page)
    assert re.search(r"data-office-area>52\.00<", page)
    shared = row(page, "room", estate.r302.pk)
    assert "王副科（10.50 ㎡）、李科员（10.50 ㎡）" in shared
    assert "会议室" in row(page, "room", estate.r303.pk)
    clerk = row(page, "person", estate.clerk.pk)
    assert "科级以下" in clerk and re.search(r"data-excess>1\.50<", clerk)


def test_agency_page_for_the_center_and_missing_units(client, manager_a, center_a, estate):
    assert get(client, manager_a, agency_url(center_a.pk)).status_code == 200
    assert get(client, manager_a, agency_url(999999)).status_code == 404
    section = make_unit(estate.agency, "综合股", kind="section")
    assert get(client, manager_a, agency_url(section.pk)).status_code == 404


# ------------------------------------------------------------------ query counts


def test_pages_run_a_constant_number_of_queries(client, manager_a, agency_x, building_a):
    client.force_login(manager_a)
    urls = [HOME, agency_url(agency_x.pk)]
    grow(manager_a.center, agency_x, building_a, 3, "S")
    small = [count_queries(lambda u=u: client.get(u)) for u in urls]
    grow(manager_a.center, agency_x, building_a, 30, "L")
    large = [count_queries(lambda u=u: client.get(u)) for u in urls]
    assert small == large
    page = client.get(HOME).content.decode()
    assert page.count("data-unranked=") >= 12 and page.count("data-occupancy=") == 33
