from django.shortcuts import get_object_or_404

from .selectors import bookings_for, rooms_for


def get_room_for_user(user, pk, *, include_inactive=False):
    return get_object_or_404(rooms_for(user, include_inactive=include_inactive), pk=pk)


def get_booking_for_user(user, pk):
    return get_object_or_404(bookings_for(user), pk=pk)


def get_block_for_user(user, pk):
    from .models import RoomBlock

    if not user.has_perm("meetings.change_room"):
        return get_object_or_404(RoomBlock.objects.none(), pk=pk)
    return get_object_or_404(RoomBlock.objects.filter(center_id=user.center_id), pk=pk)
