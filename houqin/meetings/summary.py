"""The meetings figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end) -> dict (start/end: dates = local midnights, or aware datetimes;
the period is [start, end)). A fixed number of queries whatever the amount of data.

Definitions (the report's "X 次 / X 人" placeholders):
  served          bookings starting in the period with status "served" — only meetings the
                  meeting manager marked as served count; a confirmed booking that has ended
                  but was never marked is not counted, it is reported as `awaiting_mark`
  served_by_kind  the same by room kind (auditorium / medium / small)
  attendees       Σ attendees_actual of served bookings, falling back to attendees_expected
  major_meetings  served bookings of level "major": title, local date, major_kind, room
  cancelled / released (no-shows) / rejected   bookings starting in the period by status
  disinfection    records of the before/after-meeting disinfection tasks (tasks targeting a
                  booking) completed in the period, and the share of served meetings that
                  have both their before and after record done on time
  cleanings / public_disinfections / pest_control   duty records completed in the period by
                  category (duties.duty_figures); public disinfections count records of
                  plan tasks and of ad-hoc tasks about no object, not the per-meeting and
                  per-trip ones (ad-hoc tasks targeting their booking or trip)
  utilisation     per room: booked hours (confirmed + served bookings starting in the period)
                  ÷ open hours (open_from–open_until on every workday of the period)
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.models import DutyPlan, DutyRecord
from houqin.core.duties.recurrence import as_bound, to_local
from houqin.core.duties.selectors import duty_figures
from houqin.core.workdays.calendar import workdays_between

from .models import Booking, Room

S = Booking.Status
HELD = (S.CONFIRMED, S.SERVED)


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _hours(delta):
    return round((delta or dt.timedelta()).total_seconds() / 3600, 1)


def _disinfection(center, start, end, served_qs):
    booking_ct = ContentType.objects.get_for_model(Booking)
    on_time = DutyRecord.objects.filter(
        task__target_type=booking_ct, task__target_id=OuterRef("pk"), on_time=True
    )
    both = served_qs.annotate(
        before_ok=Exists(on_time.filter(task__title__startswith=_("会前消毒"))),
        after_ok=Exists(on_time.filter(task__title__startswith=_("会后消毒"))),
    ).aggregate(n=Count("pk", filter=Q(before_ok=True, after_ok=True)))["n"]
    records = DutyRecord.objects.filter(
        center=center,
        completed_at__gte=start,
        completed_at__lt=end,
        task__target_type=booking_ct,
        task__category=DutyPlan.Category.DISINFECTION,
    ).count()
    return records, both


def _public_disinfections(center, start, end):
    # The disinfection of shared spaces: scheduled (plan) tasks and one-off tasks about no
    # particular object. The per-meeting and per-trip disinfections are ad-hoc tasks of the
    # same category that target their booking or trip; they are counted by their modules.
    return DutyRecord.objects.filter(
        Q(task__plan__isnull=False) | Q(task__target_type__isnull=True),
        center=center,
        completed_at__gte=start,
        completed_at__lt=end,
        task__category=DutyPlan.Category.DISINFECTION,
    ).count()


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    in_period = Booking.objects.filter(center=center, starts_at__gte=start, starts_at__lt=end)

    kinds = Room.Kind.values
    counts = in_period.aggregate(
        served=Count("pk", filter=Q(status=S.SERVED)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
        released=Count("pk", filter=Q(status=S.RELEASED)),
        rejected=Count("pk", filter=Q(status=S.REJECTED)),
        awaiting_mark=Count("pk", filter=Q(status=S.CONFIRMED, ends_at__lte=min(end, now))),
        attendees=Sum(
            Coalesce("attendees_actual", "attendees_expected"), filter=Q(status=S.SERVED)
        ),
        **{
            f"kind_{kind}": Count("pk", filter=Q(status=S.SERVED, room__kind=kind))
            for kind in kinds
        },
    )
    served_qs = in_period.filter(status=S.SERVED)
    majors = [
        {
            "title": b.title,
            "date": to_local(b.starts_at).date(),
            "major_kind": b.major_kind,
            "room": b.room.name,
        }
        for b in served_qs.filter(level=Booking.Level.MAJOR)
        .select_related("room")
        .order_by("starts_at", "pk")
    ]
    meeting_records, both_on_time = _disinfection(center, start, end, served_qs)
    duties = duty_figures(center, start, end)["by_category"]

    workdays = workdays_between(to_local(start).date(), to_local(end).date())
    booked = ExpressionWrapper(
        F("bookings__ends_at") - F("bookings__starts_at"), output_field=DurationField()
    )
    rooms = (
        Room.objects.filter(center=center)
        .annotate(
            booked=Sum(
                booked,
                filter=Q(
                    bookings__status__in=HELD,
                    bookings__starts_at__gte=start,
                    bookings__starts_at__lt=end,
                ),
            )
        )
        .order_by("building", "floor", "name", "pk")
    )
    utilisation = []
    for room in rooms:
        daily = dt.datetime.combine(dt.date.min, room.open_until) - dt.datetime.combine(
            dt.date.min, room.open_from
        )
        open_hours = _hours(daily * len(workdays))
        booked_hours = _hours(room.booked)
        if not room.is_active and not booked_hours:
            continue
        utilisation.append(
            {
                "room_id": room.pk,
                "room": room.name,
                "kind": room.kind,
                "booked_hours": booked_hours,
                "open_hours": open_hours,
                "percent": _rate(booked_hours, open_hours),
            }
        )

    served = counts["served"]
    return {
        "period": (start, end),
        "served": served,
        "served_by_kind": {kind: counts[f"kind_{kind}"] for kind in kinds},
        "attendees": counts["attendees"] or 0,
        "major_meetings": majors,
        "awaiting_mark": counts["awaiting_mark"],
        "cancelled": counts["cancelled"],
        "released": counts["released"],
        "rejected": counts["rejected"],
        "disinfection": {
            "records": meeting_records,
            "served_with_both_on_time": both_on_time,
            "on_time_percent": _rate(both_on_time, served),
        },
        "cleanings": duties.get(DutyPlan.Category.CLEANING, 0),
        "public_disinfections": _public_disinfections(center, start, end),
        "pest_control": duties.get(DutyPlan.Category.PEST_CONTROL, 0),
        "workdays": len(workdays),
        "utilisation": utilisation,
    }
