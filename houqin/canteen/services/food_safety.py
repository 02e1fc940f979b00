"""Food-safety records (食品安全法, DOMAIN.md §7) and the duty plans they complete.

Each center has four food-safety duty plans in the duties engine (one FoodSafetyPlan row per
kind points at its DutyPlan):

  晨检      daily before the first meal      completed by morning_check_record()
  食品留样  once per meal, by its end        completed by sample_record()
  进货查验  daily                             completed by purchase_inspection_record()
  餐具消毒  after each meal                   a checklist completed in the duties pages

Recording a structured record completes the open task of its plan for that day (or meal) with
checklist answers derived from the records, so late and missing records show on the duties
compliance board like any other duty (on time / late is the engine's decision).

Every write validates first and raises a Chinese ValidationError keyed by field (per-row fields
are "<field>_<worker or dish pk>", see entry_field) and writes nothing on error.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.models import DutyRecord, DutyTask
from houqin.core.duties.recurrence import local_today, to_local

from ..models import (
    CanteenWorker,
    FoodSafetyPlan,
    MealSlot,
    Menu,
    MenuItem,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from ..models.food_safety import MIN_SAMPLE_GRAMS, SAMPLE_HOURS
from .common import require
from .food_safety_plans import (  # noqa: F401 - re-exported for callers of this module
    _canteen_manager,
    _complete,
    _day_tasks,
    at_local,
    food_safety_plans_ensure,
    plan_specs,
)

Kind = FoodSafetyPlan.Kind

FEVER_FROM = Decimal("37.3")  # ℃: a temperature from here on is a fever
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))
MAX_SAMPLE_GRAMS = 5000
CERT_WARNING_DAYS = 30
SAMPLE_TASK_WINDOW_HOURS = 3
WORKER_FIELDS = ("name", "post", "employer", "health_cert_no", "health_cert_expires")
SYMPTOMS = ("fever", "diarrhoea", "sore_throat", "skin_wound")
PURCHASE_FIELDS = (
    "purchased_on",
    "item_name",
    "spec",
    "quantity",
    "unit",
    "production_date",
    "batch_no",
    "expires_on",
    "supplier_name",
    "supplier_address",
    "supplier_contact",
    "certificate_no",
    "result",
    "note",
)
# When a meal has no slot (should not happen: orders need one), its sample is matched to the
# task nearest to this time of day.
DEFAULT_MEAL_END = {"breakfast": dt.time(8, 30), "lunch": dt.time(13, 0), "dinner": dt.time(19, 0)}


def entry_field(name: str, pk) -> str:
    """The error key (and form field name) of one row's field: "temperature_12"."""
    return f"{name}_{pk}"


def symptom_labels() -> dict[str, str]:
    return {name: str(MorningCheck._meta.get_field(name).verbose_name) for name in SYMPTOMS}


@dataclass
class Recorded:
    """What a recording service wrote, and the duty record it completed (None if none)."""

    rows: list = field(default_factory=list)
    duty_record: DutyRecord | None = None

    @property
    def row(self):
        return self.rows[0] if self.rows else None


