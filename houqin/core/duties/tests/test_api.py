"""/api/v1/duty-tasks/: the user's tasks (managers: the center's), filters, completion."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from houqin.core.duties import services
from houqin.core.duties.models import DutyRecord, DutyTask
from houqin.core.duties.tests.factories import FIRE_CHECKLIST, image_upload, local, make_plan

pytestmark = pytest.mark.django_db
TASKS = "/api/v1/duty-tasks/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def complete_url(task):
    return f"{TASKS}{task.pk}/complete/"


@pytest.fixture
def open_task(center_a):
    return services.duty_task_create_adhoc(
        actor=None,
        center=center_a,
        title="消防检查",
        assignee_role="guard",
        checklist=FIRE_CHECKLIST,
        grace_minutes=60,
        due_at=timezone.now() - dt.timedelta(seconds=1),
    )


def test_anonymous_is_refused():
    assert APIClient().get(TASKS).status_code == 401


def test_list_is_scoped(center_a, center_b, guard_a, staff_x, security_a, admin_b):
    make_plan(center_a, days_ahead=2)
    make_plan(center_a, title="留样", assignee_role="canteen_manager", days_ahead=2)
    make_plan(center_b, days_ahead=2)
    assert api(guard_a).get(TASKS).json()["count"] == 2
    assert api(staff_x).get(TASKS).json()["count"] == 0
    assert api(security_a).get(TASKS).json()["count"] == 4
    assert api(security_a).get(TASKS, {"mine": "true"}).json()["count"] == 0
    assert api(admin_b).get(TASKS).json()["count"] == 2
    row = api(guard_a).get(TASKS).json()["results"][0]
    assert row["title"] == "防火巡查" and row["category_display"] == "防火巡查"
    assert row["due_at"] == "2026-11-01T09:00:00+08:00"
    assert row["can_complete"] is True and row["record_id"] is None


def test_filters_date_status_plan(center_a, guard_a, security_a):
    plan = make_plan(center_a, days_ahead=3)
    other = make_plan(center_a, title="另一计划", days_ahead=3)
    first = plan.tasks.order_by("due_at").first()
    services.duty_task_complete(
        actor=guard_a, task=first, answers={}, now=first.due_at + dt.timedelta(minutes=1)
    )
    client = api(security_a)
    assert client.get(TASKS, {"date": "2026-11-02"}).json()["count"] == 2
    assert client.get(TASKS, {"status": "done"}).json()["count"] == 1
    assert client.get(TASKS, {"plan": other.pk}).json()["count"] == 3
    done = client.get(TASKS, {"status": "done"}).json()["results"][0]
    assert done["record_id"] == first.record.pk
    assert client.get(TASKS, {"status": "bogus"}).status_code == 400


def test_list_query_count_is_constant(center_a, guard_a, security_a, staff_x):
    make_plan(center_a, assignees=[staff_x], days_ahead=2)
    client = api(security_a)
    client.get(TASKS)  # warm the per-user permission cache of the reused user object
    with CaptureQueriesContext(connection) as few:
        assert client.get(TASKS).status_code == 200
    make_plan(center_a, title="更多", assignees=[staff_x, guard_a], days_ahead=10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(TASKS).json()["count"] == 12
    assert len(many) == len(few)


def test_complete_multipart_with_photos(open_task, guard_a, media):
    response = api(guard_a).post(
        complete_url(open_task),
        {
            "answers": json.dumps({"exits": "yes", "temp": 4}),
            "notes": "正常",
            "signature": "保安甲",
            "photo_photo": [image_upload(), image_upload("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["on_time"] is True and body["answers"]["temp"] == 4
    assert len(body["photos"]) == 2 and body["photos"][0]["url"].startswith("/duties/photos/")
    assert body["completed_by"]["name"] == "保安甲"
    assert DutyTask.objects.get(pk=open_task.pk).status == "done"


def test_complete_bad_answers_gives_chinese_field_errors(open_task, guard_a, media):
    response = api(guard_a).post(
        complete_url(open_task),
        {"answers": json.dumps({"exits": "maybe", "temp": 40})},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert "请选择“是”或“否”" in body["answers"]["exits"][0]
    assert "超出范围（0–5 ℃）" in body["answers"]["temp"][0]
    assert "须上传照片" in body["photos"]["photo"][0]
    response = api(guard_a).post(
        complete_url(open_task),
        {
            "answers": json.dumps({"exits": "yes", "temp": 1}),
            "photo_photo": [image_upload("x.gif", "GIF", "image/gif")],
        },
        format="multipart",
    )
    assert "不支持 GIF 格式" in response.json()["photos"]["photo"][0]
    response = api(guard_a).post(complete_url(open_task), {"answers": "[1, 2]"}, format="json")
    assert response.status_code == 400 and "answers" in response.json()
    assert not DutyRecord.objects.exists()


def test_complete_json_without_photos(center_a, guard_a):
    task = services.duty_task_create_adhoc(
        actor=None,
        center=center_a,
        title="留样",
        assignee_role="guard",
        checklist=[{"key": "ok", "label": "已留样", "type": "bool"}],
        due_at=timezone.now() - dt.timedelta(seconds=1),
        grace_minutes=30,
    )
    response = api(guard_a).post(complete_url(task), {"answers": {"ok": True}}, format="json")
    assert response.status_code == 201
    again = api(guard_a).post(complete_url(task), {"answers": {"ok": True}}, format="json")
    assert again.status_code == 400 and "不能重复提交" in again.json()["non_field_errors"][0]


def test_complete_by_non_assignee_is_403_and_other_center_404(open_task, security_a, guard_b):
    response = api(security_a).post(complete_url(open_task), {"answers": {}}, format="json")
    assert response.status_code == 403 and "不是该任务的执行人" in response.json()["detail"]
    assert api(guard_b).post(complete_url(open_task), {}, format="json").status_code == 404
    assert api(guard_b).get(f"{TASKS}{open_task.pk}/").status_code == 404
    assert not DutyRecord.objects.exists()


def test_schema_is_valid(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/duty-tasks/{id}/complete/" in text and "multipart/form-data" in text


def test_task_due_dates_are_local(center_a, guard_a):
    make_plan(center_a, rrule="FREQ=DAILY;BYHOUR=0;BYMINUTE=30", days_ahead=2)
    rows = api(guard_a).get(TASKS, {"date": "2026-11-02"}).json()["results"]
    assert [r["due_at"] for r in rows] == ["2026-11-02T00:30:00+08:00"]
    assert local(2026, 11, 2, 0, 30).astimezone(dt.UTC).day == 1  # still 1 Nov in UTC
