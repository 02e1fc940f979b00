"""The scale dataset of outsourced vendors (seed_scale; see houqin/core/scale.py).

One year of a district center's outsourcing: ~15 vendors (security, property, canteen,
cleaning, maintenance, pest control…), each with the contract of the year (and the one it
renewed, for the multi-year services), ~300 staff on post (a few who left during the year,
canteen staff with health certificates), two monthly scoring sheets and twelve monthly
evaluations per vendor, a few below the pass mark (payment flagged) as the services would
flag them. Runs after finance, so a contract points at the procurement record whose
supplier is its vendor (finance/scale.py uses VENDORS' names as suppliers).
"""

import datetime as dt
from decimal import Decimal

from .models import (
    Contract,
    EvaluationItem,
    EvaluationScore,
    EvaluationSheet,
    Vendor,
    VendorEvaluation,
    VendorStaff,
)
from .services.evaluations import period_bounds

TENTH = Decimal("0.1")
# name, kind, staff at factor 1, posts, contract amount (元/年), payment terms, multi-year
VENDORS = [
    (
        "安心保安服务有限公司",
        "security",
        48,
        ("门岗保安", "巡逻保安", "监控值机员"),
        960000,
        "monthly",
        True,
    ),
    ("卫士保安服务有限公司", "security", 30, ("门岗保安", "巡逻保安"), 610000, "monthly", True),
    (
        "城东物业服务有限公司",
        "property",
        52,
        ("保洁员", "水电维修工", "绿化工", "会务服务员"),
        1198000,
        "monthly",
        False,
    ),
    (
        "锦绣物业管理有限公司",
        "property",
        36,
        ("保洁员", "水电维修工", "客服专员"),
        820000,
        "monthly",
        False,
    ),
    (
        "味美餐饮管理有限公司",
        "canteen",
        28,
        ("厨师长", "厨师", "面点师", "帮厨", "售饭员"),
        498000,
        "quarterly",
        True,
    ),
    ("膳源餐饮服务有限公司", "canteen", 18, ("厨师", "帮厨", "售饭员"), 320000, "quarterly", True),
    ("XX有害生物防治有限公司", "pest_control", 6, ("消杀技术员",), 58000, "milestone", False),
    ("洁美保洁服务有限公司", "cleaning", 34, ("保洁员", "外墙清洗工"), 560000, "monthly", False),
    ("清源环境服务有限公司", "cleaning", 16, ("保洁员",), 260000, "monthly", False),
    ("恒通电梯工程有限公司", "maintenance", 5, ("电梯维保工",), 180000, "quarterly", True),
    ("安达消防技术服务有限公司", "maintenance", 6, ("消防设施维保员",), 150000, "quarterly", False),
    ("冷暖机电设备有限公司", "maintenance", 7, ("空调维保工", "电工"), 240000, "quarterly", False),
    ("绿荫园林绿化有限公司", "other", 8, ("绿化工",), 130000, "quarterly", False),
    ("速达文印服务有限公司", "other", 3, ("文印员",), 90000, "monthly", False),
    ("顺心车辆服务有限公司", "other", 7, ("洗车工", "车辆保养工"), 120000, "monthly", False),
]
VENDOR_NAMES = [row[0] for row in VENDORS]
GENERAL_ITEMS = [
    ("人员在岗在位、服从管理", 30),
    ("服务质量达到合同标准", 40),
    ("安全责任落实、无责任事故", 20),
    ("服务对象满意度", 10),
]
PEST_ITEMS = [("消杀作业规范、药剂使用合规", 40), ("现场效果检查（鼠蚊蝇蟑密度）", 30)]
PEST_DUTY_ITEM = ("除四害责任事项按时完成", 30)
NOTES = ["抽查发现人员脱岗 1 次", "保洁不到位，已要求整改", "服务对象投诉 1 件", "台账记录不全"]
LOW_COMMENT = "本月服务质量未达合同标准，存在问题已书面通知限期整改，付款按合同约定暂缓。"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆卢潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国志宏海燕"


