"""Writes of the duties engine: plans, idempotent generation, completion, follow-ups, reminders."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from houqin.core.duties import followups, generation, services
from houqin.core.duties.models import DutyPhoto, DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.reminders import duty_reminders_send
from houqin.core.duties.tests.factories import (
    FIRE_CHECKLIST,
    GOOD_ANSWERS,
    image_bytes,
    image_upload,
    local,
    make_plan,
)
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role

pytestmark = pytest.mark.django_db
NOV1 = local(2026, 11, 1)


def messages_of(info) -> str:
    exc = info.value
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


# --- plans -----------------------------------------------------------------------------------


def test_plan_create_generates_the_window(center_a, security_a):
    plan = make_plan(center_a, actor=security_a, now=NOV1, days_ahead=14)
    tasks = list(plan.tasks.order_by("due_at"))
    assert len(tasks) == 14
    assert tasks[0].due_at == local(2026, 11, 1, 9) and tasks[-1].due_at == local(2026, 11, 14, 9)
    assert tasks[0].late_after == local(2026, 11, 1, 10)
    assert {t.assignee_role for t in tasks} == {Role.GUARD}
    assert plan.created_by == security_a


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"assignee_role": ""}, "__all__", "请至少指定一种执行方"),
        ({"assignee_role": "", "vendor_name": "XX公司"}, "manager", "须指定负责人"),
        ({"grace_minutes": -5}, "grace_minutes", "宽限时间"),
        ({"rrule": "FREQ=NEVER"}, "rrule", "无效"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"}, "rrule", "永远不会发生"),
        ({"title": ""}, "title", "请填写名称"),
        ({"category": "bogus"}, "category", "类别"),
        ({"assignee_role": "pilot"}, "assignee_role", "角色"),
        ({"checklist": [{"label": "", "type": "bool"}]}, "checklist", "第 1 项：请填写检查内容"),
        (
            {"checklist": [{"label": "温度", "type": "number", "min": 5, "max": 1}]},
            "checklist",
            "下限不能大于上限",
        ),
        ({"checklist": [{"label": "甲", "type": "colour"}]}, "checklist", "类型无效"),
        (
            {
                "checklist": [
                    {"key": "a", "label": "甲", "type": "bool"},
                    {"key": "a", "label": "乙", "type": "bool"},
                ]
            },
            "checklist",
            "重复",
        ),
    ],
)
def test_plan_validation_errors_are_chinese_and_write_nothing(center_a, overrides, field, message):
    with pytest.raises(ValidationError) as info:
        make_plan(center_a, **overrides)
    assert field in info.value.message_dict
    assert message in " ".join(info.value.message_dict[field])
    assert not DutyPlan.objects.exists() and not DutyTask.objects.exists()


def test_assignees_and_manager_must_be_of_the_center(center_a, guard_b, admin_b):
    with pytest.raises(ValidationError) as info:
        make_plan(center_a, assignees=[guard_b], manager=admin_b)
    assert set(info.value.message_dict) >= {"assignees", "manager"}


def test_actor_of_another_center_is_refused(center_a, admin_b):
    with pytest.raises(PermissionDenied):
        make_plan(center_a, actor=admin_b)


def test_duplicate_active_title_is_refused(center_a):
    make_plan(center_a)
    with pytest.raises(ValidationError) as info:
        make_plan(center_a)
    assert "同名" in messages_of(info)


def test_checklist_keys_are_generated_and_normalised(center_a):
    plan = make_plan(
        center_a,
        checklist=[
            {"label": "通道畅通", "type": "bool"},
            {"label": "温度", "type": "number", "min": "0", "max": "5.5", "unit": "℃"},
        ],
    )
    assert plan.checklist == [
        {"key": "q1", "label": "通道畅通", "type": "bool", "required": True},
        {
            "key": "q2",
            "label": "温度",
            "type": "number",
            "required": True,
            "min": 0,
            "max": 5.5,
            "unit": "℃",
        },
    ]
    assert plan.tasks.first().checklist == plan.checklist


def test_named_assignees_are_copied_to_every_task(center_a, guard_a, staff_x):
    plan = make_plan(center_a, assignee_role="", assignees=[guard_a, staff_x], days_ahead=3)
    for task in plan.tasks.all():
        assert set(task.assignees.all()) == {guard_a, staff_x}


# --- generation --------------------------------------------------------------------------------


def test_generation_twice_never_duplicates(center_a, guard_a):
    plan = make_plan(center_a, assignees=[guard_a], rrule="FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0")
    count = DutyTask.objects.count()
    assert count == 28
    assert services.duty_tasks_generate(now=NOV1) == 0
    assert services.duty_tasks_generate(now=NOV1) == 0
    assert DutyTask.objects.count() == count
    assert DutyTask.assignees.through.objects.count() == count
    assert plan.tasks.filter(assignees__isnull=True).count() == 0


def test_overlapping_windows_add_only_the_new_days(center_a):
    make_plan(center_a, now=NOV1, days_ahead=14)
    assert services.duty_tasks_generate(now=NOV1 + dt.timedelta(days=7), days_ahead=14) == 7
    due = list(DutyTask.objects.order_by("due_at").values_list("due_at", flat=True))
    assert len(due) == len(set(due)) == 21
    assert due[-1] == local(2026, 11, 21, 9)


def test_unique_constraint_backs_idempotency(center_a):
    plan = make_plan(center_a, days_ahead=1)
    task = plan.tasks.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyTask.objects.create(
            center=center_a, plan=plan, title="x", due_at=task.due_at, late_after=task.late_after
        )
    # bulk_create(ignore_conflicts=True) is how concurrent runs lose the race quietly.
    generation.generate_tasks([plan], now=NOV1, days_ahead=1)
    assert plan.tasks.count() == 1


def test_workdays_only_generation_uses_the_calendar(center_a):
    plan = make_plan(center_a, workdays_only=True, now=local(2026, 9, 28), days_ahead=15)
    days = {t.due_at.astimezone(local(2026, 1, 1).tzinfo).date() for t in plan.tasks.all()}
    assert dt.date(2026, 10, 1) not in days and dt.date(2026, 10, 10) in days
    assert dt.date(2026, 9, 28) in days and dt.date(2026, 10, 11) not in days


def test_inactive_and_future_plans_generate_nothing(center_a):
    plan = make_plan(center_a, dtstart=local(2027, 6, 1), now=NOV1)
    assert plan.tasks.count() == 0
    services.duty_plan_deactivate(actor=None, plan=plan)
    assert services.duty_tasks_generate(now=local(2027, 6, 1)) == 0


def test_update_moves_future_open_tasks_and_keeps_history(center_a, guard_a):
    plan = make_plan(
        center_a, days_ahead=14, checklist=[{"key": "a", "label": "甲", "type": "bool"}]
    )
    first = plan.tasks.order_by("due_at").first()
    services.duty_task_complete(
        actor=guard_a, task=first, answers={"a": "yes"}, now=first.due_at + dt.timedelta(minutes=5)
    )
    services.duty_plan_update(
        actor=None,
        plan=plan,
        now=local(2026, 11, 2),
        rrule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0",
        grace_minutes=30,
        checklist=[{"key": "b", "label": "乙", "type": "bool"}],
    )
    first.refresh_from_db()
    assert first.status == DutyTask.Status.DONE and first.checklist[0]["key"] == "a"
    future = list(plan.tasks.filter(due_at__gte=local(2026, 11, 2)).order_by("due_at"))
    # The window is [2 Nov, 16 Nov): the Mondays 2 and 9 November.
    assert [t.due_at for t in future] == [local(2026, 11, 2, 10), local(2026, 11, 9, 10)]
    assert all(t.checklist[0]["key"] == "b" for t in future)
    assert all(t.late_after == t.due_at + dt.timedelta(minutes=30) for t in future)


def test_update_changes_people_and_late_time_of_kept_tasks(center_a, guard_a, guard_a2):
    plan = make_plan(center_a, assignee_role="", assignees=[guard_a], days_ahead=3)
    services.duty_plan_update(
        actor=None,
        plan=plan,
        now=NOV1,
        days_ahead=3,
        assignees=[guard_a2],
        grace_minutes=15,
        title="夜间巡查",
    )
    tasks = list(plan.tasks.all())
    assert len(tasks) == 3
    for task in tasks:
        assert list(task.assignees.all()) == [guard_a2]
        assert task.late_after == task.due_at + dt.timedelta(minutes=15)
        assert task.title == "夜间巡查"


def test_deactivate_removes_future_tasks_and_activate_regenerates(center_a):
    plan = make_plan(center_a, days_ahead=5)
    services.duty_plan_deactivate(actor=None, plan=plan, now=local(2026, 11, 3))
    assert plan.tasks.count() == 2  # 1 and 2 November stay (missed unless done)
    services.duty_plan_activate(actor=None, plan=plan, now=local(2026, 11, 3), days_ahead=5)
    assert plan.tasks.count() == 7


# --- completion ---------------------------------------------------------------------------------


@pytest.fixture
def fire_task(center_a, security_a):
    plan = make_plan(center_a, manager=security_a, checklist=FIRE_CHECKLIST, days_ahead=1)
    return plan.tasks.get()


def complete(task, user, answers=None, photos="default", **kwargs):
    if photos == "default":
        photos = {"photo": [image_upload()]}
    kwargs.setdefault("now", task.due_at + dt.timedelta(minutes=10))
    return services.duty_task_complete(
        actor=user,
        task=task,
        answers=GOOD_ANSWERS if answers is None else answers,
        photos=photos,
        **kwargs,
    )


def test_complete_records_answers_and_photo(fire_task, guard_a, media):
    record = complete(fire_task, guard_a, notes="一切正常", signature="保安甲")
    fire_task.refresh_from_db()
    assert (
        fire_task.status == DutyTask.Status.DONE and fire_task.completed_at == record.completed_at
    )
    assert record.on_time and record.failed_items == []
    assert record.answers == {"exits": True, "temp": 3.5, "remark": "正常", "photo": 1}
    photo = DutyPhoto.objects.get(record=record)
    assert photo.item_key == "photo" and photo.original_name == "现场.png"
    assert photo.image.name.startswith("duties/") and photo.image.name.endswith(".png")
    assert Path(media, photo.image.name).read_bytes() == image_bytes()


@pytest.mark.parametrize(
    ("answers", "photos", "field", "message"),
    [
        ({"temp": "3", "remark": ""}, "default", "item_exits", "请填写“疏散通道畅通”"),
        ({"exits": "maybe", "temp": "3"}, "default", "item_exits", "请选择“是”或“否”"),
        ({"exits": "yes", "temp": "abc"}, "default", "item_temp", "请输入数字"),
        ({"exits": "yes", "temp": "9"}, "default", "item_temp", "数值 9 ℃ 超出范围（0–5 ℃）"),
        ({"exits": "yes", "temp": "3", "remark": "长" * 501}, "default", "item_remark", "500"),
        (GOOD_ANSWERS, {}, "item_photo", "须上传照片"),
        ({**GOOD_ANSWERS, "ghost": "yes"}, "default", "__all__", "未知的检查项"),
    ],
)
def test_checklist_validation_errors(fire_task, guard_a, media, answers, photos, field, message):
    with pytest.raises(ValidationError) as info:
        complete(fire_task, guard_a, answers=answers, photos=photos)
    assert message in " ".join(info.value.message_dict[field])
    fire_task.refresh_from_db()
    assert fire_task.status == DutyTask.Status.OPEN
    assert not DutyRecord.objects.exists() and not DutyPhoto.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.jpg", b"not an image at all", "image/jpeg"), "不是有效的图片文件"),
        (SimpleUploadedFile("a.gif", image_bytes("GIF"), "image/gif"), "不支持 GIF 格式"),
        (SimpleUploadedFile("a.png", b"", "image/png"), "空文件"),
    ],
)
def test_bad_photos_are_refused_in_chinese(fire_task, guard_a, media, upload, message):
    with pytest.raises(ValidationError) as info:
        complete(fire_task, guard_a, photos={"photo": [upload]})
    assert message in " ".join(info.value.message_dict["item_photo"])


def test_too_large_photo_is_refused(fire_task, guard_a, media, settings):
    upload = image_upload()
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as info:
        complete(fire_task, guard_a, photos={"photo": [upload]})
    assert "过大（6.0 MB），上限为 5.0 MB" in messages_of(info)


def test_number_out_of_limits_with_explanation_is_a_failed_item(
    fire_task, guard_a, security_a, media
):
    called = []
    followups.register_followup_handler(
        lambda record, items: called.append((record, items)), key="test.spy"
    )
    try:
        record = complete(
            fire_task,
            guard_a,
            answers={"exits": "no", "temp": "9", "remark": ""},
            notes="冷柜门未关严，已处理",
        )
    finally:
        followups.unregister_followup_handler("test.spy")
    assert [i["key"] for i in record.failed_items] == ["exits", "temp"]
    assert record.failed_items[1]["reason"] == "数值 9 ℃ 超出范围（0–5 ℃）"
    assert called == [(record, record.failed_items)]
    # The default handler told the plan's manager.
    note = Notification.objects.get(recipient=security_a, kind="duty.followup")
    assert "防火巡查" in note.title and "疏散通道畅通" in note.body
    assert note.url == f"/duties/records/{record.pk}/"


def test_no_followup_without_failed_items(fire_task, guard_a, media):
    called = []
    followups.register_followup_handler(lambda r, i: called.append(r), key="test.spy")
    try:
        complete(fire_task, guard_a)
    finally:
        followups.unregister_followup_handler("test.spy")
    assert called == [] and not Notification.objects.filter(kind="duty.followup").exists()


def test_non_assignee_is_refused(fire_task, staff_x, guard_b, admin_a, media):
    for user in (staff_x, guard_b, admin_a):
        with pytest.raises(PermissionDenied):
            complete(fire_task, user)
    assert not DutyRecord.objects.exists()


def test_named_assignee_and_manager_may_complete(center_a, staff_x, security_a, media):
    plan = make_plan(
        center_a, assignee_role="", assignees=[staff_x], manager=security_a, days_ahead=2
    )
    first, second = plan.tasks.order_by("due_at")
    assert complete(first, staff_x, answers={}, photos=None).completed_by == staff_x
    assert complete(second, security_a, answers={}, photos=None).completed_by == security_a


def test_vendor_task_is_recorded_by_the_manager(center_a, security_a, guard_a, media):
    plan = make_plan(
        center_a,
        assignee_role="",
        vendor_name="XX有害生物防治公司",
        manager=security_a,
        days_ahead=1,
    )
    task = plan.tasks.get()
    with pytest.raises(PermissionDenied):
        complete(task, guard_a, answers={}, photos=None)
    assert complete(task, security_a, answers={}, photos=None).on_time


def test_double_completion_is_refused(fire_task, guard_a, guard_a2, media):
    complete(fire_task, guard_a)
    with pytest.raises(ValidationError) as info:
        complete(fire_task, guard_a2)
    assert "不能重复提交" in messages_of(info)
    assert DutyRecord.objects.count() == 1


def test_late_completion_is_not_on_time(fire_task, guard_a, media):
    record = complete(fire_task, guard_a, now=fire_task.late_after + dt.timedelta(seconds=1))
    assert not record.on_time
    fire_task.refresh_from_db()
    assert fire_task.status == DutyTask.Status.DONE


def test_cannot_complete_before_the_due_day(fire_task, guard_a, media):
    with pytest.raises(ValidationError) as info:
        complete(fire_task, guard_a, now=local(2026, 10, 31, 23, 59))
    assert "尚未到执行日期" in messages_of(info)
    assert complete(fire_task, guard_a, now=local(2026, 11, 1, 0, 1)).on_time


def test_cancel(fire_task, guard_a, security_a, admin_b, media):
    with pytest.raises(PermissionDenied):
        services.duty_task_cancel(actor=admin_b, task=fire_task)
    services.duty_task_cancel(actor=security_a, task=fire_task, reason="停电检修")
    fire_task.refresh_from_db()
    assert fire_task.status == DutyTask.Status.CANCELLED and fire_task.cancel_reason == "停电检修"
    with pytest.raises(ValidationError):
        complete(fire_task, guard_a)
    with pytest.raises(ValidationError):
        services.duty_task_cancel(actor=security_a, task=fire_task)


# --- ad-hoc tasks ---------------------------------------------------------------------------------


def test_adhoc_task_from_another_module(center_a, admin_a, guard_a, staff_x, media):
    task = services.duty_task_create_adhoc(
        actor=admin_a,
        center=center_a,
        title="会前消毒：301 会议室",
        due_at=local(2026, 11, 5, 13, 45),
        assignees=[staff_x],
        target=staff_x.person,
        category=DutyPlan.Category.DISINFECTION,
        checklist=[{"key": "done", "label": "桌面、门把手已消毒", "type": "bool"}],
        location_text="301 会议室",
    )
    assert task.plan is None and task.late_after == task.due_at
    assert task.target == staff_x.person and list(task.assignees.all()) == [staff_x]
    record = services.duty_task_complete(
        actor=admin_a, task=task, answers={"done": True}, now=local(2026, 11, 5, 13, 40)
    )
    assert record.on_time  # the creator answers for an ad-hoc task


def test_adhoc_validation(center_a, guard_b):
    with pytest.raises(ValidationError) as info:
        services.duty_task_create_adhoc(
            actor=None, center=center_a, title="", due_at=None, assignees=[guard_b]
        )
    assert set(info.value.message_dict) >= {"title", "due_at", "assignees"}
    with pytest.raises(ValidationError) as info:
        services.duty_task_create_adhoc(
            actor=None, center=center_a, title="消毒", due_at=local(2026, 11, 5, 14)
        )
    assert "请指定执行角色或执行人" in messages_of(info)


# --- reminders ----------------------------------------------------------------------------


def test_reminders_are_sent_once(center_a, guard_a, guard_a2, security_a, staff_x):
    plan = make_plan(center_a, manager=security_a, days_ahead=1)
    task = plan.tasks.get()  # 1 Nov 09:00, late after 10:00
    assert duty_reminders_send(now=local(2026, 11, 1, 8, 0)) == {"due": 0, "overdue": 0}
    assert duty_reminders_send(now=local(2026, 11, 1, 8, 35)) == {"due": 1, "overdue": 0}
    assert duty_reminders_send(now=local(2026, 11, 1, 8, 45)) == {"due": 0, "overdue": 0}
    due = Notification.objects.filter(kind="duty.due")
    assert {n.recipient for n in due} == {guard_a, guard_a2}
    assert "09:00" in due.first().title
    assert duty_reminders_send(now=local(2026, 11, 1, 10, 0)) == {"due": 0, "overdue": 1}
    assert duty_reminders_send(now=local(2026, 11, 1, 11, 0)) == {"due": 0, "overdue": 0}
    overdue = Notification.objects.filter(kind="duty.overdue")
    assert {n.recipient for n in overdue} == {guard_a, guard_a2, security_a}
    task.refresh_from_db()
    assert task.reminded_at == local(2026, 11, 1, 8, 35)
    assert task.overdue_notified_at == local(2026, 11, 1, 10, 0)


def test_completed_tasks_get_no_reminders(fire_task, guard_a, media):
    complete(fire_task, guard_a, now=local(2026, 11, 1, 8, 50))
    assert duty_reminders_send(now=local(2026, 11, 1, 12)) == {"due": 0, "overdue": 0}


def test_photos_are_removed_when_the_completion_rolls_back(fire_task, guard_a, media):
    def broken(record, items):
        raise RuntimeError("work order system down")

    followups.register_followup_handler(broken, key="test.broken")
    try:
        with pytest.raises(RuntimeError):
            complete(fire_task, guard_a, answers={"exits": "no", "temp": "3"})
    finally:
        followups.unregister_followup_handler("test.broken")
    assert not DutyRecord.objects.exists()
    assert not [p for p in Path(media).rglob("*") if p.is_file()]


# --- demo, commands, background jobs -----------------------------------------------------


def test_demo_seed_is_idempotent(center_a, security_a):
    from houqin.core.duties import demo
    from houqin.core.duties.recurrence import frequency_label

    created = demo.seed(center_a, now=NOV1)
    assert len(created) == 6
    counts = (DutyPlan.objects.count(), DutyTask.objects.count())
    assert counts[1] > 0
    assert demo.seed(center_a, now=NOV1) == []
    assert (DutyPlan.objects.count(), DutyTask.objects.count()) == counts
    plans = {p.title: p for p in DutyPlan.objects.all()}
    assert plans["防火巡查"].manager == security_a
    assert frequency_label(plans["除四害"].rrule) == "每年 5 次"
    assert plans["除四害"].vendor_name
    assert frequency_label(plans["消防设施检查"].rrule) == "每季度"
    assert frequency_label(plans["行政中心公共区域消杀"].rrule) == "每日 2 次"
    # The canteen owns its food-safety plans (houqin.canteen.services.food_safety).
    assert not any(p.category == DutyPlan.Category.FOOD_SAFETY for p in plans.values())


def test_management_commands(center_a, capsys):
    from django.core.management import call_command
    from django.utils import timezone

    make_plan(center_a, now=timezone.now(), days_ahead=1)
    call_command("generate_duty_tasks", "--days-ahead", "3")
    assert "已生成" in capsys.readouterr().out
    call_command("generate_duty_tasks", "--days-ahead", "3")
    assert "已生成 0 项任务" in capsys.readouterr().out
    call_command("send_duty_reminders")
    assert "到期提醒" in capsys.readouterr().out


def test_celery_tasks_are_registered_under_the_beat_names(center_a, settings):
    from django.utils import timezone

    from config.celery import app
    from houqin.core.duties import tasks

    app.loader.import_default_modules()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"duties.generate_tasks", "duties.send_reminders"} <= beat
    assert {"duties.generate_tasks", "duties.send_reminders"} <= set(app.tasks)
    make_plan(center_a, now=timezone.now(), days_ahead=1)
    assert tasks.generate_tasks.delay(days_ahead=2).get() >= 1
    assert tasks.send_reminders.delay().get().keys() == {"due", "overdue"}


def test_changes_are_audited_with_the_center(center_a, guard_a, media):
    from houqin.core.models import AuditLogEntry

    plan = make_plan(center_a, days_ahead=1)
    services.duty_task_complete(
        actor=guard_a, task=plan.tasks.get(), answers={}, now=local(2026, 11, 1, 9, 5)
    )
    models = set(
        AuditLogEntry.objects.filter(center=center_a).values_list("content_type__model", flat=True)
    )
    assert {"dutyplan", "dutyrecord", "dutytask"} <= models
