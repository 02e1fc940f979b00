# ruff: noqa: F811  (fixtures imported from fixtures_vendors are used as parameters)
"""Vendors pages: lists (filters, masked phones, flagged badge, xlsx), forms (422 with Chinese
messages and nothing written), the vendor page (roster with health-certificate badges,
duties on-time rate), scoring sheets, recording an evaluation (duty items computed, flag),
scoping (center B → 404), permissions (staff 403, finance reads only), constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.vendors.models import Contract, EvaluationItem, Vendor, VendorEvaluation, VendorStaff
from houqin.vendors.services.evaluations import evaluation_record
from houqin.vendors.services.vendors import contract_save

from .fixtures_vendors import (  # noqa: F401  (fixtures)
    TODAY,
    count_queries,
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


def url(name, *args):
    return reverse(f"vendors:{name}", args=args)


def make_contract(vendor, number="HT-1", end=None, **kw):
    return contract_save(
        actor=None,
        vendor=vendor,
        number=number,
        service="安保服务",
        start_date=dt.date(2026, 1, 1),
        end_date=end or dt.date(2026, 12, 31),
        amount=Decimal("1000"),
        payment_terms="monthly",
        **kw,
    )


@pytest.fixture
def sheet_a(center_a):
    return make_sheet(
        center_a,
        threshold=80,
        items=[("在岗在位", 40, False), ("服务质量", 30, False), ("责任事项按时完成", 30, True)],
    )


def evaluate(vendor, sheet, actor, scores, start=OCT[0], end=OCT[1]):
    items = sheet.items.filter(from_duties=False)
    return evaluation_record(
        actor=actor,
        vendor=vendor,
        sheet=sheet,
        period_start=start,
        period_end=end,
        points={i.pk: s for i, s in zip(items, scores, strict=True)},
    )


# ---------------------------------------------------------------------------- vendors
def test_vendor_list_shows_kind_contract_score_and_flag(client, manager_a, vendor_a, sheet_a):
    make_contract(vendor_a, end=dt.date(2027, 3, 31))
    vendor_a.phone = "13800001234"
    vendor_a.save()
    evaluate(vendor_a, sheet_a, manager_a, [30, 19])
    client.force_login(manager_a)
    response = client.get(url("vendor_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "安心保安服务有限公司" in html and "保安服务" in html
    assert "2027-03-31" in html
    assert "79.0" in html and "data-flagged" in html
    assert "138****1234" in html and "13800001234" not in html


def test_vendor_list_filters_and_export(client, manager_a, vendor_a, center_a):
    make_vendor(center_a, "旧保洁公司", Vendor.Kind.CLEANING, is_active=False)
    client.force_login(manager_a)
    html = client.get(url("vendor_list"), {"active": "0"}).content.decode()
    assert "旧保洁公司" in html and "安心保安服务有限公司" not in html
    html = client.get(url("vendor_list"), {"kind": "security"}, HTTP_HX_REQUEST="true")
    assert "安心保安服务有限公司" in html.content.decode()
    response = client.get(url("vendor_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_vendor_create_and_bad_input(client, manager_a, center_a):
    client.force_login(manager_a)
    response = client.post(url("vendor_create"), {"name": "灭害灵公司", "kind": "pest_control"})
    vendor = Vendor.objects.get()
    assert response.status_code == 302 and response.url == url("vendor_detail", vendor.pk)
    response = client.post(
        url("vendor_create"), {"name": "灭害灵公司", "kind": "pest_control", "phone": "1"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "手机号码格式不正确" in html
    assert Vendor.objects.count() == 1
    response = client.post(
        url("vendor_edit", vendor.pk), {"name": "灭害灵公司", "kind": "pest_control"}
    )
    assert response.status_code == 422 or response.status_code == 302
    assert "已有同名的外包单位" not in response.content.decode()


def test_vendor_detail_roster_badges_contracts_duties(client, manager_a, vendor_a, center_a):
    make_staff(
        vendor_a,
        "过期人",
        phone="13900001111",
        health_cert_no="1",
        health_cert_expiry=TODAY - dt.timedelta(days=1),
    )
    make_staff(
        vendor_a, "将到期人", health_cert_no="2", health_cert_expiry=TODAY + dt.timedelta(days=30)
    )
    make_staff(
        vendor_a, "正常人", health_cert_no="3", health_cert_expiry=TODAY + dt.timedelta(days=31)
    )
    make_contract(vendor_a, end=TODAY + dt.timedelta(days=10))
    plan = make_plan(center_a, vendor_a.name)
    make_task(plan, TODAY - dt.timedelta(days=3), done_by=manager_a)
    make_task(plan, TODAY - dt.timedelta(days=2))
    client.force_login(manager_a)
    html = client.get(url("vendor_detail", vendor_a.pk)).content.decode()
    assert html.count('data-cert="expired"') == 1 and "已过期" in html
    assert html.count('data-cert="soon"') == 1 and "30天内到期" in html
    assert html.count('data-cert="ok"') == 1
    assert "139****1111" in html and "13900001111" not in html
    assert "即将到期" in html
    assert "病媒生物防制" in html and "1/2" in html and "50.0%" in html


def test_staff_create_edit_leave(client, manager_a, vendor_a):
    client.force_login(manager_a)
    data = {"name": "王五", "post": "门岗", "phone": "13700001111", "screening": "passed"}
    response = client.post(url("staff_create", vendor_a.pk), data)
    assert response.status_code == 302
    person = VendorStaff.objects.get()
    response = client.post(url("staff_edit", person.pk), {**data, "phone": "abc"})
    assert response.status_code == 422
    assert "手机号码格式不正确" in response.content.decode()
    response = client.post(url("staff_leave", person.pk), {"end_date": f"{TODAY:%Y-%m-%d}"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.end_date == TODAY and person.phone == "13700001111"


# --------------------------------------------------------------------------- contracts
def test_contract_create_and_expiring_filter(client, manager_a, vendor_a):
    make_contract(vendor_a, "HT-SOON", end=TODAY + dt.timedelta(days=50))
    make_contract(vendor_a, "HT-LATER", end=TODAY + dt.timedelta(days=100))
    make_contract(vendor_a, "HT-SHORT", end=TODAY + dt.timedelta(days=50), renewal_notice_days=30)
    client.force_login(manager_a)
    html = client.get(url("contract_list"), {"expiring": "1"}).content.decode()
    assert "HT-SOON" in html and "HT-LATER" not in html and "HT-SHORT" not in html
    data = {
        "vendor": vendor_a.pk,
        "number": "HT-NEW",
        "service": "安保",
        "start_date": "2026-12-01",
        "end_date": "2026-11-30",
        "amount": "100",
        "payment_terms": "monthly",
        "renewal_notice_days": "60",
    }
    response = client.post(url("contract_create"), data)
    assert response.status_code == 422
    assert "结束日期不能早于开始日期。" in response.content.decode()
    response = client.post(url("contract_create"), {**data, "end_date": "2027-11-30"})
    assert response.status_code == 302
    contract = Contract.objects.get(number="HT-NEW")
    response = client.post(
        url("contract_edit", contract.pk), {**data, "number": "HT-SOON", "end_date": "2027-11-30"}
    )
    assert response.status_code == 422 and "合同编号已存在。" in response.content.decode()


# ------------------------------------------------------------------------------ sheets
def test_sheet_create_items_and_over_100(client, manager_a):
    client.force_login(manager_a)
    response = client.post(
        url("sheet_create"),
        {"name": "物业季度考核", "period": "quarterly", "threshold": "85", "is_active": "on"},
    )
    assert response.status_code == 302
    sheet = (
        manager_a.center.evaluationsheet_set.get()
        if hasattr(manager_a.center, "evaluationsheet_set")
        else None
    )
    from houqin.vendors.models import EvaluationSheet

    sheet = EvaluationSheet.objects.get()
    assert (
        client.post(url("item_create", sheet.pk), {"text": "保洁", "points": "70"}).status_code
        == 302
    )
    response = client.post(url("item_create", sheet.pk), {"text": "绿化", "points": "31"})
    assert response.status_code == 422
    assert "各项分值合计不能超过 100 分" in response.content.decode()
    assert EvaluationItem.objects.count() == 1
    html = client.get(url("sheet_detail", sheet.pk)).content.decode()
    assert "保洁" in html and "70.0 分" in html
    assert "物业季度考核" in client.get(url("sheet_list")).content.decode()


# ------------------------------------------------------------------------- evaluations
def test_evaluation_create_shows_duty_score_and_records(
    client, manager_a, finance_a, vendor_a, sheet_a, center_a
):
    plan = make_plan(center_a, vendor_a.name)
    make_task(plan, dt.date(2026, 10, 5), done_by=manager_a)
    make_task(plan, dt.date(2026, 10, 12), done_by=manager_a)
    make_task(plan, dt.date(2026, 10, 19))
    client.force_login(manager_a)
    query = {
        "vendor": vendor_a.pk,
        "sheet": sheet_a.pk,
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
    }
    html = client.get(url("evaluation_create"), query).content.decode()
    hand = list(sheet_a.items.filter(from_duties=False))
    assert f'name="item_{hand[0].pk}"' in html and f'name="item_{hand[1].pk}"' in html
    duty = sheet_a.items.get(from_duties=True)
    assert f'name="item_{duty.pk}"' not in html
    assert "<strong>20.0</strong>" in html and "2/3" in html

    data = {**query, f"item_{hand[0].pk}": "41", f"item_{hand[1].pk}": "30"}
    response = client.post(url("evaluation_create"), data)
    assert response.status_code == 422
    assert "“在岗在位”的得分不能超过该项分值 40.0 分。" in response.content.decode()
    assert not VendorEvaluation.objects.exists()

    data[f"item_{hand[0].pk}"] = "25"
    response = client.post(url("evaluation_create"), data)
    evaluation = VendorEvaluation.objects.get()
    assert response.status_code == 302
    assert response.url == url("evaluation_detail", evaluation.pk)
    assert evaluation.total == Decimal("75.0") and evaluation.payment_flagged
    assert finance_a.notifications.filter(kind="vendors.payment_flagged").exists()
    html = client.get(url("evaluation_detail", evaluation.pk)).content.decode()
    assert "75.0" in html and "付款预警" in html and "责任事项按时完成 2/3" in html


def test_evaluation_create_defaults_to_last_finished_period(client, manager_a, vendor_a, sheet_a):
    client.force_login(manager_a)
    html = client.get(
        url("evaluation_create"), {"vendor": vendor_a.pk, "sheet": sheet_a.pk}
    ).content.decode()
    from houqin.vendors.services.evaluations import last_finished_period

    start, end = last_finished_period("monthly", TODAY)
    assert f'value="{start:%Y-%m-%d}"' in html and f'value="{end:%Y-%m-%d}"' in html


def test_evaluation_list_filters_average_and_export(
    client, manager_a, finance_a, vendor_a, sheet_a, center_a
):
    other = make_vendor(center_a, "第二保安公司", Vendor.Kind.SECURITY)
    evaluate(vendor_a, sheet_a, manager_a, [40, 30], OCT[0], OCT[1])
    evaluate(vendor_a, sheet_a, manager_a, [30, 19], dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    evaluate(other, sheet_a, manager_a, [35, 25])
    client.force_login(finance_a)
    response = client.get(url("evaluation_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "89.5 分" in html  # (100 + 79) / 2
    assert "90.0 分" in html
    html = client.get(url("evaluation_list"), {"flagged": "1"}).content.decode()
    assert "79.0" in html and "第二保安公司</a>" not in html
    html = client.get(url("evaluation_list"), {"vendor": other.pk}).content.decode()
    assert "第二保安公司" in html and "89.5" not in html
    html = client.get(url("evaluation_list"), {"since": "2026-10-01"}).content.decode()
    assert "79.0" not in html
    response = client.get(url("evaluation_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


# ------------------------------------------------------------------ scoping, permissions
def test_another_center_gets_404(client, manager_b, vendor_a, sheet_a, manager_a):
    person = make_staff(vendor_a, "张三")
    contract = make_contract(vendor_a)
    evaluation = evaluate(vendor_a, sheet_a, manager_a, [40, 30])
    item = sheet_a.items.first()
    client.force_login(manager_b)
    for path in (
        url("vendor_detail", vendor_a.pk),
        url("vendor_edit", vendor_a.pk),
        url("staff_create", vendor_a.pk),
        url("staff_edit", person.pk),
        url("contract_edit", contract.pk),
        url("sheet_detail", sheet_a.pk),
        url("sheet_edit", sheet_a.pk),
        url("evaluation_detail", evaluation.pk),
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(url("item_delete", item.pk)).status_code == 404
    assert client.post(url("staff_leave", person.pk), {"end_date": "2026-11-01"}).status_code == 404
    html = client.get(url("vendor_list")).content.decode()
    assert "安心保安服务有限公司" not in html


def test_staff_gets_403(client, staff_x, vendor_a):
    client.force_login(staff_x)
    for name, args in (
        ("vendor_list", ()),
        ("vendor_create", ()),
        ("vendor_detail", (vendor_a.pk,)),
        ("contract_list", ()),
        ("contract_create", ()),
        ("sheet_list", ()),
        ("sheet_create", ()),
        ("evaluation_list", ()),
        ("evaluation_create", ()),
    ):
        assert client.get(url(name, *args)).status_code == 403, name


def test_finance_officer_reads_but_does_not_write(client, finance_a, vendor_a):
    client.force_login(finance_a)
    assert client.get(url("vendor_detail", vendor_a.pk)).status_code == 200
    assert client.get(url("contract_list")).status_code == 200
    assert client.get(url("vendor_create")).status_code == 403
    assert client.get(url("evaluation_create")).status_code == 403
    response = client.post(url("vendor_edit", vendor_a.pk), {"name": "改名", "kind": "other"})
    assert response.status_code == 403
    vendor_a.refresh_from_db()
    assert vendor_a.name == "安心保安服务有限公司"


# ----------------------------------------------------------------------------- queries
def test_vendor_list_constant_queries(client, manager_a, center_a, sheet_a):
    def add(n, start):
        for i in range(start, start + n):
            vendor = make_vendor(center_a, f"保安公司{i}", Vendor.Kind.SECURITY)
            make_contract(vendor, f"HT-{i}")
            evaluate(vendor, sheet_a, manager_a, [30, 20])

    client.force_login(manager_a)
    add(2, 0)
    few = count_queries(client, url("vendor_list"))
    add(18, 2)
    assert count_queries(client, url("vendor_list")) == few


def test_evaluation_list_constant_queries(client, manager_a, center_a, sheet_a):
    def add(n, start):
        for i in range(start, start + n):
            vendor = make_vendor(center_a, f"保安公司{i}", Vendor.Kind.SECURITY)
            evaluate(vendor, sheet_a, manager_a, [30, 20])

    client.force_login(manager_a)
    add(2, 0)
    few = count_queries(client, url("evaluation_list"))
    add(18, 2)
    assert count_queries(client, url("evaluation_list")) == few
    assert count_queries(client, url("contract_list")) > 0
