"""Demo leases, renovation projects and ownership records of the seed report (2021 work
report of the center): the four rented houses (在外租用的 4 栋办公民房) handed back this year
with the rent they save, one lease still running and ending within the notice period, the
auditorium renovation (completed, with its final cost) and the roof leak repair (in progress),
and the ownership registration of the buildings the center has.

`seed_estate(center, *, actor=None, today=None)` is idempotent: leases are found by address,
projects by title and ownership records by building, so a second run (or one on a later day)
creates nothing. Everything goes through services/estate.py.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .models import Building, Lease, OwnershipRecord, RenovationProject
from .services import estate

# (lessor, address, area ㎡, annual rent 元, month and day vacated this year)
VACATED = [
    ("城关镇居民 王某", "城关镇解放路 18 号民房", "420.00", "86000.00", (3, 31)),
    ("城关镇居民 李某", "城关镇解放路 22 号民房", "380.00", "78000.00", (4, 30)),
    ("城关镇居民 张某", "城关镇和平街 7 号民房", "510.00", "102000.00", (6, 30)),
    ("城关镇居民 陈某", "城关镇和平街 11 号民房", "300.00", "64000.00", (8, 31)),
]
ACTIVE = ("区供销合作社", "新华路 56 号供销社综合楼三层", "650.00", "138000.00")
ACTIVE_ENDS_IN_DAYS = 45

AUDITORIUM = "区行政中心一楼报告厅改造"
AUDITORIUM_ITEMS = [
    ("礼堂椅", "420", "张", "294000.00"),
    ("主席台会议桌", "12", "张", "43200.00"),
    ("会议椅", "24", "张", "21600.00"),
    ("幕布", "1", "套", "38000.00"),
    ("木地板", "380", "㎡", "136800.00"),
    ("休息室厕所翻新", "2", "间", "56000.00"),
    ("报告厅顶棚补漏", "1", "项", "18500.00"),
]
ROOF = "行政中心大楼楼顶全面补漏"


def _on_or_before(day, today):
    return min(day, today)


def _main_building(center):
    buildings = Building.objects.filter(center=center).order_by("code", "name", "id")
    return buildings.filter(name__contains="行政中心").first() or buildings.first()


def seed_leases(center, *, actor, today):
    created = []
    existing = set(Lease.objects.filter(center=center).values_list("address", flat=True))
    for lessor, address, area, rent, (month, day) in VACATED:
        if address in existing:
            continue
        vacated_on = _on_or_before(dt.date(today.year, month, day), today)
        lease = estate.lease_create(
            actor=actor,
            center=center,
            lessor=lessor,
            address=address,
            area=area,
            annual_rent=rent,
            start_date=dt.date(today.year - 6, 1, 1),
            end_date=dt.date(today.year + 1, 12, 31),
            approval_ref=f"区机管〔{today.year - 6}〕12号",
            notes="机构改革前租用的办公民房",
        )
        created.append(
            estate.lease_vacate(
                actor=actor,
                lease=lease,
                vacated_on=vacated_on,
                notes="机构改革后统筹调剂办公用房，退租腾退",
            )
        )
    lessor, address, area, rent = ACTIVE
    if address not in existing:
        end = today + dt.timedelta(days=ACTIVE_ENDS_IN_DAYS)
        created.append(
            estate.lease_create(
                actor=actor,
                center=center,
                lessor=lessor,
                address=address,
                area=area,
                annual_rent=rent,
                start_date=end - relativedelta(years=3) + dt.timedelta(days=1),
                end_date=end,
                approval_ref=f"区机管〔{end.year - 3}〕31号",
                notes="过渡期租用，到期后视办公用房调剂情况决定是否续租",
            )
        )
    return created


def _auditorium(center, building, *, actor, today):
    start = _on_or_before(dt.date(today.year, 3, 15), today)
    finish = _on_or_before(dt.date(today.year, 7, 20), today)
    project = estate.project_create(
        actor=actor,
        center=center,
        title=AUDITORIUM,
        building=building,
        description="报告厅座椅、主席台、幕布、地面更新，休息室厕所翻新，顶棚补漏。",
        budget="650000.00",
        contractor="区建筑装饰工程有限公司",
        start_date=start,
    )
    for name, quantity, unit, amount in AUDITORIUM_ITEMS:
        estate.project_item_add(
            actor=actor, project=project, name=name, quantity=quantity, unit=unit, amount=amount
        )
    estate.project_progress(
        actor=actor, project=project, progress=30, note="旧座椅、地面拆除完毕，顶棚补漏完成"
    )
    estate.project_progress(
        actor=actor, project=project, progress=80, note="木地板铺设、礼堂椅安装完成"
    )
    items_total = sum(Decimal(amount) for *_, amount in AUDITORIUM_ITEMS)
    return estate.project_complete(
        actor=actor,
        project=project,
        finish_date=finish,
        final_cost=items_total,
        note="竣工验收合格，决算经审计确认",
    )


def _roof(center, building, *, actor, today):
    project = estate.project_create(
        actor=actor,
        center=center,
        title=ROOF,
        building=building,
        description="大楼楼顶防水层全面翻新，雨水口、女儿墙泛水处理。",
        budget="280000.00",
        contractor="区房屋修缮工程队",
        start_date=_on_or_before(dt.date(today.year, 9, 1), today),
    )
    estate.project_progress(
        actor=actor, project=project, progress=40, note="旧防水层铲除完毕，基层找平施工中"
    )
    return project


def seed_projects(center, *, actor, today):
    existing = set(RenovationProject.objects.filter(center=center).values_list("title", flat=True))
    building = _main_building(center)
    created = []
    if AUDITORIUM not in existing:
        created.append(_auditorium(center, building, actor=actor, today=today))
    if ROOF not in existing:
        created.append(_roof(center, building, actor=actor, today=today))
    return created


def seed_ownership(center, *, actor, today):
    """Some buildings registered, one filed, the others still pending (待登记 records are
    only written for buildings that have none, so a record edited since is left alone)."""
    S = OwnershipRecord.Status
    buildings = list(Building.objects.filter(center=center).order_by("code", "name", "id"))
    done = set(OwnershipRecord.objects.filter(center=center).values_list("building_id", flat=True))
    registered = max(1, len(buildings) // 2)
    created = []
    for i, building in enumerate(buildings):
        if building.pk in done:
            continue
        if i < registered:
            data = {
                "status": S.REGISTERED,
                "certificate_no": f"区（{today.year - 3}）不动产权第{1200 + i:07d}号",
                "certificate_date": dt.date(today.year - 3, 6, 18),
            }
        elif i == registered:
            data = {
                "status": S.FILED,
                "filing_no": f"区机管备〔{today.year - 1}〕{i + 1}号",
                "filing_date": dt.date(today.year - 1, 11, 8),
                "notes": "历史遗留，暂不具备登记条件，已备案",
            }
        else:
            data = {"status": S.PENDING, "notes": "资料收集中"}
        created.append(
            estate.ownership_save(actor=actor, building=building, right_holder=center.name, **data)
        )
    return created


def seed_estate(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    return [
        *seed_leases(center, actor=actor, today=today),
        *seed_projects(center, actor=actor, today=today),
        *seed_ownership(center, actor=actor, today=today),
    ]
