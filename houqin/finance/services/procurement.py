"""Government procurement records (政府采购). From 已签合同 on a record needs the supplier,
the contract amount and the contract date; an amount above the budget is allowed (the page
warns)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Procurement
from .common import money, require_finance, text

PERM = "finance.change_procurement"
CONTRACTED = (
    Procurement.Status.CONTRACTED,
    Procurement.Status.ACCEPTED,
    Procurement.Status.PAID,
)


def over_budget(procurement) -> bool:
    return procurement.amount is not None and procurement.amount > procurement.budget


@transaction.atomic
def procurement_save(
    *,
    actor,
    center,
    item,
    method,
    budget,
    status=Procurement.Status.PLANNED,
    filing_number="",
    project=None,
    supplier="",
    amount=None,
    contract_no="",
    contract_date=None,
    notes="",
    procurement=None,
) -> Procurement:
    require_finance(actor, center.pk, PERM)
    if method not in Procurement.Method.values:
        raise ValidationError({"method": _("请选择采购方式。")})
    if status not in Procurement.Status.values:
        raise ValidationError({"status": _("请选择状态。")})
    if project is not None and project.center_id != center.pk:
        raise ValidationError({"project": _("请选择本中心的预算项目。")})
    supplier = text(supplier, "supplier", _("供应商"), 100)
    amount = (
        None if amount in (None, "") else money(amount, "amount", _("成交金额"), allow_zero=True)
    )
    if status in CONTRACTED:
        errors = {}
        if not supplier:
            errors["supplier"] = _("已签合同的采购须填写供应商。")
        if amount is None:
            errors["amount"] = _("已签合同的采购须填写成交金额。")
        if contract_date is None:
            errors["contract_date"] = _("已签合同的采购须填写合同日期。")
        if errors:
            raise ValidationError(errors)
    if contract_date is not None and contract_date > timezone.localdate():
        raise ValidationError({"contract_date": _("合同日期不能晚于今天。")})
    if project is not None and contract_date is not None and project.year != contract_date.year:
        raise ValidationError({"project": _("合同日期应在预算项目所属年度内。")})
    procurement = procurement or Procurement(center=center)
    procurement.item = text(item, "item", _("采购项目"), 100, required=True)
    procurement.method, procurement.status, procurement.project = method, status, project
    procurement.filing_number = text(filing_number, "filing_number", _("备案编号"), 60)
    procurement.budget = money(budget, "budget", _("预算金额"))
    procurement.supplier, procurement.amount = supplier, amount
    procurement.contract_no = text(contract_no, "contract_no", _("合同编号"), 60)
    procurement.contract_date = contract_date
    procurement.notes = text(notes, "notes", _("说明"), 2000)
    procurement.save()
    _record_payment(procurement, actor)
    return procurement


def _record_payment(procurement, actor):
    """A paid procurement is an expenditure (kind 政府采购, one per record, dated the day it
    was marked paid) on its own budget project when that is of the payment's year; leaving
    已付款 removes it."""
    from ..models import Expenditure
    from .costs import cost_record

    source = {"source_label": "finance.procurement", "source_id": procurement.pk}
    paid = procurement.status == Procurement.Status.PAID and procurement.amount
    existing = Expenditure.objects.filter(center_id=procurement.center_id, **source).first()
    day = existing.date if existing is not None else timezone.localdate()
    expenditure = cost_record(
        center_id=procurement.center_id,
        kind="purchase",
        date=day,
        amount=procurement.amount if paid else 0,
        payee=procurement.supplier,
        purpose=_("政府采购：%(i)s") % {"i": procurement.item},
        actor=actor,
        **source,
    )
    project = procurement.project
    if (
        expenditure is not None
        and project is not None
        and project.year == day.year
        and expenditure.project_id != project.pk
    ):
        expenditure.project = project
        expenditure.save(update_fields=["project", "updated_at"])
