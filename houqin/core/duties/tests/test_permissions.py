"""Isolation: center B gets 404 on every object URL of center A; roles get only their pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.core.duties import services
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.tests.factories import image_upload, make_plan
from houqin.core.roles import role_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects_a(center_a, guard_a, security_a, media):
    """A plan, an open task, a done task with its record and photo, all of center A."""
    plan = make_plan(
        center_a,
        title="A区夜间巡查",
        manager=security_a,
        now=timezone.now(),
        days_ahead=3,
        checklist=[{"key": "p", "label": "照片", "type": "photo", "required": False}],
    )
    done = services.duty_task_create_adhoc(
        actor=security_a,
        center=center_a,
        title="会前消毒",
        assignee_role="guard",
        due_at=timezone.now() - dt.timedelta(seconds=1),
        grace_minutes=60,
        checklist=[{"key": "p", "label": "照片", "type": "photo"}],
    )
    record = services.duty_task_complete(
        actor=guard_a, task=done, answers={}, photos={"p": image_upload()}
    )
    open_task = plan.tasks.order_by("due_at").first()
    return plan, open_task, record, record.photos.get()


def object_urls(plan, task, record, photo, *, manager_pages=True):
    """Every URL naming one of A's objects. Manager-only pages check the permission first
    (403 for anyone without it, whatever the object), so they are tested with a manager."""
    plan_urls = [
        ("get", reverse("duties:plan_detail", args=[plan.pk])),
        ("get", reverse("duties:plan_edit", args=[plan.pk])),
        ("post", reverse("duties:plan_edit", args=[plan.pk])),
        ("post", reverse("duties:plan_deactivate", args=[plan.pk])),
        ("post", reverse("duties:plan_activate", args=[plan.pk])),
    ]
    return (plan_urls if manager_pages else []) + [
        ("get", reverse("duties:task_complete", args=[task.pk])),
        ("post", reverse("duties:task_complete", args=[task.pk])),
        ("post", reverse("duties:task_cancel", args=[task.pk])),
        ("get", reverse("duties:record_detail", args=[record.pk])),
        ("get", reverse("duties:photo", args=[photo.pk])),
        ("get", f"/api/v1/duty-tasks/{task.pk}/"),
        ("post", f"/api/v1/duty-tasks/{task.pk}/complete/"),
    ]


@pytest.mark.parametrize("who", ["admin_b", "guard_b"])
def test_center_b_gets_404_on_every_object_url(request, client, objects_a, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in object_urls(*objects_a, manager_pages=who == "admin_b"):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (who, method, url, response.status_code)
    plan, task, _record, _photo = objects_a
    plan.refresh_from_db()
    task.refresh_from_db()
    assert plan.is_active and task.status == DutyTask.Status.OPEN
    assert DutyRecord.objects.count() == 1


def test_unknown_ids_are_404(client, security_a):
    client.force_login(security_a)
    for name in (
        "duties:task_complete",
        "duties:plan_detail",
        "duties:record_detail",
        "duties:photo",
    ):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_center_b_lists_show_nothing_of_a(client, objects_a, admin_b):
    client.force_login(admin_b)
    for name in ("duties:plan_list", "duties:record_list", "duties:compliance", "duties:my_tasks"):
        html = client.get(reverse(name)).content.decode()
        assert "A区夜间巡查" not in html and "会前消毒" not in html, name


def test_staff_has_no_manager_pages(client, staff_x, objects_a):
    client.force_login(staff_x)
    for name in (
        "duties:plan_list",
        "duties:plan_create",
        "duties:compliance",
        "duties:record_list",
        "duties:plan_preview",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    _plan, task, record, photo = objects_a
    # Not their task, record or photo: 404 (the same as missing).
    assert client.get(reverse("duties:task_complete", args=[task.pk])).status_code == 404
    assert client.get(reverse("duties:record_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("duties:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("duties:my_tasks")).status_code == 200


def test_assignee_sees_own_task_and_record(client, guard_a2, objects_a):
    plan, task, record, photo = objects_a
    client.force_login(guard_a2)  # holds the guard role: the tasks are theirs too
    assert client.get(reverse("duties:task_complete", args=[task.pk])).status_code == 200
    assert client.get(reverse("duties:record_detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("duties:photo", args=[photo.pk])).status_code == 200
    assert client.get(reverse("duties:plan_detail", args=[plan.pk])).status_code == 403


def test_leader_reads_but_does_not_edit(client, leader_a, objects_a):
    plan, task, record, _photo = objects_a
    client.force_login(leader_a)
    assert client.get(reverse("duties:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("duties:compliance")).status_code == 200
    assert client.get(reverse("duties:record_detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("duties:plan_edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("duties:plan_deactivate", args=[plan.pk])).status_code == 403
    assert client.post(reverse("duties:task_cancel", args=[task.pk])).status_code == 403
    assert DutyPlan.objects.get(pk=plan.pk).is_active


def test_menu_for_managers_only(client, security_a, staff_x):
    client.force_login(security_a)
    html = client.get(reverse("home")).content.decode()
    assert "责任事项" in html and reverse("duties:compliance") in html
    client.force_login(staff_x)
    html = client.get(reverse("home")).content.decode()
    assert reverse("duties:compliance") not in html


def test_managing_roles_hold_the_view_permission():
    perms = role_permissions()
    for role in (
        "center_admin",
        "leader",
        "meeting_manager",
        "security_manager",
        "maintenance_manager",
        "canteen_manager",
        "fleet_dispatcher",
        "vendor_manager",
        "energy_manager",
    ):
        assert "duties.view_dutytask" in perms[role], role
    for role in ("staff", "guard", "liaison", "auditor", "driver"):
        assert "duties.view_dutytask" not in perms[role], role
    assert "duties.change_dutyplan" not in perms["leader"]
