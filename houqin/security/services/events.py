"""突发事件, 重大活动安保预案 and 培训演练: the writes.

Incidents are logged by guards and managers (the security managers are told); managers record
the handling and follow-up and close them with a result. Contingency plans belong to a major
event, optionally a meeting booking marked 重大会议 of the same center, with a responsible
security manager or leader. Trainings and drills record who took part (people of the center)
for the compliance board (DOMAIN.md §8: training yearly, evacuation drill every half year).

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify
from houqin.core.roles import Role
from houqin.org.models import Person

from ..models import ContingencyPlan, Drill, Incident
from .common import require, security_managers, text

ADD_INCIDENT = "security.add_incident"
CHANGE_INCIDENT = "security.change_incident"
ADD_PLAN = "security.add_contingencyplan"
CHANGE_PLAN = "security.change_contingencyplan"
ADD_DRILL = "security.add_drill"
CHANGE_DRILL = "security.change_drill"
RESPONSIBLE_ROLES = (Role.SECURITY_MANAGER, Role.LEADER)
MAX_OTHER_PARTICIPANTS = 10000


# ------------------------------------------------------------------ shared look-ups


def responsible_users(center_id):
    """Who may be responsible for a contingency plan: security managers and leaders."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            center_id=center_id,
            role_assignments__center_id=center_id,
            role_assignments__role__in=RESPONSIBLE_ROLES,
        )
        .select_related("person")
        .distinct()
        .order_by("username")
    )


def major_bookings(center_id, *, now=None, include=None):
    """Upcoming (not yet ended) meeting bookings marked 重大会议 that still hold the room, for
    the plan form; `include` (the plan's current booking) is kept even when past."""
    from django.db.models import Q

    from houqin.meetings.models import Booking

    now = now or timezone.now()
    wanted = Q(level=Booking.Level.MAJOR, status__in=Booking.ACTIVE, ends_at__gt=now)
    if include is not None:
        wanted |= Q(pk=include)
    return (
        Booking.objects.filter(center_id=center_id)
        .filter(wanted)
        .select_related("room")
        .order_by("starts_at", "id")
    )


def active_people(center_id):
    return (
        Person.objects.filter(center_id=center_id, status=Person.Status.ACTIVE)
        .select_related("agency")
        .order_by("agency__path", "name", "id")
    )


def _choice(value, choices, field, label):
    if value not in choices:
        raise ValidationError({field: _("请选择%(l)s。") % {"l": label}})
    return value


# ------------------------------------------------------------------ incidents


def _incident_fields(*, occurred_at, place, kind, description, handling, follow_up, now):
    if occurred_at is None:
        raise ValidationError({"occurred_at": _("请填写发生时间。")})
    if occurred_at > now:
        raise ValidationError({"occurred_at": _("发生时间不能晚于现在。")})
    return {
        "occurred_at": occurred_at,
        "place": text(place, "place", _("地点"), 100, required=True),
        "kind": _choice(kind, Incident.Kind.values, "kind", _("事件类型")),
        "description": text(description, "description", _("经过"), 2000, required=True),
        "handling": text(handling, "handling", _("处置情况"), 2000),
        "follow_up": text(follow_up, "follow_up", _("后续措施"), 500),
    }


@transaction.atomic
def incident_create(
    *,
    actor,
    center,
    occurred_at,
    place,
    kind,
    description,
    handling="",
    follow_up="",
    now=None,
) -> Incident:
    """A guard or a manager logs an incident; the security managers are told."""
    center_id = getattr(center, "pk", center)
    require(actor, ADD_INCIDENT, center_id)
    now = now or timezone.now()
    fields = _incident_fields(
        occurred_at=occurred_at,
        place=place,
        kind=kind,
        description=description,
        handling=handling,
        follow_up=follow_up,
        now=now,
    )
    incident = Incident.objects.create(center_id=center_id, reported_by=actor, **fields)
    notify(
        recipients=security_managers(center_id),
        kind="security.incident",
        title=_("突发事件：%(k)s，%(p)s") % {"k": incident.get_kind_display(), "p": incident.place},
        body=incident.description[:500],
        url=reverse("security:incident_detail", args=[incident.pk]),
        obj=incident,
        actor=actor,
    )
    return incident


