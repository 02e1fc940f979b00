# ruff: noqa: F811  (fixtures imported from fixtures_assets are used as parameters)
"""Fixed assets: cards, transfers with their history, the annual count and its differences,
disposal through approval, and voucher handovers (their own service module)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.services import approval_approve, approval_cancel, approval_reject
from houqin.finance.models import (
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    AssetTransfer,
    FixedAsset,
)
from houqin.finance.services.assets import (
    asset_save,
    asset_transfer,
    count_add_surplus,
    count_close,
    count_differences,
    count_line_record,
    count_start,
    disposal_request,
)

from .fixtures_assets import keeper_x, keeper_y, make_asset, make_equipment  # noqa: F401

pytestmark = pytest.mark.django_db
R = AssetCountLine.Result


# ------------------------------------------------------------------ cards


def test_asset_card_saved_with_custodian_and_equipment(finance_a, agency_x, keeper_x):
    equipment = make_equipment(finance_a.center)
    asset = make_asset(
        finance_a, "ZC-001", "125000.50", agency=agency_x, custodian=keeper_x, equipment=equipment
    )
    asset.refresh_from_db()
    assert asset.value == Decimal("125000.50") and asset.status == FixedAsset.Status.IN_USE
    assert asset.custodian == keeper_x and equipment.fixed_asset == asset


def test_asset_rules(finance_a, agency_x, agency_y, keeper_y, center_b, agency_b):
    make_asset(finance_a, "ZC-001", agency=agency_x)
    cases = [
        ({"code": "ZC-001"}, "code", "本中心已有编号为 ZC-001 的资产。"),
        ({"value": Decimal("-1")}, "value", "原值必须大于 0。"),
        ({"custodian_agency": agency_b}, "custodian_agency", "请选择本中心的使用单位。"),
        ({"custodian": keeper_y}, "custodian", "保管人应是使用单位的人员。"),
        ({"status": "disposed"}, "status", "请选择“在用”或“闲置”；处置请提交处置申请。"),
        ({"equipment": make_equipment(center_b)}, "equipment", "请选择本中心的设备。"),
    ]
    for change, field, message in cases:
        data = {"code": "ZC-002", "agency": agency_x, **change}
        if "custodian_agency" in data:
            data["agency"] = data.pop("custodian_agency")
        code = data.pop("code")
        with pytest.raises(ValidationError) as exc:
            make_asset(finance_a, code, **data)
        assert exc.value.message_dict[field] == [message]
    assert FixedAsset.objects.count() == 1


def test_one_asset_per_equipment(finance_a, agency_x):
    equipment = make_equipment(finance_a.center)
    make_asset(finance_a, "ZC-001", agency=agency_x, equipment=equipment)
    with pytest.raises(ValidationError) as exc:
        make_asset(finance_a, "ZC-002", agency=agency_x, equipment=equipment)
    assert exc.value.message_dict["equipment"] == ["该设备已关联其他资产卡片。"]


def test_only_the_centers_finance_officers_write(finance_b, staff_x, agency_x):
    for actor in (finance_b, staff_x):
        with pytest.raises(PermissionDenied):
            make_asset(actor, "ZC-001", agency=agency_x, center=agency_x.center)
    assert not FixedAsset.objects.exists()


# ------------------------------------------------------------------ transfers


def test_transfer_history(finance_a, agency_x, agency_y, keeper_x, keeper_y):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x, custodian=keeper_x)
    asset_transfer(
        actor=finance_a,
        asset=asset,
        date=dt.date(2024, 5, 1),
        to_agency=agency_y,
        to_custodian=keeper_y,
        to_location="教育局302",
        reason="工作需要",
    )
    asset_transfer(actor=finance_a, asset=asset, date=dt.date(2025, 6, 1), to_agency=agency_x)
    asset.refresh_from_db()
    assert (asset.custodian_agency, asset.custodian, asset.location) == (
        agency_x,
        None,
        "教育局302",
    )
    history = list(AssetTransfer.objects.filter(asset=asset).order_by("date"))
    assert [(t.from_agency, t.to_agency) for t in history] == [
        (agency_x, agency_y),
        (agency_y, agency_x),
    ]
    assert (history[0].from_custodian, history[0].to_custodian) == (keeper_x, keeper_y)
    assert history[1].from_custodian == keeper_y and history[1].recorded_by == finance_a


def test_transfer_refused_for_disposing_asset_and_bad_input(
    finance_a, leader_a, agency_x, agency_y, keeper_x
):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x)
    with pytest.raises(ValidationError) as exc:
        asset_transfer(actor=finance_a, asset=asset, date=dt.date(2024, 1, 1), to_agency=agency_x)
    assert exc.value.message_dict["to_agency"] == ["调入单位和保管人与现在相同，无需调拨。"]
    with pytest.raises(ValidationError) as exc:
        asset_transfer(
            actor=finance_a,
            asset=asset,
            date=dt.date(2024, 1, 1),
            to_agency=agency_y,
            to_custodian=keeper_x,
        )
    assert exc.value.message_dict["to_custodian"] == ["保管人应是使用单位的人员。"]
    disposal_request(actor=finance_a, asset=asset, method="scrap", reason="无法修复")
    with pytest.raises(ValidationError) as exc:
        asset_transfer(actor=finance_a, asset=asset, date=dt.date(2024, 1, 1), to_agency=agency_y)
    assert exc.value.messages == ["处置审批中或已处置的资产不能调拨。"]
    assert not AssetTransfer.objects.exists()


# ------------------------------------------------------------------ annual count


def _counted(finance_a, agency_x):
    """Four assets (1000, 2500.50, 300, 800 yuan) and one disposed that is not counted."""
    assets = [
        make_asset(finance_a, code, value, agency=agency_x)
        for code, value in (("A1", "1000"), ("A2", "2500.50"), ("A3", "300"), ("A4", "800"))
    ]
    gone = make_asset(finance_a, "A5", "99", agency=agency_x)
    FixedAsset.objects.filter(pk=gone.pk).update(
        status=FixedAsset.Status.DISPOSED, disposed_on=dt.date(2025, 1, 1)
    )
    count = count_start(actor=finance_a, center=finance_a.center, year=2026)
    return assets, count


def _line(count, asset):
    return AssetCountLine.objects.get(count=count, asset=asset)


def test_count_differences(finance_a, agency_x):
    """A1 found, A2 and A3 missing (2,500.50 + 300 = 2,800.50 yuan), A4 in another room,
    and a printer not on the register: 2 missing worth 2,800.50, 1 moved, 1 surplus."""
    (a1, a2, a3, a4), count = _counted(finance_a, agency_x)
    assert count.lines.count() == 4  # the disposed asset is not counted
    count_line_record(actor=finance_a, line=_line(count, a1), result=R.FOUND)
    count_line_record(actor=finance_a, line=_line(count, a2), result=R.MISSING, note="找不到")
    count_line_record(actor=finance_a, line=_line(count, a3), result=R.MISSING)
    count_line_record(
        actor=finance_a, line=_line(count, a4), result=R.MOVED, found_location="B座203"
    )
    count_add_surplus(actor=finance_a, count=count, description="惠普打印机", found_location="A座")
    diff = count_differences(count)
    assert (diff.total, diff.checked, diff.pending) == (4, 4, 0)
    assert (diff.found, diff.missing, diff.moved, diff.surplus) == (1, 2, 1, 1)
    assert diff.missing_value == Decimal("2800.50")
    assert [line.asset for line in diff.missing_lines] == [a2, a3]
    assert diff.moved_lines[0].found_location == "B座203"
    assert diff.surplus_lines[0].description == "惠普打印机"
    count_close(actor=finance_a, count=count, closed_on=timezone.localdate())
    count.refresh_from_db()
    assert count.status == AssetCount.Status.CLOSED and count.closed_on == timezone.localdate()


def test_closing_with_unchecked_lines_refused(finance_a, agency_x):
    (a1, *_rest), count = _counted(finance_a, agency_x)
    count_line_record(actor=finance_a, line=_line(count, a1), result=R.FOUND)
    with pytest.raises(ValidationError) as exc:
        count_close(actor=finance_a, count=count)
    assert exc.value.messages == ["还有 3 项资产未盘点，全部盘点后才能完成。"]
    count.refresh_from_db()
    assert count.status == AssetCount.Status.OPEN and count.closed_on is None


def test_count_rules(finance_a, agency_x):
    (a1, *_rest), count = _counted(finance_a, agency_x)
    with pytest.raises(ValidationError) as exc:
        count_start(actor=finance_a, center=finance_a.center, year=2026)
    assert exc.value.message_dict["year"] == ["2026 年度的盘点已经开始。"]
    with pytest.raises(ValidationError) as exc:
        count_line_record(actor=finance_a, line=_line(count, a1), result=R.MOVED)
    assert exc.value.message_dict["found_location"] == ["地点不符时请填写实际地点。"]
    with pytest.raises(ValidationError) as exc:
        count_add_surplus(actor=finance_a, count=count, description="  ")
    assert exc.value.message_dict["description"] == ["请填写盘盈资产说明。"]
    assert _line(count, a1).result == R.PENDING
    AssetCountLine.objects.filter(count=count).update(result=R.FOUND)
    count_close(actor=finance_a, count=count)
    with pytest.raises(ValidationError) as exc:
        count_line_record(actor=finance_a, line=_line(count, a1), result=R.MISSING)
    assert exc.value.messages == ["该盘点已完成，不能再修改。"]


# ------------------------------------------------------------------ disposal


def _approval(disposal):
    return ApprovalRequest.objects.get(request_type="finance.disposal", object_id=disposal.pk)


def test_disposal_approved_marks_the_asset_disposed(finance_a, leader_a, agency_x):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x)
    disposal = disposal_request(actor=finance_a, asset=asset, method="scrap", reason="无法修复")
    asset.refresh_from_db()
    assert asset.status == FixedAsset.Status.DISPOSING
    approval = _approval(disposal)
    assert approval.status == ApprovalRequest.Status.PENDING and "ZC-001" in approval.title
    approval_approve(actor=leader_a, approval=approval)
    asset.refresh_from_db()
    disposal.refresh_from_db()
    assert asset.status == FixedAsset.Status.DISPOSED
    assert asset.disposed_on == timezone.localdate()
    assert disposal.status == AssetDisposal.Status.APPROVED
    # a disposed asset is not counted any more and cannot be disposed twice
    with pytest.raises(ValidationError) as exc:
        disposal_request(actor=finance_a, asset=asset, method="scrap", reason="再次")
    assert exc.value.messages == ["该资产已处置。"]
    count = count_start(actor=finance_a, center=finance_a.center, year=2026)
    assert not count.lines.exists()


def test_disposal_rejected_or_cancelled_back_to_idle(finance_a, leader_a, agency_x):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x)
    disposal = disposal_request(actor=finance_a, asset=asset, method="sale", reason="闲置")
    with pytest.raises(ValidationError) as exc:
        disposal_request(actor=finance_a, asset=asset, method="sale", reason="闲置")
    assert exc.value.messages == ["该资产已在处置审批中，请勿重复申请。"]
    approval_reject(actor=leader_a, approval=_approval(disposal), comment="仍可使用")
    asset.refresh_from_db()
    disposal.refresh_from_db()
    assert asset.status == FixedAsset.Status.IDLE and asset.disposed_on is None
    assert disposal.status == AssetDisposal.Status.REJECTED
    again = disposal_request(actor=finance_a, asset=asset, method="scrap", reason="损坏")
    approval_cancel(actor=finance_a, approval=_approval(again))
    asset.refresh_from_db()
    assert asset.status == FixedAsset.Status.IDLE


def test_disposal_bad_input_writes_nothing(finance_a, agency_x):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x)
    with pytest.raises(ValidationError) as exc:
        disposal_request(actor=finance_a, asset=asset, method="scrap", reason="")
    assert exc.value.message_dict["reason"] == ["请填写处置原因。"]
    with pytest.raises(ValidationError) as exc:
        disposal_request(actor=finance_a, asset=asset, method="burn", reason="x")
    assert exc.value.message_dict["method"] == ["请选择处置方式。"]
    asset.refresh_from_db()
    assert asset.status == FixedAsset.Status.IN_USE and not AssetDisposal.objects.exists()


def test_disposed_asset_cannot_be_edited(finance_a, leader_a, agency_x):
    asset = make_asset(finance_a, "ZC-001", agency=agency_x)
    disposal_request(actor=finance_a, asset=asset, method="scrap", reason="坏")
    with pytest.raises(ValidationError) as exc:
        asset_save(
            actor=finance_a,
            center=finance_a.center,
            asset=asset,
            code="ZC-001",
            name="改名",
            asset_class="equipment",
            value=Decimal("1"),
            purchase_date=dt.date(2020, 1, 1),
            custodian_agency=agency_x,
        )
    assert exc.value.messages == ["处置审批中或已处置的资产不能修改。"]
