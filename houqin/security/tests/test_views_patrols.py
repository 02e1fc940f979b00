"""巡查 pages: the guard's phone pages (the codes never appear there), scanning through the QR
URL, finishing; the manager's route, checkpoint, label and patrol-record pages; permissions
(another center 404, staff 403) and query budgets."""

import io
import re

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.roles import Role
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security.models import Checkpoint, CheckpointScan, Patrol, PatrolRoute
from houqin.security.services import patrols as svc

from .test_patrols import make_route, ok_answers, points_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"security:{name}", args=args)


@pytest.fixture
def route(manager_a):
    return make_route(manager_a)


@pytest.fixture
def guard(client, guard_a):
    client.force_login(guard_a)
    return guard_a


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


def scan_form(point, **overrides):
    return {**ok_answers(point), "note": "", **overrides}


# ------------------------------------------------------------------ the guard's phone
def test_home_lists_routes_and_never_the_codes(client, guard, route):
    page = client.get(url("patrol_home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert route.name in html and url("patrol_start", route.pk) in html
    svc.patrol_start(actor=guard, route=route)
    point = points_of(route)[0]
    client.post(url("patrol_scan", point.code), scan_form(point))
    html = client.get(url("patrol_home")).content.decode()
    assert "请扫描检查点二维码" in html
    for p in points_of(route):
        assert p.name in html
        assert p.code not in html
    assert "/patrol/scan/" not in html
    assert 'data-state="ok"' in html and html.count('data-state="todo"') == 2
    # nor on the patrol's detail page
    detail = client.get(url("patrol_detail", Patrol.objects.get().pk)).content.decode()
    assert all(p.code not in detail for p in points_of(route))


def test_start_from_the_phone(client, guard, route):
    response = client.post(url("patrol_start", route.pk))
    assert response.status_code == 302 and response.url == url("patrol_home")
    assert Patrol.objects.get().guard == guard
    response = client.post(url("patrol_start", route.pk), follow=True)
    assert "您有未结束的巡查" in response.content.decode()
    assert Patrol.objects.count() == 1
    assert client.get(url("patrol_start", route.pk)).status_code == 405


def test_scan_page_shows_the_checklist_and_records(client, guard, route):
    point = points_of(route)[0]
    page = client.get(url("patrol_scan", point.code))
    assert page.status_code == 200
    html = page.content.decode()
    assert point.name in html and "安全出口畅通" in html and 'value="no"' in html
    response = client.post(url("patrol_scan", point.code), scan_form(point))
    assert response.status_code == 302 and response.url == url("patrol_home")
    scan = CheckpointScan.objects.get()
    assert scan.is_ok and scan.patrol.guard == guard
    again = client.get(url("patrol_scan", point.code)).content.decode()
    assert "本次巡查已扫描过该检查点" in again


def test_scan_errors_rerender_and_write_nothing(client, guard, route):
    point = points_of(route)[0]
    response = client.post(url("patrol_scan", point.code), {"c1": "yes", "note": ""})
    assert response.status_code == 422
    assert "请选择“消防器材完好”的检查结果。" in response.content.decode()
    response = client.post(url("patrol_scan", point.code), scan_form(point, c3="no"))
    assert response.status_code == 422
    assert "发现异常，请填写异常说明。" in response.content.decode()
    assert not CheckpointScan.objects.exists() and not Patrol.objects.exists()


def test_abnormal_scan_from_the_phone_notifies(client, guard, manager_a, route):
    point = points_of(route)[0]
    response = client.post(
        url("patrol_scan", point.code), scan_form(point, c3="no", note="后门未锁"), follow=True
    )
    assert "已通知安保负责人" in response.content.decode()
    assert manager_a.notifications.filter(kind="security.patrol_problem").count() == 1


def test_unknown_or_foreign_code(client, guard_b, route):
    client.force_login(guard_b)
    point = points_of(route)[0]
    for code in ("nonsense", point.code):
        page = client.get(url("patrol_scan", code))
        assert page.status_code == 404
        assert "无效的检查点二维码" in page.content.decode()
        assert point.name not in page.content.decode()
        assert client.post(url("patrol_scan", code), scan_form(point)).status_code == 404
    assert not CheckpointScan.objects.exists() and not Patrol.objects.exists()


def test_finish_from_the_phone(client, guard, route):
    patrol = svc.patrol_start(actor=guard, route=route)
    response = client.post(url("patrol_finish", patrol.pk), {"note": ""})
    assert response.status_code == 422
    assert "还有 3 个检查点未扫描，请填写情况说明。" in response.content.decode()
    response = client.post(url("patrol_finish", patrol.pk), {"note": "临时调岗"})
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.status == "incomplete"

    patrol = svc.patrol_start(actor=guard, route=route)
    for point in points_of(route):
        client.post(url("patrol_scan", point.code), scan_form(point))
    response = client.post(url("patrol_finish", patrol.pk), {"note": ""}, follow=True)
    assert "巡查已完成" in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == "done"


def test_escaping(client, manager, guard_a):
    route = svc.route_create(actor=manager, center=manager.center, name="<b>夜巡</b>")
    point = svc.checkpoint_add(
        actor=manager, route=route, name="<script>x</script>", checklist="<i>门</i>"
    )
    for name, args in (("route_detail", (route.pk,)), ("route_labels", (route.pk,))):
        html = client.get(url(name, *args)).content.decode()
        assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    client.force_login(guard_a)
    for page in (url("patrol_home"), url("patrol_scan", point.code)):
        html = client.get(page).content.decode()
        assert "<b>夜巡</b>" not in html and "<i>门</i>" not in html


# ------------------------------------------------------------------ manager pages
def test_route_create_edit_and_checkpoints(client, manager):
    response = client.post(
        url("route_create"), {"name": "夜间巡逻", "kind": "security", "rounds_per_day": 2}
    )
    route = PatrolRoute.objects.get()
    assert response.status_code == 302 and response.url == url("route_detail", route.pk)
    response = client.post(
        url("route_create"), {"name": "夜间巡逻", "kind": "security", "rounds_per_day": 2}
    )
    assert response.status_code == 422 and "本中心已有同名的巡查路线。" in response.content.decode()
    response = client.post(
        url("route_edit", route.pk),
        {"name": "夜巡", "kind": "fire", "rounds_per_day": 1, "description": "", "is_active": "on"},
    )
    assert response.status_code == 302
    route.refresh_from_db()
    assert (route.name, route.kind) == ("夜巡", "fire")
    assert client.get(url("route_edit", route.pk)).status_code == 200

    response = client.post(
        url("checkpoint_add", route.pk),
        {"name": "配电房", "location": "B1", "checklist": "无异味\n温度正常"},
    )
    assert response.status_code == 302
    point = Checkpoint.objects.get()
    assert [i["label"] for i in point.checklist] == ["无异味", "温度正常"]
    response = client.post(url("checkpoint_add", route.pk), {"name": "", "checklist": "x"})
    assert response.status_code == 422
    assert Checkpoint.objects.count() == 1
    edit = client.get(url("checkpoint_edit", point.pk)).content.decode()
    assert "无异味\n温度正常" in edit
    response = client.post(
        url("checkpoint_edit", point.pk),
        {"name": "配电房", "location": "B1", "checklist": "无异味", "position": 1},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert not point.is_active and len(point.checklist) == 1
    old = point.code
    response = client.post(url("checkpoint_regenerate_code", point.pk))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.code != old


def test_labels_carry_the_absolute_scan_url(client, manager, route):
    page = client.get(url("route_labels", route.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 3 and "data-hq-print" in html
    for point in points_of(route):
        assert point.name in html
    # the QR codes encode http://testserver/security/patrol/scan/<code>/
    expected = segno.make(
        "http://testserver" + url("patrol_scan", points_of(route)[0].code), error="m"
    )
    buffer = io.BytesIO()
    expected.save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    assert buffer.getvalue().decode() in html


def test_route_detail_shows_checkpoints_and_scans(client, manager, guard_a, route):
    point = points_of(route)[0]
    svc.patrol_scan(
        actor=guard_a, code=point.code, answers={**ok_answers(point), "c1": "no"}, note="堆物"
    )
    html = client.get(url("route_detail", route.pk)).content.decode()
    assert point.name in html and "堆物" in html and "保安小陈" in html
    assert all(p.code not in html for p in points_of(route))


def test_patrol_list_filters_and_export(client, manager, guard_a, route):
    other = make_route(manager, "车库", points=1)
    svc.patrol_finish(
        actor=guard_a, patrol=svc.patrol_start(actor=guard_a, route=route), note="未完"
    )
    svc.patrol_start(actor=guard_a, route=other)
    page = client.get(url("patrol_list"))
    assert page.status_code == 200
    rows = re.findall(r"<tr[^>]*>\s*<td", page.content.decode())
    assert len(rows) == 2
    html = client.get(url("patrol_list"), {"route": other.pk}).content.decode()
    assert "车库" in html and "未完" not in html
    html = client.get(url("patrol_list"), {"status": "incomplete"}).content.decode()
    assert "办公楼夜间巡逻" in html
    response = client.get(url("patrol_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("未完" in (v or "") for row in values for v in row if isinstance(v, str))
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    response = client.get(url("route_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 2


def test_patrol_detail_shows_answers_and_missing(client, manager, guard_a, route):
    point = points_of(route)[0]
    scan = svc.patrol_scan(
        actor=guard_a, code=point.code, answers={**ok_answers(point), "c2": "no"}, note="过期"
    )
    html = client.get(url("patrol_detail", scan.patrol_id)).content.decode()
    assert "消防器材完好" in html and "过期" in html
    assert html.count("data-missing=") == 2
    # the manager may end it
    response = client.post(url("patrol_finish", scan.patrol_id), {"note": ""})
    assert response.status_code == 302 and response.url == url("patrol_detail", scan.patrol_id)
    response = client.post(url("patrol_finish", scan.patrol_id), {"note": "保安离岗"})
    assert Patrol.objects.get().status == "incomplete"


# ------------------------------------------------------------------ permissions
def test_center_b_gets_404(client, manager_b, guard_b, guard_a, route):
    patrol = svc.patrol_start(actor=guard_a, route=route)
    point = points_of(route)[0]
    for user in (manager_b, guard_b):
        client.force_login(user)
        assert client.get(url("patrol_detail", patrol.pk)).status_code == 404
        assert client.post(url("patrol_finish", patrol.pk), {"note": "x"}).status_code == 404
        assert client.post(url("patrol_start", route.pk)).status_code == 404
    client.force_login(manager_b)
    for name in ("route_detail", "route_edit", "checkpoint_add", "route_labels"):
        assert client.get(url(name, route.pk)).status_code == 404
    assert client.get(url("checkpoint_edit", point.pk)).status_code == 404
    assert client.post(url("checkpoint_regenerate_code", point.pk)).status_code == 404
    assert route.name not in client.get(url("route_list")).content.decode()
    assert route.name not in client.get(url("patrol_list")).content.decode()
    patrol.refresh_from_db()
    assert patrol.status == "in_progress"


def test_staff_get_403_and_guards_no_manager_pages(client, staff_x, guard_a, route):
    client.force_login(staff_x)
    point = points_of(route)[0]
    for page in (url("patrol_home"), url("patrol_scan", point.code), url("patrol_list")):
        assert client.get(page).status_code == 403
    assert client.get(url("route_list")).status_code == 403
    client.force_login(guard_a)
    for name in ("route_edit", "checkpoint_add", "route_labels"):
        assert client.get(url(name, route.pk)).status_code == 403
    assert client.get(url("route_create")).status_code == 403
    assert client.post(url("checkpoint_regenerate_code", point.pk)).status_code == 403


def test_guard_sees_only_their_own_patrols(client, guard, agency_x, route):
    other = make_user(PersonFactory(agency=agency_x, name="保安老王"), Role.GUARD, username="g2")
    mine = svc.patrol_start(actor=guard, route=route)
    theirs = svc.patrol_start(actor=other, route=route)
    html = client.get(url("patrol_list")).content.decode()
    assert url("patrol_detail", mine.pk) in html and "保安老王" not in html
    assert client.get(url("patrol_detail", theirs.pk)).status_code == 404


# ------------------------------------------------------------------ query budgets
def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx)


def _walk(guard, route, n):
    for _i in range(n):
        patrol = svc.patrol_start(actor=guard, route=route)
        for point in points_of(route):
            svc.patrol_scan(actor=guard, code=point.code, answers=ok_answers(point))
        svc.patrol_finish(actor=guard, patrol=patrol)


def test_patrol_list_and_route_detail_run_constant_queries(client, manager, guard_a, route):
    _walk(guard_a, route, 1)
    few_list = _queries(client, url("patrol_list"))
    few_detail = _queries(client, url("route_detail", route.pk))
    few_routes = _queries(client, url("route_list"))
    few_home = _queries(client, url("patrol_home"))
    _walk(guard_a, route, 6)
    make_route(manager, "车库", points=4)
    assert _queries(client, url("patrol_list")) == few_list
    assert _queries(client, url("route_detail", route.pk)) == few_detail
    assert _queries(client, url("route_list")) == few_routes
    assert _queries(client, url("patrol_home")) == few_home
