"""Staff phone pages (订餐): this week's menus, ordering, my orders with the pickup code and QR
code, my wallet (balance, statement, online top-up).

Everyone signed in may use them for themselves; every object comes from a selector scoped to
the user's own person, so anybody else's order is a 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.scoping import user_person

from ..forms.staff import OrderForm, TopupForm, new_key
from ..models import LedgerEntry, MealOrder, Menu
from ..models.menus import MEAL_ORDER, Meal
from ..payments import ProviderUnavailable, get_provider
from ..qr import order_qr_svg
from ..selectors import (
    ledger_for,
    menu_items,
    menus_for,
    my_orders,
    my_wallet,
    week_cards,
    week_start,
)
from ..services import orders as order_services
from ..services import wallets as wallet_services

PAGE_SIZE = 20
NO_PERSON = _l(
    "您的账号未关联人员信息，暂不能订餐或使用餐卡。请联系本中心管理员在“人员”中关联账号。"
)


def _no_person_message(request):
    messages.warning(request, NO_PERSON)


def _meal_rank():
    return Case(
        *[When(menu__meal=meal, then=Value(rank)) for meal, rank in MEAL_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# ------------------------------------------------------------------ week


def _parse_week(request, today):
    raw = request.GET.get("week", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示本周。"))
    return today


@login_required
def home(request):
    """This week's menus as day cards, with the user's own orders."""
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    start = week_start(_parse_week(request, today))
    person = user_person(user)
    if person is None:
        _no_person_message(request)
    days = week_cards(user, start, now=now)
    wallet = my_wallet(user) if person is not None else None
    return render(
        request,
        "canteen/staff/home.html",
        {
            "days": list(days.items()),
            "start": start,
            "end": start + dt.timedelta(days=6),
            "prev_week": start - dt.timedelta(days=7),
            "next_week": start + dt.timedelta(days=7),
            "this_week": week_start(today),
            "today": today,
            "person": person,
            "wallet": wallet,
            "active_menu": "canteen_home",
        },
    )


# ------------------------------------------------------------------ ordering


@login_required
def order_place(request, pk):
    """Order a meal (or change the order already placed for it) and pay from the wallet."""
    user = request.user
    now = timezone.now()
    menu = get_object_or_404(
        menu_items(menus_for(user).filter(status=Menu.Status.PUBLISHED)), pk=pk
    )
    person = user_person(user)
    order = None
    if person is not None:
        order = my_orders(user).filter(menu=menu).exclude(status=MealOrder.Status.CANCELLED).first()
    if order is not None and order.status != MealOrder.Status.PLACED:
        messages.info(request, _("该订单%(s)s，不能再修改。") % {"s": order.get_status_display()})
        return redirect("canteen:order_detail", pk=order.pk)
    quantities = {line.item_id: line.quantity for line in order.lines.all()} if order else {}
    form = OrderForm(
        request.POST or None,
        items=menu.items.all(),
        quantities=quantities,
        editing=order is not None,
    )
    if request.method == "POST":
        if person is None:
            form.add_error(None, str(NO_PERSON))
        elif form.is_valid():
            key = form.cleaned_data["idempotency_key"]
            try:
                if order is not None and order.idempotency_key != key:
                    order = order_services.meal_order_change(
                        actor=user, order=order, lines=form.lines(), now=now
                    )
                    done = _("订单已修改，合计 %(t)s 元，差额已在餐卡结算。")
                else:
                    # A new order, or the same form submitted twice: the idempotency key
                    # makes the service return the first order without charging again.
                    order = order_services.meal_order_place(
                        actor=user, menu=menu, lines=form.lines(), idempotency_key=key, now=now
                    )
                    done = _("订餐成功：已从餐卡扣款 %(t)s 元，取餐码 %(c)s。")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done % {"t": order.total, "c": order.pickup_code})
                return redirect("canteen:order_detail", pk=order.pk)
    slot = order_services.slot_for(menu)
    return render(
        request,
        "canteen/staff/order_form.html",
        {
            "menu": menu,
            "order": order,
            "form": form,
            "person": person,
            "wallet": my_wallet(user) if person is not None else None,
            "cutoff": order_services.cutoff_at(slot, menu.date) if slot else None,
            "closed_reason": order_services.ordering_closed_reason(menu, slot, now),
            "active_menu": "canteen_home",
        },
    )


def _own_order(request, pk):
    return get_object_or_404(my_orders(request.user), pk=pk)


@login_required
def order_detail(request, pk):
    order = _own_order(request, pk)
    now = timezone.now()
    slot = order_services.slot_for(order.menu)
    cutoff = order_services.cutoff_at(slot, order.menu.date) if slot else None
    placed = order.status == MealOrder.Status.PLACED
    return render(
        request,
        "canteen/staff/order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "slot": slot,
            "cutoff": cutoff,
            "can_cancel": placed and (cutoff is None or now < cutoff),
            "can_change": placed
            and order_services.ordering_closed_reason(order.menu, slot, now) is None,
            "active_menu": "canteen_orders",
        },
    )


@login_required
def order_qr(request, pk):
    """The order's QR code (SVG), for its owner only; never cached by a shared cache."""
    order = _own_order(request, pk)
    response = HttpResponse(order_qr_svg(order), content_type="image/svg+xml")
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def order_cancel(request, pk):
    order = _own_order(request, pk)
    try:
        order = order_services.meal_order_cancel(
            actor=request.user, order=order, now=timezone.now()
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已取消%(m)s的订餐，%(t)s 元已退回餐卡。") % {"m": order.menu, "t": order.total},
        )
    return redirect("canteen:order_detail", pk=order.pk)


