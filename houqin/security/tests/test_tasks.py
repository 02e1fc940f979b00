"""The daily job: fire equipment expiry reminders (once per piece, re-armed by a new expiry
date) and the purge of visits past the retention period; the Celery task and the command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from houqin.core.notifications.models import Notification
from houqin.security import tasks
from houqin.security.models import FireEquipment, Visit, Visitor
from houqin.security.services import equipment as services

pytestmark = pytest.mark.django_db
NOW = timezone.now()
TODAY = timezone.localdate(NOW)


def piece(center, code, expires_in, **kw):
    return FireEquipment.objects.create(
        center=center,
        code=code,
        kind="extinguisher_abc",
        location="主楼1楼",
        expires_on=TODAY + dt.timedelta(days=expires_in),
        **kw,
    )


def reminders(user):
    return Notification.objects.filter(recipient=user, kind=tasks.EXPIRY_KIND)


def test_expiring_equipment_is_reminded_once_and_rearmed(
    manager_a, guard_a, center_a, manager_b, center_b
):
    soon = piece(center_a, "SOON", 20)
    late = piece(center_a, "LATE", -3)
    piece(center_a, "FAR", 60)
    piece(center_a, "GONE", -10, status="scrapped", replaced_on=TODAY)
    piece(center_b, "B-SOON", 5)

    result = tasks.security_daily(now=NOW)
    assert result["equipment_reminded"] == 3
    mine = reminders(manager_a).get()
    assert "2 件" in mine.title and "已过期 1 件" in mine.title
    assert "SOON" in mine.body and "LATE" in mine.body and "FAR" not in mine.body
    assert "GONE" not in mine.body and "B-SOON" not in mine.body
    assert "B-SOON" in reminders(manager_b).get().body
    assert not reminders(guard_a).exists()
    soon.refresh_from_db()
    assert soon.expiry_notified_on == TODAY

    # Once per piece: the next day's run says nothing more.
    assert tasks.security_daily(now=NOW + dt.timedelta(days=1))["equipment_reminded"] == 0
    assert reminders(manager_a).count() == 1

    # A refilled piece gets a new date: reminded again when that comes near.
    late.refresh_from_db()
    services.fire_equipment_update(
        actor=manager_a,
        equipment=late,
        code=late.code,
        kind=late.kind,
        location=late.location,
        expires_on=TODAY + dt.timedelta(days=400),
    )
    assert tasks.security_daily(now=NOW)["equipment_reminded"] == 0
    later = NOW + dt.timedelta(days=380)
    assert tasks.security_daily(now=later)["equipment_reminded"] >= 1
    assert "LATE" in reminders(manager_a).order_by("-pk").first().body


def test_the_job_purges_old_visits(settings, guard_a, gate_a, agency_x, center_a):
    from houqin.security.services.visits import visit_exit, visit_register

    settings.SECURITY_VISIT_RETENTION_DAYS = 30
    old = visit_register(
        actor=guard_a, gate=gate_a, name="旧访客", host_agency=agency_x, purpose="办事"
    )
    visit_exit(actor=guard_a, visit=old)
    Visit.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=31))
    still_in = visit_register(
        actor=guard_a, gate=gate_a, name="在访", host_agency=agency_x, purpose="办事"
    )
    Visit.objects.filter(pk=still_in.pk).update(created_at=NOW - dt.timedelta(days=31))
    recent = visit_register(
        actor=guard_a, gate=gate_a, name="新访客", host_agency=agency_x, purpose="办事"
    )

    assert tasks.security_daily(now=NOW)["visits_purged"] == 1
    assert set(Visit.objects.values_list("pk", flat=True)) == {still_in.pk, recent.pk}
    assert not Visitor.objects.filter(name="旧访客").exists()


def test_celery_task_and_command(manager_a, center_a):
    piece(center_a, "SOON", 3)
    assert tasks.security_daily_task.name == "security.daily"
    out = StringIO()
    call_command("security_daily", stdout=out)
    assert "已提醒 1 件" in out.getvalue()
    assert tasks.security_daily_task.apply().get() == {"equipment_reminded": 0, "visits_purged": 0}


def test_beat_schedules_the_job(settings):
    assert settings.CELERY_BEAT_SCHEDULE["security-daily"]["task"] == "security.daily"
