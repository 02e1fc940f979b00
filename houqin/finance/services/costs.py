"""The one way other modules record their costs in finance (ARCHITECTURE rule: a module never
writes another module's tables). Each cost is linked to its source row: recording the same
source again updates its expenditure, an amount of 0 removes it. It lands on the project of
its year that collects that kind of cost (BudgetProject.cost_kind), or stays unassigned (待归集)
for finance to assign. Module costs have already been through their own module's process
(a repair record, a finished work order, a renovation's final accounts), so they are
recorded without a second approval."""

from decimal import Decimal

from django.db import transaction

from ..models import BudgetProject, CostKind, Expenditure
from .common import money, text


@transaction.atomic
def cost_record(
    *, center_id, kind, source_label, source_id, date, amount, payee, purpose, actor=None
) -> Expenditure | None:
    """Record (or update, or with amount 0 remove) the expenditure of a module's cost."""
    if kind not in CostKind.values:
        raise ValueError(f"unknown cost kind {kind!r}")
    amount = Decimal(amount or 0)
    existing = (
        Expenditure.objects.select_for_update()
        .filter(center_id=center_id, source_label=source_label, source_id=source_id)
        .first()
    )
    if amount == 0:
        if existing is not None:
            existing.delete()
        return None
    amount = money(amount, "amount", "金额")
    project = BudgetProject.objects.filter(
        center_id=center_id, year=date.year, cost_kind=kind
    ).first()
    expenditure = existing or Expenditure(
        center_id=center_id, source_label=source_label, source_id=source_id
    )
    if existing is None or existing.date.year != date.year:
        expenditure.project = project
    expenditure.date, expenditure.amount = date, amount
    expenditure.payee = text(payee, "payee", "收款单位/人", 100) or "—"
    expenditure.purpose = text(purpose, "purpose", "用途", 200) or str(CostKind(kind).label)
    expenditure.cost_kind = kind
    expenditure.status = Expenditure.Status.RECORDED
    if expenditure.recorded_by_id is None:
        expenditure.recorded_by = actor
    expenditure.save()
    return expenditure
