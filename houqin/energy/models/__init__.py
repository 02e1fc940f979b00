"""节能 models: the public institutions in scope with their yearly base data, meters and monthly
readings, effective-dated conversion factors (GB/T 2589) and the five-year targets; 节约型机关
creation; projects such as the charging stations; garbage sorting; publicity events."""

from .conservation import (
    CampaignBatch,
    CampaignMeeting,
    ConservationCampaign,
    ConservationUnit,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
    UnitEvidence,
    UnitScore,
)
from .events import EventActivity, EventPhoto, PublicityEvent
from .garbage import (
    CATEGORY_COLOURS,
    SUBCATEGORIES,
    GarbageCategory,
    GarbageCollection,
    SortingInspection,
    SortingSite,
)
from .institutions import EnergyTarget, Institution, InstitutionYear
from .meters import UNITS, EnergyFactor, EnergyKind, Meter, MeterReading
from .projects import ChargingStation, EnergyProject

__all__ = [
    "CATEGORY_COLOURS",
    "SUBCATEGORIES",
    "UNITS",
    "CampaignBatch",
    "CampaignMeeting",
    "ChargingStation",
    "ConservationCampaign",
    "ConservationUnit",
    "EnergyFactor",
    "EnergyKind",
    "EnergyProject",
    "EnergyTarget",
    "EventActivity",
    "EventPhoto",
    "GarbageCategory",
    "GarbageCollection",
    "Institution",
    "InstitutionYear",
    "Meter",
    "MeterReading",
    "PublicityEvent",
    "ScoringArea",
    "ScoringItem",
    "ScoringSheet",
    "SortingInspection",
    "SortingSite",
    "UnitEvidence",
    "UnitScore",
]
