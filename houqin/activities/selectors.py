"""Reads of the activities app, scoped to the user (ARCHITECTURE.md rule 2).

Center administrators (who keep the records and run the surveys) and leaders see the whole
center's activities and surveys; anyone else sees only their own survey responses (to answer
them on the phone). Missing and forbidden rows look the same (views give 404).
"""

from houqin.core.roles import Role
from houqin.org.scoping import Scope, ScopePolicy, scope_for

from .models import Activity, ActivityCategory, ActivityPhoto, Survey, SurveyResponse

POLICY = ScopePolicy(
    center_roles=frozenset({Role.CENTER_ADMIN, Role.LEADER}),
    self_roles=frozenset(),
)
SURVEY_PERM = "activities.change_survey"


def sees_center(user) -> bool:
    return scope_for(user, POLICY) == Scope.CENTER


def _center(qs, user, path="center_id"):
    return qs.filter(**{path: user.center_id}) if sees_center(user) else qs.none()


def categories_for(user):
    return _center(ActivityCategory.objects.all(), user)


def activities_for(user):
    return _center(Activity.objects.select_related("category", "recorded_by"), user)


def photos_for(user):
    return _center(ActivityPhoto.objects.select_related("activity"), user, "activity__center_id")


def surveys_for(user):
    return _center(Survey.objects.select_related("created_by"), user)


def responses_for(user):
    """Every response of the center's surveys (managers and leaders)."""
    return _center(
        SurveyResponse.objects.select_related(
            "survey", "person", "vendor_staff__vendor", "agency", "parent"
        ),
        user,
        "survey__center_id",
    )


def my_responses(user):
    """The user's own answer sheets of published surveys."""
    if not user.is_authenticated or user.center_id is None:
        return SurveyResponse.objects.none()
    return (
        SurveyResponse.objects.filter(
            survey__center_id=user.center_id,
            parent__isnull=True,
            person__user=user,
        )
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey", "person", "agency")
    )


def answerable_responses(user):
    """Sheets the user may fill in: their own, or (survey managers) anyone's of the center."""
    if not user.is_authenticated or user.center_id is None:
        return SurveyResponse.objects.none()
    qs = SurveyResponse.objects.filter(
        survey__center_id=user.center_id, parent__isnull=True
    ).exclude(survey__status=Survey.Status.DRAFT)
    if not (sees_center(user) and user.has_perm(SURVEY_PERM)):
        qs = qs.filter(person__user=user)
    return qs.select_related("survey", "person", "vendor_staff__vendor", "agency")


def pending_for(user):
    return my_responses(user).filter(
        survey__status=Survey.Status.OPEN, status=SurveyResponse.Status.PENDING
    )
