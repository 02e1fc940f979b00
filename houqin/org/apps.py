from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "houqin.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self):
        from auditlog.registry import auditlog

        from houqin.core.menu import MenuItem, register_menu
        from houqin.core.roles import Role, grant

        from . import models

        unit_perms = ("org.view_orgunit", "org.add_orgunit", "org.change_orgunit")
        person_perms = ("org.view_person", "org.add_person", "org.change_person")
        grant(
            Role.CENTER_ADMIN,
            *unit_perms,
            "org.delete_orgunit",
            *person_perms,
            "org.import_person",
            "org.export_person",
            "org.view_person_sensitive",
            "org.manage_accounts",
            "org.view_user",
            "org.view_rank",
        )
        grant(Role.LEADER, "org.view_orgunit", "org.view_person", "org.export_person")
        grant(Role.LIAISON, "org.view_orgunit", "org.view_person", "org.export_person")
        grant(Role.AGENCY_LEADER, "org.view_orgunit", "org.view_person", "org.export_person")
        grant(Role.AUDITOR, "org.view_orgunit", "org.view_person")

        group = _("组织与人员")
        for item in (
            MenuItem(
                "org_units",
                _("组织机构"),
                "org:unit_list",
                "bi-diagram-3",
                "org.view_orgunit",
                group,
                100,
            ),
            MenuItem(
                "org_people",
                _("人员"),
                "org:person_list",
                "bi-people",
                "org.view_person",
                group,
                110,
            ),
            MenuItem(
                "org_accounts",
                _("账号与角色"),
                "org:account_list",
                "bi-person-gear",
                "org.manage_accounts",
                group,
                120,
            ),
            MenuItem(
                "org_ranks", _("职级"), "org:rank_list", "bi-list-ol", "org.view_rank", group, 130
            ),
        ):
            register_menu(item)

        auditlog.register(models.OrgUnit, exclude_fields=["updated_at"])
        auditlog.register(
            models.Person,
            exclude_fields=["updated_at", "id_number_digest"],
            mask_fields=["id_number", "phone"],
        )
        auditlog.register(models.Rank, exclude_fields=["updated_at"])
        auditlog.register(
            models.User,
            include_fields=["username", "is_active", "center", "must_change_password", "email"],
        )
        auditlog.register(models.RoleAssignment, exclude_fields=["updated_at"])
