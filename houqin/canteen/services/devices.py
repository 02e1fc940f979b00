"""Pickup devices: counter tablets and scanners that verify pickups with their own token."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import PickupDevice
from .common import require

TOKEN_PREFIX = "hqd_"  # noqa: S105 - a prefix, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def pickup_device_create(*, actor, center, name) -> tuple[PickupDevice, str]:
    """Register a device; returns it and its token (shown once, stored only as a digest)."""
    require(actor, center.pk, "canteen.add_pickupdevice")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写终端名称。")})
    if len(name) > 50:
        raise ValidationError({"name": _("终端名称不能超过 50 个字。")})
    if PickupDevice.objects.filter(center=center, name=name).exists():
        raise ValidationError({"name": _("已有同名终端。")})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = PickupDevice.objects.create(
        center=center,
        name=name,
        token_digest=token_digest(token),
        token_hint=token[-4:],
        created_by=actor,
    )
    return device, token


@transaction.atomic
def pickup_device_revoke(*, actor, device) -> PickupDevice:
    require(actor, device.center_id, "canteen.change_pickupdevice")
    device.is_active = False
    device.save(update_fields=["is_active", "updated_at"])
    return device


def device_for_token(token: str) -> PickupDevice | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    return (
        PickupDevice.objects.filter(token_digest=token_digest(token), is_active=True)
        .select_related("center")
        .first()
    )
