"""调整方案 pages: create/edit, add and remove steps, the preview (numbers, highlights,
problems, people moving out), apply and cancel; read-only for leaders, 403 for staff and
liaisons, 404 for another center; query budgets of the list and the detail page."""

import datetime as dt
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.space.models import AdjustmentPlan, Allocation, PlanStep, SpaceRoom
from houqin.space.services import allocation as alloc
from houqin.space.services import plans

from .conftest import D

pytestmark = pytest.mark.django_db
K = PlanStep.Kind
START = dt.date(2026, 1, 1)


def url(name, *args):
    return reverse(f"space:{name}", args=args)


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


@pytest.fixture
def plan(manager_a, center_a):
    return plans.plan_create(
        actor=manager_a, center=center_a, year=2026, title="2026 年调整方案", effective_date=D
    )


def add(plan, manager_a, kind, room, to_agency=None, **kwargs):
    return plans.plan_step_add(
        actor=manager_a, plan=plan, kind=kind, room=room, to_agency=to_agency, **kwargs
    )


PLAN_FORM = {"year": "2026", "title": "2026 年办公用房调整方案", "effective_date": "2026-12-01"}


def test_create_and_edit(client, manager):
    response = client.post(url("plan_create"), PLAN_FORM | {"notes": "按编办批复调整"})
    plan = AdjustmentPlan.objects.get()
    assert response.status_code == 302 and response.url == url("plan_detail", plan.pk)
    assert plan.created_by == manager and plan.status == AdjustmentPlan.Status.DRAFT
    assert plan.effective_date == dt.date(2026, 12, 1)
    assert "按编办批复调整" in client.get(url("plan_edit", plan.pk)).content.decode()
    response = client.post(url("plan_edit", plan.pk), PLAN_FORM | {"title": "改名后的方案"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "改名后的方案"


def test_bad_plan_input_is_shown_and_nothing_written(client, manager):
    for bad, message in (
        ({"year": "1999"}, "年度应在 2000—2100 之间"),
        ({"year": "abc"}, "年度必须是四位数字"),
        ({"title": ""}, "请填写方案名称"),
        ({"effective_date": "2026-13-01"}, "实施日期格式应为 YYYY-MM-DD"),
        ({"effective_date": ""}, "请填写实施日期"),
    ):
        response = client.post(url("plan_create"), PLAN_FORM | bad)
        assert response.status_code == 422 and message in response.content.decode()
    assert not AdjustmentPlan.objects.exists()


def test_add_and_remove_steps(client, manager, agency_x, agency_y, make_room, plan):
    idle, held = make_room(number="301"), make_room(number="302")
    alloc.allocation_create(actor=manager, room=held, agency=agency_x, start_date=START)
    page = client.get(url("plan_detail", plan.pk)).content.decode()
    assert (
        "闲置房间" in page and "301" in page and "302 · 18.00㎡ · 办公室用房 · 甲区财政局" in page
    )
    response = client.post(
        url("plan_step_add", plan.pk),
        {"kind": "allocate", "room": idle.pk, "to_agency": agency_y.pk, "certificate_no": "配1"},
    )
    assert response.status_code == 302
    response = client.post(
        url("plan_step_add", plan.pk),
        {"kind": "transfer", "room": held.pk, "to_agency": agency_y.pk},
    )
    assert response.status_code == 302
    steps = list(plan.steps.order_by("position"))
    assert [(s.kind, s.room, s.from_agency, s.to_agency) for s in steps] == [
        (K.ALLOCATE, idle, None, agency_y),
        (K.TRANSFER, held, agency_x, agency_y),
    ]
    response = client.post(url("plan_step_remove", steps[0].pk))
    assert response.status_code == 302 and list(plan.steps.all()) == [steps[1]]


def test_bad_step_is_shown_and_nothing_written(client, manager, agency_x, make_room, plan):
    idle, held = make_room(), make_room()
    alloc.allocation_create(actor=manager, room=held, agency=agency_x, start_date=START)
    for data, message in (
        ({"kind": "", "room": idle.pk, "to_agency": agency_x.pk}, "请选择调整方式"),
        ({"kind": "allocate", "room": "", "to_agency": agency_x.pk}, "请选择房间"),
        ({"kind": "allocate", "room": 999999, "to_agency": agency_x.pk}, "请选择本中心的房间"),
        ({"kind": "allocate", "room": idle.pk}, "请选择本中心的部门/单位"),
        ({"kind": "allocate", "room": held.pk, "to_agency": agency_x.pk}, "不是闲置房间"),
        (
            {"kind": "transfer", "room": held.pk, "to_agency": agency_x.pk},
            "调入单位与原使用单位相同",
        ),
        ({"kind": "vacate", "room": idle.pk}, "当前未分配"),
    ):
        response = client.post(url("plan_step_add", plan.pk), data)
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    assert not plan.steps.exists()


def test_preview_shows_the_effect(
    client, manager, agency_x, agency_y, make_room, make_person, plan
):
    make_person(agency_y, "section-head")  # 教育局 entitlement: 18 ㎡
    held = make_room(area="20.00", number="401")
    alloc.allocation_create(actor=manager, room=held, agency=agency_x, start_date=START)
    alloc.occupancy_add(
        actor=manager, room=held, person=make_person(agency_x, name="王五"), start_date=START
    )
    add(plan, manager, K.TRANSFER, held, agency_y)
    page = client.get(url("plan_detail", plan.pk)).content.decode()
    assert "0.00 → 20.00" in page and "+20.00" in page  # 教育局 office area and change
    assert "0.00 → 2.00" in page and "将超标" in page and "table-danger" in page
    assert "20.00 → 0.00" in page and "-20.00" in page  # 财政局
    assert "王五" in page  # moves out of the transferred room
    assert 'id="plan-apply"' in page and "disabled" not in page.split('id="plan-apply"')[1][:40]
    assert "确定实施该方案？实施后不可撤销" in page


def test_apply_changes_allocations(client, manager, agency_x, agency_y, make_room, plan):
    idle, held = make_room(), make_room()
    alloc.allocation_create(actor=manager, room=held, agency=agency_x, start_date=START)
    add(plan, manager, K.ALLOCATE, idle, agency_y)
    add(plan, manager, K.VACATE, held)
    response = client.post(url("plan_apply", plan.pk), follow=True)
    page = response.content.decode()
    assert "调整方案已实施" in page
    idle.refresh_from_db()
    held.refresh_from_db()
    assert idle.status == SpaceRoom.Status.OCCUPIED and held.status == SpaceRoom.Status.IDLE
    assert Allocation.objects.get(room=idle).plan_step.plan == plan
    assert held.allocations.get().end_date == D
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.APPLIED and plan.applied_by == manager
    # Read-only from now on: no forms, and who applied it when.
    assert "用房管理员 · " in page and "添加调整步骤" not in page and "plan-apply" not in page
    assert client.get(url("plan_edit", plan.pk)).status_code == 302
    response = client.post(url("plan_step_remove", plan.steps.first().pk), follow=True)
    assert "方案已实施，不能再修改" in response.content.decode()
    assert plan.steps.count() == 2


def test_stale_step_blocks_applying_and_writes_nothing(
    client, manager, agency_x, agency_y, make_room, plan
):
    first, second = make_room(), make_room(number="222")
    add(plan, manager, K.ALLOCATE, first, agency_x)
    add(plan, manager, K.ALLOCATE, second, agency_x)
    alloc.allocation_create(actor=manager, room=second, agency=agency_y, start_date=START)
    page = client.get(url("plan_detail", plan.pk)).content.decode()
    problem = "第 2 步（行政中心大楼 222）：房间现由“甲区教育局”使用，不再闲置。"
    assert problem in page and "以下问题处理前不能实施" in page
    assert "disabled" in page.split('id="plan-apply"')[1][:40]
    response = client.post(url("plan_apply", plan.pk), follow=True)
    page = response.content.decode()
    assert "方案未实施，未作任何变更" in page and problem in page
    first.refresh_from_db()
    assert first.status == SpaceRoom.Status.IDLE and not first.allocations.exists()
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.DRAFT


def test_cancel(client, manager, plan):
    response = client.post(url("plan_cancel", plan.pk), follow=True)
    assert "调整方案已作废" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.CANCELLED
    assert client.get(url("plan_cancel", plan.pk)).status_code == 405


def test_leader_reads_only(client, leader_a, admin_a, manager_a, agency_x, make_room, plan):
    step = add(plan, manager_a, K.ALLOCATE, make_room(), agency_x)
    for user in (leader_a, admin_a):
        client.force_login(user)
        page = client.get(url("plan_detail", plan.pk)).content.decode()
        assert "2026 年调整方案" in page and "实施效果预览" in page
        assert "添加调整步骤" not in page and "plan-apply" not in page
        assert client.get(url("plan_list")).status_code == 200
        for name, args in (
            ("plan_create", ()),
            ("plan_edit", (plan.pk,)),
            ("plan_step_add", (plan.pk,)),
            ("plan_step_remove", (step.pk,)),
            ("plan_apply", (plan.pk,)),
            ("plan_cancel", (plan.pk,)),
        ):
            assert client.post(url(name, *args)).status_code == 403, name
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.DRAFT and plan.steps.count() == 1


def test_staff_and_liaisons_get_403(client, staff_x, liaison_x, plan):
    for user in (staff_x, liaison_x):
        client.force_login(user)
        assert client.get(url("plan_list")).status_code == 403
        assert client.get(url("plan_detail", plan.pk)).status_code == 403
        assert client.post(url("plan_apply", plan.pk)).status_code == 403


def test_another_center_gets_404(client, manager_b, manager_a, agency_x, make_room, plan):
    step = add(plan, manager_a, K.ALLOCATE, make_room(), agency_x)
    client.force_login(manager_b)
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    assert client.get(url("plan_edit", plan.pk)).status_code == 404
    for name, args in (
        ("plan_step_add", (plan.pk,)),
        ("plan_step_remove", (step.pk,)),
        ("plan_apply", (plan.pk,)),
        ("plan_cancel", (plan.pk,)),
    ):
        assert client.post(url(name, *args)).status_code == 404, name
    assert url("plan_detail", plan.pk) not in client.get(url("plan_list")).content.decode()
    plan.refresh_from_db()
    assert plan.status == AdjustmentPlan.Status.DRAFT and plan.steps.count() == 1


def test_room_of_another_center_cannot_be_added(client, manager, building_b, agency_x, plan):
    from houqin.space.services import register

    room_b = register.room_create(
        actor=None,
        building=building_b,
        floor=building_b.floors.get(level=1),
        number="101",
        usable_area="20",
        sub_use="office",
    )
    response = client.post(
        url("plan_step_add", plan.pk),
        {"kind": "allocate", "room": room_b.pk, "to_agency": agency_x.pk},
    )
    assert response.status_code == 422 and "请选择本中心的房间" in response.content.decode()
    assert not plan.steps.exists()


def test_user_text_is_escaped(client, manager, agency_x, make_room, center_a):
    plan = plans.plan_create(
        actor=manager,
        center=center_a,
        year=2026,
        title="<b>方案</b>",
        effective_date=D,
        notes="<script>x</script>",
    )
    add(plan, manager, K.ALLOCATE, make_room(), agency_x, note="<i>备注</i>")
    for path in (url("plan_detail", plan.pk), url("plan_list")):
        page = client.get(path).content.decode()
        assert "<b>方案</b>" not in page and "&lt;b&gt;方案&lt;/b&gt;" in page
    page = client.get(url("plan_detail", plan.pk)).content.decode()
    assert "<script>x" not in page and "<i>备注</i>" not in page


def test_list_filter_and_export(client, manager, center_a, plan):
    plans.plan_create(
        actor=manager, center=center_a, year=2025, title="2025 方案", effective_date=D
    )
    page = client.get(url("plan_list"), {"year": "2026"}).content.decode()
    assert "2026 年调整方案" in page and "2025 方案" not in page
    response = client.get(url("plan_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    values = [c.value for row in load_workbook(io.BytesIO(response.content)).active for c in row]
    assert "2026 年调整方案" in values and "2025 方案" in values
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "space.AdjustmentPlan" and event.detail["rows"] == 2


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_list_runs_a_constant_number_of_queries(client, manager, center_a):
    plans.plan_create(actor=manager, center=center_a, year=2026, title="方案", effective_date=D)
    few = _queries(client, url("plan_list"))
    for year in range(2010, 2025):
        plans.plan_create(actor=manager, center=center_a, year=year, title="方案", effective_date=D)
    assert _queries(client, url("plan_list")) == few


def test_detail_runs_a_constant_number_of_queries(
    client, manager, agency_x, agency_y, make_room, make_person, plan
):
    kinds = itertools.cycle([K.TRANSFER, K.ALLOCATE, K.VACATE, K.OBTAIN])

    def add_steps(n):
        for _ in range(n):
            kind, room = next(kinds), make_room()
            if kind in (K.TRANSFER, K.VACATE):  # held, with somebody who would move out
                alloc.allocation_create(actor=manager, room=room, agency=agency_x, start_date=START)
                alloc.occupancy_add(
                    actor=manager, room=room, person=make_person(agency_x), start_date=START
                )
            add(plan, manager, kind, room, None if kind == K.VACATE else agency_y)

    add_steps(3)
    few = _queries(client, url("plan_detail", plan.pk))
    add_steps(12)
    assert plan.steps.count() == 15
    assert _queries(client, url("plan_detail", plan.pk)) == few
