"""Bootstrap a real deployment: one center and its first administrator account.

    manage.py create_center "XX区机关后勤服务中心" --admin-username zhangsan --admin-name 张三
    manage.py create_center "XX区机关后勤服务中心" --upper "XX市机关后勤服务中心" …

Prints a one-time password that must be changed at first login. Everything else (agencies,
people, accounts) is then managed in the UI by that administrator.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from houqin.core.roles import Role
from houqin.org import services
from houqin.org.models import OrganLevel, OrgUnit, User


class Command(BaseCommand):
    help = "创建一个后勤服务中心及其首个中心管理员账号"

    def add_arguments(self, parser):
        parser.add_argument("name", help="中心全称")
        parser.add_argument("--code", default="", help="中心编码")
        parser.add_argument("--organ-level", default=OrganLevel.COUNTY, choices=OrganLevel.values)
        parser.add_argument(
            "--upper", default="", help="上级中心的编码或全称（市级中心下设区级中心时填写）"
        )
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-name", required=True, help="管理员姓名")
        parser.add_argument("--admin-gender", default="M", choices=["M", "F"])

    def handle(self, *args, **opts):
        if OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER, name=opts["name"]).exists():
            raise CommandError(f"中心“{opts['name']}”已存在。")
        if User.objects.filter(username__iexact=opts["admin_username"]).exists():
            raise CommandError(f"用户名“{opts['admin_username']}”已被使用。")
        upper = None
        if opts["upper"]:
            upper = (
                OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER)
                .filter(Q(code=opts["upper"]) | Q(name=opts["upper"]))
                .first()
            )
            if upper is None:
                raise CommandError(f"找不到上级中心“{opts['upper']}”。")
        with transaction.atomic():
            center = services.center_create(
                actor=None,
                name=opts["name"],
                code=opts["code"],
                organ_level=opts["organ_level"],
                upper_center=upper,
            )
            office = services.org_unit_create(
                actor=None, parent=center, kind=OrgUnit.Kind.SECTION, name="办公室"
            )
            person = services.person_create(
                actor=None,
                center=center,
                name=opts["admin_name"],
                gender=opts["admin_gender"],
                agency=center,
                section=office,
            )
            user, password = services.account_create(
                actor=None,
                person=person,
                username=opts["admin_username"],
                roles=[Role.CENTER_ADMIN, Role.STAFF],
            )
        self.stdout.write(self.style.SUCCESS(f"已创建“{center.name}”。"))
        self.stdout.write(f"管理员账号：{user.username}  临时密码：{password}（首次登录须修改）")
