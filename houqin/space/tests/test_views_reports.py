"""统计报送: the reports page, the statistics workbook (opened with openpyxl, numbers checked on
a small estate) and the annual publication list (HTML and xlsx); who may see what."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space.models import OwnershipRecord
from houqin.space.services.allocation import allocation_vacate

from .test_reporting import count_queries, grow, lease, make_estate, office, seat

pytestmark = pytest.mark.django_db
REPORTS = reverse("space:reports")
STATISTICS = reverse("space:report_statistics")
PUBLICATION = reverse("space:report_publication")
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def estate(center_a, agency_y, building_a, make_room, make_person):
    return make_estate(center_a, agency_y, building_a, make_room, make_person)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def sheet_rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def by_first_cell(rows):
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


# ------------------------------------------------------------------ reports page


@pytest.mark.parametrize("who", ["manager_a", "leader_a", "admin_a"])
def test_reports_page(client, request, who):
    page = get(client, request.getfixturevalue(who), REPORTS, year="2025").content.decode()
    assert f"{STATISTICS}?year=2025" in page and f"{PUBLICATION}?year=2025" in page
    assert "2025年12月31日" in page


def test_reports_page_for_a_liaison_has_no_statistics(client, liaison_x):
    page = get(client, liaison_x, REPORTS).content.decode()
    assert STATISTICS not in page and PUBLICATION in page


def test_staff_get_403(client, staff_x):
    for url in (REPORTS, STATISTICS, PUBLICATION):
        assert get(client, staff_x, url).status_code == 403


def test_bad_year(client, manager_a):
    response = get(client, manager_a, REPORTS, year="1900")
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 200 and response.context["year"] == THIS_YEAR
    assert any("请选择 2000 年至" in n for n in notes)
    response = get(client, manager_a, STATISTICS, year="abc")
    assert response.status_code == 302 and response.url == REPORTS
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


# ------------------------------------------------------------------ statistics workbook


def test_statistics_workbook(client, manager_a, center_a, estate):
    OwnershipRecord.objects.create(
        center=center_a,
        building=estate.building,
        status=OwnershipRecord.Status.FILED,
        filing_no="备 2021-7",
        filing_date=dt.date(2021, 7, 1),
    )
    lease(center_a, estate.agency, area=Decimal("250.00"), annual_rent=Decimal("90000.00"))
    lease(
        center_a,
        estate.other,
        lessor="旧房东<b>",
        status="vacated",
        vacated_on=timezone.localdate().replace(month=1, day=2),
        annual_saving=Decimal("60000.00"),
    )
    book = workbook(get(client, manager_a, STATISTICS, year=str(THIS_YEAR)))
    assert book.sheetnames == ["按单位", "按楼栋", "租用", "超标"]

    rows = sheet_rows(book["按单位"])
    assert rows[0][:6] == ["单位", "县级正职", "县级副职", "正科", "副科", "科级以下"]
    agencies = by_first_cell(rows)
    audit = agencies["甲区审计局"]
    assert (audit["县级正职"], audit["副科"], audit["科级以下"], audit["在职人数"]) == (1, 1, 1, 3)
    assert audit["核定面积"] == 51 and audit["办公室用房面积"] == 52
    assert audit["服务用房面积"] == 40 and audit["设备用房面积"] == 12
    assert audit["使用面积合计"] == 104 and audit["超标面积"] == 1 and audit["超标人数"] == 2
    assert audit["租用面积"] == 250
    assert agencies["甲区教育局"]["正科"] == 1 and agencies["甲区教育局"]["超标面积"] == 0
    assert agencies["合计"]["办公室用房面积"] == 52 + 18  # + agency_x's fixture staff, no rooms

    building = by_first_cell(sheet_rows(book["按楼栋"]))["行政中心大楼"]
    assert building["建筑面积"] == 12000 and building["办公室用房面积"] == 85
    assert building["使用面积合计"] == 137 and building["房间数"] == 6
    assert (building["使用中房间"], building["使用中面积"]) == (5, 122)
    assert (building["闲置房间"], building["闲置面积"]) == (1, 15)
    assert building["权属登记状态"] == "已备案"
    assert building["不动产权证号/备案编号"] == "备 2021-7"

    leases = by_first_cell(sheet_rows(book["租用"]))
    assert leases["某物业公司"]["统计日状态"] == "租用中"
    assert leases["某物业公司"]["使用单位"] == "甲区审计局"
    assert leases["旧房东<b>"]["统计日状态"] == "年内腾退"
    assert leases["旧房东<b>"]["每年节约租金（元）"] == 60000
    assert leases["合计"]["租用面积"] == 250 and leases["合计"]["每年节约租金（元）"] == 60000

    over = sheet_rows(book["超标"])[1:]
    assert [(r[0], r[1], r[6]) for r in over] == [
        ("人员", "李科员", 1.5),
        ("人员", "张局长", 1),
        ("单位", "甲区审计局", 1),
    ]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "space.SpaceRoom"
    assert event.detail["report"] == "statistics" and event.detail["year"] == THIS_YEAR


def test_statistics_of_a_past_year_use_31_december(client, manager_a, estate, make_room):
    last = THIS_YEAR - 1
    later = office(make_room, estate.other, "20.00", start=dt.date(THIS_YEAR, 1, 1))
    allocation_vacate(actor=None, room=estate.r301, end_date=dt.date(THIS_YEAR, 1, 1))
    seat(later, estate.teacher, day=dt.date(THIS_YEAR, 1, 1))
    book = workbook(get(client, manager_a, STATISTICS, year=str(last)))
    audit = by_first_cell(sheet_rows(book["按单位"]))["甲区审计局"]
    assert audit["办公室用房面积"] == 52  # 301 was still held on 31 December
    building = by_first_cell(sheet_rows(book["按楼栋"]))["行政中心大楼"]
    assert building["使用中房间"] == 5  # the new office only counts from this year
    now = workbook(get(client, manager_a, STATISTICS, year=str(THIS_YEAR)))
    assert by_first_cell(sheet_rows(now["按单位"]))["甲区审计局"]["办公室用房面积"] == 21


def test_statistics_for_center_viewers_only(client, liaison_x, manager_b, estate):
    assert get(client, liaison_x, STATISTICS).status_code == 403
    book = workbook(get(client, manager_b, STATISTICS))
    text = str([sheet_rows(sheet) for sheet in book.worksheets])
    for name in ("审计局", "张局长", "行政中心大楼", "教育局"):
        assert name not in text


def test_statistics_query_count_is_constant(client, manager_a, agency_x, building_a):
    client.force_login(manager_a)
    grow(manager_a.center, agency_x, building_a, 3, "S")
    small = count_queries(lambda: client.get(STATISTICS))
    grow(manager_a.center, agency_x, building_a, 30, "L")
    assert count_queries(lambda: client.get(STATISTICS)) == small


# ------------------------------------------------------------------ publication


def person_row(page, person):
    match = re.search(rf'<tr data-person="{person.pk}">.*?</tr>', page, re.S)
    return match.group(0) if match else None


def test_publication_page(client, leader_a, estate):
    page = get(client, leader_a, PUBLICATION).content.decode()
    assert f"{THIS_YEAR} 年度办公用房使用情况内部公示" in page
    head = person_row(page, estate.head)
    assert "张局长" in head and "县级正职" in head and "超标 1.00 ㎡" in head
    assert 'rowspan="1"' in head and "31.00" in head
    deputy = person_row(page, estate.deputy)
    assert 'rowspan="2"' in deputy and "10.50" in deputy and "符合" in deputy
    assert "超标 1.50 ㎡" in person_row(page, estate.clerk)
    assert "符合" in person_row(page, estate.teacher)
    assert "行政中心大楼 303" not in page  # the meeting room is not an office
    assert "d-print-none" in page and "data-hq-print" in page


def test_publication_escapes_names(client, manager_a, estate):
    estate.head.name = "<i>张</i>"
    estate.head.save()
    page = get(client, manager_a, PUBLICATION).content.decode()
    assert "&lt;i&gt;张&lt;/i&gt;" in page and "<i>张</i>" not in page


def test_publication_xlsx(client, manager_a, estate):
    book = workbook(get(client, manager_a, PUBLICATION, year=str(THIS_YEAR), export="xlsx"))
    [sheet] = book.worksheets
    assert sheet.title == f"{THIS_YEAR}年度内部公示"
    rows = sheet_rows(sheet)
    assert rows[0][:6] == ["单位", "楼栋", "房间号", "使用面积", "使用人数", "使用人"]
    lines = {r[5]: r for r in rows[1:]}
    assert lines["李科员"][2:] == ["302", 21, 2, "李科员", "科级以下", 10.5, 9, "超标 1.50㎡"]
    assert lines["赵科长"][-1] == "符合"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["report"] == "publication" and event.detail["rows"] == 4


def test_publication_for_a_liaison_is_their_agency(client, estate):
    liaison = make_user(
        PersonFactory(agency=estate.other, name="教育局联络员"), Role.LIAISON, username="l_y"
    )
    page = get(client, liaison, PUBLICATION).content.decode()
    assert "赵科长" in page and "张局长" not in page and "审计局" not in page
    book = workbook(get(client, liaison, PUBLICATION, export="xlsx"))
    assert [r[5] for r in sheet_rows(book.worksheets[0])[1:]] == ["赵科长"]


def test_publication_of_another_center(client, manager_b, agency_b, estate, make_person):
    make_person(agency_b, "county-head", name="乙区局长")
    page = get(client, manager_b, PUBLICATION).content.decode()
    for name in ("张局长", "审计局", "赵科长"):
        assert name not in page


def test_publication_query_count_is_constant(client, manager_a, agency_x, building_a):
    client.force_login(manager_a)
    grow(manager_a.center, agency_x, building_a, 3, "S")
    small = count_queries(lambda: client.get(PUBLICATION))
    grow(manager_a.center, agency_x, building_a, 30, "L")
    assert count_queries(lambda: client.get(PUBLICATION)) == small