def _locked_incident(incident):
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def incident_update(
    *,
    actor,
    incident,
    occurred_at,
    place,
    kind,
    description,
    handling="",
    follow_up="",
    now=None,
) -> Incident:
    """Correct the record and add the handling and follow-up (also after closing: follow-up
    measures often come later)."""
    require(actor, CHANGE_INCIDENT, incident.center_id)
    incident = _locked_incident(incident)
    fields = _incident_fields(
        occurred_at=occurred_at,
        place=place,
        kind=kind,
        description=description,
        handling=handling,
        follow_up=follow_up,
        now=now or timezone.now(),
    )
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.save()
    return incident


@transaction.atomic
def incident_close(*, actor, incident, result, handling=None, follow_up=None, now=None):
    """办结: the result is required; closed now."""
    require(actor, CHANGE_INCIDENT, incident.center_id)
    incident = _locked_incident(incident)
    if incident.status != Incident.Status.OPEN:
        raise ValidationError(_("该事件已办结。"))
    incident.result = text(result, "result", _("处置结果"), 500, required=True)
    if handling is not None:
        incident.handling = text(handling, "handling", _("处置情况"), 2000)
    if follow_up is not None:
        incident.follow_up = text(follow_up, "follow_up", _("后续措施"), 500)
    incident.status = Incident.Status.CLOSED
    incident.closed_at = now or timezone.now()
    incident.save()
    return incident


# ------------------------------------------------------------------ contingency plans


def _plan_fields(
    center_id,
    *,
    title,
    event_start,
    event_end,
    booking,
    measures,
    responsible,
    coordination_meeting_at,
    status,
    current_booking_id=None,
):
    from houqin.meetings.models import Booking

    title = text(title, "title", _("预案名称"), 100, required=True)
    if booking is not None:
        if booking.center_id != center_id or booking.level != Booking.Level.MAJOR:
            raise ValidationError({"booking": _("请选择本中心标记为重大会议的会议预订。")})
        if booking.pk != current_booking_id and booking.status not in Booking.ACTIVE:
            raise ValidationError({"booking": _("该会议预订已取消或未通过，不能关联。")})
        event_start = event_start or booking.starts_at
        event_end = event_end or booking.ends_at
    if event_start is None:
        raise ValidationError({"event_start": _("请填写活动开始时间。")})
    if event_end is None:
        raise ValidationError({"event_end": _("请填写活动结束时间。")})
    if event_end <= event_start:
        raise ValidationError({"event_end": _("活动结束时间必须晚于开始时间。")})
    if coordination_meeting_at is not None and coordination_meeting_at > event_start:
        raise ValidationError({"coordination_meeting_at": _("协调会应在活动开始之前召开。")})
    if responsible is None:
        raise ValidationError({"responsible": _("请选择负责人。")})
    if not responsible_users(center_id).filter(pk=responsible.pk).exists():
        raise ValidationError({"responsible": _("负责人须为本中心的安保消防管理员或中心领导。")})
    return {
        "title": title,
        "event_start": event_start,
        "event_end": event_end,
        "booking": booking,
        "measures": text(measures, "measures", _("安保措施"), 4000, required=True),
        "responsible": responsible,
        "coordination_meeting_at": coordination_meeting_at,
        "status": _choice(status, ContingencyPlan.Status.values, "status", _("状态")),
    }


@transaction.atomic
def contingency_plan_create(
    *,
    actor,
    center,
    title,
    measures,
    responsible,
    event_start=None,
    event_end=None,
    booking=None,
    coordination_meeting_at=None,
    status=ContingencyPlan.Status.DRAFT,
) -> ContingencyPlan:
    """A plan for a major event; with a booking, its times fill in missing event times."""
    center_id = getattr(center, "pk", center)
    require(actor, ADD_PLAN, center_id)
    fields = _plan_fields(
        center_id,
        title=title,
        event_start=event_start,
        event_end=event_end,
        booking=booking,
        measures=measures,
        responsible=responsible,
        coordination_meeting_at=coordination_meeting_at,
        status=status,
    )
    return ContingencyPlan.objects.create(center_id=center_id, **fields)


