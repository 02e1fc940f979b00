"""办公用房 models: the register (buildings, floors, rooms), who uses which room when
(allocations to agencies, occupancies by people), the effective-dated area standards, requests
for more space, annual adjustment plans, leases, renovation projects and ownership records."""

from .allocations import Allocation, Occupancy
from .buildings import Building, Floor, SpaceRoom, SubUse, UseKind
from .estate import (
    Lease,
    OwnershipDocument,
    OwnershipRecord,
    ProjectItem,
    ProjectUpdate,
    RenovationProject,
)
from .plans import AdjustmentPlan, PlanStep, SpaceRequest
from .standards import AreaStandard

__all__ = [
    "AdjustmentPlan",
    "Allocation",
    "AreaStandard",
    "Building",
    "Floor",
    "Lease",
    "Occupancy",
    "OwnershipDocument",
    "OwnershipRecord",
    "PlanStep",
    "ProjectItem",
    "ProjectUpdate",
    "RenovationProject",
    "SpaceRequest",
    "SpaceRoom",
    "SubUse",
    "UseKind",
]