def _round(value):
    return Decimal(value).quantize(TENTH)


def _vendors(ctx):
    center_id = ctx.center.pk
    rows = [
        Vendor(
            center_id=center_id,
            name=name,
            kind=kind,
            credit_code=f"91450100MA5K{ctx.center.pk % 100:02d}{i:04d}",
            contact=ctx.rng.choice(SURNAMES) + ctx.rng.choice(("经理", "队长", "主管")),
            phone=f"138{ctx.center.pk % 100:02d}{i:06d}",
            address=f"XX区{ctx.rng.choice(('民主路', '朝阳路', '新华街', '工业园'))} {i + 1} 号",
        )
        for i, (name, kind, *_rest) in enumerate(VENDORS)
    ]
    return ctx.bulk(Vendor, rows)


def _contracts(ctx, vendors):
    from houqin.finance.models import Procurement

    year = ctx.year
    procurements = {}
    for p in Procurement.objects.filter(center_id=ctx.center.pk, supplier__in=VENDOR_NAMES):
        procurements.setdefault(p.supplier, p)
    rows, current = [], {}
    for i, (vendor, spec) in enumerate(zip(vendors, VENDORS, strict=True), start=1):
        _name, _kind, _staff, _posts, amount, terms, multi = spec
        service = f"{vendor.get_kind_display()}（{vendor.name[:4]}）"
        if multi:  # a two-year contract from last year, its predecessor ended then
            rows.append(
                Contract(
                    center_id=ctx.center.pk,
                    vendor=vendor,
                    number=f"HT-WB-{year - 3}-{i:03d}",
                    service=service,
                    start_date=dt.date(year - 3, 1, 1),
                    end_date=dt.date(year - 2, 12, 31),
                    amount=Decimal(amount * 2),
                    payment_terms=terms,
                )
            )
            start, end, total = dt.date(year - 1, 1, 1), dt.date(year, 12, 31), amount * 2
        else:
            start, end, total = dt.date(year, 1, 1), dt.date(year, 12, 31), amount
            rows.append(
                Contract(
                    center_id=ctx.center.pk,
                    vendor=vendor,
                    number=f"HT-WB-{year - 1}-{i:03d}",
                    service=service,
                    start_date=dt.date(year - 1, 1, 1),
                    end_date=dt.date(year - 1, 12, 31),
                    amount=Decimal(amount) * Decimal("0.97"),
                    payment_terms=terms,
                )
            )
        contract = Contract(
            center_id=ctx.center.pk,
            vendor=vendor,
            number=f"HT-WB-{start.year}-{i:03d}",
            service=service,
            start_date=start,
            end_date=end,
            amount=Decimal(total),
            payment_terms=terms,
            renewal_notice_days=60,
            procurement=procurements.get(vendor.name),
            notes="续签合同" if multi else "",
        )
        rows.append(contract)
        current[vendor.pk] = contract
    ctx.bulk(Contract, rows)
    return current, len(rows)


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _staff(ctx, vendors):
    rng, year, rows = ctx.rng, ctx.year, []
    serial = 0
    for vendor, (_n, kind, count, posts, *_rest) in zip(vendors, VENDORS, strict=True):
        for n in range(ctx.scaled(count)):
            serial += 1
            start = dt.date(year - rng.randint(0, 4), rng.randint(1, 12), 1)
            end = None
            if rng.random() < 0.08:  # left during the year; a successor was hired
                end = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
                start = min(start, end - dt.timedelta(days=90))
            cert = kind == "canteen"
            rows.append(
                VendorStaff(
                    vendor=vendor,
                    name=_name(rng),
                    post=posts[0] if n == 0 else rng.choice(posts),
                    phone=f"139{ctx.center.pk % 100:02d}{serial:06d}",
                    screening="passed" if rng.random() < 0.97 else "pending",
                    health_cert_no=f"健字{year}{serial:05d}" if cert else "",
                    health_cert_expiry=(
                        dt.date(year + 1, rng.randint(1, 12), rng.randint(1, 28)) if cert else None
                    ),
                    start_date=start,
                    end_date=end,
                )
            )
    return ctx.bulk(VendorStaff, rows)


