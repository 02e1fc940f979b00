"""The scale dataset of finance (seed_scale; see houqin/core/scale.py).

A district center's finished year, as the services would have left it:
- ~40 budget projects with monthly spending plans; the other modules' costs already written
  as expenditures (fleet, maintenance… run before finance) are put on the project collecting
  their kind, and ~3,000 expenditures on working days follow each plan to 95–100 % of the
  budget (a couple of projects fall behind). Those at or above the approval threshold went
  through the approval flow: an approved request with its step and history (submit, approve);
  a few were rejected; a few small ones were cancelled;
- ~2,000 fixed assets in every class, transfers during the year, ~25 disposals approved
  through the flow (the assets disposed), and the year's count, closed in December with the
  usual few 地点不符, 盘亏 and 盘盈;
- ~100 procurement records contracted during the year (the service contracts' suppliers are
  vendors/scale.py's vendors, so vendors can link their contracts);
- monthly voucher handovers of a dozen affiliated units, almost all on time.

The budgets and expenditures are written by scale_budgets.py.
"""

import datetime as dt
from decimal import Decimal

from houqin.core.scale import own_stamps, stamp

from .models import (
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    AssetTransfer,
    FixedAsset,
    Procurement,
    VoucherHandover,
)
from .scale_budgets import (
    Approvals,
    _expenditures,
    _module_costs,
    _money,
    _projects,
)
from .services.assets import REQUEST_TYPE as DISPOSAL_TYPE
from .services.common import settings_for

# ------------------------------------------------------------------ assets

# class, share, value range (元), names
ASSET_KINDS = [
    ("equipment", 0.55, (3000, 60000), ["台式计算机", "笔记本电脑", "打印机", "复印机",
     "投影仪", "空调", "服务器", "交换机", "监控摄像机", "会议扩声设备", "碎纸机", "蒸饭柜"]),
    ("furniture", 0.35, (1500, 30000), ["办公桌", "办公椅", "文件柜", "会议桌", "沙发",
     "档案柜", "餐桌椅", "书柜"]),
    ("books", 0.04, (5000, 50000), ["图书（批）", "档案密集架", "文书档案（批）"]),
    ("buildings", 0.005, (800000, 20000000), ["办公楼", "附属用房", "车库", "配电房"]),
    ("relics", 0.01, (5000, 80000), ["书画作品", "陈列品"]),
    ("intangible", 0.025, (20000, 500000), ["管理软件", "正版软件许可", "信息系统"]),
]  # fmt: skip


def _room(rng):
    """An office: building, floor, room."""
    return f"{rng.randint(1, 8)}号楼{rng.randint(1, 6)}{rng.randint(1, 40):02d}室"


def _assets(ctx):
    rng, year = ctx.rng, ctx.year
    units = [*ctx.agencies, *ctx.center_sections.values()]
    people = {}
    for person in ctx.people:
        people.setdefault(person.agency_id, []).append(person.pk)
    kinds = [k for k in ASSET_KINDS for _ in range(max(1, round(k[1] * 1000)))]
    assets = []
    for n in range(1, ctx.scaled(2000) + 1):
        cls, _share, (low, high), names = rng.choice(kinds)
        name = rng.choice(names)
        new = rng.random() < 0.1
        bought = (
            dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
            if new
            else dt.date(year - rng.randint(1, 15), rng.randint(1, 12), rng.randint(1, 28))
        )
        unit = rng.choice(units)
        staff = people.get(unit.pk)
        assets.append(
            FixedAsset(
                center_id=ctx.center.pk,
                code=f"ZC-{n:05d}",
                name=name,
                asset_class=cls,
                model="" if cls in ("books", "relics") else f"{rng.choice('ABCDHK')}-{n % 97}",
                value=_money(rng.uniform(low, high)),
                purchase_date=bought,
                custodian_agency=unit,
                custodian_id=rng.choice(staff) if staff and cls != "buildings" else None,
                location=_room(rng),
            )
        )
    transfers = _transfers(ctx, assets, units, people)
    disposed = _disposed(ctx, assets)
    assets = ctx.bulk(FixedAsset, assets)
    for transfer in transfers:
        transfer.asset_id = transfer.asset.pk
    ctx.bulk(AssetTransfer, transfers)
    written = len(assets) + len(transfers) + _disposals(ctx, disposed)
    return written + _count(ctx, assets)


