from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "houqin.core.approvals"
    label = "approvals"
    verbose_name = _("审批")

    def ready(self):
        from auditlog.registry import auditlog

        from houqin.core.menu import MenuItem, TodoSource, register_menu, register_todo_source
        from houqin.core.notifications.kinds import register_kind
        from houqin.core.roles import Role, grant

        from . import models, selectors

        grant(Role.CENTER_ADMIN, "approvals.view_approvalflow", "approvals.change_approvalflow")

        register_menu(
            MenuItem(
                key="approvals",
                label=_("审批"),
                url_name="approvals:list",
                icon="bi-check2-square",
                permission=None,
                order=50,
            )
        )
        register_menu(
            MenuItem(
                key="approval_flows",
                label=_("审批流程"),
                url_name="approvals:flow_list",
                icon="bi-diagram-2",
                permission="approvals.change_approvalflow",
                group=_("系统"),
                order=910,
            )
        )
        register_todo_source(
            TodoSource(
                key="approvals",
                label=_("待审批"),
                icon="bi-check2-square",
                fetch=selectors.todo_fetch,
                order=100,
            )
        )

        register_kind("approval.requested", _("有新的审批待处理"))
        register_kind("approval.approved", _("审批已通过"))
        register_kind("approval.rejected", _("审批被驳回"))
        register_kind("approval.returned", _("审批被退回修改"))

        auditlog.register(models.ApprovalFlow, exclude_fields=["updated_at"])
        auditlog.register(models.ApprovalFlowStep, exclude_fields=["updated_at"])
        auditlog.register(models.ApprovalRequest, exclude_fields=["updated_at"])
        auditlog.register(models.ApprovalStep, exclude_fields=["updated_at"])
        auditlog.register(models.ApprovalAction)
