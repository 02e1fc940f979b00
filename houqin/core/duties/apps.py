from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "houqin.core.duties"
    label = "duties"
    verbose_name = _("责任事项")

    def ready(self):
        from auditlog.registry import auditlog

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

        from . import models
        from .followups import notify_manager, register_followup_handler
        from .permissions import (
            LEADER_PERMISSIONS,
            MANAGER_PERMISSIONS,
            MANAGING_ROLES,
            VIEW_PLANS,
            VIEW_RECORDS,
            VIEW_TASKS,
        )
        from .todos import duty_todos

        for role in MANAGING_ROLES:
            grant(role, *MANAGER_PERMISSIONS)
        grant(Role.LEADER, *LEADER_PERMISSIONS)

        group = _("责任事项")
        for item in (
            MenuItem(
                "duties_my",
                _("今日任务"),
                "duties:my_tasks",
                "bi-check2-circle",
                VIEW_TASKS,
                group,
                300,
            ),
            MenuItem(
                "duties_board",
                _("完成情况"),
                "duties:compliance",
                "bi-clipboard-data",
                VIEW_TASKS,
                group,
                310,
            ),
            MenuItem(
                "duties_plans",
                _("责任计划"),
                "duties:plan_list",
                "bi-calendar2-check",
                VIEW_PLANS,
                group,
                320,
            ),
            MenuItem(
                "duties_records",
                _("完成记录"),
                "duties:record_list",
                "bi-journal-check",
                VIEW_RECORDS,
                group,
                330,
            ),
        ):
            register_menu(item)
        register_portal_tile(
            PortalTile("duties_my", _("今日任务"), "duties:my_tasks", "bi-check2-circle", order=50)
        )
        register_todo_source(
            TodoSource("duties", _("责任事项"), "bi-check2-circle", duty_todos, order=200)
        )
        register_kind("duty.due", _("责任事项即将到期"))
        register_kind("duty.overdue", _("责任事项已逾期"))
        register_kind("duty.followup", _("检查发现问题需跟进"))
        register_followup_handler(notify_manager, key="notify_manager")

        auditlog.register(models.DutyPlan, exclude_fields=["updated_at"], m2m_fields={"assignees"})
        auditlog.register(
            models.DutyTask,
            exclude_fields=["updated_at", "reminded_at", "overdue_notified_at"],
        )
        auditlog.register(models.DutyRecord, exclude_fields=["updated_at"])
        auditlog.register(models.DutyPhoto, exclude_fields=["updated_at"])
