"""What the security app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "gate",
    "visitor",
    "visit",
    "watchentry",
    "screeningtally",
    "shift",
    "rosterentry",
    "patrolroute",
    "checkpoint",
    "patrol",
    "checkpointscan",
    "incident",
    "contingencyplan",
    "drill",
    "fireequipment",
    "fireequipmentcheck",
    "camera",
)
# (key, label, url name, icon, permission, order)
MENU = [
    ("security_gate", _("门岗登记"), "security:gate", "bi-person-badge", "security.add_visit", 700),
    (
        "security_visits",
        _("来访记录"),
        "security:visit_list",
        "bi-people",
        "security.view_visit",
        702,
    ),
    (
        "security_my_patrols",
        _("巡查"),
        "security:patrol_home",
        "bi-qr-code-scan",
        "security.add_patrol",
        704,
    ),
    (
        "security_roster",
        _("值班排班"),
        "security:roster",
        "bi-calendar-week",
        "security.view_rosterentry",
        710,
    ),
    (
        "security_routes",
        _("巡查路线"),
        "security:route_list",
        "bi-signpost-split",
        "security.view_patrolroute",
        712,
    ),
    (
        "security_incidents",
        _("突发事件"),
        "security:incident_list",
        "bi-exclamation-octagon",
        "security.view_incident",
        714,
    ),
    (
        "security_plans",
        _("安保预案"),
        "security:plan_list",
        "bi-shield-check",
        "security.view_contingencyplan",
        716,
    ),
    (
        "security_drills",
        _("培训演练"),
        "security:drill_list",
        "bi-megaphone",
        "security.view_drill",
        718,
    ),
    (
        "security_equipment",
        _("消防器材"),
        "security:equipment_list",
        "bi-fire",
        "security.view_fireequipment",
        720,
    ),
    (
        "security_cameras",
        _("监控设备"),
        "security:camera_list",
        "bi-camera-video",
        "security.view_camera",
        722,
    ),
    (
        "security_board",
        _("安全台账"),
        "security:board",
        "bi-clipboard-check",
        "security.view_drill",
        730,
    ),
    (
        "security_settings",
        _("门岗与名单"),
        "security:settings",
        "bi-sliders",
        "security.change_gate",
        790,
    ),
]


def register():
    from auditlog.registry import auditlog

    from houqin.core.menu import MenuItem, PortalTile, register_menu, register_portal_tile
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import models

    manage = [f"security.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")]
    grant(Role.SECURITY_MANAGER, *manage, "security.view_full_id")
    grant(
        Role.GUARD,
        "security.view_visit",
        "security.add_visit",
        "security.change_visit",
        "security.view_watchentry",
        "security.add_screeningtally",
        "security.view_screeningtally",
        "security.view_rosterentry",
        "security.add_patrol",
        "security.view_patrol",
        "security.add_incident",
        "security.view_incident",
        "security.view_fireequipment",
        "security.add_fireequipmentcheck",
    )
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *(f"security.view_{m}" for m in MODELS))

    group = _("安保消防")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    # Any member of staff invites their visitors from the phone.
    register_menu(
        MenuItem(
            "security_invite",
            _("邀请访客"),
            "security:invite",
            "bi-envelope-open",
            None,
            group,
            706,
        )
    )
    register_portal_tile(
        PortalTile(
            "security_invite", _("邀请访客"), "security:invite", "bi-envelope-open", None, 40
        )
    )
    register_portal_tile(
        PortalTile(
            "security_patrol",
            _("巡查"),
            "security:patrol_home",
            "bi-qr-code-scan",
            "security.add_patrol",
            45,
        )
    )

    for code, label in (
        ("security.visitor_arrived", _("访客已到达")),
        ("security.watch_hit", _("关注名单人员来访")),
        ("security.equipment_expiry", _("消防器材即将到期")),
        ("security.incident", _("突发事件")),
        ("security.patrol_problem", _("巡查发现异常")),
    ):
        register_kind(code, label)

    for model in (
        models.Gate,
        models.Visit,
        models.WatchEntry,
        models.Shift,
        models.RosterEntry,
        models.PatrolRoute,
        models.Checkpoint,
        models.Incident,
        models.ContingencyPlan,
        models.Drill,
        models.FireEquipment,
        models.Camera,
    ):
        auditlog.register(model, exclude_fields=["updated_at", "expiry_notified_on"])
