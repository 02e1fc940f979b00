"""值班排班: shifts of each post and who is on which shift on which day.

Rules (DOMAIN.md §8): every post that has shifts is covered 24 h a day, and the fire control
room has at least 2 people on every shift. A shift whose end is not after its start ends the
next day (夜班 20:00–08:00); a roster entry belongs to the day its shift starts. Nobody is on
two shifts at once, counting the overnight wrap. roster_gaps() reports holes in the 24 h and
shifts with fewer people than they need, in a fixed number of queries.

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.roles import Role
from houqin.org.models import User

from ..models import RosterEntry, Shift
from ..models.rosters import Post
from .common import require, text

ROSTER_ROLES = (Role.GUARD, Role.SECURITY_MANAGER)
FIRE_CONTROL_MIN_STAFF = 2
DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- time arithmetic


def shift_span(shift, day):
    """[start, end) of `shift` worked on `day`, as naive local datetimes."""
    start = dt.datetime.combine(day, shift.start)
    end = dt.datetime.combine(day, shift.end)
    if shift.end <= shift.start:
        end += DAY
    return start, end


def shift_hours(shift):
    start, end = shift_span(shift, dt.date(2000, 1, 3))
    return (end - start).total_seconds() / 3600


def _aware(value):
    return timezone.make_aware(value, timezone.get_current_timezone())


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _fmt(shift):
    return f"{shift.name} {shift.start:%H:%M}–{shift.end:%H:%M}"


# ---------------------------------------------------------------- shifts


def _shift_fields(center_id, *, post, name, start, end, min_staff, exclude_pk=None):
    if post not in Post.values:
        raise ValidationError({"post": _("请选择岗位。")})
    name = text(name, "name", _("班次名称"), 20, required=True)
    errors = {}
    if start is None:
        errors["start"] = _("请填写开始时间。")
    if end is None:
        errors["end"] = _("请填写结束时间。")
    if errors:
        raise ValidationError(errors)
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        raise ValidationError({"end": _("结束时间不能与开始时间相同。")})
    try:
        min_staff = int(min_staff)
    except (TypeError, ValueError):
        raise ValidationError({"min_staff": _("请填写最少人数。")}) from None
    if min_staff < 1 or min_staff > 50:
        raise ValidationError({"min_staff": _("最少人数应在 1—50 之间。")})
    if post == Post.FIRE_CONTROL and min_staff < FIRE_CONTROL_MIN_STAFF:
        raise ValidationError({"min_staff": _("消防控制室实行 24 小时值班，每班不少于 2 人。")})
    same = Shift.objects.filter(center_id=center_id, post=post, name=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError(
            {
                "name": _("%(post)s已有名为“%(name)s”的班次。")
                % {"post": Post(post).label, "name": name}
            }
        )
    return {"post": post, "name": name, "start": start, "end": end, "min_staff": min_staff}


def _save_shift(shift):
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError:  # a concurrent save of the same name
        raise ValidationError({"name": _("该岗位已有同名班次。")}) from None
    return shift


@transaction.atomic
def shift_create(*, actor, center, post, name, start, end, min_staff, is_active=True):
    require(actor, "security.add_shift", center.pk)
    fields = _shift_fields(
        center.pk, post=post, name=name, start=start, end=end, min_staff=min_staff
    )
    return _save_shift(Shift(center=center, is_active=bool(is_active), **fields))


@transaction.atomic
def shift_update(*, actor, shift, post, name, start, end, min_staff, is_active=True):
    """Change a shift. New times must not make anyone's coming duties overlap."""
    require(actor, "security.change_shift", shift.center_id)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    fields = _shift_fields(
        shift.center_id,
        post=post,
        name=name,
        start=start,
        end=end,
        min_staff=min_staff,
        exclude_pk=shift.pk,
    )
    times_changed = (fields["start"], fields["end"]) != (shift.start, shift.end)
    for key, value in fields.items():
        setattr(shift, key, value)
    shift.is_active = bool(is_active)
    if times_changed and shift.is_active:
        _check_retimed(shift)
    return _save_shift(shift)


