"""Serializers of the energy API (/api/v1/energy/…), re-exported from their submodules.

Output serializers are read-only; the one input serializer (a meter reading) only parses the
shape of the input: the rules (month format, a number with at most two decimals, not
negative, the meter still in use) live in services/readings.py, whose Chinese ValidationError
the view turns into a 400 with field errors. Choice fields are plain strings with a help text
(no enum components, so no enum-name collisions with other apps' `kind`/`status`). Decimals
are strings, as everywhere in the API.

readings.py holds institutions, meters, readings and the indicators; programmes.py the
节约型机关 campaigns and units, projects, garbage sorting and events; common.py the shared
{id, name} reference and helpers.
"""

from .common import EnergyRefSerializer
from .programmes import (
    EVENT_KIND_HELP,
    PROJECT_KIND_HELP,
    SITE_KIND_HELP,
    STATION_STATUS_HELP,
    UNIT_STATUS_HELP,
    EnergyActivitySerializer,
    EnergyBatchSerializer,
    EnergyCampaignSerializer,
    EnergyEventSerializer,
    EnergyInspectionSerializer,
    EnergyProjectDetailSerializer,
    EnergyProjectSerializer,
    EnergySiteSerializer,
    EnergyStationSerializer,
    EnergyUnitSerializer,
)
from .readings import (
    KIND_HELP,
    MODE_HELP,
    PROGRESS_UNITS,
    EnergyAmountSerializer,
    EnergyFiguresSerializer,
    EnergyIndicatorsQuerySerializer,
    EnergyIndicatorsSerializer,
    EnergyInstitutionSerializer,
    EnergyInstitutionYearSerializer,
    EnergyMeterRefSerializer,
    EnergyMeterSerializer,
    EnergyProgressSerializer,
    EnergyReadingCreateSerializer,
    EnergyReadingSerializer,
    EnergyTargetProgressSerializer,
    figures_data,
    progress_data,
)

__all__ = [
    "EVENT_KIND_HELP",
    "KIND_HELP",
    "MODE_HELP",
    "PROGRESS_UNITS",
    "PROJECT_KIND_HELP",
    "SITE_KIND_HELP",
    "STATION_STATUS_HELP",
    "UNIT_STATUS_HELP",
    "EnergyActivitySerializer",
    "EnergyAmountSerializer",
    "EnergyBatchSerializer",
    "EnergyCampaignSerializer",
    "EnergyEventSerializer",
    "EnergyFiguresSerializer",
    "EnergyIndicatorsQuerySerializer",
    "EnergyIndicatorsSerializer",
    "EnergyInspectionSerializer",
    "EnergyInstitutionSerializer",
    "EnergyInstitutionYearSerializer",
    "EnergyMeterRefSerializer",
    "EnergyMeterSerializer",
    "EnergyProgressSerializer",
    "EnergyProjectDetailSerializer",
    "EnergyProjectSerializer",
    "EnergyReadingCreateSerializer",
    "EnergyReadingSerializer",
    "EnergyRefSerializer",
    "EnergySiteSerializer",
    "EnergyStationSerializer",
    "EnergyTargetProgressSerializer",
    "EnergyUnitSerializer",
    "figures_data",
    "progress_data",
]
