"""Pickup devices authenticate to the API with their own token: `Authorization: Device <token>`.

A device is not a user: authentication returns (AnonymousUser(), device), so `request.user`
stays anonymous and every endpoint guarded by IsAuthenticated refuses it. Only the pickup
verification endpoint lists this class and accepts `request.auth` being an active device
(CanVerifyPickup). A revoked or unknown token is refused with 401.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import PickupDevice
from .services.devices import device_for_token

KEYWORD = "Device"


class DeviceAuthentication(BaseAuthentication):
    """`Authorization: Device hqd_…` → (AnonymousUser(), PickupDevice)."""

    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the next authenticator (token, session) may try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("终端令牌格式无效。"))
        try:
            token = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("终端令牌格式无效。")) from None
        device = device_for_token(token)
        if device is None:
            raise exceptions.AuthenticationFailed(_("终端令牌无效或终端已停用。"))
        return AnonymousUser(), device

    def authenticate_header(self, request):
        return self.keyword


def request_device(request) -> PickupDevice | None:
    """The pickup device that authenticated this request, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, PickupDevice) and auth.is_active else None


class CanVerifyPickup(permissions.BasePermission):
    """An active pickup device of the center, or a user holding canteen.collect_mealorder."""

    message = _("无权执行此操作。")

    def has_permission(self, request, view):
        if request_device(request) is not None:
            return True
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.center_id is not None
            and user.has_perm("canteen.collect_mealorder")
        )


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the device token as an API key in the Authorization header."""

    target_class = DeviceAuthentication
    name = "deviceAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=KEYWORD
        )
