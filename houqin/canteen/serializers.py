"""Serializers of the canteen API (/api/v1/canteen/…).

Input serializers only parse the shape of the input (Chinese messages); the rules (cut-off,
limits, balance, pickup) live in the services, whose ValidationError the view turns into a 400
with field errors. Choice fields are plain strings with a help text (no enum components, so no
enum-name collisions in the schema). Money is a string with two decimals, in 元.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import LedgerEntry, MealOrder, MealOrderLine, MenuItem
from .services.orders import MAX_QUANTITY

QR_PREFIX = "HQMEAL:"
KEY_MAX = 100

_MEAL_HELP = _("breakfast 早餐；lunch 午餐；dinner 晚餐")
_ORDER_STATUS_HELP = _("placed 待取餐；collected 已领取；uncollected 未领取；cancelled 已取消")


def _money(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


class CanteenMenuRefSerializer(serializers.Serializer):
    """餐次：{id, date, meal, meal_display, name}。"""

    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    meal = serializers.CharField(read_only=True, help_text=_MEAL_HELP)
    meal_display = serializers.CharField(source="get_meal_display", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True, help_text=_("如“11月25日午餐”"))


# ------------------------------------------------------------------ menus


class CanteenMenuItemSerializer(serializers.ModelSerializer):
    dish = serializers.IntegerField(source="dish_id", read_only=True)
    dish_name = serializers.CharField(source="dish.name", read_only=True)
    category = serializers.CharField(
        source="dish.category",
        read_only=True,
        help_text=_(
            "set_meal 套餐；meat 荤菜；vegetable 素菜；staple 主食；soup 汤品；snack 点心；"
            "drink 饮品；other 其他"
        ),
    )
    category_display = serializers.CharField(source="dish.get_category_display", read_only=True)
    price = _money(help_text=_("当天价格（元）"))
    allergens = serializers.CharField(source="dish.allergens", read_only=True)
    notes = serializers.CharField(source="dish.notes", read_only=True)
    photo = serializers.SerializerMethodField(help_text=_("菜品照片地址；无照片为 null"))
    daily_limit = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("限量（份）；null 不限量")
    )
    remaining = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("剩余份数；null 不限量")
    )

    class Meta:
        model = MenuItem
        fields = [
            "id",
            "dish",
            "dish_name",
            "category",
            "category_display",
            "price",
            "allergens",
            "notes",
            "photo",
            "daily_limit",
            "remaining",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_photo(self, item):
        photo = item.dish.photo
        return photo.url if photo else None


class CanteenOrderBriefSerializer(serializers.Serializer):
    """本人在该餐次的订单。"""

    id = serializers.IntegerField(read_only=True)
    pickup_code = serializers.CharField(read_only=True, help_text=_("6 位取餐码"))
    status = serializers.CharField(read_only=True, help_text=_ORDER_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    total = _money()


class CanteenMenuCardSerializer(serializers.Serializer):
    """一天的一个餐次：菜品、截止时间、能否订餐及本人的订单。"""

    id = serializers.IntegerField(source="menu.pk", read_only=True)
    date = serializers.DateField(source="menu.date", read_only=True)
    meal = serializers.CharField(source="menu.meal", read_only=True, help_text=_MEAL_HELP)
    meal_display = serializers.CharField(source="menu.get_meal_display", read_only=True)
    name = serializers.CharField(source="menu.__str__", read_only=True)
    note = serializers.CharField(source="menu.note", read_only=True)
    cutoff = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("订餐截止时间（北京时间）")
    )
    can_order = serializers.BooleanField(read_only=True, help_text=_("现在能否订餐、改单"))
    closed_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("不能订餐的原因；能订餐时为 null")
    )
    items = CanteenMenuItemSerializer(many=True, read_only=True)
    order = CanteenOrderBriefSerializer(
        read_only=True, allow_null=True, help_text=_("本人的订单；未订为 null")
    )


class CanteenWeekQuerySerializer(serializers.Serializer):
    week = serializers.DateField(
        required=False,
        help_text=_("该周内任一天（YYYY-MM-DD），默认本周"),
        error_messages={"invalid": _("请填写有效的日期（YYYY-MM-DD）。")},
    )


# ------------------------------------------------------------------ orders


class CanteenOrderLineSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    dish_name = serializers.CharField(source="item.dish.name", read_only=True)
    unit_price = _money()
    amount = _money()

    class Meta:
        model = MealOrderLine
        fields = ["id", "item", "dish_name", "quantity", "unit_price", "amount"]
        read_only_fields = fields


class CanteenOrderSerializer(serializers.ModelSerializer):
    menu = CanteenMenuRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_ORDER_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    total = _money(help_text=_("金额（元）"))
    pickup_qr = serializers.SerializerMethodField(help_text=_("取餐二维码的内容"))
    lines = CanteenOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = MealOrder
        fields = [
            "id",
            "menu",
            "status",
            "status_display",
            "total",
            "pickup_code",
            "pickup_token",
            "pickup_qr",
            "lines",
            "created_at",
            "collected_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_pickup_qr(self, order):
        return QR_PREFIX + order.pickup_token


class CanteenOrderResultSerializer(CanteenOrderSerializer):
    """下单、改单、取消的结果：订单及此后的餐卡余额。"""

    balance_after = serializers.SerializerMethodField(help_text=_("此后的餐卡余额（元）"))

    class Meta(CanteenOrderSerializer.Meta):
        fields = [*CanteenOrderSerializer.Meta.fields, "balance_after"]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_balance_after(self, order):
        return f"{self.context['balance']:.2f}"


class CanteenOrderLineInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1,
        help_text=_("菜单菜品 ID（菜单接口 items[].id）"),
        error_messages={
            "required": _("请选择菜品。"),
            "invalid": _("菜品 ID 必须是整数。"),
            "min_value": _("菜品 ID 无效。"),
        },
    )
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text=_("份数（1–20）"),
        error_messages={
            "required": _("请填写份数。"),
            "invalid": _("份数必须是整数。"),
            "min_value": _("份数须在 1 到 20 之间。"),
            "max_value": _("份数须在 1 到 20 之间。"),
        },
    )


class CanteenOrderChangeSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=CanteenOrderLineInputSerializer(),
        allow_empty=False,
        max_length=50,
        help_text=_("菜品及份数；同一菜品出现多次时份数相加"),
        error_messages={
            "required": _("请至少选择一样菜品。"),
            "empty": _("请至少选择一样菜品；要退订请使用取消接口。"),
            "not_a_list": _("菜品须为列表。"),
            "max_length": _("菜品不能超过 50 项。"),
        },
    )

    def lines(self):
        return [(row["item"], row["quantity"]) for row in self.validated_data["items"]]


class CanteenOrderCreateSerializer(CanteenOrderChangeSerializer):
    menu = serializers.IntegerField(
        min_value=1,
        help_text=_("餐次（菜单）ID"),
        error_messages={
            "required": _("请选择餐次。"),
            "invalid": _("餐次 ID 必须是整数。"),
            "min_value": _("餐次不存在。"),
        },
    )
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=KEY_MAX,
        help_text=_("请求编号；也可放在 Idempotency-Key 请求头中（优先）"),
        error_messages={"max_length": _("请求编号不能超过 100 个字符。")},
    )


# ------------------------------------------------------------------ wallet


class CanteenWalletSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("尚未开户为 null"))
    holder = serializers.CharField(read_only=True, help_text=_("持卡人"))
    balance = _money(help_text=_("余额（元）"))
    status = serializers.CharField(read_only=True, help_text=_("open 正常；closed 已销户"))
    status_display = serializers.CharField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CanteenLedgerEntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text=_("topup 充值；charge 消费；refund 退款；adjustment 调账；payout 销户退余额"),
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    method = serializers.CharField(
        read_only=True,
        help_text=_(
            "cash 现金；transfer 银行转账；subsidy 餐费补贴；online 在线支付；order 订餐；"
            "counter 窗口消费；manual 人工调整"
        ),
    )
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    amount = _money(help_text=_("金额（元）：收入为正，支出为负"))
    balance_after = _money(help_text=_("发生后余额（元）"))
    order = serializers.IntegerField(source="order_id", read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "created_at",
            "kind",
            "kind_display",
            "method",
            "method_display",
            "amount",
            "balance_after",
            "reason",
            "order",
        ]
        read_only_fields = fields


# ------------------------------------------------------------------ pickup


class CanteenPickupVerifySerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=100,
        trim_whitespace=True,
        help_text=_("6 位取餐码，或扫描二维码得到的内容"),
        error_messages={
            "required": _("请输入取餐码或扫描二维码。"),
            "blank": _("请输入取餐码或扫描二维码。"),
            "max_length": _("取餐码无效：没有找到该订单。"),
        },
    )
    menu = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("餐次（菜单）ID；输入 6 位取餐码时不填则为当前餐次，扫二维码时不需要"),
        error_messages={"invalid": _("餐次 ID 必须是整数。"), "min_value": _("餐次不存在。")},
    )


class CanteenPickupLineSerializer(serializers.Serializer):
    dish_name = serializers.CharField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)


class CanteenPickupResultSerializer(serializers.Serializer):
    result = serializers.CharField(
        read_only=True,
        help_text=_("collected 本次领取成功；already_collected 此前已领取（重复扫码）"),
    )
    message = serializers.CharField(read_only=True, help_text=_("给窗口人员看的提示"))
    order = serializers.IntegerField(read_only=True)
    collected_at = serializers.DateTimeField(read_only=True)
    person = serializers.CharField(read_only=True, help_text=_("订餐人姓名"))
    agency = serializers.CharField(read_only=True, help_text=_("订餐人单位"))
    menu = CanteenMenuRefSerializer(read_only=True)
    lines = CanteenPickupLineSerializer(many=True, read_only=True)