class _Errors(dict):
    def add(self, name, message):
        self.setdefault(name, []).append(str(message))

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def _text(value, name, limit, errors, *, label, required=False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.add(name, _("请填写%(l)s。") % {"l": label})
    elif len(text) > limit:
        errors.add(name, _("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit})
    return text


def _date(value, name, errors, *, label, required=False):
    if value in (None, ""):
        if required:
            errors.add(name, _("请填写%(l)s。") % {"l": label})
        return None
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(name, _("%(l)s格式不正确（应为 YYYY-MM-DD）。") % {"l": label})
        return None


def _decimal(value):
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "是", "y"}
    return bool(value)


def _pk(value):
    """The pk of a model instance, an int, or a string of digits; None otherwise."""
    value = getattr(value, "pk", value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _clean_worker(center, data, *, instance=None) -> dict:
    errors = _Errors()
    out = {
        "name": _text(data.get("name"), "name", 50, errors, label=_("姓名"), required=True),
        "post": _text(data.get("post"), "post", 50, errors, label=_("岗位")),
        "employer": _text(data.get("employer"), "employer", 100, errors, label=_("所属单位")),
        "health_cert_no": _text(
            data.get("health_cert_no"), "health_cert_no", 50, errors, label=_("健康证号")
        ),
        "health_cert_expires": _date(
            data.get("health_cert_expires"), "health_cert_expires", errors, label=_("健康证有效期")
        ),
    }
    if out["health_cert_expires"] and not out["health_cert_no"]:
        errors.add("health_cert_no", _("填写了健康证有效期，请同时填写健康证号。"))
    if out["name"] and (instance is None or instance.is_active):
        clash = CanteenWorker.objects.filter(center=center, name=out["name"], is_active=True)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add("name", _("已有同名的在岗从业人员，请加以区分（如“张伟（面点）”）。"))
    errors.raise_if_any()
    return out


def _save_worker(worker):
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise ValidationError({"name": [_("已有同名的在岗从业人员。")]}) from None
    return worker


@transaction.atomic
def canteen_worker_create(*, actor, center, **fields) -> CanteenWorker:
    """Register a food handler with their health certificate (健康证)."""
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    require(actor, center.pk, "canteen.add_canteenworker")
    data = _clean_worker(center, fields)
    return _save_worker(CanteenWorker(center=center, **data))


@transaction.atomic
def canteen_worker_update(*, actor, worker, **fields) -> CanteenWorker:
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    require(actor, worker.center_id, "canteen.change_canteenworker")
    worker = CanteenWorker.objects.select_for_update().get(pk=worker.pk)
    current = {name: getattr(worker, name) for name in WORKER_FIELDS}
    current.update(fields)
    data = _clean_worker(worker.center, current, instance=worker)
    for name, value in data.items():
        setattr(worker, name, value)
    return _save_worker(worker)


@transaction.atomic
def canteen_worker_deactivate(*, actor, worker) -> CanteenWorker:
    """The worker left (离岗): no longer on the morning check; past checks are kept."""
    require(actor, worker.center_id, "canteen.change_canteenworker")
    worker = CanteenWorker.objects.select_for_update().get(pk=worker.pk)
    if worker.is_active:
        worker.is_active = False
        worker.save(update_fields=["is_active", "updated_at"])
    return worker


def certificate_valid(worker, day: dt.date) -> bool:
    return worker.health_cert_expires is not None and worker.health_cert_expires >= day


# ----------------------------------------------------------------------------- morning check


def unfit_reasons(check, worker=None) -> list[str]:
    """Why a check is "not fit for duty", for pages and notes (empty when fit)."""
    worker = worker or check.worker
    labels = symptom_labels()
    reasons = []
    for name in SYMPTOMS:
        if getattr(check, name):
            label = labels[name]
            if name == "fever":
                label = f"{label} {check.temperature}℃"
            reasons.append(label)
    if not certificate_valid(worker, check.date):
        if worker.health_cert_expires is None:
            reasons.append(_("未登记健康证"))
        else:
            reasons.append(
                _("健康证已于 %(d)s 过期") % {"d": worker.health_cert_expires.isoformat()}
            )
    return reasons


def _clean_checks(center, day, entries, errors):
    """[(worker, values)] from entries; errors keyed "<field>_<worker pk>"."""
    entries = list(entries or [])
    if not entries:
        errors.add(NON_FIELD_ERRORS, _("请至少登记一名从业人员的晨检结果。"))
        return []
    ids = [_pk(entry.get("worker")) for entry in entries]
    workers = CanteenWorker.objects.filter(center=center).in_bulk(
        [i for i in ids if isinstance(i, int)]
    )
    seen, cleaned = set(), []
    low, high = TEMPERATURE_RANGE
    for entry, pk in zip(entries, ids, strict=True):
        worker = workers.get(pk) if isinstance(pk, int) else None
        if worker is None:
            errors.add(NON_FIELD_ERRORS, _("从业人员不存在或不属于本中心。"))
            continue
        if not worker.is_active:
            errors.add(
                entry_field("temperature", pk),
                _("%(n)s 已离岗，不能登记晨检。") % {"n": worker.name},
            )
            continue
        if pk in seen:
            errors.add(
                entry_field("temperature", pk),
                _("%(n)s 重复登记。") % {"n": worker.name},
            )
            continue
        seen.add(pk)
        temperature = _decimal(entry.get("temperature"))
        name = entry_field("temperature", pk)
        if temperature is None:
            errors.add(name, _("请填写 %(n)s 的体温。") % {"n": worker.name})
            continue
        if temperature != temperature.quantize(Decimal("0.1")):
            errors.add(name, _("体温最多保留一位小数。"))
            continue
        if not low <= temperature <= high:
            errors.add(name, _("体温须在 34.0–43.0 ℃ 之间，请核对。"))
            continue
        note = _text(entry.get("note"), entry_field("note", pk), 200, errors, label=_("处理情况"))
        values = {name: _bool(entry.get(name)) for name in SYMPTOMS}
        values["fever"] = values["fever"] or temperature >= FEVER_FROM
        fit = (
            not any(values.values()) and temperature < FEVER_FROM and certificate_valid(worker, day)
        )
        values.update(temperature=temperature, fit_for_duty=fit, note=note)
        cleaned.append((worker, values))
    return cleaned


@transaction.atomic
def morning_check_record(*, actor, center, date, entries, now=None) -> Recorded:
    """Record (or correct) the morning checks of `date`, one per worker and day.

    entries: [{"worker": CanteenWorker or pk, "temperature": "36.5", "fever": bool,
    "diarrhoea": bool, "sore_throat": bool, "skin_wound": bool, "note": ""}]. A worker with a
    symptom, a temperature ≥ 37.3 ℃ or no valid health certificate that day is not fit for
    duty. Recording a worker again the same day updates their check. Then the open 晨检 task
    due that day is completed (workers checked, not fit, everyone on duty checked).
    """
    require(actor, center.pk, "canteen.add_morningcheck")
    now = now or timezone.now()
    errors = _Errors()
    day = _date(date, "date", errors, label=_("日期"), required=True)
    if day is not None and day > local_today(now):
        errors.add("date", _("不能登记今天以后的晨检。"))
    cleaned = _clean_checks(center, day, entries, errors) if day else []
    errors.raise_if_any()

    existing = {
        c.worker_id: c
        for c in MorningCheck.objects.select_for_update().filter(
            center=center, date=day, worker__in=[w for w, _v in cleaned]
        )
    }
    rows = []
    for worker, values in cleaned:
        check = existing.get(worker.pk)
        if check is None:
            check = MorningCheck(center=center, worker=worker, date=day)
        for name, value in values.items():
            setattr(check, name, value)
        check.checked_by = actor
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError:
            # Another clerk recorded the worker a moment ago: theirs is corrected with ours.
            check = MorningCheck.objects.select_for_update().get(worker=worker, date=day)
            for name, value in values.items():
                setattr(check, name, value)
            check.checked_by = actor
            check.save()
        check.worker = worker
        rows.append(check)

    tasks = _day_tasks(center, Kind.MORNING_CHECK, day)
    task = next((t for t in tasks if t.status == DutyTask.Status.OPEN), None)
    record = None
    if task is not None:
        day_checks = list(
            MorningCheck.objects.filter(center=center, date=day).select_related("worker")
        )
        active = CanteenWorker.objects.filter(center=center, is_active=True).count()
        checked_active = sum(1 for c in day_checks if c.worker.is_active)
        unfit = [c for c in day_checks if not c.fit_for_duty]
        notes = ""
        if unfit:
            notes = _("不宜从事直接入口食品工作：") + "；".join(
                f"{c.worker.name}（{'、'.join(unfit_reasons(c)) or _('不宜上岗')}）"
                + (f"，{c.note}" if c.note else "")
                for c in unfit
            )
            notes = notes[:2000]
        answers = {
            "workers": len(day_checks),
            "unfit": len(unfit),
            "all_checked": checked_active >= active,
        }
        record = _complete(actor, task, answers, notes, now)
    return Recorded(rows=rows, duty_record=record)


# ----------------------------------------------------------------------------- samples


def _meal_end(menu) -> dt.time:
    slot = MealSlot.objects.filter(center_id=menu.center_id, meal=menu.meal).first()
    return slot.serve_until if slot else DEFAULT_MEAL_END.get(menu.meal, dt.time(12, 0))


def sample_task_for(menu):
    """The 食品留样 task of the menu's meal: the plan's task that day nearest to the end of
    the meal (the plan has one task per meal, due at the hour the meal ends)."""
    tasks = _day_tasks(menu.center, Kind.SAMPLE, menu.date)
    if not tasks:
        return None
    end = at_local(menu.date, _meal_end(menu))
    task = min(tasks, key=lambda t: (abs((t.due_at - end).total_seconds()), t.due_at))
    # A meal added after the plan was made has no task of its own: never take another meal's.
    if abs(task.due_at - end) > dt.timedelta(hours=SAMPLE_TASK_WINDOW_HOURS):
        return None
    return task


def _int(value):
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


@transaction.atomic
def sample_record(*, actor, menu, entries, now=None) -> Recorded:
    """Record the retained samples (留样) of the dishes of one meal.

    entries: [{"dish": Dish or pk, "weight_grams": 150, "kept_by": "王芳", "fridge": "1号"}].
    Each dish ≥ 125 g, once per meal; kept_at = now, may be discarded 48 h later. When every
    dish on the menu has its sample, the 食品留样 task of that meal is completed.
    """
    require(actor, menu.center_id, "canteen.add_sampleretention")
    now = now or timezone.now()
    menu = Menu.objects.select_for_update().get(pk=menu.pk)
    errors = _Errors()
    if menu.status == Menu.Status.CANCELLED:
        errors.add("menu", _("该餐次已停供，无需留样。"))
    elif menu.date > local_today(now):
        errors.add("menu", _("该餐次尚未供餐，不能提前登记留样。"))
    errors.raise_if_any()

    items = {i.dish_id: i.dish for i in MenuItem.objects.filter(menu=menu).select_related("dish")}
    sampled = set(SampleRetention.objects.filter(menu=menu).values_list("dish_id", flat=True))
    entries = list(entries or [])
    if not entries:
        errors.add(NON_FIELD_ERRORS, _("请至少登记一个菜品的留样。"))
    seen, cleaned = set(), []
    for entry in entries:
        pk = _pk(entry.get("dish"))
        dish = items.get(pk) if isinstance(pk, int) else None
        if dish is None:
            errors.add(NON_FIELD_ERRORS, _("菜品不在该餐次的菜单上。"))
            continue
        key = entry_field("weight_grams", pk)
        if pk in seen:
            errors.add(key, _("%(d)s 重复登记。") % {"d": dish.name})
            continue
        seen.add(pk)
        if pk in sampled:
            errors.add(key, _("%(d)s 本餐次已留样。") % {"d": dish.name})
            continue
        weight = _int(entry.get("weight_grams"))
        if weight is None:
            errors.add(key, _("请填写 %(d)s 的留样量（整数克）。") % {"d": dish.name})
        elif weight < MIN_SAMPLE_GRAMS:
            errors.add(
                key,
                _("每样菜品留样不少于 %(n)d 克（%(d)s 仅 %(w)d 克）。")
                % {"n": MIN_SAMPLE_GRAMS, "d": dish.name, "w": weight},
            )
        elif weight > MAX_SAMPLE_GRAMS:
            errors.add(key, _("留样量不能超过 %(n)d 克，请核对。") % {"n": MAX_SAMPLE_GRAMS})
        kept_by = _text(
            entry.get("kept_by"),
            entry_field("kept_by", pk),
            50,
            errors,
            label=_("留样人"),
            required=True,
        )
        fridge = _text(entry.get("fridge"), entry_field("fridge", pk), 50, errors, label=_("冰箱"))
        cleaned.append((dish, weight, kept_by, fridge))
    errors.raise_if_any()

    discard_after = now + dt.timedelta(hours=SAMPLE_HOURS)
    rows = []
    try:
        with transaction.atomic():
            for dish, weight, kept_by, fridge in cleaned:
                rows.append(
                    SampleRetention.objects.create(
                        center_id=menu.center_id,
                        menu=menu,
                        dish=dish,
                        weight_grams=weight,
                        kept_at=now,
                        kept_by=kept_by,
                        fridge=fridge,
                        discard_after=discard_after,
                        recorded_by=actor,
                    )
                )
    except IntegrityError:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("本餐次的留样刚被他人登记，请刷新后核对。")]}
        ) from None

    record = None
    samples = list(SampleRetention.objects.filter(menu=menu).order_by("kept_at", "id"))
    if items and {s.dish_id for s in samples} >= set(items):
        answers = {
            "dishes": len(samples),
            "min_weight": min(s.weight_grams for s in samples),
            "sealed": True,
            "kept_by": "、".join(dict.fromkeys(s.kept_by for s in samples))[:500],
        }
        record = _complete(actor, sample_task_for(menu), answers, "", now)
    return Recorded(rows=rows, duty_record=record)


