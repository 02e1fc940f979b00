"""Energy API at /api/v1/energy/: register(router) and the names of its viewsets and filters.

The endpoints: public institutions (with their yearly base data), meters, monthly readings
(list, and enter or correct one), the indicators of a year with the target progress, the
节约型机关 campaigns (with batch progress) and enrolled units, projects (with progress, and
their stations on detail), garbage-sorting sites and inspections, publicity events. The
viewsets live in api_readings.py (institutions, meters, readings, indicators) and
api_programmes.py (campaigns, units, projects, sorting, events), their shared base in
api_common.py.

Thin views: reads come from the selectors exactly like the pages (energy managers, center
administrators and leaders see the center; a department liaison or agency leader only their
own agency's enrolment; anyone else is refused with 403; another center's row is 404). The
one write is one service call (services.readings.reading_record) whose Chinese
ValidationError becomes a 400 with field errors, writing nothing.
"""

from .api_programmes import (
    EnergyCampaignViewSet,
    EnergyEventViewSet,
    EnergyInspectionViewSet,
    EnergyProjectViewSet,
    EnergySiteViewSet,
    EnergyUnitViewSet,
    EventApiFilter,
    InspectionApiFilter,
    SiteApiFilter,
    UnitApiFilter,
)
from .api_readings import (
    EnergyIndicatorsViewSet,
    EnergyInstitutionViewSet,
    EnergyMeterViewSet,
    EnergyReadingViewSet,
    MeterApiFilter,
    ReadingApiFilter,
)

__all__ = [
    "EnergyCampaignViewSet",
    "EnergyEventViewSet",
    "EnergyIndicatorsViewSet",
    "EnergyInspectionViewSet",
    "EnergyInstitutionViewSet",
    "EnergyMeterViewSet",
    "EnergyProjectViewSet",
    "EnergyReadingViewSet",
    "EnergySiteViewSet",
    "EnergyUnitViewSet",
    "EventApiFilter",
    "InspectionApiFilter",
    "MeterApiFilter",
    "ReadingApiFilter",
    "SiteApiFilter",
    "UnitApiFilter",
    "register",
]


def register(router):
    router.register("energy/institutions", EnergyInstitutionViewSet, basename="energy-institution")
    router.register("energy/meters", EnergyMeterViewSet, basename="energy-meter")
    router.register("energy/readings", EnergyReadingViewSet, basename="energy-reading")
    router.register("energy/indicators", EnergyIndicatorsViewSet, basename="energy-indicators")
    router.register("energy/campaigns", EnergyCampaignViewSet, basename="energy-campaign")
    router.register("energy/units", EnergyUnitViewSet, basename="energy-unit")
    router.register("energy/projects", EnergyProjectViewSet, basename="energy-project")
    router.register("energy/sorting-sites", EnergySiteViewSet, basename="energy-sorting-site")
    router.register(
        "energy/sorting-inspections", EnergyInspectionViewSet, basename="energy-sorting-inspection"
    )
    router.register("energy/events", EnergyEventViewSet, basename="energy-event")
