"""Reads of the finance app, scoped to the user (ARCHITECTURE.md rule 2).

Finance officers, center administrators and leaders see the whole center's budgets,
expenditures, assets, procurement and vouchers; anyone else sees nothing here. Missing and
forbidden rows look the same (views give 404).
"""

from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for

from .models import (
    AssetCount,
    AssetDisposal,
    AssetTransfer,
    BudgetProject,
    Expenditure,
    FixedAsset,
    Procurement,
    VoucherHandover,
)

POLICY = ScopePolicy(
    center_roles=frozenset({Role.FINANCE_OFFICER, Role.CENTER_ADMIN, Role.LEADER}),
    agency_roles=frozenset(),
    self_roles=frozenset(),
)


def scope(user) -> Scope:
    return scope_for(user, POLICY)


def sees_center(user) -> bool:
    return scope(user) == Scope.CENTER


def is_finance(user) -> bool:
    """A finance officer of the user's center (may write)."""
    return sees_center(user) and user.has_perm("finance.change_expenditure")


def _center(qs, user, path="center_id"):
    return qs.filter(**{path: user.center_id}) if sees_center(user) else qs.none()


def projects_for(user):
    return _center(BudgetProject.objects.select_related("responsible__person"), user)


def expenditures_for(user):
    return _center(Expenditure.objects.select_related("project", "recorded_by__person"), user)


def assets_for(user):
    return _center(FixedAsset.objects.select_related("custodian_agency", "custodian"), user)


def transfers_for(user):
    return _center(
        AssetTransfer.objects.select_related(
            "asset", "from_agency", "to_agency", "from_custodian", "to_custodian", "recorded_by"
        ),
        user,
        "asset__center_id",
    )


def counts_for(user):
    return _center(AssetCount.objects.all(), user)


def disposals_for(user):
    return _center(AssetDisposal.objects.select_related("asset", "requested_by"), user)


def procurements_for(user):
    return _center(Procurement.objects.select_related("project"), user)


def vouchers_for(user):
    return _center(VoucherHandover.objects.select_related("unit", "received_by"), user)
