# ruff: noqa: F811  (fixtures imported from test_wallets are used as parameters)
"""核销终端 pages: list, create (token shown once), revoke; scoping and permissions."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from houqin.canteen.models import PickupDevice
from houqin.canteen.services import devices
from houqin.canteen.services.devices import device_for_token

from .test_wallets import finance_a, manager_b  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(canteen_manager, center_a):
    device, _token = devices.pickup_device_create(
        actor=canteen_manager, center=center_a, name="一楼窗口"
    )
    return device


def test_device_list(client, canteen_manager, device):
    client.force_login(canteen_manager)
    response = client.get(reverse("canteen:device_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "一楼窗口" in html and f"…{device.token_hint}" in html and "启用" in html
    assert "Authorization: Device &lt;令牌&gt;" in html
    assert "/api/v1/canteen/pickup/verify/" in html
    assert reverse("canteen:device_revoke", args=[device.pk]) in html


def test_device_list_filter_and_export(client, canteen_manager, device, center_a):
    other, _t = devices.pickup_device_create(actor=canteen_manager, center=center_a, name="二楼")
    devices.pickup_device_revoke(actor=canteen_manager, device=other)
    client.force_login(canteen_manager)
    html = client.get(reverse("canteen:device_list"), {"is_active": "false"}).content.decode()
    assert "二楼" in html and "一楼窗口" not in html
    response = client.get(reverse("canteen:device_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert [r[:3] for r in rows[1:]] == [
        ("一楼窗口", device.token_hint, "启用"),
        ("二楼", other.token_hint, "已停用"),
    ]


def test_create_shows_the_token_once(client, canteen_manager):
    client.force_login(canteen_manager)
    response = client.post(reverse("canteen:device_create"), {"name": "二楼扫码器"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    device = PickupDevice.objects.get(name="二楼扫码器")
    token = html.split("data-device-token")[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert token.startswith("hqd_") and token.endswith(device.token_hint)
    assert f"Authorization: Device {token}" in html
    assert "令牌只显示这一次" in html
    assert device_for_token(token) == device  # the token works against the API
    assert token not in device.token_digest
    listing = client.get(reverse("canteen:device_list")).content.decode()
    assert "二楼扫码器" in listing and token not in listing


def test_create_errors_on_the_form(client, canteen_manager, device):
    client.force_login(canteen_manager)
    response = client.post(reverse("canteen:device_create"), {"name": "一楼窗口"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已有同名终端。" in html and "hqd_" not in html
    response = client.post(reverse("canteen:device_create"), {"name": ""})
    assert "该字段是必填项。" in response.content.decode()
    assert PickupDevice.objects.count() == 1


def test_revoke(client, canteen_manager, center_a):
    device, token = devices.pickup_device_create(
        actor=canteen_manager, center=center_a, name="窗口"
    )
    client.force_login(canteen_manager)
    response = client.post(reverse("canteen:device_revoke", args=[device.pk]), follow=True)
    assert "已停用终端“窗口”，其令牌立即失效。" in response.content.decode()
    device.refresh_from_db()
    assert not device.is_active and device_for_token(token) is None
    response = client.post(reverse("canteen:device_revoke", args=[device.pk]), follow=True)
    assert "终端“窗口”已停用。" in response.content.decode()
    assert client.get(reverse("canteen:device_revoke", args=[device.pk])).status_code == 405


def test_other_center_gets_404(client, manager_b, device):
    client.force_login(manager_b)
    assert client.post(reverse("canteen:device_revoke", args=[device.pk])).status_code == 404
    assert "一楼窗口" not in client.get(reverse("canteen:device_list")).content.decode()
    device.refresh_from_db()
    assert device.is_active


def test_staff_and_finance_get_403(client, staff_x, finance_a, device):
    for user in (staff_x, finance_a):
        client.force_login(user)
        assert client.get(reverse("canteen:device_list")).status_code == 403
        assert client.post(reverse("canteen:device_create"), {"name": "x"}).status_code == 403
        assert client.post(reverse("canteen:device_revoke", args=[device.pk])).status_code == 403
    device.refresh_from_db()
    assert device.is_active and PickupDevice.objects.count() == 1
