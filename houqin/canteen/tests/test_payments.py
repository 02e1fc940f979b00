"""Online top-up through the pluggable payment provider (the fake one): the cashier page, the
signed notification (credited once, refused when forged or for the wrong amount), failures,
the return page, and the fake provider refusing to run in production."""

import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from houqin.canteen import payments
from houqin.canteen.models import LedgerEntry, OnlinePayment, Wallet
from houqin.canteen.services import wallets
from houqin.org.tests.factories import make_user

pytestmark = pytest.mark.django_db

NOTIFY = reverse("canteen:payment_notify", args=["fake"])


@pytest.fixture
def payment(staff_x):
    wallet = wallets.wallet_get_or_open(person=staff_x.person)
    return wallets.online_payment_start(
        actor=staff_x, wallet=wallet, amount=Decimal("100.00"), provider="fake"
    )


def signed(payment, *, paid=True, amount=None, provider_ref="FAKE0001"):
    amount = amount or f"{payment.amount:.2f}"
    return {
        "reference": payment.reference,
        "amount": amount,
        "provider_ref": provider_ref,
        "paid": "1" if paid else "0",
        "signature": payments.sign(payment.reference, amount, provider_ref, paid),
    }


def balance(payment):
    return Wallet.objects.get(pk=payment.wallet_id).balance


def credits():
    return LedgerEntry.objects.filter(method=LedgerEntry.Method.ONLINE).count()


# ------------------------------------------------------------------ the provider interface


def test_get_provider_defaults_to_fake_and_loads_the_setting(settings):
    assert isinstance(payments.get_provider(), payments.FakeProvider)
    assert payments.get_provider().code == "fake"
    assert str(payments.get_provider().label) == "模拟支付"
    settings.HOUQIN_PAYMENT_PROVIDER = "houqin.canteen.tests.test_payments.OtherProvider"
    assert isinstance(payments.get_provider(), OtherProvider)


class OtherProvider(payments.PaymentProvider):
    code = "other"
    label = "其他渠道"

    def start(self, payment, request):
        return f"https://pay.example.invalid/{payment.reference}"

    def parse_notification(self, request):
        raise ValueError("never valid")


def test_signature_covers_every_field(payment):
    base = payments.sign(payment.reference, "100.00", "R1", True)
    assert len(base) == 64
    assert base != payments.sign(payment.reference, "100.01", "R1", True)
    assert base != payments.sign(payment.reference, "100.00", "R2", True)
    assert base != payments.sign(payment.reference, "100.00", "R1", False)
    assert base != payments.sign(payment.reference + "X", "100.00", "R1", True)


@override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789")
def test_signature_depends_on_the_secret_key(payment):
    data = signed(payment)
    with override_settings(SECRET_KEY="a-different-secret-key-xxxxxxxxxxxxxxxxxxxxxxxxx"):
        assert payments.sign(payment.reference, "100.00", "FAKE0001", True) != data["signature"]


# ------------------------------------------------------------------ notifications


def test_notification_credits_once(client, payment):
    first = client.post(NOTIFY, signed(payment))
    assert first.status_code == 200 and first.content == b"success"
    second = client.post(NOTIFY, signed(payment))
    assert second.status_code == 200 and second.content == b"success"
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PAID and payment.provider_ref == "FAKE0001"
    assert balance(payment) == Decimal("100.00") and credits() == 1
    assert payment.entry.amount == Decimal("100.00")


def test_notification_needs_no_csrf_token(payment):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(NOTIFY, signed(payment))
    assert response.status_code == 200
    assert balance(payment) == Decimal("100.00")


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: {**d, "signature": "0" * 64},
        lambda d: {**d, "signature": ""},
        lambda d: {**d, "amount": "1000.00"},  # amount changed after signing
        lambda d: {**d, "provider_ref": "OTHER"},
        lambda d: {k: v for k, v in d.items() if k != "signature"},
        lambda d: {**d, "paid": "yes"},
    ],
)
def test_bad_signature_is_refused_and_writes_nothing(client, payment, forge):
    response = client.post(NOTIFY, forge(signed(payment)))
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING and payment.provider_ref == ""
    assert balance(payment) == 0 and credits() == 0


def test_amount_mismatch_is_refused(client, payment):
    response = client.post(NOTIFY, signed(payment, amount="1.00"))
    assert response.status_code == 400
    assert "支付金额与订单金额不一致" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING
    assert balance(payment) == 0 and credits() == 0


