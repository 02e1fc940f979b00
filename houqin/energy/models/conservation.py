"""节约型机关创建 (DOMAIN.md §4): a campaign runs in batches, each with a target number of
units; enrolled units assess themselves against a configurable scoring sheet (areas and items
with points), the center reviews them and a unit passes at the sheet's pass mark (80 of 100
by default). Meetings and trainings of the campaign are kept with it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel

from .common import evidence_path


class ScoringSheet(CenterScopedModel):
    name = models.CharField(_("评分表名称"), max_length=100)
    pass_mark = models.DecimalField(_("达标分数"), max_digits=5, decimal_places=1, default=80)
    description = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="energy_sheet_name"),
            models.CheckConstraint(condition=Q(pass_mark__gt=0), name="energy_sheet_pass_pos"),
        ]

    def __str__(self):
        return self.name


class ScoringArea(TimeStampedModel):
    sheet = models.ForeignKey(
        ScoringSheet, on_delete=models.CASCADE, related_name="areas", verbose_name=_("评分表")
    )
    name = models.CharField(_("考核方面"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核方面")
        verbose_name_plural = _("考核方面")
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "name"], name="energy_area_name"),
        ]

    def __str__(self):
        return self.name


class ScoringItem(TimeStampedModel):
    area = models.ForeignKey(
        ScoringArea, on_delete=models.CASCADE, related_name="items", verbose_name=_("考核方面")
    )
    text = models.CharField(_("考核内容"), max_length=300)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["area", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="energy_item_points_pos"),
        ]

    def __str__(self):
        return self.text


class ConservationCampaign(CenterScopedModel):
    name = models.CharField(_("创建活动"), max_length=100)
    sheet = models.ForeignKey(
        ScoringSheet, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("评分表")
    )
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("截止年度"))
    description = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("节约型机关创建")
        verbose_name_plural = _("节约型机关创建")
        ordering = ["-start_year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="energy_campaign_name"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="energy_campaign_years"
            ),
        ]

    def __str__(self):
        return self.name


class CampaignBatch(TimeStampedModel):
    campaign = models.ForeignKey(
        ConservationCampaign,
        on_delete=models.CASCADE,
        related_name="batches",
        verbose_name=_("创建活动"),
    )
    number = models.PositiveSmallIntegerField(_("批次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    target_units = models.PositiveIntegerField(_("目标单位数"))
    deadline = models.DateField(_("完成期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("创建批次")
        verbose_name_plural = _("创建批次")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="energy_batch_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="energy_batch_number_pos"),
            models.CheckConstraint(condition=Q(target_units__gt=0), name="energy_batch_target_pos"),
        ]

    def __str__(self):
        return f"{self.campaign} 第{self.number}批"


class ConservationUnit(TimeStampedModel):
    """An agency enrolled in a batch. Scores are the sums of its item scores (kept here so
    lists need no aggregation)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已报名")
        SELF_ASSESSED = "self_assessed", _("已自评")
        REVIEWED = "reviewed", _("评审中")
        PASSED = "passed", _("达标")
        FAILED = "failed", _("未达标")

    campaign = models.ForeignKey(
        ConservationCampaign,
        on_delete=models.CASCADE,
        related_name="units",
        verbose_name=_("创建活动"),
    )
    batch = models.ForeignKey(
        CampaignBatch, on_delete=models.PROTECT, related_name="units", verbose_name=_("批次")
    )
    agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    self_score = models.DecimalField(
        _("自评得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    self_assessed_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    review_score = models.DecimalField(
        _("评审得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评审人"),
    )
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    review_comment = models.TextField(_("评审意见"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("创建单位")
        verbose_name_plural = _("创建单位")
        ordering = ["batch", "agency__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agency"], name="energy_unit_once"),
            models.CheckConstraint(
                condition=~Q(status__in=["passed", "failed"])
                | (Q(decided_on__isnull=False) & Q(review_score__isnull=False)),
                name="energy_unit_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_on"], name="energy_unit_status")]
        permissions = [("self_assess_conservationunit", _("本单位节约型机关自评"))]

    def __str__(self):
        return f"{self.agency} ({self.batch})"


class UnitScore(TimeStampedModel):
    unit = models.ForeignKey(
        ConservationUnit, on_delete=models.CASCADE, related_name="scores", verbose_name=_("单位")
    )
    item = models.ForeignKey(
        ScoringItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核项目")
    )
    self_points = models.DecimalField(
        _("自评分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    review_points = models.DecimalField(
        _("评审分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("单项得分")
        verbose_name_plural = _("单项得分")
        ordering = ["unit", "item"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "item"], name="energy_score_once"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="energy_score_self_pos",
            ),
            models.CheckConstraint(
                condition=Q(review_points__isnull=True) | Q(review_points__gte=0),
                name="energy_score_review_pos",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.item}"


class UnitEvidence(TimeStampedModel):
    unit = models.ForeignKey(
        ConservationUnit,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("单位"),
    )
    item = models.ForeignKey(
        ScoringItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("考核项目"),
    )
    title = models.CharField(_("佐证材料"), max_length=100)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["unit", "-id"]

    def __str__(self):
        return self.title


class CampaignMeeting(TimeStampedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("推进会")
        TRAINING = "training", _("培训")

    campaign = models.ForeignKey(
        ConservationCampaign,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("创建活动"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=100)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    notes = models.TextField(_("纪要"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("会议培训")
        verbose_name_plural = _("会议培训")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"], name="energy_meeting_date")]

    def __str__(self):
        return f"{self.date} {self.title}"
