"""Demo finance data for the demo center (seed_demo, after the other modules so their costs
are already in finance as expenditures waiting to be assigned).

`seed(center, *, actor=None, today=None)` returns the objects it created and is idempotent:
projects are keyed by year and code, the demo's expenditures by voucher number (记-年-项目-月),
assets by code, the count by year, procurements by item, vouchers by unit and period; a
second run writes nothing.

Everything goes through the services, acted by the demo logins "finance" (会计) and "leader"
(中心主任, who approves the expenditures at or above the approval threshold); without them
nothing is seeded. Years are relative to today (Asia/Shanghai):
- six budget projects for last year and this year (机关运行经费, 公务用车运行维护费 collecting
  the fleet's fuel costs, 维修维护费 collecting the work orders' costs, 物业管理费, 食堂运营补助,
  节能改造) with monthly spending plans; the other modules' costs of each year are assigned to
  the project collecting their kind; monthly expenditures bring last year to ~97 % and this
  year to ~78 % at today, with 节能改造 behind its plan; one 食堂运营补助 payment waits for the
  leader's approval;
- 30 fixed assets in every class; last year's count (closed, one 盘亏 and one 盘盈), a transfer
  this year, one disposal waiting for approval;
- procurement records in six methods and several statuses;
- voucher handovers of three affiliated units for the last two quarters, one overdue.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.services import approval_approve
from houqin.org.models import OrgUnit

from .models import (
    AssetCount,
    AssetTransfer,
    BudgetProject,
    CostKind,
    Expenditure,
    FixedAsset,
    Procurement,
    VoucherHandover,
)
from .services import assets as asset_services
from .services import budgets, procurement, vouchers

CENT = Decimal("0.01")
STANDARD_PLAN = ["5", "12", "20", "28", "36", "44", "52", "60", "68", "76", "84", "100"]
RETROFIT_PLAN = ["0", "0", "10", "20", "30", "45", "55", "65", "75", "85", "95", "100"]
# code, name, category, source, amount (元), cost kind, plan, rate at today (%), payee, purpose
PROJECTS = [
    ("JG01", "机关运行经费", "basic", "general", 1800000, "", STANDARD_PLAN, 86,
     "区财政局国库支付中心", "办公费、水电费、差旅费"),
    ("CL01", "公务用车运行维护费", "basic", "general", 360000, CostKind.VEHICLE_FUEL,
     STANDARD_PLAN, 85, "区汽车服务公司", "公务用车保险、通行费"),
    ("WX01", "维修维护费", "project", "general", 600000, CostKind.MAINTENANCE, STANDARD_PLAN,
     82, "区建筑安装公司", "办公楼日常维修"),
    ("WY01", "物业管理费", "project", "general", 1200000, "", STANDARD_PLAN, 90,
     "城东物业服务有限公司", "办公区物业管理服务费"),
    ("ST01", "食堂运营补助", "project", "general", 500000, "", STANDARD_PLAN, 80,
     "味美餐饮管理有限公司", "机关食堂运营补助"),
    ("JN01", "节能改造", "project", "special", 800000, "", RETROFIT_PLAN, 35,
     "绿能节能科技有限公司", "办公楼照明及空调节能改造"),
]  # fmt: skip
LAST_YEAR_RATE = 97
PENDING = ("ST01", Decimal("35000.00"), "机关食堂冬季设备更新补助")

# code, name, class, model, value, years before today, custodian unit code, location
ASSETS = [
    ("ZC-0001", "中心办公楼", "buildings", "框架 6 层", 12800000, 15, "BGS", "中心院内"),
    ("ZC-0002", "附属用房（车库）", "buildings", "砖混 1 层", 860000, 12, "CD", "中心院内"),
    ("ZC-0003", "公务轿车", "equipment", "大众帕萨特", 180000, 4, "CD", "车库"),
    ("ZC-0004", "商务车", "equipment", "别克 GL8", 260000, 3, "CD", "车库"),
    ("ZC-0005", "柴油发电机组", "equipment", "200kW", 320000, 8, "WYG", "配电房"),
    ("ZC-0006", "中央空调主机", "equipment", "螺杆式", 680000, 9, "WYG", "设备层"),
    ("ZC-0007", "服务器", "equipment", "2U 机架式", 56000, 3, "BGS", "机房"),
    ("ZC-0008", "核心交换机", "equipment", "48 口三层", 38000, 3, "BGS", "机房"),
    ("ZC-0009", "台式计算机（批）", "equipment", "国产信创", 96000, 2, "BGS", "各办公室"),
    ("ZC-0010", "复印机", "equipment", "A3 彩色", 28000, 5, "BGS", "205 室"),
    ("ZC-0011", "投影仪", "equipment", "5000 流明", 16000, 6, "HWG", "一号会议室"),
    ("ZC-0012", "会议扩声系统", "equipment", "数字会议", 148000, 4, "HWG", "报告厅"),
    ("ZC-0013", "商用消毒柜", "equipment", "双门", 9800, 3, "ST", "食堂后厨"),
    ("ZC-0014", "蒸饭柜", "equipment", "24 盘", 12500, 4, "ST", "食堂后厨"),
    ("ZC-0015", "监控系统", "equipment", "64 路", 210000, 5, "AFG", "监控室"),
    ("ZC-0016", "书画作品（陈列）", "relics", "", 30000, 10, "BGS", "一楼大厅"),
    ("ZC-0017", "文书档案（批）", "books", "", 20000, 12, "BGS", "档案室"),
    ("ZC-0018", "图书（批）", "books", "", 15000, 6, "BGS", "阅览室"),
    ("ZC-0019", "档案密集架", "books", "", 42000, 7, "BGS", "档案室"),
    ("ZC-0020", "办公桌椅（批）", "furniture", "", 86000, 6, "BGS", "各办公室"),
    ("ZC-0021", "会议桌椅（批）", "furniture", "", 64000, 5, "HWG", "一号会议室"),
    ("ZC-0022", "报告厅座椅", "furniture", "420 座", 252000, 2, "HWG", "报告厅"),
    ("ZC-0023", "文件柜（批）", "furniture", "", 36000, 7, "BGS", "各办公室"),
    ("ZC-0024", "食堂餐桌椅（批）", "furniture", "", 48000, 4, "ST", "食堂餐厅"),
    ("ZC-0025", "值班室床具", "furniture", "", 6000, 8, "AFG", "值班室"),
    ("ZC-0026", "沙发（批）", "furniture", "", 24000, 9, "HWG", "接待室"),
    ("ZC-0027", "后勤综合管理平台软件", "intangible", "", 380000, 1, "BGS", ""),
    ("ZC-0028", "正版办公软件许可", "intangible", "", 45000, 2, "BGS", ""),
    ("ZC-0029", "电动巡逻车", "equipment", "四座", 42000, 0, "AFG", "门岗"),
    ("ZC-0030", "智能充电桩", "equipment", "7kW × 4", 32000, 0, "CD", "停车场"),
]
# item, method, status, budget, supplier, amount, months before today of the contract
PROCUREMENTS = [
    ("办公楼物业管理服务", "open_tender", "paid", 1250000, "城东物业服务有限公司", 1198000, 10),
    ("机关食堂经营服务", "negotiation", "accepted", 520000, "味美餐饮管理有限公司", 498000, 9),
    ("办公计算机", "framework", "accepted", 100000, "区信创科技有限公司", 96000, 7),
    ("报告厅座椅更换", "inquiry", "contracted", 260000, "区家具制造厂", 252000, 5),
    ("后勤综合管理平台", "single_source", "paid", 400000, "后勤软件有限公司", 380000, 12),
    ("办公用品（零星）", "self", "paid", 30000, "区文具商店", 28600, 3),
    ("办公楼照明及空调节能改造", "open_tender", "tendering", 800000, "", None, None),
    ("病媒生物防制服务", "inquiry", "filed", 60000, "", None, None),
]
VOUCHER_UNITS = ["ZXB", "TZB", "SJJ"]


def _users(center):
    return {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["finance", "leader"], center_id=center.pk, is_active=True
        )
    }


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _month_end(year, month):
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# ------------------------------------------------------------------ budgets and expenditures


def _project(center, actor, year, row):
    code, name, category, source, amount, kind, plan, *_rest = row
    existing = BudgetProject.objects.filter(center=center, year=year, code=code).first()
    if existing is not None:
        return existing, False
    project = budgets.project_save(
        actor=actor,
        center=center,
        year=year,
        code=code,
        name=name,
        category=category,
        source=source,
        amount=Decimal(amount),
        responsible=actor,
        cost_kind=kind,
        monthly_plan=plan,
        notes=f"{year}年度部门预算批复。",
    )
    return project, True


def _assign_module_costs(center, actor, project):
    """The other modules' costs of the project's year and kind, not yet on a project."""
    if not project.cost_kind:
        return
    for expenditure in Expenditure.objects.filter(
        center=center, project__isnull=True, cost_kind=project.cost_kind, date__year=project.year
    ):
        budgets.expenditure_assign(actor=actor, expenditure=expenditure, project=project)


def _spent(project):
    return Expenditure.objects.filter(
        project=project, status=Expenditure.Status.RECORDED
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _spend_plan(project, target, last_day):
    """Monthly amounts (month, day, amount) adding up to `target`, following the plan."""
    months = list(range(1, last_day.month + 1))
    plan = [Decimal(p) for p in project.monthly_plan]
    weights = [plan[m - 1] - (plan[m - 2] if m > 1 else 0) for m in months]
    total = sum(weights) or Decimal(len(months))
    rows, left = [], target
    for i, month in enumerate(months):
        share = weights[i] / total if sum(weights) else Decimal(1) / len(months)
        amount = left if i == len(months) - 1 else _money(target * share)
        left -= amount
        day = min(_month_end(project.year, month).replace(day=25), last_day)
        if amount > 0:
            rows.append((month, day, amount))
    return rows


def seed_budgets(center, finance, leader, today):
    created, approvals = [], []
    for year in (today.year - 1, today.year):
        last_day = today if year == today.year else dt.date(year, 12, 31)
        for row in PROJECTS:
            project, new = _project(center, finance, year, row)
            if new:
                created.append(project)
            _assign_module_costs(center, finance, project)
            prefix = f"记-{year}-{project.code}-"
            if Expenditure.objects.filter(center=center, voucher_no__startswith=prefix).exists():
                continue
            rate = row[7] if year == today.year else LAST_YEAR_RATE
            target = _money(project.amount * rate / 100) - _spent(project)
            payee, purpose = row[8], row[9]
            for month, day, amount in _spend_plan(project, target, last_day):
                expenditure = budgets.expenditure_record(
                    actor=finance,
                    center=center,
                    project=project,
                    date=day,
                    amount=amount,
                    payee=payee,
                    purpose=f"{month}月{purpose}",
                    voucher_no=f"{prefix}{month:02}",
                )
                created.append(expenditure)
                if expenditure.status == Expenditure.Status.PENDING:
                    approvals.append(expenditure.pk)
        if year == today.year:
            created += _pending(center, finance, year, today)
    for approval in ApprovalRequest.objects.filter(
        request_type=budgets.REQUEST_TYPE,
        object_id__in=approvals,
        status__in=ApprovalRequest.OPEN_STATUSES,
    ):
        approval_approve(actor=leader, approval=approval, comment="同意。")
    return created


def _pending(center, finance, year, today):
    code, amount, purpose = PENDING
    voucher_no = f"记-{year}-{code}-待审"
    if Expenditure.objects.filter(center=center, voucher_no=voucher_no).exists():
        return []
    project = BudgetProject.objects.get(center=center, year=year, code=code)
    return [
        budgets.expenditure_record(
            actor=finance,
            center=center,
            project=project,
            date=today,
            amount=amount,
            payee="味美餐饮管理有限公司",
            purpose=purpose,
            voucher_no=voucher_no,
        )
    ]


# ------------------------------------------------------------------ assets


def _units(center):
    units = {}
    for unit in OrgUnit.objects.filter(center=center).exclude(kind=OrgUnit.Kind.CENTER):
        units.setdefault(unit.code, unit)
    return units


def _asset(center, finance, units, row, today):
    code, name, cls, model, value, years, unit_code, location = row
    existing = FixedAsset.objects.filter(center=center, code=code).first()
    if existing is not None:
        return existing, False
    bought = today.replace(month=3, day=15) if years == 0 else dt.date(today.year - years, 6, 1)
    agency = units.get(unit_code) or next(iter(units.values()))
    return asset_services.asset_save(
        actor=finance,
        center=center,
        code=code,
        name=name,
        asset_class=cls,
        model=model,
        value=Decimal(value),
        purchase_date=min(bought, today),
        custodian_agency=agency,
        location=location,
    ), True


def seed_assets(center, finance, today):
    units = _units(center)
    if not units:
        return []
    created = []
    older = [row for row in ASSETS if row[5] > 0]
    newer = [row for row in ASSETS if row[5] == 0]
    for row in older:
        asset, new = _asset(center, finance, units, row, today)
        if new:
            created.append(asset)
    created += _last_year_count(center, finance, today)
    for row in newer:
        asset, new = _asset(center, finance, units, row, today)
        if new:
            created.append(asset)
    # A transfer this year: the projector moves to the 报告厅.
    projector = FixedAsset.objects.get(center=center, code="ZC-0011")
    if not AssetTransfer.objects.filter(asset=projector).exists() and "HWG" in units:
        created.append(
            asset_services.asset_transfer(
                actor=finance,
                asset=projector,
                date=today.replace(month=4, day=10),
                to_agency=units["HWG"],
                to_location="报告厅",
                reason="报告厅投影设备更新前临时调用",
            )
        )
    # A disposal waiting for the leader: the old copier.
    copier = FixedAsset.objects.get(center=center, code="ZC-0010")
    if not copier.disposals.exists():
        created.append(
            asset_services.disposal_request(
                actor=finance,
                asset=copier,
                method="scrap",
                reason="使用已满 5 年，故障频发，维修价值低",
            )
        )
    return created


def _last_year_count(center, finance, today):
    year = today.year - 1
    if AssetCount.objects.filter(center=center, year=year).exists():
        return []
    count = asset_services.count_start(
        actor=finance,
        center=center,
        year=year,
        notes=f"{year}年度固定资产清查盘点。",
        started_on=dt.date(year, 12, 1),
    )
    for line in count.lines.select_related("asset"):
        code = line.asset.code
        if code == "ZC-0025":
            result, where, note = "missing", "", "值班室床具一套未找到，已报损失核销"
        elif code == "ZC-0026":
            result, where, note = "moved", "二号会议室", "沙发已移至二号会议室"
        else:
            result, where, note = "found", "", ""
        asset_services.count_line_record(
            actor=finance, line=line, result=result, found_location=where, note=note
        )
    asset_services.count_add_surplus(
        actor=finance,
        count=count,
        description="移动式空调一台（未入账，系原项目配套）",
        found_location="机房",
        note="待补办入账手续",
    )
    asset_services.count_close(actor=finance, count=count, closed_on=dt.date(year, 12, 20))
    return [count]


# ------------------------------------------------------------------ procurement and vouchers


def _months_ago(today, months):
    month = today.month - months
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, min(today.day, 28))


def seed_procurements(center, finance, today):
    created = []
    projects = {p.name: p for p in BudgetProject.objects.filter(center=center, year=today.year)}
    links = {"办公楼物业管理服务": "物业管理费", "机关食堂经营服务": "食堂运营补助",
             "办公楼照明及空调节能改造": "节能改造"}  # fmt: skip
    for n, (item, method, status, budget, supplier, amount, months) in enumerate(
        PROCUREMENTS, start=1
    ):
        if Procurement.objects.filter(center=center, item=item).exists():
            continue
        contract_date = None if months is None else _months_ago(today, months)
        project = projects.get(links.get(item, ""))
        if project is not None and contract_date and contract_date.year != project.year:
            project = None
        created.append(
            procurement.procurement_save(
                actor=finance,
                center=center,
                item=item,
                method=method,
                budget=Decimal(budget),
                status=status,
                filing_number=f"XX采备[{today.year}]{n:03}号" if status != "planned" else "",
                project=project,
                supplier=supplier,
                amount=None if amount is None else Decimal(amount),
                contract_no=f"HT-{today.year}-{n:03}" if contract_date else "",
                contract_date=contract_date,
            )
        )
    return created


def _quarter(today, back):
    """[start, end] of the quarter `back` quarters before the current one."""
    q = (today.month - 1) // 3 - back
    year = today.year
    while q < 0:
        q += 4
        year -= 1
    start = dt.date(year, q * 3 + 1, 1)
    return start, _month_end(year, q * 3 + 3)


def seed_vouchers(center, finance, today):
    units = [u for code, u in _units(center).items() if code in VOUCHER_UNITS]
    if not units:
        return []
    created = []
    for back in (2, 1):
        start, end = _quarter(today, back)
        if VoucherHandover.objects.filter(center=center, period_start=start).exists():
            continue
        rows = vouchers.voucher_plan(
            actor=finance, center=center, units=units, period_start=start, period_end=end
        )
        created += rows
        for i, row in enumerate(sorted(rows, key=lambda r: r.unit.code)):
            handed_on = row.due_date - dt.timedelta(days=3 + i)
            # The last quarter: one unit has not handed its vouchers over yet (overdue).
            if (back == 1 and i == len(rows) - 1) or handed_on > today:
                continue
            vouchers.voucher_handover(
                actor=finance,
                voucher=row,
                voucher_count=60 + 15 * i,
                volumes=2,
                handed_by=f"{row.unit.short_name or row.unit.name}会计",
                handed_on=handed_on,
            )
    return created


def seed(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    users = _users(center)
    finance, leader = users.get("finance"), users.get("leader")
    if finance is None or leader is None:
        return []
    created = seed_budgets(center, finance, leader, today)
    created += seed_assets(center, finance, today)
    created += seed_procurements(center, finance, today)
    created += seed_vouchers(center, finance, today)
    return created
