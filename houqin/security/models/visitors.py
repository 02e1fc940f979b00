"""Visitors (来访登记). A Visitor is one identity per center (found again by the HMAC digest of
their ID number, never by the number itself); a Visit is one coming: registered at the gate or
invited beforehand by a member of staff, then in, then out. Watch-list entries are matched by
the same digest (or by name when no ID is given)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.crypto import EncryptedCharField, mask_id_number, mask_phone
from houqin.core.models import CenterScopedModel


def new_pass_code():
    return secrets.token_urlsafe(12)


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他证件")


class Gate(CenterScopedModel):
    """门岗: an entrance, with the screening checks asked there (e.g. 体温 ≤ 37.3, 健康码)."""

    name = models.CharField(_("门岗名称"), max_length=50)
    # [{"key": "temp", "label": "体温正常", "type": "bool"}, …] asked per entry when enabled.
    checks = models.JSONField(_("入口查验项"), default=list, blank=True)
    screening_per_entry = models.BooleanField(_("逐人记录查验结果"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("门岗")
        verbose_name_plural = _("门岗")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="security_gate_unique_name")
        ]

    def __str__(self):
        return self.name


class Visitor(CenterScopedModel):
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(
        _("证件类型"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number = EncryptedCharField(_("证件号码"), blank=True)
    # HMAC of type + number: finds the same visitor and watch-list entries without decrypting.
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    company = models.CharField(_("单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("来访人员")
        verbose_name_plural = _("来访人员")
        ordering = ["name", "id"]
        permissions = [("view_full_id", _("查看访客完整证件号码"))]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "id_digest"],
                condition=~Q(id_digest=""),
                name="security_visitor_unique_id",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class Visit(CenterScopedModel):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("待到访")
        IN = "in", _("在访")
        OUT = "out", _("已离开")
        REFUSED = "refused", _("拒绝入内")
        CANCELLED = "cancelled", _("已取消")

    visitor = models.ForeignKey(
        Visitor, on_delete=models.CASCADE, related_name="visits", verbose_name=_("来访人")
    )
    party_size = models.PositiveSmallIntegerField(_("来访人数"), default=1)
    host_agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被访单位"),
    )
    host_person = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被访人"),
    )
    purpose = models.CharField(_("事由"), max_length=200)
    plate = models.CharField(_("车牌号"), max_length=12, blank=True)
    gate = models.ForeignKey(
        Gate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("门岗"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.EXPECTED
    )
    expected_at = models.DateTimeField(_("预计到访时间"), null=True, blank=True)
    entered_at = models.DateTimeField(_("进入时间"), null=True, blank=True)
    exited_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    # The visitor pass's QR code carries this, not the id: unguessable.
    pass_code = models.CharField(max_length=32, unique=True, default=new_pass_code, editable=False)
    needs_escort = models.BooleanField(_("需陪同"), default=False)
    screening = models.JSONField(_("查验结果"), default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("邀请人"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("来访登记")
        verbose_name_plural = _("来访登记")
        ordering = ["-entered_at", "-expected_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gte=1), name="security_visit_party"),
            models.CheckConstraint(
                condition=~Q(status__in=["in", "out"]) | Q(entered_at__isnull=False),
                name="security_visit_entered",
            ),
            models.CheckConstraint(
                condition=~Q(status="out")
                | (Q(exited_at__isnull=False) & Q(exited_at__gte=F("entered_at"))),
                name="security_visit_exited",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "status"], name="security_visit_status"),
            models.Index(fields=["center", "entered_at"], name="security_visit_entered_idx"),
            models.Index(fields=["center", "expected_at"], name="security_visit_expected_idx"),
        ]

    def __str__(self):
        return f"{self.visitor} → {self.host_agency}"


class WatchEntry(CenterScopedModel):
    """关注名单: a person not to let in, or only with an escort."""

    class Level(models.TextChoices):
        BLOCKED = "blocked", _("禁止入内")
        ESCORT = "escort", _("需陪同")

    name = models.CharField(_("姓名"), max_length=50)
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=30, blank=True)
    level = models.CharField(_("处置"), max_length=16, choices=Level.choices)
    reason = models.CharField(_("原因"), max_length=200)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("关注名单")
        verbose_name_plural = _("关注名单")
        ordering = ["-is_active", "name", "id"]
        indexes = [models.Index(fields=["center", "id_digest"], name="security_watch_digest")]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"


class ScreeningTally(CenterScopedModel):
    """入口查验 daily totals at a gate (when results are not recorded per entry)."""

    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, related_name="tallies", verbose_name=_("门岗")
    )
    date = models.DateField(_("日期"))
    checked = models.PositiveIntegerField(_("查验人数"))
    abnormal = models.PositiveIntegerField(_("异常人数"), default=0)
    note = models.CharField(_("处置情况"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("入口查验统计")
        verbose_name_plural = _("入口查验统计")
        ordering = ["-date", "gate"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "date"], name="security_tally_once"),
            models.CheckConstraint(
                condition=Q(abnormal__lte=F("checked")), name="security_tally_abnormal"
            ),
        ]
