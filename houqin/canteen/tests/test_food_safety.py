"""Food-safety records through the services: the legal rules, and the duty tasks they complete."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.canteen import food_selectors as fs
from houqin.canteen.models import (
    CanteenWorker,
    FoodSafetyPlan,
    Menu,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from houqin.canteen.services import food_safety as svc
from houqin.core.duties.checklist import clean_checklist
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.services import duty_plan_create, duty_task_complete
from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

from .conftest import DAY
from .factories import make_dish, make_menu, make_slots

pytestmark = pytest.mark.django_db

Kind = FoodSafetyPlan.Kind


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


MIDNIGHT = at(0)


@pytest.fixture
def plans(center_a, slots, canteen_manager):
    return svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=MIDNIGHT)


@pytest.fixture
def cook(center_a, canteen_manager):
    return svc.canteen_worker_create(
        actor=canteen_manager,
        center=center_a,
        name="王师傅",
        post="厨师",
        employer="某餐饮管理有限公司",
        health_cert_no="JK2026001",
        health_cert_expires=DAY + dt.timedelta(days=200),
    )


@pytest.fixture
def helper(center_a, canteen_manager):
    return svc.canteen_worker_create(
        actor=canteen_manager,
        center=center_a,
        name="李阿姨",
        post="切配",
        health_cert_no="JK2026002",
        health_cert_expires=DAY + dt.timedelta(days=100),
    )


def task_of(center, kind, hour, day=DAY):
    link = FoodSafetyPlan.objects.get(center=center, kind=kind)
    return DutyTask.objects.get(plan_id=link.plan_id, due_at=at(hour, day=day))


def healthy(worker, **extra):
    return {"worker": worker, "temperature": "36.5", **extra}


PURCHASE = {
    "purchased_on": DAY,
    "item_name": "大米",
    "spec": "25kg/袋",
    "quantity": Decimal("10"),
    "unit": "袋",
    "production_date": dt.date(2026, 10, 1),
    "batch_no": "B20261001",
    "expires_on": dt.date(2027, 10, 1),
    "supplier_name": "某粮油有限公司",
    "supplier_address": "甲区工业路 8 号",
    "supplier_contact": "0571-88880000",
    "certificate_no": "HG-001",
    "result": PurchaseInspection.Result.ACCEPTED,
    "note": "",
}


# ----------------------------------------------------------------------------- plans


def test_plans_ensure_creates_the_four_plans_with_tasks(center_a, plans, canteen_manager):
    assert sorted(p.kind for p in plans) == sorted(Kind.values)
    for link in FoodSafetyPlan.objects.filter(center=center_a).select_related("plan"):
        plan = link.plan
        assert plan.category == DutyPlan.Category.FOOD_SAFETY
        assert plan.assignee_role == Role.CANTEEN_MANAGER
        assert plan.manager == canteen_manager
        assert plan.workdays_only
        assert clean_checklist(plan.checklist) == plan.checklist

    def hours(kind):
        link = FoodSafetyPlan.objects.get(center=center_a, kind=kind)
        start, end = at(0), at(0, day=DAY + dt.timedelta(days=1))
        return [
            timezone.localtime(t.due_at).strftime("%H:%M")
            for t in DutyTask.objects.filter(
                plan_id=link.plan_id, due_at__gte=start, due_at__lt=end
            ).order_by("due_at")
        ]

    # Slots (factories): breakfast 07:00–08:30, lunch 11:30–13:00, dinner 17:30–19:00.
    assert hours(Kind.MORNING_CHECK) == ["07:00"]
    assert hours(Kind.SAMPLE) == ["09:00", "13:00", "19:00"]
    assert hours(Kind.TABLEWARE) == ["10:00", "14:00", "20:00"]
    assert hours(Kind.PURCHASE) == ["10:00"]


def test_plans_ensure_is_idempotent(center_a, plans, canteen_manager):
    counts = (DutyPlan.objects.count(), DutyTask.objects.count(), FoodSafetyPlan.objects.count())
    assert svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=MIDNIGHT) == []
    later = at(9, day=DAY + dt.timedelta(days=1))
    assert svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=later) == []
    assert (
        DutyPlan.objects.count(),
        DutyTask.objects.count(),
        FoodSafetyPlan.objects.count(),
    ) == counts


def test_plans_ensure_adds_only_the_missing_kind(center_a, plans, canteen_manager):
    link = FoodSafetyPlan.objects.get(center=center_a, kind=Kind.PURCHASE)
    plan = link.plan
    link.delete()
    plan.is_active = False
    plan.save()
    created = svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=MIDNIGHT)
    assert [c.kind for c in created] == [Kind.PURCHASE]
    assert FoodSafetyPlan.objects.filter(center=center_a).count() == 4


def test_plans_ensure_needs_an_active_meal(center_a, canteen_manager):
    with pytest.raises(ValidationError, match="餐次"):
        svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=MIDNIGHT)
    assert not DutyPlan.objects.exists()
    assert not FoodSafetyPlan.objects.exists()


def test_plans_ensure_title_clash_is_explained_and_writes_nothing(center_a, slots, canteen_manager):
    duty_plan_create(
        actor=canteen_manager,
        center=center_a,
        now=MIDNIGHT,
        title="食堂食品留样",
        assignee_role=Role.CANTEEN_MANAGER,
        rrule="FREQ=DAILY;BYHOUR=13;BYMINUTE=0",
        dtstart=MIDNIGHT,
    )
    with pytest.raises(ValidationError, match="已有名为“食堂食品留样”"):
        svc.food_safety_plans_ensure(actor=canteen_manager, center=center_a, now=MIDNIGHT)
    assert DutyPlan.objects.count() == 1
    assert not FoodSafetyPlan.objects.exists()


def test_plans_ensure_needs_permission_and_same_center(center_a, agency_b, slots, staff_x):
    with pytest.raises(PermissionDenied):
        svc.food_safety_plans_ensure(actor=staff_x, center=center_a, now=MIDNIGHT)
    manager_b = make_user(
        PersonFactory(agency=agency_b, name="乙区食堂"),
        Role.CANTEEN_MANAGER,
        username="canteen_b",
    )
    with pytest.raises(PermissionDenied):
        svc.food_safety_plans_ensure(actor=manager_b, center=center_a, now=MIDNIGHT)
    assert not DutyPlan.objects.exists()


# ----------------------------------------------------------------------------- workers


def test_worker_rules(center_a, canteen_manager, cook):
    with pytest.raises(ValidationError) as exc:
        svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="王师傅")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        svc.canteen_worker_create(
            actor=canteen_manager, center=center_a, name="赵", health_cert_expires=DAY
        )
    assert "health_cert_no" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="  ")
    assert exc.value.message_dict["name"] == ["请填写姓名。"]
    assert CanteenWorker.objects.count() == 1

    svc.canteen_worker_update(actor=canteen_manager, worker=cook, post="面点")
    cook.refresh_from_db()
    assert cook.post == "面点" and cook.health_cert_no == "JK2026001"
    svc.canteen_worker_deactivate(actor=canteen_manager, worker=cook)
    cook.refresh_from_db()
    assert not cook.is_active
    # The name is free again once the worker left.
    svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="王师傅")


def test_worker_writes_need_permission(center_a, staff_x, cook):
    with pytest.raises(PermissionDenied):
        svc.canteen_worker_create(actor=staff_x, center=center_a, name="某人")
    with pytest.raises(PermissionDenied):
        svc.canteen_worker_update(actor=staff_x, worker=cook, name="某人")
    with pytest.raises(PermissionDenied):
        svc.canteen_worker_deactivate(actor=staff_x, worker=cook)


# ----------------------------------------------------------------------------- morning check


def test_healthy_worker_is_fit(center_a, canteen_manager, cook):
    recorded = svc.morning_check_record(
        actor=canteen_manager, center=center_a, date=DAY, entries=[healthy(cook)], now=at(7, 10)
    )
    check = recorded.row
    assert check.fit_for_duty and check.temperature == Decimal("36.5")
    assert check.checked_by == canteen_manager
    assert recorded.duty_record is None  # no plans yet: nothing to complete


@pytest.mark.parametrize("symptom", ["fever", "diarrhoea", "sore_throat", "skin_wound"])
def test_any_symptom_means_not_fit(center_a, canteen_manager, cook, symptom):
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, **{symptom: True}, note="调岗至仓库")],
        now=at(7, 10),
    )
    check = recorded.row
    assert not check.fit_for_duty
    assert getattr(check, symptom)
    assert check.note == "调岗至仓库"


def test_temperature_from_37_3_is_fever(center_a, canteen_manager, cook, helper):
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, temperature="37.3"), healthy(helper, temperature="37.2")],
        now=at(7, 10),
    )
    hot, fine = recorded.rows
    assert not hot.fit_for_duty and hot.fever
    assert fine.fit_for_duty and not fine.fever
    assert "发热 37.3℃" in svc.unfit_reasons(hot)


def test_certificate_must_be_valid_that_day(center_a, canteen_manager, cook, helper):
    svc.canteen_worker_update(
        actor=canteen_manager, worker=cook, health_cert_expires=DAY - dt.timedelta(days=1)
    )
    svc.canteen_worker_update(actor=canteen_manager, worker=helper, health_cert_expires=DAY)
    nobody = svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="新员工")
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook), healthy(helper), healthy(nobody)],
        now=at(7, 10),
    )
    expired, last_day, missing = recorded.rows
    assert not expired.fit_for_duty
    assert svc.unfit_reasons(expired) == ["健康证已于 2026-11-24 过期"]
    assert last_day.fit_for_duty  # valid through its expiry day
    assert not missing.fit_for_duty
    assert svc.unfit_reasons(missing) == ["未登记健康证"]


def test_recording_again_the_same_day_updates(center_a, canteen_manager, cook):
    svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, diarrhoea=True)],
        now=at(7, 10),
    )
    svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, temperature="36.8", note="复查正常")],
        now=at(7, 40),
    )
    check = MorningCheck.objects.get()
    assert check.fit_for_duty and not check.diarrhoea
    assert check.temperature == Decimal("36.8") and check.note == "复查正常"
    svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY + dt.timedelta(days=1),
        entries=[healthy(cook)],
        now=at(7, 10, day=DAY + dt.timedelta(days=1)),
    )
    assert MorningCheck.objects.count() == 2


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        ({"temperature": ""}, "temperature", "请填写 王师傅 的体温"),
        ({"temperature": "45"}, "temperature", "34.0–43.0"),
        ({"temperature": "36.55"}, "temperature", "一位小数"),
        ({"note": "很长" * 101}, "note", "不能超过 200"),
    ],
)
def test_bad_entries_refused_and_nothing_written(
    center_a, canteen_manager, cook, helper, entry, key, message
):
    with pytest.raises(ValidationError) as exc:
        svc.morning_check_record(
            actor=canteen_manager,
            center=center_a,
            date=DAY,
            entries=[healthy(helper), {**healthy(cook), **entry}],
            now=at(7, 10),
        )
    errors = exc.value.message_dict[svc.entry_field(key, cook.pk)]
    assert message in errors[0]
    assert not MorningCheck.objects.exists()


def test_check_refuses_future_day_left_worker_and_other_center(
    center_a, center_b, canteen_manager, cook, helper
):
    tomorrow = DAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        svc.morning_check_record(
            actor=canteen_manager,
            center=center_a,
            date=tomorrow,
            entries=[healthy(cook)],
            now=at(7),
        )
    assert "date" in exc.value.message_dict
    svc.canteen_worker_deactivate(actor=canteen_manager, worker=helper)
    with pytest.raises(ValidationError, match="已离岗"):
        svc.morning_check_record(
            actor=canteen_manager, center=center_a, date=DAY, entries=[healthy(helper)], now=at(7)
        )
    other = CanteenWorker.objects.create(center=center_b, name="乙区厨师")
    with pytest.raises(ValidationError, match="不属于本中心"):
        svc.morning_check_record(
            actor=canteen_manager, center=center_a, date=DAY, entries=[healthy(other)], now=at(7)
        )
    with pytest.raises(ValidationError, match="至少登记一名"):
        svc.morning_check_record(
            actor=canteen_manager, center=center_a, date=DAY, entries=[], now=at(7)
        )
    assert not MorningCheck.objects.exists()


def test_check_completes_the_days_task_on_time(center_a, plans, canteen_manager, cook, helper):
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook), healthy(helper)],
        now=at(7, 30),
    )
    task = task_of(center_a, Kind.MORNING_CHECK, 7)
    assert task.status == DutyTask.Status.DONE
    record = recorded.duty_record
    assert record.task == task and record.on_time
    assert record.answers == {"workers": 2, "unfit": 0, "all_checked": True}
    assert record.failed_items == []
    assert record.completed_by == canteen_manager
    # Correcting a check later the same day does not complete anything twice.
    again = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, temperature="36.9")],
        now=at(8),
    )
    assert again.duty_record is None
    assert DutyRecord.objects.count() == 1


def test_check_late_and_with_unfit_worker_is_recorded_as_finding(
    center_a, plans, canteen_manager, cook, helper
):
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook, sore_throat=True, note="安排休息")],
        now=at(10),  # the task was due 07:00, late from 09:00
    )
    record = recorded.duty_record
    assert not record.on_time
    assert record.answers == {"workers": 1, "unfit": 1, "all_checked": False}
    assert {i["key"] for i in record.failed_items} == {"unfit", "all_checked"}
    assert "王师傅（咽部炎症），安排休息" in record.notes


def test_check_for_an_earlier_day_completes_that_days_task(center_a, plans, canteen_manager, cook):
    next_day = DAY + dt.timedelta(days=1)
    recorded = svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        entries=[healthy(cook)],
        now=at(8, day=next_day),
    )
    assert recorded.duty_record.task == task_of(center_a, Kind.MORNING_CHECK, 7)
    assert not recorded.duty_record.on_time
    assert task_of(center_a, Kind.MORNING_CHECK, 7, day=next_day).status == "open"


def test_check_needs_permission(center_a, staff_x, cook):
    with pytest.raises(PermissionDenied):
        svc.morning_check_record(
            actor=staff_x, center=center_a, date=DAY, entries=[healthy(cook)], now=at(7)
        )


# ----------------------------------------------------------------------------- samples


def sample_entries(menu, weight=150, kept_by="王芳"):
    return [
        {"dish": item.dish, "weight_grams": weight, "kept_by": kept_by, "fridge": "1号留样柜"}
        for item in menu.items.all()
    ]


def test_sample_under_125_grams_refused(lunch, canteen_manager):
    entries = sample_entries(lunch)
    entries[1]["weight_grams"] = 124
    with pytest.raises(ValidationError) as exc:
        svc.sample_record(actor=canteen_manager, menu=lunch, entries=entries, now=at(11))
    key = svc.entry_field("weight_grams", entries[1]["dish"].pk)
    assert "不少于 125 克" in exc.value.message_dict[key][0]
    assert not SampleRetention.objects.exists()


def test_sample_kept_48_hours_and_completes_the_meals_task(lunch, plans, canteen_manager):
    recorded = svc.sample_record(
        actor=canteen_manager, menu=lunch, entries=sample_entries(lunch), now=at(12)
    )
    assert len(recorded.rows) == 2
    for sample in recorded.rows:
        assert sample.kept_at == at(12)
        assert sample.discard_after == at(12) + dt.timedelta(hours=48)
        assert sample.recorded_by == canteen_manager
    record = recorded.duty_record
    assert record.task == task_of(lunch.center, Kind.SAMPLE, 13)  # lunch's, not breakfast's
    assert record.on_time
    assert record.answers == {"dishes": 2, "min_weight": 150, "sealed": True, "kept_by": "王芳"}
    assert task_of(lunch.center, Kind.SAMPLE, 9).status == "open"


def test_sample_recorded_late_is_late(lunch, plans, canteen_manager):
    recorded = svc.sample_record(
        actor=canteen_manager, menu=lunch, entries=sample_entries(lunch), now=at(15)
    )
    assert not recorded.duty_record.on_time


def test_sample_task_completed_only_when_every_dish_is_kept(lunch, plans, canteen_manager):
    first, second = sample_entries(lunch)
    recorded = svc.sample_record(actor=canteen_manager, menu=lunch, entries=[first], now=at(12))
    assert recorded.duty_record is None
    assert task_of(lunch.center, Kind.SAMPLE, 13).status == "open"
    with pytest.raises(ValidationError, match="本餐次已留样"):
        svc.sample_record(actor=canteen_manager, menu=lunch, entries=[first], now=at(12))
    second["kept_by"] = "李娜"
    recorded = svc.sample_record(actor=canteen_manager, menu=lunch, entries=[second], now=at(12, 5))
    assert recorded.duty_record.answers["kept_by"] == "王芳、李娜"
    assert task_of(lunch.center, Kind.SAMPLE, 13).status == "done"


def test_sample_refusals(center_a, lunch, dishes, canteen_manager):
    stranger = make_dish(center_a, "不在菜单的菜")
    with pytest.raises(ValidationError, match="不在该餐次的菜单上"):
        svc.sample_record(
            actor=canteen_manager,
            menu=lunch,
            entries=[{"dish": stranger, "weight_grams": 200, "kept_by": "王芳"}],
            now=at(12),
        )
    with pytest.raises(ValidationError) as exc:
        svc.sample_record(
            actor=canteen_manager,
            menu=lunch,
            entries=[{"dish": dishes[0], "weight_grams": 200, "kept_by": ""}],
            now=at(12),
        )
    assert svc.entry_field("kept_by", dishes[0].pk) in exc.value.message_dict
    future = make_menu(center_a, DAY + dt.timedelta(days=1), "lunch", dishes)
    with pytest.raises(ValidationError, match="尚未供餐"):
        svc.sample_record(
            actor=canteen_manager, menu=future, entries=sample_entries(future), now=at(12)
        )
    Menu.objects.filter(pk=lunch.pk).update(status=Menu.Status.CANCELLED)
    with pytest.raises(ValidationError, match="停供"):
        svc.sample_record(
            actor=canteen_manager, menu=lunch, entries=sample_entries(lunch), now=at(12)
        )
    assert not SampleRetention.objects.exists()


def test_sample_needs_permission(lunch, staff_x):
    with pytest.raises(PermissionDenied):
        svc.sample_record(actor=staff_x, menu=lunch, entries=sample_entries(lunch), now=at(12))


def test_discard_before_48_hours_refused(lunch, canteen_manager):
    sample = svc.sample_record(
        actor=canteen_manager, menu=lunch, entries=sample_entries(lunch), now=at(12)
    ).row
    too_early = at(11, 59, day=DAY + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="2026-11-27 12:00 后方可销毁"):
        svc.sample_discard(actor=canteen_manager, sample=sample, now=too_early)
    sample.refresh_from_db()
    assert sample.discarded_at is None
    done = svc.sample_discard(
        actor=canteen_manager, sample=sample, now=at(12, day=DAY + dt.timedelta(days=2))
    )
    assert done.discarded_at == at(12, day=DAY + dt.timedelta(days=2))
    assert done.discarded_by == canteen_manager
    with pytest.raises(ValidationError, match="已于"):
        svc.sample_discard(
            actor=canteen_manager, sample=sample, now=at(13, day=DAY + dt.timedelta(days=2))
        )


# ----------------------------------------------------------------------------- purchases


@pytest.mark.parametrize(
    ("purchased", "expires", "keep"),
    [
        (dt.date(2026, 11, 25), None, dt.date(2028, 11, 25)),  # no shelf life: 2 years
        (dt.date(2026, 11, 25), dt.date(2027, 10, 1), dt.date(2028, 11, 25)),  # 2 years longer
        (dt.date(2026, 11, 25), dt.date(2028, 8, 31), dt.date(2029, 2, 28)),  # +6 months, clamped
        (dt.date(2028, 2, 29), None, dt.date(2030, 2, 28)),  # leap day
    ],
)
def test_keep_until(purchased, expires, keep):
    assert svc.keep_until_for(purchased, expires) == keep


def test_purchase_recorded_with_keep_until_and_completes_task(center_a, plans, canteen_manager):
    recorded = svc.purchase_inspection_record(
        actor=canteen_manager, center=center_a, now=at(9, 30), **PURCHASE
    )
    inspection = recorded.row
    assert inspection.keep_until == dt.date(2028, 11, 25)
    assert inspection.inspected_by == canteen_manager
    record = recorded.duty_record
    assert record.task == task_of(center_a, Kind.PURCHASE, 10)
    assert record.on_time
    assert record.answers == {"batches": 1, "rejected": 0, "complete": True}
    # A second delivery the same day is recorded; the day's task is already done.
    again = svc.purchase_inspection_record(
        actor=canteen_manager,
        center=center_a,
        now=at(20),
        **{**PURCHASE, "item_name": "面粉", "expires_on": None},
    )
    assert again.duty_record is None
    assert again.row.keep_until == dt.date(2028, 11, 25)


def test_purchase_late_and_for_a_day_without_task(center_a, plans, canteen_manager):
    record = svc.purchase_inspection_record(
        actor=canteen_manager, center=center_a, now=at(19), **PURCHASE
    ).duty_record
    assert not record.on_time  # due 10:00, late from 18:00
    yesterday = DAY - dt.timedelta(days=1)  # before the plans existed
    recorded = svc.purchase_inspection_record(
        actor=canteen_manager,
        center=center_a,
        now=at(19),
        **{**PURCHASE, "purchased_on": yesterday},
    )
    assert recorded.duty_record is None and recorded.row.pk


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"item_name": ""}, "item_name", "请填写食品名称"),
        ({"supplier_name": ""}, "supplier_name", "请填写供货者名称"),
        ({"supplier_address": " "}, "supplier_address", "请填写供货者地址"),
        ({"supplier_contact": ""}, "supplier_contact", "请填写联系方式"),
        ({"unit": ""}, "unit", "请填写单位"),
        ({"quantity": Decimal("0")}, "quantity", "大于 0"),
        ({"quantity": "abc"}, "quantity", "有效的数量"),
        ({"production_date": None, "batch_no": ""}, "production_date", "至少一项"),
        ({"production_date": dt.date(2026, 11, 26)}, "production_date", "不能晚于进货日期"),
        ({"expires_on": dt.date(2026, 9, 1)}, "expires_on", "不能早于生产日期"),
        ({"purchased_on": dt.date(2026, 11, 26)}, "purchased_on", "不能晚于今天"),
        ({"purchased_on": None}, "purchased_on", "请填写进货日期"),
        ({"result": ""}, "result", "请选择查验结果"),
        (
            {"production_date": dt.date(2026, 1, 1), "expires_on": dt.date(2026, 11, 24)},
            "result",
            "已超过保质期",
        ),
    ],
)
def test_purchase_refusals(center_a, canteen_manager, changes, key, message):
    with pytest.raises(ValidationError) as exc:
        svc.purchase_inspection_record(
            actor=canteen_manager, center=center_a, now=at(9), **{**PURCHASE, **changes}
        )
    assert message in "".join(exc.value.message_dict[key])
    assert not PurchaseInspection.objects.exists()


def test_expired_goods_may_be_rejected(center_a, canteen_manager):
    recorded = svc.purchase_inspection_record(
        actor=canteen_manager,
        center=center_a,
        now=at(9),
        **{
            **PURCHASE,
            "production_date": dt.date(2026, 1, 1),
            "expires_on": dt.date(2026, 11, 24),
            "result": PurchaseInspection.Result.REJECTED,
        },
    )
    assert recorded.row.keep_until == dt.date(2028, 11, 25)


def test_purchase_needs_permission(center_a, staff_x):
    with pytest.raises(PermissionDenied):
        svc.purchase_inspection_record(actor=staff_x, center=center_a, now=at(9), **PURCHASE)


# ----------------------------------------------------------------------------- tableware


def test_tableware_checklist_is_completed_in_the_duties_pages(center_a, plans, canteen_manager):
    task = task_of(center_a, Kind.TABLEWARE, 14)
    record = duty_task_complete(
        actor=canteen_manager,
        task=task,
        answers={"method": "热力", "temperature": "100", "minutes": "15", "stored": "是"},
        now=at(14, 10),
    )
    assert record.on_time and record.failed_items == []
    chemical = task_of(center_a, Kind.TABLEWARE, 20)
    with pytest.raises(ValidationError):  # 200 mg/L is below the limit: needs an explanation
        duty_task_complete(
            actor=canteen_manager,
            task=chemical,
            answers={"method": "化学", "concentration": "200", "minutes": "5", "stored": "是"},
            now=at(20, 10),
        )


# ----------------------------------------------------------------------------- selectors


def test_today_status(center_a, plans, canteen_manager, cook):
    def states(now):
        return {s.kind: s.state for s in fs.today_status(center_a.pk, now=now)}

    assert states(at(6)) == {
        "morning_check": "upcoming",
        "sample": "upcoming",
        "purchase": "upcoming",
        "tableware": "upcoming",
    }
    assert states(at(8))["morning_check"] == "open"
    assert states(at(9, 30))["morning_check"] == "overdue"
    svc.morning_check_record(
        actor=canteen_manager, center=center_a, date=DAY, entries=[healthy(cook)], now=at(9, 40)
    )
    status = {s.kind: s for s in fs.today_status(center_a.pk, now=at(9, 45))}
    assert status["morning_check"].state == "late"
    assert status["sample"].state == "open"  # breakfast's sample due 09:00, late 10:30
    assert status["sample"].done_count == 0


def test_today_status_without_plans(center_a):
    status = fs.today_status(center_a.pk, now=at(8))
    assert [s.state for s in status] == ["missing"] * 4
    assert fs.plans_missing(center_a.pk)


def test_certificate_warnings(center_a, canteen_manager, cook, helper):
    soon = svc.canteen_worker_create(
        actor=canteen_manager,
        center=center_a,
        name="陈",
        health_cert_no="JK3",
        health_cert_expires=DAY + dt.timedelta(days=29),
    )
    old = svc.canteen_worker_create(
        actor=canteen_manager,
        center=center_a,
        name="刘",
        health_cert_no="JK4",
        health_cert_expires=DAY - dt.timedelta(days=3),
    )
    none = svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="周")
    gone = svc.canteen_worker_create(actor=canteen_manager, center=center_a, name="吴")
    svc.canteen_worker_deactivate(actor=canteen_manager, worker=gone)
    assert list(fs.certificates_expiring(center_a.pk, DAY)) == [none, old, soon]


def test_samples_to_discard_and_old_inspections(center_a, lunch, canteen_manager):
    svc.sample_record(actor=canteen_manager, menu=lunch, entries=sample_entries(lunch), now=at(12))
    assert not fs.samples_to_discard(center_a.pk, at(12, day=DAY + dt.timedelta(days=1)))
    due = fs.samples_to_discard(center_a.pk, at(12, day=DAY + dt.timedelta(days=2)))
    assert len(due) == 2
    svc.purchase_inspection_record(actor=canteen_manager, center=center_a, now=at(9), **PURCHASE)
    assert not fs.inspections_past_keep_until(center_a.pk, dt.date(2028, 11, 25)).exists()
    assert fs.inspections_past_keep_until(center_a.pk, dt.date(2028, 11, 26)).count() == 1


def test_morning_check_rows(center_a, canteen_manager, cook, helper):
    svc.morning_check_record(
        actor=canteen_manager, center=center_a, date=DAY, entries=[healthy(cook)], now=at(7)
    )
    rows = {r.worker.name: r for r in fs.morning_check_rows(center_a.pk, DAY)}
    assert rows["王师傅"].check is not None and rows["李阿姨"].check is None
    assert rows["王师傅"].cert_valid


# ----------------------------------------------------------------------------- races (PostgreSQL)

THREADS = 8


@pytest.fixture
def race(transactional_db):
    """A center with a canteen manager, meals, a worker and a lunch menu, in committed rows."""
    restore_migrated_data()
    center = make_center("并发测试中心", code="FRACE")
    agency = make_unit(center, "并发测试局", code="FRX")
    manager = make_user(
        PersonFactory(agency=agency, name="食堂"), Role.CANTEEN_MANAGER, username="frm"
    )
    make_slots(center)
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "菜A"), make_dish(center, "菜B")])
    worker = svc.canteen_worker_create(
        actor=manager,
        center=center,
        name="王师傅",
        health_cert_no="JK1",
        health_cert_expires=DAY + dt.timedelta(days=90),
    )
    return center, manager, menu, worker


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_plans_ensured_at_once_are_made_once(race):
    center, manager, _menu, _worker = race
    results = run_at_once(
        [
            lambda: svc.food_safety_plans_ensure(actor=manager, center=center, now=MIDNIGHT)
            for _ in range(THREADS)
        ]
    )
    assert [e for _r, e in results if e is not None] == []
    assert sum(len(r) for r, _e in results) == 4
    assert FoodSafetyPlan.objects.filter(center=center).count() == 4
    assert DutyPlan.objects.filter(center=center).count() == 4


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_same_morning_check_recorded_at_once_keeps_one_row_and_one_record(race):
    center, manager, _menu, worker = race
    svc.food_safety_plans_ensure(actor=manager, center=center, now=MIDNIGHT)
    results = run_at_once(
        [
            lambda i=i: svc.morning_check_record(
                actor=manager,
                center=center,
                date=DAY,
                entries=[{"worker": worker.pk, "temperature": f"36.{i}"}],
                now=at(7, 30),
            )
            for i in range(THREADS)
        ]
    )
    assert [e for _r, e in results if e is not None] == []
    assert MorningCheck.objects.filter(worker=worker, date=DAY).count() == 1
    assert sum(1 for r, _e in results if r.duty_record is not None) == 1
    assert DutyRecord.objects.filter(center=center).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_samples_of_one_meal_recorded_at_once_are_kept_once(race):
    center, manager, menu, _worker = race
    svc.food_safety_plans_ensure(actor=manager, center=center, now=MIDNIGHT)
    results = run_at_once(
        [
            lambda: svc.sample_record(
                actor=manager, menu=menu, entries=sample_entries(menu), now=at(12)
            )
            for _ in range(THREADS)
        ]
    )
    won = [r for r, e in results if e is None]
    lost = [e for _r, e in results if e is not None]
    assert len(won) == 1, lost
    assert all(isinstance(e, ValidationError) and "已留样" in str(e) for e in lost), lost
    assert SampleRetention.objects.filter(menu=menu).count() == 2
    assert won[0].duty_record is not None
    assert DutyRecord.objects.filter(center=center).count() == 1
