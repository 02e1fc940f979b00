"""Checklist templates of a plan, and validation of a completion's answers against them.

A checklist is a list of items {key, label, type, required, min, max, unit}; type is one of
bool (是/否), number (with optional limits and unit), text, photo. Each task keeps a snapshot,
so editing a plan never changes what an earlier record was checked against.

Errors are keyed by form field name "item_<key>" (the completion form's fields), so the
form and the API can put each message next to its item.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.uploads import validate_image

ITEM_TYPES = {
    "bool": gettext_lazy("是/否"),
    "number": gettext_lazy("数值"),
    "text": gettext_lazy("文字"),
    "photo": gettext_lazy("照片"),
}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_ITEMS = 50
LABEL_MAX = 100
UNIT_MAX = 20
TEXT_MAX = 500
NOTES_MAX = 2000
SIGNATURE_MAX = 100
MAX_PHOTOS_PER_ITEM = 9
YES = {"yes", "true", "1", "是", "y", "on"}
NO = {"no", "false", "0", "否", "n", "off"}


def field_name(key: str) -> str:
    return f"item_{key}"


def _number(value):
    """A finite Decimal from a number or numeric string; None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _json_number(number: Decimal):
    return int(number) if number == number.to_integral_value() else float(number)


def fmt_number(value) -> str:
    number = _number(value)
    if number is None:
        return ""
    return format(number.normalize(), "f") if number == number.to_integral_value() else str(value)


def limits_text(item) -> str:
    """ "0–5 ℃", "≥ 1 人", "≤ 8 ℃" or ""."""
    unit = f" {item['unit']}" if item.get("unit") else ""
    low, high = item.get("min"), item.get("max")
    if low is not None and high is not None:
        return f"{fmt_number(low)}–{fmt_number(high)}{unit}"
    if low is not None:
        return f"≥ {fmt_number(low)}{unit}"
    if high is not None:
        return f"≤ {fmt_number(high)}{unit}"
    return ""


def clean_checklist(items) -> list[dict]:
    """Validate and normalise a checklist template; ValidationError({"checklist": [...]})."""
    if items in (None, ""):
        return []
    if not isinstance(items, list | tuple):
        raise ValidationError({"checklist": [_("检查项格式无效。")]})
    if len(items) > MAX_ITEMS:
        raise ValidationError({"checklist": [_("检查项最多 %(n)d 项。") % {"n": MAX_ITEMS}]})
    errors, result, keys = [], [], set()
    for i, raw in enumerate(items, start=1):
        where = _("第 %(n)d 项") % {"n": i}
        if not isinstance(raw, dict):
            errors.append(_("%(where)s：格式无效。") % {"where": where})
            continue
        label = str(raw.get("label") or "").strip()
        kind = str(raw.get("type") or "").strip()
        key = str(raw.get("key") or "").strip().lower()
        if not key:
            key = f"q{i}"
            while key in keys:
                key += "_"
        if not label:
            errors.append(_("%(where)s：请填写检查内容。") % {"where": where})
        elif len(label) > LABEL_MAX:
            errors.append(
                _("%(where)s：检查内容不能超过 %(n)d 字。") % {"where": where, "n": LABEL_MAX}
            )
        if kind not in ITEM_TYPES:
            errors.append(_("%(where)s：类型无效（是/否、数值、文字、照片）。") % {"where": where})
        if not KEY_RE.match(key):
            errors.append(
                _("%(where)s：标识“%(key)s”无效（小写字母开头，字母、数字、下划线）。")
                % {"where": where, "key": key}
            )
        elif key in keys:
            errors.append(_("%(where)s：标识“%(key)s”重复。") % {"where": where, "key": key})
        keys.add(key)
        item = {
            "key": key,
            "label": label,
            "type": kind,
            "required": bool(raw.get("required", True)),
        }
        if kind == "number":
            low, high = raw.get("min"), raw.get("max")
            low_n = None if low in (None, "") else _number(low)
            high_n = None if high in (None, "") else _number(high)
            if (low not in (None, "") and low_n is None) or (
                high not in (None, "") and high_n is None
            ):
                errors.append(_("%(where)s：上下限须为数字。") % {"where": where})
            elif low_n is not None and high_n is not None and low_n > high_n:
                errors.append(_("%(where)s：下限不能大于上限。") % {"where": where})
            unit = str(raw.get("unit") or "").strip()
            if len(unit) > UNIT_MAX:
                errors.append(
                    _("%(where)s：单位不能超过 %(n)d 字。") % {"where": where, "n": UNIT_MAX}
                )
            item.update(
                min=None if low_n is None else _json_number(low_n),
                max=None if high_n is None else _json_number(high_n),
                unit=unit,
            )
        result.append(item)
    if errors:
        raise ValidationError({"checklist": errors})
    return result


