"""Demo maintenance for the demo center (seed_demo): SLA rules, the equipment register of the
seed report, and about 25 repair work orders of the last two months.

`seed(center, *, actor=None, now=None)` is idempotent: SLA rules by (category, urgency) — only
missing cells are written, an edited rule is left alone —, equipment by code, and the work
orders only while the center has no reported work order at all, so a second run (or one on a
later day) writes nothing.

Everything goes through the services, with an injected `now`: each order is reported on a past
workday (counted back from `now` on the workday calendar), then assigned by the demo manager
"maintenance" to the demo technician "technician" (the elevator faults to the elevator vendor),
accepted, started, finished with materials and a completion note, confirmed and rated by its
reporter ("staff", "liaison", "juzhang" and the other demo logins) and closed; the recent ones
are left at each stage of the board, a few of them past their deadline. Preventive plans are
not made here (see services.equipment and the duties demo).
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.core.duties.recurrence import TZ, local_today
from houqin.core.workdays.calendar import workdays_between
from houqin.org.scoping import user_person

from .models import Category, Equipment, SlaRule, Urgency, WorkOrder
from .services import equipment as equipment_services
from .services import sla as sla_services
from .services import work_orders as wo

K = Equipment.Kind
ELEVATOR_VENDOR = "XX电梯工程有限公司"
MEP_VENDOR = "XX机电设备维保有限公司"
MAIN = "办公主楼"

# code, kind, name, location, model, manufacturer, vendor, installed (years ago), notes
EQUIPMENT = [
    (
        "LS-01",
        K.CHILLER,
        "1号冷水机组",
        "综合楼地下一层冷冻机房",
        "30XW-1002 螺杆式",
        "开利",
        MEP_VENDOR,
        9,
        "中央空调冷源，夏季 5–10 月运行",
    ),
    (
        "LS-02",
        K.CHILLER,
        "2号冷水机组",
        "综合楼地下一层冷冻机房",
        "30XW-1002 螺杆式",
        "开利",
        MEP_VENDOR,
        9,
        "与 1 号机组轮换运行",
    ),
    (
        "LQT-01",
        K.COOLING_TOWER,
        "1号冷却塔",
        "综合楼屋面",
        "LRCM-H-200 横流式",
        "良机",
        MEP_VENDOR,
        9,
        "每年开机前清洗填料、检查风机皮带",
    ),
    (
        "LQT-02",
        K.COOLING_TOWER,
        "2号冷却塔",
        "综合楼屋面",
        "LRCM-H-200 横流式",
        "良机",
        MEP_VENDOR,
        9,
        "",
    ),
    (
        "DT-01",
        K.ELEVATOR,
        "1号客梯",
        f"{MAIN}东侧",
        "GeN2-MR 1000kg 1.75m/s",
        "奥的斯",
        ELEVATOR_VENDOR,
        11,
        "2021 年完成应急呼叫系统升级：轿厢五方对讲应急电话直通值班室和维保单位 24 小时值班电话",
    ),
    (
        "DT-02",
        K.ELEVATOR,
        "2号客梯",
        f"{MAIN}西侧",
        "GeN2-MR 1000kg 1.75m/s",
        "奥的斯",
        ELEVATOR_VENDOR,
        11,
        "2021 年完成应急呼叫系统升级（五方对讲应急电话）",
    ),
    (
        "DT-03",
        K.ELEVATOR,
        "3号货梯",
        "综合楼北侧",
        "TKJ 2000kg 0.5m/s",
        "日立",
        ELEVATOR_VENDOR,
        13,
        "食堂物资及档案搬运专用；配应急电话",
    ),
    (
        "FDJ-01",
        K.GENERATOR,
        "应急柴油发电机组",
        "配电房东侧发电机房",
        "YC6MJ 500kW",
        "玉柴",
        MEP_VENDOR,
        8,
        "保障消防设施、电梯、信息机房、应急照明等重要负荷；每月空载试机",
    ),
    (
        "PD-AH1",
        K.SWITCHGEAR,
        "10kV 高压进线柜 AH1",
        "综合楼配电房",
        "KYN28A-12",
        "正泰",
        MEP_VENDOR,
        10,
        "已张贴设备标识牌，配电房墙面张贴一次系统图（单线图）",
    ),
    (
        "PD-AA3",
        K.SWITCHGEAR,
        "低压配电柜 AA3（办公主楼照明、动力）",
        "综合楼配电房",
        "GCS 抽出式",
        "正泰",
        MEP_VENDOR,
        10,
        "各回路已标注去向标签",
    ),
    (
        "SB-01",
        K.PUMP,
        "生活给水变频泵组",
        "地下一层生活水泵房",
        "CDLF 3 用 1 备",
        "南方泵业",
        MEP_VENDOR,
        7,
        "水箱每半年清洗消毒一次",
    ),
    (
        "PG-01",
        K.IRRIGATION,
        "大院绿化自动喷灌系统",
        "机关大院绿地",
        "分 6 个轮灌区",
        "雨鸟",
        "",
        5,
        "旱季每日 6:00 自动喷灌",
    ),
    (
        "XF-01",
        K.FIRE_SYSTEM,
        "室内消火栓及自动喷淋系统",
        MAIN,
        "湿式报警阀 ZSFZ150",
        "",
        "XX消防技术服务有限公司",
        11,
        "含消防水泵、稳压泵、湿式报警阀；每月巡查、每年检测",
    ),
]

# Work orders. Keys: ago (workdays before today), at (HH, MM), cat, urg, desc, where
# (building, floor, room, text), by (reporter login), eq (equipment code), end (the stage it
# stops at), vendor, note (completion), labor, mats [(name, spec, qty, unit, price)],
# fix (hours from report to finish), parts (waiting-for-parts note), rate, comment.
C, U = Category, Urgency
ORDERS = [
    {
        "ago": 38,
        "at": (9, 30),
        "cat": C.OTHER,
        "urg": U.NORMAL,
        "desc": "二楼东侧消火栓箱玻璃破损",
        "where": (MAIN, "2F", "", "东侧走廊消火栓箱"),
        "by": "security",
        "eq": "XF-01",
        "end": "closed",
        "note": "更换消火栓箱玻璃，检查水带、水枪齐全",
        "labor": "0",
        "mats": [("消火栓箱玻璃", "700×240mm", "1", "块", "35.00")],
        "fix": 3,
        "rate": 5,
    },
    {
        "ago": 37,
        "at": (10, 0),
        "cat": C.ELECTRIC,
        "urg": U.NORMAL,
        "desc": "应急发电机月度试机时启动蓄电池电压偏低",
        "where": ("", "", "", "发电机房"),
        "by": "admin",
        "eq": "FDJ-01",
        "end": "closed",
        "note": "更换启动蓄电池两块，试机启动正常",
        "labor": "50",
        "mats": [("启动蓄电池", "12V 200Ah", "2", "块", "980.00")],
        "fix": 5,
        "rate": 5,
    },
    {
        "ago": 35,
        "at": (9, 10),
        "cat": C.WATER,
        "urg": U.NORMAL,
        "desc": "三楼男卫生间洗手盆水龙头漏水",
        "where": (MAIN, "3F", "305", ""),
        "by": "staff",
        "end": "closed",
        "note": "更换陶瓷阀芯水龙头，试水无渗漏",
        "labor": "20",
        "mats": [("水龙头", "DN15 陶瓷阀芯", "1", "个", "45.00")],
        "fix": 2,
        "rate": 5,
        "comment": "维修及时",
    },
    {
        "ago": 34,
        "at": (10, 0),
        "cat": C.ELECTRIC,
        "urg": U.NORMAL,
        "desc": "会议室吊顶筒灯不亮 3 盏",
        "where": (MAIN, "5F", "501", ""),
        "by": "meeting",
        "end": "closed",
        "note": "更换 LED 筒灯 3 盏",
        "labor": "30",
        "mats": [("LED 筒灯", "12W 4000K", "3", "个", "28.00")],
        "fix": 4,
        "rate": 5,
    },
    {
        "ago": 32,
        "at": (14, 30),
        "cat": C.AC,
        "urg": U.URGENT,
        "desc": "局长办公室空调不制冷，出风为热风",
        "where": (MAIN, "6F", "602", ""),
        "by": "juzhang",
        "end": "confirmed",
        "note": "室外机冷媒泄漏，检漏补焊后加注 R410A 冷媒，制冷恢复",
        "labor": "80",
        "mats": [("R410A 冷媒", "10kg/瓶", "0.3", "瓶", "380.00")],
        "fix": 3,
        "rate": 4,
    },
    {
        "ago": 31,
        "at": (8, 45),
        "cat": C.ELEVATOR,
        "urg": U.EMERGENCY,
        "desc": "2号客梯运行中异响，4 楼平层不准",
        "where": (MAIN, "", "", "西侧客梯"),
        "by": "staff",
        "eq": "DT-02",
        "end": "closed",
        "vendor": ELEVATOR_VENDOR,
        "note": "维保单位到场调整平层感应器，更换导靴靴衬，试运行正常（维保合同内）",
        "labor": "0",
        "fix": 3,
        "rate": 5,
    },
    {
        "ago": 29,
        "at": (15, 0),
        "cat": C.DOOR_WINDOW,
        "urg": U.NORMAL,
        "desc": "档案室防盗门门锁卡滞，钥匙难以转动",
        "where": (MAIN, "2F", "208", ""),
        "by": "liaison",
        "end": "confirmed",
        "note": "锁芯加注润滑剂，调整门扇下沉",
        "labor": "0",
        "fix": 1,
        "rate": 5,
    },
    {
        "ago": 27,
        "at": (9, 30),
        "cat": C.NETWORK,
        "urg": U.NORMAL,
        "desc": "财政局办公室网口无法上网",
        "where": (MAIN, "4F", "410", ""),
        "by": "staff",
        "end": "closed",
        "note": "网线水晶头氧化，重新压接后测线通过",
        "labor": "0",
        "mats": [("水晶头", "超五类", "2", "个", "1.50")],
        "fix": 2,
        "rate": 4,
    },
    {
        "ago": 25,
        "at": (10, 20),
        "cat": C.FURNITURE,
        "urg": U.NORMAL,
        "desc": "办公椅气压棒下沉，无法调节高度",
        "where": (MAIN, "4F", "412", ""),
        "by": "staff",
        "end": "confirmed",
        "note": "更换气压棒",
        "labor": "10",
        "mats": [("气压棒", "三级 100mm", "1", "根", "65.00")],
        "fix": 26,
        "rate": 3,
        "comment": "等了一天",
    },
    {
        "ago": 23,
        "at": (11, 0),
        "cat": C.WATER,
        "urg": U.URGENT,
        "desc": "生活水泵房 2 号泵机械密封漏水",
        "where": ("", "B1", "", "地下一层生活水泵房"),
        "by": "admin",
        "eq": "SB-01",
        "end": "closed",
        "note": "更换 2 号泵机械密封，运行无渗漏",
        "labor": "60",
        "mats": [("机械密封", "BIA-35", "1", "套", "120.00")],
        "fix": 4,
        "rate": 5,
    },
    {
        "ago": 21,
        "at": (9, 0),
        "cat": C.ELECTRIC,
        "urg": U.URGENT,
        "desc": "配电房 AA3 柜四楼照明回路频繁跳闸",
        "where": ("", "", "", "综合楼配电房"),
        "by": "leader",
        "eq": "PD-AA3",
        "end": "closed",
        "note": "排查为四楼茶水间热水器漏电，已隔离该回路并更换漏电断路器",
        "labor": "40",
        "mats": [("漏电断路器", "DZ47LE 2P 32A", "1", "个", "85.00")],
        "fix": 5,
        "rate": 5,
    },
    {
        "ago": 19,
        "at": (14, 10),
        "cat": C.AC,
        "urg": U.NORMAL,
        "desc": "1号冷却塔风机皮带打滑有异响",
        "where": ("", "", "", "综合楼屋面"),
        "by": "energy",
        "eq": "LQT-01",
        "end": "confirmed",
        "note": "更换风机三角皮带两根并调整张紧度",
        "labor": "40",
        "mats": [("三角皮带", "B-2286", "2", "根", "48.00")],
        "fix": 20,
        "rate": 5,
    },
    {
        "ago": 17,
        "at": (9, 40),
        "cat": C.WATER,
        "urg": U.NORMAL,
        "desc": "二楼女卫生间蹲便器冲水不止",
        "where": (MAIN, "2F", "203", ""),
        "by": "liaison",
        "end": "confirmed",
        "note": "更换冲水阀密封圈",
        "labor": "10",
        "mats": [("冲水阀密封圈", "通用", "1", "个", "8.00")],
        "fix": 2,
        "rate": 4,
    },
    {
        "ago": 15,
        "at": (16, 0),
        "cat": C.OTHER,
        "urg": U.NORMAL,
        "desc": "大院绿化喷灌 3 号区喷头损坏，草坪积水",
        "where": ("", "", "", "机关大院西侧草坪"),
        "by": "admin",
        "eq": "PG-01",
        "end": "closed",
        "parts": "订购雨鸟 5004 旋转喷头 4 个",
        "note": "更换损坏喷头 4 个，检查 3 号区管路无渗漏",
        "labor": "60",
        "mats": [("旋转喷头", "雨鸟 5004", "4", "个", "95.00")],
        "fix": 120,
        "rate": 3,
        "comment": "处理较慢，希望加快",
    },
    {
        "ago": 13,
        "at": (10, 30),
        "cat": C.DOOR_WINDOW,
        "urg": U.NORMAL,
        "desc": "一楼大厅自动门感应失灵",
        "where": (MAIN, "1F", "", "一楼大厅"),
        "by": "security",
        "end": "confirmed",
        "note": "清洁感应探头并重新调整感应角度",
        "labor": "0",
        "fix": 3,
        "rate": 5,
    },
    {
        "ago": 11,
        "at": (9, 15),
        "cat": C.ELECTRIC,
        "urg": U.EMERGENCY,
        "desc": "食堂后厨配电箱冒烟，有焦糊味",
        "where": ("食堂", "1F", "", "后厨配电箱"),
        "by": "canteen",
        "end": "closed",
        "note": "紧急断电，更换烧蚀的接线端子和 63A 断路器，紧固全部接线后恢复送电",
        "labor": "100",
        "mats": [
            ("断路器", "NXB-63 3P 63A", "1", "个", "160.00"),
            ("铜接线端子", "SC25-8", "6", "个", "3.50"),
        ],
        "fix": 2,
        "rate": 5,
        "comment": "半小时就到场了",
    },
    {
        "ago": 10,
        "at": (11, 20),
        "cat": C.AC,
        "urg": U.NORMAL,
        "desc": "会议室空调遥控器失灵",
        "where": (MAIN, "5F", "502", ""),
        "by": "meeting",
        "end": "done",
        "note": "更换遥控器电池，重新对码",
        "labor": "0",
        "mats": [("电池", "7 号", "2", "节", "2.00")],
        "fix": 2,
    },
    {
        "ago": 9,
        "at": (15, 30),
        "cat": C.WATER,
        "urg": U.NORMAL,
        "desc": "茶水间开水器不出水",
        "where": (MAIN, "3F", "", "三楼茶水间"),
        "by": "liaison",
        "end": "done",
        "note": "进水电磁阀损坏，已更换",
        "labor": "20",
        "mats": [("进水电磁阀", "DN15 220V", "1", "个", "55.00")],
        "fix": 3,
    },
    {
        "ago": 9,
        "at": (9, 0),
        "cat": C.FURNITURE,
        "urg": U.NORMAL,
        "desc": "文件柜抽屉滑轨断裂",
        "where": (MAIN, "4F", "411", ""),
        "by": "juzhang",
        "end": "cancelled",
        "reason": "已由本单位自行更换",
    },
    {
        "ago": 8,
        "at": (10, 0),
        "cat": C.ELEVATOR,
        "urg": U.URGENT,
        "desc": "3号货梯门关闭不严，反复开关",
        "where": ("综合楼", "", "", "北侧货梯"),
        "by": "canteen",
        "eq": "DT-03",
        "end": "waiting_parts",
        "parts": "门机皮带老化开裂，已向维保单位订购原厂门机皮带",
    },
    {
        "ago": 8,
        "at": (10, 40),
        "cat": C.ELEVATOR,
        "urg": U.URGENT,
        "desc": "货梯门一直开开关关，没法用",
        "where": ("综合楼", "", "", "货梯"),
        "by": "staff",
        "eq": "DT-03",
        "end": "merged",
    },
    {
        "ago": 6,
        "at": (14, 0),
        "cat": C.AC,
        "urg": U.URGENT,
        "desc": "信息机房精密空调高温报警",
        "where": (MAIN, "7F", "", "信息机房"),
        "by": "admin",
        "end": "in_progress",
    },
    {
        "ago": 2,
        "at": (9, 30),
        "cat": C.NETWORK,
        "urg": U.NORMAL,
        "desc": "视频会议室无线投屏无法连接",
        "where": (MAIN, "5F", "503", ""),
        "by": "meeting",
        "end": "in_progress",
    },
    {
        "ago": 2,
        "at": (10, 0),
        "cat": C.WATER,
        "urg": U.NORMAL,
        "desc": "地下车库排水沟堵塞，雨后积水",
        "where": ("", "B1", "", "地下车库入口"),
        "by": "security",
        "end": "accepted",
    },
    {
        "ago": 1,
        "at": (9, 20),
        "cat": C.ELECTRIC,
        "urg": U.NORMAL,
        "desc": "六楼走廊声控灯不亮",
        "where": (MAIN, "6F", "", "六楼走廊"),
        "by": "staff",
        "end": "assigned",
    },
    {
        "ago": 1,
        "at": (15, 10),
        "cat": C.DOOR_WINDOW,
        "urg": U.NORMAL,
        "desc": "办公室窗户把手松动关不严",
        "where": (MAIN, "4F", "410", ""),
        "by": "staff",
        "end": "new",
    },
    {
        "ago": 1,
        "at": (16, 30),
        "cat": C.OTHER,
        "urg": U.URGENT,
        "desc": "屋面女儿墙瓷砖松动，有坠落风险",
        "where": (MAIN, "", "", "屋面东南角"),
        "by": "leader",
        "end": "new",
    },
]
# The stage an order stops at → the steps it goes through after being reported.
STEPS = {
    "new": [],
    "cancelled": ["cancel"],
    "merged": ["merge"],
    "assigned": ["assign"],
    "accepted": ["assign", "accept"],
    "in_progress": ["assign", "accept", "start"],
    "waiting_parts": ["assign", "accept", "start", "wait_parts"],
    "done": ["assign", "accept", "start", "finish"],
    "confirmed": ["assign", "accept", "start", "finish", "confirm"],
    "closed": ["assign", "accept", "start", "finish", "confirm", "close"],
}


def _users(center):
    names = {o["by"] for o in ORDERS} | {"maintenance", "technician"}
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=names, center_id=center.pk, is_active=True)
        .select_related("person")
    }


def seed_sla_rules(center, manager):
    """The default limits of every category and urgency, as the center's own rules."""
    existing = set(SlaRule.objects.filter(center=center).values_list("category", "urgency"))
    created = []
    for category in Category.values:
        for urgency in Urgency.values:
            if (category, urgency) in existing:
                continue
            response, completion, clock = wo.DEFAULT_SLA[urgency]
            created.append(
                sla_services.sla_rule_save(
                    actor=manager,
                    center=center,
                    category=category,
                    urgency=urgency,
                    response_hours=response,
                    completion_hours=completion,
                    around_the_clock=clock,
                )
            )
    return created


