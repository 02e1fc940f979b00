"""Reactions of the finance app to approval decisions on expenditures and disposals."""

from django.urls import reverse
from django.utils import timezone

from .models import AssetDisposal, Expenditure, FixedAsset


def _expenditure(approval):
    return Expenditure.objects.select_for_update().get(pk=approval.object_id)


def _set_expenditure(approval, status):
    expenditure = _expenditure(approval)
    if expenditure.status == Expenditure.Status.PENDING:
        expenditure.status = status
        expenditure.save(update_fields=["status", "updated_at"])


def expenditure_approved(approval, *, actor):
    _set_expenditure(approval, Expenditure.Status.RECORDED)


def expenditure_rejected(approval, *, actor):
    _set_expenditure(approval, Expenditure.Status.REJECTED)


def expenditure_cancelled(approval, *, actor):
    _set_expenditure(approval, Expenditure.Status.CANCELLED)


def expenditure_url(approval):
    return reverse("finance:expenditure_detail", args=[approval.object_id])


def _disposal(approval):
    return (
        AssetDisposal.objects.select_for_update().select_related("asset").get(pk=approval.object_id)
    )


def disposal_approved(approval, *, actor):
    disposal = _disposal(approval)
    if disposal.status != AssetDisposal.Status.PENDING:
        return
    today = timezone.localdate()
    disposal.status, disposal.decided_on = AssetDisposal.Status.APPROVED, today
    disposal.save(update_fields=["status", "decided_on", "updated_at"])
    asset = FixedAsset.objects.select_for_update().get(pk=disposal.asset_id)
    asset.status, asset.disposed_on = FixedAsset.Status.DISPOSED, today
    asset.save(update_fields=["status", "disposed_on", "updated_at"])


def _disposal_back(approval, status):
    disposal = _disposal(approval)
    if disposal.status != AssetDisposal.Status.PENDING:
        return
    disposal.status, disposal.decided_on = status, timezone.localdate()
    disposal.save(update_fields=["status", "decided_on", "updated_at"])
    asset = FixedAsset.objects.select_for_update().get(pk=disposal.asset_id)
    if asset.status == FixedAsset.Status.DISPOSING:
        asset.status = FixedAsset.Status.IDLE
        asset.save(update_fields=["status", "updated_at"])


def disposal_rejected(approval, *, actor):
    _disposal_back(approval, AssetDisposal.Status.REJECTED)


def disposal_cancelled(approval, *, actor):
    _disposal_back(approval, AssetDisposal.Status.CANCELLED)


def disposal_url(approval):
    disposal = AssetDisposal.objects.filter(pk=approval.object_id).first()
    return reverse("finance:asset_detail", args=[disposal.asset_id]) if disposal else ""
