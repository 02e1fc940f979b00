"""What the office-space app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "building",
    "floor",
    "spaceroom",
    "allocation",
    "occupancy",
    "spacerequest",
    "adjustmentplan",
    "planstep",
    "lease",
    "renovationproject",
    "projectitem",
    "projectupdate",
    "ownershiprecord",
    "ownershipdocument",
)
# (key, label, url name, icon, permission, order)
MENU = [
    (
        "space_compliance",
        _("面积核定"),
        "space:compliance",
        "bi-rulers",
        "space.view_spaceroom",
        600,
    ),
    (
        "space_rooms",
        _("房间台账"),
        "space:room_list",
        "bi-door-closed",
        "space.view_spaceroom",
        602,
    ),
    (
        "space_buildings",
        _("楼栋"),
        "space:building_list",
        "bi-buildings",
        "space.view_building",
        604,
    ),
    (
        "space_requests",
        _("用房申请"),
        "space:request_list",
        "bi-envelope-plus",
        "space.view_spacerequest",
        610,
    ),
    (
        "space_plans",
        _("调整方案"),
        "space:plan_list",
        "bi-arrow-left-right",
        "space.view_adjustmentplan",
        612,
    ),
    ("space_leases", _("租用房屋"), "space:lease_list", "bi-house", "space.view_lease", 620),
    (
        "space_projects",
        _("维修改造"),
        "space:project_list",
        "bi-cone-striped",
        "space.view_renovationproject",
        622,
    ),
    (
        "space_ownership",
        _("权属登记"),
        "space:ownership_list",
        "bi-patch-check",
        "space.view_ownershiprecord",
        624,
    ),
    (
        "space_reports",
        _("统计报送"),
        "space:reports",
        "bi-file-earmark-spreadsheet",
        "space.view_spaceroom",
        630,
    ),
    (
        "space_standards",
        _("面积标准"),
        "space:standard_list",
        "bi-journal-ruled",
        "space.view_areastandard",
        690,
    ),
]


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.menu import (
        MenuItem,
        PortalTile,
        TodoSource,
        register_menu,
        register_portal_tile,
        register_todo_source,
    )
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant
    from houqin.org.signals import person_left

    from . import hooks, models

    manage = [f"space.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")]
    grant(Role.SPACE_MANAGER, *manage, "space.view_areastandard")
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *(f"space.view_{m}" for m in MODELS), "space.view_areastandard")
    # Agencies see their own rooms and apply for more (scoped in selectors).
    for role in (Role.LIAISON, Role.AGENCY_LEADER):
        grant(
            role,
            "space.view_spaceroom",
            "space.view_spacerequest",
            "space.add_spacerequest",
            "space.view_areastandard",
        )

    group = _("办公用房")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))

    # A department liaison applies for space from the phone too.
    register_portal_tile(
        PortalTile(
            "space_request",
            _("用房申请"),
            "space:request_list",
            "bi-door-open",
            "space.add_spacerequest",
            60,
        )
    )

    from .todos import space_todos

    register_todo_source(TodoSource("space", _("办公用房"), "bi-door-closed", space_todos, 600))

    register_request_type(
        "space.request",
        _("增加办公用房申请"),
        default_steps=[
            StepSpec(_("单位负责人审核"), role=Role.AGENCY_LEADER, scope="agency"),
            StepSpec(_("办公用房管理员审核"), role=Role.SPACE_MANAGER, scope="center"),
            StepSpec(_("中心领导审批"), role=Role.LEADER, scope="center"),
        ],
        on_approved=hooks.request_approved,
        on_rejected=hooks.request_rejected,
        on_returned=hooks.request_returned,
        on_cancelled=hooks.request_cancelled,
        on_resubmitted=hooks.request_resubmitted,
        url_for=hooks.request_url,
    )
    for code, label in (
        ("space.request", _("用房申请审批结果")),
        ("space.office_return", _("调离/退休人员办公室待收回")),
        ("space.office_overdue", _("办公室逾期未收回")),
        ("space.lease_expiry", _("租用房屋即将到期")),
        ("space.plan_applied", _("办公用房调整方案已实施")),
    ):
        register_kind(code, label)

    person_left.connect(hooks.office_return_due, dispatch_uid="space.office_return_due")

    for model in (
        models.Building,
        models.Floor,
        models.SpaceRoom,
        models.Allocation,
        models.Occupancy,
        models.SpaceRequest,
        models.AdjustmentPlan,
        models.PlanStep,
        models.AreaStandard,
        models.Lease,
        models.RenovationProject,
        models.ProjectItem,
        models.ProjectUpdate,
        models.OwnershipRecord,
        models.OwnershipDocument,
    ):
        auditlog.register(model, exclude_fields=["updated_at", "overdue_notified_at"])
