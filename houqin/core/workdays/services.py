"""Writes of the workday calendar."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import HolidayOverride


@transaction.atomic
def holiday_override_set(*, actor, date, is_workday, name):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称，如“国庆节”或“国庆节调休”。")})
    override, _created = HolidayOverride.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name[:40], "created_by": actor}
    )
    return override


@transaction.atomic
def holiday_override_delete(*, actor, override):
    override.delete()