def _transfers(ctx, assets, units, people):
    """Transfers during the year; the asset's card shows where it went (as asset_transfer)."""
    rng, rows = ctx.rng, []
    older = [a for a in assets if a.purchase_date.year < ctx.year and a.asset_class != "buildings"]
    for asset in rng.sample(older, min(len(older), ctx.scaled(60))):
        to = rng.choice([u for u in units if u.pk != asset.custodian_agency_id])
        staff = people.get(to.pk)
        to_custodian = rng.choice(staff) if staff else None
        location = _room(rng)
        rows.append(
            AssetTransfer(
                asset=asset,
                date=dt.date(ctx.year, rng.randint(1, 11), rng.randint(1, 28)),
                from_agency_id=asset.custodian_agency_id,
                to_agency=to,
                from_custodian_id=asset.custodian_id,
                to_custodian_id=to_custodian,
                to_location=location,
                reason=rng.choice(["工作调整", "机构改革调整", "调剂使用"]),
                recorded_by=ctx.accounts["finance"],
            )
        )
        asset.custodian_agency, asset.custodian_id, asset.location = to, to_custodian, location
    return rows


def _disposed(ctx, assets):
    """Old equipment and furniture scrapped during the year (decided before the count)."""
    rng = ctx.rng
    old = [
        a
        for a in assets
        if a.asset_class in ("equipment", "furniture") and a.purchase_date.year <= ctx.year - 8
    ]
    picked = rng.sample(old, min(len(old), ctx.scaled(25)))
    for asset in picked:
        asset.status = FixedAsset.Status.DISPOSED
        asset.disposed_on = dt.date(ctx.year, rng.randint(2, 11), rng.randint(1, 25))
    return picked


def _disposals(ctx, assets):
    rng, finance = ctx.rng, ctx.accounts["finance"]
    rows = []
    for asset in assets:
        requested = asset.disposed_on - dt.timedelta(days=rng.randint(3, 10))
        rows.append(
            stamp(
                AssetDisposal(
                    center_id=ctx.center.pk,
                    asset_id=asset.pk,
                    method="scrap",
                    reason="使用年限已满，故障频发，无维修价值",
                    status=AssetDisposal.Status.APPROVED,
                    requested_by=finance,
                    decided_on=asset.disposed_on,
                ),
                ctx.at(requested, 10),
            )
        )
    with own_stamps(AssetDisposal):
        rows = ctx.bulk(AssetDisposal, rows)
    approvals = Approvals(ctx, DISPOSAL_TYPE, AssetDisposal)
    for disposal, asset in zip(rows, assets, strict=True):
        approvals.add(
            disposal.pk,
            f"资产处置：{asset.code} {asset.name}（报废）",
            f"原值 {asset.value} 元。{disposal.reason}",
            disposal.created_at,
            ctx.at(asset.disposed_on, 15),
        )
    return len(rows) + approvals.write()


def _count(ctx, assets):
    """The year's count: every asset not disposed when it started, checked and closed."""
    rng, finance = ctx.rng, ctx.accounts["finance"]
    count = AssetCount.objects.create(
        center_id=ctx.center.pk,
        year=ctx.year,
        started_on=dt.date(ctx.year, 12, 1),
        closed_on=dt.date(ctx.year, 12, 20),
        status=AssetCount.Status.CLOSED,
        notes=f"{ctx.year}年度固定资产清查盘点。",
    )
    R, lines = AssetCountLine.Result, []
    for asset in assets:
        if asset.status == FixedAsset.Status.DISPOSED:
            continue
        roll, where, note = rng.random(), "", ""
        result = R.FOUND
        if roll < 0.003:
            result, note = R.MISSING, "未找到，待报损失核销"
        elif roll < 0.013:
            result, where = R.MOVED, f"{rng.randint(1, 8)}号楼{rng.randint(1, 6)}01室"
        lines.append(
            AssetCountLine(
                count=count,
                asset=asset,
                result=result,
                found_location=where,
                note=note,
                checked_by=finance,
            )
        )
    for i in range(max(1, ctx.scaled(3))):
        lines.append(
            AssetCountLine(
                count=count,
                description=f"移动式空调一台（未入账，系原项目配套）#{i + 1}",
                result=R.SURPLUS,
                found_location="机房",
                note="待补办入账手续",
                checked_by=finance,
            )
        )
    return 1 + len(ctx.bulk(AssetCountLine, lines))


