"""Staff surveys (摸排统计), the seed's vaccination census generalised: a few typed questions
sent to a population (the center's staff, chosen agencies, optionally vendor staff), answered
on the phone. Each person targeted has one response row (created when the survey opens, so the
completion rate is answered ÷ rows); family members are sub-entries of a person's response.
A person may be exempted with a reason (e.g. 接种禁忌): exempt rows count as complete."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class Survey(CenterScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("摸排主题"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    agencies = models.ManyToManyField(
        "org.OrgUnit",
        blank=True,
        related_name="+",
        verbose_name=_("摸排范围（单位）"),
        help_text=_("不选则为本中心全部在岗人员"),
    )
    include_vendor_staff = models.BooleanField(_("含外包人员"), default=False)
    allow_family = models.BooleanField(_("可填报家属"), default=False)
    deadline = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
    )

    class Meta:
        verbose_name = _("摸排统计")
        verbose_name_plural = _("摸排统计")
        ordering = ["-id"]

    def __str__(self):
        return self.title


class SurveyQuestion(TimeStampedModel):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("是/否")
        CHOICE = "choice", _("单选")
        NUMBER = "number", _("数字")
        DATE = "date", _("日期")
        TEXT = "text", _("文字")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("摸排")
    )
    text = models.CharField(_("问题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("摸排问题")
        verbose_name_plural = _("摸排问题")
        ordering = ["survey", "order", "id"]

    def __str__(self):
        return self.text


class SurveyResponse(TimeStampedModel):
    """One person's answer sheet (or a family member's, under `parent`; or a vendor staff
    member's, with `vendor_staff`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未填报")
        ANSWERED = "answered", _("已填报")
        EXEMPT = "exempt", _("免于填报")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("摸排")
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人员"),
    )
    vendor_staff = models.ForeignKey(
        "vendors.VendorStaff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("外包人员"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family",
        verbose_name=_("所属人员"),
    )
    family_name = models.CharField(_("家属姓名"), max_length=40, blank=True)
    family_relation = models.CharField(_("关系"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    exempt_reason = models.CharField(_("免填原因"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("摸排填报")
        verbose_name_plural = _("摸排填报")
        ordering = ["survey", "agency", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=Q(person__isnull=False, parent__isnull=True),
                name="activities_response_person_once",
            ),
            models.UniqueConstraint(
                fields=["survey", "vendor_staff"],
                condition=Q(vendor_staff__isnull=False),
                name="activities_response_vendor_once",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False, person__isnull=True, vendor_staff__isnull=True)
                & ~Q(family_name="")
                | Q(parent__isnull=True, person__isnull=False, vendor_staff__isnull=True)
                | Q(parent__isnull=True, person__isnull=True, vendor_staff__isnull=False),
                name="activities_response_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="exempt") | ~Q(exempt_reason=""),
                name="activities_response_exempt_reason",
            ),
        ]
        indexes = [models.Index(fields=["survey", "status"], name="activities_response_status")]

    def __str__(self):
        return f"{self.survey} {self.person or self.vendor_staff or self.family_name}"


class SurveyAnswer(TimeStampedModel):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("填报")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("问题")
    )
    value = models.CharField(_("回答"), max_length=500)

    class Meta:
        verbose_name = _("摸排回答")
        verbose_name_plural = _("摸排回答")
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="activities_answer_once"),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"
