"""What the meetings app plugs into the shared mechanisms: permissions per role, menu and
portal entries, the booking approval type, notification kinds and audit registration."""

from django.utils.translation import gettext_lazy as _


def register():
    from auditlog.registry import auditlog

    from houqin.core.approvals.registry import StepSpec, register_request_type
    from houqin.core.menu import MenuItem, PortalTile, register_menu, register_portal_tile
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import hooks, models

    manage = [
        f"meetings.{action}_{model}"
        for model in ("room", "booking", "roomblock", "meetingservice", "bookingseries")
        for action in ("view", "add", "change", "delete")
    ]
    grant(Role.MEETING_MANAGER, *manage)
    grant(Role.CENTER_ADMIN, "meetings.view_room", "meetings.view_booking")
    grant(Role.LEADER, "meetings.view_room", "meetings.view_booking")
    for role in (Role.STAFF, Role.LIAISON, Role.AGENCY_LEADER):
        grant(role, "meetings.view_room", "meetings.add_booking")

    group = _("会务")
    register_menu(
        MenuItem(
            "meetings_grid",
            _("会议室预订"),
            "meetings:grid",
            "bi-calendar-week",
            "meetings.view_room",
            group,
            200,
        )
    )
    register_menu(
        MenuItem(
            "meetings_bookings",
            _("会议预订"),
            "meetings:booking_list",
            "bi-journal-text",
            "meetings.add_booking",
            group,
            210,
        )
    )
    register_menu(
        MenuItem(
            "meetings_sheet",
            _("会务服务单"),
            "meetings:service_sheet",
            "bi-cup-hot",
            "meetings.change_booking",
            group,
            220,
        )
    )
    register_menu(
        MenuItem(
            "meetings_rooms",
            _("会议室管理"),
            "meetings:room_list",
            "bi-door-open",
            "meetings.change_room",
            group,
            230,
        )
    )
    register_portal_tile(
        PortalTile(
            "meetings_book",
            _("订会议室"),
            "meetings:grid",
            "bi-calendar-plus",
            "meetings.add_booking",
            30,
        )
    )

    register_request_type(
        "meetings.booking",
        _("会议室预订"),
        default_steps=[StepSpec(_("会务管理员审核"), role=Role.MEETING_MANAGER, scope="center")],
        on_approved=hooks.on_approved,
        on_rejected=hooks.on_rejected,
        on_cancelled=hooks.on_cancelled,
        url_for=hooks.url_for,
    )
    for code, label in (
        ("meetings.booked", _("会议室预订成功")),
        ("meetings.cancelled", _("会议室预订已取消")),
        ("meetings.released", _("会议室预订因未签到被释放")),
        ("meetings.rejected", _("会议室预订未获批准")),
    ):
        register_kind(code, label)

    for model in (
        models.Room,
        models.Booking,
        models.BookingSeries,
        models.RoomBlock,
        models.MeetingService,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
