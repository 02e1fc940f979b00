"""Duties pages: my tasks (mobile), completion form, plans, calendar, board, records, export."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.duties import services
from houqin.core.duties.models import DutyPhoto, DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.tests.factories import FIRE_CHECKLIST, image_upload, local, make_plan
from houqin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


def adhoc_now(center, title="会前消毒", **kwargs):
    """A task due a second ago (today, not yet late): it can be completed right now."""
    kwargs.setdefault("assignee_role", "guard")
    return services.duty_task_create_adhoc(
        actor=None,
        center=center,
        title=title,
        grace_minutes=60,
        due_at=timezone.now() - dt.timedelta(seconds=1),
        **kwargs,
    )


@pytest.fixture
def manager_client(client, security_a):
    client.force_login(security_a)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "duties:my_tasks",
        "duties:plan_list",
        "duties:plan_create",
        "duties:compliance",
        "duties:record_list",
    ],
)
def test_manager_pages_render(manager_client, name):
    response = manager_client.get(reverse(name))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_my_tasks_page_lists_today_and_overdue(client, guard_a, center_a):
    adhoc_now(center_a, title="会前消毒 301")
    old = services.duty_task_create_adhoc(
        actor=None,
        center=center_a,
        title="昨日巡查",
        assignee_role="guard",
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    adhoc_now(center_a, title="别人的任务", assignee_role="canteen_manager")
    client.force_login(guard_a)
    response = client.get(reverse("duties:my_tasks"))
    html = response.content.decode()
    assert "会前消毒 301" in html and "昨日巡查" in html and "别人的任务" not in html
    assert [t.title for t in response.context["overdue"]] == [old.title]
    assert 'name="viewport"' in html and "hq-mobile" in html


def test_my_tasks_query_count_is_constant(client, guard_a, center_a):
    adhoc_now(center_a)
    client.force_login(guard_a)
    url = reverse("duties:my_tasks")
    few = _queries(client, url)
    for i in range(15):
        adhoc_now(center_a, title=f"任务{i}")
    assert _queries(client, url) == few


def test_portal_tile_and_todo(client, guard_a, center_a):
    adhoc_now(center_a, title="会前消毒 302")
    client.force_login(guard_a)
    assert reverse("duties:my_tasks") in client.get(reverse("portal:home")).content.decode()
    home = client.get(reverse("home"))
    groups = {g.source.key: g for g in home.context["todos"]}
    assert groups["duties"].count == 1 and groups["duties"].items[0].title == "会前消毒 302"


def test_todo_source_query_count_is_constant(guard_a, center_a, django_assert_max_num_queries):
    from houqin.core.duties.todos import duty_todos

    for i in range(12):
        adhoc_now(center_a, title=f"任务{i}")
    guard_a._houqin_roles = None
    with django_assert_max_num_queries(3):
        count, items = duty_todos(guard_a, 10)
    assert count == 12 and len(items) == 10


def test_completion_form_renders_the_checklist(client, guard_a, center_a):
    task = adhoc_now(center_a, checklist=FIRE_CHECKLIST)
    client.force_login(guard_a)
    html = client.get(reverse("duties:task_complete", args=[task.pk])).content.decode()
    assert 'type="radio"' in html and "是" in html and "否" in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "合格范围：0–5 ℃" in html and "冷藏温度（℃）" in html


def test_complete_through_the_form(client, guard_a, center_a, media):
    task = adhoc_now(center_a, checklist=FIRE_CHECKLIST)
    client.force_login(guard_a)
    url = reverse("duties:task_complete", args=[task.pk])
    response = client.post(url, {"item_exits": "yes", "item_temp": "3", "notes": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "“现场照片”须上传照片" in html
    response = client.post(
        url,
        {
            "item_exits": "yes",
            "item_temp": "9",
            "item_photo": [image_upload()],
            "signature": "保安甲",
        },
    )
    assert "超出范围（0–5 ℃）" in response.content.decode()
    assert not DutyRecord.objects.exists()
    response = client.post(
        url,
        {
            "item_exits": "no",
            "item_temp": "9",
            "item_photo": [image_upload(), image_upload("b.png")],
            "notes": "冷柜故障，已报修",
            "signature": "保安甲",
        },
    )
    assert response.status_code == 302 and response.url == reverse("duties:my_tasks")
    record = DutyRecord.objects.get(task=task)
    assert record.signature == "保安甲" and len(record.failed_items) == 2
    assert DutyPhoto.objects.filter(record=record).count() == 2
    # Done: the page now shows the record, and a second POST changes nothing.
    response = client.post(url, {"item_exits": "yes", "item_temp": "3"})
    assert response.status_code == 302 and DutyRecord.objects.count() == 1


def test_not_an_image_is_refused_on_the_form(client, guard_a, center_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = adhoc_now(center_a, checklist=FIRE_CHECKLIST)
    client.force_login(guard_a)
    response = client.post(
        reverse("duties:task_complete", args=[task.pk]),
        {
            "item_exits": "yes",
            "item_temp": "3",
            "item_photo": [SimpleUploadedFile("x.jpg", b"hello", "image/jpeg")],
        },
    )
    assert "“x.jpg”不是有效的图片文件" in response.content.decode()


def test_non_assignee_sees_the_task_but_no_form(client, security_a, center_a):
    task = adhoc_now(center_a)
    client.force_login(security_a)  # a manager sees every task, but is not its assignee
    url = reverse("duties:task_complete", args=[task.pk])
    response = client.get(url)
    assert response.context["form"] is None and "不能登记完成" in response.content.decode()
    client.post(url, {})
    assert DutyTask.objects.get(pk=task.pk).status == "open"


def test_cancel_from_the_task_page(client, security_a, guard_a, center_a):
    task = adhoc_now(center_a)
    client.force_login(guard_a)
    assert client.post(reverse("duties:task_cancel", args=[task.pk])).status_code == 403
    client.force_login(security_a)
    client.post(reverse("duties:task_cancel", args=[task.pk]), {"reason": "会议取消"})
    task.refresh_from_db()
    assert task.status == "cancelled" and task.cancel_reason == "会议取消"


def _plan_post(**overrides):
    data = {
        "title": "消防通道巡查",
        "category": "fire_patrol",
        "location_text": "A区",
        "assignee_role": "guard",
        "preset": "daily_twice",
        "time": "09:00",
        "dtstart": "2026-01-01T00:00",
        "grace_minutes": "60",
        "checklist-TOTAL_FORMS": "3",
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "50",
        "checklist-0-label": "通道畅通",
        "checklist-0-type": "bool",
        "checklist-0-required": "on",
        "checklist-1-label": "水压",
        "checklist-1-type": "number",
        "checklist-1-min": "0.1",
        "checklist-1-max": "0.8",
        "checklist-1-unit": "MPa",
        "checklist-2-label": "",
        "checklist-2-type": "bool",
    }
    data.update(overrides)
    return data


def test_create_and_edit_a_plan_through_the_form(manager_client, center_a, security_a):
    response = manager_client.post(reverse("duties:plan_create"), _plan_post(manager=security_a.pk))
    plan = DutyPlan.objects.get(title="消防通道巡查")
    assert response.status_code == 302 and response.url == reverse(
        "duties:plan_detail", args=[plan.pk]
    )
    assert plan.rrule == "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0" and plan.manager == security_a
    assert [i["label"] for i in plan.checklist] == ["通道畅通", "水压"]
    assert plan.checklist[1]["required"] is False and plan.checklist[1]["max"] == 0.8
    assert plan.tasks.count() == 28
    # Editing: the form recognises the preset; switch to a custom rule.
    form = manager_client.get(reverse("duties:plan_edit", args=[plan.pk])).context["form"]
    assert form.initial["preset"] == "daily_twice"
    post = _plan_post(
        preset="custom",
        rrule="FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30",
        **{"checklist-INITIAL_FORMS": "0"},
    )
    response = manager_client.post(reverse("duties:plan_edit", args=[plan.pk]), post)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.rrule == "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30"


def test_plan_form_errors_are_chinese(manager_client):
    response = manager_client.post(
        reverse("duties:plan_create"), _plan_post(assignee_role="", preset="custom", rrule="FREQ=X")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "频率 FREQ=X 无效" in html
    response = manager_client.post(
        reverse("duties:plan_create"), _plan_post(assignee_role="", preset="daily")
    )
    assert "请至少指定一种执行方" in response.content.decode()
    response = manager_client.post(
        reverse("duties:plan_create"), _plan_post(preset="yearly_months")
    )
    assert "请选择月份" in response.content.decode()
    assert not DutyPlan.objects.exists()


def test_preview_fragment(manager_client):
    url = reverse("duties:plan_preview")
    html = manager_client.get(
        url, {"preset": "quarterly", "time": "10:00", "dtstart": "2026-01-01T00:00"}
    ).content.decode()
    assert "每季度（1、4、7、10 月）1 日 10:00" in html and html.count("<li>") == 5
    html = manager_client.get(
        url, {"preset": "custom", "rrule": "FREQ=MINUTELY", "dtstart": "2026-01-01T00:00"}
    ).content.decode()
    assert "频率最短为每小时" in html


def test_plan_detail_calendar(manager_client, center_a, guard_a):
    plan = make_plan(center_a, now=local(2026, 11, 1), days_ahead=30)
    tasks = list(plan.tasks.order_by("due_at"))
    services.duty_task_complete(
        actor=guard_a, task=tasks[0], answers={}, now=tasks[0].due_at + dt.timedelta(minutes=5)
    )
    services.duty_task_complete(
        actor=guard_a, task=tasks[1], answers={}, now=tasks[1].due_at + dt.timedelta(hours=3)
    )
    response = manager_client.get(
        reverse("duties:plan_detail", args=[plan.pk]), {"month": "2026-11"}
    )
    html = response.content.decode()
    assert "2026 年 11 月" in html and "每天 09:00" in html
    assert "按时完成" in html and "逾期完成" in html
    weeks = response.context["weeks"]
    assert weeks[0][6]["date"] == dt.date(2026, 11, 1)  # Sunday column
    assert len(response.context["tasks"]) == 30


def test_plan_list_filters_export_and_constant_queries(manager_client, center_a):
    make_plan(center_a, days_ahead=1)
    url = reverse("duties:plan_list")
    few = _queries(manager_client, url)
    for i in range(10):
        make_plan(center_a, title=f"计划{i}", category="cleaning", days_ahead=1)
    assert _queries(manager_client, url) == few
    html = manager_client.get(url, {"category": "fire_patrol"}).content.decode()
    assert "防火巡查" in html and "计划1" not in html
    response = manager_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 12 and sheet["C2"].value


def test_deactivate_and_activate(manager_client, center_a):
    plan = make_plan(center_a, now=timezone.now(), days_ahead=3)
    manager_client.post(reverse("duties:plan_deactivate", args=[plan.pk]))
    plan.refresh_from_db()
    assert not plan.is_active and not plan.tasks.filter(due_at__gt=timezone.now()).exists()
    manager_client.post(reverse("duties:plan_activate", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_active and plan.tasks.filter(due_at__gt=timezone.now()).exists()


@pytest.fixture
def records(center_a, guard_a, media):
    plan = make_plan(
        center_a,
        now=local(2026, 11, 1),
        days_ahead=12,
        checklist=[{"key": "photo", "label": "照片", "type": "photo"}],
    )
    for task in plan.tasks.order_by("due_at")[:10]:
        services.duty_task_complete(
            actor=guard_a,
            task=task,
            answers={},
            photos={"photo": image_upload()},
            now=task.due_at + dt.timedelta(minutes=5),
        )
    return plan


def test_compliance_board(manager_client, records):
    response = manager_client.get(reverse("duties:compliance"), {"month": "2026-11"})
    html = response.content.decode()
    assert "防火巡查 每日 — 11月 10/12 按时" in html
    assert response.context["totals"]["missed"] == 2
    response = manager_client.get(
        reverse("duties:compliance"), {"month": "2026-11", "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "防火巡查" and sheet["D2"].value == 12
    bad = manager_client.get(reverse("duties:compliance"), {"month": "2026-13"})
    assert "月份格式应为" in bad.content.decode()


def test_compliance_board_query_count_is_constant(manager_client, center_a):
    url = reverse("duties:compliance") + "?month=2026-11"
    make_plan(center_a, days_ahead=5)
    few = _queries(manager_client, url)
    for i in range(8):
        make_plan(center_a, title=f"巡查{i}", days_ahead=5)
    assert _queries(manager_client, url) == few


def test_record_list_export_and_constant_queries(manager_client, records, center_a):
    url = reverse("duties:record_list")
    html = manager_client.get(url).content.decode()
    assert "共 10 条" in html
    few = _queries(manager_client, url)
    plan = make_plan(center_a, title="另一计划", now=local(2026, 11, 1), days_ahead=5)
    guard = DutyRecord.objects.first().completed_by
    for task in plan.tasks.all():
        services.duty_task_complete(
            actor=guard, task=task, answers={}, now=task.due_at + dt.timedelta(hours=2)
        )
    assert _queries(manager_client, url) == few
    html = manager_client.get(url, {"on_time": "false"}).content.decode()
    assert "共 5 条" in html
    response = manager_client.get(
        url, {"export": "xlsx", "date_from": "2026-11-01", "date_to": "2026-11-03"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["完成时间", "任务", "类别"]
    assert sheet.max_row == 1 + 3 + 3  # 1–3 November: 3 records of each plan
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_record_detail_and_photo(manager_client, records, media):
    record = DutyRecord.objects.order_by("completed_at").first()
    photo = record.photos.get()
    html = manager_client.get(reverse("duties:record_detail", args=[record.pk])).content.decode()
    assert reverse("duties:photo", args=[photo.pk]) in html
    response = manager_client.get(reverse("duties:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "private" in response["Cache-Control"]
    assert not photo.image.url.startswith(reverse("duties:photo", args=[photo.pk]))


def test_pages_have_no_inline_script_or_style(manager_client, records):
    plan = records
    for url in (
        reverse("duties:plan_detail", args=[plan.pk]),
        reverse("duties:plan_create"),
        reverse("duties:compliance"),
        reverse("duties:my_tasks"),
    ):
        html = manager_client.get(url).content.decode()
        assert "style=" not in html and "<script>" not in html and " onclick" not in html


def test_inline_radio_hint_is_not_rendered_as_an_attribute():
    from django.template.loader import render_to_string

    from houqin.core.duties.forms import CompletionForm

    form = CompletionForm(
        checklist=[{"key": "ok", "label": "正常", "type": "bool", "required": True}]
    )
    html = render_to_string("includes/field.html", {"field": form["item_ok"]})
    assert "form-check-inline" in html and " inline" not in html.replace("form-check-inline", "")
