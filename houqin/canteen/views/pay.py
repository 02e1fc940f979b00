"""Online payment pages: the provider's notification endpoint, the return page, and the fake
provider's cashier page (development and tests only). See houqin.canteen.payments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from houqin.org.scoping import user_person

from ..models import OnlinePayment
from ..payments import FakeProvider, ProviderUnavailable, get_provider, handle_notification


def _my_payment(user, reference):
    """One of the user's own online payments; anybody else's is a 404."""
    person = user_person(user)
    if person is None or user.center_id is None:
        raise Http404
    return get_object_or_404(
        OnlinePayment.objects.select_related("wallet"),
        center_id=user.center_id,
        wallet__person=person,
        reference=reference,
    )


def _fake_provider():
    provider = get_provider()
    if not isinstance(provider, FakeProvider):
        raise Http404
    try:
        provider.check_enabled()
    except ProviderUnavailable:
        raise Http404 from None
    return provider


@login_required
def fake_pay(request, reference):
    """模拟支付: the fake cashier page. Its buttons post signed notifications, as a real
    provider's server would."""
    provider = _fake_provider()
    payment = _my_payment(request.user, reference)
    pending = payment.status == OnlinePayment.Status.PENDING
    return render(
        request,
        "canteen/staff/fake_pay.html",
        {
            "payment": payment,
            "provider": provider,
            "pending": pending,
            "paid_fields": provider.notification_fields(payment, paid=True) if pending else {},
            "failed_fields": provider.notification_fields(payment, paid=False) if pending else {},
            "active_menu": "canteen_wallet",
        },
    )


@csrf_exempt  # the provider calls it server-to-server; the signature authenticates it
@require_POST
def payment_notify(request, provider):
    configured = get_provider()
    if provider != configured.code:
        raise Http404
    try:
        result = handle_notification(configured, request)
    except ProviderUnavailable:
        raise Http404 from None
    except ValueError:
        return HttpResponseBadRequest("invalid signature", content_type="text/plain")
    if not result.ok:
        return HttpResponseBadRequest(
            result.error.encode(), content_type="text/plain; charset=utf-8"
        )
    response = configured.acknowledge(request, result.payment)
    return response if isinstance(response, HttpResponse) else HttpResponse("success")


@login_required
def payment_return(request, reference):
    """Where the provider sends the user back: tell them the outcome, then the wallet page."""
    payment = _my_payment(request.user, reference)
    if payment.status == OnlinePayment.Status.PAID:
        messages.success(request, _("充值成功：%(a)s 元已到账。") % {"a": payment.amount})
    elif payment.status == OnlinePayment.Status.FAILED:
        messages.error(request, _("支付未成功，餐卡余额未变动。如已扣款，请联系食堂核实。"))
    else:
        messages.info(request, _("支付结果确认中，到账后余额会自动更新。"))
    return redirect("canteen:my_wallet")


urlpatterns = [
    path("pay/fake/<str:reference>/", fake_pay, name="fake_pay"),
    path("pay/notify/<str:provider>/", payment_notify, name="payment_notify"),
    path("pay/return/<str:reference>/", payment_return, name="payment_return"),
]