@login_required
def my_orders_page(request):
    """Upcoming orders (still to collect) and, paginated, everything else."""
    user = request.user
    if user_person(user) is None:
        _no_person_message(request)
    today = timezone.localdate()
    orders = my_orders(user).annotate(meal_rank=_meal_rank())
    coming = Q(menu__date__gte=today, status=MealOrder.Status.PLACED)
    upcoming = list(orders.filter(coming).order_by("menu__date", "meal_rank", "id")[:100])
    past = _page(request, orders.exclude(coming).order_by("-menu__date", "-meal_rank", "-id"))
    return render(
        request,
        "canteen/staff/my_orders.html",
        {"upcoming": upcoming, "page": past, "active_menu": "canteen_orders"},
    )


# ------------------------------------------------------------------ wallet


def _statement_export(request, wallet, entries):
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        model="canteen.LedgerEntry",
        rows=entries.count(),
        filters={"wallet": wallet.pk},
    )
    columns = [
        Column("time", _("时间"), width=18),
        Column("kind", _("类型"), width=10),
        Column("method", _("方式"), width=10),
        Column("amount", _("金额（元）"), width=12),
        Column("balance", _("余额（元）"), width=12),
        Column("reason", _("摘要"), width=36),
    ]
    rows = [
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
            e.get_kind_display(),
            e.get_method_display(),
            e.amount,
            e.balance_after,
            e.reason,
        ]
        for e in entries.order_by("created_at", "id")
    ]
    return xlsx_response(build_workbook(_("餐卡流水"), columns, rows), _("餐卡流水"))


def _wallet_page(request, form, status=200):
    user = request.user
    person = user_person(user)
    wallet = my_wallet(user) if person is not None else None
    entries = ledger_for(user, wallet) if wallet is not None else LedgerEntry.objects.none()
    if wallet is not None and request.GET.get("format") == "xlsx":
        return _statement_export(request, wallet, entries)
    return render(
        request,
        "canteen/staff/my_wallet.html",
        {
            "person": person,
            "wallet": wallet,
            "page": _page(request, entries.order_by("-created_at", "-id")),
            "form": form,
            "provider": get_provider(),
            "active_menu": "canteen_wallet",
        },
        status=status,
    )


