"""菜单管理 (canteen manager, desktop): dishes, meal settings, the weekly menu grid, one
menu's dishes with limits and prices, publishing and 停供."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.workdays.calendar import days_info, holiday_name, is_workday
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.menus import DishFilter
from ..forms.menus import DishForm, MenuCancelForm, MenuForm, SlotForm
from ..models import Menu
from ..models.menus import MEAL_ORDER, Meal
from ..selectors import dishes_for, menu_items, menus_for, slots_for, week_start
from ..services import menus as services
from ..services import orders as order_services
from ..tables.menus import DishTable

PAGE_SIZE = 50
DISH_PERM = "canteen.change_dish"
SLOT_PERM = "canteen.change_mealslot"
MENU_PERM = "canteen.change_menu"


# ------------------------------------------------------------------ scoped reads


def _parse_day(raw):
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


def _week_of(request):
    day = _parse_day(request.GET.get("week") or request.POST.get("week"))
    if day is None:
        if request.GET.get("week"):
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示本周。"))
        day = timezone.localdate()
    return week_start(day)


def _week_url(monday):
    return f"{reverse('canteen:menu_week')}?week={monday.isoformat()}"


# ------------------------------------------------------------------ dishes


def _export_dishes(request, rows):
    record_export(request, "canteen.Dish", rows=rows.count())
    columns = [
        Column("name", _("菜名"), width=20),
        Column("category", _("类别"), width=10),
        Column("price", _("价格（元）"), width=10),
        Column("allergens", _("过敏原"), width=16),
        Column("notes", _("说明"), width=30),
        Column("active", _("状态"), width=8),
    ]
    data = [
        [
            d.name,
            d.get_category_display(),
            d.price,
            d.allergens,
            d.notes,
            _("在售") if d.is_active else _("停售"),
        ]
        for d in rows
    ]
    return xlsx_response(build_workbook(_("菜品"), columns, data), _("菜品"))


@login_required
@permission_required(DISH_PERM, raise_exception=True)
def dish_list(request):
    filterset = DishFilter(request.GET, queryset=dishes_for(request.user))
    if request.GET.get("export") == "xlsx":
        return _export_dishes(request, filterset.qs.order_by("category", "name", "pk"))
    table = DishTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = (
        "canteen/manage/dish_list.html#results" if request.htmx else "canteen/manage/dish_list.html"
    )
    return render(
        request,
        template,
        {"table": table, "filter": filterset, "active_menu": "canteen_dishes"},
    )


def _dish_page(request, form, dish=None):
    return render(
        request,
        "canteen/manage/dish_form.html",
        {
            "form": form,
            "dish": dish,
            "title": dish.name if dish else _("新增菜品"),
            "active_menu": "canteen_dishes",
        },
    )


@login_required
@permission_required(DISH_PERM, raise_exception=True)
def dish_create(request):
    form = DishForm(request.POST or None, request.FILES or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            dish = services.dish_create(
                actor=request.user,
                center=request.user.center,
                photo=form.cleaned_data["photo"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增菜品“%(d)s”。") % {"d": dish.name})
            return redirect("canteen:dish_list")
    return _dish_page(request, form)


@login_required
@permission_required(DISH_PERM, raise_exception=True)
def dish_edit(request, pk):
    dish = get_object_or_404(dishes_for(request.user), pk=pk)
    has_photo = bool(dish.photo)
    if request.method != "POST":
        initial = {name: getattr(dish, name) for name in DishForm.FIELDS}
        return _dish_page(request, DishForm(initial=initial, has_photo=has_photo), dish)
    form = DishForm(request.POST, request.FILES, has_photo=has_photo)
    if form.is_valid():
        try:
            services.dish_update(
                actor=request.user,
                dish=dish,
                photo=form.cleaned_data["photo"],
                remove_photo=form.cleaned_data.get("remove_photo", False),
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            dish.refresh_from_db()
        else:
            messages.success(request, _("已保存菜品“%(d)s”。") % {"d": dish.name})
            return redirect("canteen:dish_list")
    return _dish_page(request, form, dish)


@login_required
def dish_photo(request, pk):
    """A dish's photo, for anyone of the center (menus show it); never a public URL."""
    dish = get_object_or_404(dishes_for(request.user), pk=pk)
    return serve_file(dish.photo)


