"""安保消防 models: visitors at the gate (with a watch list and entry screening), duty rosters,
patrol routes with QR checkpoints, incidents, contingency plans, trainings and drills, the fire
equipment register with monthly checks, and the surveillance cameras register."""

from .equipment import Camera, FireEquipment, FireEquipmentCheck
from .events import ContingencyPlan, Drill, Incident
from .patrols import Checkpoint, CheckpointScan, Patrol, PatrolRoute
from .rosters import RosterEntry, Shift
from .visitors import Gate, ScreeningTally, Visit, Visitor, WatchEntry

__all__ = [
    "Camera",
    "Checkpoint",
    "CheckpointScan",
    "ContingencyPlan",
    "Drill",
    "FireEquipment",
    "FireEquipmentCheck",
    "Gate",
    "Incident",
    "Patrol",
    "PatrolRoute",
    "RosterEntry",
    "ScreeningTally",
    "Shift",
    "Visit",
    "Visitor",
    "WatchEntry",
]
