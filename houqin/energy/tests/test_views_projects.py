"""Project pages: create/edit through the forms, the progress against the target (8 of 16
stations = 50 %), stations added and completed (a completed station needs its date: 422 and
nothing written), scoping (center B → 404), permissions (staff 403; a center admin reads
only), xlsx export audited, constant queries on the list and the detail."""

import datetime as dt

import pytest
from django.urls import reverse

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import ChargingStation, EnergyProject

from .fixtures_outreach import clock, count_queries, make_project, make_station  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

Status = ChargingStation.Status
OVERDUE = "已逾期</span>"


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


PROJECT = {
    "name": "新能源汽车充电设施建设",
    "kind": "charging",
    "assigned_by": "市公共机构节能中心",
    "year": "2026",
    "target": "16",
    "deadline": "2026-12-31",
    "notes": "市中心下达 16 个充电站",
}

STATION = {
    "name": "行政中心站",
    "site": "区行政中心地下车库",
    "institution": "",
    "piles": "6",
    "power_kw": "180.0",
    "status": "planned",
    "completed_on": "",
    "notes": "",
}


def test_manager_creates_a_project_and_sees_its_progress(client, energy_a, center_a):
    client.force_login(energy_a)
    assert client.get(url("project_create")).status_code == 200
    response = client.post(url("project_create"), PROJECT)
    project = EnergyProject.objects.get()
    assert response.status_code == 302 and response.url == url("project_detail", project.pk)
    assert project.center == center_a and project.target == 16

    for i in range(8):
        make_station(project, f"已建站{i}", Status.DONE if i % 2 else Status.IN_USE, piles=2)
    make_station(project, "在建站1", Status.BUILDING)
    make_station(project, "在建站2", Status.BUILDING)
    make_station(project, "规划站", Status.PLANNED)

    page = client.get(url("project_detail", project.pk)).content.decode()
    assert 'data-figure="completed">8<' in page and 'data-figure="target">16<' in page
    assert 'data-figure="rate">50.0%<' in page
    assert '<progress class="hq-progress w-100 mt-2" value="8" max="16"' in page
    assert "在建 2" in page and "规划 1" in page
    assert 'data-figure="remaining">8 个<' in page
    assert 'data-figure="piles">16 个<' in page  # 8 completed stations × 2 piles
    assert 'data-figure="power">960.0 kW<' in page  # 8 × 120 kW
    assert "已建站1" in page and "2026-06-30" in page
    assert url("station_edit", project.stations.first().pk) in page

    page = client.get(url("project_list")).content.decode()
    assert "新能源汽车充电设施建设" in page and "50.0%" in page
    assert 'value="8" max="16"' in page
    assert OVERDUE not in page


def test_project_form_errors(client, energy_a, center_a):
    make_project(center_a)
    client.force_login(energy_a)
    response = client.post(url("project_create"), {**PROJECT, "name": ""})
    assert response.status_code == 422 and "请填写项目名称。" in response.content.decode()
    response = client.post(url("project_create"), PROJECT)
    assert response.status_code == 422 and "已有同名项目。" in response.content.decode()
    response = client.post(url("project_create"), {**PROJECT, "name": "另一个", "target": "0"})
    assert response.status_code == 422
    assert EnergyProject.objects.count() == 1


