"""Demo data: one district center, ~20 agencies, ~300 people, one login per role.

Idempotent: everything is keyed (center code, unit codes, person name+phone, usernames), so a
second run writes nothing. Refuses to run when HOUQIN_ENV=production unless --force.
"""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from houqin.core.roles import Role
from houqin.org import services
from houqin.org.models import OrgUnit, Person, Rank, User
from houqin.org.validators import id_check_digit

DEMO_PASSWORD = "Houqin@2026"  # noqa: S105 - documented demo password, refused in production
CENTER_CODE = "DEMO-CENTER"
CENTER_NAME = "XX区机关后勤服务中心"

# (code, name, short name, size)
AGENCIES = [
    ("QWB", "中共XX区委办公室", "区委办", 18),
    ("ZFB", "XX区人民政府办公室", "区政府办", 20),
    ("RDB", "XX区人大常委会办公室", "区人大办", 12),
    ("ZXB", "政协XX区委员会办公室", "区政协办", 10),
    ("JWJW", "中共XX区纪律检查委员会 XX区监察委员会", "区纪委监委", 16),
    ("ZZB", "中共XX区委组织部", "区委组织部", 12),
    ("XCB", "中共XX区委宣传部", "区委宣传部", 10),
    ("TZB", "中共XX区委统战部", "区委统战部", 8),
    ("ZFW", "中共XX区委政法委员会", "区委政法委", 8),
    ("CZJ", "XX区财政局", "财政局", 16),
    ("FGJ", "XX区发展和改革局", "发改局", 12),
    ("JYJ", "XX区教育局", "教育局", 12),
    ("MZJ", "XX区民政局", "民政局", 10),
    ("RSJ", "XX区人力资源和社会保障局", "人社局", 12),
    ("ZRJ", "XX区自然资源局", "自然资源局", 10),
    ("ZJJ", "XX区住房和城乡建设局", "住建局", 12),
    ("NYJ", "XX区农业农村局", "农业农村局", 10),
    ("WJJ", "XX区卫生健康局", "卫健局", 10),
    ("SJJ", "XX区审计局", "审计局", 8),
    ("SCJ", "XX区市场监督管理局", "市场监管局", 12),
]
# The center's own sections (股室) and their sizes.
CENTER_SECTIONS = [
    ("BGS", "办公室", 6),
    ("CWG", "财务股", 4),
    ("HWG", "会务股", 6),
    ("CD", "车队", 14),
    ("WYG", "物业管理股", 8),
    ("AFG", "安保消防股", 10),
    ("JNG", "节能股", 3),
    ("ST", "机关食堂", 8),
]
SECTIONS_PER_AGENCY = ["综合股", "业务股"]

