"""Procurement records (contracted needs supplier, amount, contract date; over budget
allowed) and the affiliated units' voucher handovers with their overdue reminder."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.finance.models import FinanceSettings, Procurement, VoucherHandover
from houqin.finance.services.procurement import over_budget, procurement_save
from houqin.finance.services.vouchers import overdue, voucher_handover, voucher_plan
from houqin.finance.todos import finance_todos

pytestmark = pytest.mark.django_db


def _save(actor, **fields):
    data = {
        "item": "办公家具采购",
        "method": "inquiry",
        "budget": Decimal("200000"),
        "filing_number": "QX-2026-001",
    }
    data.update(fields)
    return procurement_save(actor=actor, center=actor.center, **data)


def test_procurement_through_its_statuses(finance_a):
    p = _save(finance_a)
    assert p.status == Procurement.Status.PLANNED and p.amount is None
    _save(
        finance_a,
        procurement=p,
        status="contracted",
        supplier="某家具公司",
        amount=Decimal("198000"),
        contract_no="HT-01",
        contract_date=dt.date(2026, 6, 1),
    )
    p.refresh_from_db()
    assert (p.status, p.supplier, p.amount) == ("contracted", "某家具公司", Decimal("198000"))
    assert not over_budget(p)


def test_contracted_without_supplier_refused(finance_a):
    with pytest.raises(ValidationError) as exc:
        _save(finance_a, status="contracted", amount=Decimal("1000"), contract_date=None)
    assert exc.value.message_dict == {
        "supplier": ["已签合同的采购须填写供应商。"],
        "contract_date": ["已签合同的采购须填写合同日期。"],
    }
    with pytest.raises(ValidationError) as exc:
        _save(finance_a, status="paid", supplier="某公司", contract_date=dt.date(2026, 1, 5))
    assert exc.value.message_dict == {"amount": ["已签合同的采购须填写成交金额。"]}
    assert not Procurement.objects.exists()


def test_amount_above_budget_is_allowed(finance_a):
    p = _save(
        finance_a,
        status="accepted",
        supplier="某公司",
        amount=Decimal("210000"),
        contract_date=dt.date(2026, 3, 1),
    )
    assert over_budget(p)


def test_procurement_bad_input_and_permissions(finance_a, finance_b, staff_x):
    with pytest.raises(ValidationError) as exc:
        _save(finance_a, budget=Decimal("0"))
    assert exc.value.message_dict["budget"] == ["预算金额必须大于 0。"]
    with pytest.raises(ValidationError) as exc:
        _save(finance_a, method="auction")
    assert exc.value.message_dict["method"] == ["请选择采购方式。"]
    with pytest.raises(PermissionDenied):
        procurement_save(actor=staff_x, center=finance_a.center, item="x", method="self", budget=1)
    with pytest.raises(PermissionDenied):
        procurement_save(
            actor=finance_b, center=finance_a.center, item="x", method="self", budget=1
        )
    assert not Procurement.objects.exists()


# ------------------------------------------------------------------ vouchers

Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


def _plan(actor, units, period=Q3):
    return voucher_plan(
        actor=actor,
        center=actor.center,
        units=units,
        period_start=period[0],
        period_end=period[1],
    )


def test_voucher_plan_due_date_from_settings(finance_a, agency_x, agency_y):
    FinanceSettings.objects.create(center=finance_a.center, voucher_due_days=10)
    rows = _plan(finance_a, [agency_x, agency_y])
    assert {r.due_date for r in rows} == {dt.date(2026, 10, 10)}
    with pytest.raises(ValidationError) as exc:
        _plan(finance_a, [agency_x])
    assert exc.value.message_dict["units"] == ["所选单位该期间的移交计划已存在。"]
    assert VoucherHandover.objects.count() == 2


def test_voucher_plan_bad_input(finance_a, agency_x, agency_b):
    with pytest.raises(ValidationError) as exc:
        _plan(finance_a, [agency_b])
    assert exc.value.message_dict["units"] == ["请选择本中心服务的单位。"]
    with pytest.raises(ValidationError) as exc:
        _plan(finance_a, [agency_x], (dt.date(2026, 9, 30), dt.date(2026, 7, 1)))
    assert exc.value.message_dict["period_end"] == ["所属期间止不能早于期间起。"]
    assert not VoucherHandover.objects.exists()


def test_voucher_overdue_and_handover(finance_a, agency_x, agency_y, staff_x):
    """Q3 due 15 October (default 15 days): on 26 November both are overdue; one is handed
    over and leaves the overdue list and the finance officer's to-do."""
    x, y = _plan(finance_a, [agency_x, agency_y])
    assert x.due_date == dt.date(2026, 10, 15)
    today = dt.date(2026, 11, 26)
    assert set(overdue(VoucherHandover.objects.all(), today)) == {x, y}
    assert not overdue(VoucherHandover.objects.all(), dt.date(2026, 10, 15)).exists()
    voucher_handover(
        actor=finance_a,
        voucher=x,
        voucher_count=320,
        volumes=3,
        handed_by="张会计",
        handed_on=dt.date(2026, 10, 20),
    )
    x.refresh_from_db()
    assert x.received_by == finance_a and x.voucher_count == 320
    assert list(overdue(VoucherHandover.objects.all(), today)) == [y]
    count, items = finance_todos(finance_a, 5)
    assert count == 1 and "1 项凭证移交已逾期" in items[0].title and items[0].overdue
    assert finance_todos(staff_x, 5) == (0, [])


