"""What the fleet app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.menu import MenuItem, PortalTile, register_menu, register_portal_tile
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import hooks, models

    manage = [
        f"fleet.{action}_{model}"
        for model in (
            "vehicle",
            "driver",
            "driverteam",
            "vehiclequota",
            "vehicleseal",
            "trip",
            "triprequest",
            "fuelrecord",
            "repairrecord",
            "drivershift",
        )
        for action in ("view", "add", "change", "delete")
    ]
    grant(Role.FLEET_DISPATCHER, *manage)
    grant(Role.CENTER_ADMIN, "fleet.view_vehicle", "fleet.view_trip", "fleet.view_triprequest")
    grant(Role.LEADER, "fleet.view_vehicle", "fleet.view_trip", "fleet.view_triprequest")
    grant(Role.DRIVER, "fleet.view_trip", "fleet.add_fuelrecord")
    for role in (Role.STAFF, Role.LIAISON, Role.AGENCY_LEADER):
        grant(role, "fleet.add_triprequest")

    group = _("公车")
    for item in (
        MenuItem(
            "fleet_requests",
            _("用车申请"),
            "fleet:request_list",
            "bi-car-front",
            "fleet.add_triprequest",
            group,
            300,
        ),
        MenuItem(
            "fleet_board", _("调度台"), "fleet:board", "bi-kanban", "fleet.change_trip", group, 310
        ),
        MenuItem(
            "fleet_my_trips",
            _("我的出车"),
            "fleet:my_trips",
            "bi-signpost-split",
            "fleet.view_trip",
            group,
            320,
        ),
        MenuItem(
            "fleet_vehicles",
            _("车辆管理"),
            "fleet:vehicle_list",
            "bi-truck",
            "fleet.change_vehicle",
            group,
            330,
        ),
        MenuItem(
            "fleet_quotas",
            _("车辆编制"),
            "fleet:quota_list",
            "bi-diagram-3",
            "fleet.change_vehicle",
            group,
            340,
        ),
        MenuItem(
            "fleet_drivers",
            _("驾驶员"),
            "fleet:driver_list",
            "bi-person-badge",
            "fleet.change_vehicle",
            group,
            350,
        ),
        MenuItem(
            "fleet_shifts",
            _("驾驶员排班"),
            "fleet:shift_roster",
            "bi-calendar3",
            "fleet.change_vehicle",
            group,
            355,
        ),
    ):
        register_menu(item)
    register_portal_tile(
        PortalTile(
            "fleet_request",
            _("用车"),
            "fleet:request_create",
            "bi-car-front",
            "fleet.add_triprequest",
            20,
        )
    )

    register_request_type(
        "fleet.trip",
        _("公务用车"),
        default_steps=[
            StepSpec(_("部门负责人审批"), role=Role.AGENCY_LEADER, scope="agency"),
            StepSpec(_("车辆调度审批"), role=Role.FLEET_DISPATCHER, scope="center"),
        ],
        on_approved=hooks.on_approved,
        on_rejected=hooks.on_rejected,
        on_cancelled=hooks.on_cancelled,
        url_for=hooks.url_for,
    )
    for code, label in (
        ("fleet.dispatched", _("已为您派车")),
        ("fleet.unmet", _("用车申请无车可派")),
        ("fleet.rejected", _("用车申请未获批准")),
        ("fleet.assigned", _("新的出车任务")),
        ("fleet.to_dispatch", _("有待派车的用车申请")),
        ("fleet.expiry", _("车辆保险/年检/驾驶证到期提醒")),
    ):
        register_kind(code, label)
    for model in (
        models.Vehicle,
        models.Driver,
        models.DriverTeam,
        models.VehicleQuota,
        models.VehicleSeal,
        models.Trip,
        models.TripRequest,
        models.FuelRecord,
        models.RepairRecord,
        models.DriverShift,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
