"""Who may do what with duties; every object fetch goes through here (404 if not visible)."""

from django.shortcuts import get_object_or_404

from houqin.core.backends import user_roles
from houqin.core.roles import Role

from .selectors import photos_for, plans_for, records_for, tasks_for

VIEW_PLANS = "duties.view_dutyplan"
ADD_PLAN = "duties.add_dutyplan"
CHANGE_PLAN = "duties.change_dutyplan"
VIEW_TASKS = "duties.view_dutytask"
CHANGE_TASK = "duties.change_dutytask"
VIEW_RECORDS = "duties.view_dutyrecord"
EXPORT_RECORDS = "duties.export_dutyrecord"

# Roles that run duties for their center: they see every plan, task and record of it.
MANAGING_ROLES = (
    Role.CENTER_ADMIN,
    Role.MEETING_MANAGER,
    Role.SECURITY_MANAGER,
    Role.MAINTENANCE_MANAGER,
    Role.CANTEEN_MANAGER,
    Role.FLEET_DISPATCHER,
    Role.VENDOR_MANAGER,
    Role.ENERGY_MANAGER,
)
MANAGER_PERMISSIONS = (
    VIEW_PLANS,
    ADD_PLAN,
    CHANGE_PLAN,
    VIEW_TASKS,
    CHANGE_TASK,
    VIEW_RECORDS,
    EXPORT_RECORDS,
)
# Leaders oversee: they read and export, they do not edit plans.
LEADER_PERMISSIONS = (VIEW_PLANS, VIEW_TASKS, VIEW_RECORDS, EXPORT_RECORDS)


def get_plan_for_user(user, pk):
    return get_object_or_404(plans_for(user), pk=pk)


def get_task_for_user(user, pk):
    return get_object_or_404(tasks_for(user), pk=pk)


def get_record_for_user(user, pk):
    return get_object_or_404(records_for(user), pk=pk)


def get_photo_for_user(user, pk):
    return get_object_or_404(photos_for(user), pk=pk)


def can_complete(user, task, assignee_ids=None) -> bool:
    """An assignee (named, or holding the task's role in the task's center), or the person
    responsible for the task (the plan's manager; the creator of an ad-hoc task)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.center_id != task.center_id:
        return False
    if task.assignee_role and task.assignee_role in user_roles(user):
        return True
    if assignee_ids is None:
        assignee_ids = set(task.assignees.values_list("pk", flat=True))
    return user.pk in assignee_ids or user.pk == task.responsible_id


def can_cancel(user, task) -> bool:
    return user.has_perm(CHANGE_TASK) and user.center_id == task.center_id
