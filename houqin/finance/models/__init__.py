"""财务 models: budget projects and expenditures, fixed assets with transfers, counts and
disposals, procurement records and affiliated units' voucher handovers."""

from .assets import (
    AssetClass,
    AssetCount,
    AssetCountLine,
    AssetDisposal,
    AssetTransfer,
    FixedAsset,
)
from .budgets import BudgetProject, CostKind, Expenditure, FinanceSettings
from .procurement import Procurement, VoucherHandover

__all__ = [
    "AssetClass",
    "AssetCount",
    "AssetCountLine",
    "AssetDisposal",
    "AssetTransfer",
    "BudgetProject",
    "CostKind",
    "Expenditure",
    "FinanceSettings",
    "FixedAsset",
    "Procurement",
    "VoucherHandover",
]
