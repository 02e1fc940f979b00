"""What the canteen app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant
    from houqin.org.signals import person_left

    from . import hooks, models

    manage = [
        f"canteen.{action}_{model}"
        for model in (
            "mealslot",
            "dish",
            "menu",
            "menuitem",
            "mealorder",
            "walkinsale",
            "wallet",
            "ledgerentry",
            "walletadjustment",
            "onlinepayment",
            "pickupdevice",
            "canteenworker",
            "morningcheck",
            "sampleretention",
            "purchaseinspection",
            "foodsafetyplan",
        )
        for action in ("view", "add", "change", "delete")
    ]
    grant(
        Role.CANTEEN_MANAGER,
        *manage,
        "canteen.topup_wallet",
        "canteen.export_ledgerentry",
        "canteen.collect_mealorder",
    )
    reports = ("canteen.view_menu", "canteen.view_dish", "canteen.view_mealslot")
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *reports)
    grant(Role.FINANCE_OFFICER, *reports, "canteen.view_wallet", "canteen.view_ledgerentry")

    register_request_type(
        "canteen.adjustment",
        _("餐卡调账"),
        default_steps=[StepSpec(_("财务审核"), role=Role.FINANCE_OFFICER, scope="center")],
        on_approved=hooks.adjustment_approved,
        on_rejected=hooks.adjustment_rejected,
        on_cancelled=hooks.adjustment_cancelled,
        url_for=hooks.adjustment_url,
    )
    for code, label in (
        ("canteen.menu_cancelled", _("餐次停供退款")),
        ("canteen.menu_published", _("下周菜单已发布")),
        ("canteen.adjustment", _("餐卡调账结果")),
        ("canteen.wallet_closed", _("餐卡销户")),
    ):
        register_kind(code, label)

    person_left.connect(hooks.close_wallet_of_leaver, dispatch_uid="canteen.close_wallet")

    for model in (
        models.MealSlot,
        models.Dish,
        models.Menu,
        models.MenuItem,
        models.Wallet,
        models.WalletAdjustment,
        models.PickupDevice,
        models.CanteenWorker,
        models.PurchaseInspection,
        models.SampleRetention,
    ):
        auditlog.register(model, exclude_fields=["updated_at", "ordered_count", "token_digest"])
