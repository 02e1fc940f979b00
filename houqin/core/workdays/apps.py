from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "houqin.core.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from auditlog.registry import auditlog

        from houqin.core.menu import MenuItem, TodoSource, register_menu, register_todo_source
        from houqin.core.roles import Role, grant

        from . import models
        from .todos import calendar_todos

        grant(
            Role.CENTER_ADMIN,
            "workdays.view_holidayoverride",
            "workdays.add_holidayoverride",
            "workdays.change_holidayoverride",
            "workdays.delete_holidayoverride",
        )
        register_menu(
            MenuItem(
                "workdays_calendar",
                _("工作日历"),
                "workdays:calendar",
                "bi-calendar3",
                "workdays.view_holidayoverride",
                _("系统"),
                860,
            )
        )
        register_todo_source(
            TodoSource("workdays_calendar", _("工作日历"), "bi-calendar3", calendar_todos, 800)
        )
        auditlog.register(models.HolidayOverride, exclude_fields=["updated_at"])
