"""Demo duty plans for the demo center, from the 2021 work report (seed).

`seed(center, actor=None)` is idempotent: a plan is keyed by its title in the center, and an
existing one is left as it is, so running it twice changes nothing.
会议室会前会后消毒 is not a plan: the meetings module creates it as ad-hoc tasks per booking.
The canteen's food-safety plans (晨检, 食品留样, 进货查验, 餐具消毒) are not here either: the
canteen app creates them (houqin.canteen.services.food_safety.food_safety_plans_ensure).
"""

import datetime as dt

from django.contrib.auth import get_user_model

from houqin.core.roles import Role

from .models import DutyPlan
from .recurrence import TZ, local_today
from .services import duty_plan_create

C = DutyPlan.Category


def _q(key, label, kind="bool", required=True, **extra):
    return {"key": key, "label": label, "type": kind, "required": required, **extra}


PLANS = [
    {
        "title": "A区2-5楼会议室全面清洁",
        "category": C.CLEANING,
        "location_text": "A区2-5楼会议室",
        "description": "门窗、护栏、桌椅、地脚线、装饰品、背景等每周全面清洁一次。",
        "assignee_role": Role.MEETING_MANAGER,
        "rrule": "FREQ=WEEKLY;BYDAY=FR;BYHOUR=15;BYMINUTE=0",
        "grace_minutes": 24 * 60,
        "checklist": [
            _q("windows", "门窗、护栏已清洁"),
            _q("furniture", "桌椅、地脚线已清洁"),
            _q("decor", "装饰品、背景已清洁"),
            _q("photo", "清洁后现场照片", "photo", required=False),
        ],
    },
    {
        "title": "行政中心公共区域消杀",
        "category": C.DISINFECTION,
        "location_text": "区行政中心大厅、电梯、楼梯扶手、卫生间等公共区域",
        "assignee_role": Role.MAINTENANCE_MANAGER,
        "rrule": "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0",
        "grace_minutes": 120,
        "checklist": [
            _q("lobby", "大厅、电梯已消杀"),
            _q("handrails", "楼梯扶手、门把手已消杀"),
            _q("toilets", "卫生间已消杀"),
            _q("chlorine", "消毒液有效氯浓度", "number", min=250, max=500, unit="mg/L"),
        ],
    },
    {
        "title": "除四害",
        "category": C.PEST_CONTROL,
        "location_text": "区行政中心（含食堂、地下室、绿化带）",
        "description": "聘请专业公司每年五次除四害消杀（4 月、10 月集中开展）。",
        "assignee_role": Role.MEETING_MANAGER,
        "vendor_name": "XX有害生物防治有限公司",
        "rrule": "FREQ=YEARLY;BYMONTH=3,4,6,9,10;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0",
        "grace_minutes": 7 * 24 * 60,
        "checklist": [
            _q("rats", "灭鼠：毒饵站已投放、检查"),
            _q("flies_mosquitoes", "灭蚊蝇：积水清理、药物喷洒"),
            _q("cockroaches", "灭蟑螂：食堂、茶水间已处理"),
            _q("agents", "使用药剂及用量", "text"),
            _q("photo", "施工现场照片", "photo"),
        ],
    },
    {
        "title": "防火巡查",
        "category": C.FIRE_PATROL,
        "location_text": "区行政中心各楼层",
        "description": "每日防火巡查，巡查人员签名（消防法第十七条）。",
        "assignee_role": Role.GUARD,
        "rrule": "FREQ=DAILY;BYHOUR=10;BYMINUTE=0",
        "grace_minutes": 8 * 60,
        "checklist": [
            _q("exits", "疏散通道、安全出口畅通"),
            _q("signs", "疏散指示标志、应急照明完好"),
            _q("equipment", "消防器材在位、完好"),
            _q("electric", "无违章用火用电"),
            _q("control_room", "消防控制室值班人员在岗"),
            _q("issues", "发现的问题及处理", "text", required=False),
        ],
    },
    {
        "title": "消防设施检查",
        "category": C.FIRE_INSPECTION,
        "location_text": "区行政中心",
        "assignee_role": Role.SECURITY_MANAGER,
        "rrule": "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0",
        "grace_minutes": 5 * 24 * 60,
        "checklist": [
            _q("extinguishers", "灭火器压力正常、在有效期内"),
            _q("hydrant_pressure", "消火栓静水压力", "number", min=0.1, max=0.8, unit="MPa"),
            _q("alarm", "火灾自动报警系统运行正常"),
            _q("sprinklers", "自动喷水灭火系统正常"),
            _q("photo", "检查现场照片", "photo", required=False),
        ],
    },
    {
        "title": "司勤人员安全培训",
        "category": C.SAFETY_TRAINING,
        "location_text": "中心车队",
        "description": "全体司勤人员每季度安排一次以上安全培训教育。",
        "assignee_role": Role.FLEET_DISPATCHER,
        "rrule": "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=20;BYHOUR=15;BYMINUTE=0",
        "grace_minutes": 10 * 24 * 60,
        "checklist": [
            _q("attendees", "参训人数", "number", min=1, unit="人"),
            _q("topic", "培训内容", "text"),
            _q("sign_in", "签到表照片", "photo"),
        ],
    },
]


def _manager(center, role):
    User = get_user_model()
    return (
        User.objects.filter(
            center_id=center.pk,
            is_active=True,
            role_assignments__center_id=center.pk,
            role_assignments__role=role,
        )
        .order_by("pk")
        .first()
    )


def seed(center, *, actor=None, now=None):
    """Create the demo plans missing in `center`; returns the plans created."""
    existing = set(DutyPlan.objects.filter(center=center).values_list("title", flat=True))
    start = dt.datetime(local_today(now).year, 1, 1, tzinfo=TZ)
    managers = {
        C.CLEANING: Role.MEETING_MANAGER,
        C.DISINFECTION: Role.MAINTENANCE_MANAGER,
        C.PEST_CONTROL: Role.MEETING_MANAGER,
        C.FIRE_PATROL: Role.SECURITY_MANAGER,
        C.FIRE_INSPECTION: Role.SECURITY_MANAGER,
        C.SAFETY_TRAINING: Role.FLEET_DISPATCHER,
    }
    created = []
    for spec in PLANS:
        if spec["title"] in existing:
            continue
        fields = {"dtstart": start, **spec}
        fields["manager"] = _manager(center, managers[spec["category"]])
        created.append(duty_plan_create(actor=actor, center=center, now=now, **fields))
    return created
