"""The meetings year of the scale dataset (seed_scale --only meetings) at 60 staff."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from houqin.core.approvals.models import ApprovalRequest, ApprovalStep
from houqin.core.duties.models import DutyRecord, DutyTask
from houqin.core.duties.recurrence import TZ
from houqin.meetings import summary
from houqin.meetings.models import Booking, BookingSeries, Room
from houqin.org.models import OrgUnit, User

pytestmark = pytest.mark.django_db

S = Booking.Status


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="meetings", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1")


def test_volumes_and_final_states(center):
    rooms = Room.objects.filter(center=center)
    assert rooms.count() == 5  # 50 × 60/3000, at least 5
    bookings = Booking.objects.filter(center=center)
    # ~15,000 × 0.02 = 300, a few lost to full days
    assert 240 <= bookings.count() <= 310
    assert BookingSeries.objects.filter(center=center).exists()
    # A year that is over: nothing left pending or confirmed.
    assert not bookings.filter(status__in=(S.PENDING, S.CONFIRMED)).exists()
    served = bookings.filter(status=S.SERVED)
    assert served.count() > 0.75 * bookings.count()
    assert bookings.filter(status=S.CANCELLED).exists()
    assert not served.filter(Q(served_at__isnull=True) | Q(attendees_actual__isnull=True)).exists()
    for b in bookings:
        local = b.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        assert local.year == 2025 and 8 <= local.hour <= 20
        assert b.ends_at > b.starts_at


def test_no_overlap_per_room(center):
    spans = {}
    for room_id, start, end in (
        Booking.objects.filter(center=center, status__in=Booking.ACTIVE)
        .order_by("room_id", "starts_at")
        .values_list("room_id", "starts_at", "ends_at")
    ):
        previous = spans.get(room_id)
        assert previous is None or previous <= start
        spans[room_id] = end


def test_disinfection_and_approvals_consistent(center):
    ct = ContentType.objects.get_for_model(Booking)
    served = Booking.objects.filter(center=center, status=S.SERVED)
    tasks = DutyTask.objects.filter(center=center, target_type=ct)
    # Each served booking has its two done tasks, each with one record.
    done = tasks.filter(target_id__in=served.values("pk"), status=DutyTask.Status.DONE)
    assert done.count() == 2 * served.count()
    assert DutyRecord.objects.filter(task__in=done).count() == done.count()
    assert not tasks.filter(status=DutyTask.Status.OPEN).exists()
    rejected = Booking.objects.filter(center=center, status=S.REJECTED).values("pk")
    assert not tasks.filter(target_id__in=rejected).exists()
    for record in DutyRecord.objects.filter(task__in=done).select_related("task")[:50]:
        assert record.on_time == (record.completed_at <= record.task.late_after)
    # Every booking in an approval room has its closed request, decided by the manager.
    manager = User.objects.get(username="s1meeting")
    needing = Booking.objects.filter(center=center, room__requires_approval=True).exclude(
        booker=manager
    )
    approvals = ApprovalRequest.objects.filter(content_type=ct, request_type="meetings.booking")
    assert approvals.filter(object_id__in=needing.values("pk")).count() == needing.count()
    assert not approvals.filter(status__in=ApprovalRequest.OPEN_STATUSES).exists()
    for approval in approvals.filter(status="approved"):
        booking = Booking.objects.get(pk=approval.object_id)
        assert booking.status != S.REJECTED
        step = approval.steps.get()
        assert step.status == ApprovalStep.Status.APPROVED and step.decided_by == manager
    counts = approvals.aggregate(n=Count("pk", distinct=True), actions=Count("actions"))
    assert counts["actions"] >= 2 * counts["n"]


def test_summary_and_pages(center, client):
    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    end = dt.datetime(2025, 12, 31, tzinfo=TZ)  # the period is [start, end)
    served = Booking.objects.filter(center=center, status=S.SERVED, starts_at__lt=end).count()
    assert figures["served"] == served > 0
    assert figures["attendees"] > served
    assert figures["awaiting_mark"] == 0
    assert figures["disinfection"]["records"] >= 2 * served - 2  # late ones may fall in 2026
    assert 80 <= figures["disinfection"]["on_time_percent"] <= 100
    assert figures["utilisation"] and all(0 < u["percent"] < 100 for u in figures["utilisation"])
    client.force_login(User.objects.get(username="s1meeting"))
    assert client.get(reverse("meetings:booking_list")).status_code == 200
    assert client.get(reverse("meetings:room_list")).status_code == 200
