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
"""

import datetime as dt
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from houqin.core.approvals.models import ApprovalAction, ApprovalRequest, ApprovalStep
from houqin.core.approvals.registry import get_request_type
from houqin.core.approvals.services import _ensure_flow

from .models import (
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    AssetTransfer,
    BudgetProject,
    CostKind,
    Expenditure,
    FixedAsset,
    Procurement,
    VoucherHandover,
)
from .services import budgets
from .services.assets import REQUEST_TYPE as DISPOSAL_TYPE
from .services.common import settings_for

CENT = Decimal("0.01")
EVEN = ["8", "16", "25", "33", "41", "50", "58", "66", "75", "83", "91", "100"]
FRONT = ["12", "22", "31", "40", "48", "56", "63", "70", "77", "84", "92", "100"]
BACK = ["0", "3", "8", "15", "25", "35", "45", "55", "66", "78", "90", "100"]
K = CostKind
# code, name, category, source, amount (万元), cost kind, plan, payee
PROJECTS = [
    ("JB01", "机关运行经费", "basic", "general", 420, "", EVEN, "区财政局国库支付中心"),
    ("JB02", "办公费", "basic", "general", 160, "", EVEN, "区文具商店"),
    ("JB03", "水电费", "basic", "general", 380, "", EVEN, "区供电局"),
    ("JB04", "差旅费", "basic", "general", 45, "", EVEN, "中心职工"),
    ("JB05", "公务接待费", "basic", "general", 18, "", EVEN, "区机关招待所"),
    ("JB06", "会议费", "basic", "general", 60, "", EVEN, "区会议服务中心"),
    ("JB07", "培训费", "basic", "general", 40, "", BACK, "区委党校"),
    ("JB08", "印刷费", "basic", "general", 35, "", EVEN, "区印刷厂"),
    ("JB09", "邮电费", "basic", "general", 28, "", EVEN, "区电信公司"),
    ("CL01", "公务用车运行维护费", "basic", "general", 260, K.VEHICLE_FUEL, EVEN, "区石油公司"),
    ("CL02", "公务用车维修费", "basic", "general", 120, K.VEHICLE_REPAIR, EVEN, "区汽车服务公司"),
    ("WX01", "维修维护费", "project", "general", 480, K.MAINTENANCE, EVEN, "区建筑安装公司"),
    ("WY01", "物业管理费", "project", "general", 520, "", FRONT, "城东物业服务有限公司"),
    ("WY02", "保安服务费", "project", "general", 380, "", EVEN, "安心保安服务有限公司"),
    ("WY03", "保洁服务费", "project", "general", 210, "", EVEN, "洁美保洁服务有限公司"),
    ("WY04", "绿化养护费", "project", "general", 60, "", EVEN, "绿荫园林绿化有限公司"),
    ("WY05", "电梯维保费", "project", "general", 45, "", EVEN, "恒通电梯工程有限公司"),
    ("WY06", "消防设施维保费", "project", "general", 38, "", EVEN, "安达消防技术服务有限公司"),
    ("WY07", "空调系统维保费", "project", "general", 52, "", EVEN, "冷暖机电设备有限公司"),
    ("WY08", "病媒生物防制费", "project", "general", 12, "", EVEN, "XX有害生物防治有限公司"),
    ("ST01", "食堂运营补助", "project", "general", 260, "", EVEN, "味美餐饮管理有限公司"),
    ("ST02", "食堂设备更新", "project", "general", 80, "", BACK, "区厨具设备公司"),
    ("XX01", "网络及信息系统运维", "project", "general", 120, "", EVEN, "区信创科技有限公司"),
    ("XX02", "信息化设备购置", "project", "general", 150, "", BACK, "区信创科技有限公司"),
    ("XX03", "档案数字化", "project", "general", 65, "", BACK, "区档案服务公司"),
    ("GZ01", "维修改造项目", "project", "general", 600, K.RENOVATION, BACK, "区建筑安装公司"),
    ("GZ02", "节能改造", "project", "special", 300, "", BACK, "绿能节能科技有限公司"),
    ("GZ03", "屋面防水维修", "project", "general", 90, "", BACK, "区防水工程公司"),
    ("GZ04", "外墙清洗", "project", "general", 30, "", BACK, "洁美保洁服务有限公司"),
    ("GZ05", "无障碍设施改造", "project", "special", 55, "", BACK, "区建筑安装公司"),
    ("GZ06", "安防监控系统升级", "project", "general", 140, "", BACK, "区安防工程公司"),
    ("GZ07", "充电桩建设", "project", "special", 70, "", BACK, "区新能源公司"),
    ("CG01", "政府采购设备购置", "project", "general", 220, K.PURCHASE, BACK, "区设备公司"),
    ("CG02", "办公家具购置", "project", "general", 90, "", BACK, "区家具制造厂"),
    ("CG03", "公务用车购置", "project", "general", 60, "", BACK, "区汽车销售公司"),
    ("QT01", "劳务派遣费", "basic", "general", 180, "", EVEN, "区人力资源公司"),
    ("QT02", "办公用房租赁", "basic", "general", 150, "", FRONT, "区国有资产经营公司"),
    ("QT03", "垃圾分类及清运", "project", "general", 40, "", EVEN, "区环卫公司"),
    ("QT04", "职工体检", "basic", "general", 75, "", BACK, "区人民医院"),
    ("QT05", "防暑降温及取暖", "basic", "other", 30, "", EVEN, "区百货公司"),
]
BEHIND = {"GZ02", "XX03"}  # the projects that lag their plan (节能改造, 档案数字化)
EXPENDITURES = 3000


@contextmanager
def stamps_kept(*models):
    """Let bulk inserts keep the created_at/updated_at set on the objects: the rows stand
    for past events (auto_now/auto_now_add would stamp them with today)."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _stamp(obj, when):
    obj.created_at = obj.updated_at = when
    return obj


