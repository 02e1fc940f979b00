"""Organisation tree, people, ranks, login accounts and role assignments."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from houqin.core.crypto import EncryptedCharField, mask_id_number, mask_phone
from houqin.core.models import CenterScopedModel, TimeStampedModel
from houqin.core.roles import Role


class OrganLevel(models.TextChoices):
    """Level of a party/government organ; drives office-area standards (DOMAIN.md §1)."""

    CENTRAL = "central", _("中央机关")
    PROVINCIAL = "provincial", _("省级机关")
    CITY = "city", _("市级机关")
    COUNTY = "county", _("县级机关")


class OrgUnit(MP_Node, TimeStampedModel):
    """One node of the tree: a center (root, the tenant), an agency it serves, or a section.

    Materialised paths (django-treebeard) give ancestor/descendant queries as one indexed
    `path LIKE 'prefix%'` lookup. `center` is denormalised for plain tenant scoping.
    """

    class Kind(models.TextChoices):
        CENTER = "center", _("后勤服务中心")
        AGENCY = "agency", _("部门/单位")
        SECTION = "section", _("股室")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("编码"), max_length=40, blank=True)
    organ_level = models.CharField(
        _("机关层级"), max_length=16, choices=OrganLevel.choices, default=OrganLevel.COUNTY
    )
    center = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属中心"),
    )
    # A district center may report to a city-level center in the same installation. The
    # upper center sees its subordinates' aggregate figures (reports), never their records:
    # every row stays scoped to its own center.
    upper_center = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinate_centers",
        limit_choices_to={"kind": "center"},
        verbose_name=_("上级中心"),
    )
    establishment = models.PositiveIntegerField(_("编制数"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    node_order_by = None

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        constraints = [
            # Centers are roots; everything else lives under a center.
            models.CheckConstraint(
                condition=(Q(kind="center") & Q(depth=1)) | (~Q(kind="center") & Q(depth__gt=1)),
                name="org_orgunit_center_is_root",
            ),
            models.CheckConstraint(
                condition=Q(kind="center") | Q(center__isnull=False),
                name="org_orgunit_has_center",
            ),
            models.CheckConstraint(
                condition=Q(upper_center__isnull=True)
                | (Q(kind="center") & ~Q(upper_center=models.F("pk"))),
                name="org_orgunit_upper_center_of_center",
            ),
            models.UniqueConstraint(
                fields=["center", "code"],
                condition=~Q(code=""),
                name="org_orgunit_unique_code_per_center",
            ),
            models.UniqueConstraint(
                fields=["center", "kind", "name"],
                condition=Q(kind="agency"),
                name="org_orgunit_unique_agency_name",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def center_id_value(self):
        return self.pk if self.kind == self.Kind.CENTER else self.center_id

    def get_additional_data(self):
        return {"center_id": self.center_id_value}


class CenterManager(MP_NodeManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OrgUnit.Kind.CENTER)


class AgencyManager(MP_NodeManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OrgUnit.Kind.AGENCY)


class SectionManager(MP_NodeManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OrgUnit.Kind.SECTION)


class Center(OrgUnit):
    """机关后勤服务中心: the tenant. Domain rows point here through CenterScopedModel."""

    objects = CenterManager()

    class Meta:
        proxy = True
        verbose_name = _("后勤服务中心")
        verbose_name_plural = _("后勤服务中心")


class Agency(OrgUnit):
    objects = AgencyManager()

    class Meta:
        proxy = True
        verbose_name = _("部门/单位")
        verbose_name_plural = _("部门/单位")


class Section(OrgUnit):
    objects = SectionManager()

    class Meta:
        proxy = True
        verbose_name = _("股室")
        verbose_name_plural = _("股室")


class Rank(TimeStampedModel):
    """职级 configuration, per organ level (seeded from DOMAIN.md §1, editable)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    organ_level = models.CharField(_("机关层级"), max_length=16, choices=OrganLevel.choices)
    seniority = models.PositiveSmallIntegerField(_("排序（高者在前）"), default=0)
    is_leadership = models.BooleanField(_("领导职务"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("职级")
        verbose_name_plural = _("职级")
        ordering = ["organ_level", "-seniority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organ_level", "name"], name="org_rank_unique_name")
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A login account. Belongs to a center; roles come from RoleAssignment in that center."""

    center = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.CENTER},
        verbose_name=_("所属中心"),
    )
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        permissions = [("manage_accounts", _("管理账号与角色"))]

    def __str__(self):
        person = getattr(self, "person", None)
        return f"{person.name}（{self.username}）" if person else self.username

    def get_additional_data(self):
        return {"center_id": self.center_id}

    @property
    def display_name(self):
        person = getattr(self, "person", None)
        return person.name if person else (self.get_full_name() or self.username)


class Person(CenterScopedModel):
    """干部职工: a member of staff of an agency or of the center itself."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class EmploymentType(models.TextChoices):
        CIVIL = "civil", _("在编")
        CONTRACT = "contract", _("聘用")
        OUTSOURCED = "outsourced", _("外包")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        TRANSFERRED = "transferred", _("调离")
        RETIRED = "retired", _("退休")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    agency = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("所在单位"),
    )
    section = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section_people",
        verbose_name=_("股室"),
    )
    rank = models.ForeignKey(
        Rank, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("职级")
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    employment_type = models.CharField(
        _("用工性质"),
        max_length=16,
        choices=EmploymentType.choices,
        default=EmploymentType.CIVIL,
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    # HMAC of the ID number: unique per center and searchable without decrypting.
    id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_date = models.DateField(_("状态变更日期"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["agency__path", "name", "id"]
        permissions = [
            ("import_person", _("导入人员")),
            ("export_person", _("导出人员")),
            ("view_person_sensitive", _("查看完整手机号和身份证号")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="org_person_unique_id_number",
            ),
            models.UniqueConstraint(
                fields=["center", "name", "phone"],
                condition=~Q(phone=""),
                name="org_person_unique_name_phone",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_date__isnull=False),
                name="org_person_status_date_required",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "status"], name="org_person_center_status"),
            models.Index(fields=["center", "name"], name="org_person_center_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class RoleAssignment(TimeStampedModel):
    """A user holds `role` in `center`. Several roles per user are normal."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("账号")
    )
    center = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.CENTER},
        verbose_name=_("中心"),
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("授予人"),
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "center", "role"], name="org_roleassignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def get_additional_data(self):
        return {"center_id": self.center_id}
