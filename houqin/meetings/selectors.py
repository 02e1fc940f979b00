"""Reads of the meetings app, scoped to the user."""

from collections import defaultdict
from dataclasses import dataclass, field

from houqin.core.roles import Role
from houqin.org.scoping import ScopePolicy, scope_queryset

from .models import Booking, Room, RoomBlock

BOOKING_POLICY = ScopePolicy(
    center_roles=frozenset({Role.MEETING_MANAGER, Role.CENTER_ADMIN, Role.LEADER, Role.AUDITOR})
)


def rooms_for(user, *, include_inactive=False):
    if user.center_id is None or not user.has_perm("meetings.view_room"):
        return Room.objects.none()
    qs = Room.objects.filter(center_id=user.center_id)
    return qs if include_inactive else qs.filter(is_active=True)


def bookings_for(user):
    """Managers see the center's bookings; liaisons and agency leaders their agency's;
    everyone else the bookings they made."""
    qs = Booking.objects.select_related("room", "agency", "booker", "booker__person", "series")
    return scope_queryset(qs, user, BOOKING_POLICY, agency="agency", owner="booker")


@dataclass
class RoomDay:
    room: Room
    bookings: list = field(default_factory=list)
    blocks: list = field(default_factory=list)


def availability(user, start, end, *, rooms=None):
    """Busy intervals of every visible room in [start, end): {room: RoomDay}, 3 queries."""
    rooms = list(rooms if rooms is not None else rooms_for(user))
    busy = defaultdict(list)
    for booking in (
        Booking.objects.select_related("agency")
        .filter(room__in=rooms, status__in=Booking.ACTIVE, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
    ):
        busy[booking.room_id].append(booking)
    blocked = defaultdict(list)
    for block in RoomBlock.objects.filter(room__in=rooms, starts_at__lt=end, ends_at__gt=start):
        blocked[block.room_id].append(block)
    return [RoomDay(room, busy[room.pk], blocked[room.pk]) for room in rooms]


def service_sheet(user, day_start, day_end):
    """What to prepare where and by when on a day (meeting manager's 会务服务单)."""
    return (
        bookings_for(user)
        .filter(
            status__in=(Booking.Status.CONFIRMED, Booking.Status.SERVED),
            starts_at__lt=day_end,
            ends_at__gt=day_start,
        )
        .prefetch_related("services")
        .order_by("starts_at", "room__name")
    )
