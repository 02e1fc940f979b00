"""节能 models: the public institutions in scope with their yearly base data, meters and monthly
readings, effective-dated conversion factors (GB/T 2589) and the five-year targets."""

from .institutions import EnergyTarget, Institution, InstitutionYear
from .meters import EnergyFactor, EnergyKind, Meter, MeterReading

__all__ = [
    "EnergyFactor",
    "EnergyKind",
    "EnergyTarget",
    "Institution",
    "InstitutionYear",
    "Meter",
    "MeterReading",
]
