"""Mobile-first pages of the people who carry duties out: 今日任务 and the completion form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from houqin.core.forms import apply_errors

from .. import services
from ..checklist import answer_text, limits_text
from ..forms import CancelForm, CompletionForm
from ..permissions import can_cancel, can_complete, get_task_for_user
from ..recurrence import day_bounds, local_today, to_local
from ..selectors import my_done_tasks, my_tasks
from ..tables import assignee_text


@login_required
def my_tasks_view(request):
    now = timezone.now()
    today = local_today(now)
    day_start, _day_end = day_bounds(today)
    overdue, due_today = [], []
    for task in my_tasks(request.user, today):
        task.overdue = task.is_overdue(now)
        (overdue if task.due_at < day_start or task.overdue else due_today).append(task)
    done = list(my_done_tasks(request.user, today))
    return render(
        request,
        "duties/my_tasks.html",
        {"overdue": overdue, "due_today": due_today, "done": done, "today": today},
    )


def _checklist_rows(task):
    answers = task.record.answers if task.status == task.Status.DONE else {}
    return [
        {
            "item": item,
            "limits": limits_text(item),
            "answer": answer_text(item, answers.get(item["key"])),
        }
        for item in task.checklist
    ]


@login_required
def task_complete(request, pk):
    """The task (mobile): its checklist form while open, its record once done."""
    task = get_task_for_user(request.user, pk)
    now = timezone.now()
    assignee_ids = {u.pk for u in task.assignees.all()}
    may_complete = task.status == task.Status.OPEN and can_complete(
        request.user, task, assignee_ids
    )
    not_yet = to_local(now).date() < to_local(task.due_at).date()
    form = None
    if may_complete and not not_yet:
        form = CompletionForm(request.POST or None, request.FILES or None, checklist=task.checklist)
        if request.method == "POST" and form.is_valid():
            try:
                services.duty_task_complete(
                    actor=request.user,
                    task=task,
                    answers=form.answers(),
                    photos=form.photos(),
                    notes=form.cleaned_data["notes"],
                    signature=form.cleaned_data["signature"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("无权执行此操作。"))
                return redirect("duties:task_complete", pk=task.pk)
            else:
                messages.success(request, _("已登记完成：%(title)s。") % {"title": task.title})
                return redirect("duties:my_tasks")
    elif request.method == "POST":
        messages.error(request, _("该任务当前不能登记完成。"))
        return redirect("duties:task_complete", pk=task.pk)
    return render(
        request,
        "duties/task.html",
        {
            "task": task,
            "form": form,
            "not_yet": not_yet and may_complete,
            "overdue": task.is_overdue(now),
            "assignees": assignee_text(task),
            "rows": _checklist_rows(task),
            "can_cancel": task.status == task.Status.OPEN and can_cancel(request.user, task),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_POST
def task_cancel(request, pk):
    task = get_task_for_user(request.user, pk)
    if not can_cancel(request.user, task):
        raise PermissionDenied
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.duty_task_cancel(actor=request.user, task=task, reason=reason)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已取消该任务。"))
    return redirect("duties:task_complete", pk=task.pk)
