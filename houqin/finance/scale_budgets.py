"""The finance scale year's budgets and expenditures (part of houqin/finance/scale.py).

~40 budget projects with monthly spending plans (the demo's projects among them, read from
demo.PROJECTS); the other modules' costs already written as expenditures are put on the
project collecting their kind, and ~3,000 expenditures on working days follow each plan to
95–100 % of the budget. Those at or above the approval threshold went through the approval
flow (`Approvals`, also used for the asset disposals).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from houqin.core.approvals.scale import ApprovalBatch
from houqin.core.scale import CENT, own_stamps, stamp

from . import demo
from .models import (
    BudgetProject,
    CostKind,
    Expenditure,
)
from .services import budgets
from .services.common import settings_for

EVEN = ["8", "16", "25", "33", "41", "50", "58", "66", "75", "83", "91", "100"]
FRONT = ["12", "22", "31", "40", "48", "56", "63", "70", "77", "84", "92", "100"]
BACK = ["0", "3", "8", "15", "25", "35", "45", "55", "66", "78", "90", "100"]
K = CostKind
DEMO_PROJECTS = {row[1]: row for row in demo.PROJECTS}


def _demo_project(name, code, wan, plan):
    """A row of the demo's project of that name (category, source, cost kind, payee), with
    the district's code, amount and plan."""
    _code, _name, category, source, _amount, kind, _plan, _rate, payee, _purpose = DEMO_PROJECTS[
        name
    ]
    return (code, name, category, source, wan, kind, plan, payee)


# code, name, category, source, amount (万元), cost kind, plan, payee
PROJECTS = [
    _demo_project("机关运行经费", "JB01", 420, EVEN),
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
    _demo_project("维修维护费", "WX01", 480, EVEN),
    _demo_project("物业管理费", "WY01", 520, FRONT),
    ("WY02", "保安服务费", "project", "general", 380, "", EVEN, "安心保安服务有限公司"),
    ("WY03", "保洁服务费", "project", "general", 210, "", EVEN, "洁美保洁服务有限公司"),
    ("WY04", "绿化养护费", "project", "general", 60, "", EVEN, "绿荫园林绿化有限公司"),
    ("WY05", "电梯维保费", "project", "general", 45, "", EVEN, "恒通电梯工程有限公司"),
    ("WY06", "消防设施维保费", "project", "general", 38, "", EVEN, "安达消防技术服务有限公司"),
    ("WY07", "空调系统维保费", "project", "general", 52, "", EVEN, "冷暖机电设备有限公司"),
    ("WY08", "病媒生物防制费", "project", "general", 12, "", EVEN, "XX有害生物防治有限公司"),
    _demo_project("食堂运营补助", "ST01", 260, EVEN),
    ("ST02", "食堂设备更新", "project", "general", 80, "", BACK, "区厨具设备公司"),
    ("XX01", "网络及信息系统运维", "project", "general", 120, "", EVEN, "区信创科技有限公司"),
    ("XX02", "信息化设备购置", "project", "general", 150, "", BACK, "区信创科技有限公司"),
    ("XX03", "档案数字化", "project", "general", 65, "", BACK, "区档案服务公司"),
    ("GZ01", "维修改造项目", "project", "general", 600, K.RENOVATION, BACK, "区建筑安装公司"),
    _demo_project("节能改造", "GZ02", 300, BACK),
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
PAYEES = {row[0]: row[7] for row in PROJECTS}
BEHIND = {"GZ02", "XX03"}  # the projects that lag their plan (节能改造, 档案数字化)
EXPENDITURES = 3000


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


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
    """The finance requests of one type as approval_submit + approve/reject leave them:
    submitted by the accountant, decided in one go by the center's leader."""

    def __init__(self, ctx, request_type, model):
        self.batch = ApprovalBatch(ctx, request_type, model)
        requester = ctx.accounts["finance"]
        self.who = {
            "requester_id": requester.pk,
            "agency_id": getattr(getattr(requester, "person", None), "agency_id", None),
            "decider_id": ctx.accounts["leader"].pk,
        }

    def add(self, pk, title, summary, submitted, decided, *, approved=True, comment=""):
        self.batch.add_decided(
            pk,
            title=title,
            summary=summary,
            at=submitted,
            decided=decided,
            approved=approved,
            comment=comment,
            **self.who,
        )

    def write(self):
        return self.batch.write()


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


def _expenditure(ctx, project, day, amount, purpose, status, when, voucher_no=""):
    """An expenditure the accountant recorded at `when`, paid to the project's payee."""
    return stamp(
        Expenditure(
            center_id=ctx.center.pk,
            project=project,
            date=day,
            amount=amount,
            payee=PAYEES[project.code],
            purpose=purpose,
            voucher_no=voucher_no,
            status=status,
            recorded_by=ctx.accounts["finance"],
        ),
        when,
    )


def _expenditures(ctx, projects, module):
    rng = ctx.rng
    threshold = settings_for(ctx.center.pk).approval_threshold
    workdays = {}
    for day in ctx.workdays():
        workdays.setdefault(day.month, []).append(day)
    total_weight = sum(float(p.amount) ** 0.5 for p in projects)
    wanted = ctx.scaled(EXPENDITURES)
    rows, serial = [], {}
    for project in projects:
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
                    _expenditure(
                        ctx,
                        project,
                        day,
                        part,
                        f"{month}月{project.name}",
                        Expenditure.Status.RECORDED,
                        ctx.at(day, rng.randint(9, 16), rng.randint(0, 59)),
                        voucher_no=f"记-{ctx.year}-{month:02d}-{serial[month]:04d}",
                    )
                )
    # A few refused or withdrawn (they do not count as spent), beside those that stand.
    extra = []
    for _i in range(max(1, ctx.scaled(30))):
        project = rng.choice(projects)
        month = rng.randint(1, 12)
        day = rng.choice(workdays[month])
        big = rng.random() < 0.5
        extra.append(
            _expenditure(
                ctx,
                project,
                day,
                _money(rng.uniform(12000, 60000) if big else rng.uniform(300, 8000)),
                f"{month}月{project.name}（超范围列支）",
                Expenditure.Status.REJECTED if big else Expenditure.Status.CANCELLED,
                ctx.at(day, 10),
            )
        )
    with own_stamps(Expenditure):
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
