import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..recurrence import local_today

PAGE_SIZE = 50


def apply_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def parse_month(value: str | None) -> tuple[int, int] | None:
    """(year, month) from "2026-11", or None for anything else."""
    try:
        parsed = dt.datetime.strptime((value or "").strip(), "%Y-%m")
    except ValueError:
        return None
    return (parsed.year, parsed.month) if 2000 <= parsed.year <= 2100 else None


def month_or_current(value: str | None) -> tuple[int, int, bool]:
    """(year, month, valid): the month asked for, or the current one when absent/invalid."""
    parsed = parse_month(value)
    if parsed:
        return (*parsed, True)
    today = local_today()
    return today.year, today.month, not value


def shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
