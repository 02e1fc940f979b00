"""The daily job of the security app (Celery beat "security-daily"; also the management
command security_daily):

(a) 消防器材到期提醒: pieces in use (在用 / 故障) expiring within 30 days, or already expired,
    that have not been reminded about yet → one notification per center to its security
    managers (kind security.equipment_expiry) listing them; each piece is then stamped
    (expiry_notified_on) so it is reminded about once. A new expiry date (after a refill or a
    renewal) clears the stamp and re-arms the reminder (services.equipment).
(b) 来访记录清理: visits past the retention period are deleted (services.visits.visits_purge).
"""

from celery import shared_task
from django.utils import timezone

EXPIRY_KIND = "security.equipment_expiry"
LIST_LIMIT = 20


def equipment_expiry_reminders(*, now=None) -> int:
    """Returns the number of pieces reminded about."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from houqin.core.notifications.services import notify

    from .models import FireEquipment
    from .services.common import security_managers
    from .services.equipment import ACTIVE, expiry_window

    today = timezone.localdate(now or timezone.now())
    due = list(
        FireEquipment.objects.filter(
            status__in=ACTIVE,
            expires_on__lte=expiry_window(today),
            expiry_notified_on__isnull=True,
        ).order_by("center_id", "expires_on", "code", "pk")
    )
    by_center = {}
    for piece in due:
        by_center.setdefault(piece.center_id, []).append(piece)
    url = f"{reverse('security:equipment_list')}?expiry=due"
    for center_id, pieces in by_center.items():
        expired = sum(1 for p in pieces if p.expires_on < today)
        lines = [
            _("%(c)s %(k)s（%(l)s）有效期至 %(d)s%(x)s")
            % {
                "c": p.code,
                "k": p.get_kind_display(),
                "l": p.location,
                "d": f"{p.expires_on:%Y-%m-%d}",
                "x": _("，已过期") if p.expires_on < today else "",
            }
            for p in pieces[:LIST_LIMIT]
        ]
        if len(pieces) > LIST_LIMIT:
            lines.append(_("……共 %(n)s 件") % {"n": len(pieces)})
        notify(
            recipients=security_managers(center_id),
            kind=EXPIRY_KIND,
            title=_("%(n)s 件消防器材即将到期或已过期（其中已过期 %(e)s 件），请安排更换")
            % {"n": len(pieces), "e": expired},
            body="\n".join(lines),
            url=url,
            center=center_id,
        )
    if due:
        FireEquipment.objects.filter(pk__in=[p.pk for p in due]).update(expiry_notified_on=today)
    return len(due)


def security_daily(now=None) -> dict:
    from .services.visits import visits_purge

    now = now or timezone.now()
    return {
        "equipment_reminded": equipment_expiry_reminders(now=now),
        "visits_purged": visits_purge(now=now),
    }


@shared_task(name="security.daily")
def security_daily_task():
    return security_daily()