@login_required
def my_wallet_page(request):
    if user_person(request.user) is None:
        _no_person_message(request)
    return _wallet_page(request, TopupForm())


@login_required
@require_POST
def online_topup(request):
    """Start an online top-up: a pending payment, then off to the provider's cashier page."""
    person = user_person(request.user)
    if person is None:
        _no_person_message(request)
        return redirect("canteen:my_wallet")
    form = TopupForm(request.POST)
    if form.is_valid():
        provider = get_provider()
        try:
            provider.check_enabled()
            wallet = wallet_services.wallet_get_or_open(person=person)
            payment = wallet_services.online_payment_start(
                actor=request.user,
                wallet=wallet,
                amount=form.cleaned_data["amount"],
                provider=provider.code,
            )
            url = provider.start(payment, request)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ProviderUnavailable as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(url)
    return _wallet_page(request, form)


# ------------------------------------------------------------------ several days at once


@login_required
def order_week(request):
    """One meal (lunch by default) for several days of a week in one go: a dish and a quantity
    per day; each day becomes its own order, so a day sold out does not stop the others."""
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    start = week_start(_parse_week(request, today))
    meal = request.GET.get("meal") or request.POST.get("meal") or "lunch"
    if meal not in MEAL_ORDER:
        meal = "lunch"
    person = user_person(user)
    if person is None:
        _no_person_message(request)
        return redirect("canteen:home")
    cards = [
        card
        for cards in week_cards(user, start, now=now).values()
        for card in cards
        if card.menu.meal == meal and card.can_order and card.order is None
    ]
    errors = {}
    if request.method == "POST":
        choices = []
        for card in cards:
            item = request.POST.get(f"item_{card.menu.pk}", "")
            if not item:
                continue
            try:
                quantity = int(request.POST.get(f"qty_{card.menu.pk}") or 1)
            except ValueError:
                quantity = 0
            if not 1 <= quantity <= order_services.MAX_QUANTITY:
                errors[card.menu.pk] = _("份数须在 1 到 20 之间。")
                continue
            choices.append((card.menu, [(item, quantity)]))
        if not choices and not errors:
            messages.warning(request, _("请至少为一天选择菜品。"))
        elif not errors:
            try:
                results = order_services.meal_orders_place_many(
                    actor=user,
                    choices=choices,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                    now=now,
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                placed = [r for r in results if r.order is not None]
                if placed:
                    total = sum((r.order.total for r in placed), start=0)
                    messages.success(
                        request,
                        _("已订 %(n)s 天，共从餐卡扣款 %(t)s 元。")
                        % {"n": len(placed), "t": f"{total:.2f}"},
                    )
                for r in results:
                    if r.error:
                        messages.error(request, f"{r.menu}：{r.error}")
                return redirect(f"{reverse('canteen:home')}?week={start:%Y-%m-%d}")
    return render(
        request,
        "canteen/staff/order_week.html",
        {
            "cards": cards,
            "meal": meal,
            "meals": [(m, label) for m, label in Meal.choices],
            "start": start,
            "end": start + dt.timedelta(days=6),
            "errors": errors,
            "posted": request.POST,
            "idempotency_key": request.POST.get("idempotency_key") or new_key(),
            "wallet": my_wallet(user),
            "active_menu": "canteen_home",
        },
    )


urlpatterns = [
    path("", home, name="home"),
    path("menus/<int:pk>/order/", order_place, name="order_place"),
    path("week-order/", order_week, name="order_week"),
    path("orders/", my_orders_page, name="my_orders"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/qr.svg", order_qr, name="order_qr"),
    path("orders/<int:pk>/cancel/", order_cancel, name="order_cancel"),
    path("wallet/", my_wallet_page, name="my_wallet"),
    path("wallet/topup/", online_topup, name="online_topup"),
]