@transaction.atomic
def sample_discard(*, actor, sample, now=None) -> SampleRetention:
    """Record that a sample was discarded: only once it has been kept 48 hours."""
    require(actor, sample.center_id, "canteen.change_sampleretention")
    now = now or timezone.now()
    sample = SampleRetention.objects.select_for_update().get(pk=sample.pk)
    if sample.discarded_at is not None:
        raise ValidationError(
            _("该留样已于 %(t)s 销毁。") % {"t": f"{to_local(sample.discarded_at):%Y-%m-%d %H:%M}"}
        )
    if now < sample.discard_after:
        raise ValidationError(
            _("留样须冷藏满 %(h)d 小时，%(t)s 后方可销毁。")
            % {"h": SAMPLE_HOURS, "t": f"{to_local(sample.discard_after):%Y-%m-%d %H:%M}"}
        )
    sample.discarded_at = now
    sample.discarded_by = actor
    sample.save(update_fields=["discarded_at", "discarded_by", "updated_at"])
    return sample


# ----------------------------------------------------------------------------- purchases


def keep_until_for(purchased_on: dt.date, expires_on: dt.date | None) -> dt.date:
    """食品安全法 第五十条: six months after the shelf life ends, and at least two years."""
    two_years = purchased_on + relativedelta(years=2)
    if expires_on is None:
        return two_years
    return max(expires_on + relativedelta(months=6), two_years)


