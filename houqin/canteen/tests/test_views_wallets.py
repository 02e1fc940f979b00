# ruff: noqa: F811  (fixtures imported from test_wallets are used as parameters)
"""餐卡管理 pages: wallet list and detail, top-up, adjustments through approval, subsidy by rule
and by import, the center's ledger, permissions and query budgets."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.canteen.models import LedgerEntry, Wallet, WalletAdjustment
from houqin.canteen.services import wallets
from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.org.tests.factories import PersonFactory

from .factories import fund
from .test_wallets import finance_a, manager_b, xlsx_file  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"canteen:{name}", args=args), params)


def sheet_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def wallet_x(staff_x, canteen_manager):
    return fund(staff_x.person, 50, canteen_manager)


# ---------------------------------------------------------------- wallet list


def test_wallet_list_people_balances_masked_phones_totals(
    client, canteen_manager, wallet_x, person_y
):
    response = page(client, canteen_manager, "wallet_list")
    html = response.content.decode()
    assert response.status_code == 200
    assert "职工甲" in html and "50.00 元" in html
    assert "教育局职工" in html and "未开通" in html  # no wallet: 0 and 未开通
    assert "139****5678" in html and "13912345678" not in html
    assert "data-total-balance>50.00 元" in html
    assert 'data-reconcile="ok"' in html and "1 个餐卡的余额与流水核对一致" in html
    assert reverse("canteen:wallet_open", args=[person_y.pk]) in html


def test_wallet_list_search_agency_and_status_filters(
    client, canteen_manager, wallet_x, person_y, agency_y
):
    html = page(client, canteen_manager, "wallet_list", q="教育").content.decode()
    assert "教育局职工" in html and "职工甲" not in html
    html = page(client, canteen_manager, "wallet_list", q="5678").content.decode()
    assert "教育局职工" in html and "职工甲" not in html
    html = page(client, canteen_manager, "wallet_list", agency=agency_y.pk).content.decode()
    assert "教育局职工" in html and "职工甲" not in html
    html = page(client, canteen_manager, "wallet_list", wallet_status="none").content.decode()
    assert "教育局职工" in html and "职工甲" not in html
    html = page(client, canteen_manager, "wallet_list", wallet_status="open").content.decode()
    assert "职工甲" in html and "教育局职工" not in html


def test_wallet_list_htmx_renders_the_results_only(client, canteen_manager, wallet_x):
    client.force_login(canteen_manager)
    response = client.get(reverse("canteen:wallet_list"), {"q": "职工甲"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "职工甲" in html and "<html" not in html


def test_wallet_list_export_masks_phones(client, canteen_manager, wallet_x, person_y):
    rows = sheet_rows(page(client, canteen_manager, "wallet_list", export="xlsx"))
    assert rows[0] == ["单位", "姓名", "手机号码", "人员状态", "餐卡状态", "余额（元）"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["职工甲"][4:] == ["正常", 50]
    assert by_name["教育局职工"][2:] == ["139****5678", "在职", "未开通", 0]


def test_wallet_list_shows_reconcile_error(client, canteen_manager, wallet_x):
    Wallet.objects.filter(pk=wallet_x.pk).update(balance=Decimal("70.00"))  # bypass the ledger
    html = page(client, canteen_manager, "wallet_list").content.decode()
    assert 'data-reconcile="error"' in html
    assert "余额 70.00 元，流水合计 50.00 元" in html


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("canteen:wallet_list")).status_code == 200
    return len(ctx)


def test_wallet_list_query_count_constant(client, canteen_manager, agency_x, agency_y):
    people = [PersonFactory(agency=agency_x if i % 2 else agency_y) for i in range(3)]
    fund(people[0], 10, canteen_manager)
    client.force_login(canteen_manager)
    few = _list_queries(client)
    for i in range(30):
        person = PersonFactory(agency=agency_x if i % 2 else agency_y)
        if i % 3:
            fund(person, 10, canteen_manager)
    assert _list_queries(client) == few


def test_wallet_open(client, canteen_manager, person_y):
    client.force_login(canteen_manager)
    response = client.post(reverse("canteen:wallet_open", args=[person_y.pk]))
    wallet = Wallet.objects.get(person=person_y)
    assert response.status_code == 302
    assert response["Location"] == reverse("canteen:wallet_detail", args=[wallet.pk])
    response = client.post(reverse("canteen:wallet_open", args=[person_y.pk]), follow=True)
    assert "已开通餐卡" in response.content.decode()
    assert Wallet.objects.filter(person=person_y).count() == 1


# ---------------------------------------------------------------- wallet detail


def test_wallet_detail_statement_filters_and_forms(client, canteen_manager, wallet_x):
    wallets.wallet_topup(
        actor=canteen_manager,
        wallet=wallet_x,
        amount="12.5",
        method="transfer",
        idempotency_key="t2",
        reason="转账 8899",
    )
    response = page(client, canteen_manager, "wallet_detail", wallet_x.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "职工甲的餐卡" in html and "data-balance>62.50 元" in html
    assert "转账 8899" in html and "+12.50 元" in html and "食堂管理员" in html
    assert 'name="topup-idempotency_key"' in html and 'name="adj-amount"' in html
    html = page(
        client, canteen_manager, "wallet_detail", wallet_x.pk, kind="refund"
    ).content.decode()
    assert "转账 8899" not in html
    html = page(
        client, canteen_manager, "wallet_detail", wallet_x.pk, date_from="2000-01-01"
    ).content.decode()
    assert "转账 8899" in html
    html = page(
        client, canteen_manager, "wallet_detail", wallet_x.pk, date_to="2000-01-01"
    ).content.decode()
    assert "转账 8899" not in html


def test_wallet_statement_export(client, canteen_manager, wallet_x):
    rows = sheet_rows(page(client, canteen_manager, "wallet_detail", wallet_x.pk, export="xlsx"))
    assert rows[0][:5] == ["时间", "类型", "方式", "金额（元）", "结余（元）"]
    assert rows[1][1:5] == ["充值", "现金", 50, 50]


def _detail_queries(client, wallet):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("canteen:wallet_detail", args=[wallet.pk])).status_code == 200
    return len(ctx)


def test_wallet_detail_query_count_constant(client, canteen_manager, finance_a, wallet_x):
    wallets.wallet_adjustment_request(
        actor=canteen_manager, wallet=wallet_x, amount="1", reason="a"
    )
    client.force_login(canteen_manager)
    few = _detail_queries(client, wallet_x)
    for _i in range(30):
        fund(wallet_x.person, 1, canteen_manager)
    adjustment = WalletAdjustment.objects.get()
    approvals.approval_approve(
        actor=finance_a, approval=approval_for_object(adjustment, "canteen.adjustment")
    )
    for i in range(3):
        wallets.wallet_adjustment_request(
            actor=canteen_manager, wallet=wallet_x, amount=f"-{i + 1}", reason=f"r{i}"
        )
    assert _detail_queries(client, wallet_x) == few


# ---------------------------------------------------------------- top-up


def _topup(client, wallet, key, amount="100", method="cash"):
    return client.post(
        reverse("canteen:wallet_topup", args=[wallet.pk]),
        {
            "topup-method": method,
            "topup-amount": amount,
            "topup-reason": "",
            "topup-idempotency_key": key,
        },
    )


def test_topup_double_submit_credits_once(client, canteen_manager, wallet_x):
    client.force_login(canteen_manager)
    first = _topup(client, wallet_x, "key-1")
    again = _topup(client, wallet_x, "key-1")
    assert first.status_code == again.status_code == 302
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("150.00")
    assert wallet_x.entries.filter(kind="topup", method="cash").count() == 2  # fund + this one
    response = client.get(reverse("canteen:wallet_detail", args=[wallet_x.pk]))
    assert "已充值 100.00 元（现金），当前余额 150.00 元。" in response.content.decode()
    _topup(client, wallet_x, "key-2", method="transfer")
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("250.00")


def test_topup_bad_amount_shows_error_and_writes_nothing(client, canteen_manager, wallet_x):
    client.force_login(canteen_manager)
    response = _topup(client, wallet_x, "key-x", amount="6000")
    html = response.content.decode()
    assert response.status_code == 200
    assert "充值金额不能超过 5000.00 元。" in html
    response = _topup(client, wallet_x, "key-y", amount="-1")
    assert response.status_code == 200
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("50.00") and wallet_x.entries.count() == 1


def test_closed_wallet_has_no_forms_and_refuses_topup(client, canteen_manager, wallet_x):
    wallets.wallet_close(actor=canteen_manager, person=wallet_x.person)
    html = page(client, canteen_manager, "wallet_detail", wallet_x.pk).content.decode()
    assert "已销户" in html and 'name="topup-amount"' not in html
    response = _topup(client, wallet_x, "after-close")
    assert "该餐卡已销户。" in response.content.decode()
    assert not wallet_x.entries.filter(idempotency_key="topup:after-close").exists()


# ---------------------------------------------------------------- adjustments


def _adjust(client, wallet, amount, reason="补录漏扣餐费"):
    return client.post(
        reverse("canteen:wallet_adjust", args=[wallet.pk]),
        {"adj-amount": amount, "adj-reason": reason},
    )


def test_adjustment_goes_to_finance_and_posts_when_approved(
    client, canteen_manager, finance_a, wallet_x
):
    client.force_login(canteen_manager)
    response = _adjust(client, wallet_x, "-12.50")
    assert response.status_code == 302
    adjustment = WalletAdjustment.objects.get()
    assert adjustment.status == WalletAdjustment.Status.PENDING
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("50.00")  # nothing posted before the approval
    approval = approval_for_object(adjustment, "canteen.adjustment")
    html = client.get(reverse("canteen:wallet_detail", args=[wallet_x.pk])).content.decode()
    assert "审批中" in html and reverse("approvals:detail", args=[approval.pk]) in html

    approvals.approval_approve(actor=finance_a, approval=approval)
    adjustment.refresh_from_db()
    wallet_x.refresh_from_db()
    entry = LedgerEntry.objects.get(kind="adjustment")
    assert adjustment.status == WalletAdjustment.Status.APPROVED and adjustment.entry == entry
    assert entry.approved_by == finance_a and entry.actor == canteen_manager
    assert entry.amount == Decimal("-12.50") and wallet_x.balance == Decimal("37.50")
    html = client.get(reverse("canteen:wallet_detail", args=[wallet_x.pk])).content.decode()
    assert "已入账" in html and "审批人 财务甲" in html
    html = client.get(reverse("canteen:adjustment_list")).content.decode()
    assert "补录漏扣餐费" in html and "已入账 · 财务甲" in html


def test_adjustment_below_zero_refused(client, canteen_manager, finance_a, wallet_x):
    client.force_login(canteen_manager)
    response = _adjust(client, wallet_x, "-50.01")
    assert response.status_code == 200
    assert "调减后余额将小于 0（当前余额 50.00 元）。" in response.content.decode()
    assert not WalletAdjustment.objects.exists()


def test_adjustment_needs_reason_and_an_approver(client, canteen_manager, wallet_x):
    client.force_login(canteen_manager)
    response = _adjust(client, wallet_x, "5", reason="")
    assert "该字段是必填项。" in response.content.decode()
    # no finance officer in the center: the approvals engine refuses, nothing is written
    response = _adjust(client, wallet_x, "5")
    assert "没有除申请人以外可以审批的人员" in response.content.decode()
    assert not WalletAdjustment.objects.exists()


def test_adjustment_list_filters_and_export(client, canteen_manager, finance_a, wallet_x):
    wallets.wallet_adjustment_request(
        actor=canteen_manager, wallet=wallet_x, amount="3", reason="多扣退还"
    )
    html = page(client, canteen_manager, "adjustment_list").content.decode()
    assert "多扣退还" in html and "+3.00 元" in html
    html = page(client, canteen_manager, "adjustment_list", status="approved").content.decode()
    assert "多扣退还" not in html
    rows = sheet_rows(page(client, finance_a, "adjustment_list", export="xlsx"))
    assert rows[1][1:6] == ["职工甲", 3, "多扣退还", "食堂管理员", "审批中"]


# ---------------------------------------------------------------- subsidy


def test_subsidy_page_and_template(client, canteen_manager):
    response = page(client, canteen_manager, "subsidy")
    assert response.status_code == 200
    assert "按规则发放" in response.content.decode()
    rows = sheet_rows(page(client, canteen_manager, "subsidy_template"))
    assert rows[0] == ["单位", "姓名", "手机号码", "金额"]


def test_subsidy_rule_twice_credits_once(client, canteen_manager, center_a, staff_x, person_y):
    client.force_login(canteen_manager)
    data = {"action": "rule", "rule-month": "2026-11", "rule-amount": "300"}
    response = client.post(reverse("canteen:subsidy"), data, follow=True)
    html = response.content.decode()
    assert "已为 3 人发放2026年11月餐费补贴，每人 300 元" in html
    response = client.post(reverse("canteen:subsidy"), data, follow=True)
    assert "2026年11月餐费补贴此前已全部发放，本次没有重复发放。" in response.content.decode()
    assert LedgerEntry.objects.filter(idempotency_key="subsidy:2026-11").count() == 3
    assert Wallet.objects.get(person=person_y).balance == Decimal("300.00")
    assert "900.00 元" in response.content.decode()  # recent months table


def test_subsidy_rule_bad_month(client, canteen_manager):
    client.force_login(canteen_manager)
    response = client.post(
        reverse("canteen:subsidy"), {"action": "rule", "rule-month": "11月", "rule-amount": "1"}
    )
    assert "请按“年-月”填写月份" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def _import(client, rows, month="2026-11", **kw):
    return client.post(
        reverse("canteen:subsidy"),
        {"action": "import", "import-month": month, "import-file": xlsx_file(rows, **kw)},
    )


def test_subsidy_import_with_errors_writes_nothing(client, canteen_manager, staff_x, person_y):
    client.force_login(canteen_manager)
    response = _import(
        client, [["", "教育局职工", "13912345678", "300"], ["", "查无此人", "", "300"]]
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "有 1 行存在问题，未发放任何补贴" in html
    assert "本中心没有名为“查无此人”的人员。" in html
    assert not LedgerEntry.objects.exists()


def test_subsidy_import_bad_file(client, canteen_manager):
    client.force_login(canteen_manager)
    response = _import(client, [["x"]], headers=["姓名"])
    assert "缺少必需的列：金额" in response.content.decode()
    response = client.post(
        reverse("canteen:subsidy"),
        {
            "action": "import",
            "import-month": "2026-11",
            "import-file": io.BytesIO(b"not excel"),
        },
    )
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_subsidy_import_happy_path(client, canteen_manager, staff_x, person_y):
    client.force_login(canteen_manager)
    response = _import(
        client, [["教育局", "教育局职工", "13912345678", "280"], ["", "职工甲", "", "300"]]
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "导入成功：2 人发放2026年11月餐费补贴，共 580.00 元。" in html
    response = _import(client, [["", "职工甲", "", "300"]])
    html = client.get(response["Location"]).content.decode()
    assert "0 人发放" in html and "另有 1 人本月已发放过，未重复发放。" in html
    assert Wallet.objects.get(person=staff_x.person).balance == Decimal("300.00")


# ---------------------------------------------------------------- ledger


def test_ledger_list_filters_and_totals(client, canteen_manager, finance_a, wallet_x, person_y):
    fund(person_y, 20, canteen_manager)
    wallets.wallet_subsidy_credit(
        actor=canteen_manager,
        center=canteen_manager.center,
        month=dt.date(2026, 11, 1),
        amount="100",
        people=[person_y],
    )
    response = page(client, finance_a, "ledger_list")
    html = response.content.decode()
    assert response.status_code == 200
    assert "职工甲" in html and "教育局职工" in html
    assert 'data-kind="topup"><td>充值</td><td class="text-end">3</td>' in html
    assert "data-net>170.00 元" in html
    html = page(client, finance_a, "ledger_list", method="subsidy").content.decode()
    assert "data-net>100.00 元" in html and "职工甲" not in html
    html = page(client, finance_a, "ledger_list", person="职工甲").content.decode()
    assert "data-net>50.00 元" in html
    html = page(client, finance_a, "ledger_list", kind="charge").content.decode()
    assert "data-net>0.00 元" in html
    assert "export=xlsx" not in html  # finance may read, not export


def test_ledger_export_needs_permission(client, canteen_manager, finance_a, wallet_x):
    rows = sheet_rows(page(client, canteen_manager, "ledger_list", export="xlsx"))
    assert rows[0][:3] == ["时间", "持卡人", "单位"]
    assert rows[1][1:7] == ["职工甲", "甲区财政局", "充值", "现金", 50, 50]
    assert page(client, finance_a, "ledger_list", export="xlsx").status_code == 403
    assert page(client, finance_a, "wallet_detail", wallet_x.pk, export="xlsx").status_code == 403


def _ledger_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("canteen:ledger_list")).status_code == 200
    return len(ctx)


def test_ledger_list_query_count_constant(client, canteen_manager, agency_x):
    for _i in range(3):
        fund(PersonFactory(agency=agency_x), 10, canteen_manager)
    client.force_login(canteen_manager)
    few = _ledger_queries(client)
    for _i in range(30):
        fund(PersonFactory(agency=agency_x), 10, canteen_manager)
    assert _ledger_queries(client) == few


# ---------------------------------------------------------------- permissions


def test_finance_officer_reads_but_cannot_write(client, finance_a, wallet_x, person_y):
    assert page(client, finance_a, "wallet_list").status_code == 200
    html = page(client, finance_a, "wallet_detail", wallet_x.pk).content.decode()
    assert 'name="topup-amount"' not in html and 'name="adj-amount"' not in html
    assert "开通餐卡" not in page(client, finance_a, "wallet_list").content.decode()
    assert _topup(client, wallet_x, "k").status_code == 403
    assert _adjust(client, wallet_x, "1").status_code == 403
    assert client.post(reverse("canteen:wallet_open", args=[person_y.pk])).status_code == 403
    assert page(client, finance_a, "subsidy").status_code == 403


def test_staff_gets_403_everywhere(client, staff_x, wallet_x, person_y):
    client.force_login(staff_x)
    for name, args in (
        ("wallet_list", []),
        ("wallet_detail", [wallet_x.pk]),
        ("subsidy", []),
        ("subsidy_template", []),
        ("ledger_list", []),
        ("adjustment_list", []),
    ):
        assert client.get(reverse(f"canteen:{name}", args=args)).status_code == 403, name
    assert _topup(client, wallet_x, "k").status_code == 403
    assert _adjust(client, wallet_x, "1").status_code == 403
    assert client.post(reverse("canteen:wallet_open", args=[person_y.pk])).status_code == 403
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("50.00")


def test_other_center_gets_404_and_sees_nothing(client, manager_b, wallet_x, person_y):
    client.force_login(manager_b)
    assert client.get(reverse("canteen:wallet_detail", args=[wallet_x.pk])).status_code == 404
    assert _topup(client, wallet_x, "k").status_code == 404
    assert _adjust(client, wallet_x, "1").status_code == 404
    assert client.post(reverse("canteen:wallet_open", args=[person_y.pk])).status_code == 404
    for name in ("wallet_list", "ledger_list", "adjustment_list"):
        html = client.get(reverse(f"canteen:{name}")).content.decode()
        assert "职工甲" not in html and "教育局职工" not in html, name
    assert not Wallet.objects.filter(person=person_y).exists()
    wallet_x.refresh_from_db()
    assert wallet_x.balance == Decimal("50.00")


@pytest.mark.parametrize("name", ["wallet_detail", "ledger_list", "adjustment_list"])
def test_htmx_filter_requests_get_the_results_fragment(client, canteen_manager, wallet_x, name):
    client.force_login(canteen_manager)
    args = [wallet_x.pk] if name == "wallet_detail" else []
    response = client.get(
        reverse(f"canteen:{name}", args=args), {"date_from": "2000-01-01"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "<table" in html


def test_wallet_detail_masks_the_phone(client, canteen_manager, wallet_x):
    phone = wallet_x.person.phone
    html = page(client, canteen_manager, "wallet_detail", wallet_x.pk).content.decode()
    assert f"{phone[:3]}****{phone[-4:]}" in html and phone not in html
