"""Periodic jobs of the meetings app (scheduled by Celery beat; also a management command)."""

from celery import shared_task


@shared_task(name="meetings.release_unchecked")
def release_unchecked():
    """Release confirmed bookings not checked in within their room's auto-release minutes."""
    from .services import bookings_release_unchecked

    return bookings_release_unchecked()
