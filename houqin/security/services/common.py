"""Checks shared by the security services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def security_managers(center_id):
    """The center's security managers (recipients of the module's alerts)."""
    from django.contrib.auth import get_user_model

    from houqin.core.roles import Role

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__center_id=center_id,
            role_assignments__role=Role.SECURITY_MANAGER,
        )
        .distinct()
    )


def require(actor, perm, center_id):
    """The actor holds `perm` in the row's center (views have already hidden other centers)."""
    if actor is None:  # demo data, jobs
        return
    if actor.center_id != center_id or not actor.has_perm(perm):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def text(value, field, label, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return value
