"""Wallet administration services: opening a wallet, the monthly subsidy by rule and by import.

Fixtures defined here (finance_a, manager_b, xlsx_file) are reused by the view tests.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from houqin.canteen.models import LedgerEntry, Wallet
from houqin.canteen.services import wallets
from houqin.core.roles import Role
from houqin.core.xlsx import read_table
from houqin.org.models import Person
from houqin.org.services import ImportRowsError
from houqin.org.tests.factories import PersonFactory, make_user

from .factories import fund

pytestmark = pytest.mark.django_db

MONTH = dt.date(2026, 11, 1)
HEADERS = ["单位", "姓名", "手机号码", "金额"]


@pytest.fixture
def finance_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财务甲"), Role.FINANCE_OFFICER, username="finance_a"
    )


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区食堂管理员"),
        Role.CANTEEN_MANAGER,
        username="canteen_b",
    )


def xlsx_file(rows, headers=HEADERS, name="subsidy.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def subsidy_rows(rows):
    from houqin.canteen.views.wallets import SUBSIDY_COLUMNS

    return read_table(xlsx_file(rows), SUBSIDY_COLUMNS)


def subsidy_total(center):
    return sum(
        (
            e.amount
            for e in LedgerEntry.objects.filter(center=center, idempotency_key="subsidy:2026-11")
        ),
        Decimal("0"),
    )


# ---------------------------------------------------------------- wallet_open


def test_wallet_open_for_active_person(canteen_manager, person_y):
    wallet = wallets.wallet_open(actor=canteen_manager, person=person_y)
    assert wallet.person == person_y and wallet.balance == 0
    assert wallet.status == Wallet.Status.OPEN and wallet.center_id == person_y.center_id
    with pytest.raises(ValidationError, match="已开通餐卡"):
        wallets.wallet_open(actor=canteen_manager, person=person_y)


def test_wallet_open_refused_for_other_center_and_leavers(
    canteen_manager, manager_b, person_y, agency_x
):
    with pytest.raises(PermissionDenied):
        wallets.wallet_open(actor=manager_b, person=person_y)
    retired = PersonFactory(
        agency=agency_x, name="退休职工", status=Person.Status.RETIRED, status_date=MONTH
    )
    with pytest.raises(ValidationError, match="不是在职人员"):
        wallets.wallet_open(actor=canteen_manager, person=retired)
    assert not Wallet.objects.exists()


def test_wallet_open_needs_permission(staff_x, person_y):
    with pytest.raises(PermissionDenied):
        wallets.wallet_open(actor=staff_x, person=person_y)


# ---------------------------------------------------------------- subsidy by rule


def test_subsidy_rule_twice_credits_each_person_once(
    center_a, canteen_manager, staff_x, person_y, person_b
):
    active = Person.objects.filter(center=center_a, status=Person.Status.ACTIVE).count()
    first = wallets.wallet_subsidy_credit(
        actor=canteen_manager, center=center_a, month=MONTH, amount="300"
    )
    again = wallets.wallet_subsidy_credit(
        actor=canteen_manager, center=center_a, month=MONTH, amount="300"
    )
    assert first == active and again == 0
    assert subsidy_total(center_a) == Decimal("300.00") * active
    assert not Wallet.objects.filter(person=person_b).exists()  # another center: untouched
    wallet = Wallet.objects.get(person=person_y)
    assert wallet.balance == Decimal("300.00")


# ---------------------------------------------------------------- subsidy by import


def test_import_happy_path_matches_by_phone_or_unique_name(
    center_a, canteen_manager, staff_x, person_y
):
    rows = subsidy_rows(
        [
            ["教育局", "教育局职工", "13912345678", "280.50"],
            ["", staff_x.person.name, "", 300],
        ]
    )
    result = wallets.wallet_subsidy_import(
        actor=canteen_manager, center=center_a, month=MONTH, rows=rows
    )
    assert (result.credited, result.skipped, result.total) == (2, 0, Decimal("580.50"))
    assert Wallet.objects.get(person=person_y).balance == Decimal("280.50")
    assert Wallet.objects.get(person=staff_x.person).balance == Decimal("300.00")
    entry = LedgerEntry.objects.get(wallet__person=person_y)
    assert entry.method == "subsidy" and entry.actor == canteen_manager
    assert entry.reason == "2026年11月餐费补贴"


def test_import_skips_people_already_credited_by_rule(center_a, canteen_manager, staff_x, person_y):
    wallets.wallet_subsidy_credit(
        actor=canteen_manager, center=center_a, month=MONTH, amount="300", people=[person_y]
    )
    rows = subsidy_rows(
        [["", "教育局职工", "13912345678", "300"], ["", staff_x.person.name, "", "300"]]
    )
    result = wallets.wallet_subsidy_import(
        actor=canteen_manager, center=center_a, month=MONTH, rows=rows
    )
    assert (result.credited, result.skipped) == (1, 1)
    assert Wallet.objects.get(person=person_y).balance == Decimal("300.00")
    again = wallets.wallet_subsidy_import(
        actor=canteen_manager, center=center_a, month=MONTH, rows=rows
    )
    assert (again.credited, again.skipped) == (0, 2)
    # the rule after an import credits nobody twice either
    assert (
        wallets.wallet_subsidy_credit(
            actor=canteen_manager,
            center=center_a,
            month=MONTH,
            amount="300",
            people=[person_y, staff_x.person],
        )
        == 0
    )


def test_import_with_errors_writes_nothing_and_lists_every_row(
    center_a, agency_x, canteen_manager, staff_x, person_y, person_b
):
    PersonFactory(agency=agency_x, name="同名", phone="13900000001")
    PersonFactory(agency=agency_x, name="同名", phone="13900000002")
    closed = PersonFactory(agency=agency_x, name="已销户", phone="13900000003")
    fund(closed, 10, canteen_manager)
    wallets.wallet_close(actor=canteen_manager, person=closed)
    rows = subsidy_rows(
        [
            ["", "教育局职工", "13912345678", "300"],  # fine (row 2)
            ["", "查无此人", "", "300"],  # unknown (3)
            ["", "同名", "", "300"],  # ambiguous (4)
            ["", "教育局职工", "13912345678", "300"],  # duplicate of row 2 (5)
            ["", staff_x.person.name, "", "abc"],  # bad amount (6)
            ["", staff_x.person.name, "", "-5"],  # duplicate and not positive (7)
            ["", "已销户", "13900000003", "300"],  # closed wallet (8)
            ["", person_b.name, "", "300"],  # another center's person (9)
            ["", "教育局职工", "13800000000", "300"],  # wrong phone (10)
            ["不存在的局", "教育局职工", "", "300"],  # unknown agency (11)
            ["", "同名", "13900000001", "1.234"],  # too many decimals (12)
        ]
    )
    with pytest.raises(ImportRowsError) as info:
        wallets.wallet_subsidy_import(
            actor=canteen_manager, center=center_a, month=MONTH, rows=rows
        )
    errors = dict(info.value.errors)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    assert "没有名为“查无此人”" in errors[3]
    assert "有 2 位“同名”" in errors[4]
    assert "与第 2 行是同一人" in errors[5]
    assert "请填写有效的金额" in errors[6]
    assert "餐卡已销户" in errors[8]
    assert "没有名为“乙区职工”" in errors[9]
    assert "手机号码为“13800000000”" in errors[10]
    assert "单位“不存在的局”不存在" in errors[11]
    assert "两位小数" in errors[12]
    messages = [m for row, m in info.value.errors if row == 7]
    assert any("同一人" in m for m in messages) and any("大于 0" in m for m in messages)
    assert not LedgerEntry.objects.filter(method="subsidy").exists()
    assert not Wallet.objects.filter(person=person_y).exists()


def test_import_refuses_retired_people(center_a, agency_x, canteen_manager):
    PersonFactory(
        agency=agency_x,
        name="退休职工",
        phone="13900000009",
        status=Person.Status.RETIRED,
        status_date=MONTH,
    )
    with pytest.raises(ImportRowsError) as info:
        wallets.wallet_subsidy_import(
            actor=canteen_manager,
            center=center_a,
            month=MONTH,
            rows=subsidy_rows([["", "退休职工", "", "300"]]),
        )
    assert "已退休" in info.value.errors[0][1]


def test_import_name_narrowed_by_agency(center_a, agency_x, agency_y, canteen_manager):
    PersonFactory(agency=agency_x, name="同名", phone="13900000001")
    target = PersonFactory(agency=agency_y, name="同名", phone="13900000002")
    result = wallets.wallet_subsidy_import(
        actor=canteen_manager,
        center=center_a,
        month=MONTH,
        rows=subsidy_rows([["教育局", "同名", "", "100"]]),
    )
    assert result.credited == 1
    assert Wallet.objects.get(person=target).balance == Decimal("100.00")


def test_import_needs_topup_permission(center_a, finance_a, person_y):
    with pytest.raises(PermissionDenied):
        wallets.wallet_subsidy_import(
            actor=finance_a,
            center=center_a,
            month=MONTH,
            rows=subsidy_rows([["", "教育局职工", "", "100"]]),
        )
