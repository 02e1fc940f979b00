import datetime as dt

from ..recurrence import local_today

PAGE_SIZE = 50


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
