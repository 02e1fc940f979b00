"""SLA rules: how fast each category and urgency must be answered and fixed, per center.

A center without a rule for a (category, urgency) uses services.work_orders.DEFAULT_SLA.
Saving writes (or updates) the one rule of that cell; resetting deletes it (back to the
default). New deadlines apply to orders reported (or reopened) afterwards.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Category, SlaRule, Urgency
from .work_orders import DEFAULT_SLA

MAX_RESPONSE = Decimal("9999.9")
MAX_COMPLETION = Decimal("99999.9")


def _may_edit(actor, center):
    if (
        actor is None
        or center is None
        or actor.center_id != center.pk
        or not actor.has_perm("maintenance.change_slarule")
    ):
        raise PermissionDenied


def _hours(value, field, label, limit):
    try:
        hours = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError({field: _("请填写有效的%(l)s。") % {"l": label}})
    if hours <= 0:
        raise ValidationError({field: _("%(l)s必须大于 0。") % {"l": label}})
    if hours > limit:
        raise ValidationError({field: _("%(l)s过大。") % {"l": label}})
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({field: _("%(l)s最多保留一位小数。") % {"l": label}})
    return hours.quantize(Decimal("0.1"))


def _cell(category, urgency):
    if category not in Category.values:
        raise ValidationError({"category": _("请选择报修类别。")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("请选择紧急程度。")})


@transaction.atomic
def sla_rule_save(
    *, actor, center, category, urgency, response_hours, completion_hours, around_the_clock
) -> SlaRule:
    """Set the response and completion limits of one category × urgency of the center."""
    _may_edit(actor, center)
    _cell(category, urgency)
    response = _hours(response_hours, "response_hours", _("响应时限"), MAX_RESPONSE)
    completion = _hours(completion_hours, "completion_hours", _("完成时限"), MAX_COMPLETION)
    if completion < response:
        raise ValidationError({"completion_hours": _("完成时限不能短于响应时限。")})
    rule, _created = SlaRule.objects.update_or_create(
        center=center,
        category=category,
        urgency=urgency,
        defaults={
            "response_hours": response,
            "completion_hours": completion,
            "around_the_clock": bool(around_the_clock),
        },
    )
    return rule


@transaction.atomic
def sla_rule_reset(*, actor, center, category, urgency) -> None:
    """Back to the default of the urgency (DEFAULT_SLA): the center's rule is removed."""
    _may_edit(actor, center)
    _cell(category, urgency)
    SlaRule.objects.filter(center=center, category=category, urgency=urgency).delete()


def sla_matrix(center_id) -> list[dict]:
    """Every category with its three urgencies: the rule in force and whether it is the
    default. One query."""
    rules = {(r.category, r.urgency): r for r in SlaRule.objects.filter(center_id=center_id)}
    rows = []
    for category, category_label in Category.choices:
        cells = []
        for urgency, urgency_label in Urgency.choices:
            rule = rules.get((category, urgency))
            if rule is not None:
                response, completion, clock = (
                    rule.response_hours,
                    rule.completion_hours,
                    rule.around_the_clock,
                )
            else:
                response, completion, clock = DEFAULT_SLA[urgency]
            cells.append(
                {
                    "category": category,
                    "urgency": urgency,
                    "urgency_label": str(urgency_label),
                    "response_hours": response,
                    "completion_hours": completion,
                    "around_the_clock": clock,
                    "is_default": rule is None,
                }
            )
        rows.append({"category": category, "label": str(category_label), "cells": cells})
    return rows