@transaction.atomic
def contingency_plan_update(
    *,
    actor,
    plan,
    title,
    measures,
    responsible,
    event_start=None,
    event_end=None,
    booking=None,
    coordination_meeting_at=None,
    status=ContingencyPlan.Status.DRAFT,
) -> ContingencyPlan:
    require(actor, CHANGE_PLAN, plan.center_id)
    plan = ContingencyPlan.objects.select_for_update().get(pk=plan.pk)
    fields = _plan_fields(
        plan.center_id,
        title=title,
        event_start=event_start,
        event_end=event_end,
        booking=booking,
        measures=measures,
        responsible=responsible,
        coordination_meeting_at=coordination_meeting_at,
        status=status,
        current_booking_id=plan.booking_id,
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


# ------------------------------------------------------------------ trainings and drills


def _drill_fields(
    center_id,
    *,
    kind,
    title,
    held_on,
    place,
    organizer,
    participants,
    other_participants,
    summary,
    keep_ids=(),
):
    if held_on is None:
        raise ValidationError({"held_on": _("请填写日期。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("日期不能晚于今天，请在培训、演练结束后登记。")})
    people = list(participants or ())
    wrong = [
        p
        for p in people
        if p.center_id != center_id
        or (p.status != Person.Status.ACTIVE and p.pk not in set(keep_ids))
    ]
    if wrong:
        raise ValidationError(
            {"participants": _("参加人员须为本中心在职人员：%(n)s。") % {"n": wrong[0].name}}
        )
    try:
        other = int(other_participants or 0)
    except (TypeError, ValueError):
        raise ValidationError({"other_participants": _("其他参加人数必须是整数。")}) from None
    if not 0 <= other <= MAX_OTHER_PARTICIPANTS:
        raise ValidationError(
            {
                "other_participants": _("其他参加人数应在 0—%(n)s 之间。")
                % {"n": MAX_OTHER_PARTICIPANTS}
            }
        )
    if not people and not other:
        raise ValidationError({"participants": _("请选择参加人员或填写其他参加人数。")})
    fields = {
        "kind": _choice(kind, Drill.Kind.values, "kind", _("类型")),
        "title": text(title, "title", _("主题"), 100, required=True),
        "held_on": held_on,
        "place": text(place, "place", _("地点"), 100),
        "organizer": text(organizer, "organizer", _("组织/授课"), 100),
        "other_participants": other,
        "summary": text(summary, "summary", _("情况小结"), 2000),
    }
    return fields, people


@transaction.atomic
def drill_create(
    *,
    actor,
    center,
    kind,
    title,
    held_on,
    participants=(),
    other_participants=0,
    place="",
    organizer="",
    summary="",
) -> Drill:
    center_id = getattr(center, "pk", center)
    require(actor, ADD_DRILL, center_id)
    fields, people = _drill_fields(
        center_id,
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        organizer=organizer,
        participants=participants,
        other_participants=other_participants,
        summary=summary,
    )
    drill = Drill.objects.create(center_id=center_id, **fields)
    drill.participants.set(people)
    return drill


@transaction.atomic
def drill_update(
    *,
    actor,
    drill,
    kind,
    title,
    held_on,
    participants=(),
    other_participants=0,
    place="",
    organizer="",
    summary="",
) -> Drill:
    """Correct a record; people who have since left may stay on it, new ones must be active."""
    require(actor, CHANGE_DRILL, drill.center_id)
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    fields, people = _drill_fields(
        drill.center_id,
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        organizer=organizer,
        participants=participants,
        other_participants=other_participants,
        summary=summary,
        keep_ids=list(drill.participants.values_list("pk", flat=True)),
    )
    for name, value in fields.items():
        setattr(drill, name, value)
    drill.save()
    drill.participants.set(people)
    return drill
