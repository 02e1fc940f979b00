"""What the activities app plugs into the shared mechanisms."""

from django.utils.translation import gettext_lazy as _

MODELS = (
    "activitycategory",
    "activity",
    "activityphoto",
    "survey",
    "surveyquestion",
    "surveyresponse",
    "surveyanswer",
)
MENU = [
    (
        "activities_list",
        _("活动记录"),
        "activities:activity_list",
        "bi-people",
        "activities.view_activity",
        960,
    ),
    (
        "activities_surveys",
        _("摸排统计"),
        "activities:survey_list",
        "bi-ui-checks",
        "activities.view_survey",
        962,
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
    from houqin.core.notifications.kinds import register_kind
    from houqin.core.roles import Role, grant

    from . import models

    # The center's administrators keep the activity records and run the surveys.
    grant(
        Role.CENTER_ADMIN,
        *(f"activities.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")),
    )
    grant(Role.LEADER, *(f"activities.view_{m}" for m in MODELS))

    group = _("活动与摸排")
    for key, label, url_name, icon, perm, order in MENU:
        register_menu(MenuItem(key, label, url_name, icon, perm, group, order))
    register_kind("activities.survey", _("摸排填报提醒"))
    # Everyone answers their own survey sheets on the phone (an empty page when none waits).
    register_portal_tile(
        PortalTile(
            "activities_my_surveys",
            _("摸排填报"),
            "activities:my_surveys",
            "bi-ui-checks",
            None,
            70,
        )
    )
    from .todos import activities_todos

    register_todo_source(
        TodoSource("activities", _("摸排填报"), "bi-ui-checks", activities_todos, 700)
    )
    for model in (
        models.ActivityCategory,
        models.Activity,
        models.Survey,
        models.SurveyQuestion,
        models.SurveyResponse,
        models.SurveyAnswer,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
