"""Meal slots, dishes, and menus with their publication (the canteen manager's writes)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_image
from houqin.core.workdays.calendar import days_info, is_workday

from ..models import Dish, MealSlot, Menu, MenuItem
from ..models.menus import Meal
from .common import money, require

SLOT_FIELDS = (
    "serve_from",
    "serve_until",
    "cutoff_days_before",
    "cutoff_time",
    "order_days_ahead",
    "charge_uncollected",
    "is_active",
)
DISH_FIELDS = ("name", "category", "price", "allergens", "notes", "is_active")


# ------------------------------------------------------------------ slots


@transaction.atomic
def meal_slot_save(*, actor, center, meal, **fields) -> MealSlot:
    """Create or update the settings of one meal (serving hours, cut-off, uncollected policy)."""
    require(actor, center.pk, "canteen.change_mealslot")
    if meal not in Meal.values:
        raise ValidationError({"meal": _("请选择餐次。")})
    unknown = set(fields) - set(SLOT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    slot = MealSlot.objects.filter(center=center, meal=meal).first() or MealSlot(
        center=center, meal=meal
    )
    for name, value in fields.items():
        setattr(slot, name, value)
    errors = {}
    for name in ("serve_from", "serve_until", "cutoff_time"):
        if not isinstance(getattr(slot, name), dt.time):
            errors[name] = _("请填写时间。")
    if not errors and slot.serve_until <= slot.serve_from:
        errors["serve_until"] = _("收餐时间须晚于开餐时间。")
    days = slot.cutoff_days_before
    if days is None or not 0 <= days <= 7:
        errors["cutoff_days_before"] = _("截止提前天数须在 0 到 7 之间。")
    elif not errors and days == 0 and slot.cutoff_time > slot.serve_from:
        errors["cutoff_time"] = _("当天截止的餐次，截止时间不能晚于开餐时间。")
    ahead = slot.order_days_ahead
    if ahead is None or not 1 <= ahead <= 31:
        errors["order_days_ahead"] = _("最多提前订餐天数须在 1 到 31 之间。")
    if errors:
        raise ValidationError(errors)
    slot.save()
    return slot


# ------------------------------------------------------------------ dishes


def _clean_dish(center, data, instance=None):
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("请填写菜名。")
    elif len(name) > 50:
        errors["name"] = _("菜名不能超过 50 个字。")
    elif (
        Dish.objects.filter(center=center, name=name)
        .exclude(pk=getattr(instance, "pk", None))
        .exists()
    ):
        errors["name"] = _("已有同名菜品。")
    if data.get("category") not in Dish.Category.values:
        errors["category"] = _("请选择类别。")
    try:
        price = money(
            data.get("price"), "price", positive=False, maximum=Decimal("999"), label=_("价格")
        )
        if price < 0:
            raise ValidationError({"price": _("价格不能为负数。")})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        price = None
    for field, limit, label in (("allergens", 100, _("过敏原")), ("notes", 200, _("说明"))):
        if len((data.get(field) or "").strip()) > limit:
            errors[field] = _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}
    photo = data.get("photo")
    if photo:
        try:
            validate_image(photo)
        except ValidationError as exc:
            errors["photo"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "category": data["category"],
        "price": price,
        "allergens": (data.get("allergens") or "").strip(),
        "notes": (data.get("notes") or "").strip(),
        "is_active": bool(data.get("is_active", True)),
    }


@transaction.atomic
def dish_create(*, actor, center, photo=None, **data) -> Dish:
    require(actor, center.pk, "canteen.add_dish")
    fields = _clean_dish(center, {**data, "photo": photo})
    dish = Dish(center=center, **fields)
    if photo:
        dish.photo = photo
    dish.save()
    return dish


@transaction.atomic
def dish_update(*, actor, dish, photo=None, remove_photo=False, **data) -> Dish:
    """Edit a dish. Its price changes future menus only: a menu item keeps its own price."""
    require(actor, dish.center_id, "canteen.change_dish")
    fields = _clean_dish(dish.center, {**data, "photo": photo}, instance=dish)
    for name, value in fields.items():
        setattr(dish, name, value)
    if photo:
        dish.photo = photo
    elif remove_photo:
        dish.photo = None
    dish.save()
    return dish


# ------------------------------------------------------------------ menus


def _clean_items(center, items):
    """[{"dish": Dish|id, "daily_limit": int|None, "price": Decimal|None}] → validated list."""
    cleaned, seen, errors = [], set(), []
    dish_ids = [i["dish"].pk if isinstance(i["dish"], Dish) else i["dish"] for i in items]
    dishes = Dish.objects.in_bulk([d for d in dish_ids if d])
    for spec, dish_id in zip(items, dish_ids, strict=True):
        dish = dishes.get(dish_id)
        if dish is None or dish.center_id != center.pk:
            errors.append(_("所选菜品不存在。"))
            continue
        if dish.pk in seen:
            errors.append(_("“%(d)s”重复。") % {"d": dish.name})
            continue
        seen.add(dish.pk)
        limit = spec.get("daily_limit")
        if limit in ("", None):
            limit = None
        else:
            try:
                limit = int(limit)
            except (TypeError, ValueError):
                limit = -1
            if not 0 <= limit <= 10000:
                errors.append(_("“%(d)s”的限量须为 0 到 10000 的整数。") % {"d": dish.name})
                continue
        price = spec.get("price")
        try:
            price = (
                dish.price
                if price in (None, "")
                else money(price, "price", positive=False, maximum=Decimal("999"), label=_("价格"))
            )
        except ValidationError:
            errors.append(_("“%(d)s”的价格无效。") % {"d": dish.name})
            continue
        if price < 0:
            errors.append(_("“%(d)s”的价格不能为负数。") % {"d": dish.name})
            continue
        cleaned.append((dish, limit, price))
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


@transaction.atomic
def menu_save(*, actor, center, date, meal, items, note="", holiday_open=False, now=None) -> Menu:
    """Create or replace the dishes of one meal on one day (draft or already published).

    On a published menu a dish that has orders cannot be removed, and a limit cannot drop
    below the portions already ordered (the check constraint would refuse it anyway).
    """
    require(actor, center.pk, "canteen.change_menu")
    if meal not in Meal.values:
        raise ValidationError({"meal": _("请选择餐次。")})
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("请选择日期。")})
    if len(note or "") > 200:
        raise ValidationError({"note": _("备注不能超过 200 个字。")})
    cleaned = _clean_items(center, items)
    menu, created = Menu.objects.select_for_update().get_or_create(
        center=center, date=date, meal=meal
    )
    if created and not cleaned:
        raise ValidationError({"items": _("请至少选择一样菜品。")})
    if menu.status == Menu.Status.CANCELLED:
        raise ValidationError(_("%(m)s已停供，不能再修改。") % {"m": menu})
    if menu.settled_at is not None:
        raise ValidationError(_("%(m)s已收餐结算，不能再修改。") % {"m": menu})
    if menu.status == Menu.Status.PUBLISHED and not cleaned:
        raise ValidationError(
            {"items": _("已发布的菜单至少要保留一样菜品；如不再供应，请办理停供。")}
        )
    current = {i.dish_id: i for i in MenuItem.objects.select_for_update().filter(menu=menu)}
    keep = {dish.pk for dish, _l, _p in cleaned}
    errors = []
    for dish_id, item in current.items():
        if dish_id not in keep:
            if item.order_lines.exists():
                errors.append(_("“%(d)s”已有人订，不能从菜单移除。") % {"d": item.dish.name})
            else:
                item.delete()
    for sort, (dish, limit, price) in enumerate(cleaned):
        item = current.get(dish.pk)
        if item is None:
            MenuItem.objects.create(
                center=center, menu=menu, dish=dish, daily_limit=limit, price=price, sort=sort
            )
            continue
        if limit is not None and limit < item.ordered_count:
            errors.append(
                _("“%(d)s”已订 %(n)s 份，限量不能低于此数。")
                % {"d": dish.name, "n": item.ordered_count}
            )
            continue
        if price != item.price and item.order_lines.exists():
            errors.append(_("“%(d)s”已有人订，不能改价。") % {"d": dish.name})
            continue
        item.daily_limit, item.price, item.sort = limit, price, sort
        item.save(update_fields=["daily_limit", "price", "sort", "updated_at"])
    if errors:
        raise ValidationError({"items": errors})
    menu.note = (note or "").strip()
    menu.holiday_open = bool(holiday_open)
    menu.save(update_fields=["note", "holiday_open", "updated_at"])
    return menu


@transaction.atomic
def menu_publish(*, actor, menu, now=None) -> Menu:
    """Make a draft menu visible and orderable. A menu without dishes cannot be published."""
    require(actor, menu.center_id, "canteen.change_menu")
    menu = Menu.objects.select_for_update().get(pk=menu.pk)
    if menu.status == Menu.Status.PUBLISHED:
        return menu
    if menu.status == Menu.Status.CANCELLED:
        raise ValidationError(_("%(m)s已停供。") % {"m": menu})
    if not menu.items.exists():
        raise ValidationError(_("%(m)s还没有菜品，不能发布。") % {"m": menu})
    if not menu.holiday_open and not is_workday(menu.date):
        raise ValidationError(
            _("%(d)s为节假日，食堂不开餐；如需开餐，请先在菜单中勾选“节假日开餐”。")
            % {"d": f"{menu.date:%m月%d日}"}
        )
    menu.status = Menu.Status.PUBLISHED
    menu.published_at = now or timezone.now()
    menu.published_by = actor
    menu.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return menu


def _closed_days(start: dt.date, days: int = 7) -> set[dt.date]:
    """Days of [start, start + days) that are not workdays (one query)."""
    return {d.date for d in days_info(start, start + dt.timedelta(days=days)) if not d.is_workday}


@transaction.atomic
def menu_week_publish(
    *, actor, center, week_start: dt.date, now=None, notify_staff=False
) -> list[Menu]:
    """Publish every draft menu with dishes in the week starting `week_start`.

    Drafts on a day the canteen is closed (not a workday, not marked 节假日开餐) are left as
    drafts. With `notify_staff`, the center's staff are told once that the menu is out."""
    require(actor, center.pk, "canteen.change_menu")
    closed = _closed_days(week_start)
    drafts = Menu.objects.filter(
        center=center,
        date__range=(week_start, week_start + dt.timedelta(days=6)),
        status=Menu.Status.DRAFT,
        items__isnull=False,
    ).distinct()
    published = [
        menu_publish(actor=actor, menu=m, now=now)
        for m in drafts.order_by("date", "meal")
        if m.holiday_open or m.date not in closed
    ]
    if published and notify_staff:
        _notify_week_published(actor, center, week_start)
    return published


