"""The scale dataset for benchmarks: a realistic year of one district center (or a city of them).

    manage.py seed_scale --staff 3000 --year 2025            # one district center
    manage.py seed_scale --staff 3000 --year 2025 --centers 4  # a city: 4 districts under it

Each district gets ~staff/50 agencies, `staff` people with accounts, then every app's year of
records from its `scale.seed(ctx)` (houqin/<app>/scale.py; see houqin/core/scale.py). Bulk
inserts: a few minutes for 3,000 staff on a 2-core machine. Not idempotent: it refuses to run
when its centers exist (drop the database to re-create). Refused in production. After the
load the planner statistics are refreshed (ANALYZE), or the first pages plan on empty tables.
"""

import importlib
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from houqin.core.roles import Role
from houqin.core.scale import ScaleContext, Timer, refresh_statistics, sqlite_fast_writes
from houqin.org import services
from houqin.org.models import OrgUnit, Person, Rank, RoleAssignment, User

PASSWORD = "Houqin@2026"  # noqa: S105 - documented benchmark password, refused in production
APPS = (
    "meetings",
    "fleet",
    "canteen",
    "maintenance",
    "security",
    "duties",
    "energy",
    "finance",
    "space",
    "vendors",
    "activities",
)
PACKAGES = {"duties": "houqin.core.duties"}  # apps that do not live at houqin.<app>
CENTER_SECTIONS = [
    ("BGS", "办公室"),
    ("CWG", "财务股"),
    ("HWG", "会务股"),
    ("CD", "车队"),
    ("WYG", "物业管理股"),
    ("AFG", "安保消防股"),
    ("JNG", "节能股"),
    ("ST", "机关食堂"),
]
# One login per role in each scale center: "<prefix>admin", "<prefix>leader", … (bench logins).
ACCOUNTS = [
    ("admin", Role.CENTER_ADMIN, "BGS"),
    ("leader", Role.LEADER, "BGS"),
    ("meeting", Role.MEETING_MANAGER, "HWG"),
    ("dispatcher", Role.FLEET_DISPATCHER, "CD"),
    ("canteen", Role.CANTEEN_MANAGER, "ST"),
    ("maintenance", Role.MAINTENANCE_MANAGER, "WYG"),
    ("space", Role.SPACE_MANAGER, "BGS"),
    ("energy", Role.ENERGY_MANAGER, "JNG"),
    ("security", Role.SECURITY_MANAGER, "AFG"),
    ("guard", Role.GUARD, "AFG"),
    ("finance", Role.FINANCE_OFFICER, "CWG"),
    ("vendor", Role.VENDOR_MANAGER, "BGS"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆卢潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国志宏海燕晓鹏飞婷雪琳"
AGENCY_WORDS = [
    "财政",
    "发改",
    "教育",
    "民政",
    "人社",
    "自然资源",
    "住建",
    "农业农村",
    "卫健",
    "审计",
    "市场监管",
    "商务",
    "文旅",
    "应急",
    "统计",
    "医保",
    "司法",
    "水利",
    "交通",
    "科技",
    "退役军人",
    "生态环境",
    "林业",
    "信访",
    "档案",
    "机关事务",
    "城管",
    "公安",
    "税务",
    "气象",
]


def scale_phone(rng, center_index, i):
    """An 11-digit mobile number, unique per person of every scale center (center index ×
    10⁵ + i: a center has fewer than 100,000 staff). The former "{index}{i:08d}" was 12
    digits from the 10th center on, and cutting it to 11 repeated numbers."""
    return f"1{rng.choice('3589')}{(center_index * 100_000 + i) % 10**9:09d}"


class Command(BaseCommand):
    help = "生成规模测试数据：一个区（或一个市下若干区）一整年的真实业务量"

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=3000, help="每个区的干部职工人数")
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument(
            "--centers", type=int, default=1, help="区级中心个数（>1 时另建市级中心）"
        )
        parser.add_argument("--seed", type=int, default=2025, help="随机种子（可复现）")
        parser.add_argument("--only", default="", help="只生成这些模块，逗号分隔（调试用）")
        parser.add_argument("--force", action="store_true", help="在生产配置下也强制执行")

    def handle(self, *args, staff, year, centers, seed, only, force, verbosity, **options):
        if settings.HOUQIN_ENV == "production" and not force:
            raise CommandError("当前为生产配置（HOUQIN_ENV=production），拒绝写入规模测试数据。")
        if staff < 50:
            raise CommandError("--staff 至少为 50。")
        apps = [a.strip() for a in only.split(",") if a.strip()] or list(APPS)
        unknown = set(apps) - set(APPS)
        if unknown:
            raise CommandError(f"未知模块：{'、'.join(sorted(unknown))}")
        if OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER, code__startswith="SCALE-").exists():
            raise CommandError("规模测试数据已存在；请先清空数据库（例如重建测试库）再生成。")
        sqlite_fast_writes()
        started = time.perf_counter()
        upper = None
        if centers > 1:
            upper = services.center_create(
                actor=None,
                name="XX市机关后勤服务中心",
                code="SCALE-CITY",
                short_name="市后勤中心",
                organ_level="city",
            )
            office = services.org_unit_create(
                actor=None, parent=upper, kind=OrgUnit.Kind.SECTION, name="办公室", code="BGS"
            )
            person = services.person_create(
                actor=None,
                center=upper,
                name="市中心领导",
                gender="M",
                agency=upper,
                section=office,
            )
            services.account_create(
                actor=None,
                person=person,
                username="cityleader",
                roles=[Role.LEADER, Role.STAFF],
                password=PASSWORD,
                must_change=False,
            )
        for index in range(1, centers + 1):
            self.seed_center(index, upper, staff, year, seed + index, apps, verbosity)
        analysed = time.perf_counter()
        refresh_statistics()
        if verbosity >= 1:
            self.stdout.write(
                f"已更新查询规划统计信息（ANALYZE），用时 {time.perf_counter() - analysed:.1f} 秒。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"规模测试数据已生成，共用时 {time.perf_counter() - started:.0f} 秒。"
            )
        )
        city = "；市级中心领导 cityleader（各区并列的统计）" if centers > 1 else ""
        self.stdout.write(f"登录：s1admin、s1leader…{city}（密码 {PASSWORD}）")

    def seed_center(self, index, upper, staff, year, seed, apps, verbosity):
        timer = Timer()
        with transaction.atomic():
            ctx = timer.run("org", self.seed_org, index, upper, staff, year, seed)
        ctx.verbosity = verbosity
        ctx.write = self.stdout.write
        for app in apps:
            try:
                module = importlib.import_module(f"{PACKAGES.get(app, 'houqin.' + app)}.scale")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                rows = timer.run(app, module.seed, ctx)
            label, seconds, _rows = timer.rows[-1]
            ctx.log(f"  {ctx.center.name} · {label}: {rows or 0} 行，{seconds:.1f} 秒")

    def seed_org(self, index, upper, staff, year, seed):
        rng = random.Random(seed)  # noqa: S311 - generated data, not secrets
        center = services.center_create(
            actor=None,
            name=f"XX市第{index}区机关后勤服务中心",
            code=f"SCALE-{index}",
            short_name=f"第{index}区后勤中心",
            upper_center=upper,
        )
        ctx = ScaleContext(center=center, year=year, staff=staff, rng=rng)
        for code, name in CENTER_SECTIONS:
            ctx.center_sections[code] = services.org_unit_create(
                actor=None, parent=center, kind=OrgUnit.Kind.SECTION, name=name, code=code
            )
        agency_count = max(1, staff // 50)
        for i in range(agency_count):
            word = AGENCY_WORDS[i % len(AGENCY_WORDS)]
            suffix = "" if i < len(AGENCY_WORDS) else f"（{i // len(AGENCY_WORDS) + 1}）"
            ctx.agencies.append(
                services.org_unit_create(
                    actor=None,
                    parent=center,
                    kind=OrgUnit.Kind.AGENCY,
                    name=f"XX区{word}局{suffix}",
                    short_name=f"{word}局{suffix}",
                    code=f"A{i + 1:03d}",
                )
            )
        ranks = list(Rank.objects.filter(organ_level="county", is_active=True))
        unusable = make_password(None)
        users = ctx.bulk(
            User,
            (
                User(
                    username=f"s{index}u{i:05d}",
                    center=center,
                    password=unusable,
                    must_change_password=False,
                )
                for i in range(staff)
            ),
        )
        ctx.bulk(
            RoleAssignment, (RoleAssignment(user=u, center=center, role=Role.STAFF) for u in users)
        )
        people = []
        for i, user in enumerate(users):
            agency = ctx.agencies[i % agency_count]
            people.append(
                Person(
                    center=center,
                    agency=agency,
                    name=rng.choice(SURNAMES)
                    + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                    gender=rng.choice("MF"),
                    rank=rng.choice(ranks) if ranks else None,
                    phone=scale_phone(rng, index, i),
                    user=user,
                )
            )
        ctx.people = ctx.bulk(Person, people)
        for suffix, role, section in ACCOUNTS:
            person = services.person_create(
                actor=None,
                center=center,
                name=f"{suffix}管理员",
                gender="M",
                agency=center,
                section=ctx.center_sections[section],
            )
            user, _password = services.account_create(
                actor=None,
                person=person,
                username=f"s{index}{suffix}",
                roles=[role, Role.STAFF],
                password=PASSWORD,
                must_change=False,
            )
            ctx.accounts[suffix] = user
        ctx.log(f"{center.name}：{agency_count} 个单位，{staff} 名人员")
        return ctx
