"""django-tables2 tables of the food-safety list pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import CanteenWorker, PurchaseInspection, SampleRetention
from ..services.food_safety import CERT_WARNING_DAYS

DISCARD_FORM_ID = "hq-sample-discard"


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def cert_badge(expires, today=None):
    """The health-certificate expiry with a warning when missing, expired or expiring."""
    today = today or timezone.localdate()
    if expires is None:
        return badge("danger", _("未登记"))
    if expires < today:
        return format_html("{} {}", expires.isoformat(), badge("danger", _("已过期")))
    if (expires - today).days < CERT_WARNING_DAYS:
        return format_html("{} {}", expires.isoformat(), badge("warning", _("即将到期")))
    return expires.isoformat()


class WorkerTable(tables.Table):
    name = tables.LinkColumn("canteen:worker_edit", args=[tables.A("pk")], verbose_name=_("姓名"))
    post = tables.Column(verbose_name=_("岗位"))
    employer = tables.Column(verbose_name=_("所属单位"))
    health_cert_no = tables.Column(verbose_name=_("健康证号"))
    health_cert_expires = tables.Column(
        verbose_name=_("健康证有效期至"), empty_values=(), order_by=("health_cert_expires",)
    )
    is_active = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = CanteenWorker
        fields = ("name", "post", "employer", "health_cert_no", "health_cert_expires", "is_active")
        order_by = ("name",)

    def render_health_cert_expires(self, record):
        return cert_badge(record.health_cert_expires)

    def render_is_active(self, value):
        return badge("success", _("在岗")) if value else badge("secondary", _("已离岗"))


class SampleTable(tables.Table):
    date = tables.Column(
        verbose_name=_("日期"), accessor="menu__date", order_by=("menu__date", "menu__meal")
    )
    meal = tables.Column(verbose_name=_("餐次"), accessor="menu__meal", orderable=False)
    dish = tables.Column(verbose_name=_("菜品"), accessor="dish__name", order_by=("dish__name",))
    weight_grams = tables.Column(verbose_name=_("留样量（克）"))
    kept_at = tables.Column(verbose_name=_("留样时间"))
    kept_by = tables.Column(verbose_name=_("留样人"))
    fridge = tables.Column(verbose_name=_("存放冰箱"))
    discard_after = tables.Column(verbose_name=_("可销毁时间"))
    state = tables.Column(verbose_name=_("状态 / 销毁"), empty_values=(), orderable=False)

    class Meta:
        model = SampleRetention
        fields = (
            "date",
            "meal",
            "dish",
            "weight_grams",
            "kept_at",
            "kept_by",
            "fridge",
            "discard_after",
            "state",
        )
        order_by = ("-kept_at",)

    def render_date(self, value):
        return value.isoformat()

    def render_meal(self, record):
        return record.menu.get_meal_display()

    def render_kept_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    def render_discard_after(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    def render_state(self, record):
        if record.discarded_at is not None:
            who = record.discarded_by.display_name if record.discarded_by else ""
            return format_html(
                "{} <span class='small text-body-secondary'>{} {}</span>",
                badge("secondary", _("已销毁")),
                f"{timezone.localtime(record.discarded_at):%m-%d %H:%M}",
                who,
            )
        if record.discard_after > timezone.now():
            return badge("info", _("冷藏中"))
        return format_html(
            '<button type="submit" class="btn btn-sm btn-outline-danger" form="{}" '
            'formaction="{}" data-hq-confirm="{}">{}</button>',
            DISCARD_FORM_ID,
            reverse("canteen:sample_discard", args=[record.pk]),
            _("确认该留样已销毁？"),
            _("登记销毁"),
        )


class PurchaseTable(tables.Table):
    purchased_on = tables.Column(verbose_name=_("进货日期"))
    item_name = tables.Column(verbose_name=_("食品名称"))
    spec = tables.Column(verbose_name=_("规格"))
    quantity = tables.Column(verbose_name=_("数量"))
    production = tables.Column(
        verbose_name=_("生产日期 / 批号"), empty_values=(), order_by=("production_date",)
    )
    expires_on = tables.Column(verbose_name=_("保质期至"))
    supplier_name = tables.Column(verbose_name=_("供货者"))
    supplier_contact = tables.Column(verbose_name=_("联系方式"), orderable=False)
    result = tables.Column(verbose_name=_("查验结果"))
    keep_until = tables.Column(verbose_name=_("记录保存至"))
    inspected_by = tables.Column(verbose_name=_("查验人"), orderable=False)

    class Meta:
        model = PurchaseInspection
        fields = (
            "purchased_on",
            "item_name",
            "spec",
            "quantity",
            "production",
            "expires_on",
            "supplier_name",
            "supplier_contact",
            "result",
            "keep_until",
            "inspected_by",
        )
        order_by = ("-purchased_on",)

    def render_purchased_on(self, value):
        return value.isoformat()

    def render_quantity(self, record):
        return f"{record.quantity.normalize():f} {record.unit}"

    def render_production(self, record):
        parts = [
            record.production_date.isoformat() if record.production_date else "",
            record.batch_no,
        ]
        return " / ".join(p for p in parts if p) or "—"

    def render_expires_on(self, value):
        return value.isoformat()

    def render_keep_until(self, value):
        return value.isoformat()

    def render_result(self, record):
        css = "success" if record.result == PurchaseInspection.Result.ACCEPTED else "danger"
        return badge(css, record.get_result_display())

    def render_inspected_by(self, record):
        return record.inspected_by.display_name