def _check_retimed(shift):
    """Coming entries of `shift` (from yesterday on) against the same people's other duties."""
    since = timezone.localdate() - DAY
    mine = list(RosterEntry.objects.filter(shift=shift, date__gte=since).select_related("user"))
    if not mine:
        return
    others = (
        RosterEntry.objects.filter(
            user_id__in={e.user_id for e in mine},
            date__gte=since - DAY,
            shift__is_active=True,
        )
        .exclude(shift=shift)
        .select_related("shift")
    )
    busy = defaultdict(list)
    for other in others:
        busy[other.user_id].append(other)
    for entry in mine:
        span = shift_span(shift, entry.date)
        for other in busy[entry.user_id]:
            if _overlaps(span, shift_span(other.shift, other.date)):
                raise ValidationError(
                    {
                        "end": _(
                            "调整后 %(user)s %(day)s 的值班与 %(other_day)s %(other)s 时间重叠，"
                            "请先调整排班。"
                        )
                        % {
                            "user": entry.user.display_name,
                            "day": entry.date.isoformat(),
                            "other_day": other.date.isoformat(),
                            "other": _fmt(other.shift),
                        }
                    }
                )


# ---------------------------------------------------------------- roster entries


def eligible_users(center_id):
    """Active accounts of the center holding the guard or security manager role there."""
    return (
        User.objects.filter(
            is_active=True,
            center_id=center_id,
            role_assignments__center_id=center_id,
            role_assignments__role__in=ROSTER_ROLES,
        )
        .distinct()
        .select_related("person")
        .order_by("person__name", "username")
    )


def _conflict(span, busy):
    """The first entry in `busy` ((span, entry) pairs) whose time overlaps `span`."""
    for other_span, other in busy:
        if _overlaps(span, other_span):
            return other
    return None


@transaction.atomic
def roster_assign(*, actor, shift, date, user, note=""):
    require(actor, "security.add_rosterentry", shift.center_id)
    if not shift.is_active:
        raise ValidationError({"shift": _("该班次已停用，不能排班。")})
    if date is None:
        raise ValidationError({"date": _("请选择日期。")})
    if user is None:
        raise ValidationError({"user": _("请选择值班人员。")})
    note = text(note, "note", _("备注"), 100)
    # Lock the account: two managers assigning the same person at once cannot both pass.
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or not eligible_users(shift.center_id).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("只能安排本中心在岗的保安或安保管理人员值班。")})
    span = shift_span(shift, date)
    around = RosterEntry.objects.filter(
        user_id=user.pk,
        date__range=(date - DAY, date + DAY),
        shift__is_active=True,
    ).select_related("shift")
    for other in around:
        if other.shift_id == shift.pk and other.date == date:
            raise ValidationError(
                {"user": _("%(user)s 已在该班次。") % {"user": user.display_name}}
            )
        if _overlaps(span, shift_span(other.shift, other.date)):
            raise ValidationError(
                {
                    "user": _("%(user)s 在 %(day)s %(post)s %(shift)s 已有值班，时间重叠。")
                    % {
                        "user": user.display_name,
                        "day": other.date.isoformat(),
                        "post": other.shift.get_post_display(),
                        "shift": _fmt(other.shift),
                    }
                }
            )
    try:
        with transaction.atomic():
            return RosterEntry.objects.create(shift=shift, date=date, user=user, note=note)
    except IntegrityError:
        raise ValidationError(
            {"user": _("%(user)s 已在该班次。") % {"user": user.display_name}}
        ) from None


@transaction.atomic
def roster_remove(*, actor, entry):
    require(actor, "security.delete_rosterentry", entry.shift.center_id)
    entry.delete()