def _split(rng, total, parts):
    """`total` in `parts` positive random amounts (to the cent) adding up to it."""
    parts = max(1, min(parts, int(total / Decimal(200)) or 1))
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    scale = sum(weights)
    amounts = [_money(total * Decimal(w / scale)) for w in weights[:-1]]
    amounts.append(total - sum(amounts, Decimal(0)))
    return [a for a in amounts if a > 0]


# ------------------------------------------------------------------ approvals


class Approvals:
    """Writes approval requests in their final state, as approval_submit + approve/reject
    would: the flow's steps copied and decided, and the history (submit, then decision)."""

    def __init__(self, ctx, request_type, model):
        self.ctx = ctx
        self.code = request_type
        self.flow_steps = list(
            _ensure_flow(ctx.center.pk, get_request_type(request_type)).steps.order_by("position")
        )
        self.content_type = ContentType.objects.get_for_model(model)
        requester = ctx.accounts["finance"]
        self.requester = requester
        self.agency_id = getattr(getattr(requester, "person", None), "agency_id", None)
        self.decider = ctx.accounts["leader"]
        self.rows = []  # (object pk, title, summary, submitted, decided, approved, comment)

    def add(self, pk, title, summary, submitted, decided, *, approved=True, comment=""):
        self.rows.append((pk, title[:200], summary, submitted, decided, approved, comment))

    def write(self):
        ctx, S = self.ctx, ApprovalStep.Status
        requests = [
            _stamp(
                ApprovalRequest(
                    center_id=ctx.center.pk,
                    request_type=self.code,
                    content_type=self.content_type,
                    object_id=pk,
                    agency_id=self.agency_id,
                    requester=self.requester,
                    title=title,
                    summary=summary,
                    status="approved" if approved else "rejected",
                    current_position=len(self.flow_steps) if approved else 1,
                    decided_at=decided,
                ),
                submitted,
            )
            for pk, title, summary, submitted, decided, approved, _c in self.rows
        ]
        for request in requests:  # created at the submission, updated at the decision
            request.updated_at = request.decided_at
        with stamps_kept(ApprovalRequest, ApprovalStep, ApprovalAction):
            requests = ctx.bulk(ApprovalRequest, requests)
            steps, actions = [], []
            for request, row in zip(requests, self.rows, strict=True):
                _pk, _t, _s, submitted, decided, approved, comment = row
                actions.append(
                    ApprovalAction(
                        request=request,
                        actor=self.requester,
                        action="submit",
                        created_at=submitted,
                    )
                )
                for spec in self.flow_steps:
                    status = S.APPROVED if approved else S.REJECTED
                    if not approved and spec.position > 1:
                        status = S.WAITING
                    decided_step = status != S.WAITING
                    steps.append(
                        _stamp(
                            ApprovalStep(
                                request=request,
                                position=spec.position,
                                name=spec.name,
                                approver_role=spec.approver_role,
                                scope=spec.scope,
                                approver_user_id=spec.approver_user_id,
                                status=status,
                                decided_by=self.decider if decided_step else None,
                                decided_at=decided if decided_step else None,
                                comment=comment if decided_step else "",
                            ),
                            submitted,
                        )
                    )
                    if decided_step:
                        actions.append(
                            ApprovalAction(
                                request=request,
                                actor=self.decider,
                                action="approve" if approved else "reject",
                                position=spec.position,
                                step_name=spec.name,
                                comment=comment,
                                created_at=decided,
                            )
                        )
            ctx.bulk(ApprovalStep, steps)
            ctx.bulk(ApprovalAction, actions)
        return len(requests) + len(steps) + len(actions)


# ------------------------------------------------------------------ budgets


def _module_costs(ctx):
    """{cost kind: Σ recorded} of the costs other modules wrote for the year, on no project."""
    rows = (
        Expenditure.objects.filter(
            center_id=ctx.center.pk,
            project__isnull=True,
            status=Expenditure.Status.RECORDED,
            date__year=ctx.year,
        )
        .exclude(cost_kind="")
        .values("cost_kind")
        .annotate(total=Sum("amount"))
    )
    return {r["cost_kind"]: r["total"] for r in rows}


