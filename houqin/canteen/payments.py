"""Online payment providers for wallet top-ups (在线充值).

A provider is configuration: `settings.HOUQIN_PAYMENT_PROVIDER` names a PaymentProvider
subclass by its dotted path (default: the FakeProvider below, for development and tests).
The flow is the same for every provider:

1. `online_topup` creates a pending OnlinePayment (wallets.online_payment_start) and sends the
   user to `provider.start(payment, request)` — the provider's cashier page.
2. The provider calls `payment_notify` server-to-server; `handle_notification()` checks the
   signature (`provider.parse_notification`) and credits the wallet once through
   wallets.online_payment_confirm, however many times the notification arrives.
3. The provider sends the user back to `payment_return`, which tells them the outcome.

The fake provider signs its notifications with HMAC-SHA256 under settings.SECRET_KEY over
"reference|amount|provider_ref|paid", and refuses to work when HOUQIN_ENV is "production".
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .models import OnlinePayment
from .services import wallets

DEFAULT_PROVIDER = "houqin.canteen.payments.FakeProvider"


class ProviderUnavailable(Exception):
    """The configured provider cannot be used here (e.g. the fake one in production)."""


@dataclass(frozen=True)
class Notification:
    """What a provider tells us about one payment."""

    reference: str  # our OnlinePayment.reference (商户订单号)
    amount: str  # as the provider sent it (元, 2 places); compared with the payment's
    provider_ref: str  # the provider's own transaction number (渠道流水号)
    paid: bool


class PaymentProvider:
    """Interface of an online payment provider. Subclasses set `code` and `label`."""

    code = ""
    label = ""

    def check_enabled(self):
        """Raise ProviderUnavailable when the provider must not be used here."""

    def start(self, payment: OnlinePayment, request) -> str:
        """The URL of the provider's cashier page for `payment` (the user is redirected)."""
        raise NotImplementedError

    def parse_notification(self, request) -> Notification:
        """Read and verify a notification; ValueError when its signature is not valid."""
        raise NotImplementedError

    def acknowledge(self, request, payment: OnlinePayment) -> HttpResponse:
        """The reply the provider expects once a notification has been processed."""
        return HttpResponse("success", content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------ the fake provider


def _paid_flag(paid) -> str:
    return "1" if paid in (True, "1", "true", "True") else "0"


def sign(reference: str, amount, provider_ref: str, paid) -> str:
    """HMAC-SHA256 (hex) of "reference|amount|provider_ref|paid" under SECRET_KEY."""
    message = f"{reference}|{amount}|{provider_ref}|{_paid_flag(paid)}"
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


class FakeProvider(PaymentProvider):
    """模拟支付: a cashier page inside houqin whose buttons post signed notifications.

    For development and tests only: it refuses to work when HOUQIN_ENV is "production".
    """

    code = "fake"
    label = _l("模拟支付")

    def check_enabled(self):
        if getattr(settings, "HOUQIN_ENV", "development") == "production":
            raise ProviderUnavailable(_("模拟支付仅供测试使用，生产环境不可用。"))

    def start(self, payment, request) -> str:
        self.check_enabled()
        return reverse("canteen:fake_pay", args=[payment.reference])

    def notification_fields(self, payment, *, paid: bool) -> dict:
        """The signed form fields the fake cashier page posts to payment_notify."""
        self.check_enabled()
        provider_ref = f"FAKE{secrets.token_hex(8).upper()}"
        amount = f"{payment.amount:.2f}"
        return {
            "reference": payment.reference,
            "amount": amount,
            "provider_ref": provider_ref,
            "paid": _paid_flag(paid),
            "signature": sign(payment.reference, amount, provider_ref, paid),
        }

    def parse_notification(self, request) -> Notification:
        self.check_enabled()
        data = request.POST
        fields = [data.get(k, "") for k in ("reference", "amount", "provider_ref", "paid")]
        reference, amount, provider_ref, paid = fields
        if paid not in ("0", "1") or not reference:
            raise ValueError("malformed notification")
        expected = sign(reference, amount, provider_ref, paid)
        if not hmac.compare_digest(expected, data.get("signature", "")):
            raise ValueError("bad signature")
        return Notification(
            reference=reference, amount=amount, provider_ref=provider_ref, paid=paid == "1"
        )

    def acknowledge(self, request, payment):
        # The fake cashier page posts from the user's browser: send the user back to houqin.
        # A server-to-server caller (or a test) gets the plain "success" a provider expects.
        if request.POST.get("browser") == "1":
            return redirect("canteen:payment_return", reference=payment.reference)
        return super().acknowledge(request, payment)


# ------------------------------------------------------------------ configuration


def get_provider() -> PaymentProvider:
    path = getattr(settings, "HOUQIN_PAYMENT_PROVIDER", DEFAULT_PROVIDER)
    return import_string(path)()


@dataclass
class NotifyResult:
    payment: OnlinePayment | None
    error: str = ""  # Chinese reason when the notification was refused

    @property
    def ok(self):
        return self.payment is not None and not self.error


def handle_notification(provider: PaymentProvider, request) -> NotifyResult:
    """Verify and apply one notification. Raises ValueError on a bad signature (→ 400)."""
    notification = provider.parse_notification(request)
    known = OnlinePayment.objects.filter(
        reference=notification.reference, provider=provider.code
    ).exists()
    if not known:
        return NotifyResult(None, _("未知的支付订单。"))
    try:
        payment = wallets.online_payment_confirm(
            reference=notification.reference,
            amount=notification.amount,
            provider_ref=notification.provider_ref,
            paid=notification.paid,
        )
    except ValidationError as exc:
        return NotifyResult(None, "；".join(exc.messages))
    return NotifyResult(payment)
