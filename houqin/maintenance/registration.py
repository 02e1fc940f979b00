"""What the maintenance app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _


def register():
    from auditlog.registry import auditlog

    from houqin.core.menu import MenuItem, PortalTile, register_menu, register_portal_tile
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import models
    from .services.followups import register_followups

    manage = [
        f"maintenance.{action}_{model}"
        for model in (
            "workorder",
            "slarule",
            "equipment",
            "equipmentdocument",
            "finding",
            "materialuse",
        )
        for action in ("view", "add", "change", "delete")
    ]
    grant(Role.MAINTENANCE_MANAGER, *manage, "maintenance.work_workorder")
    grant(Role.TECHNICIAN, "maintenance.work_workorder", "maintenance.view_equipment")
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(
            role,
            "maintenance.view_workorder",
            "maintenance.view_equipment",
            "maintenance.view_finding",
        )
    grant(
        Role.SECURITY_MANAGER,
        "maintenance.view_finding",
        "maintenance.add_finding",
        "maintenance.change_finding",
    )

    group = _("维修")
    for key, label, url_name, icon, perm, order in (
        ("maintenance_report", _("我要报修"), "maintenance:report", "bi-tools", None, 500),
        (
            "maintenance_my_reports",
            _("我的报修"),
            "maintenance:my_reports",
            "bi-card-list",
            None,
            502,
        ),
        (
            "maintenance_my_tasks",
            _("我的维修任务"),
            "maintenance:my_tasks",
            "bi-wrench-adjustable",
            "maintenance.work_workorder",
            504,
        ),
        (
            "maintenance_board",
            _("维修看板"),
            "maintenance:board",
            "bi-kanban",
            "maintenance.view_workorder",
            510,
        ),
        (
            "maintenance_orders",
            _("维修工单"),
            "maintenance:order_list",
            "bi-list-check",
            "maintenance.view_workorder",
            512,
        ),
        (
            "maintenance_sla",
            _("时限规则"),
            "maintenance:sla_rules",
            "bi-stopwatch",
            "maintenance.view_slarule",
            590,
        ),
    ):
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    register_portal_tile(
        PortalTile("maintenance_report", _("报修"), "maintenance:report", "bi-tools", None, 30)
    )
    register_portal_tile(
        PortalTile(
            "maintenance_tasks",
            _("维修任务"),
            "maintenance:my_tasks",
            "bi-wrench-adjustable",
            "maintenance.work_workorder",
            35,
        )
    )

    for code, label in (
        ("maintenance.assigned", _("新的维修工单")),
        ("maintenance.done", _("报修已完工，请确认")),
        ("maintenance.overdue", _("维修工单超时")),
        ("maintenance.finding", _("安全检查发现问题待整改")),
    ):
        register_kind(code, label)

    register_followups()

    for model in (models.WorkOrder, models.SlaRule, models.Equipment, models.Finding):
        auditlog.register(model, exclude_fields=["updated_at"])