# username, role, section code of the center (or agency code), position, rank code
DEMO_ACCOUNTS = [
    ("admin", Role.CENTER_ADMIN, "BGS", "信息管理员", "below-section"),
    ("leader", Role.LEADER, "BGS", "中心主任", "section-head"),
    ("meeting", Role.MEETING_MANAGER, "HWG", "会务股股长", "section-deputy"),
    ("dispatcher", Role.FLEET_DISPATCHER, "CD", "车队队长", "section-deputy"),
    ("driver", Role.DRIVER, "CD", "驾驶员", "below-section"),
    ("canteen", Role.CANTEEN_MANAGER, "ST", "食堂管理员", "below-section"),
    ("maintenance", Role.MAINTENANCE_MANAGER, "WYG", "物业管理股股长", "section-deputy"),
    ("technician", Role.TECHNICIAN, "WYG", "水电工", "below-section"),
    ("space", Role.SPACE_MANAGER, "BGS", "办公用房管理员", "below-section"),
    ("energy", Role.ENERGY_MANAGER, "JNG", "节能股股长", "section-deputy"),
    ("security", Role.SECURITY_MANAGER, "AFG", "安保消防股股长", "section-deputy"),
    ("guard", Role.GUARD, "AFG", "保安", None),
    ("finance", Role.FINANCE_OFFICER, "CWG", "会计", "below-section"),
    ("vendor", Role.VENDOR_MANAGER, "BGS", "外包管理员", "below-section"),
    ("liaison", Role.LIAISON, "CZJ", "办公室主任", "section-deputy"),
    ("juzhang", Role.AGENCY_LEADER, "CZJ", "局长", "section-head"),
    ("staff", Role.STAFF, "CZJ", "科员", "below-section"),
    ("auditor", Role.AUDITOR, "BGS", "安全审计员", "below-section"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆卢潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国志宏海燕晓鹏飞婷雪琳"


class Command(BaseCommand):
    help = "创建演示数据（一个区级机关后勤服务中心、约 20 个部门、约 300 名人员、每个角色一个账号）"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在生产配置下也强制执行")

    def handle(self, *args, force=False, **options):
        if settings.HOUQIN_ENV == "production" and not force:
            raise CommandError(
                "当前为生产配置（HOUQIN_ENV=production），拒绝写入演示数据；确需执行请加 --force。"
            )
        with transaction.atomic():
            created = self.seed()
        if created:
            self.stdout.write(self.style.SUCCESS(f"演示数据已创建：新增 {created} 条记录。"))
        else:
            self.stdout.write("演示数据已存在，未做任何修改。")
        self.print_accounts()

    def seed(self) -> int:
        rng = random.Random(2021)
        count = 0
        center = OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER, code=CENTER_CODE).first()
        if center is None:
            center = services.center_create(
                actor=None, name=CENTER_NAME, code=CENTER_CODE, short_name="后勤中心"
            )
            count += 1
        units = {u.code: u for u in OrgUnit.objects.filter(center=center)}

        def unit(code, parent, kind, name, short=""):
            nonlocal count
            if code not in units:
                units[code] = services.org_unit_create(
                    actor=None, parent=parent, kind=kind, name=name, short_name=short, code=code
                )
                count += 1
            return units[code]

        center_sections = [
            (unit(code, center, OrgUnit.Kind.SECTION, name), size)
            for code, name, size in CENTER_SECTIONS
        ]
        agencies = []
        for code, name, short, size in AGENCIES:
            agency = unit(code, center, OrgUnit.Kind.AGENCY, name, short)
            sections = [
                unit(f"{code}-{i}", agency, OrgUnit.Kind.SECTION, sname)
                for i, sname in enumerate(SECTIONS_PER_AGENCY, start=1)
            ]
            agencies.append((agency, sections, size))

        ranks = {r.code: r for r in Rank.objects.all()}
        existing = set(Person.objects.filter(center=center).values_list("name", "phone"))
        phones = iter(range(1000, 100000, 97))

        def person(agency, section, rank_code, position, employment="civil"):
            nonlocal count
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{next(phones):08d}"
            gender = rng.choice("MF")
            id_number = ""
            if rng.random() < 0.4:
                birth = f"{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                first17 = f"450902{birth}{rng.randint(100, 999)}"
                id_number = first17 + id_check_digit(first17)
            if (name, phone) in existing:
                return Person.objects.get(center=center, name=name, phone=phone)
            existing.add((name, phone))
            count += 1
            return services.person_create(
                actor=None,
                center=center,
                name=name,
                gender=gender,
                agency=agency,
                section=section,
                rank=ranks.get(rank_code) if rank_code else None,
                position=position,
                employment_type=employment,
                phone=phone,
                id_number=id_number,
            )

        demo_people = {}
        for username, _role, unit_code, position, rank_code in DEMO_ACCOUNTS:
            target = units[unit_code]
            agency = center if target.kind == OrgUnit.Kind.SECTION and target.depth == 2 else target
            section = target if target.kind == OrgUnit.Kind.SECTION else None
            if target.kind == OrgUnit.Kind.AGENCY:
                section = units[f"{unit_code}-1"]
            employment = "outsourced" if username == "guard" else "civil"
            demo_people[username] = person(agency, section, rank_code, position, employment)

        for section, size in center_sections:
            for i in range(size):
                employment = (
                    "outsourced"
                    if section.code in {"AFG", "ST", "WYG"} and i > 1
                    else ("contract" if section.code == "CD" and i > 3 else "civil")
                )
                position = {"CD": "驾驶员", "AFG": "保安", "ST": "厨师", "WYG": "维修工"}.get(
                    section.code, "科员"
                )
                person(
                    center,
                    section,
                    None if employment == "outsourced" else "below-section",
                    position,
                    employment,
                )
        for agency, sections, size in agencies:
            person(agency, sections[0], "section-head", "局长" if "局" in agency.name else "主任")
            for _ in range(2):
                person(
                    agency,
                    sections[0],
                    "section-deputy",
                    "副局长" if "局" in agency.name else "副主任",
                )
            for i in range(size - 3):
                employment = "contract" if i % 6 == 5 else "civil"
                person(
                    agency,
                    sections[i % 2],
                    "below-section" if employment == "civil" else None,
                    "科员" if employment == "civil" else "办事员",
                    employment,
                )

        for username, role, *_rest in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            roles = {role, Role.STAFF}
            services.account_create(
                actor=None,
                person=demo_people[username],
                username=username,
                roles=sorted(roles),
                password=DEMO_PASSWORD,
                must_change=False,
            )
            count += 1
        # Module demo data comes after the role accounts (plans need their managers).
        from houqin.core.duties import demo as duties_demo

        count += len(duties_demo.seed(center, actor=None))
        from houqin.meetings import demo as meetings_demo

        count += len(meetings_demo.seed(center, actor=None))
        from houqin.fleet import demo as fleet_demo

        count += len(fleet_demo.seed(center, actor=None))
        from houqin.canteen import demo as canteen_demo

        count += len(canteen_demo.seed(center, actor=None))
        from houqin.maintenance import demo as maintenance_demo

        count += len(maintenance_demo.seed(center, actor=None))
        from houqin.space import demo as space_demo

        count += len(space_demo.seed(center, actor=None))
        from houqin.security import demo as security_demo

        count += len(security_demo.seed(center, actor=None))
        from houqin.energy import demo as energy_demo

        count += len(energy_demo.seed(center, actor=None))
        from houqin.finance import demo as finance_demo

        count += len(finance_demo.seed(center, actor=None))
        from houqin.vendors import demo as vendors_demo

        count += len(vendors_demo.seed(center, actor=None))
        from houqin.activities import demo as activities_demo

        count += len(activities_demo.seed(center, actor=None))
        return count

    def print_accounts(self):
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {Role(role).label}")
