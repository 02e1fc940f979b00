"""Reconciliation: balance == Σ ledger == last balance_after, in a constant number of queries,
and the canteen_reconcile command on a clean and on a corrupted database."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.canteen.models import Wallet
from houqin.canteen.reconcile import reconcile, reconcile_status
from houqin.canteen.services import wallets
from houqin.org.tests.factories import PersonFactory

from .factories import fund

pytestmark = pytest.mark.django_db


def corrupt(wallet, balance):
    """Bypass the ledger as a buggy script or a manual SQL fix would."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Wallet._meta.db_table} SET balance = %s WHERE id = %s",  # noqa: S608
            [str(balance), wallet.pk],
        )


def run(*args):
    out = StringIO()
    call_command("canteen_reconcile", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def funded(canteen_manager, staff_x, person_y):
    a = fund(staff_x.person, "50.10", canteen_manager)
    fund(staff_x.person, "0.20", canteen_manager)  # 50.30: sums that floats get wrong
    b = fund(person_y, 20, canteen_manager)
    wallets.wallet_get_or_open(person=canteen_manager.person)  # a wallet without any row
    return a, b


def test_clean_database(funded):
    assert reconcile() == []
    assert run() == "3 个餐卡核对一致\n"


def test_corrupted_balance_is_reported_and_exits_non_zero(funded):
    a, _b = funded
    corrupt(a, "60.30")
    [d] = reconcile()
    assert d.wallet == a
    assert (d.balance, d.ledger_sum, d.last_balance_after) == (
        Decimal("60.30"),
        Decimal("50.30"),
        Decimal("50.30"),
    )
    assert d.difference == Decimal("10.00")
    out = StringIO()
    with pytest.raises(CommandError, match="3 个餐卡，1 个余额与流水不一致") as info:
        call_command("canteen_reconcile", stdout=out)
    assert info.value.returncode == 1
    assert "职工甲：余额 60.30 元，流水合计 50.30 元，最后一笔流水结余 50.30 元，差额 10.00 元" in (
        out.getvalue()
    )


def test_wallet_without_rows_but_a_balance_is_reported(canteen_manager):
    wallet = wallets.wallet_get_or_open(person=canteen_manager.person)
    corrupt(wallet, "5.00")
    [d] = reconcile()
    assert (d.balance, d.ledger_sum, d.last_balance_after) == (Decimal("5.00"), 0, 0)


def test_center_option(funded, center_b, agency_b, canteen_manager):
    a, _b = funded
    corrupt(a, "1.00")
    assert run("--center", "B") == "0 个餐卡核对一致\n"
    with pytest.raises(CommandError):
        run("--center", "A")
    with pytest.raises(CommandError, match="没有编码为 Z 的后勤服务中心"):
        run("--center", "Z")


def test_constant_number_of_queries(canteen_manager, agency_x, center_a):
    people = [PersonFactory(agency=agency_x) for _ in range(12)]
    for person in people[:3]:
        fund(person, 10, canteen_manager)
    corrupt(Wallet.objects.first(), "99.00")
    with CaptureQueriesContext(connection) as few:
        assert len(reconcile_status(center_a.pk).discrepancies) == 1
    for person in people[3:]:
        fund(person, 10, canteen_manager)
        fund(person, 5, canteen_manager)
    for wallet in Wallet.objects.all()[1:4]:
        corrupt(wallet, "1.00")
    with CaptureQueriesContext(connection) as many:
        assert len(reconcile_status(center_a.pk).discrepancies) == 4
    assert len(many) == len(few) == 2