def seed_equipment(center, manager, today):
    existing = {
        c.upper() for c in Equipment.objects.filter(center=center).values_list("code", flat=True)
    }
    created = []
    for i, (code, kind, name, location, model, maker, vendor, years, notes) in enumerate(EQUIPMENT):
        if code.upper() in existing:
            continue
        installed = dt.date(today.year - years, 1 + (i * 5) % 12, 10 + i)
        created.append(
            equipment_services.equipment_create(
                actor=manager,
                center=center,
                kind=kind,
                name=name,
                code=code,
                location=location,
                model=model,
                manufacturer=maker,
                vendor_name=vendor,
                install_date=installed,
                warranty_until=dt.date(installed.year + 2, installed.month, installed.day),
                contract_no=f"WB-{today.year}-{i + 1:03d}" if vendor else "",
                contract_until=dt.date(today.year + 1, 3 + i % 9, 28) if vendor else None,
                notes=notes,
            )
        )
    return created


def _past_workdays(today, count):
    """The `count` workdays before `today`, the nearest first."""
    days = workdays_between(today - dt.timedelta(days=count * 2 + 40), today - dt.timedelta(days=1))
    return list(reversed(days))[:count]


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _run(spec, order, users, manager, tech, t0, kept):
    """Take a freshly reported order through the steps of its final stage."""
    reporter = users.get(spec["by"]) or users["staff"]
    finish_at = t0 + dt.timedelta(hours=spec.get("fix", 2))
    for step in STEPS[spec["end"]]:
        if step == "cancel":
            order = wo.work_order_cancel(
                actor=reporter,
                order=order,
                reason=spec.get("reason", ""),
                now=t0 + dt.timedelta(minutes=40),
            )
        elif step == "merge":
            order = wo.work_order_merge(
                actor=manager, order=order, into=kept, now=t0 + dt.timedelta(minutes=15)
            )
        elif step == "assign":
            vendor = spec.get("vendor", "")
            order = wo.work_order_assign(
                actor=manager,
                order=order,
                assignee=None if vendor else tech,
                vendor_name=vendor,
                now=t0 + dt.timedelta(minutes=10),
            )
        elif step == "accept":
            order = wo.work_order_accept(
                actor=manager if spec.get("vendor") else tech,
                order=order,
                now=t0 + dt.timedelta(minutes=20),
            )
        elif step == "start":
            worker = manager if spec.get("vendor") else tech
            order = wo.work_order_start(
                actor=worker, order=order, now=t0 + dt.timedelta(minutes=45)
            )
            if spec.get("parts"):
                order = wo.work_order_wait_parts(
                    actor=worker,
                    order=order,
                    note=spec["parts"],
                    now=t0 + dt.timedelta(hours=1, minutes=30),
                )
                if spec["end"] != "waiting_parts":
                    order = wo.work_order_start(
                        actor=worker, order=order, now=finish_at - dt.timedelta(hours=2)
                    )
        elif step == "wait_parts":
            continue  # done with "start" above
        elif step == "finish":
            worker = manager if spec.get("vendor") else tech
            for name, spec_text, qty, unit, price in spec.get("mats", []):
                order = wo.work_order_add_material(
                    actor=worker,
                    order=order,
                    name=name,
                    spec=spec_text,
                    quantity=Decimal(qty),
                    unit=unit,
                    unit_price=Decimal(price),
                    now=finish_at - dt.timedelta(minutes=10),
                )
            order = wo.work_order_finish(
                actor=worker,
                order=order,
                note=spec["note"],
                labor_cost=Decimal(spec.get("labor", "0")),
                now=finish_at,
            )
        elif step == "confirm":
            order = wo.work_order_confirm(
                actor=reporter,
                order=order,
                rating=spec["rate"],
                comment=spec.get("comment", ""),
                now=finish_at + dt.timedelta(hours=18),
            )
        elif step == "close":
            order = wo.work_order_close(
                actor=manager, order=order, now=finish_at + dt.timedelta(hours=20)
            )
    return order