def _notify_week_published(actor, center, week_start):
    from django.urls import NoReverseMatch, reverse

    from houqin.core.notifications.services import notify
    from houqin.org.models import Person, User

    try:
        url = reverse("canteen:home")
    except NoReverseMatch:
        url = reverse("portal:home")
    recipients = User.objects.filter(
        center_id=center.pk, is_active=True, person__status=Person.Status.ACTIVE
    )
    notify(
        recipients=list(recipients),
        kind="canteen.menu_published",
        title=_("%(d)s 起一周的菜单已发布，请在截止时间前订餐。") % {"d": f"{week_start:%m月%d日}"},
        url=url,
        center=center,
        actor=actor,
    )


@transaction.atomic
def menu_week_copy(*, actor, center, source_start: dt.date, target_start: dt.date) -> int:
    """Copy a week's menus (dishes, limits, current dish prices) as drafts into another week.

    Days that already have a menu in the target week are left alone, and so are target days
    the canteen is closed (holidays) unless the source menu was a 节假日开餐 one; dishes no
    longer on sale are dropped. Returns the number of menus created."""
    require(actor, center.pk, "canteen.change_menu")
    if source_start == target_start:
        raise ValidationError(_("源周与目标周相同。"))
    created = 0
    source = Menu.objects.filter(
        center=center, date__range=(source_start, source_start + dt.timedelta(days=6))
    ).exclude(status=Menu.Status.CANCELLED)
    shift = target_start - source_start
    taken = set(
        Menu.objects.filter(
            center=center, date__range=(target_start, target_start + dt.timedelta(days=6))
        ).values_list("date", "meal")
    )
    closed = _closed_days(target_start)
    for menu in source.prefetch_related("items__dish").order_by("date", "meal"):
        day = menu.date + shift
        if (day, menu.meal) in taken or (day in closed and not menu.holiday_open):
            continue
        items = [
            {"dish": i.dish, "daily_limit": i.daily_limit}
            for i in menu.items.all()
            if i.dish.is_active
        ]
        if not items:
            continue
        try:
            with transaction.atomic():
                menu_save(
                    actor=actor,
                    center=center,
                    date=day,
                    meal=menu.meal,
                    items=items,
                    holiday_open=menu.holiday_open,
                )
        except IntegrityError:  # pragma: no cover - created concurrently
            continue
        created += 1
    return created
