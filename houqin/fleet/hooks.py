"""A trip request reacts to the approval decision (runs inside the deciding transaction)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify
from houqin.core.roles import Role

from .models import TripRequest


def _request(approval):
    return TripRequest.objects.select_for_update().get(pk=approval.object_id)


def on_approved(approval, *, actor):
    request = _request(approval)
    if request.status != TripRequest.Status.PENDING:
        return
    request.status = TripRequest.Status.APPROVED
    request.save(update_fields=["status", "updated_at"])
    dispatchers = get_user_model().objects.filter(
        is_active=True,
        role_assignments__center_id=request.center_id,
        role_assignments__role=Role.FLEET_DISPATCHER,
    )
    notify(
        recipients=list(dispatchers),
        kind="fleet.to_dispatch",
        title=_("待派车：%(p)s") % {"p": request.purpose},
        url=reverse("fleet:board"),
        obj=request,
        actor=actor,
    )


def on_rejected(approval, *, actor):
    request = _request(approval)
    if request.status == TripRequest.Status.PENDING:
        request.status = TripRequest.Status.REJECTED
        request.save(update_fields=["status", "updated_at"])


def on_cancelled(approval, *, actor):
    request = _request(approval)
    if request.status == TripRequest.Status.PENDING:
        request.status = TripRequest.Status.CANCELLED
        request.save(update_fields=["status", "updated_at"])


def url_for(request):
    return reverse("fleet:request_detail", args=[request.pk])
