# ruff: noqa: F811  (fixtures imported from fixtures_vendors are used as parameters)
"""Vendors services: vendors, contracts and staff (rules, Chinese messages, nothing written on
bad input), scoring sheets (≤ 100 points, frozen once used) and evaluations (hand-scored items
within their points, duty items scored from the duty engine, payment flag below the threshold
and the notification of finance), and the vendor managers' to-dos."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.core.notifications.models import Notification
from houqin.vendors.models import (
    Contract,
    EvaluationItem,
    EvaluationScore,
    Vendor,
    VendorEvaluation,
    VendorStaff,
)
from houqin.vendors.services.evaluations import (
    duty_rate,
    evaluation_record,
    item_add,
    item_delete,
    last_finished_period,
    period_bounds,
    sheet_save,
)
from houqin.vendors.services.vendors import contract_save, staff_leave, staff_save, vendor_save
from houqin.vendors.todos import vendor_todos

from .fixtures_vendors import (  # noqa: F401  (fixtures)
    TODAY,
    finance_a,
    finance_b,
    make_plan,
    make_sheet,
    make_staff,
    make_task,
    make_vendor,
    manager_a,
    manager_b,
    vendor_a,
    vendor_b,
)

pytestmark = pytest.mark.django_db

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def messages_of(exc):
    return [m for ms in exc.value.message_dict.values() for m in ms]


# ------------------------------------------------------------------------------ vendors
def test_vendor_save_creates_and_refuses_duplicate_name(manager_a, center_a):
    vendor = vendor_save(
        actor=manager_a,
        center=center_a,
        name=" 洁美保洁公司 ",
        kind="cleaning",
        phone="13800001111",
    )
    assert vendor.name == "洁美保洁公司" and vendor.center_id == center_a.pk
    with pytest.raises(ValidationError) as exc:
        vendor_save(actor=manager_a, center=center_a, name="洁美保洁公司", kind="cleaning")
    assert exc.value.message_dict["name"] == ["已有同名的外包单位。"]
    assert Vendor.objects.count() == 1


def test_vendor_save_rejects_bad_phone_and_credit_code(manager_a, center_a):
    with pytest.raises(ValidationError) as exc:
        vendor_save(actor=manager_a, center=center_a, name="甲", kind="other", phone="12345")
    assert "手机号码格式不正确" in exc.value.message_dict["phone"][0]
    with pytest.raises(ValidationError) as exc:
        vendor_save(actor=manager_a, center=center_a, name="甲", kind="other", credit_code="123")
    assert exc.value.message_dict["credit_code"] == ["统一社会信用代码应为 18 位数字或字母。"]
    assert not Vendor.objects.exists()


def test_only_vendor_managers_of_the_center_write(manager_b, finance_a, center_a):
    for actor in (manager_b, finance_a):
        with pytest.raises(PermissionDenied):
            vendor_save(actor=actor, center=center_a, name="甲", kind="other")
    assert not Vendor.objects.exists()


def contract_data(**kw):
    data = {
        "number": "HT-2026-001",
        "service": "机关大院安保服务",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "amount": Decimal("360000.00"),
        "payment_terms": "monthly",
        "renewal_notice_days": 60,
    }
    data.update(kw)
    return data


def test_contract_rules(manager_a, vendor_a, vendor_b):
    contract = contract_save(actor=manager_a, vendor=vendor_a, **contract_data())
    assert contract.center_id == vendor_a.center_id
    cases = [
        ({"end_date": dt.date(2025, 12, 31)}, "end_date", "结束日期不能早于开始日期。"),
        ({}, "number", "合同编号已存在。"),
        ({"number": "X", "amount": Decimal("-1")}, "amount", "合同金额不能小于 0。"),
        ({"number": "X", "payment_terms": "weekly"}, "payment_terms", "请选择付款方式。"),
    ]
    for changes, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            contract_save(actor=manager_a, vendor=vendor_a, **contract_data(**changes))
        assert exc.value.message_dict[field] == [message]
    # the same number in another center is fine (unique per center)
    contract_save(actor=None, vendor=vendor_b, **contract_data())
    assert Contract.objects.count() == 2


def test_contract_procurement_must_be_of_the_center(manager_a, vendor_a, center_b):
    from houqin.finance.models import Procurement

    other = Procurement.objects.create(
        center=center_b, item="乙区物业服务", method="open_tender", budget=Decimal("100")
    )
    with pytest.raises(ValidationError) as exc:
        contract_save(actor=manager_a, vendor=vendor_a, procurement=other, **contract_data())
    assert exc.value.message_dict["procurement"] == ["请选择本中心的政府采购记录。"]
    assert not Contract.objects.exists()


def test_staff_save_validates_phone_and_leave(manager_a, vendor_a):
    with pytest.raises(ValidationError) as exc:
        staff_save(actor=manager_a, vendor=vendor_a, name="张三", post="保安员", phone="138")
    assert "phone" in exc.value.message_dict
    person = staff_save(
        actor=manager_a,
        vendor=vendor_a,
        name="张三",
        post="保安员",
        phone="138 0000 1111",
        start_date=dt.date(2026, 3, 1),
    )
    assert person.phone == "13800001111"
    with pytest.raises(ValidationError) as exc:
        staff_leave(actor=manager_a, staff=person, end_date=dt.date(2026, 2, 1))
    assert exc.value.message_dict["end_date"] == ["离岗日期不能早于上岗日期。"]
    staff_leave(actor=manager_a, staff=person, end_date=dt.date(2026, 11, 1))
    person.refresh_from_db()
    assert person.end_date == dt.date(2026, 11, 1)


def test_health_certificate_needs_expiry(manager_a, center_a):
    canteen = make_vendor(center_a, "食堂经营公司", Vendor.Kind.CANTEEN)
    with pytest.raises(ValidationError) as exc:
        staff_save(
            actor=manager_a, vendor=canteen, name="李厨", post="厨师", health_cert_no="JK001"
        )
    assert exc.value.message_dict["health_cert_expiry"] == ["请填写健康证有效期。"]
    assert not VendorStaff.objects.exists()


# ------------------------------------------------------------------------------- sheets
def test_sheet_items_total_at_most_100(manager_a, center_a):
    sheet = sheet_save(
        actor=manager_a, center=center_a, name="保安月度考核", period="monthly", threshold=80
    )
    item_add(actor=manager_a, sheet=sheet, text="在岗情况", points=Decimal("60"))
    item_add(actor=manager_a, sheet=sheet, text="巡查按时", points=Decimal("30"), from_duties=True)
    with pytest.raises(ValidationError) as exc:
        item_add(actor=manager_a, sheet=sheet, text="服务态度", points=Decimal("10.5"))
    assert exc.value.message_dict["points"] == [
        "各项分值合计不能超过 100 分（已有 90.0 分，最多还能设 10.0 分）。"
    ]
    with pytest.raises(ValidationError) as exc:
        item_add(actor=manager_a, sheet=sheet, text="又一项", points=Decimal("5"), from_duties=True)
    assert "from_duties" in exc.value.message_dict
    assert sheet.items.count() == 2


def test_sheet_threshold_range(manager_a, center_a):
    for bad, message in ((0, "合格分数必须大于 0。"), (101, "合格分数不能超过 100。")):
        with pytest.raises(ValidationError) as exc:
            sheet_save(actor=manager_a, center=center_a, name="表", period="monthly", threshold=bad)
        assert exc.value.message_dict["threshold"] == [message]


def test_sheet_frozen_once_used(manager_a, vendor_a, center_a):
    sheet = make_sheet(center_a, items=[("在岗情况", 100, False)])
    item = sheet.items.get()
    evaluation_record(
        actor=manager_a,
        vendor=vendor_a,
        sheet=sheet,
        period_start=OCT[0],
        period_end=OCT[1],
        points={item.pk: 90},
    )
    with pytest.raises(ValidationError) as exc:
        item_delete(actor=manager_a, item=item)
    assert exc.value.messages == ["该考核表已用于考核，考核项目不能再修改。"]
    with pytest.raises(ValidationError):
        item_add(actor=manager_a, sheet=sheet, text="新项", points=1)
    with pytest.raises(ValidationError):
        sheet_save(
            actor=manager_a,
            center=center_a,
            sheet=sheet,
            name=sheet.name,
            period="monthly",
            threshold=60,
        )
    # renaming and switching off stay possible
    sheet_save(
        actor=manager_a,
        center=center_a,
        sheet=sheet,
        name="保安月度考核（旧）",
        period="monthly",
        threshold=80,
        is_active=False,
    )
    assert EvaluationItem.objects.filter(pk=item.pk).exists()


def test_periods():
    assert period_bounds("monthly", dt.date(2026, 2, 10)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )
    assert period_bounds("quarterly", dt.date(2026, 11, 26)) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert last_finished_period("quarterly", dt.date(2026, 11, 26)) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    assert last_finished_period("monthly", dt.date(2026, 1, 5)) == (
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
    )


# -------------------------------------------------------------------------- evaluations
@pytest.fixture
def sheet_a(center_a):
    return make_sheet(
        center_a,
        threshold=80,
        items=[("在岗在位", 40, False), ("服务质量", 30, False), ("责任事项按时完成", 30, True)],
    )


def hand_items(sheet):
    return list(sheet.items.filter(from_duties=False))


def record(actor, vendor, sheet, scores, **kw):
    items = hand_items(sheet)
    return evaluation_record(
        actor=actor,
        vendor=vendor,
        sheet=sheet,
        period_start=kw.pop("period_start", OCT[0]),
        period_end=kw.pop("period_end", OCT[1]),
        points={item.pk: score for item, score in zip(items, scores, strict=True)},
        **kw,
    )


def test_duty_items_scored_from_the_duty_engine(manager_a, vendor_a, center_a, sheet_a):
    """3 tasks due in October, 2 done on time (1 late) → 2/3 of the 30 points = 20.0."""
    plan = make_plan(center_a, vendor_a.name)
    make_task(plan, dt.date(2026, 10, 5), done_by=manager_a)
    make_task(plan, dt.date(2026, 10, 12), done_by=manager_a)
    make_task(plan, dt.date(2026, 10, 19), done_by=manager_a, on_time=False)
    # not counted: another vendor's plan, a task outside the period, another center
    other = make_plan(center_a, "别的公司", title="保洁")
    make_task(other, dt.date(2026, 10, 6))
    make_task(plan, dt.date(2026, 11, 2))
    rate = duty_rate(vendor_a, *OCT)
    assert (rate.due, rate.on_time) == (3, 2)

    evaluation = record(manager_a, vendor_a, sheet_a, [40, 30])
    duty = evaluation.scores.get(item__from_duties=True)
    assert duty.points == Decimal("20.0")
    assert duty.note == "责任事项按时完成 2/3"
    assert evaluation.duty_rate == Decimal("66.7")
    assert evaluation.total == Decimal("90.0")
    assert not evaluation.payment_flagged


def test_no_duty_due_gives_full_points(manager_a, vendor_a, sheet_a):
    evaluation = record(manager_a, vendor_a, sheet_a, [30, 20])
    assert evaluation.duty_rate is None
    assert evaluation.total == Decimal("80.0")


def test_score_below_threshold_flags_payment_and_notifies_finance(
    manager_a, finance_a, finance_b, vendor_a, sheet_a, admin_a, agency_x
):
    from houqin.core.roles import Role
    from houqin.org.tests.factories import PersonFactory, make_user

    other_manager = make_user(
        PersonFactory(agency=agency_x, name="外包管理员丙"), Role.VENDOR_MANAGER
    )
    evaluation = record(manager_a, vendor_a, sheet_a, [30, 19.9], comment="多次脱岗")
    assert evaluation.total == Decimal("79.9")
    assert evaluation.payment_flagged
    notes = Notification.objects.filter(kind="vendors.payment_flagged")
    # finance officers and vendor managers of the center, not the evaluator, not center B
    assert {n.recipient_id for n in notes} == {finance_a.pk, other_manager.pk}
    note = notes.get(recipient=finance_a)
    assert "安心保安服务有限公司" in note.title and "79.9" in note.title
    assert note.url == f"/vendors/evaluations/{evaluation.pk}/"


def test_score_at_threshold_is_not_flagged(manager_a, finance_a, vendor_a, sheet_a):
    evaluation = record(manager_a, vendor_a, sheet_a, [30, 20])
    assert evaluation.total == Decimal("80.0")
    assert not evaluation.payment_flagged
    assert not Notification.objects.filter(kind="vendors.payment_flagged").exists()


def test_over_points_refused_nothing_written(manager_a, vendor_a, sheet_a):
    first = hand_items(sheet_a)[0]
    with pytest.raises(ValidationError) as exc:
        record(manager_a, vendor_a, sheet_a, [40.5, 20])
    assert exc.value.message_dict[f"item_{first.pk}"] == [
        "“在岗在位”的得分不能超过该项分值 40.0 分。"
    ]
    for bad, message in (
        (-1, "在岗在位不能小于 0。"),
        ("abc", "在岗在位必须是数字。"),
        ("", "请为“在岗在位”打分。"),
    ):
        with pytest.raises(ValidationError) as exc:
            record(manager_a, vendor_a, sheet_a, [bad, 20])
        assert exc.value.message_dict[f"item_{first.pk}"] == [message]
    assert not VendorEvaluation.objects.exists()
    assert not EvaluationScore.objects.exists()


def test_one_evaluation_per_vendor_sheet_and_period(manager_a, vendor_a, sheet_a):
    record(manager_a, vendor_a, sheet_a, [40, 30])
    with pytest.raises(ValidationError) as exc:
        record(manager_a, vendor_a, sheet_a, [40, 30])
    assert exc.value.message_dict["period_start"] == ["该单位本期已按此考核表考核过。"]
    assert VendorEvaluation.objects.count() == 1


def test_evaluation_checks_sheet_kind_period_and_contract(
    manager_a, vendor_a, vendor_b, sheet_a, center_a
):
    property_sheet = make_sheet(
        center_a, name="物业考核", vendor_kind="property", items=[("保洁", 100, False)]
    )
    with pytest.raises(ValidationError) as exc:
        record(manager_a, vendor_a, property_sheet, [90])
    assert exc.value.message_dict["sheet"] == ["该考核表适用于物业服务单位。"]
    with pytest.raises(ValidationError) as exc:
        record(manager_a, vendor_a, sheet_a, [40, 30], period_end=dt.date(2026, 9, 30))
    assert exc.value.message_dict["period_end"] == ["考核期间止不能早于考核期间起。"]
    other = contract_save(actor=None, vendor=vendor_b, **contract_data())
    with pytest.raises(ValidationError) as exc:
        record(manager_a, vendor_a, sheet_a, [40, 30], contract=other)
    assert exc.value.message_dict["contract"] == ["请选择该单位的合同。"]
    assert not VendorEvaluation.objects.exists()


# -------------------------------------------------------------------------------- todos
def test_todos_of_vendor_manager(manager_a, finance_a, vendor_a, center_a, sheet_a):
    contract_save(
        actor=None,
        vendor=vendor_a,
        **contract_data(end_date=TODAY + dt.timedelta(days=20), renewal_notice_days=30),
    )
    contract_save(
        actor=None,
        vendor=vendor_a,
        **contract_data(number="HT-LATER", end_date=TODAY + dt.timedelta(days=200)),
    )
    make_staff(vendor_a, "过期", health_cert_no="1", health_cert_expiry=TODAY - dt.timedelta(1))
    make_staff(vendor_a, "将到期", health_cert_no="2", health_cert_expiry=TODAY + dt.timedelta(9))
    make_staff(vendor_a, "正常", health_cert_no="3", health_cert_expiry=TODAY + dt.timedelta(90))
    make_staff(
        vendor_a,
        "已离岗",
        health_cert_no="4",
        health_cert_expiry=TODAY - dt.timedelta(5),
        end_date=TODAY - dt.timedelta(10),
    )
    count, items = vendor_todos(manager_a, 10)
    titles = [i.title for i in items]
    assert count == 3, titles
    assert "合同即将到期：安心保安服务有限公司 HT-2026-001" in titles
    assert "安心保安服务有限公司 有 2 人健康证过期或即将到期" in titles
    cert = next(i for i in items if "健康证" in i.title)
    assert cert.overdue and cert.detail == "已过期 1 人"
    due = next(i for i in items if "待考核" in i.title)
    start, end = last_finished_period("monthly", TODAY)
    assert due.title == f"月度考核表：1 家单位待考核（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"
    assert f"vendor={vendor_a.pk}" in due.url
    # once evaluated for that period, the evaluation is no longer due
    record(manager_a, vendor_a, sheet_a, [40, 30], period_start=start, period_end=end)
    count, items = vendor_todos(manager_a, 10)
    assert count == 2
    # finance officers only read: no vendor to-dos
    assert vendor_todos(finance_a, 10) == (0, [])


def test_todos_constant_queries(manager_a, center_a, sheet_a, django_assert_max_num_queries):
    for i in range(5):
        vendor = make_vendor(center_a, f"公司{i}", Vendor.Kind.SECURITY)
        contract_save(
            actor=None,
            vendor=vendor,
            **contract_data(number=f"N{i}", end_date=TODAY + dt.timedelta(days=10)),
        )
        make_staff(vendor, f"人{i}", health_cert_no="1", health_cert_expiry=TODAY)
    make_sheet(center_a, name="季度", period="quarterly", items=[("a", 10, False)])
    manager_a.has_perm("vendors.change_vendor")  # warm the permission cache
    with django_assert_max_num_queries(7):
        count, _items = vendor_todos(manager_a, 20)
    assert count == 5 + 5 + 2
