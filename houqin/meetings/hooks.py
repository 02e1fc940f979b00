"""How a booking reacts to the meeting manager's decision (approvals registry hooks).

They run inside the deciding transaction, so the booking's state changes with the decision.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify

from .models import Booking


def _booking(approval):
    return Booking.objects.select_for_update().get(pk=approval.object_id)


def on_approved(approval, *, actor):
    from .services import _confirm

    booking = _booking(approval)
    if booking.status != Booking.Status.PENDING:
        return
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status", "updated_at"])
    _confirm(booking, actor=actor)


def on_rejected(approval, *, actor):
    """A rejected booking frees its slot at once (REJECTED is not an active status)."""
    booking = _booking(approval)
    if booking.status != Booking.Status.PENDING:
        return
    booking.status = Booking.Status.REJECTED
    booking.save(update_fields=["status", "updated_at"])
    notify(
        recipients=[booking.booker],
        kind="meetings.rejected",
        title=_("会议室预订未获批准：%(t)s") % {"t": booking.title},
        url=url_for(booking),
        obj=booking,
        actor=actor,
    )


def on_cancelled(approval, *, actor):
    booking = _booking(approval)
    if booking.status == Booking.Status.PENDING:
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])


def url_for(booking):
    return reverse("meetings:booking_detail", args=[booking.pk])