def _clean_purchase(fields, today) -> dict:
    errors = _Errors()
    out = {}
    out["purchased_on"] = _date(
        fields.get("purchased_on"), "purchased_on", errors, label=_("进货日期"), required=True
    )
    if out["purchased_on"] and out["purchased_on"] > today:
        errors.add("purchased_on", _("进货日期不能晚于今天。"))
    for name, limit, label, required in (
        ("item_name", 100, _("食品名称"), True),
        ("spec", 50, _("规格"), False),
        ("unit", 10, _("单位"), True),
        ("batch_no", 50, _("生产批号"), False),
        ("supplier_name", 100, _("供货者名称"), True),
        ("supplier_address", 200, _("供货者地址"), True),
        ("supplier_contact", 50, _("联系方式"), True),
        ("certificate_no", 100, _("票证/检验合格证号"), False),
        ("note", 200, _("备注"), False),
    ):
        out[name] = _text(fields.get(name), name, limit, errors, label=label, required=required)
    quantity = _decimal(fields.get("quantity"))
    if quantity is None:
        errors.add("quantity", _("请填写有效的数量。"))
    elif quantity <= 0:
        errors.add("quantity", _("数量必须大于 0。"))
    elif quantity != quantity.quantize(Decimal("0.01")):
        errors.add("quantity", _("数量最多保留两位小数。"))
    elif quantity >= Decimal("100000000"):
        errors.add("quantity", _("数量过大，请核对。"))
    out["quantity"] = quantity
    out["production_date"] = _date(
        fields.get("production_date"), "production_date", errors, label=_("生产日期")
    )
    out["expires_on"] = _date(fields.get("expires_on"), "expires_on", errors, label=_("保质期至"))
    produced, expires, bought = out["production_date"], out["expires_on"], out["purchased_on"]
    if produced is None and not out["batch_no"] and "production_date" not in errors:
        errors.add("production_date", _("请填写生产日期或生产批号（至少一项）。"))
    if produced and bought and produced > bought:
        errors.add("production_date", _("生产日期不能晚于进货日期。"))
    if produced and expires and expires < produced:
        errors.add("expires_on", _("保质期不能早于生产日期。"))
    result = fields.get("result") or ""
    if result not in PurchaseInspection.Result.values:
        errors.add("result", _("请选择查验结果。"))
    elif result == PurchaseInspection.Result.ACCEPTED and expires and bought and expires < bought:
        errors.add("result", _("已超过保质期的食品不得验收合格，请选择“拒收”。"))
    out["result"] = result
    errors.raise_if_any()
    out["keep_until"] = keep_until_for(bought, expires)
    return out