def _projects(ctx, module):
    finance = ctx.accounts["finance"]
    rows = []
    for code, name, category, source, wan, kind, plan, _payee in PROJECTS:
        amount = Decimal(wan * 10000) * Decimal(str(ctx.factor))
        if kind and module.get(kind):  # the modules' own costs take ~90 % of the budget
            amount = max(amount, module[kind] / Decimal("0.9"))
        rows.append(
            BudgetProject(
                center_id=ctx.center.pk,
                year=ctx.year,
                code=code,
                name=name,
                category=category,
                source=source,
                amount=_money(max(amount, Decimal(10000)).quantize(Decimal(100))),
                responsible=finance,
                cost_kind=kind,
                monthly_plan=list(plan),
                notes=f"{ctx.year}年度部门预算批复。",
            )
        )
    projects = ctx.bulk(BudgetProject, rows)
    for project in projects:
        if project.cost_kind:
            Expenditure.objects.filter(
                center_id=ctx.center.pk,
                project__isnull=True,
                cost_kind=project.cost_kind,
                date__year=ctx.year,
            ).update(project=project)
    return projects


def _expenditures(ctx, projects, module):
    rng, finance = ctx.rng, ctx.accounts["finance"]
    threshold = settings_for(ctx.center.pk).approval_threshold
    workdays = {}
    for day in ctx.workdays():
        workdays.setdefault(day.month, []).append(day)
    total_weight = sum(float(p.amount) ** 0.5 for p in projects)
    wanted = ctx.scaled(EXPENDITURES)
    rows, serial = [], {}
    for project, spec in zip(projects, PROJECTS, strict=True):
        payee = spec[7]
        rate = rng.uniform(0.8, 0.9) if project.code in BEHIND else rng.uniform(0.955, 0.995)
        target = _money(project.amount * Decimal(str(rate))) - module.get(project.cost_kind, 0)
        if target <= 0:
            continue
        count = max(12, round(wanted * float(project.amount) ** 0.5 / total_weight))
        plan = [Decimal(p) for p in project.monthly_plan]
        left = target
        for month in range(1, 13):
            share = (plan[month - 1] - (plan[month - 2] if month > 1 else 0)) / 100
            amount = left if month == 12 else _money(target * share)
            left -= amount
            if amount <= 0:
                continue
            for part in _split(rng, amount, max(1, round(count * float(share)))):
                day = rng.choice(workdays[month])
                serial[month] = serial.get(month, 0) + 1
                rows.append(
                    _stamp(
                        Expenditure(
                            center_id=ctx.center.pk,
                            project=project,
                            date=day,
                            amount=part,
                            payee=payee,
                            purpose=f"{month}月{project.name}",
                            voucher_no=f"记-{ctx.year}-{month:02d}-{serial[month]:04d}",
                            status=Expenditure.Status.RECORDED,
                            recorded_by=finance,
                        ),
                        ctx.at(day, rng.randint(9, 16), rng.randint(0, 59)),
                    )
                )
    # A few refused or withdrawn (they do not count as spent), beside those that stand.
    payees, extra = {row[0]: row[7] for row in PROJECTS}, []
    for _i in range(max(1, ctx.scaled(30))):
        project = rng.choice(projects)
        month = rng.randint(1, 12)
        day = rng.choice(workdays[month])
        big = rng.random() < 0.5
        extra.append(
            _stamp(
                Expenditure(
                    center_id=ctx.center.pk,
                    project=project,
                    date=day,
                    amount=_money(rng.uniform(12000, 60000) if big else rng.uniform(300, 8000)),
                    payee=payees[project.code],
                    purpose=f"{month}月{project.name}（超范围列支）",
                    status=Expenditure.Status.REJECTED if big else Expenditure.Status.CANCELLED,
                    recorded_by=finance,
                ),
                ctx.at(day, 10),
            )
        )
    with stamps_kept(Expenditure):
        rows = ctx.bulk(Expenditure, rows + extra)
    approvals = Approvals(ctx, budgets.REQUEST_TYPE, Expenditure)
    for e in rows:
        if e.amount < threshold or e.status == Expenditure.Status.CANCELLED:
            continue
        decided = e.created_at + dt.timedelta(hours=rng.randint(2, 50))
        rejected = e.status == Expenditure.Status.REJECTED
        approvals.add(
            e.pk,
            f"支出审批：{e.payee} {e.amount} 元",
            e.purpose,
            e.created_at,
            decided,
            approved=not rejected,
            comment="不符合预算支出范围，不同意。" if rejected else "同意。",
        )
    return len(rows) + approvals.write()


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
                location=f"{rng.randint(1, 8)}号楼{rng.randint(1, 6)}{rng.randint(1, 40):02d}室",
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
        location = f"{rng.randint(1, 8)}号楼{rng.randint(1, 6)}{rng.randint(1, 40):02d}室"
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
            _stamp(
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
    with stamps_kept(AssetDisposal):
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
