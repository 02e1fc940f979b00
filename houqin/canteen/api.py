"""canteen API at /api/v1/canteen/: the week's menus, my orders, my wallet, pickup verification.

Thin views: reads come from the selectors (a user sees only their center's published menus and
only their own orders and wallet; anything else is absent from lists and 404 on detail); each
write is one service call whose Chinese ValidationError becomes a 400 with field errors and
whose PermissionDenied becomes a 403. Nothing is written when the input is refused (the
services are atomic and validate before writing).

Pickup verification is the one endpoint a counter device may call, with its own token
(`Authorization: Device <token>`, see authentication.py); a signed-in user needs
canteen.collect_mealorder.
"""

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.utils import extend_schema_view as schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from houqin.meetings.api import api_error
from houqin.org.scoping import user_person

from .authentication import CanVerifyPickup, DeviceAuthentication, request_device
from .models import LedgerEntry, MealOrder, Menu, Wallet
from .models.menus import Meal
from .selectors import current_menu, ledger_for, my_orders, my_wallet, orderable_menus, week_cards
from .selectors import week_start as monday_of
from .serializers import (
    KEY_MAX,
    CanteenLedgerEntrySerializer,
    CanteenMenuCardSerializer,
    CanteenOrderChangeSerializer,
    CanteenOrderCreateSerializer,
    CanteenOrderResultSerializer,
    CanteenOrderSerializer,
    CanteenPickupResultSerializer,
    CanteenPickupVerifySerializer,
    CanteenWalletSerializer,
    CanteenWeekQuerySerializer,
)
from .services import counter, orders

_TAGS = ["canteen"]
_BAD_REQUEST = OpenApiResponse(description="输入有误、已截止、余量或余额不足等（中文错误信息）")
_FORBIDDEN = OpenApiResponse(description="无权")
_NOT_FOUND = OpenApiResponse(description="不存在或不是本人的")
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise api_error(exc) from None


def _field_error(field, message):
    return exceptions.ValidationError({field: [message]})


# ------------------------------------------------------------------ menus


class CanteenMenuViewSet(viewsets.GenericViewSet):
    queryset = Menu.objects.none()  # model for the schema; requests use the selectors
    serializer_class = CanteenMenuCardSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    @extend_schema(
        summary="一周菜单",
        description=(
            "week 所在周（周一至周日）本中心已发布的菜单：每个餐次的菜品、价格、过敏原、剩余份数、"
            "订餐截止时间、现在能否订餐（不能时给出原因）及本人在该餐次的订单。"
        ),
        tags=_TAGS,
        parameters=[CanteenWeekQuerySerializer],
        responses={200: CanteenMenuCardSerializer(many=True), 400: _BAD_REQUEST},
        filters=False,
    )
    def list(self, request):
        query = CanteenWeekQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("week") or timezone.localdate()
        days = week_cards(request.user, monday_of(day))
        cards = [card for day_cards in days.values() for card in day_cards]
        return Response(CanteenMenuCardSerializer(cards, many=True).data)


# ------------------------------------------------------------------ orders


class CanteenOrderFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="gte", label=gettext_lazy("用餐日期自")
    )
    date_to = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="lte", label=gettext_lazy("用餐日期至")
    )
    meal = django_filters.ChoiceFilter(
        field_name="menu__meal", choices=Meal.choices, label=gettext_lazy("餐次")
    )
    status = django_filters.ChoiceFilter(
        choices=MealOrder.Status.choices, label=gettext_lazy("状态")
    )

    class Meta:
        model = MealOrder
        fields = []