@dataclass
class CleanedCompletion:
    answers: dict = field(default_factory=dict)
    failed_items: list = field(default_factory=list)
    photos: list = field(default_factory=list)  # (item key, uploaded file, image format)


def _bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_completion(checklist, answers, photos, *, notes="", signature="") -> CleanedCompletion:
    """Check answers (and photos) against a task's checklist snapshot.

    A "否" to a yes/no item, or a number outside its limits, is a failed item: recorded and
    followed up. Because a number outside its limits is more often a typing slip than a real
    finding, it is accepted only with an explanation in the notes; without one it is an error.
    """
    answers = answers if isinstance(answers, dict) else {}
    photos = photos or {}
    errors: dict[str, list] = {}
    result = CleanedCompletion()
    items = {item["key"]: item for item in checklist}

    def error(name, message):
        errors.setdefault(name, []).append(message)

    if not isinstance(notes, str) or len(notes) > NOTES_MAX:
        error("notes", _("备注不能超过 %(n)d 字。") % {"n": NOTES_MAX})
    if not isinstance(signature, str) or len(signature) > SIGNATURE_MAX:
        error("signature", _("签名不能超过 %(n)d 字。") % {"n": SIGNATURE_MAX})
    has_notes = isinstance(notes, str) and bool(notes.strip())
    for key in answers:
        if key not in items:
            error("__all__", _("未知的检查项“%(key)s”。") % {"key": key})
    for key in photos:
        if key not in items or items[key]["type"] != "photo":
            error("__all__", _("照片对应的检查项“%(key)s”不存在。") % {"key": key})

    for key, item in items.items():
        name, label, kind = field_name(key), item["label"], item["type"]
        value = answers.get(key)
        if kind == "photo":
            files = [f for f in photos.get(key, []) if f]
            if not files and item.get("required"):
                error(name, _("“%(label)s”须上传照片。") % {"label": label})
            if len(files) > MAX_PHOTOS_PER_ITEM:
                error(name, _("每项最多 %(n)d 张照片。") % {"n": MAX_PHOTOS_PER_ITEM})
            for upload in files[:MAX_PHOTOS_PER_ITEM]:
                try:
                    fmt = validate_image(upload)
                except ValidationError as exc:
                    for message in exc.messages:
                        error(name, message)
                else:
                    result.photos.append((key, upload, fmt))
            result.answers[key] = len(files)
            continue
        if _blank(value):
            if item.get("required"):
                error(name, _("请填写“%(label)s”。") % {"label": label})
            result.answers[key] = None
            continue
        if kind == "bool":
            answer = _bool(value)
            if answer is None:
                error(name, _("“%(label)s”请选择“是”或“否”。") % {"label": label})
                continue
            result.answers[key] = answer
            if not answer:
                result.failed_items.append(
                    {"key": key, "label": label, "answer": "否", "reason": _("检查结果为“否”")}
                )
        elif kind == "number":
            number = _number(value)
            if number is None:
                error(name, _("“%(label)s”请输入数字。") % {"label": label})
                continue
            low, high = _number(item.get("min")), _number(item.get("max"))
            result.answers[key] = _json_number(number)
            if (low is not None and number < low) or (high is not None and number > high):
                shown = f"{fmt_number(number)}{(' ' + item['unit']) if item.get('unit') else ''}"
                reason = _("数值 %(value)s 超出范围（%(limits)s）") % {
                    "value": shown,
                    "limits": limits_text(item),
                }
                if not has_notes:
                    error(
                        name,
                        reason
                        + _(
                            "。如数值属实，请在“备注”中说明情况后提交，系统将记为异常并通知负责人。"
                        ),
                    )
                    continue
                result.failed_items.append(
                    {"key": key, "label": label, "answer": shown, "reason": reason}
                )
        else:  # text
            text = str(value).strip()
            if len(text) > TEXT_MAX:
                error(name, _("“%(label)s”不能超过 %(n)d 字。") % {"label": label, "n": TEXT_MAX})
                continue
            result.answers[key] = text
    if errors:
        raise ValidationError(errors)
    return result


def answer_text(item, value) -> str:
    """How an answer reads on a page or in an export."""
    if value is None or value == "":
        return "—"
    kind = item.get("type")
    if kind == "bool":
        return "是" if value else "否"
    if kind == "number":
        return f"{fmt_number(value)}{(' ' + item['unit']) if item.get('unit') else ''}"
    if kind == "photo":
        return _("%(n)s 张") % {"n": value}
    return str(value)


def answers_summary(checklist, answers) -> str:
    return "；".join(
        f"{item['label']}：{answer_text(item, (answers or {}).get(item['key']))}"
        for item in checklist or []
    )