def seed_orders(center, users, now):
    manager, tech = users["maintenance"], users["technician"]
    today = local_today(now)
    days = _past_workdays(today, max(o["ago"] for o in ORDERS))
    equipment = {e.code: e for e in Equipment.objects.filter(center=center)}
    created = []
    kept = None  # the order a duplicate report is merged into
    for spec in ORDERS:
        reporter = users.get(spec["by"]) or users["staff"]
        t0 = _at(days[spec["ago"] - 1], *spec["at"])
        building, floor, room, text = spec["where"]
        person = user_person(reporter)
        order = wo.work_order_report(
            actor=reporter,
            category=spec["cat"],
            urgency=spec["urg"],
            description=spec["desc"],
            building=building,
            floor=floor,
            room=room,
            location_text=text,
            phone=person.phone if person is not None else "",
            equipment=equipment.get(spec.get("eq")),
            now=t0,
        )
        # The row's own stamp is the seeding time; the demo order was reported at t0 (the
        # board, the date filters and the figures count orders by when they were reported).
        WorkOrder.objects.filter(pk=order.pk).update(created_at=t0)
        order = _run(spec, order, users, manager, tech, t0, kept)
        if spec["end"] == "waiting_parts":
            kept = order
        created.append(order)
    return created


def seed(center, *, actor=None, now=None):
    """Create what is missing; returns the objects created. Needs the demo logins
    "maintenance" (manager), "technician" and "staff" in `center`; without them nothing is
    written."""
    users = _users(center)
    if not {"maintenance", "technician", "staff"} <= set(users):
        return []
    now = now or timezone.now()
    manager = actor if actor is not None else users["maintenance"]
    created = seed_sla_rules(center, manager)
    created += seed_equipment(center, manager, local_today(now))
    created += seed_plans(center, manager, users, now)
    if WorkOrder.objects.filter(center=center, source=WorkOrder.Source.REPORT).exists():
        return created
    created += seed_orders(center, {**users, "maintenance": manager}, now)
    return created