# ------------------------------------------------------------------ procurement, vouchers

ITEMS = [
    ("办公计算机", "framework"), ("打印复印设备", "framework"), ("办公家具", "inquiry"),
    ("空调设备", "inquiry"), ("会议系统设备", "negotiation"), ("监控设备", "negotiation"),
    ("食堂厨具", "inquiry"), ("办公用品", "self"), ("维修材料", "self"),
    ("屋面防水工程", "negotiation"), ("照明节能改造", "open_tender"),
    ("网络安全服务", "single_source"),
]  # fmt: skip


def _procurements(ctx, projects):
    from houqin.vendors.scale import VENDORS

    rng, year, rows = ctx.rng, ctx.year, []
    targets = [p for p in projects if p.category == "project"]
    contracts = [(name, f"{name[:4]}服务", amount) for name, _k, _s, _p, amount, *_r in VENDORS]
    total = max(len(contracts), ctx.scaled(100))
    for n in range(1, total + 1):
        if n <= len(contracts):  # the vendors' service contracts of the year
            supplier, item, price = contracts[n - 1]
            method, budget = "open_tender", Decimal(price) * Decimal("1.05")
            month = 1
        else:
            item, method = rng.choice(ITEMS)
            supplier = f"区{rng.choice(('信创', '华通', '永盛', '立达', '新兴'))}商贸有限公司"
            budget = Decimal(rng.randint(20, 1200) * 1000)
            month = rng.randint(2, 11)
        amount = _money(budget * Decimal(str(rng.uniform(0.86, 0.99))))
        rows.append(
            Procurement(
                center_id=ctx.center.pk,
                item=item if n <= len(contracts) else f"{item}（{n:03d}）",
                method=method,
                filing_number=f"XX采备[{year}]{n:03d}号" if method != "self" else "",
                project=rng.choice(targets) if targets else None,
                budget=_money(budget),
                supplier=supplier,
                amount=amount,
                contract_no=f"HT-{year}-{n:03d}",
                contract_date=dt.date(year, month, rng.randint(1, 28)),
                status="paid" if rng.random() < 0.8 or month < 10 else "accepted",
            )
        )
    return len(ctx.bulk(Procurement, rows))


def _vouchers(ctx):
    rng, year = ctx.rng, ctx.year
    due_days = settings_for(ctx.center.pk).voucher_due_days
    units = ctx.agencies[: max(3, ctx.scaled(12))]
    rows = []
    for month in range(1, 13):
        start = dt.date(year, month, 1)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        due = end + dt.timedelta(days=due_days)
        for unit in units:
            late = rng.random() < 0.05
            handed = due + dt.timedelta(days=rng.randint(1, 10) if late else -rng.randint(0, 12))
            rows.append(
                VoucherHandover(
                    center_id=ctx.center.pk,
                    unit=unit,
                    period_start=start,
                    period_end=end,
                    due_date=due,
                    voucher_count=rng.randint(30, 220),
                    volumes=rng.randint(1, 3),
                    handed_by=f"{unit.short_name or unit.name}会计",
                    received_by=ctx.accounts["finance"],
                    handed_on=handed,
                    notes="逾期移交" if late else "",
                )
            )
    return len(ctx.bulk(VoucherHandover, rows))


def seed(ctx) -> int:
    settings_for(ctx.center.pk)
    module = _module_costs(ctx)
    projects = _projects(ctx, module)
    written = len(projects) + _expenditures(ctx, projects, module)
    written += _assets(ctx)
    written += _procurements(ctx, projects)
    return written + _vouchers(ctx)
