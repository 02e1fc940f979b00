"""公车: vehicles, drivers and teams, trip requests, dispatched trips, fuel and repair records.

A vehicle and a driver are never on two overlapping active trips: PostgreSQL exclusion
constraints (migration 0002) and, on SQLite, IMMEDIATE transactions with the checks in the
dispatch service. Money is Decimal 元; distances in km.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class DriverTeam(CenterScopedModel):
    """One of the motor pool's driver teams (车队分班), led by a team leader (班长)."""

    name = models.CharField(_("班组"), max_length=30)
    team_leader = models.ForeignKey(
        "fleet.Driver",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("班长"),
    )

    class Meta:
        verbose_name = _("驾驶员班组")
        verbose_name_plural = _("驾驶员班组")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="fleet_team_unique_name")
        ]

    def __str__(self):
        return self.name


class Driver(CenterScopedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="driver",
        verbose_name=_("账号"),
    )
    team = models.ForeignKey(
        DriverTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drivers",
        verbose_name=_("班组"),
    )
    licence_class = models.CharField(_("准驾车型"), max_length=10, default="C1")
    licence_expiry = models.DateField(_("驾驶证有效期至"), null=True, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("驾驶员")
        verbose_name_plural = _("驾驶员")

    def __str__(self):
        return self.user.display_name


class Vehicle(CenterScopedModel):
    class Category(models.TextChoices):
        # 《党政机关公务用车管理办法》(2017) categories, DOMAIN.md §2.
        CONFIDENTIAL = "confidential", _("机要通信用车")
        EMERGENCY = "emergency", _("应急保障用车")
        ENFORCEMENT = "enforcement", _("执法执勤用车")
        SPECIAL = "special", _("特种专业技术用车")
        OTHER = "other", _("其他按规定配备的公务用车")

    class Energy(models.TextChoices):
        GASOLINE = "gasoline", _("汽油")
        DIESEL = "diesel", _("柴油")
        HYBRID = "hybrid", _("插电混动")
        ELECTRIC = "electric", _("纯电动")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("在用")
        REPAIR = "repair", _("维修")
        SEALED = "sealed", _("封存")
        DISPOSED = "disposed", _("已处置")

    plate = models.CharField(_("车牌号"), max_length=12)
    brand_model = models.CharField(_("品牌型号"), max_length=50)
    category = models.CharField(
        _("类别"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    energy = models.CharField(
        _("能源类型"), max_length=16, choices=Energy.choices, default=Energy.GASOLINE
    )
    seats = models.PositiveSmallIntegerField(_("座位数"))
    displacement = models.DecimalField(
        _("排量（升）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    purchase_price = models.DecimalField(
        _("购置价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    purchase_date = models.DateField(_("购置日期"), null=True, blank=True)
    funding_source = models.CharField(_("经费来源"), max_length=50, blank=True)
    owner_agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("编制所属单位"),
    )
    fixed_parking = models.CharField(_("定点停放"), max_length=100, blank=True)
    fixed_fuel_station = models.CharField(_("定点加油"), max_length=100, blank=True)
    fixed_repair_shop = models.CharField(_("定点维修"), max_length=100, blank=True)
    responsible_driver = models.ForeignKey(
        Driver,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任驾驶员"),
    )
    insurance_expiry = models.DateField(_("保险到期"), null=True, blank=True)
    inspection_expiry = models.DateField(_("年检到期"), null=True, blank=True)
    odometer_km = models.DecimalField(
        _("当前里程（公里）"), max_digits=9, decimal_places=1, default=0
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_SERVICE
    )

    class Meta:
        verbose_name = _("公务用车")
        verbose_name_plural = _("公务用车")
        ordering = ["plate"]
        constraints = [
            models.UniqueConstraint(fields=["center", "plate"], name="fleet_vehicle_unique_plate"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="fleet_vehicle_seats"),
            models.CheckConstraint(condition=Q(odometer_km__gte=0), name="fleet_vehicle_odometer"),
        ]

    def __str__(self):
        return f"{self.plate} {self.brand_model}"

    @property
    def is_new_energy(self):
        return self.energy in (self.Energy.HYBRID, self.Energy.ELECTRIC)


class VehicleQuota(CenterScopedModel):
    """车辆编制: how many vehicles of a category a unit may have (actual vs quota = vacancies)."""

    agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    category = models.CharField(_("类别"), max_length=16, choices=Vehicle.Category.choices)
    quota = models.PositiveSmallIntegerField(_("编制数"))

    class Meta:
        verbose_name = _("车辆编制")
        verbose_name_plural = _("车辆编制")
        constraints = [
            models.UniqueConstraint(fields=["agency", "category"], name="fleet_quota_unique")
        ]

    def __str__(self):
        return f"{self.agency} {self.get_category_display()} {self.quota}"


class VehicleSeal(CenterScopedModel):
    """封存: the vehicle may not be dispatched in [starts_at, ends_at) (e.g. a public holiday)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="seals")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    reason = models.CharField(_("原因"), max_length=100)

    class Meta:
        verbose_name = _("封存")
        verbose_name_plural = _("封存")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="fleet_seal_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.vehicle} {self.reason}"


class Trip(CenterScopedModel):
    """A dispatched trip (派车单): one vehicle and driver for one or more merged requests."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已派车")
        IN_PROGRESS = "in_progress", _("出车中")
        COMPLETED = "completed", _("已收车")
        CANCELLED = "cancelled", _("已取消")

    ACTIVE = (Status.SCHEDULED, Status.IN_PROGRESS)

    number = models.CharField(_("派车单号"), max_length=20)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="trips", verbose_name=_("车辆")
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, related_name="trips", verbose_name=_("驾驶员")
    )
    starts_at = models.DateTimeField(_("计划出车"))
    ends_at = models.DateTimeField(_("计划收车"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("调度员"),
    )
    route = models.CharField(_("线路"), max_length=300)
    started_at = models.DateTimeField(_("实际出车"), null=True, blank=True)
    ended_at = models.DateTimeField(_("实际收车"), null=True, blank=True)
    start_odometer = models.DecimalField(
        _("出车里程"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    end_odometer = models.DecimalField(
        _("收车里程"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    tolls = models.DecimalField(_("通行费（元）"), max_digits=9, decimal_places=2, default=0)
    parking = models.DecimalField(_("停车费（元）"), max_digits=9, decimal_places=2, default=0)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("派车单")
        verbose_name_plural = _("派车单")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="fleet_trip_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="fleet_trip_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_odometer__isnull=True) | Q(end_odometer__gte=F("start_odometer")),
                name="fleet_trip_odometer_forward",
            ),
            models.CheckConstraint(
                condition=Q(tolls__gte=0) & Q(parking__gte=0), name="fleet_trip_costs_non_negative"
            ),
            # Vehicle/driver no-overlap exclusion constraints: PostgreSQL, migration 0002.
        ]
        indexes = [models.Index(fields=["center", "starts_at"], name="fleet_trip_center_start")]

    def __str__(self):
        return self.number

    @property
    def km(self):
        if self.start_odometer is None or self.end_odometer is None:
            return None
        return self.end_odometer - self.start_odometer


class TripRequest(CenterScopedModel):
    """用车申请: a member of staff asks for a car for an official purpose."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("待派车")
        REJECTED = "rejected", _("未批准")
        DISPATCHED = "dispatched", _("已派车")
        UNMET = "unmet", _("无车可派")
        CANCELLED = "cancelled", _("已取消")
        COMPLETED = "completed", _("已完成")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trip_requests",
        verbose_name=_("申请人"),
    )
    agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("用车单位")
    )
    purpose = models.CharField(_("公务事由"), max_length=200)
    origin = models.CharField(_("出发地"), max_length=100)
    destination = models.CharField(_("目的地"), max_length=100)
    stops = models.CharField(_("途经"), max_length=200, blank=True)
    passengers = models.PositiveSmallIntegerField(_("乘车人数"))
    passenger_names = models.CharField(_("乘车人"), max_length=200, blank=True)
    departs_at = models.DateTimeField(_("出发时间"))
    returns_at = models.DateTimeField(_("预计返回"))
    needs_driver = models.BooleanField(_("需要驾驶员"), default=True)
    preferred_seats = models.PositiveSmallIntegerField(_("车型（座位）要求"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    trip = models.ForeignKey(
        Trip,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("派车单"),
    )
    unmet_reason = models.CharField(_("未派车原因"), max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用车申请")
        verbose_name_plural = _("用车申请")
        ordering = ["-departs_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returns_at__gt=F("departs_at")),
                name="fleet_request_return_after_depart",
            ),
            models.CheckConstraint(condition=Q(passengers__gt=0), name="fleet_request_passengers"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="fleet_request_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "status", "departs_at"], name="fleet_request_queue"),
            # The request list (no status filter): newest departure first, 50 a page.
            models.Index(fields=["center", "-departs_at"], name="fleet_request_center_depart"),
        ]

    def __str__(self):
        return f"{self.purpose}（{self.destination}）"


class FuelRecord(CenterScopedModel):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="fuel_records")
    date = models.DateField(_("日期"))
    liters = models.DecimalField(_("加油量（升）/充电量（度）"), max_digits=8, decimal_places=2)
    cost = models.DecimalField(_("金额（元）"), max_digits=9, decimal_places=2)
    station = models.CharField(_("加油站"), max_length=100)
    off_fixed_station = models.BooleanField(_("非定点加油"), default=False)
    trip = models.ForeignKey(
        Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="fuel_records"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("加油记录")
        verbose_name_plural = _("加油记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(liters__gt=0) & Q(cost__gte=0), name="fleet_fuel_non_negative"
            )
        ]

    def __str__(self):
        return f"{self.vehicle} {self.date}"


class RepairRecord(CenterScopedModel):
    class Kind(models.TextChoices):
        REPAIR = "repair", _("维修")
        MAINTENANCE = "maintenance", _("保养")
        INSURANCE = "insurance", _("保险")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="repair_records")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("日期"))
    shop = models.CharField(_("维修单位 / 保险公司"), max_length=100)
    description = models.CharField(_("内容"), max_length=300)
    cost = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    off_fixed_shop = models.BooleanField(_("非定点维修"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("维修保养记录")
        verbose_name_plural = _("维修保养记录")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="fleet_repair_cost_non_negative")
        ]

    def __str__(self):
        return f"{self.vehicle} {self.get_kind_display()} {self.date}"


class DriverShift(CenterScopedModel):
    """排班: a driver is on one kind of shift (白班 / 夜班 / 备勤) on a date."""

    class Kind(models.TextChoices):
        DAY = "day", _("白班")
        NIGHT = "night", _("夜班")
        STANDBY = "standby", _("备勤")

    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("驾驶员")
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("班次"), max_length=10, choices=Kind.choices, default=Kind.DAY)
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("驾驶员排班")
        verbose_name_plural = _("驾驶员排班")
        ordering = ["date", "kind", "driver_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "date", "kind"], name="fleet_shift_unique_driver_date_kind"
            )
        ]
        indexes = [models.Index(fields=["center", "date"], name="fleet_shift_center_date")]

    def __str__(self):
        return f"{self.driver} {self.date:%Y-%m-%d} {self.get_kind_display()}"
