"""Reactions of the canteen app to the approval decision and to org events."""

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify

from .models import WalletAdjustment
from .services import wallets


def _adjustment(approval):
    return WalletAdjustment.objects.select_for_update().get(pk=approval.object_id)


def adjustment_approved(approval, *, actor):
    adjustment = _adjustment(approval)
    if adjustment.status != WalletAdjustment.Status.PENDING:
        return
    wallets.adjustment_post(adjustment, approver=actor)
    notify(
        recipients=[adjustment.requested_by],
        kind="canteen.adjustment",
        title=_("餐卡调账已入账：%(n)s %(a)s 元")
        % {"n": adjustment.wallet.person.name, "a": adjustment.amount},
        url=adjustment_url(adjustment),
        obj=adjustment,
        actor=actor,
    )


def _close(approval, status):
    adjustment = _adjustment(approval)
    if adjustment.status == WalletAdjustment.Status.PENDING:
        adjustment.status = status
        adjustment.save(update_fields=["status", "updated_at"])


def adjustment_rejected(approval, *, actor):
    _close(approval, WalletAdjustment.Status.REJECTED)


def adjustment_cancelled(approval, *, actor):
    _close(approval, WalletAdjustment.Status.CANCELLED)


def adjustment_url(adjustment):
    return reverse("canteen:wallet_detail", args=[adjustment.wallet_id])


def close_wallet_of_leaver(sender, person, actor, **kwargs):
    wallets.wallet_close(actor=actor, person=person)
