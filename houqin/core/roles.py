"""Role constants and what each role may do.

A role is held by a user *in a center* (org.RoleAssignment). Each role maps to a Django group
of the same code whose permissions are (re)written by `sync_role_groups()` on every migrate,
so nobody configures permissions by hand. Domain apps add their permissions to roles with
`grant()` in their AppConfig.ready(), before migrate's post_migrate signal runs the sync.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTER_ADMIN = "center_admin", _("中心管理员")
    LEADER = "leader", _("中心领导")
    MEETING_MANAGER = "meeting_manager", _("会务管理员")
    FLEET_DISPATCHER = "fleet_dispatcher", _("车辆调度员")
    DRIVER = "driver", _("驾驶员")
    CANTEEN_MANAGER = "canteen_manager", _("食堂管理员")
    MAINTENANCE_MANAGER = "maintenance_manager", _("维修管理员")
    TECHNICIAN = "technician", _("维修技工")
    SPACE_MANAGER = "space_manager", _("办公用房管理员")
    ENERGY_MANAGER = "energy_manager", _("节能管理员")
    SECURITY_MANAGER = "security_manager", _("安保消防管理员")
    GUARD = "guard", _("门岗保安")
    FINANCE_OFFICER = "finance_officer", _("财务人员")
    VENDOR_MANAGER = "vendor_manager", _("外包管理员")
    AGENCY_LEADER = "agency_leader", _("部门负责人")
    LIAISON = "liaison", _("部门联络员")
    STAFF = "staff", _("干部职工")
    AUDITOR = "auditor", _("安全审计员")


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.CENTER_ADMIN: _("管理组织机构、人员、账号与角色（系统管理员）"),
    Role.LEADER: _("查看全中心各项业务与统计，审批"),
    Role.MEETING_MANAGER: _("会议室、会议预订与会务服务"),
    Role.FLEET_DISPATCHER: _("公务用车审批与派车"),
    Role.DRIVER: _("出车任务与行车记录"),
    Role.CANTEEN_MANAGER: _("菜单、订餐、餐卡与食品安全"),
    Role.MAINTENANCE_MANAGER: _("报修工单与设备台账"),
    Role.TECHNICIAN: _("处理分派的维修工单"),
    Role.SPACE_MANAGER: _("办公用房配置与核定"),
    Role.ENERGY_MANAGER: _("能耗统计与节约型机关创建"),
    Role.SECURITY_MANAGER: _("安保消防、值班与巡查"),
    Role.GUARD: _("门岗来访登记与巡查"),
    Role.FINANCE_OFFICER: _("预算、支出与固定资产"),
    Role.VENDOR_MANAGER: _("外包服务单位与考核"),
    Role.AGENCY_LEADER: _("审批本部门的用车、会议等申请，查看本部门人员"),
    Role.LIAISON: _("代表本部门预订、申请，查看本部门人员"),
    Role.STAFF: _("订餐、用车、报修、预订会议室等自助服务"),
    Role.AUDITOR: _("查阅审计日志（安全审计员）"),
}

# Roles whose holders see every record of their center in the org module.
# Domain apps define their own scope policies (org.scoping.ScopePolicy).
ORG_CENTER_ROLES = frozenset({Role.CENTER_ADMIN, Role.LEADER, Role.AUDITOR})

# role -> set of "app_label.codename" permissions. Apps extend it with grant().
_ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: set() for role in Role}


def grant(role: str, *perms: str) -> None:
    """Give `role` the permissions `perms` ("app_label.codename"). Call from AppConfig.ready()."""
    _ROLE_PERMISSIONS[str(role)].update(perms)


def role_permissions() -> dict[str, frozenset[str]]:
    return {role: frozenset(perms) for role, perms in _ROLE_PERMISSIONS.items()}


def sync_role_groups(app_config=None, using="default", **kwargs) -> None:
    """Make one Django group per role hold exactly the permissions declared in code.

    Connected to post_migrate, which fires once per app; we act only on the last app with
    models, when every app's permissions have been created, so a fresh database and every
    upgrade end up identical.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if app_config is not None:
        last = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
        if app_config.label != last.label:
            return

    wanted = role_permissions()
    all_codes = {c for perms in wanted.values() for c in perms}
    by_code = {}
    for perm in (
        Permission.objects.using(using)
        .select_related("content_type")
        .filter(codename__in={c.split(".", 1)[1] for c in all_codes})
    ):
        by_code[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, perms in wanted.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([by_code[c] for c in perms if c in by_code])
