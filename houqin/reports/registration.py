"""What the reports app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _


def register():
    from houqin.core.menu import MenuItem, register_menu
    from houqin.core.roles import Role, grant

    grant(
        Role.CENTER_ADMIN,
        "reports.view_sectiontemplate",
        "reports.add_sectiontemplate",
        "reports.change_sectiontemplate",
        "reports.delete_sectiontemplate",
    )
    grant(Role.LEADER, "reports.view_sectiontemplate")
    group = _("报告")
    register_menu(
        MenuItem(
            "reports_dashboard",
            _("领导看板"),
            "reports:dashboard",
            "bi-speedometer",
            "reports.view_sectiontemplate",
            group,
            990,
        )
    )
    register_menu(
        MenuItem(
            "reports_summary",
            _("年度工作总结"),
            "reports:summary",
            "bi-file-earmark-word",
            "reports.view_sectiontemplate",
            group,
            992,
        )
    )
