"""维修 models: repair work orders with their transitions, photos and materials; SLA rules;
the equipment register with documents; safety-inspection findings.

Preventive maintenance plans and safety-inspection rounds are duty plans (houqin.core.duties)
whose target is a piece of equipment or an area; a failed checklist item opens a work order
(maintenance) or a finding (safety inspection) through the duties follow-up registry.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


def _upload_to(prefix, filename):
    """<prefix>/YYYY/MM/<random>.<ext>: the user's file name never reaches the storage path."""
    ext = Path(filename).suffix.lower()[:8] or ".bin"
    now = timezone.localtime()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"


def work_order_photo_path(instance, filename):
    return _upload_to("maintenance/photos", filename)


def equipment_document_path(instance, filename):
    return _upload_to("maintenance/documents", filename)


def finding_photo_path(instance, filename):
    return _upload_to("maintenance/findings", filename)


class Category(models.TextChoices):
    WATER = "water", _("水")
    ELECTRIC = "electric", _("电")
    AC = "ac", _("空调")
    ELEVATOR = "elevator", _("电梯")
    DOOR_WINDOW = "door_window", _("门窗")
    NETWORK = "network", _("网络")
    FURNITURE = "furniture", _("家具")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class SlaRule(CenterScopedModel):
    """How fast a category and urgency must be answered and fixed, in working hours
    (houqin.core.workdays.hours) — or in clock hours when `around_the_clock`."""

    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices)
    response_hours = models.DecimalField(_("响应时限（小时）"), max_digits=5, decimal_places=1)
    completion_hours = models.DecimalField(_("完成时限（小时）"), max_digits=6, decimal_places=1)
    around_the_clock = models.BooleanField(_("按自然小时计"), default=False)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["category", "urgency"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "category", "urgency"], name="maint_sla_unique"
            ),
            models.CheckConstraint(
                condition=Q(response_hours__gt=0) & Q(completion_hours__gte=F("response_hours")),
                name="maint_sla_hours_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}·{self.get_urgency_display()}"


class Equipment(CenterScopedModel):
    """设备台账: one piece of equipment, with its label, location, vendor and contract."""

    class Kind(models.TextChoices):
        ELEVATOR = "elevator", _("电梯")
        AC_UNIT = "ac_unit", _("空调机组")
        CHILLER = "chiller", _("冷水机组")
        COOLING_TOWER = "cooling_tower", _("冷却塔")
        GENERATOR = "generator", _("发电机")
        SWITCHGEAR = "switchgear", _("配电柜/开关柜")
        PUMP = "pump", _("水泵")
        FIRE_SYSTEM = "fire_system", _("消防系统")
        IRRIGATION = "irrigation", _("绿化喷灌")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("在用")
        FAULTY = "faulty", _("故障")
        STOPPED = "stopped", _("停用")
        SCRAPPED = "scrapped", _("报废")

    kind = models.CharField(_("设备类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("设备名称"), max_length=100)
    code = models.CharField(_("设备编号/标签"), max_length=50)
    location = models.CharField(_("安装位置"), max_length=200)
    model = models.CharField(_("规格型号"), max_length=100, blank=True)
    manufacturer = models.CharField(_("生产厂家"), max_length=100, blank=True)
    vendor_name = models.CharField(_("维保单位"), max_length=100, blank=True)
    install_date = models.DateField(_("安装日期"), null=True, blank=True)
    warranty_until = models.DateField(_("保修期至"), null=True, blank=True)
    contract_no = models.CharField(_("维保合同号"), max_length=50, blank=True)
    contract_until = models.DateField(_("维保合同到期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_USE
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备台账")
        ordering = ["kind", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="maint_equipment_unique_code")
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class EquipmentDocument(CenterScopedModel):
    """A file about a piece of equipment (single-line diagram, manual, inspection report…)."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="documents", verbose_name=_("设备")
    )
    title = models.CharField(_("文件名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to=equipment_document_path, max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("设备资料")
        verbose_name_plural = _("设备资料")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class WorkOrder(CenterScopedModel):
    """报修工单. Status moves only along TRANSITIONS (services.work_orders); every move is a
    WorkOrderEvent with who and when."""

    class Status(models.TextChoices):
        NEW = "new", _("待派单")
        ASSIGNED = "assigned", _("已派单")
        IN_PROGRESS = "in_progress", _("维修中")
        WAITING_PARTS = "waiting_parts", _("待配件")
        DONE = "done", _("已完工")
        CONFIRMED = "confirmed", _("已确认")
        CLOSED = "closed", _("已关闭")
        MERGED = "merged", _("已合并")
        CANCELLED = "cancelled", _("已撤销")

    class Source(models.TextChoices):
        REPORT = "report", _("报修")
        PREVENTIVE = "preventive", _("预防性维护")
        INSPECTION = "inspection", _("安全检查")

    number = models.CharField(_("工单号"), max_length=20, unique=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    priority = models.PositiveSmallIntegerField(_("优先级"), default=3)  # 1 highest … 5
    description = models.TextField(_("故障描述"))
    building = models.CharField(_("楼栋"), max_length=50, blank=True)
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    room = models.CharField(_("房间"), max_length=50, blank=True)
    location_text = models.CharField(_("位置说明"), max_length=200, blank=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.REPORT
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_work_orders",
        verbose_name=_("报修人"),
    )
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报修单位"),
    )
    equipment = models.ForeignKey(
        Equipment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("设备"),
    )
    duty_record = models.ForeignKey(
        "duties.DutyRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源检查记录"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        verbose_name=_("维修人员"),
    )
    vendor_name = models.CharField(_("外包单位"), max_length=100, blank=True)
    response_due_at = models.DateTimeField(_("响应时限"))
    due_at = models.DateTimeField(_("完成时限"))
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始维修"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完工时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    completion_note = models.TextField(_("维修情况"), blank=True)
    labor_cost = models.DecimalField(_("人工费（元）"), max_digits=10, decimal_places=2, default=0)
    material_cost = models.DecimalField(
        _("材料费（元）"), max_digits=10, decimal_places=2, default=0
    )
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("合并到"),
    )

    class Meta:
        verbose_name = _("维修工单")
        verbose_name_plural = _("维修工单")
        ordering = ["-created_at", "-id"]
        permissions = [("work_workorder", _("处理维修工单（维修人员）"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(labor_cost__gte=0) & Q(material_cost__gte=0),
                name="maint_order_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="maint_order_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=5), name="maint_order_priority"
            ),
            # Closed (or confirmed) only with the completion note (the rule of the issue).
            models.CheckConstraint(
                condition=~Q(status__in=["done", "confirmed", "closed"]) | ~Q(completion_note=""),
                name="maint_order_done_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="maint_order_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("response_due_at")), name="maint_order_due_order"
            ),
        ]
        indexes = [
            models.Index(fields=["center", "status"], name="maint_order_center_status"),
            models.Index(fields=["center", "-created_at"], name="maint_order_center_time"),
            models.Index(fields=["assignee", "status"], name="maint_order_assignee"),
        ]

    def __str__(self):
        return self.number

    @property
    def total_cost(self):
        return self.labor_cost + self.material_cost


class WorkOrderEvent(models.Model):
    """One step in a work order's life: the transition, who, when, and a note."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("工单")
    )
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.order} {self.action}"


class WorkOrderPhoto(CenterScopedModel):
    class Stage(models.TextChoices):
        REPORT = "report", _("报修")
        PROGRESS = "progress", _("维修中")
        FINISH = "finish", _("完工")

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="photos", verbose_name=_("工单")
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    image = models.ImageField(_("照片"), upload_to=work_order_photo_path, max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("工单照片")
        verbose_name_plural = _("工单照片")
        ordering = ["id"]

    def __str__(self):
        return Path(self.image.name).name


class MaterialUse(models.Model):
    """Materials used on a work order; their sum is the order's material cost."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="materials", verbose_name=_("工单")
    )
    name = models.CharField(_("材料名称"), max_length=100)
    spec = models.CharField(_("规格"), max_length=50, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    unit_price = models.DecimalField(_("单价（元）"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    added_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0) & Q(amount__gte=0),
                name="maint_material_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class Finding(CenterScopedModel):
    """A problem found by a safety inspection: who must fix it, by when, and its closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        RECTIFIED = "rectified", _("已整改")
        CLOSED = "closed", _("已销号")

    area = models.CharField(_("区域/部位"), max_length=100)
    description = models.TextField(_("问题描述"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="safety_findings",
        verbose_name=_("整改责任人"),
    )
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    rectification = models.TextField(_("整改情况"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("销号人"),
    )
    duty_record = models.ForeignKey(
        "duties.DutyRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源检查记录"),
    )
    work_order = models.ForeignKey(
        WorkOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("维修工单"),
    )
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发现人"),
    )

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["status", "deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["rectified", "closed"]) | ~Q(rectification=""),
                name="maint_finding_rectified_has_note",
            )
        ]

    def __str__(self):
        return f"{self.area}：{self.description[:20]}"


class FindingPhoto(CenterScopedModel):
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="photos", verbose_name=_("问题")
    )
    stage = models.CharField(
        _("阶段"), max_length=16, choices=[("found", _("发现")), ("rectified", _("整改后"))]
    )
    image = models.ImageField(_("照片"), upload_to=finding_photo_path, max_length=200)

    class Meta:
        verbose_name = _("问题照片")
        verbose_name_plural = _("问题照片")
        ordering = ["id"]

    def __str__(self):
        return Path(self.image.name).name