def test_project_edit(client, energy_a, center_a):
    project = make_project(center_a)
    client.force_login(energy_a)
    page = client.get(url("project_edit", project.pk)).content.decode()
    assert 'value="新能源汽车充电设施建设"' in page
    response = client.post(url("project_edit", project.pk), {**PROJECT, "target": "20"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.target == 20 and project.deadline == dt.date(2026, 12, 31)


def test_overdue_badge_when_past_deadline_and_not_complete(client, energy_a, center_a):
    late = make_project(center_a, "逾期项目", target=2, deadline=dt.date(2026, 7, 31))
    make_station(late, "一号站", Status.DONE)
    done = make_project(center_a, "按期完成项目", target=1, deadline=dt.date(2026, 7, 31))
    make_station(done, "一号站", Status.IN_USE)
    client.force_login(energy_a)
    page = client.get(url("project_list")).content.decode()
    assert page.count(OVERDUE) == 1
    row = page[page.index(">逾期项目<") :]
    assert "2026-07-31" in row and OVERDUE in row[: row.index("</tr>")]
    assert OVERDUE in client.get(url("project_detail", late.pk)).content.decode()
    assert OVERDUE not in client.get(url("project_detail", done.pk)).content.decode()


def test_station_done_without_date_is_refused_and_nothing_written(client, energy_a, center_a):
    project = make_project(center_a)
    client.force_login(energy_a)
    response = client.post(url("station_create", project.pk), {**STATION, "status": "done"})
    assert response.status_code == 422
    assert "建成或投入使用的站点请填写建成日期。" in response.content.decode()
    assert not ChargingStation.objects.exists()

    response = client.post(
        url("station_create", project.pk),
        {**STATION, "status": "done", "completed_on": "2026-08-16"},
    )
    assert response.status_code == 422 and "建成日期不能晚于今天。" in response.content.decode()
    response = client.post(url("station_create", project.pk), {**STATION, "piles": "0"})
    assert response.status_code == 422
    assert not ChargingStation.objects.exists()

    response = client.post(url("station_create", project.pk), STATION)
    assert response.status_code == 302 and response.url == url("project_detail", project.pk)
    station = ChargingStation.objects.get()
    assert station.status == Status.PLANNED and station.center_id == center_a.pk


def test_station_edit_completes_it(client, energy_a, center_a):
    project = make_project(center_a)
    station = make_station(project, "行政中心站", Status.BUILDING)
    client.force_login(energy_a)
    page = client.get(url("station_edit", station.pk)).content.decode()
    assert 'value="行政中心站"' in page
    data = {**STATION, "status": "in_use", "completed_on": ""}
    response = client.post(url("station_edit", station.pk), data)
    assert response.status_code == 422
    station.refresh_from_db()
    assert station.status == Status.BUILDING
    data["completed_on"] = "2026-08-01"
    response = client.post(url("station_edit", station.pk), data)
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.status == Status.IN_USE and station.completed_on == dt.date(2026, 8, 1)
    page = client.get(url("project_detail", project.pk)).content.decode()
    assert 'data-figure="completed">1<' in page and 'data-figure="rate">6.2%<' in page


def test_other_center_gets_404(client, energy_a, energy_b, center_a, center_b):
    project = make_project(center_a, "甲区充电站项目")
    station = make_station(project, "甲区一号站")
    make_project(center_b, "乙区充电站项目")
    client.force_login(energy_b)
    page = client.get(url("project_list")).content.decode()
    assert "乙区充电站项目" in page and "甲区充电站项目" not in page
    assert client.get(url("project_detail", project.pk)).status_code == 404
    assert client.get(url("project_edit", project.pk)).status_code == 404
    assert client.post(url("project_edit", project.pk), PROJECT).status_code == 404
    assert client.get(url("station_create", project.pk)).status_code == 404
    assert client.post(url("station_create", project.pk), STATION).status_code == 404
    assert client.get(url("station_edit", station.pk)).status_code == 404
    assert client.post(url("station_edit", station.pk), STATION).status_code == 404
    project.refresh_from_db()
    assert project.name == "甲区充电站项目" and project.stations.count() == 1


def test_staff_403_and_center_admin_reads_only(client, staff_x, admin_a, center_a):
    project = make_project(center_a)
    station = make_station(project, "一号站")
    client.force_login(staff_x)
    for name, args in [
        ("project_list", ()),
        ("project_create", ()),
        ("project_detail", (project.pk,)),
        ("project_edit", (project.pk,)),
        ("station_create", (project.pk,)),
        ("station_edit", (station.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    assert client.post(url("project_create"), PROJECT).status_code == 403

    client.force_login(admin_a)
    assert client.get(url("project_list")).status_code == 200
    page = client.get(url("project_detail", project.pk)).content.decode()
    assert "一号站" in page
    assert url("project_edit", project.pk) not in page
    assert url("station_create", project.pk) not in page
    assert url("station_edit", station.pk) not in page
    assert client.get(url("project_create")).status_code == 403
    assert client.post(url("station_create", project.pk), STATION).status_code == 403
    assert client.post(url("station_edit", station.pk), STATION).status_code == 403


def test_list_filters_and_xlsx_export(client, energy_a, center_a):
    make_project(center_a, "十六个充电站")
    make_project(center_a, "照明节能改造", kind="retrofit", year=2025, target=3)
    client.force_login(energy_a)
    page = client.get(url("project_list"), {"kind": "retrofit"}).content.decode()
    assert "照明节能改造" in page and "十六个充电站" not in page
    page = client.get(url("project_list"), {"year": "2026"}).content.decode()
    assert "十六个充电站" in page and "照明节能改造" not in page
    response = client.get(url("project_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    response = client.get(url("project_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()


def test_list_and_detail_queries_do_not_grow_with_rows(client, energy_a, center_a):
    client.force_login(energy_a)

    def fill(n, offset):
        for i in range(n):
            project = make_project(center_a, f"项目{offset + i}", deadline=dt.date(2026, 1, 1))
            make_station(project, "一号站", Status.DONE)

    fill(2, 0)
    few = count_queries(client, url("project_list"))
    fill(18, 2)
    assert count_queries(client, url("project_list")) == few

    project = make_project(center_a, "站点多的项目")
    for i in range(2):
        make_station(project, f"站{i}", Status.DONE)
    few = count_queries(client, url("project_detail", project.pk))
    for i in range(2, 20):
        make_station(project, f"站{i}", Status.IN_USE)
    assert count_queries(client, url("project_detail", project.pk)) == few
