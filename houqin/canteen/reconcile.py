"""Wallet reconciliation: every balance must equal the sum of its ledger rows and the
balance_after of its latest row (rule "money is never lost or created").

One aggregate query whatever the number of wallets: the differences are found in SQL and only
the wallets that differ are fetched. Amounts are compared with a half-cent tolerance so that
SQLite's numeric storage cannot report a false difference; every real difference is ≥ 0.01.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import LedgerEntry, Wallet

CENT = Decimal("0.01")
TOLERANCE = Decimal("0.005")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Discrepancy:
    wallet: Wallet
    balance: Decimal
    ledger_sum: Decimal
    last_balance_after: Decimal

    @property
    def difference(self) -> Decimal:
        """balance − Σ ledger: positive when the balance holds money no row explains."""
        return self.balance - self.ledger_sum


@dataclass(frozen=True)
class ReconcileStatus:
    checked: int
    discrepancies: list[Discrepancy]

    @property
    def ok(self) -> bool:
        return not self.discrepancies


def _wallets(center_id=None):
    qs = Wallet.objects.all()
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    return qs


def _annotated(qs):
    rows = LedgerEntry.objects.filter(wallet=OuterRef("pk")).order_by()
    ledger_sum = rows.values("wallet").annotate(total=Sum("amount")).values("total")[:1]
    # Rows are written under the wallet's lock, so the highest id is the latest row.
    last_after = rows.order_by("-id").values("balance_after")[:1]
    zero = Value(Decimal("0.00"), output_field=MONEY)
    return qs.annotate(
        ledger_sum=Coalesce(Subquery(ledger_sum, output_field=MONEY), zero),
        last_after=Coalesce(Subquery(last_after, output_field=MONEY), zero),
    ).annotate(
        sum_diff=F("balance") - F("ledger_sum"),
        last_diff=F("balance") - F("last_after"),
    )


def _differs(field):
    return Q(**{f"{field}__gt": TOLERANCE}) | Q(**{f"{field}__lt": -TOLERANCE})


def reconcile(center_id=None) -> list[Discrepancy]:
    """The wallets (of one center, or all) whose balance disagrees with their ledger.

    One query, whatever the number of wallets or ledger rows.
    """
    qs = (
        _annotated(_wallets(center_id))
        .filter(_differs("sum_diff") | _differs("last_diff"))
        .select_related("person", "center")
        .order_by("center_id", "pk")
    )
    return [
        Discrepancy(
            wallet=w,
            balance=Decimal(w.balance).quantize(CENT),
            ledger_sum=Decimal(w.ledger_sum).quantize(CENT),
            last_balance_after=Decimal(w.last_after).quantize(CENT),
        )
        for w in qs
    ]


def reconcile_status(center_id=None) -> ReconcileStatus:
    """How many wallets were checked and which differ (two queries)."""
    return ReconcileStatus(checked=_wallets(center_id).count(), discrepancies=reconcile(center_id))
