"""Daily reminders (Celery beat "space-reminders"; command space_reminders): leases about to
end and offices of departed people not handed back, each told once to the space managers."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from houqin.core.notifications.models import Notification
from houqin.org.models import Person
from houqin.org.services import person_set_status
from houqin.space import tasks
from houqin.space.models import Lease, Occupancy
from houqin.space.services import estate as svc
from houqin.space.services.allocation import allocation_create, occupancy_add, occupancy_end

from .test_estate import LEASE, NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def notes(kind):
    return Notification.objects.filter(kind=kind)


def at(day):
    """10:00 in Asia/Shanghai on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def lease(manager, end, **data):
    fields = {**LEASE, "end_date": end, "start_date": dt.date(2024, 1, 1)}
    return svc.lease_create(actor=manager, center=manager.center, **{**fields, **data})


def test_beat_schedule_and_task_name():
    assert settings.CELERY_BEAT_SCHEDULE["space-reminders"] == {
        "task": "space.reminders",
        "schedule": 86400.0,
    }
    assert tasks.space_reminders_task.name == "space.reminders"


# ------------------------------------------------------------------ leases


def test_lease_expiry_told_once_when_due(manager_a, leader_a, manager_b):
    soon = lease(manager_a, TODAY + dt.timedelta(days=60), address="供销社三层")
    later = lease(manager_a, TODAY + dt.timedelta(days=61), address="远期民房")
    gone = lease(manager_a, TODAY + dt.timedelta(days=10), address="已退民房")
    svc.lease_vacate(actor=manager_a, lease=gone, vacated_on=TODAY)

    assert tasks.space_reminders(now=NOW) == {"lease_expiry": 1, "office_overdue": 0}
    note = notes("space.lease_expiry").get()
    assert note.recipient == manager_a  # the leader and center B's manager are not told
    assert "供销社三层" in note.title and "2027-01-24" in note.title and "将于" in note.title
    assert note.url == f"/space/leases/{soon.pk}/"
    soon.refresh_from_db()
    assert soon.expiry_notified_on == TODAY

    # Idempotent: the next run (and the next day) sends nothing more for it…
    assert tasks.space_reminders(now=NOW) == {"lease_expiry": 0, "office_overdue": 0}
    # …and the later lease is told about once it enters the window.
    assert tasks.space_reminders(now=at(TODAY + dt.timedelta(days=1)))["lease_expiry"] == 1
    assert notes("space.lease_expiry").count() == 2
    later.refresh_from_db()
    assert later.expiry_notified_on == TODAY + dt.timedelta(days=1)


def test_lease_already_past_its_end_is_told(manager_a):
    lease(manager_a, TODAY - dt.timedelta(days=3))
    assert tasks.space_reminders(now=NOW)["lease_expiry"] == 1
    assert "已于" in notes("space.lease_expiry").get().title


def test_renewed_lease_is_told_again(manager_a):
    item = lease(manager_a, TODAY + dt.timedelta(days=30))
    tasks.space_reminders(now=NOW)
    renewed = {**LEASE, "start_date": dt.date(2024, 1, 1), "end_date": dt.date(2027, 1, 20)}
    svc.lease_update(actor=manager_a, lease=item, **renewed)
    assert tasks.space_reminders(now=NOW)["lease_expiry"] == 1
    assert notes("space.lease_expiry").count() == 2


def test_no_manager_no_reminder_until_one_is_appointed(manager_a, center_b, agency_b):
    from houqin.core.roles import Role
    from houqin.org.tests.factories import PersonFactory, make_user

    item = svc.lease_create(actor=None, center=center_b, **{**LEASE, "end_date": TODAY})
    assert tasks.space_reminders(now=NOW)["lease_expiry"] == 0
    item.refresh_from_db()
    assert item.expiry_notified_on is None
    make_user(PersonFactory(agency=agency_b), Role.SPACE_MANAGER, username="space_b2")
    assert tasks.space_reminders(now=NOW)["lease_expiry"] == 1


# ------------------------------------------------------------------ offices not returned


@pytest.fixture
def seated(manager_a, admin_a, agency_x, make_room, make_person):
    """A clerk transferred on 20 October 2026 who still has an office (due 20 November), and
    a colleague still in post."""
    room = make_room(area="12.00", capacity=2)
    allocation_create(actor=None, room=room, agency=agency_x, start_date=dt.date(2026, 1, 1))
    clerk = make_person(agency_x, name="调离科员")
    colleague = make_person(agency_x, name="在职科员")
    for person in (clerk, colleague):
        occupancy_add(actor=None, room=room, person=person, start_date=dt.date(2026, 1, 1))
    person_set_status(
        actor=admin_a, person=clerk, status=Person.Status.TRANSFERRED, date=dt.date(2026, 10, 20)
    )
    return clerk, colleague, room


def test_overdue_office_told_once(seated, manager_a):
    clerk, colleague, _room = seated
    before = at(dt.date(2026, 11, 19))
    assert tasks.space_reminders(now=before)["office_overdue"] == 0
    assert not notes("space.office_overdue").exists()

    assert tasks.space_reminders(now=at(dt.date(2026, 11, 20)))["office_overdue"] == 1
    note = notes("space.office_overdue").get()
    assert note.recipient == manager_a
    assert "调离科员" in note.title and "调离" in note.title and "2026-11-20" in note.title
    assert note.url == "/space/#unreturned"
    occupancy = Occupancy.objects.get(person=clerk)
    assert occupancy.overdue_notified_at == at(dt.date(2026, 11, 20))
    assert Occupancy.objects.get(person=colleague).overdue_notified_at is None

    assert tasks.space_reminders(now=NOW)["office_overdue"] == 0
    assert notes("space.office_overdue").count() == 1


def test_returned_office_is_not_told(seated):
    clerk, _colleague, _room = seated
    occupancy_end(
        actor=None, occupancy=Occupancy.objects.get(person=clerk), end_date=dt.date(2026, 11, 1)
    )
    assert tasks.space_reminders(now=NOW)["office_overdue"] == 0


def test_management_command(seated, manager_a):
    lease(manager_a, TODAY + dt.timedelta(days=5))
    out = io.StringIO()
    call_command("space_reminders", stdout=out)
    assert "已提醒 1 处即将到期的租用房屋、1 间逾期未收回的办公室" in out.getvalue()
    out = io.StringIO()
    call_command("space_reminders", stdout=out)
    assert "已提醒 0 处" in out.getvalue() and "0 间" in out.getvalue()
    assert Lease.objects.get().expiry_notified_on == TODAY