def test_voucher_handover_rules(finance_a, agency_x):
    (x,) = _plan(finance_a, [agency_x])
    cases = [
        ({"voucher_count": 0}, "voucher_count", "凭证张数必须大于 0。"),
        ({"handed_by": " "}, "handed_by", "请填写移交人。"),
        ({"handed_on": dt.date(2026, 6, 1)}, "handed_on", "移交日期不能早于所属期间。"),
    ]
    for change, field, message in cases:
        data = {
            "voucher_count": 10,
            "volumes": 1,
            "handed_by": "张会计",
            "handed_on": dt.date(2026, 10, 1),
            **change,
        }
        with pytest.raises(ValidationError) as exc:
            voucher_handover(actor=finance_a, voucher=x, **data)
        assert exc.value.message_dict[field] == [message]
    x.refresh_from_db()
    assert x.handed_on is None and x.received_by is None


def test_paid_procurement_becomes_an_expenditure_on_its_project(center_a, finance_a):
    """Marking a procurement 已付款 records its amount through the finance cost service (once),
    on the procurement's own project; going back removes it."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from houqin.finance.execution import execution
    from houqin.finance.models import Expenditure
    from houqin.finance.services.budgets import project_save
    from houqin.finance.services.procurement import procurement_save

    year = timezone.localdate().year
    project = project_save(
        actor=None,
        center=center_a,
        year=year,
        code="CG",
        name="办公设备购置",
        category="project",
        source="general",
        amount=Decimal("100000"),
    )
    fields = {
        "actor": finance_a,
        "center": center_a,
        "item": "会议室音响",
        "method": "inquiry",
        "budget": Decimal("50000"),
        "supplier": "某音响公司",
        "amount": Decimal("48000"),
        "contract_date": dt.date(year, 1, 2),
        "project": project,
    }
    record = procurement_save(status="contracted", **fields)
    assert not Expenditure.objects.exists()
    procurement_save(status="paid", procurement=record, **fields)
    procurement_save(status="paid", procurement=record, **fields)
    [paid] = Expenditure.objects.all()
    assert (paid.project, paid.amount, paid.cost_kind) == (project, Decimal("48000"), "purchase")
    today = timezone.localdate()
    assert execution(center_a.pk, year, today).lines[0].spent == Decimal("48000")
    procurement_save(status="accepted", procurement=record, **fields)
    assert not Expenditure.objects.exists()
