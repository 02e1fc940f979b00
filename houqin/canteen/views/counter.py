"""取餐核销: the pickup counter (type the 6-digit code or scan the QR code), walk-in sales,
and settling a meal when it is over.

The code input posts through htmx and gets a result fragment back (green 取餐成功, amber 已领取,
red with the reason); without JavaScript the same form posts and the page comes back whole.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.crypto import mask_phone
from houqin.core.forms import apply_errors

from ..forms.counter import VerifyForm, WalkInForm
from ..models import MealOrder, Menu, WalkInSale, Wallet
from ..models.menus import MEAL_ORDER
from ..selectors import current_menu, menus_for, wallets_for
from ..services import counter as counter_services
from ..services import orders as order_services

COLLECT_PERM = "canteen.collect_mealorder"
PEOPLE_LIMIT = 10


def _today_menus(user, today):
    menus = menus_for(user).filter(date=today, status=Menu.Status.PUBLISHED)
    return sorted(menus, key=lambda m: MEAL_ORDER.get(m.meal, 9))


def _pick_menu(user, raw, menus, now):
    """The menu asked for (one of today's), else the meal being served now."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = None
    if pk is not None:
        for menu in menus:
            if menu.pk == pk:
                return menu
    current = current_menu(user.center_id, now)
    return next((m for m in menus if current and m.pk == current.pk), None)


def _tally(menu):
    """Orders ordered / collected / still to collect, and walk-ins, of one meal (2 queries)."""
    if menu is None:
        return None
    S = MealOrder.Status
    counts = menu.orders.exclude(status=S.CANCELLED).aggregate(
        ordered=Count("id"),
        collected=Count("id", filter=Q(status=S.COLLECTED)),
        remaining=Count("id", filter=Q(status=S.PLACED)),
        uncollected=Count("id", filter=Q(status=S.UNCOLLECTED)),
    )
    walk_ins = menu.walk_ins.aggregate(sales=Count("id"), meals=Sum("meals"), amount=Sum("amount"))
    return {**counts, "walk_in_sales": walk_ins["sales"], "walk_in_meals": walk_ins["meals"] or 0}


def _open_wallets(user):
    return wallets_for(user).filter(status=Wallet.Status.OPEN)


def _search_people(user, q):
    """Open wallets of the center whose holder's name or phone matches `q`."""
    q = (q or "").strip()[:50]
    if not q:
        return []
    wallets = _open_wallets(user).filter(
        Q(person__name__icontains=q) | Q(person__phone__contains=q)
    )
    return [
        {"wallet": w, "phone": mask_phone(w.person.phone)}
        for w in wallets.order_by("person__name", "pk")[:PEOPLE_LIMIT]
    ]


def _walk_in_form(user, menu, data=None):
    return WalkInForm(data, wallets=_open_wallets(user), initial={"menu": menu.pk if menu else ""})


def _render(request, *, menu=None, menus=None, result=None, walk_in=None, status=200):
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    if menus is None:
        menus = _today_menus(user, today)
    if menu is None:
        menu = _pick_menu(user, request.GET.get("menu"), menus, now)
    q = request.GET.get("q", "")
    people = _search_people(user, q)
    walk_in = walk_in or _walk_in_form(user, menu)
    chosen = walk_in["wallet"].value() if walk_in.is_bound else None
    if chosen and not any(str(p["wallet"].pk) == str(chosen) for p in people):
        wallet = _open_wallets(user).filter(pk=chosen).first() if str(chosen).isdigit() else None
        if wallet is not None:
            people.insert(0, {"wallet": wallet, "phone": mask_phone(wallet.person.phone)})
    context = {
        "menus": menus,
        "menu": menu,
        "today": today,
        "tally": _tally(menu),
        "verify_form": VerifyForm(initial={"menu": menu.pk if menu else ""}),
        "result": result,
        "walk_in": walk_in,
        "chosen_wallet": str(chosen or ""),
        "people": people,
        "q": q,
        "can_sell": user.has_perm("canteen.add_walkinsale"),
        "can_settle": user.has_perm("canteen.change_menu"),
        "active_menu": "canteen_counter",
    }
    template = "canteen/counter/counter.html"
    if request.htmx and request.method == "GET" and "q" in request.GET:
        template += "#people"
    return render(request, template, context, status=status)


@login_required
@permission_required(COLLECT_PERM, raise_exception=True)
def counter(request):
    return _render(request)


@login_required
@permission_required(COLLECT_PERM, raise_exception=True)
@require_POST
def counter_verify(request):
    """Hand out a meal for a code; the result fragment (htmx) or the whole page."""
    user = request.user
    now = timezone.now()
    menus = _today_menus(user, timezone.localdate(now))
    form = VerifyForm(request.POST)
    form.is_valid()  # both fields are optional: the service explains what is missing
    menu = _pick_menu(user, form.cleaned_data.get("menu"), menus, now)
    code = form.cleaned_data.get("code", "")
    try:
        outcome = counter_services.meal_order_collect(
            actor=user, center=user.center, code=code, menu=menu, now=now
        )
    except ValidationError as exc:
        result = {"kind": "error", "messages": exc.messages, "code": code}
        status = 422
    else:
        order = outcome.order
        result = {
            "kind": "already" if outcome.already else "ok",
            "order": order,
            "lines": list(order.lines.select_related("item__dish")),
            "code": code,
        }
        status = 200
    if request.htmx:
        context = {"result": result, "menu": menu, "tally": _tally(menu)}
        return render(request, "canteen/counter/counter.html#verified", context, status=status)
    return _render(request, menu=menu, menus=menus, result=result, status=status)


@login_required
@permission_required("canteen.add_walkinsale", raise_exception=True)
@require_POST
def walk_in(request):
    user = request.user
    menus = _today_menus(user, timezone.localdate())
    form = _walk_in_form(user, None, request.POST)
    menu = None
    if form.is_valid():
        menu = get_object_or_404(
            menus_for(user).filter(status=Menu.Status.PUBLISHED), pk=form.cleaned_data["menu"]
        )
        data = form.cleaned_data
        try:
            sale = counter_services.walk_in_sale_create(
                actor=user,
                menu=menu,
                amount=data["amount"],
                meals=data["meals"],
                payment=data["payment"],
                wallet=data["wallet"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if sale.payment == WalkInSale.Payment.WALLET:
                done = _("已记录窗口消费：%(n)s %(a)s 元（餐卡扣款）。") % {
                    "n": sale.wallet.person.name,
                    "a": sale.amount,
                }
            else:
                done = _("已记录窗口消费：%(a)s 元（现金）。") % {"a": sale.amount}
            messages.success(request, done)
            return redirect(f"{reverse('canteen:counter')}?menu={menu.pk}")
    else:
        raw = form["menu"].value()
        menu = next((m for m in menus if str(m.pk) == str(raw)), None)
    return _render(request, menu=menu, menus=menus, walk_in=form, status=422)


@login_required
@permission_required("canteen.change_menu", raise_exception=True)
@require_POST
def counter_settle(request, pk):
    """收餐结算: count the orders nobody collected (charged or refunded as the meal says)."""
    menu = get_object_or_404(menus_for(request.user), pk=pk)
    already = menu.settled_at is not None
    try:
        count = counter_services.menu_settle(actor=request.user, menu=menu, now=timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if already:
            messages.info(request, _("%(m)s已于此前结算。") % {"m": menu})
        else:
            slot = order_services.slot_for(menu)
            refunded = slot is not None and not slot.charge_uncollected
            messages.success(
                request,
                (
                    _("%(m)s已收餐结算：未领取 %(n)s 份，已退款到餐卡。")
                    if refunded
                    else _("%(m)s已收餐结算：未领取 %(n)s 份（照常扣费）。")
                )
                % {"m": menu, "n": count},
            )
    return redirect(f"{reverse('canteen:counter')}?menu={menu.pk}")


urlpatterns = [
    path("counter/", counter, name="counter"),
    path("counter/verify/", counter_verify, name="counter_verify"),
    path("counter/walk-in/", walk_in, name="walk_in"),
    path("counter/settle/<int:pk>/", counter_settle, name="counter_settle"),
]
