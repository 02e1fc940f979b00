"""Writes of the reports app: the center's section templates (placeholders checked on save) and
the accepted 存在问题 suggestions (appended to the center's problems text)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import defaults
from .builder import OPENING, PLANS, PROBLEMS, known_keys, templates_of
from .models import SectionTemplate
from .render import check

EDIT_PERM = "reports.change_sectiontemplate"
MAX_LENGTH = 8000


def template_keys():
    return [OPENING, *(key for key, _t, _m in defaults.SECTIONS), PROBLEMS, PLANS]


def _require(actor, center):
    if actor is not None and (actor.center_id != center.pk or not actor.has_perm(EDIT_PERM)):
        raise PermissionDenied(_("只有中心管理员可以修改总结模板。"))


@transaction.atomic
def template_save(*, actor, center, key, body, known=None) -> SectionTemplate:
    """Save a section's text; unknown placeholders are refused and nothing is written."""
    _require(actor, center)
    if key not in template_keys():
        raise ValidationError({"key": _("没有这个章节。")})
    body = (body or "").strip()
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": _("模板不能超过 %(n)s 个字。") % {"n": MAX_LENGTH}})
    if known is None:
        year = timezone.localdate().year
        known = known_keys(center, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    try:
        check(body, known)
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from None
    template, _created = SectionTemplate.objects.update_or_create(
        center=center, key=key, defaults={"body": body, "updated_by": actor}
    )
    return template


@transaction.atomic
def template_reset(*, actor, center, key):
    """Back to the default text."""
    _require(actor, center)
    SectionTemplate.objects.filter(center=center, key=key).delete()


@transaction.atomic
def suggestion_accept(*, actor, center, text):
    """采纳: the suggestion's sentence is added to the center's 存在问题 text (once)."""
    _require(actor, center)
    # The sentence is plain text: braces in it must not read as placeholders.
    text = (text or "").strip().replace("{", "（").replace("}", "）")
    if not text:
        raise ValidationError(_("建议内容为空。"))
    current = templates_of(center).get(PROBLEMS, "")
    if text in current:
        return
    body = f"{current}\n\n{text}" if current else text
    SectionTemplate.objects.update_or_create(
        center=center, key=PROBLEMS, defaults={"body": body, "updated_by": actor}
    )
