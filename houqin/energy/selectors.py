"""Reads of the energy app, scoped to the user (ARCHITECTURE.md rule 2).

Energy managers, center administrators and leaders see the whole center's energy data,
campaigns, projects, sorting and events; a department liaison or leader sees their own
agency's 节约型机关 enrolment (to self-assess it and upload evidence); anyone else sees
nothing here. Missing and forbidden rows look the same (views give 404).
"""

from django.db.models import Count, Q

from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for, user_agency

from .models import (
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyProject,
    EnergyTarget,
    EventPhoto,
    GarbageCollection,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    PublicityEvent,
    ScoringSheet,
    SortingInspection,
    SortingSite,
    UnitEvidence,
)

POLICY = ScopePolicy(
    center_roles=frozenset({Role.ENERGY_MANAGER, Role.CENTER_ADMIN, Role.LEADER}),
    self_roles=frozenset(),
)


def scope(user) -> Scope:
    return scope_for(user, POLICY)


def sees_center(user) -> bool:
    return scope(user) == Scope.CENTER


def is_manager(user) -> bool:
    return sees_center(user) and user.has_perm("energy.change_meter")


def _center(qs, user, path="center_id"):
    return qs.filter(**{path: user.center_id}) if sees_center(user) else qs.none()


def institutions_for(user):
    return _center(Institution.objects.select_related("agency", "building"), user)


def institution_years_for(user):
    return _center(
        InstitutionYear.objects.select_related("institution"), user, "institution__center_id"
    )


def meters_for(user):
    return _center(Meter.objects.select_related("institution", "parent"), user)


def readings_for(user):
    return _center(
        MeterReading.objects.select_related("meter__institution", "entered_by", "confirmed_by"),
        user,
        "meter__center_id",
    )


def targets_for(user):
    return _center(EnergyTarget.objects.all(), user)


def sheets_for(user):
    return _center(ScoringSheet.objects.prefetch_related("areas__items"), user)


def campaigns_for(user):
    return _center(ConservationCampaign.objects.select_related("sheet"), user)


def units_for(user):
    """Enrolled units: the whole center for center roles, the user's own agency's for a
    liaison or agency leader."""
    qs = ConservationUnit.objects.select_related(
        "campaign__sheet", "batch", "agency", "reviewed_by"
    )
    level = scope(user)
    if level == Scope.CENTER:
        return qs.filter(campaign__center_id=user.center_id)
    if level == Scope.AGENCY:
        return qs.filter(campaign__center_id=user.center_id, agency=user_agency(user))
    return qs.none()


def evidence_for(user):
    return UnitEvidence.objects.filter(unit__in=units_for(user)).select_related(
        "item", "uploaded_by"
    )


def meetings_for(user):
    return _center(CampaignMeeting.objects.select_related("campaign"), user, "campaign__center_id")


def projects_for(user):
    return _center(
        EnergyProject.objects.annotate(
            stations_total=Count("stations"),
            stations_completed=Count(
                "stations", filter=Q(stations__status__in=ChargingStation.COMPLETED)
            ),
        ),
        user,
    )


def stations_for(user):
    return _center(ChargingStation.objects.select_related("project", "institution"), user)


def sites_for(user):
    return _center(SortingSite.objects.select_related("institution"), user)


def inspections_for(user):
    return _center(
        SortingInspection.objects.select_related("site", "inspector"), user, "site__center_id"
    )


def collections_for(user):
    return _center(
        GarbageCollection.objects.select_related("site", "recorded_by"), user, "site__center_id"
    )


def events_for(user):
    return _center(PublicityEvent.objects.all(), user)


def photos_for(user):
    return _center(EventPhoto.objects.select_related("event"), user, "event__center_id")
