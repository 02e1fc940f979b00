from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "houqin.core"
    label = "core"
    verbose_name = _("公共基础")

    def ready(self):
        from . import menu, roles, signals  # noqa: F401  (signals connects audit events)
        from .roles import Role, grant

        grant(Role.AUDITOR, "core.view_auditlogentry", "core.view_auditevent")
        menu.register_menu(
            menu.MenuItem(
                key="audit",
                label=_("审计日志"),
                url_name="core:audit",
                icon="bi-shield-check",
                permission="core.view_auditlogentry",
                group=_("系统"),
                order=900,
            )
        )
        # Sync after every migrate; dispatch_uid keeps it to one run per migrate call.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="houqin.sync_role_groups")