def test_unknown_reference_and_unknown_provider(client, payment):
    data = signed(payment)
    data["reference"] = "HQ-NOT-A-PAYMENT"
    data["signature"] = payments.sign(data["reference"], data["amount"], data["provider_ref"], True)
    response = client.post(NOTIFY, data)
    assert response.status_code == 400 and "未知的支付订单" in response.content.decode()
    other = reverse("canteen:payment_notify", args=["wechat"])
    assert client.post(other, signed(payment)).status_code == 404
    assert client.get(NOTIFY).status_code == 405
    assert balance(payment) == 0


def test_payment_made_with_another_provider_is_not_credited_by_this_one(client, staff_x):
    wallet = wallets.wallet_get_or_open(person=staff_x.person)
    payment = wallets.online_payment_start(
        actor=staff_x, wallet=wallet, amount=Decimal("10.00"), provider="other"
    )
    response = client.post(NOTIFY, signed(payment))
    assert response.status_code == 400
    assert balance(payment) == 0


def test_failed_payment_credits_nothing(client, payment):
    response = client.post(NOTIFY, signed(payment, paid=False))
    assert response.status_code == 200 and response.content == b"success"
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.FAILED
    assert balance(payment) == 0 and credits() == 0


# ------------------------------------------------------------------ the pages


def test_fake_cashier_page_confirm_returns_to_wallet(client, staff_x):
    client.force_login(staff_x)
    start = client.post(reverse("canteen:online_topup"), {"amount": "88.50"})
    payment = OnlinePayment.objects.get()
    page = client.get(start["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "88.50" in html and "确认支付" in html and "模拟失败" in html
    assert payment.reference in html and f'action="{NOTIFY}"' in html
    confirm = html.split("确认支付")[0]
    fields = dict(
        re.findall(r'name="(\w+)" value="([^"]*)"', confirm.split(f'action="{NOTIFY}"')[1])
    )
    assert fields["paid"] == "1" and fields["browser"] == "1"
    response = client.post(NOTIFY, fields, follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "canteen:payment_return", args=[payment.reference]
    )
    assert response.redirect_chain[-1][0] == reverse("canteen:my_wallet")
    html = response.content.decode()
    assert "充值成功：88.50 元已到账。" in html and "data-balance>88.50<" in html
    # Pressing the button again (back button, double click) credits nothing more.
    client.post(NOTIFY, fields)
    assert balance(payment) == Decimal("88.50") and credits() == 1
    html = client.get(start["Location"]).content.decode()
    assert "该笔支付已到账" in html and "确认支付" not in html


def test_fake_cashier_page_failure(client, staff_x, payment):
    client.force_login(staff_x)
    html = client.get(reverse("canteen:fake_pay", args=[payment.reference])).content.decode()
    failing = html.split("模拟失败")[0].rsplit(f'action="{NOTIFY}"', 1)[1]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', failing))
    assert fields["paid"] == "0"
    response = client.post(NOTIFY, fields, follow=True)
    assert "支付未成功，餐卡余额未变动" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.FAILED and balance(payment) == 0


def test_return_page_while_pending(client, staff_x, payment):
    client.force_login(staff_x)
    response = client.get(reverse("canteen:payment_return", args=[payment.reference]), follow=True)
    assert "支付结果确认中" in response.content.decode()


def test_pages_of_another_persons_payment_are_404(client, payment, person_y, admin_b):
    for user in (make_user(person_y, username="person_y"), admin_b):
        client.force_login(user)
        assert client.get(reverse("canteen:fake_pay", args=[payment.reference])).status_code == 404
        url = reverse("canteen:payment_return", args=[payment.reference])
        assert client.get(url).status_code == 404


def test_cashier_page_needs_login(client, payment):
    response = client.get(reverse("canteen:fake_pay", args=[payment.reference]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ------------------------------------------------------------------ production


def test_fake_provider_refuses_to_work_in_production(client, settings, staff_x, payment):
    data = signed(payment)
    settings.HOUQIN_ENV = "production"
    assert client.post(NOTIFY, data).status_code == 404
    client.force_login(staff_x)
    assert client.get(reverse("canteen:fake_pay", args=[payment.reference])).status_code == 404
    response = client.post(reverse("canteen:online_topup"), {"amount": "10"})
    assert response.status_code == 200
    assert "模拟支付仅供测试使用，生产环境不可用。" in response.content.decode()
    assert OnlinePayment.objects.count() == 1  # only the fixture's
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING and balance(payment) == 0
    with pytest.raises(payments.ProviderUnavailable):
        payments.FakeProvider().start(payment, None)
