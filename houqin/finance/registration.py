"""What the finance app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "financesettings",
    "budgetproject",
    "expenditure",
    "fixedasset",
    "assettransfer",
    "assetcount",
    "assetcountline",
    "assetdisposal",
    "procurement",
    "voucherhandover",
)
# (key, label, url name, icon, permission, order)
MENU = [
    (
        "finance_execution",
        _("预算执行"),
        "finance:execution",
        "bi-graph-up",
        "finance.view_budgetproject",
        900,
    ),
    (
        "finance_projects",
        _("预算项目"),
        "finance:project_list",
        "bi-journal-text",
        "finance.view_budgetproject",
        902,
    ),
    (
        "finance_expenditures",
        _("支出登记"),
        "finance:expenditure_list",
        "bi-cash-coin",
        "finance.view_expenditure",
        904,
    ),
    (
        "finance_assets",
        _("固定资产"),
        "finance:asset_list",
        "bi-box-seam",
        "finance.view_fixedasset",
        906,
    ),
    (
        "finance_procurement",
        _("政府采购"),
        "finance:procurement_list",
        "bi-bag-check",
        "finance.view_procurement",
        908,
    ),
    (
        "finance_vouchers",
        _("凭证移交"),
        "finance:voucher_list",
        "bi-folder2-open",
        "finance.view_voucherhandover",
        910,
    ),
]


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.menu import MenuItem, register_menu
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import hooks, models

    grant(
        Role.FINANCE_OFFICER,
        *(f"finance.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")),
    )
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *(f"finance.view_{m}" for m in MODELS))

    group = _("财务")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))

    register_request_type(
        "finance.expenditure",
        _("支出审批"),
        default_steps=[StepSpec(_("中心领导审批"), role=Role.LEADER, scope="center")],
        on_approved=hooks.expenditure_approved,
        on_rejected=hooks.expenditure_rejected,
        on_cancelled=hooks.expenditure_cancelled,
        url_for=hooks.expenditure_url,
    )
    register_request_type(
        "finance.disposal",
        _("资产处置审批"),
        default_steps=[StepSpec(_("中心领导审批"), role=Role.LEADER, scope="center")],
        on_approved=hooks.disposal_approved,
        on_rejected=hooks.disposal_rejected,
        on_cancelled=hooks.disposal_cancelled,
        url_for=hooks.disposal_url,
    )
    for code, label in (
        ("finance.voucher_overdue", _("凭证移交逾期")),
        ("finance.behind_plan", _("预算执行进度滞后")),
    ):
        register_kind(code, label)

    from houqin.core.menu import TodoSource, register_todo_source

    from .todos import finance_todos

    register_todo_source(TodoSource("finance", _("财务"), "bi-cash-coin", finance_todos, 700))

    for model in (
        models.FinanceSettings,
        models.BudgetProject,
        models.Expenditure,
        models.FixedAsset,
        models.AssetTransfer,
        models.AssetCount,
        models.AssetCountLine,
        models.AssetDisposal,
        models.Procurement,
        models.VoucherHandover,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
