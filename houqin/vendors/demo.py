"""Demo vendor data for the demo center (seed_demo, after finance so contracts can point at
the procurement records).

`seed(center, *, actor=None, today=None)` returns the objects it created and is idempotent:
vendors and sheets are keyed by name, contracts by number, staff by vendor and name,
evaluations by vendor, sheet and period; a second run writes nothing, a run in a later month
adds that month's evaluations.

Everything goes through the services, acted by the demo login "vendor" (外包管理员; the
evaluations need an evaluator, so without it there are none). Dates are relative to today:
- four vendors: the security company, the property company, the canteen operator and the
  pest-control company (the one the duties demo's 除四害 plan names, so its duties count);
- a contract for each (the property company's ends in a month: renewal reminder), linked to
  the procurement record of the same service when finance has one;
- their staff: guards, property staff, canteen staff with health certificates (one expiring
  within two weeks), pest-control technicians;
- two monthly sheets (a general one; the pest-control one with an item scored from duties);
- evaluations for the last three finished months, the canteen's last one below the pass mark
  (payment flagged).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Contract, EvaluationSheet, Vendor, VendorEvaluation, VendorStaff
from .services import evaluations, vendors

SECURITY, PROPERTY, CANTEEN, PEST = (
    "安心保安服务有限公司",
    "城东物业服务有限公司",
    "味美餐饮管理有限公司",
    "XX有害生物防治有限公司",
)
# name, kind, credit code, contact, phone, address
VENDORS = [
    (SECURITY, "security", "91450100MA5K000011", "黄队长", "13800000101", "XX区民主路 8 号"),
    (PROPERTY, "property", "91450100MA5K000022", "李经理", "13800000102", "XX区朝阳路 16 号"),
    (CANTEEN, "canteen", "91450100MA5K000033", "陈经理", "13800000103", "XX区新华街 21 号"),
    (PEST, "pest_control", "91450100MA5K000044", "覃工", "13800000104", "XX区工业园 3 号"),
]
# vendor, number, service, start (months ago), length (months), amount, terms, procurement item
CONTRACTS = [
    (SECURITY, "BA", "行政中心安保服务", 10, 24, "960000", "monthly", ""),
    (PROPERTY, "WY", "办公区物业管理服务", 11, 12, "1198000", "monthly", "办公楼物业管理服务"),
    (CANTEEN, "ST", "机关食堂经营服务", 9, 24, "498000", "quarterly", "机关食堂经营服务"),
    (PEST, "BM", "病媒生物防制服务", 8, 12, "58000", "milestone", ""),
]
# vendor, name, post, screening, health certificate (days left; None: no certificate)
STAFF = [
    (SECURITY, "韦建国", "门岗保安", "passed", None),
    (SECURITY, "莫志强", "门岗保安", "passed", None),
    (SECURITY, "陆海军", "巡逻保安", "passed", None),
    (SECURITY, "潘小龙", "监控值机员", "pending", None),
    (PROPERTY, "梁秀英", "保洁员", "passed", None),
    (PROPERTY, "罗桂兰", "保洁员", "passed", None),
    (PROPERTY, "蒙德华", "水电维修工", "passed", None),
    (CANTEEN, "唐师傅", "厨师长", "passed", 210),
    (CANTEEN, "谢玉梅", "面点师", "passed", 150),
    (CANTEEN, "卢春燕", "帮厨", "passed", 10),
    (CANTEEN, "宋志明", "帮厨", "passed", 300),
    (CANTEEN, "郭丽华", "售饭员", "passed", 90),
    (PEST, "何振华", "消杀技术员", "passed", None),
    (PEST, "高明", "消杀技术员", "passed", None),
]
GENERAL_SHEET = (
    "外包服务月度考核表",
    "",
    [
        ("人员在岗在位、服从管理", 30),
        ("服务质量达到合同标准", 40),
        ("安全责任落实、无责任事故", 20),
        ("服务对象满意度", 10),
    ],
)
PEST_SHEET = (
    "病媒生物防制月度考核表",
    "pest_control",
    [("消杀作业规范、药剂使用合规", 40), ("现场效果检查（鼠蚊蝇蟑密度）", 30)],
)
PEST_DUTY_ITEM = ("除四害责任事项按时完成", 30)
# Scores per vendor for the last three months (oldest first), as shares of each item's points.
SCORES = {
    SECURITY: [0.95, 0.92, 0.94],
    PROPERTY: [0.9, 0.88, 0.91],
    CANTEEN: [0.86, 0.84, 0.72],  # last month below the pass mark of 80: payment flagged
    PEST: [0.9, 0.95, 0.9],
}


def _months_ago(today, months):
    """The first day of the month `months` before today's (after it when negative)."""
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(first):
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def seed_vendors(center, actor, today):
    created = []
    existing = {v.name: v for v in Vendor.objects.filter(center=center)}
    for name, kind, code, contact, phone, address in VENDORS:
        if name in existing:
            continue
        existing[name] = vendors.vendor_save(
            actor=actor,
            center=center,
            name=name,
            kind=kind,
            credit_code=code,
            contact=contact,
            phone=phone,
            address=address,
        )
        created.append(existing[name])
    from houqin.finance.models import Procurement

    procurements = {p.item: p for p in Procurement.objects.filter(center=center)}
    for vendor_name, prefix, service, ago, length, amount, terms, item in CONTRACTS:
        number = f"{prefix}-{_months_ago(today, ago):%Y}-001"
        if Contract.objects.filter(center=center, number=number).exists():
            continue
        start = _months_ago(today, ago)
        end = _month_end(_months_ago(start, -(length - 1)))
        if vendor_name == PROPERTY:
            end = today + dt.timedelta(days=30)  # due for renewal
        created.append(
            vendors.contract_save(
                actor=actor,
                vendor=existing[vendor_name],
                number=number,
                service=service,
                start_date=start,
                end_date=end,
                amount=amount,
                payment_terms=terms,
                renewal_notice_days=60,
                procurement=procurements.get(item),
            )
        )
    have = set(
        VendorStaff.objects.filter(vendor__center=center).values_list("vendor__name", "name")
    )
    for i, (vendor_name, name, post, screening, cert_days) in enumerate(STAFF, start=1):
        if (vendor_name, name) in have:
            continue
        created.append(
            vendors.staff_save(
                actor=actor,
                vendor=existing[vendor_name],
                name=name,
                post=post,
                phone=f"139{i:08d}",
                screening=screening,
                health_cert_no=f"健字{today.year}{i:04d}" if cert_days else "",
                health_cert_expiry=today + dt.timedelta(days=cert_days) if cert_days else None,
                start_date=_months_ago(today, 8),
            )
        )
    return created, existing


