"""Helpers of the duties tests: plans, images and a fixed clock."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.core.duties import services
from houqin.core.duties.models import DutyPlan
from houqin.core.duties.recurrence import TZ

FIRE_CHECKLIST = [
    {"key": "exits", "label": "疏散通道畅通", "type": "bool", "required": True},
    {
        "key": "temp",
        "label": "冷藏温度",
        "type": "number",
        "required": True,
        "min": 0,
        "max": 5,
        "unit": "℃",
    },
    {"key": "remark", "label": "情况说明", "type": "text", "required": False},
    {"key": "photo", "label": "现场照片", "type": "photo", "required": True},
]
GOOD_ANSWERS = {"exits": "yes", "temp": "3.5", "remark": "正常"}


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def make_plan(center, *, actor=None, now=None, days_ahead=14, **overrides):
    fields = {
        "title": "防火巡查",
        "category": DutyPlan.Category.FIRE_PATROL,
        "assignee_role": "guard",
        "rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        "dtstart": local(2026, 1, 1),
        "grace_minutes": 60,
        "checklist": [],
    }
    fields.update(overrides)
    return services.duty_plan_create(
        actor=actor, center=center, now=now or local(2026, 11, 1), days_ahead=days_ahead, **fields
    )


def image_bytes(fmt="PNG", size=(12, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def image_upload(name="现场.png", fmt="PNG", content_type="image/png", size=(12, 8)):
    return SimpleUploadedFile(name, image_bytes(fmt, size), content_type=content_type)
