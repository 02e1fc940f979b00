"""What happens when a completion records failed checklist items (a "否", a reading out of
limits): every registered follow-up handler is called with the record and the failed items,
inside the completion's transaction.

The default handler, registered under the key "notify_manager", tells the person responsible
(the plan's manager, or the creator of an ad-hoc task). The maintenance module will register
a handler that opens a work order:

    from houqin.core.duties.followups import register_followup_handler

    def open_work_order(record, failed_items): ...
    register_followup_handler(open_work_order, key="maintenance.work_order")

A handler must not raise for ordinary cases: an exception rolls back the completion.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

FollowupHandler = Callable[[object, list[dict]], None]

_HANDLERS: dict[str, FollowupHandler] = {}


def register_followup_handler(handler: FollowupHandler, *, key: str | None = None) -> None:
    """Call `handler(record, failed_items)` for every completion with failed items."""
    _HANDLERS[key or f"{handler.__module__}.{handler.__qualname__}"] = handler


def unregister_followup_handler(key: str) -> None:
    _HANDLERS.pop(key, None)


def followup_handlers() -> list[FollowupHandler]:
    return list(_HANDLERS.values())


def run_followups(record, failed_items: list[dict]) -> None:
    for handler in followup_handlers():
        handler(record, failed_items)


def notify_manager(record, failed_items: list[dict]) -> None:
    """Default follow-up: tell the person responsible what failed, with a link to the record."""
    from django.contrib.auth import get_user_model

    from houqin.core.notifications.services import notify

    task = record.task
    responsible = task.responsible_id
    if responsible is None:
        return
    lines = [f"{item['label']}：{item['reason']}" for item in failed_items]
    if record.notes:
        lines.append(_("备注：%(notes)s") % {"notes": record.notes})
    notify(
        recipients=get_user_model().objects.filter(pk=responsible),
        kind="duty.followup",
        title=_("检查发现问题：%(title)s（%(n)d 项）")
        % {"title": task.title, "n": len(failed_items)},
        body="\n".join(lines),
        url=reverse("duties:record_detail", args=[record.pk]),
        obj=record,
        center=record.center_id,
        actor=record.completed_by,
    )
