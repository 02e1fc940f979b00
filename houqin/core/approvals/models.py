"""Approval flows (per center and request type) and approval requests with their steps and history.

A request copies its center's flow into ApprovalStep rows when it is submitted, so editing a
flow never changes a request already on its way. Integrity lives in the database: one flow per
center and type, exactly one approver kind per step, one step position per request, at most one
pending step per request and at most one open request per target object and type.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel
from houqin.core.roles import Role

from .registry import request_type_label


class Scope(models.TextChoices):
    AGENCY = "agency", _("本部门")
    CENTER = "center", _("本中心")


# Exactly one of role / named user says who approves a step.
_ONE_APPROVER = (Q(approver_role="") & Q(approver_user__isnull=False)) | (
    ~Q(approver_role="") & Q(approver_user__isnull=True)
)


def approver_label(step) -> str:
    """Who approves a step (flow step or request step): a named person, or role and scope."""
    if step.approver_user_id:
        return str(step.approver_user.display_name)
    role = Role(step.approver_role).label if step.approver_role in Role.values else ""
    if step.scope == Scope.AGENCY:
        return _("%(role)s（申请部门）") % {"role": role}
    return _("%(role)s（本中心）") % {"role": role}


class ApprovalFlow(CenterScopedModel):
    """A center's sequence of steps for one request type (created from the registered defaults)."""

    request_type = models.CharField(_("申请类型"), max_length=64)
    name = models.CharField(_("流程名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("审批流程")
        verbose_name_plural = _("审批流程")
        ordering = ["request_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "request_type"], name="approvals_flow_unique_per_center"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def request_type_label(self) -> str:
        return request_type_label(self.request_type)


class ApprovalFlowStep(TimeStampedModel):
    flow = models.ForeignKey(
        ApprovalFlow, on_delete=models.CASCADE, related_name="steps", verbose_name=_("审批流程")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤名称"), max_length=50)
    approver_role = models.CharField(_("审批角色"), max_length=32, choices=Role.choices, blank=True)
    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices, default=Scope.CENTER)
    approver_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("指定审批人"),
    )

    class Meta:
        verbose_name = _("审批流程步骤")
        verbose_name_plural = _("审批流程步骤")
        ordering = ["flow", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["flow", "position"], name="approvals_flowstep_unique_position"
            ),
            models.CheckConstraint(condition=_ONE_APPROVER, name="approvals_flowstep_one_approver"),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values), name="approvals_flowstep_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="approvals_flowstep_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def get_additional_data(self):
        return {"center_id": self.flow.center_id}

    @property
    def approver_label(self) -> str:
        return approver_label(self)


class ApprovalRequest(CenterScopedModel):
    """One object (of any module) waiting for, or having had, a decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")
        RETURNED = "returned", _("已退回修改")
        CANCELLED = "cancelled", _("已撤回")

    OPEN_STATUSES = (Status.PENDING, Status.RETURNED)
    CLOSED_STATUSES = (Status.APPROVED, Status.REJECTED, Status.CANCELLED)

    request_type = models.CharField(_("申请类型"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("对象类型")
    )
    object_id = models.PositiveBigIntegerField(_("对象 ID"))
    target = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请部门"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        verbose_name=_("申请人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("申请内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    current_position = models.PositiveSmallIntegerField(_("当前步骤"), default=1)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批申请")
        verbose_name_plural = _("审批申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "request_type"],
                condition=Q(status__in=["pending", "returned"]),
                name="approvals_request_one_open_per_target",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "approved", "rejected", "returned", "cancelled"]
                ),
                name="approvals_request_status_valid",
            ),
            # Closed requests carry the time they were closed; open ones do not.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["approved", "rejected", "cancelled"], decided_at__isnull=False)
                    | Q(status__in=["pending", "returned"], decided_at__isnull=True)
                ),
                name="approvals_request_decided_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(current_position__gte=1), name="approvals_request_position_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["center", "status"], name="approvals_req_center_status"),
            # The center's lists (all / done by me) page by the default ordering.
            models.Index(fields=["center", "-created_at"], name="approvals_req_center_time"),
            models.Index(fields=["requester", "-created_at"], name="approvals_req_requester"),
            models.Index(fields=["content_type", "object_id"], name="approvals_req_target"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("approvals:detail", args=[self.pk])

    @property
    def request_type_label(self) -> str:
        return request_type_label(self.request_type)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ApprovalStep(TimeStampedModel):
    """A request's copy of one flow step, with its decision."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("未开始")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("驳回")
        RETURNED = "returned", _("退回修改")

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="steps", verbose_name=_("审批申请")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤名称"), max_length=50)
    approver_role = models.CharField(_("审批角色"), max_length=32, choices=Role.choices, blank=True)
    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices, default=Scope.CENTER)
    approver_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("指定审批人"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("审批步骤")
        verbose_name_plural = _("审批步骤")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="approvals_step_unique_position"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="pending"),
                name="approvals_step_one_pending_per_request",
            ),
            models.CheckConstraint(condition=_ONE_APPROVER, name="approvals_step_one_approver"),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values), name="approvals_step_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "pending", "approved", "rejected", "returned"]),
                name="approvals_step_status_valid",
            ),
            # A decided step records who decided and when; an undecided one does not.
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=["approved", "rejected", "returned"],
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    | Q(status__in=["waiting", "pending"], decided_by__isnull=True)
                ),
                name="approvals_step_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(
                fields=["approver_role", "scope"],
                condition=Q(status="pending"),
                name="approvals_step_pending_role",
            ),
            models.Index(
                fields=["approver_user"],
                condition=Q(status="pending"),
                name="approvals_step_pending_user",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def get_additional_data(self):
        return {"center_id": self.request.center_id}

    @property
    def approver_label(self) -> str:
        return approver_label(self)


class ApprovalAction(models.Model):
    """One entry of a request's history: who did what, when, with which comment."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("同意")
        REJECT = "reject", _("驳回")
        RETURN = "return", _("退回修改")
        RESUBMIT = "resubmit", _("重新提交")
        CANCEL = "cancel", _("撤回")

    DECISIONS = (Kind.APPROVE, Kind.REJECT, Kind.RETURN)

    request = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("审批申请"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_actions",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("步骤"), null=True, blank=True)
    step_name = models.CharField(_("步骤名称"), max_length=50, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=["submit", "approve", "reject", "return", "resubmit", "cancel"]
                ),
                name="approvals_action_kind_valid",
            )
        ]
        indexes = [
            models.Index(fields=["actor", "action"], name="approvals_action_actor"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.request_id}"

    def get_additional_data(self):
        return {"center_id": self.request.center_id}
