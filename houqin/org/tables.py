import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from houqin.core.roles import Role

from .models import OrgUnit, Person, User


class PersonTable(tables.Table):
    name = tables.LinkColumn("org:person_detail", args=[tables.A("pk")], verbose_name=_("姓名"))
    gender = tables.Column(verbose_name=_("性别"))
    agency = tables.Column(verbose_name=_("所在单位"), order_by=("agency__path",))
    section = tables.Column(verbose_name=_("股室"), default="")
    rank = tables.Column(verbose_name=_("职级"), default="", order_by=("rank__seniority",))
    position = tables.Column(verbose_name=_("职务"))
    employment_type = tables.Column(verbose_name=_("用工性质"))
    phone = tables.Column(verbose_name=_("手机号码"), accessor="masked_phone", orderable=False)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Person
        fields = (
            "name",
            "gender",
            "agency",
            "section",
            "rank",
            "position",
            "employment_type",
            "phone",
            "status",
        )
        order_by = ("agency", "name")

    def render_status(self, record, value):
        css = "success" if record.status == Person.Status.ACTIVE else "secondary"
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)


class OrgUnitTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), orderable=False)
    kind = tables.Column(verbose_name=_("类型"), orderable=False)
    code = tables.Column(verbose_name=_("编码"), orderable=False)
    people_count = tables.Column(verbose_name=_("在职人数"), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("启用"), orderable=False)
    actions = tables.TemplateColumn(
        template_name="org/_unit_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = OrgUnit
        fields = ("name", "kind", "code", "people_count", "is_active")
        order_by = ()

    def render_name(self, record, value):
        indent = max(record.depth - 2, 0)
        return format_html('<span class="tree-indent-{}">{}</span>', min(indent, 5), value)


class AccountTable(tables.Table):
    username = tables.LinkColumn(
        "org:account_detail", args=[tables.A("pk")], verbose_name=_("用户名")
    )
    person = tables.Column(verbose_name=_("姓名"), accessor="person__name", default="")
    agency = tables.Column(verbose_name=_("单位"), accessor="person__agency__name", default="")
    roles = tables.Column(verbose_name=_("角色"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("启用"))
    last_login = tables.DateTimeColumn(verbose_name=_("最近登录"), format="Y-m-d H:i", default="")

    class Meta:
        model = User
        fields = ("username", "person", "agency", "roles", "is_active", "last_login")

    def render_roles(self, record):
        roles = [
            str(Role(ra.role).label)
            for ra in record.role_assignments.all()
            if ra.center_id == record.center_id
        ]
        return "、".join(roles) or "—"
