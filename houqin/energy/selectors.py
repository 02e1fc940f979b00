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
        MeterReading.objects.select_related(
            "meter__institution", "entered_by__person", "confirmed_by__person"
        ),
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
        SortingInspection.objects.select_related("site", "inspector__person"),
        user,
        "site__center_id",
    )


def collections_for(user):
    return _center(
        GarbageCollection.objects.select_related("site", "recorded_by"), user, "site__center_id"
    )


def events_for(user):
    return _center(PublicityEvent.objects.all(), user)


def photos_for(user):
    return _center(EventPhoto.objects.select_related("event"), user, "event__center_id")


# ------------------------------------------------------------------ data entry pages (helper A)


def agency_choices_for(user):
    """The center's agencies an institution may stand for (energy managers do not see the
    org tree through org's own selectors)."""
    from houqin.org.models import OrgUnit

    if not sees_center(user):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        center_id=user.center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
    ).order_by("path")


def building_choices_for(user):
    """The center's buildings in use (space register), for the institution form."""
    from houqin.space.models import Building

    if not sees_center(user):
        return Building.objects.none()
    return Building.objects.filter(center_id=user.center_id, is_active=True).order_by(
        "code", "name", "id"
    )


def institution_rows_for(user, year):
    """Institutions with `year`'s base data and their number of meters (one query)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    base = InstitutionYear.objects.filter(institution=OuterRef("pk"), year=year)
    meters = (
        Meter.objects.filter(institution=OuterRef("pk"))
        .order_by()
        .values("institution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return institutions_for(user).annotate(
        year_floor_area=Subquery(base.values("floor_area")[:1]),
        year_headcount=Subquery(base.values("headcount")[:1]),
        year_establishment=Subquery(base.values("establishment")[:1]),
        meters_count=Coalesce(Subquery(meters), 0),
    )


def meter_rows_for(user):
    """Meters with their latest reading's month and value (one query)."""
    from django.db.models import OuterRef, Subquery

    last = MeterReading.objects.filter(meter=OuterRef("pk")).order_by("-month")
    return meters_for(user).annotate(
        last_month=Subquery(last.values("month")[:1]),
        last_value=Subquery(last.values("value")[:1]),
    )


def entry_rows_for(user, month):
    """The active meters of institutions in the statistics for the entry grid of `month`
    (a date, 1st of the month), each with the latest earlier reading (month and value) and
    what is already entered for `month` (one query)."""
    from django.db.models import OuterRef, Subquery

    before = MeterReading.objects.filter(meter=OuterRef("pk"), month__lt=month).order_by("-month")
    this = MeterReading.objects.filter(meter=OuterRef("pk"), month=month)
    return (
        meters_for(user)
        .filter(is_active=True, institution__is_active=True)
        .annotate(
            prev_month=Subquery(before.values("month")[:1]),
            prev_value=Subquery(before.values("value")[:1]),
            current_value=Subquery(this.values("value")[:1]),
            current_consumption=Subquery(this.values("consumption")[:1]),
            current_flag=Subquery(this.values("flag_reason")[:1]),
        )
        .order_by("institution__name", "institution_id", "kind", "code")
    )


def reading_rows_for(user):
    """Readings for the list pages, with who entered and confirmed them."""
    return readings_for(user).select_related("entered_by__person", "confirmed_by__person")


# ---- 节约型机关 pages (helper C) ----------------------------------------------------------

from django.db.models import OuterRef, Subquery, Sum  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from .models import CampaignBatch, ScoringArea, ScoringItem  # noqa: E402


def batches_for(user):
    return _center(
        CampaignBatch.objects.select_related("campaign__sheet"), user, "campaign__center_id"
    )


def scoring_areas_for(user):
    return _center(ScoringArea.objects.select_related("sheet"), user, "sheet__center_id")


def scoring_items_for(user):
    return _center(
        ScoringItem.objects.select_related("area__sheet"), user, "area__sheet__center_id"
    )


def campaign_overview_for(user):
    """Campaigns with their batches and overall progress: Σ batch targets, units enrolled
    and passed (subqueries, so the sums are not multiplied by joins)."""

    def per_campaign(qs, value):
        return Coalesce(
            Subquery(
                qs.filter(campaign=OuterRef("pk"))
                .order_by()
                .values("campaign")
                .annotate(v=value)
                .values("v")[:1]
            ),
            0,
        )

    units = ConservationUnit.objects.all()
    return (
        campaigns_for(user)
        .annotate(
            target_total=per_campaign(CampaignBatch.objects.all(), Sum("target_units")),
            enrolled_total=per_campaign(units, Count("pk")),
            passed_total=per_campaign(
                units.filter(status=ConservationUnit.Status.PASSED), Count("pk")
            ),
        )
        .prefetch_related("batches")
    )