# ------------------------------------------------------------------ meal settings


@login_required
@permission_required(SLOT_PERM, raise_exception=True)
def slot_settings(request):
    slots = slots_for(request.user.center_id)
    posted = request.POST.get("meal") if request.method == "POST" else None
    if posted is not None and posted not in Meal.values:
        messages.error(request, _("请选择餐次。"))
        return redirect("canteen:slot_settings")
    forms = {}
    for meal in Meal.values:
        data = request.POST if meal == posted else None
        forms[meal] = SlotForm.for_slot(meal, slots.get(meal), data)
    if posted:
        form = forms[posted]
        if form.is_valid():
            try:
                slot = services.meal_slot_save(
                    actor=request.user,
                    center=request.user.center,
                    meal=posted,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存%(m)s设置。") % {"m": slot.get_meal_display()})
                return redirect("canteen:slot_settings")
    cards = [
        {"meal": meal, "label": label, "form": forms[meal], "slot": slots.get(meal)}
        for meal, label in Meal.choices
    ]
    return render(
        request,
        "canteen/manage/slot_settings.html",
        {"cards": cards, "active_menu": "canteen_slots"},
    )


# ------------------------------------------------------------------ the week


@login_required
@permission_required(MENU_PERM, raise_exception=True)
def menu_week(request):
    monday = _week_of(request)
    if request.method == "POST":
        return _week_action(request, monday)
    sunday = monday + dt.timedelta(days=6)
    menus = {
        (m.date, m.meal): m
        for m in menu_items(menus_for(request.user).filter(date__range=(monday, sunday)))
    }
    slots = slots_for(request.user.center_id)
    days = days_info(monday, sunday + dt.timedelta(days=1))
    meals = [
        {
            "meal": meal,
            "label": label,
            "slot": slots.get(meal),
            "cells": [
                {
                    "day": info.date,
                    "closed": not info.is_workday,
                    "menu": menus.get((info.date, meal)),
                    "url": reverse("canteen:menu_edit", args=[info.date.isoformat(), meal]),
                }
                for info in days
            ],
        }
        for meal, label in sorted(Meal.choices, key=lambda c: MEAL_ORDER[c[0]])
    ]
    drafts = sum(1 for m in menus.values() if m.status == Menu.Status.DRAFT)
    return render(
        request,
        "canteen/manage/menu_week.html",
        {
            "monday": monday,
            "sunday": sunday,
            "days": days,
            "meals": meals,
            "drafts": drafts,
            "today": timezone.localdate(),
            "prev_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "active_menu": "canteen_menus",
        },
    )


def _week_action(request, monday):
    action = request.POST.get("action")
    try:
        if action == "publish":
            published = services.menu_week_publish(
                actor=request.user,
                center=request.user.center,
                week_start=monday,
                notify_staff=bool(request.POST.get("notify")),
            )
            if published:
                messages.success(request, _("已发布 %(n)s 个餐次的菜单。") % {"n": len(published)})
            else:
                messages.info(request, _("本周没有可发布的草稿菜单。"))
        elif action == "copy":
            created = services.menu_week_copy(
                actor=request.user,
                center=request.user.center,
                source_start=monday - dt.timedelta(days=7),
                target_start=monday,
            )
            if created:
                messages.success(
                    request,
                    _("已从上周复制 %(n)s 个餐次的菜单（草稿），请检查后发布。") % {"n": created},
                )
            else:
                messages.info(request, _("上周没有可复制的菜单，或本周各餐次已有菜单。"))
        else:
            messages.error(request, _("未知操作。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(_week_url(monday))


# ------------------------------------------------------------------ one menu


def _menu_target(request, day, meal):
    date = _parse_day(day)
    if date is None or meal not in Meal.values:
        raise Http404
    menu = menu_items(menus_for(request.user).filter(date=date, meal=meal)).first()
    return date, meal, menu


def _menu_form(request, date, menu, data=None):
    items = {i.dish_id: i for i in menu.items.all()} if menu else {}
    on_menu = [items[k].dish for k in sorted(items, key=lambda k: (items[k].sort, items[k].pk))]
    others = dishes_for(request.user).filter(is_active=True).exclude(pk__in=list(items))
    show_holiday = (menu is not None and menu.holiday_open) or not is_workday(date)
    initial = {"note": menu.note, "holiday_open": menu.holiday_open} if menu else {}
    return MenuForm(
        data,
        dishes=[*on_menu, *others.order_by("category", "name", "pk")],
        items=items,
        show_holiday=show_holiday,
        initial=initial,
    )


def _menu_page(request, date, meal, menu, form=None, cancel_form=None):
    form = form or _menu_form(request, date, menu)
    workday = is_workday(date)
    return render(
        request,
        "canteen/manage/menu_edit.html",
        {
            "date": date,
            "meal": meal,
            "meal_label": Meal(meal).label,
            "menu": menu,
            "form": form,
            "cancel_form": cancel_form or MenuCancelForm(),
            "workday": workday,
            "holiday": "" if workday else (holiday_name(date) or _("休息日")),
            "week_url": _week_url(week_start(date)),
            "ordered": sum(i.ordered_count for i in menu.items.all()) if menu else 0,
            "active_menu": "canteen_menus",
        },
    )


@login_required
@permission_required(MENU_PERM, raise_exception=True)
def menu_edit(request, day, meal):
    date, meal, menu = _menu_target(request, day, meal)
    if request.method != "POST":
        return _menu_page(request, date, meal, menu)
    action = request.POST.get("action", "save")
    if action == "publish":
        if menu is None:
            raise Http404
        try:
            services.menu_publish(actor=request.user, menu=menu)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已发布%(m)s菜单。") % {"m": menu})
        return redirect("canteen:menu_edit", day=date.isoformat(), meal=meal)
    form = _menu_form(request, date, menu, request.POST)
    if form.is_valid():
        try:
            saved = services.menu_save(
                actor=request.user,
                center=request.user.center,
                date=date,
                meal=meal,
                items=form.service_items(),
                note=form.cleaned_data["note"],
                holiday_open=form.cleaned_data.get("holiday_open", False),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if action == "save_publish" and saved.status == Menu.Status.DRAFT:
                try:
                    services.menu_publish(actor=request.user, menu=saved)
                except ValidationError as exc:
                    messages.warning(
                        request,
                        _("已保存为草稿，但未能发布：%(r)s") % {"r": "；".join(exc.messages)},
                    )
                else:
                    messages.success(request, _("已保存并发布%(m)s菜单。") % {"m": saved})
            else:
                messages.success(request, _("已保存%(m)s菜单。") % {"m": saved})
            return redirect(_week_url(week_start(date)))
    return _menu_page(request, date, meal, menu, form=form)


@login_required
@permission_required(MENU_PERM, raise_exception=True)
@require_POST
def menu_cancel(request, pk):
    menu = get_object_or_404(menus_for(request.user), pk=pk)
    form = MenuCancelForm(request.POST)
    if form.is_valid():
        try:
            count = order_services.menu_cancel(
                actor=request.user, menu=menu, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(m)s已停供，%(n)s 笔订餐已全额退款并通知订餐人。") % {"m": menu, "n": count},
            )
            return redirect(_week_url(week_start(menu.date)))
    menu = menu_items(menus_for(request.user).filter(pk=menu.pk)).get()
    return _menu_page(request, menu.date, menu.meal, menu, cancel_form=form)


urlpatterns = [
    path("manage/dishes/", dish_list, name="dish_list"),
    path("manage/dishes/new/", dish_create, name="dish_create"),
    path("manage/dishes/<int:pk>/", dish_edit, name="dish_edit"),
    path("dishes/<int:pk>/photo/", dish_photo, name="dish_photo"),
    path("manage/slots/", slot_settings, name="slot_settings"),
    path("manage/menus/", menu_week, name="menu_week"),
    re_path(
        r"^manage/menus/(?P<day>\d{4}-\d{2}-\d{2})/(?P<meal>[a-z]+)/$",
        menu_edit,
        name="menu_edit",
    ),
    path("manage/menus/<int:pk>/cancel/", menu_cancel, name="menu_cancel"),
]