@transaction.atomic
def purchase_inspection_record(*, actor, center, now=None, **fields) -> Recorded:
    """Record one purchase inspection (进货查验) with every field the law asks for, kept until
    max(shelf life + 6 months, purchase + 2 years); completes the 进货查验 task of the
    purchase day."""
    unknown = set(fields) - set(PURCHASE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    require(actor, center.pk, "canteen.add_purchaseinspection")
    now = now or timezone.now()
    data = _clean_purchase(fields, local_today(now))
    inspection = PurchaseInspection.objects.create(center=center, inspected_by=actor, **data)

    record = None
    day = data["purchased_on"]
    task = next(
        (t for t in _day_tasks(center, Kind.PURCHASE, day) if t.status == DutyTask.Status.OPEN),
        None,
    )
    if task is not None:
        same_day = PurchaseInspection.objects.filter(center=center, purchased_on=day)
        rejected = same_day.filter(result=PurchaseInspection.Result.REJECTED).count()
        answers = {"batches": same_day.count(), "rejected": rejected, "complete": True}
        record = _complete(actor, task, answers, "", now)
    return Recorded(rows=[inspection], duty_record=record)


__all__ = [
    "Recorded",
    "canteen_worker_create",
    "canteen_worker_deactivate",
    "canteen_worker_update",
    "certificate_valid",
    "entry_field",
    "food_safety_plans_ensure",
    "keep_until_for",
    "morning_check_record",
    "purchase_inspection_record",
    "sample_discard",
    "sample_record",
    "sample_task_for",
    "unfit_reasons",
]
