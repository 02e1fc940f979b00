"""django-tables2 tables of the wallet administration pages. Money: 2 decimals and 元."""

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from houqin.core.crypto import mask_phone
from houqin.org.models import Person

from ..models import LedgerEntry, PickupDevice, Wallet, WalletAdjustment

TABLE_ATTRS = getattr(settings, "DJANGO_TABLES2_TABLE_ATTRS", {"class": "table"})


def yuan(value):
    return f"{value:,.2f} 元" if value is not None else "—"


def signed_yuan(value):
    css = "text-success" if value > 0 else "text-danger"
    return format_html('<span class="{}">{}{}</span>', css, "+" if value > 0 else "", yuan(value))


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def who(user):
    return user.display_name if user is not None else "—"


WALLET_CSS = {Wallet.Status.OPEN: "success", Wallet.Status.CLOSED: "secondary"}
ADJUSTMENT_CSS = {
    WalletAdjustment.Status.PENDING: "warning",
    WalletAdjustment.Status.APPROVED: "success",
    WalletAdjustment.Status.REJECTED: "danger",
    WalletAdjustment.Status.CANCELLED: "secondary",
}


def _wallet(person):
    try:
        return person.wallet
    except Wallet.DoesNotExist:
        return None


class WalletPersonTable(tables.Table):
    """People of the center with their wallet (select_related("agency", "wallet"))."""

    name = tables.Column(verbose_name=_("姓名"))
    agency = tables.Column(verbose_name=_("单位"), order_by=("agency__path", "name"))
    phone = tables.Column(verbose_name=_("手机号码"), orderable=False)
    status = tables.Column(verbose_name=_("人员状态"))
    balance = tables.Column(
        verbose_name=_("余额"),
        accessor="pk",
        order_by=("wallet__balance",),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    wallet_status = tables.Column(
        verbose_name=_("餐卡状态"), accessor="pk", order_by=("wallet__status",)
    )
    actions = tables.TemplateColumn(
        template_name="canteen/wallets/_person_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Person
        fields = ("name", "agency", "phone", "status", "balance", "wallet_status")
        order_by = ("agency", "name")
        attrs = {**TABLE_ATTRS, "data-wallets": ""}

    def render_name(self, record, value):
        wallet = _wallet(record)
        if wallet is None:
            return value
        return format_html(
            '<a href="{}">{}</a>', reverse("canteen:wallet_detail", args=[wallet.pk]), value
        )

    def render_agency(self, record):
        return record.agency.short_name or record.agency.name

    def render_phone(self, value):
        return mask_phone(value)

    def render_status(self, record, value):
        css = "success" if record.status == Person.Status.ACTIVE else "secondary"
        return badge(css, value)

    def render_balance(self, record):
        wallet = _wallet(record)
        return yuan(wallet.balance if wallet else 0)

    def render_wallet_status(self, record):
        wallet = _wallet(record)
        if wallet is None:
            return badge("light border", _("未开通"))
        return badge(WALLET_CSS[wallet.status], wallet.get_status_display())


class StatementTable(tables.Table):
    """One wallet's ledger rows (select_related actor/approved_by persons)."""

    created_at = tables.Column(verbose_name=_("时间"))
    kind = tables.Column(verbose_name=_("类型"))
    method = tables.Column(verbose_name=_("方式"))
    amount = tables.Column(
        verbose_name=_("金额"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    balance_after = tables.Column(
        verbose_name=_("结余"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    reason = tables.Column(verbose_name=_("摘要"), orderable=False)
    actor = tables.Column(verbose_name=_("经办人"), orderable=False)
    approved_by = tables.Column(verbose_name=_("审批人"), orderable=False)

    class Meta:
        model = LedgerEntry
        fields = (
            "created_at",
            "kind",
            "method",
            "amount",
            "balance_after",
            "reason",
            "actor",
            "approved_by",
        )
        order_by = ("-created_at",)
        attrs = {**TABLE_ATTRS, "data-ledger": ""}

    def order_created_at(self, queryset, is_descending):
        prefix = "-" if is_descending else ""
        return queryset.order_by(f"{prefix}created_at", f"{prefix}id"), True

    def render_created_at(self, value):
        return when(value)

    def render_amount(self, value):
        return signed_yuan(value)

    def render_balance_after(self, value):
        return yuan(value)

    def render_actor(self, value):
        return who(value)

    def render_approved_by(self, value):
        return who(value)


class LedgerTable(StatementTable):
    """Every ledger row of the center: the statement plus who holds the wallet."""

    holder = tables.Column(
        verbose_name=_("持卡人"),
        accessor="wallet__person__name",
        order_by=("wallet__person__name",),
    )
    agency = tables.Column(
        verbose_name=_("单位"), accessor="wallet__person__agency", orderable=False
    )

    class Meta(StatementTable.Meta):
        sequence = ("created_at", "holder", "agency", "...")

    def render_holder(self, record, value):
        return format_html(
            '<a href="{}">{}</a>', reverse("canteen:wallet_detail", args=[record.wallet_id]), value
        )

    def render_agency(self, value):
        return value.short_name or value.name


class AdjustmentTable(tables.Table):
    """Adjustment requests, annotated with their approval (approval_id, approval_status)."""

    created_at = tables.Column(verbose_name=_("申请时间"))
    holder = tables.Column(
        verbose_name=_("持卡人"),
        accessor="wallet__person__name",
        order_by=("wallet__person__name",),
    )
    amount = tables.Column(
        verbose_name=_("调整金额"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    reason = tables.Column(verbose_name=_("调整原因"), orderable=False)
    requested_by = tables.Column(verbose_name=_("申请人"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    approval = tables.Column(
        verbose_name=_("审批"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = WalletAdjustment
        fields = ("created_at", "holder", "amount", "reason", "requested_by", "status")
        order_by = ("-created_at",)
        attrs = {**TABLE_ATTRS, "data-adjustments": ""}

    def render_created_at(self, value):
        return when(value)

    def render_holder(self, record, value):
        return format_html(
            '<a href="{}">{}</a>', reverse("canteen:wallet_detail", args=[record.wallet_id]), value
        )

    def render_amount(self, value):
        return signed_yuan(value)

    def render_requested_by(self, value):
        return who(value)

    def render_status(self, record, value):
        text = value
        if record.status == WalletAdjustment.Status.APPROVED and record.entry_id:
            text = format_html("{} · {}", value, who(record.entry.approved_by))
        return badge(ADJUSTMENT_CSS.get(record.status, "secondary"), text)

    def render_approval(self, record):
        approval_id = getattr(record, "approval_id", None)
        if not approval_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("approvals:detail", args=[approval_id]), _("审批单")
        )


class DeviceTable(tables.Table):
    name = tables.Column(verbose_name=_("终端名称"))
    token_hint = tables.Column(verbose_name=_("令牌尾号"), orderable=False)
    is_active = tables.Column(verbose_name=_("状态"))
    last_used_at = tables.Column(verbose_name=_("最近使用"))
    created_by = tables.Column(verbose_name=_("创建人"), orderable=False)
    created_at = tables.Column(verbose_name=_("创建时间"))
    actions = tables.TemplateColumn(
        template_name="canteen/devices/_device_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = PickupDevice
        fields = ("name", "token_hint", "is_active", "last_used_at", "created_by", "created_at")
        order_by = ("name",)
        attrs = {**TABLE_ATTRS, "data-devices": ""}

    def render_token_hint(self, value):
        return f"…{value}"

    def render_is_active(self, value):
        return badge("success", _("启用")) if value else badge("secondary", _("已停用"))

    def render_last_used_at(self, value):
        return when(value)

    def render_created_at(self, value):
        return when(value)

    def render_created_by(self, value):
        return who(value)
