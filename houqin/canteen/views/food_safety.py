"""食品安全 pages of the canteen manager: today's overview of the four food-safety duties,
food handlers and their health certificates, morning checks, retained samples and purchase
inspections. Thin: parse, fetch through food_selectors, call one service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.scoping import user_person

from .. import food_selectors as fs
from ..filters.food_safety import PurchaseFilter, SampleFilter, WorkerFilter
from ..forms.food_safety import MorningCheckForm, PurchaseForm, SampleForm, WorkerForm
from ..services import food_safety as services
from ..tables.food_safety import DISCARD_FORM_ID, PurchaseTable, SampleTable, WorkerTable

PAGE_SIZE = 50
OVERVIEW_LIMIT = 20
ACTIVE = "canteen_food_safety"
COMPLIANCE_URL_NAME = "duties:compliance"


def _compliance_url():
    return reverse(COMPLIANCE_URL_NAME) + "?category=food_safety"


def _parse_day(request, today):
    raw = request.GET.get("date", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示今天。"))
    return today


def _export(request, model, title, columns, rows):
    record_export(request, model, rows=len(rows))
    return xlsx_response(build_workbook(title, columns, rows), title)


def _list_page(request, template, table, filterset, **context):
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    name = f"{template}#results" if request.htmx else template
    return render(request, name, {"table": table, "filter": filterset, **context})


def _duty_message(request, recorded, label):
    record = recorded.duty_record
    if record is None:
        return
    if record.on_time:
        messages.info(request, _("已自动完成“%(l)s”责任任务（按时）。") % {"l": label})
    else:
        messages.warning(
            request, _("已自动完成“%(l)s”责任任务，但已超过规定时间，记为逾期。") % {"l": label}
        )


# ----------------------------------------------------------------------------- overview


@login_required
@permission_required("canteen.view_morningcheck", raise_exception=True)
def food_safety(request):
    center_id = request.user.center_id
    now = timezone.now()
    today = timezone.localdate(now)
    statuses = fs.today_status(center_id, now=now)
    active_workers = fs.workers_for(request.user).filter(is_active=True).count()
    checked_today = fs.checks_for(request.user).filter(date=today, worker__is_active=True).count()
    menus = []
    for menu in fs.todays_menus(center_id, today):
        dishes = {item.dish_id for item in menu.items.all()}
        sampled = {s.dish_id for s in menu.samples.all()}
        menus.append({"menu": menu, "dishes": len(dishes), "sampled": len(dishes & sampled)})
    menus.sort(key=lambda m: {"breakfast": 0, "lunch": 1, "dinner": 2}.get(m["menu"].meal, 9))
    discard = fs.samples_to_discard(center_id, now)
    return render(
        request,
        "canteen/food_safety/overview.html",
        {
            "today": today,
            "statuses": statuses,
            "plans_missing": any(s.link is None for s in statuses),
            "active_workers": active_workers,
            "checked_today": checked_today,
            "unfit": [
                (check, services.unfit_reasons(check))
                for check in fs.unfit_checks(center_id, today)
            ],
            "expiring": list(fs.certificates_expiring(center_id, today)[:OVERVIEW_LIMIT]),
            "discard": list(discard[:OVERVIEW_LIMIT]),
            "discard_count": discard.count(),
            "past_keep_count": fs.inspections_past_keep_until(center_id, today).count(),
            "menus": menus,
            "compliance_url": _compliance_url(),
            "discard_form_id": DISCARD_FORM_ID,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("canteen.add_foodsafetyplan", raise_exception=True)
@require_POST
def food_safety_setup(request):
    try:
        created = services.food_safety_plans_ensure(actor=request.user, center=request.user.center)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("已生成 %(n)d 项食品安全责任计划：%(k)s。")
                % {"n": len(created), "k": "、".join(str(c) for c in created)},
            )
        else:
            messages.info(request, _("食品安全责任计划已存在，无需重复生成。"))
    return redirect("canteen:food_safety")


# ----------------------------------------------------------------------------- workers


WORKER_COLUMNS = [
    Column("name", _("姓名"), width=12),
    Column("post", _("岗位"), width=12),
    Column("employer", _("所属单位"), width=24),
    Column("cert_no", _("健康证号"), width=20),
    Column("cert_expires", _("健康证有效期至"), width=14),
    Column("status", _("状态"), width=8),
]


@login_required
@permission_required("canteen.view_canteenworker", raise_exception=True)
def worker_list(request):
    filterset = WorkerFilter(request.GET, queryset=fs.workers_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                w.name,
                w.post,
                w.employer,
                w.health_cert_no,
                w.health_cert_expires,
                _("在岗") if w.is_active else _("已离岗"),
            ]
            for w in filterset.qs.order_by("name", "id")
        ]
        return _export(request, "canteen.CanteenWorker", _("食堂从业人员"), WORKER_COLUMNS, rows)
    return _list_page(
        request,
        "canteen/food_safety/worker_list.html",
        WorkerTable(filterset.qs),
        filterset,
        active_menu=ACTIVE,
    )


def _worker_fields(form):
    return {name: form.cleaned_data[name] for name in WorkerForm.FIELDS}


@login_required
@permission_required("canteen.add_canteenworker", raise_exception=True)
def worker_create(request):
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.canteen_worker_create(
                actor=request.user, center=request.user.center, **_worker_fields(form)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记从业人员 %(n)s。") % {"n": worker.name})
            return redirect("canteen:worker_list")
    return render(
        request,
        "canteen/food_safety/worker_form.html",
        {"form": form, "title": _("登记从业人员"), "active_menu": ACTIVE},
    )


@login_required
@permission_required("canteen.change_canteenworker", raise_exception=True)
def worker_edit(request, pk):
    worker = get_object_or_404(fs.workers_for(request.user), pk=pk)
    if request.method == "POST":
        form = WorkerForm(request.POST)
        if form.is_valid():
            try:
                services.canteen_worker_update(
                    actor=request.user, worker=worker, **_worker_fields(form)
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存 %(n)s 的信息。") % {"n": worker.name})
                return redirect("canteen:worker_list")
    else:
        form = WorkerForm(initial={name: getattr(worker, name) for name in WorkerForm.FIELDS})
    checks = list(fs.checks_for(request.user).filter(worker=worker).order_by("-date", "-id")[:10])
    return render(
        request,
        "canteen/food_safety/worker_form.html",
        {
            "form": form,
            "worker": worker,
            "checks": checks,
            "title": worker.name,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("canteen.change_canteenworker", raise_exception=True)
@require_POST
def worker_deactivate(request, pk):
    worker = get_object_or_404(fs.workers_for(request.user), pk=pk)
    services.canteen_worker_deactivate(actor=request.user, worker=worker)
    messages.success(request, _("%(n)s 已登记离岗，不再列入晨检。") % {"n": worker.name})
    return redirect("canteen:worker_list")


# ----------------------------------------------------------------------------- morning check


@login_required
@permission_required("canteen.add_morningcheck", raise_exception=True)
def morning_check(request):
    today = timezone.localdate()
    day = _parse_day(request, today)
    rows = fs.morning_check_rows(request.user.center_id, day)
    if request.method == "POST":
        form = MorningCheckForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                recorded = services.morning_check_record(
                    actor=request.user,
                    center=request.user.center,
                    date=day,
                    entries=form.entries(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                unfit = [c for c in recorded.rows if not c.fit_for_duty]
                messages.success(
                    request,
                    _("已登记 %(d)s 晨检 %(n)d 人。")
                    % {"d": day.isoformat(), "n": len(recorded.rows)},
                )
                if unfit:
                    messages.warning(
                        request,
                        _("%(names)s 今日不宜从事直接入口食品工作，请调离相关岗位。")
                        % {"names": "、".join(c.worker.name for c in unfit)},
                    )
                _duty_message(request, recorded, _("晨检"))
                return redirect(f"{reverse('canteen:morning_check')}?date={day.isoformat()}")
    else:
        form = MorningCheckForm(rows=rows)
    return render(
        request,
        "canteen/food_safety/morning_check.html",
        {
            "form": form,
            "day": day,
            "today": today,
            "is_future": day > today,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "checked": sum(1 for r in rows if r.check is not None),
            "active_menu": ACTIVE,
        },
    )


# ----------------------------------------------------------------------------- samples


SAMPLE_COLUMNS = [
    Column("date", _("日期"), width=12),
    Column("meal", _("餐次"), width=8),
    Column("dish", _("菜品"), width=20),
    Column("weight", _("留样量（克）"), width=12),
    Column("kept_at", _("留样时间"), width=18),
    Column("kept_by", _("留样人"), width=10),
    Column("fridge", _("存放冰箱"), width=12),
    Column("discard_after", _("可销毁时间"), width=18),
    Column("discarded_at", _("销毁时间"), width=18),
    Column("discarded_by", _("销毁人"), width=10),
    Column("recorded_by", _("记录人"), width=10),
]


def _local(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


@login_required
@permission_required("canteen.view_sampleretention", raise_exception=True)
def sample_list(request):
    filterset = SampleFilter(request.GET, queryset=fs.samples_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                s.menu.date,
                s.menu.get_meal_display(),
                s.dish.name,
                s.weight_grams,
                _local(s.kept_at),
                s.kept_by,
                s.fridge,
                _local(s.discard_after),
                _local(s.discarded_at),
                s.discarded_by.display_name if s.discarded_by else "",
                s.recorded_by.display_name,
            ]
            for s in filterset.qs.order_by("-kept_at", "id")
        ]
        return _export(request, "canteen.SampleRetention", _("留样记录"), SAMPLE_COLUMNS, rows)
    return _list_page(
        request,
        "canteen/food_safety/sample_list.html",
        SampleTable(filterset.qs),
        filterset,
        discard_form_id=DISCARD_FORM_ID,
        active_menu=ACTIVE,
    )


def _menu_choices(request, today):
    """Menus of yesterday and today to pick from, with their sample progress."""
    menus = fs.sample_menus_for(request.user).filter(
        date__range=(today - dt.timedelta(days=1), today)
    )
    result = []
    for menu in menus:
        dishes = {i.dish_id for i in menu.items.all()}
        sampled = {s.dish_id for s in menu.samples.all()}
        result.append({"menu": menu, "dishes": len(dishes), "sampled": len(dishes & sampled)})
    order = {"breakfast": 0, "lunch": 1, "dinner": 2}
    result.sort(key=lambda m: (m["menu"].date, order.get(m["menu"].meal, 9)), reverse=True)
    return result


@login_required
@permission_required("canteen.add_sampleretention", raise_exception=True)
def sample_create(request):
    today = timezone.localdate()
    raw = request.GET.get("menu", "")
    if not raw.isdigit():
        return render(
            request,
            "canteen/food_safety/sample_form.html",
            {"menus": _menu_choices(request, today), "active_menu": ACTIVE},
        )
    menu = get_object_or_404(fs.sample_menus_for(request.user), pk=int(raw))
    samples = list(menu.samples.all())
    sampled = {s.dish_id for s in samples}
    dishes = [item.dish for item in menu.items.all() if item.dish_id not in sampled]
    person = user_person(request.user)
    kept_by = person.name if person else request.user.display_name
    form = SampleForm(request.POST or None, dishes=dishes, kept_by=kept_by)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.sample_record(actor=request.user, menu=menu, entries=form.entries())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记 %(m)s 留样 %(n)d 份。") % {"m": menu, "n": len(recorded.rows)},
            )
            _duty_message(request, recorded, _("食品留样"))
            return redirect(
                f"{reverse('canteen:sample_list')}?date_from={menu.date}&date_to={menu.date}"
            )
    return render(
        request,
        "canteen/food_safety/sample_form.html",
        {
            "menu": menu,
            "form": form,
            "samples": samples,
            "is_future": menu.date > today,
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required("canteen.change_sampleretention", raise_exception=True)
@require_POST
def sample_discard(request, pk):
    sample = get_object_or_404(fs.samples_for(request.user), pk=pk)
    try:
        services.sample_discard(actor=request.user, sample=sample)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("已登记销毁：%(m)s %(d)s。") % {"m": sample.menu, "d": sample.dish.name}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("canteen:sample_list")
    return redirect(target)


# ----------------------------------------------------------------------------- purchases


PURCHASE_COLUMNS = [
    Column("purchased_on", _("进货日期"), width=12),
    Column("item_name", _("食品名称"), width=20),
    Column("spec", _("规格"), width=12),
    Column("quantity", _("数量"), width=10),
    Column("unit", _("单位"), width=8),
    Column("production_date", _("生产日期"), width=12),
    Column("batch_no", _("生产批号"), width=16),
    Column("expires_on", _("保质期至"), width=12),
    Column("supplier_name", _("供货者名称"), width=24),
    Column("supplier_address", _("供货者地址"), width=30),
    Column("supplier_contact", _("联系方式"), width=16),
    Column("certificate_no", _("票证/检验合格证号"), width=20),
    Column("result", _("查验结果"), width=10),
    Column("note", _("备注"), width=24),
    Column("keep_until", _("记录保存至"), width=12),
    Column("inspected_by", _("查验人"), width=10),
    Column("recorded_at", _("登记时间"), width=18),
]


@login_required
@permission_required("canteen.view_purchaseinspection", raise_exception=True)
def purchase_list(request):
    filterset = PurchaseFilter(request.GET, queryset=fs.inspections_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.purchased_on,
                p.item_name,
                p.spec,
                p.quantity,
                p.unit,
                p.production_date,
                p.batch_no,
                p.expires_on,
                p.supplier_name,
                p.supplier_address,
                p.supplier_contact,
                p.certificate_no,
                p.get_result_display(),
                p.note,
                p.keep_until,
                p.inspected_by.display_name,
                _local(p.created_at),
            ]
            for p in filterset.qs.order_by("-purchased_on", "-id")
        ]
        return _export(
            request, "canteen.PurchaseInspection", _("进货查验记录"), PURCHASE_COLUMNS, rows
        )
    return _list_page(
        request,
        "canteen/food_safety/purchase_list.html",
        PurchaseTable(filterset.qs),
        filterset,
        active_menu=ACTIVE,
    )


@login_required
@permission_required("canteen.add_purchaseinspection", raise_exception=True)
def purchase_create(request):
    form = PurchaseForm(request.POST or None, initial={"purchased_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.purchase_inspection_record(
                actor=request.user,
                center=request.user.center,
                **{name: form.cleaned_data[name] for name in PurchaseForm.FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            inspection = recorded.row
            messages.success(
                request,
                _("已登记进货查验：%(i)s，记录保存至 %(d)s。")
                % {"i": inspection.item_name, "d": inspection.keep_until.isoformat()},
            )
            _duty_message(request, recorded, _("进货查验"))
            if request.POST.get("again"):
                return redirect("canteen:purchase_create")
            return redirect("canteen:purchase_list")
    return render(
        request,
        "canteen/food_safety/purchase_form.html",
        {"form": form, "title": _("登记进货查验"), "active_menu": ACTIVE},
    )


urlpatterns = [
    path("food-safety/", food_safety, name="food_safety"),
    path("food-safety/setup/", food_safety_setup, name="food_safety_setup"),
    path("food-safety/workers/", worker_list, name="worker_list"),
    path("food-safety/workers/new/", worker_create, name="worker_create"),
    path("food-safety/workers/<int:pk>/", worker_edit, name="worker_edit"),
    path("food-safety/workers/<int:pk>/deactivate/", worker_deactivate, name="worker_deactivate"),
    path("food-safety/checks/", morning_check, name="morning_check"),
    path("food-safety/samples/", sample_list, name="sample_list"),
    path("food-safety/samples/new/", sample_create, name="sample_create"),
    path("food-safety/samples/<int:pk>/discard/", sample_discard, name="sample_discard"),
    path("food-safety/purchases/", purchase_list, name="purchase_list"),
    path("food-safety/purchases/new/", purchase_create, name="purchase_create"),
]
