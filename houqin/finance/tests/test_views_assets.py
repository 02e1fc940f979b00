# ruff: noqa: F811  (fixtures imported from fixtures_assets are used as parameters)
"""Pages of fixed assets, the annual count, procurement and voucher handovers: happy paths,
bad input (422, nothing written), scoping (404 in another center, 403 for plain staff) and
constant query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.roles import Role
from houqin.finance.models import (
    AssetCount,
    AssetCountLine,
    AssetTransfer,
    FixedAsset,
    Procurement,
    VoucherHandover,
)
from houqin.finance.services.assets import count_add_surplus, count_start
from houqin.finance.services.vouchers import voucher_plan
from houqin.org.tests.factories import PersonFactory, make_user

from .fixtures_assets import keeper_x, keeper_y, make_asset, make_equipment  # noqa: F401

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"finance:{name}", args=args)


def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx)


ASSET_FORM = {
    "code": "ZC-100",
    "name": "联想台式电脑",
    "asset_class": "equipment",
    "model": "M720",
    "value": "5800.00",
    "purchase_date": "2024-04-01",
    "location": "A座305",
    "status": "in_use",
}


# ------------------------------------------------------------------ register


def test_asset_create_edit_and_detail(client, finance_a, agency_x, keeper_x):
    client.force_login(finance_a)
    assert client.get(url("asset_create")).status_code == 200
    data = {**ASSET_FORM, "custodian_agency": agency_x.pk, "custodian": keeper_x.pk}
    response = client.post(url("asset_create"), data)
    asset = FixedAsset.objects.get(code="ZC-100")
    assert response.status_code == 302 and response["Location"] == url("asset_detail", asset.pk)
    assert asset.custodian == keeper_x and asset.value == Decimal("5800.00")
    response = client.post(url("asset_edit", asset.pk), {**data, "status": "idle"})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == FixedAsset.Status.IDLE
    page = client.get(url("asset_detail", asset.pk)).content.decode()
    assert "联想台式电脑" in page and "5800.00" in page and "暂无记录" in page


def test_asset_bad_input_422(client, finance_a, agency_x):
    make_asset(finance_a, "ZC-100", agency=agency_x)
    client.force_login(finance_a)
    response = client.post(url("asset_create"), {**ASSET_FORM, "custodian_agency": agency_x.pk})
    assert response.status_code == 422
    assert "本中心已有编号为 ZC-100 的资产。" in response.content.decode()
    response = client.post(url("asset_create"), {**ASSET_FORM, "code": "", "value": "-5"})
    assert response.status_code == 422
    assert "请填写资产编号。" in response.content.decode()
    assert FixedAsset.objects.count() == 1


def test_asset_list_filters_totals_and_export(client, finance_a, agency_x, agency_y):
    make_asset(finance_a, "A1", "1000", agency=agency_x, name="办公桌")
    make_asset(finance_a, "A2", "2500.50", agency=agency_y, name="打印机")
    make_asset(finance_a, "A3", "300", agency=agency_y, asset_class="furniture", name="文件柜")
    client.force_login(finance_a)
    page = client.get(url("asset_list")).content.decode()
    assert "3 项" in page and "3800.50" in page
    page = client.get(url("asset_list"), {"agency": agency_y.pk}).content.decode()
    assert "2 项" in page and "2800.50" in page and "办公桌" not in page
    page = client.get(url("asset_list"), {"asset_class": "furniture"}).content.decode()
    assert "文件柜" in page and "打印机" not in page
    page = client.get(url("asset_list"), {"q": "打印"}, HTTP_HX_REQUEST="true").content.decode()
    assert "打印机" in page and "<html" not in page
    response = client.get(url("asset_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_asset_list_runs_a_constant_number_of_queries(client, finance_a, agency_x, keeper_x):
    client.force_login(finance_a)
    for i in range(2):
        make_asset(finance_a, f"A{i}", agency=agency_x, custodian=keeper_x)
    few = _queries(client, url("asset_list"))
    for i in range(20):
        make_asset(finance_a, f"B{i}", agency=agency_x, custodian=keeper_x)
    assert _queries(client, url("asset_list")) == few


def test_transfer_page_records_history(client, finance_a, agency_x, agency_y, keeper_y):
    asset = make_asset(finance_a, "A1", agency=agency_x)
    client.force_login(finance_a)
    assert client.get(url("asset_transfer", asset.pk)).status_code == 200
    data = {"date": "2025-01-10", "to_agency": agency_y.pk, "to_custodian": keeper_y.pk}
    response = client.post(url("asset_transfer", asset.pk), data)
    assert response.status_code == 302
    page = client.get(url("asset_detail", asset.pk)).content.decode()
    assert "2025-01-10" in page and "保管员乙" in page
    response = client.post(url("asset_transfer", asset.pk), data)  # same keeper again
    assert response.status_code == 422
    assert "调入单位和保管人与现在相同，无需调拨。" in response.content.decode()
    assert AssetTransfer.objects.count() == 1


def test_disposal_page_goes_to_approval(client, finance_a, leader_a, agency_x):
    asset = make_asset(finance_a, "A1", agency=agency_x)
    client.force_login(finance_a)
    response = client.post(url("disposal_create", asset.pk), {"method": "scrap", "reason": ""})
    assert response.status_code == 422 and "请填写处置原因。" in response.content.decode()
    response = client.post(
        url("disposal_create", asset.pk), {"method": "scrap", "reason": "主板损坏无法修复"}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == FixedAsset.Status.DISPOSING
    assert ApprovalRequest.objects.filter(request_type="finance.disposal").count() == 1
    page = client.get(url("asset_detail", asset.pk)).content.decode()
    assert "处置审批中" in page and "主板损坏无法修复" in page
    assert url("disposal_create", asset.pk) not in page  # no second request button


def test_equipment_page_links_to_the_asset_card(client, admin_a, finance_a, agency_x):
    equipment = make_equipment(finance_a.center)
    asset = make_asset(finance_a, "A1", agency=agency_x, equipment=equipment)
    client.force_login(admin_a)
    page = client.get(reverse("maintenance:equipment_detail", args=[equipment.pk]))
    assert url("asset_detail", asset.pk) in page.content.decode()
    page = client.get(url("asset_detail", asset.pk)).content.decode()
    assert reverse("maintenance:equipment_detail", args=[equipment.pk]) in page
    assert "申请处置" not in page  # administrators read, finance officers write
    manager = make_user(PersonFactory(agency=agency_x), Role.MAINTENANCE_MANAGER)
    client.force_login(manager)  # no finance permission: no link to the card
    page = client.get(reverse("maintenance:equipment_detail", args=[equipment.pk]))
    assert page.status_code == 200 and url("asset_detail", asset.pk) not in page.content.decode()


# ------------------------------------------------------------------ annual count


def test_count_pages(client, finance_a, agency_x):
    a1 = make_asset(finance_a, "A1", "1000", agency=agency_x)
    a2 = make_asset(finance_a, "A2", "2500.50", agency=agency_x)
    client.force_login(finance_a)
    assert client.get(url("count_list")).status_code == 200
    response = client.post(url("count_start"), {"year": "2026"})
    count = AssetCount.objects.get()
    assert response.status_code == 302 and response["Location"] == url("count_detail", count.pk)
    assert client.post(url("count_start"), {"year": "2026"}).status_code == 422
    line1 = AssetCountLine.objects.get(asset=a1)
    line2 = AssetCountLine.objects.get(asset=a2)
    # htmx: the row comes back; a bad one comes back with its error (422)
    response = client.post(
        url("count_line", line1.pk), {f"l{line1.pk}-result": "moved"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422 and "地点不符时请填写实际地点。" in response.content.decode()
    response = client.post(
        url("count_line", line1.pk),
        {f"l{line1.pk}-result": "moved", f"l{line1.pk}-found_location": "B座"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'data-result="moved"' in response.content.decode()
    response = client.post(
        url("count_close", count.pk), {"c-closed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 422
    assert "还有 1 项资产未盘点，全部盘点后才能完成。" in response.content.decode()
    response = client.post(url("count_line", line2.pk), {f"l{line2.pk}-result": "missing"})
    assert response.status_code == 302  # without htmx: back to the page
    response = client.post(url("count_surplus", count.pk), {"s-description": ""})
    assert response.status_code == 422
    response = client.post(url("count_surplus", count.pk), {"s-description": "旧投影仪"})
    assert response.status_code == 302
    page = client.get(url("count_detail", count.pk)).content.decode()
    assert "2500.50" in page and "旧投影仪" in page and "B座" in page
    summary = client.get(url("count_summary", count.pk)).content.decode()
    assert 'data-figure="missing_value">2500.50' in summary
    response = client.post(
        url("count_close", count.pk), {"c-closed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    count.refresh_from_db()
    assert count.status == AssetCount.Status.CLOSED
    assert "完成盘点" not in client.get(url("count_detail", count.pk)).content.decode()


def test_count_detail_runs_a_constant_number_of_queries(client, finance_a, agency_x):
    client.force_login(finance_a)
    for i in range(2):
        make_asset(finance_a, f"A{i}", agency=agency_x)
    count = count_start(actor=finance_a, center=finance_a.center, year=2026)
    count_add_surplus(actor=finance_a, count=count, description="打印机")
    AssetCountLine.objects.filter(asset__isnull=False).update(result="missing")
    few = _queries(client, url("count_detail", count.pk))
    for i in range(20):
        asset = make_asset(finance_a, f"B{i}", agency=agency_x)
        AssetCountLine.objects.create(count=count, asset=asset, result="moved", found_location="x")
    assert _queries(client, url("count_detail", count.pk)) == few


# ------------------------------------------------------------------ procurement, vouchers


def test_procurement_pages(client, finance_a):
    client.force_login(finance_a)
    data = {"item": "空调采购", "method": "open_tender", "status": "contracted", "budget": "80000"}
    response = client.post(url("procurement_create"), data)
    assert response.status_code == 422
    assert "已签合同的采购须填写供应商。" in response.content.decode()
    assert not Procurement.objects.exists()
    data.update(supplier="格力经销商", amount="86000", contract_date="2026-05-01")
    response = client.post(url("procurement_create"), data, follow=True)
    assert "超过预算金额" in response.content.decode()  # allowed, with a warning
    p = Procurement.objects.get()
    page = client.get(url("procurement_edit", p.pk)).content.decode()
    assert "data-over-budget" in page
    page = client.get(url("procurement_list"), {"year": 2026}).content.decode()
    assert "空调采购" in page and "超预算" in page and "86000.00" in page
    assert "空调采购" not in client.get(url("procurement_list"), {"year": 2025}).content.decode()
    response = client.get(url("procurement_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_voucher_pages(client, finance_a, agency_x, agency_y):
    client.force_login(finance_a)
    response = client.post(
        url("voucher_create"),
        {
            "units": [agency_x.pk, agency_y.pk],
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
        },
    )
    assert response.status_code == 302 and VoucherHandover.objects.count() == 2
    page = client.get(url("voucher_list")).content.decode()
    assert 'data-overdue="2"' in page and "已逾期" in page
    voucher = VoucherHandover.objects.get(unit=agency_x)
    response = client.post(url("voucher_handover", voucher.pk), {"voucher_count": "0"})
    assert response.status_code == 422
    response = client.post(
        url("voucher_handover", voucher.pk),
        {"voucher_count": "320", "volumes": "3", "handed_by": "张会计", "handed_on": "2026-10-12"},
    )
    assert response.status_code == 302
    page = client.get(url("voucher_list"), {"state": "overdue"}).content.decode()
    assert 'data-overdue="1"' in page and "320 张" not in page


# ------------------------------------------------------------------ scoping


def test_other_center_gets_404_and_staff_403(client, finance_a, finance_b, staff_x, agency_x):
    asset = make_asset(finance_a, "A1", agency=agency_x)
    count = count_start(actor=finance_a, center=finance_a.center, year=2026)
    line = count.lines.get()
    p = Procurement.objects.create(
        center=finance_a.center, item="x", method="self", budget=Decimal("10")
    )
    (voucher,) = voucher_plan(
        actor=finance_a,
        center=finance_a.center,
        units=[agency_x],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    object_pages = [
        url("asset_detail", asset.pk),
        url("asset_edit", asset.pk),
        url("asset_transfer", asset.pk),
        url("disposal_create", asset.pk),
        url("count_detail", count.pk),
        url("procurement_edit", p.pk),
        url("voucher_handover", voucher.pk),
    ]
    client.force_login(finance_b)
    for page in object_pages:
        assert client.get(page).status_code == 404, page
    assert (
        client.post(url("count_line", line.pk), {f"l{line.pk}-result": "found"}).status_code == 404
    )
    assert client.post(url("count_close", count.pk)).status_code == 404
    assert "资产A1" not in client.get(url("asset_list")).content.decode()
    client.force_login(staff_x)
    for page in [
        *object_pages,
        url("asset_list"),
        url("asset_create"),
        url("count_list"),
        url("count_start"),
        url("procurement_list"),
        url("procurement_create"),
        url("voucher_list"),
        url("voucher_create"),
    ]:
        assert client.get(page).status_code == 403, page
    line.refresh_from_db()
    assert line.result == "pending"