@schema_view(
    list=extend_schema(
        summary="我的订餐",
        description="本人的订单（分页），按用餐日期倒序；可按用餐日期、餐次、状态筛选。",
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="订单详情", tags=_TAGS, responses={200: CanteenOrderSerializer, 404: _NOT_FOUND}
    ),
)
class CanteenOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = MealOrder.objects.none()  # model for the schema
    serializer_class = CanteenOrderSerializer
    filterset_class = CanteenOrderFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return my_orders(self.request.user).order_by("-menu__date", "-created_at", "-pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _respond(self, order, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=order.pk)
        balance = Wallet.objects.values_list("balance", flat=True).get(pk=fresh.wallet_id)
        data = CanteenOrderResultSerializer(fresh, context={"balance": balance}).data
        return Response(data, status=code)

    @extend_schema(
        summary="订餐",
        description=(
            "为本人订一个餐次，从餐卡扣款。须带请求编号（Idempotency-Key 请求头，或请求体 "
            "idempotency_key）：同一编号再次提交返回原订单（200），不会重复扣款。"
            "已截止、节假日不开餐、超出限量、余额不足或已订过该餐次时返回 400 及原因。"
        ),
        tags=_TAGS,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="请求编号（每次新的下单请求一个，重试时不变），不超过 100 个字符",
            )
        ],
        request=CanteenOrderCreateSerializer,
        responses={
            201: CanteenOrderResultSerializer,
            200: OpenApiResponse(
                CanteenOrderResultSerializer, description="重复提交：原订单，未再扣款"
            ),
            400: _BAD_REQUEST,
            403: _FORBIDDEN,
        },
    )
    def create(self, request):
        serializer = CanteenOrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = (
            request.headers.get(IDEMPOTENCY_HEADER)
            or serializer.validated_data.get("idempotency_key")
            or ""
        ).strip()
        if not key:
            raise _field_error(
                "idempotency_key", _("缺少请求编号（Idempotency-Key），请刷新后重试。")
            )
        if len(key) > KEY_MAX:
            raise _field_error("idempotency_key", _("请求编号不能超过 100 个字符。"))
        menu = orderable_menus(request.user).filter(pk=serializer.validated_data["menu"]).first()
        if menu is None:
            raise _field_error("menu", _("餐次不存在。"))
        order = _call(
            orders.meal_order_place,
            actor=request.user,
            menu=menu,
            lines=serializer.lines(),
            idempotency_key=key,
        )
        if getattr(order, "replayed", False):
            return self._respond(order)
        # A new order comes back with its lines and balance: no need to read it again.
        data = CanteenOrderResultSerializer(order, context={"balance": order.balance_after}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改订单",
        description="截止前替换订单的菜品和份数，按当天价格补扣或退还差额。",
        tags=_TAGS,
        request=CanteenOrderChangeSerializer,
        responses={
            200: CanteenOrderResultSerializer,
            400: _BAD_REQUEST,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        order = self.get_object()
        serializer = CanteenOrderChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = _call(
            orders.meal_order_change, actor=request.user, order=order, lines=serializer.lines()
        )
        return self._respond(order)

    @extend_schema(
        summary="取消订单",
        description="截止前取消，金额全额退回餐卡。",
        tags=_TAGS,
        request=None,
        responses={
            200: CanteenOrderResultSerializer,
            400: _BAD_REQUEST,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        order = _call(orders.meal_order_cancel, actor=request.user, order=order)
        return self._respond(order)


# ------------------------------------------------------------------ wallet


class CanteenLedgerFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        method="since", label=gettext_lazy("日期自"), help_text=gettext_lazy("YYYY-MM-DD")
    )
    date_to = django_filters.DateFilter(
        method="until", label=gettext_lazy("日期至"), help_text=gettext_lazy("YYYY-MM-DD")
    )
    kind = django_filters.ChoiceFilter(choices=LedgerEntry.Kind.choices, label=gettext_lazy("类型"))

    class Meta:
        model = LedgerEntry
        fields = []

    # Whole days in Asia/Shanghai, as half-open ranges of the aware created_at.
    def since(self, queryset, name, value):
        return queryset.filter(created_at__gte=orders.aware(value, dt.time.min))

    def until(self, queryset, name, value):
        next_day = value + dt.timedelta(days=1)
        return queryset.filter(created_at__lt=orders.aware(next_day, dt.time.min))


class CanteenWalletViewSet(viewsets.GenericViewSet):
    """/canteen/wallet/ and /canteen/wallet/statement/: the user's own wallet only."""

    queryset = LedgerEntry.objects.none()  # model for the schema
    serializer_class = CanteenLedgerEntrySerializer
    filterset_class = CanteenLedgerFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        wallet = my_wallet(self.request.user)
        if wallet is None:
            return LedgerEntry.objects.none()
        return ledger_for(self.request.user, wallet=wallet).order_by("-created_at", "-pk")

    @extend_schema(
        summary="我的餐卡",
        description="余额与状态。尚未开户（从未充值或订餐）时 id 为 null、余额为 0.00。",
        tags=_TAGS,
        responses={200: CanteenWalletSerializer, 404: _NOT_FOUND},
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="wallet",
        url_name="wallet",
        pagination_class=None,
        filterset_class=None,
    )
    def wallet(self, request):
        person = user_person(request.user)
        if person is None or request.user.center_id is None:
            raise exceptions.NotFound(_("您的账号未关联人员信息，没有餐卡。"))
        wallet = my_wallet(request.user)
        data = {
            "id": wallet.pk if wallet else None,
            "holder": person.name,
            "balance": wallet.balance if wallet else orders.ZERO,
            "status": wallet.status if wallet else Wallet.Status.OPEN,
            "status_display": (wallet.get_status_display() if wallet else Wallet.Status.OPEN.label),
            "closed_at": wallet.closed_at if wallet else None,
        }
        return Response(CanteenWalletSerializer(data).data)

    @extend_schema(
        summary="我的餐卡流水",
        description="本人餐卡的充值、消费、退款、调账记录（分页），按时间倒序。",
        tags=_TAGS,
        responses={200: CanteenLedgerEntrySerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="wallet/statement", url_name="wallet-statement")
    def statement(self, request):
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CanteenLedgerEntrySerializer(page, many=True).data)


# ------------------------------------------------------------------ pickup


class CanteenPickupViewSet(viewsets.GenericViewSet):
    """The pickup counter: a device with its own token, or a user who may hand out meals."""

    queryset = MealOrder.objects.none()  # model for the schema
    serializer_class = CanteenPickupResultSerializer
    authentication_classes = [DeviceAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    permission_classes = [CanVerifyPickup]
    pagination_class = None

    @extend_schema(
        summary="取餐核销",
        description=(
            "输入 6 位取餐码（默认当前餐次，也可指定 menu）或扫描二维码。每份订单只能领取一次："
            "首次返回 result=collected，再次核销返回 result=already_collected 及首次领取时间。"
            "取餐码无效、订单已取消、不是今天的订单或未到取餐时间时返回 400 及原因。"
            "取餐终端使用自己的令牌（Authorization: Device <令牌>），只能调用本接口；"
            "登录用户须有取餐核销权限。"
        ),
        tags=_TAGS,
        request=CanteenPickupVerifySerializer,
        responses={
            200: CanteenPickupResultSerializer,
            400: _BAD_REQUEST,
            401: OpenApiResponse(description="未登录，或终端令牌无效、已停用"),
            403: _FORBIDDEN,
        },
        filters=False,
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        serializer = CanteenPickupVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["code"]
        device = request_device(request)
        center = device.center if device is not None else request.user.center
        menu_id = serializer.validated_data.get("menu")
        if menu_id:
            menu = Menu.objects.filter(center=center, pk=menu_id).first()
            if menu is None:
                raise _field_error("menu", _("餐次不存在。"))
        elif code.isdigit() and len(code) == 6:
            menu = current_menu(center.pk)  # the meal being served now
        else:
            menu = None
        result = _call(
            counter.meal_order_collect,
            actor=None if device is not None else request.user,
            device=device,
            center=center,
            code=code,
            menu=menu,
        )
        order = (
            MealOrder.objects.select_related("person", "agency", "menu")
            .prefetch_related("lines__item__dish")
            .get(pk=result.order.pk)
        )
        collected = timezone.localtime(order.collected_at)
        if result.already:
            message = _("已领取（%(t)s），请勿重复领餐。") % {"t": f"{collected:%H:%M}"}
        else:
            message = _("领取成功：%(n)s") % {"n": order.person.name}
        data = {
            "result": "already_collected" if result.already else "collected",
            "message": message,
            "order": order.pk,
            "collected_at": order.collected_at,
            "person": order.person.name,
            "agency": order.agency.name,
            "menu": order.menu,
            "lines": [
                {"dish_name": line.item.dish.name, "quantity": line.quantity}
                for line in order.lines.all()
            ],
        }
        return Response(CanteenPickupResultSerializer(data).data)


def register(router):
    router.register("canteen/menus", CanteenMenuViewSet, basename="canteen-menu")
    router.register("canteen/orders", CanteenOrderViewSet, basename="canteen-order")
    router.register("canteen/pickup", CanteenPickupViewSet, basename="canteen-pickup")
    router.register("canteen", CanteenWalletViewSet, basename="canteen")
