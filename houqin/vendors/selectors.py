"""Reads of the vendors app, scoped to the user (ARCHITECTURE.md rule 2).

Vendor managers, center administrators, leaders and finance officers see the whole center's
vendors, contracts, staff rosters, scoring sheets and evaluations; anyone else sees nothing.
Missing and forbidden rows look the same (views give 404).
"""

import datetime as dt

from django.db.models import OuterRef, Q, Subquery

from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for

from .models import (
    Contract,
    EvaluationItem,
    EvaluationSheet,
    Vendor,
    VendorEvaluation,
    VendorStaff,
)

POLICY = ScopePolicy(
    center_roles=frozenset(
        {Role.VENDOR_MANAGER, Role.CENTER_ADMIN, Role.LEADER, Role.FINANCE_OFFICER}
    ),
    agency_roles=frozenset(),
    self_roles=frozenset(),
)


def scope(user) -> Scope:
    return scope_for(user, POLICY)


def sees_center(user) -> bool:
    return scope(user) == Scope.CENTER


def _center(qs, user, path="center_id"):
    return qs.filter(**{path: user.center_id}) if sees_center(user) else qs.none()


def vendors_for(user):
    return _center(Vendor.objects.all(), user)


def vendors_with_figures(user):
    """Vendors with the end of their latest contract and their latest evaluation (total,
    flagged): three subqueries in the one list query."""
    latest_contract = Contract.objects.filter(vendor=OuterRef("pk")).order_by("-end_date", "-id")
    latest_eval = VendorEvaluation.objects.filter(vendor=OuterRef("pk")).order_by(
        "-period_end", "-id"
    )
    return vendors_for(user).annotate(
        contract_end=Subquery(latest_contract.values("end_date")[:1]),
        last_score=Subquery(latest_eval.values("total")[:1]),
        last_flagged=Subquery(latest_eval.values("payment_flagged")[:1]),
    )


def contracts_for(user):
    return _center(Contract.objects.select_related("vendor", "procurement"), user)


def staff_for(user):
    return _center(VendorStaff.objects.select_related("vendor"), user, "vendor__center_id")


def sheets_for(user):
    return _center(EvaluationSheet.objects.all(), user)


def items_for(user):
    return _center(EvaluationItem.objects.select_related("sheet"), user, "sheet__center_id")


def evaluations_for(user):
    return _center(
        VendorEvaluation.objects.select_related(
            "vendor", "sheet", "contract", "evaluated_by__person"
        ),
        user,
    )


def expiring_contracts(qs, today):
    """Contracts of `qs` not ended yet whose end is within their own renewal notice days (one
    query for the distinct notice periods, the rest stays a queryset)."""
    qs = qs.filter(end_date__gte=today)
    days = sorted(set(qs.order_by().values_list("renewal_notice_days", flat=True)))
    if not days:
        return qs.none()
    q = Q()
    for n in days:
        q |= Q(renewal_notice_days=n, end_date__lte=today + dt.timedelta(days=n))
    return qs.filter(q)


def staff_on_post(qs, today):
    return qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
