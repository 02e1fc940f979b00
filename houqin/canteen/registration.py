"""What the canteen app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.menu import MenuItem, PortalTile, register_menu, register_portal_tile
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

    group = _("食堂")
    for key, label, url_name, icon, perm, order in (
        ("canteen_home", _("订餐"), "canteen:home", "bi-egg-fried", None, 400),
        ("canteen_orders", _("我的订单"), "canteen:my_orders", "bi-bag-check", None, 402),
        ("canteen_wallet", _("我的餐卡"), "canteen:my_wallet", "bi-credit-card", None, 404),
        (
            "canteen_counter",
            _("取餐核销"),
            "canteen:counter",
            "bi-qr-code-scan",
            "canteen.collect_mealorder",
            410,
        ),
        (
            "canteen_menus",
            _("菜单管理"),
            "canteen:menu_week",
            "bi-calendar-week",
            "canteen.change_menu",
            420,
        ),
        ("canteen_dishes", _("菜品"), "canteen:dish_list", "bi-basket", "canteen.change_dish", 422),
        (
            "canteen_slots",
            _("餐次设置"),
            "canteen:slot_settings",
            "bi-clock",
            "canteen.change_mealslot",
            424,
        ),
        (
            "canteen_production",
            _("生产单"),
            "canteen:production",
            "bi-clipboard-check",
            "canteen.view_menu",
            430,
        ),
        (
            "canteen_report",
            _("就餐统计"),
            "canteen:meal_report",
            "bi-bar-chart-line",
            "canteen.view_menu",
            432,
        ),
        (
            "canteen_order_list",
            _("订餐记录"),
            "canteen:order_list",
            "bi-receipt",
            "canteen.view_mealorder",
            434,
        ),
        (
            "canteen_wallets",
            _("餐卡管理"),
            "canteen:wallet_list",
            "bi-wallet2",
            "canteen.view_wallet",
            440,
        ),
        (
            "canteen_ledger",
            _("餐卡流水"),
            "canteen:ledger_list",
            "bi-journal-text",
            "canteen.view_ledgerentry",
            442,
        ),
        (
            "canteen_subsidy",
            _("餐费补贴"),
            "canteen:subsidy",
            "bi-cash-stack",
            "canteen.topup_wallet",
            444,
        ),
        (
            "canteen_adjustments",
            _("餐卡调账"),
            "canteen:adjustment_list",
            "bi-pencil-square",
            "canteen.view_wallet",
            446,
        ),
        (
            "canteen_food_safety",
            _("食品安全"),
            "canteen:food_safety",
            "bi-shield-check",
            "canteen.view_morningcheck",
            450,
        ),
        (
            "canteen_devices",
            _("核销终端"),
            "canteen:device_list",
            "bi-upc-scan",
            "canteen.view_pickupdevice",
            460,
        ),
    ):
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    register_portal_tile(
        PortalTile("canteen_order", _("订餐"), "canteen:home", "bi-egg-fried", None, 10)
    )
    register_portal_tile(
        PortalTile("canteen_wallet", _("餐卡"), "canteen:my_wallet", "bi-credit-card", None, 15)
    )

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
        models.MorningCheck,
        models.PurchaseInspection,
        models.SampleRetention,
    ):
        auditlog.register(model, exclude_fields=["updated_at", "ordered_count", "token_digest"])