def _sheets(ctx):
    center_id = ctx.center.pk
    general = EvaluationSheet.objects.create(
        center_id=center_id, name="外包服务月度考核表", period="monthly", threshold=80
    )
    pest = EvaluationSheet.objects.create(
        center_id=center_id,
        name="病媒生物防制月度考核表",
        vendor_kind="pest_control",
        period="monthly",
        threshold=80,
    )
    items = [
        EvaluationItem(sheet=general, text=t, points=Decimal(p), order=i)
        for i, (t, p) in enumerate(GENERAL_ITEMS, start=1)
    ]
    items += [
        EvaluationItem(sheet=pest, text=t, points=Decimal(p), order=i)
        for i, (t, p) in enumerate(PEST_ITEMS, start=1)
    ]
    items.append(
        EvaluationItem(
            sheet=pest,
            text=PEST_DUTY_ITEM[0],
            points=Decimal(PEST_DUTY_ITEM[1]),
            order=len(PEST_ITEMS) + 1,
            from_duties=True,
        )
    )
    items = ctx.bulk(EvaluationItem, items)
    by_sheet = {general.pk: [], pest.pk: []}
    for item in items:
        by_sheet[item.sheet_id].append(item)
    return {general.pk: general, pest.pk: pest}, by_sheet


def _evaluations(ctx, vendors, contracts):
    rng = ctx.rng
    sheets, items = _sheets(ctx)
    general, pest = sheets.values()
    evaluator = ctx.accounts["vendor"]
    evaluations, scores = [], []
    for vendor in vendors:
        sheet = pest if vendor.kind == "pest_control" else general
        # A vendor's level drifts a little; a weak one dips below the mark now and then.
        level = rng.uniform(0.84, 0.96)
        for month in range(1, 13):
            start, end = period_bounds(sheet.period, dt.date(ctx.year, month, 1))
            share = min(1.0, max(0.6, rng.gauss(level, 0.04)))
            if rng.random() < 0.03:
                share = rng.uniform(0.68, 0.78)
            row_scores = []
            for item in items[sheet.pk]:
                if item.from_duties:
                    # The duty engine found nothing due (the services give full points).
                    row_scores.append((item, item.points, "本期无到期责任事项"))
                    continue
                points = min(item.points, _round(float(item.points) * share))
                lost = points < item.points * Decimal("0.85")
                row_scores.append((item, points, rng.choice(NOTES) if lost else ""))
            total = sum((p for _i, p, _n in row_scores), Decimal(0)).quantize(TENTH)
            flagged = total < sheet.threshold
            evaluation = VendorEvaluation(
                center_id=ctx.center.pk,
                vendor=vendor,
                contract=contracts.get(vendor.pk),
                sheet=sheet,
                period_start=start,
                period_end=end,
                total=total,
                duty_rate=None,
                payment_flagged=flagged,
                comment=LOW_COMMENT if flagged else "",
                evaluated_by=evaluator,
            )
            evaluations.append(evaluation)
            scores.append(row_scores)
    evaluations = ctx.bulk(VendorEvaluation, evaluations)
    score_rows = [
        EvaluationScore(evaluation=evaluation, item=item, points=points, note=note)
        for evaluation, row_scores in zip(evaluations, scores, strict=True)
        for item, points, note in row_scores
    ]
    ctx.bulk(EvaluationScore, score_rows)
    return 2 + sum(len(v) for v in items.values()) + len(evaluations) + len(score_rows)


def seed(ctx) -> int:
    vendors = _vendors(ctx)
    contracts, contract_rows = _contracts(ctx, vendors)
    staff = _staff(ctx, vendors)
    evaluation_rows = _evaluations(ctx, vendors, contracts)
    return len(vendors) + contract_rows + len(staff) + evaluation_rows
