"""What the energy app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "institution",
    "institutionyear",
    "meter",
    "meterreading",
    "energytarget",
    "scoringsheet",
    "scoringarea",
    "scoringitem",
    "conservationcampaign",
    "campaignbatch",
    "conservationunit",
    "unitscore",
    "unitevidence",
    "campaignmeeting",
    "energyproject",
    "chargingstation",
    "sortingsite",
    "sortinginspection",
    "garbagecollection",
    "publicityevent",
    "eventactivity",
    "eventphoto",
)
# (key, label, url name, icon, permission, order)
MENU = [
    (
        "energy_indicators",
        _("能耗指标"),
        "energy:indicators",
        "bi-graph-down-arrow",
        "energy.view_meterreading",
        800,
    ),
    (
        "energy_readings",
        _("能耗录入"),
        "energy:reading_entry",
        "bi-input-cursor-text",
        "energy.add_meterreading",
        802,
    ),
    (
        "energy_meters",
        _("计量表"),
        "energy:meter_list",
        "bi-speedometer2",
        "energy.view_meter",
        804,
    ),
    (
        "energy_institutions",
        _("公共机构"),
        "energy:institution_list",
        "bi-buildings",
        "energy.view_institution",
        806,
    ),
    (
        "energy_targets",
        _("节能目标"),
        "energy:target_list",
        "bi-bullseye",
        "energy.view_energytarget",
        808,
    ),
    (
        "energy_campaigns",
        _("节约型机关"),
        "energy:campaign_list",
        "bi-award",
        "energy.view_conservationcampaign",
        810,
    ),
    (
        "energy_projects",
        _("节能项目"),
        "energy:project_list",
        "bi-ev-station",
        "energy.view_energyproject",
        812,
    ),
    (
        "energy_sorting",
        _("垃圾分类"),
        "energy:site_list",
        "bi-recycle",
        "energy.view_sortingsite",
        814,
    ),
    (
        "energy_events",
        _("宣传活动"),
        "energy:event_list",
        "bi-megaphone",
        "energy.view_publicityevent",
        816,
    ),
]


def register():
    from auditlog.registry import auditlog

    from houqin.core.menu import (
        MenuItem,
        PortalTile,
        TodoSource,
        register_menu,
        register_portal_tile,
        register_todo_source,
    )
    from houqin.core.roles import Role, grant

    from . import models

    grant(
        Role.ENERGY_MANAGER,
        *(f"energy.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")),
        "energy.view_energyfactor",
    )
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *(f"energy.view_{m}" for m in MODELS), "energy.view_energyfactor")
    # A liaison or agency leader self-assesses their own agency's enrolment (the selector
    # limits them to it) and uploads its evidence.
    for role in (Role.LIAISON, Role.AGENCY_LEADER):
        grant(
            role,
            "energy.view_conservationunit",
            "energy.self_assess_conservationunit",
            "energy.add_unitevidence",
        )

    group = _("节能")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    register_menu(
        MenuItem(
            "energy_my_units",
            _("节约型机关自评"),
            "energy:my_units",
            "bi-clipboard2-check",
            "energy.self_assess_conservationunit",
            group,
            820,
        )
    )

    register_portal_tile(
        PortalTile(
            "energy_my_units",
            _("节约型机关自评"),
            "energy:my_units",
            "bi-clipboard2-check",
            "energy.self_assess_conservationunit",
            60,
        )
    )
    from .todos import energy_todos

    register_todo_source(TodoSource("energy", _("节能"), "bi-lightning-charge", energy_todos, 650))

    for model in (
        models.Institution,
        models.InstitutionYear,
        models.Meter,
        models.MeterReading,
        models.EnergyTarget,
        models.EnergyFactor,
        models.ScoringSheet,
        models.ScoringArea,
        models.ScoringItem,
        models.ConservationCampaign,
        models.CampaignBatch,
        models.ConservationUnit,
        models.UnitScore,
        models.UnitEvidence,
        models.CampaignMeeting,
        models.EnergyProject,
        models.ChargingStation,
        models.SortingSite,
        models.SortingInspection,
        models.GarbageCollection,
        models.PublicityEvent,
        models.EventActivity,
        models.EventPhoto,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
