"""Budget projects and expenditures. An expenditure of at least the center's approval
threshold waits for approval (the shared mechanism, request type "finance.expenditure") and
counts as spent only once approved; smaller ones are recorded at once."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.core.approvals.services import approval_cancel, approval_submit

from ..models import BudgetProject, CostKind, Expenditure
from .common import money, require_finance, settings_for, text

REQUEST_TYPE = "finance.expenditure"


def _plan(values):
    """12 cumulative percentages (non-decreasing, 0–100, the last 100), or [] for even."""
    if not values:
        return []
    if len(values) != 12:
        raise ValidationError({"monthly_plan": _("分月支出计划须填写 12 个月的累计百分比。")})
    plan = []
    for value in values:
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError({"monthly_plan": _("分月支出计划须为数字。")}) from None
        if not 0 <= number <= 100:
            raise ValidationError({"monthly_plan": _("分月支出计划须在 0—100 之间。")})
        if plan and number < plan[-1]:
            raise ValidationError({"monthly_plan": _("分月支出计划是累计数，不能减少。")})
        plan.append(number)
    if plan[-1] != 100:
        raise ValidationError({"monthly_plan": _("12 月的累计支出计划应为 100%。")})
    return [str(p) for p in plan]


@transaction.atomic
def project_save(
    *,
    actor,
    center,
    year,
    code,
    name,
    category,
    source,
    amount,
    responsible=None,
    cost_kind="",
    monthly_plan=None,
    notes="",
    project=None,
) -> BudgetProject:
    require_finance(actor, center.pk, "finance.change_budgetproject")
    code = text(code, "code", _("项目编码"), 40, required=True)
    if category not in BudgetProject.Category.values:
        raise ValidationError({"category": _("请选择支出类别。")})
    if source not in BudgetProject.Source.values:
        raise ValidationError({"source": _("请选择资金来源。")})
    if cost_kind and cost_kind not in CostKind.values:
        raise ValidationError({"cost_kind": _("请选择要归集的费用。")})
    others = BudgetProject.objects.filter(center=center, year=year)
    if project is not None:
        others = others.exclude(pk=project.pk)
    if others.filter(code=code).exists():
        raise ValidationError({"code": _("本年度已有编码为 %(c)s 的项目。") % {"c": code}})
    if cost_kind and others.filter(cost_kind=cost_kind).exists():
        raise ValidationError({"cost_kind": _("本年度已有项目归集此类费用。")})
    if responsible is not None and responsible.center_id != center.pk:
        raise ValidationError({"responsible": _("请选择本中心的人员。")})
    project = project or BudgetProject(center=center)
    project.year, project.code = year, code
    project.name = text(name, "name", _("项目名称"), 100, required=True)
    project.category, project.source = category, source
    project.amount = money(amount, "amount", _("预算金额"))
    project.responsible, project.cost_kind = responsible, cost_kind
    project.monthly_plan = _plan(monthly_plan or [])
    project.notes = text(notes, "notes", _("说明"), 2000)
    project.save()
    return project


@transaction.atomic
def expenditure_record(
    *, actor, center, project, date, amount, payee, purpose, voucher_no=""
) -> Expenditure:
    """登记支出. At or above the threshold it goes to approval and is not yet spent."""
    require_finance(actor, center.pk)
    if project is not None:
        if project.center_id != center.pk:
            raise ValidationError({"project": _("请选择本中心的预算项目。")})
        if project.year != date.year:
            raise ValidationError({"date": _("支出日期应在预算项目所属年度内。")})
    amount = money(amount, "amount", _("金额"))
    needs_approval = amount >= settings_for(center.pk).approval_threshold
    expenditure = Expenditure.objects.create(
        center=center,
        project=project,
        date=date,
        amount=amount,
        payee=text(payee, "payee", _("收款单位/人"), 100, required=True),
        purpose=text(purpose, "purpose", _("用途"), 200, required=True),
        voucher_no=text(voucher_no, "voucher_no", _("凭证号"), 40),
        status=Expenditure.Status.PENDING if needs_approval else Expenditure.Status.RECORDED,
        recorded_by=actor,
    )
    if needs_approval:
        approval_submit(
            actor=actor,
            obj=expenditure,
            request_type=REQUEST_TYPE,
            title=_("支出审批：%(p)s %(a)s 元") % {"p": expenditure.payee, "a": amount},
            summary=expenditure.purpose,
        )
    return expenditure


@transaction.atomic
def expenditure_cancel(*, actor, expenditure) -> Expenditure:
    """撤销: a recorded or pending expenditure stops counting (kept for the record)."""
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    require_finance(actor, expenditure.center_id)
    if expenditure.source_id is not None:
        raise ValidationError(_("其他模块产生的费用请在原模块中修改。"))
    if expenditure.status not in (Expenditure.Status.RECORDED, Expenditure.Status.PENDING):
        raise ValidationError(_("该支出已撤销或未通过。"))
    if expenditure.status == Expenditure.Status.PENDING:
        from houqin.core.approvals.models import ApprovalRequest

        approval = ApprovalRequest.objects.filter(
            request_type=REQUEST_TYPE,
            object_id=expenditure.pk,
            status__in=ApprovalRequest.OPEN_STATUSES,
        ).first()
        if approval is not None:
            # The requester withdraws it (the hook marks the expenditure cancelled too).
            approval_cancel(actor=actor, approval=approval)
    expenditure.status = Expenditure.Status.CANCELLED
    expenditure.save(update_fields=["status", "updated_at"])
    return expenditure


@transaction.atomic
def expenditure_assign(*, actor, expenditure, project) -> Expenditure:
    """Put an expenditure (e.g. a module's cost) on a budget project of its year."""
    require_finance(actor, expenditure.center_id)
    if project is not None and (
        project.center_id != expenditure.center_id or project.year != expenditure.date.year
    ):
        raise ValidationError({"project": _("请选择本中心同一年度的预算项目。")})
    expenditure.project = project
    expenditure.save(update_fields=["project", "updated_at"])
    return expenditure


@transaction.atomic
def settings_save(*, actor, center, approval_threshold, voucher_due_days):
    """财务设置: the approval threshold of expenditures and the voucher handover period."""
    require_finance(actor, center.pk, "finance.change_financesettings")
    found = settings_for(center.pk)
    threshold = money(
        approval_threshold, "approval_threshold", _("须审批的支出金额"), allow_zero=True
    )
    try:
        days = int(voucher_due_days)
    except (TypeError, ValueError):
        raise ValidationError({"voucher_due_days": _("凭证移交期限须为整数天数。")}) from None
    if not 1 <= days <= 365:
        raise ValidationError({"voucher_due_days": _("凭证移交期限须在 1—365 天之间。")})
    found.approval_threshold, found.voucher_due_days = threshold, days
    found.save(update_fields=["approval_threshold", "voucher_due_days", "updated_at"])
    return found
