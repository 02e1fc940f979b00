"""Garbage-sorting pages: sites (a demonstration site needs its recognition date), the year's
figures and the GB/T 19095-2019 legend, inspections (correct > checked → 422 and nothing
written; the rate shown; the photo validated and served only through the access-checked
view), collected weights, the inspections list with filters and xlsx export, scoping
(center B → 404), permissions (staff 403; center admin reads only), constant queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import GarbageCollection, SortingInspection, SortingSite
from houqin.energy.services.sorting import collection_record, inspection_record

from .fixtures_outreach import (  # noqa: F401  (fixtures)
    TODAY,
    clock,
    count_queries,
    make_site,
    media,
    not_an_image,
    png,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "media")]


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


SITE = {
    "name": "实验小学",
    "kind": "school",
    "institution": "",
    "address": "学府路 1 号",
    "bins": "6",
    "started_on": "2025-09-01",
    "is_demonstration": "on",
    "demonstration_level": "市级",
    "recognized_on": "2026-03-20",
    "is_active": "on",
}


def inspect(site, date, checked, correct, actor, **kw):
    return inspection_record(
        actor=actor, site=site, date=date, bins_checked=checked, bins_correct=correct, **kw
    )


@pytest.fixture
def manager(client, energy_a):
    client.force_login(energy_a)
    return energy_a


# ------------------------------------------------------------------ sites


def test_manager_creates_a_demonstration_site(client, manager, center_a):
    assert client.get(url("site_create")).status_code == 200
    response = client.post(url("site_create"), {**SITE, "recognized_on": ""})
    assert response.status_code == 422
    assert "示范点请填写认定日期。" in response.content.decode()
    assert not SortingSite.objects.exists()

    response = client.post(url("site_create"), SITE)
    site = SortingSite.objects.get()
    assert response.status_code == 302 and response.url == url("site_detail", site.pk)
    assert site.center == center_a and site.is_demonstration and site.bins == 6
    assert site.recognized_on == dt.date(2026, 3, 20) and site.demonstration_level == "市级"
    page = client.get(response.url).content.decode()
    assert "示范点 · 市级" in page and "2026-03-20" in page and "6 组" in page
    assert "暂无检查" in page


def test_site_edit_and_errors(client, manager, center_a):
    site = make_site(center_a, "区行政中心")
    make_site(center_a, "实验小学", SortingSite.Kind.SCHOOL)
    page = client.get(url("site_edit", site.pk)).content.decode()
    assert 'value="区行政中心"' in page
    response = client.post(url("site_edit", site.pk), {**SITE, "name": "实验小学"})
    assert response.status_code == 422 and "已有同名点位。" in response.content.decode()
    response = client.post(url("site_edit", site.pk), {**SITE, "name": "", "kind": ""})
    page = response.content.decode()
    assert response.status_code == 422 and "请填写点位名称。" in page and "请选择单位类型。" in page
    response = client.post(
        url("site_edit", site.pk),
        {**SITE, "name": "区行政中心", "kind": "organ", "is_demonstration": "", "bins": "3"},
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.bins == 3 and not site.is_demonstration
    assert site.recognized_on is None and site.demonstration_level == ""


def test_site_list_figures_rates_and_legend(client, manager, center_a):
    school = make_site(
        center_a,
        "实验小学",
        SortingSite.Kind.SCHOOL,
        is_demonstration=True,
        demonstration_level="市级",
        recognized_on=dt.date(2026, 3, 20),
    )
    office = make_site(center_a, "区行政中心", bins=4)
    make_site(center_a, "旧点位", is_active=False)
    # Last year: not in this year's figures, nor in the 30 days.
    inspect(school, dt.date(2025, 12, 20), 10, 2, manager)
    # Earlier this year, before the 30 days: in the year's figures only.
    inspect(school, dt.date(2026, 5, 10), 10, 6, manager)
    inspect(school, dt.date(2026, 8, 1), 10, 9, manager)
    inspect(school, dt.date(2026, 8, 14), 20, 18, manager)  # last one: 90.0 %
    # The 30 days are 17 Jul … 15 Aug: 16 Jul is out, 17 Jul in.
    inspect(office, dt.date(2026, 7, 16), 2, 0, manager)
    inspect(office, dt.date(2026, 7, 17), 4, 3, manager)  # 75.0 %
    collection_record(
        actor=None,
        site=school,
        date=dt.date(2026, 8, 10),
        weights={"recyclable_kg": "12.50", "kitchen_kg": "30"},
    )
    collection_record(
        actor=None, site=office, date=dt.date(2026, 8, 11), weights={"hazardous_kg": "0.75"}
    )

    response = client.get(url("site_list"))
    page = response.content.decode()
    assert 'data-figure="sites">2<' in page  # the inactive site is not counted
    assert 'data-figure="demonstration">1<' in page
    assert 'data-figure="inspections">5<' in page
    # Pooled: (6 + 9 + 18 + 0 + 3) / (10 + 10 + 20 + 2 + 4) = 36 / 46 = 78.3 %
    assert 'data-figure="rate">78.3%<' in page
    assert 'data-weight="recyclable">12.50 kg<' in page
    assert 'data-weight="hazardous">0.75 kg<' in page
    assert 'data-weight="kitchen">30.00 kg<' in page
    assert 'data-weight="other">0.00 kg<' in page
    assert 'data-figure="weights-total">合计 43.25 kg<' in page
    assert "（28.9%）" in page  # recyclable: 12.5 of 43.25 kg
    # The sites: last inspection date and rate, 30-day pooled rate (27 / 30 = 90.0 %).
    row = page[page.index(">实验小学<") :]
    row = row[: row.index("</tr>")]
    assert "示范点" in row and "市级" in row and "2026-08-14" in row
    assert row.count("90.0%") == 2
    row = page[page.index(">区行政中心<") :]
    row = row[: row.index("</tr>")]
    assert "2026-07-17" in row and row.count("75.0%") == 2
    assert "停用" in page
    # The GB/T 19095-2019 legend with the colours (classes in sorting.css) and sub-categories.
    assert "energy/sorting.css" in page
    for label, colour, key in [
        ("可回收物", "蓝色", "recyclable"),
        ("有害垃圾", "红色", "hazardous"),
        ("厨余垃圾", "绿色", "kitchen"),
        ("其他垃圾", "灰色", "other"),
    ]:
        assert label in page and colour in page and f"hq-garbage-{key}" in page
    assert "纸类、塑料、金属、玻璃、织物" in page and "灯管、家用化学品、电池" in page
    assert 'style="' not in page and "<style" not in page


def test_site_list_filters_and_export(client, manager, center_a):
    make_site(center_a, "实验小学", SortingSite.Kind.SCHOOL)
    make_site(
        center_a,
        "第一中学",
        SortingSite.Kind.SCHOOL,
        is_demonstration=True,
        recognized_on=dt.date(2026, 1, 5),
    )
    make_site(center_a, "区人民医院", SortingSite.Kind.HOSPITAL)
    page = client.get(url("site_list"), {"kind": "school"}).content.decode()
    assert ">实验小学<" in page and ">第一中学<" in page and ">区人民医院<" not in page
    page = client.get(url("site_list"), {"is_demonstration": "true"}).content.decode()
    assert ">第一中学<" in page and ">实验小学<" not in page
    page = client.get(url("site_list"), {"is_demonstration": "false"}).content.decode()
    assert ">第一中学<" not in page and ">实验小学<" in page
    response = client.get(url("site_list"), {"kind": "hospital"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and ">区人民医院<" in page and ">实验小学<" not in page
    response = client.get(url("site_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4


# ------------------------------------------------------------------ inspections


def test_inspection_with_more_correct_than_checked_is_refused(client, manager, center_a):
    site = make_site(center_a)
    data = {"date": "2026-08-14", "bins_checked": "4", "bins_correct": "5", "problems": ""}
    response = client.post(url("inspection_create", site.pk), data)
    assert response.status_code == 422
    assert "分类正确桶数不能多于检查桶数。" in response.content.decode()
    response = client.post(url("inspection_create", site.pk), {**data, "date": "2026-08-16"})
    assert response.status_code == 422 and "检查日期不能晚于今天。" in response.content.decode()
    response = client.post(url("inspection_create", site.pk), {**data, "bins_checked": "0"})
    assert response.status_code == 422 and "检查桶数必须大于 0。" in response.content.decode()
    assert not SortingInspection.objects.exists()


def test_inspection_with_photo_rate_shown_and_photo_served(client, manager, center_a, energy_b):
    site = make_site(center_a)
    assert client.get(url("inspection_create", site.pk)).status_code == 200
    response = client.post(
        url("inspection_create", site.pk),
        {
            "date": "2026-08-14",
            "bins_checked": "5",
            "bins_correct": "4",
            "problems": "厨余垃圾桶混入塑料袋",
            "photo": png(),
        },
    )
    assert response.status_code == 302 and response.url == url("site_detail", site.pk)
    inspection = SortingInspection.objects.get()
    assert inspection.inspector == manager and inspection.photo
    assert inspection.photo.name.startswith("energy/sorting/")
    page = client.get(response.url).content.decode()
    assert "分类正确率 80.0%" in page  # the success message
    assert 'data-figure="last-rate">80.0%<' in page
    assert "厨余垃圾桶混入塑料袋" in page and "节能股长" in page
    photo_url = url("inspection_photo", inspection.pk)
    assert f'src="{photo_url}"' in page
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    client.force_login(energy_b)
    assert client.get(photo_url).status_code == 404


def test_inspection_photo_must_be_an_image(client, manager, center_a):
    site = make_site(center_a)
    response = client.post(
        url("inspection_create", site.pk),
        {"date": "2026-08-14", "bins_checked": "5", "bins_correct": "4", "photo": not_an_image()},
    )
    assert response.status_code == 422
    assert "不是有效的图片文件" in response.content.decode()
    assert not SortingInspection.objects.exists()


def test_inspection_without_photo(client, manager, center_a):
    site = make_site(center_a)
    response = client.post(
        url("inspection_create", site.pk),
        {"date": "2026-08-14", "bins_checked": "3", "bins_correct": "3"},
    )
    assert response.status_code == 302
    inspection = SortingInspection.objects.get()
    assert not inspection.photo
    assert client.get(url("inspection_photo", inspection.pk)).status_code == 404


def test_inspection_list_filters_and_export(client, manager, center_a, center_b, energy_b):
    school = make_site(center_a, "实验小学", SortingSite.Kind.SCHOOL)
    office = make_site(center_a, "区行政中心")
    other = make_site(center_b, "乙区点位")
    inspect(school, dt.date(2026, 7, 1), 10, 7, manager, problems="七月检查")
    inspect(school, dt.date(2026, 8, 1), 10, 8, manager, problems="八月检查")
    inspect(office, dt.date(2026, 8, 2), 4, 4, manager, problems="机关检查")
    inspect(other, dt.date(2026, 8, 2), 4, 4, energy_b, problems="乙区检查")

    page = client.get(url("inspection_list")).content.decode()
    assert "七月检查" in page and "机关检查" in page and "乙区检查" not in page
    page = client.get(url("inspection_list"), {"site": school.pk}).content.decode()
    assert "七月检查" in page and "八月检查" in page and "机关检查" not in page
    assert "80.0%" in page and "70.0%" in page
    page = client.get(url("inspection_list"), {"site": other.pk}).content.decode()
    assert "乙区检查" not in page  # another center's site is not a valid choice
    query = {"site": school.pk, "date_from": "2026-07-15", "date_to": "2026-08-31"}
    page = client.get(url("inspection_list"), query).content.decode()
    assert "八月检查" in page and "七月检查" not in page

    response = client.get(url("inspection_list"), {**query, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("检查日期", "点位", "检查人", "检查桶数", "分类正确桶数", "正确率（%）")
    assert len(rows) == 2 and rows[1][1] == "实验小学" and rows[1][5] == 80.0
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["rows"] == 1


# ------------------------------------------------------------------ collections


def test_collection_weights(client, manager, center_a):
    site = make_site(center_a)
    assert client.get(url("collection_create", site.pk)).status_code == 200
    response = client.post(url("collection_create", site.pk), {"date": "2026-08-14"})
    assert response.status_code == 422
    assert "请至少填写一类垃圾的重量。" in response.content.decode()
    response = client.post(
        url("collection_create", site.pk), {"date": "2026-08-14", "other_kg": "-1"}
    )
    assert response.status_code == 422
    assert not GarbageCollection.objects.exists()

    data = {"date": "2026-08-14", "recyclable_kg": "12.5", "kitchen_kg": "30.25"}
    response = client.post(url("collection_create", site.pk), data)
    assert response.status_code == 302 and response.url == url("site_detail", site.pk)
    collection = GarbageCollection.objects.get()
    assert collection.recyclable_kg == Decimal("12.5") and collection.hazardous_kg is None
    assert collection.recorded_by == manager
    page = client.get(response.url).content.decode()
    assert "12.50 kg" in page and "30.25 kg" in page and "42.75 kg" in page

    # The same day again replaces the record.
    data = {"date": "2026-08-14", "other_kg": "8"}
    assert client.post(url("collection_create", site.pk), data).status_code == 302
    collection = GarbageCollection.objects.get()
    assert collection.other_kg == Decimal("8") and collection.recyclable_kg is None


# ------------------------------------------------------------------ scoping and permissions


def test_other_center_gets_404(client, energy_a, energy_b, center_a):
    site = make_site(center_a, "甲区点位")
    inspection = inspect(site, TODAY, 2, 2, energy_a, photo=png())
    client.force_login(energy_b)
    assert "甲区点位" not in client.get(url("site_list")).content.decode()
    assert "甲区点位" not in client.get(url("inspection_list")).content.decode()
    for name in ("site_detail", "site_edit", "inspection_create", "collection_create"):
        assert client.get(url(name, site.pk)).status_code == 404, name
    assert client.post(url("site_edit", site.pk), SITE).status_code == 404
    data = {"date": "2026-08-14", "bins_checked": "2", "bins_correct": "1"}
    assert client.post(url("inspection_create", site.pk), data).status_code == 404
    data = {"date": "2026-08-14", "other_kg": "1"}
    assert client.post(url("collection_create", site.pk), data).status_code == 404
    assert client.get(url("inspection_photo", inspection.pk)).status_code == 404
    assert SortingInspection.objects.count() == 1 and not GarbageCollection.objects.exists()
    site.refresh_from_db()
    assert site.name == "甲区点位"


def test_staff_403_and_center_admin_reads_only(client, staff_x, admin_a, energy_a, center_a):
    site = make_site(center_a)
    inspection = inspect(site, TODAY, 2, 2, energy_a, photo=png())
    client.force_login(staff_x)
    for name, args in [
        ("site_list", ()),
        ("site_create", ()),
        ("inspection_list", ()),
        ("site_detail", (site.pk,)),
        ("site_edit", (site.pk,)),
        ("inspection_create", (site.pk,)),
        ("collection_create", (site.pk,)),
        ("inspection_photo", (inspection.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name

    client.force_login(admin_a)
    page = client.get(url("site_detail", site.pk)).content.decode()
    assert url("site_edit", site.pk) not in page
    assert url("inspection_create", site.pk) not in page
    assert url("collection_create", site.pk) not in page
    assert client.get(url("inspection_photo", inspection.pk)).status_code == 200
    assert url("site_create") not in client.get(url("site_list")).content.decode()
    assert client.get(url("site_create")).status_code == 403
    data = {"date": "2026-08-14", "bins_checked": "2", "bins_correct": "1"}
    assert client.post(url("inspection_create", site.pk), data).status_code == 403
    assert SortingInspection.objects.count() == 1


# ------------------------------------------------------------------ query budget


def test_queries_do_not_grow_with_rows(client, manager, center_a):
    def fill(start, stop):
        for i in range(start, stop):
            site = make_site(
                center_a,
                f"点位{i}",
                is_demonstration=bool(i % 2),
                recognized_on=dt.date(2026, 1, 1) if i % 2 else None,
            )
            inspect(site, dt.date(2026, 8, 1), 10, 8, actor=manager)
            inspect(site, dt.date(2026, 8, 10), 10, 9, actor=manager, photo=png())
            collection_record(
                actor=None, site=site, date=dt.date(2026, 8, 10), weights={"other_kg": "1"}
            )

    fill(0, 2)
    first = SortingSite.objects.get(name="点位0")
    few = [
        count_queries(client, url("site_list")),
        count_queries(client, url("inspection_list")),
        count_queries(client, url("site_detail", first.pk)),
    ]
    fill(2, 20)
    for i in range(20):
        inspect(first, dt.date(2026, 7, 1) + dt.timedelta(days=i), 10, 5, actor=manager)
    for i in range(20):
        collection_record(
            actor=None,
            site=first,
            date=dt.date(2026, 7, 1) + dt.timedelta(days=i),
            weights={"kitchen_kg": "2"},
        )
    assert [
        count_queries(client, url("site_list")),
        count_queries(client, url("inspection_list")),
        count_queries(client, url("site_detail", first.pk)),
    ] == few
