"""Checks shared by the activities services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

EDIT_PERM = "activities.change_activity"
SURVEY_PERM = "activities.change_survey"


def require_manager(actor, center_id, perm=EDIT_PERM):
    """Only the center's administrators write; views have already hidden other centers."""
    if actor is None:  # demo data and management commands
        return
    if actor.center_id != center_id or not actor.has_perm(perm):
        raise PermissionDenied(_("只有中心管理员可以执行此操作。"))


def text(value, field, label, limit, *, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return value