def monday_of(day):
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def roster_copy_week(*, actor, center, from_monday, to_monday):
    """Copy the assignments of one week to another; entries that would repeat one already
    there, overlap another duty of the same person, or whose person may no longer be on duty
    are skipped. Returns {"copied": n, "skipped": m}."""
    require(actor, "security.add_rosterentry", center.pk)
    if from_monday is None or to_monday is None:
        raise ValidationError({"week": _("请选择要复制到的周。")})
    if from_monday.weekday() != 0 or to_monday.weekday() != 0:
        raise ValidationError({"week": _("请按周复制：起止日期须为星期一。")})
    if from_monday == to_monday:
        raise ValidationError({"week": _("不能复制到同一周。")})
    delta = to_monday - from_monday
    source = list(
        RosterEntry.objects.filter(
            shift__center_id=center.pk,
            shift__is_active=True,
            date__range=(from_monday, from_monday + dt.timedelta(days=6)),
        )
        .select_related("shift")
        .order_by("date", "shift__start", "id")
    )
    if not source:
        return {"copied": 0, "skipped": 0}
    user_ids = {e.user_id for e in source}
    list(User.objects.select_for_update().filter(pk__in=user_ids).values_list("pk", flat=True))
    allowed = set(eligible_users(center.pk).filter(pk__in=user_ids).values_list("pk", flat=True))
    busy = defaultdict(list)  # user_id -> [(span, entry)]
    taken = set()  # (shift_id, date, user_id)
    existing = RosterEntry.objects.filter(
        user_id__in=user_ids,
        shift__is_active=True,
        date__range=(to_monday - DAY, to_monday + dt.timedelta(days=7)),
    ).select_related("shift")
    for entry in existing:
        busy[entry.user_id].append((shift_span(entry.shift, entry.date), entry))
        taken.add((entry.shift_id, entry.date, entry.user_id))
    new = []
    for entry in source:
        day = entry.date + delta
        key = (entry.shift_id, day, entry.user_id)
        span = shift_span(entry.shift, day)
        if (
            entry.user_id not in allowed
            or key in taken
            or _conflict(span, busy[entry.user_id]) is not None
        ):
            continue
        copy = RosterEntry(shift=entry.shift, date=day, user_id=entry.user_id, note=entry.note)
        new.append(copy)
        taken.add(key)
        busy[entry.user_id].append((span, copy))
    RosterEntry.objects.bulk_create(new)
    return {"copied": len(new), "skipped": len(source) - len(new)}


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Gap:
    """A hole in a post's 24 h on `date` ("uncovered": shift is None), or a shift worked on
    `date` by fewer people than it needs ("understaffed")."""

    post: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    kind: str
    shift: Shift | None = None
    have: int = 0
    need: int = 0

    UNCOVERED = "uncovered"
    UNDERSTAFFED = "understaffed"

    @property
    def post_label(self):
        return Post(self.post).label

    @property
    def hours(self):
        return (self.end - self.start).total_seconds() / 3600


def _holes(spans, day_start, day_end):
    """The parts of [day_start, day_end) that no span covers."""
    holes, cursor = [], day_start
    for start, end in sorted(spans):
        if end <= cursor or start >= day_end:
            continue
        if start > cursor:
            holes.append((cursor, start))
        cursor = max(cursor, end)
        if cursor >= day_end:
            break
    if cursor < day_end:
        holes.append((cursor, day_end))
    return holes


def roster_gaps(center_id, start_date, end_date):
    """Gaps of the days start_date..end_date (both included), ordered by date, post, time.

    Coverage of a day is by the active shifts' definitions (an overnight shift of the day
    before covers the early hours); staffing counts the active accounts on each shift-day.
    Two queries whatever the number of days, shifts and entries.
    """
    shifts = list(Shift.objects.filter(center_id=center_id, is_active=True).order_by("start"))
    if not shifts or end_date < start_date:
        return []
    counts = {
        (row["shift_id"], row["date"]): row["n"]
        for row in RosterEntry.objects.filter(
            shift__center_id=center_id,
            shift__is_active=True,
            user__is_active=True,
            date__range=(start_date, end_date),
        )
        .values("shift_id", "date")
        .annotate(n=Count("id"))
    }
    by_post = defaultdict(list)
    for shift in shifts:
        by_post[shift.post].append(shift)
    posts = [p for p in Post.values if p in by_post]
    gaps = []
    day = start_date
    while day <= end_date:
        day_start = dt.datetime.combine(day, dt.time())
        day_end = day_start + DAY
        for post in posts:
            items = []
            spans = []
            for shift in by_post[post]:
                spans.append(shift_span(shift, day))
                spans.append(shift_span(shift, day - DAY))
                span = shift_span(shift, day)
                have = counts.get((shift.pk, day), 0)
                if have < shift.min_staff:
                    items.append(
                        Gap(
                            post,
                            day,
                            _aware(span[0]),
                            _aware(span[1]),
                            Gap.UNDERSTAFFED,
                            shift,
                            have,
                            shift.min_staff,
                        )
                    )
            for start, end in _holes(spans, day_start, day_end):
                items.append(Gap(post, day, _aware(start), _aware(end), Gap.UNCOVERED))
            items.sort(key=lambda g: (g.start, g.kind))
            gaps.extend(items)
        day += DAY
    return gaps