def seed_plans(center, manager, users, now):
    """Preventive plans for the elevators and chillers (one per piece of equipment), and a
    monthly safety-inspection round of the power distribution room with a named responsible
    person (keyed by title)."""
    from django.contrib.contenttypes.models import ContentType

    from houqin.core.duties.models import DutyPlan

    from .services import findings as finding_services

    existing = set(DutyPlan.objects.filter(center=center).values_list("title", flat=True))
    planned = set(
        DutyPlan.objects.filter(
            center=center,
            category=DutyPlan.Category.MAINTENANCE,
            target_type=ContentType.objects.get_for_model(Equipment),
        ).values_list("target_id", flat=True)
    )
    start = dt.datetime(local_today(now).year, 1, 1, 9, 0, tzinfo=TZ)
    created = []
    for item in Equipment.objects.filter(
        center=center, kind__in=[Equipment.Kind.ELEVATOR, Equipment.Kind.CHILLER]
    ).order_by("code"):
        title = f"{item.name}维保（{item.code}）"[:100]
        if item.pk in planned or title in existing:
            continue
        monthly = item.kind == Equipment.Kind.ELEVATOR
        created.append(
            equipment_services.maintenance_plan_create(
                actor=manager,
                equipment=item,
                title=title,
                rrule="FREQ=MONTHLY;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0"
                if monthly
                else "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0",
                dtstart=start,
                checklist=equipment_services.checklist_for(item.kind),
                vendor_name=item.vendor_name,
                now=now,
            )
        )
    title = "安全检查：配电室"
    if title not in existing:
        created.append(
            finding_services.inspection_plan_create(
                actor=manager,
                center=center,
                area="配电室",
                responsible=users["maintenance"],
                title=title,
                rrule="FREQ=MONTHLY;BYMONTHDAY=5;BYHOUR=10;BYMINUTE=0",
                dtstart=start,
                checklist=[
                    {
                        "key": "labels",
                        "label": "配电柜标识清晰、单线图上墙",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "clear",
                        "label": "柜前通道畅通、无杂物",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "extinguisher",
                        "label": "灭火器在位、在有效期内",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "temperature",
                        "label": "室内温度",
                        "type": "number",
                        "required": False,
                        "max": 35,
                        "unit": "℃",
                    },
                ],
                now=now,
            )
        )
    return created
