"""What the vendors app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "vendor",
    "contract",
    "vendorstaff",
    "evaluationsheet",
    "evaluationitem",
    "vendorevaluation",
    "evaluationscore",
)
MENU = [
    (
        "vendors_vendors",
        _("外包单位"),
        "vendors:vendor_list",
        "bi-building-gear",
        "vendors.view_vendor",
        950,
    ),
    (
        "vendors_contracts",
        _("服务合同"),
        "vendors:contract_list",
        "bi-file-earmark-text",
        "vendors.view_contract",
        952,
    ),
    (
        "vendors_evaluations",
        _("外包考核"),
        "vendors:evaluation_list",
        "bi-clipboard-data",
        "vendors.view_vendorevaluation",
        954,
    ),
]


def register():
    from auditlog.registry import auditlog

    from houqin.core.menu import MenuItem, TodoSource, register_menu, register_todo_source
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import models

    grant(
        Role.VENDOR_MANAGER,
        *(f"vendors.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")),
    )
    for role in (Role.CENTER_ADMIN, Role.LEADER, Role.FINANCE_OFFICER):
        grant(role, *(f"vendors.view_{m}" for m in MODELS))

    group = _("外包")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    for code, label in (
        ("vendors.payment_flagged", _("外包考核不合格，付款预警")),
        ("vendors.contract_expiry", _("外包合同即将到期")),
        ("vendors.health_cert_expiry", _("外包人员健康证即将到期")),
    ):
        register_kind(code, label)
    from .todos import vendor_todos

    register_todo_source(TodoSource("vendors", _("外包"), "bi-building-gear", vendor_todos, 950))
    for model in (
        models.Vendor,
        models.Contract,
        models.VendorStaff,
        models.EvaluationSheet,
        models.EvaluationItem,
        models.VendorEvaluation,
        models.EvaluationScore,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
