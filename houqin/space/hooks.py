"""Reactions of the space app to approval decisions and to people leaving."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify
from houqin.core.roles import Role

from .compliance import return_due
from .models import Occupancy, SpaceRequest


def space_managers(center_id):
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__center_id=center_id,
            role_assignments__role=Role.SPACE_MANAGER,
        )
        .distinct()
    )


def _request(approval):
    return SpaceRequest.objects.select_for_update().get(pk=approval.object_id)


def _decide(approval, status, actor, title):
    request = _request(approval)
    if request.status not in (SpaceRequest.Status.PENDING, SpaceRequest.Status.RETURNED):
        return
    request.status = status
    if status in (SpaceRequest.Status.APPROVED, SpaceRequest.Status.REJECTED):
        request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    if title:
        notify(
            recipients=[request.requested_by],
            kind="space.request",
            title=title % {"a": request.agency, "n": request.area_wanted},
            url=request_url(request),
            obj=request,
            actor=actor,
        )


def request_approved(approval, *, actor):
    _decide(
        approval,
        SpaceRequest.Status.APPROVED,
        actor,
        _("%(a)s 增加办公用房 %(n)s㎡ 的申请已批准，将纳入调整方案办理"),
    )


def request_rejected(approval, *, actor):
    _decide(approval, SpaceRequest.Status.REJECTED, actor, None)


def request_returned(approval, *, actor):
    _decide(approval, SpaceRequest.Status.RETURNED, actor, None)


def request_cancelled(approval, *, actor):
    _decide(approval, SpaceRequest.Status.CANCELLED, actor, None)


def request_resubmitted(approval, *, actor):
    """Sent again from the shared approvals page: back to 审批中 here too."""
    request = _request(approval)
    if request.status == SpaceRequest.Status.RETURNED:
        request.status = SpaceRequest.Status.PENDING
        request.save(update_fields=["status", "updated_at"])


def request_url(request):
    return reverse("space:request_detail", args=[request.pk])


def office_return_due(sender, person, actor, **kwargs):
    """A person was transferred or retired: tell the space managers which offices to take
    back and by when (one month, 中办发〔2017〕70号). The room stays occupied until a
    manager records the move-out: the keys are handed back in person."""
    occupancies = list(
        Occupancy.objects.filter(person=person, end_date__isnull=True).select_related(
            "room__building"
        )
    )
    if not occupancies:
        return
    due = return_due(person)
    rooms = "、".join(str(o.room) for o in occupancies)
    notify(
        recipients=space_managers(person.center_id),
        kind="space.office_return",
        title=_("%(p)s 已%(s)s，其办公室 %(r)s 应于 %(d)s 前收回")
        % {"p": person.name, "s": person.get_status_display(), "r": rooms, "d": due},
        url=reverse("space:compliance") + "#unreturned",
        obj=occupancies[0],
        actor=actor,
    )
