"""Display helpers shared by the vendors tables and templates."""

import datetime as dt

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

EMPTY = _("暂无记录")
RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}
CERT_WARNING_DAYS = 30


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def day(value):
    return value.strftime("%Y-%m-%d") if value else "—"


def cert_status(expiry, today):
    """ "expired" / "soon" (within 30 days) / "ok" / "" (no certificate)."""
    if expiry is None:
        return ""
    if expiry < today:
        return "expired"
    if expiry <= today + dt.timedelta(days=CERT_WARNING_DAYS):
        return "soon"
    return "ok"


def contract_status(contract, today):
    if contract.end_date < today:
        return "ended"
    if contract.start_date > today:
        return "future"
    if contract.end_date <= today + dt.timedelta(days=contract.renewal_notice_days):
        return "expiring"
    return "active"


CONTRACT_BADGES = {
    "ended": ("secondary", _("已到期")),
    "future": ("info", _("未开始")),
    "expiring": ("warning", _("即将到期")),
    "active": ("success", _("履行中")),
}


def contract_badge(contract, today):
    css, label = CONTRACT_BADGES[contract_status(contract, today)]
    return badge(css, label)


def score_html(total, flagged):
    if total is None:
        return "—"
    total = f"{total:.1f}"
    if flagged:
        return format_html(
            '{} {} <span class="badge text-bg-danger" data-flagged>{}</span>',
            total,
            _("分"),
            _("付款预警"),
        )
    return format_html("{} {}", total, _("分"))