def _sheet(center, actor, spec, duty_item=None):
    name, kind, items = spec
    sheet = EvaluationSheet.objects.filter(center=center, name=name).first()
    if sheet is not None:
        return sheet, []
    sheet = evaluations.sheet_save(
        actor=actor, center=center, name=name, period="monthly", threshold=80, vendor_kind=kind
    )
    created = [sheet]
    for text, points in items:
        created.append(evaluations.item_add(actor=actor, sheet=sheet, text=text, points=points))
    if duty_item:
        created.append(
            evaluations.item_add(
                actor=actor, sheet=sheet, text=duty_item[0], points=duty_item[1], from_duties=True
            )
        )
    return sheet, created


def seed_evaluations(center, evaluator, existing, today):
    general, created = _sheet(center, None, GENERAL_SHEET)
    pest, more = _sheet(center, None, PEST_SHEET, PEST_DUTY_ITEM)
    created += more
    contracts = {c.vendor_id: c for c in Contract.objects.filter(center=center)}
    for vendor_name, shares in SCORES.items():
        vendor = existing[vendor_name]
        sheet = pest if vendor_name == PEST else general
        items = [i for i in sheet.items.all() if not i.from_duties]
        for back, share in zip((3, 2, 1), shares, strict=True):
            start = _months_ago(today, back)
            if VendorEvaluation.objects.filter(
                vendor=vendor, sheet=sheet, period_start=start
            ).exists():
                continue
            points = {i.pk: round(float(i.points) * share, 1) for i in items}
            low = share < 0.8
            created.append(
                evaluations.evaluation_record(
                    actor=evaluator,
                    vendor=vendor,
                    sheet=sheet,
                    period_start=start,
                    period_end=_month_end(start),
                    points=points,
                    comment="饭菜留样记录不全，员工健康证未及时更新，限期整改。" if low else "",
                    notes={items[1].pk: "抽查发现问题 2 处"} if low else None,
                    contract=contracts.get(vendor.pk),
                )
            )
    return created


def seed(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    evaluator = (
        get_user_model()
        .objects.filter(username="vendor", center_id=center.pk, is_active=True)
        .first()
    )
    created, existing = seed_vendors(center, None, today)
    if evaluator is not None:
        created += seed_evaluations(center, evaluator, existing, today)
    return created
