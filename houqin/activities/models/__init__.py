"""活动 and 摸排 models: the activities the center records (study sessions, volunteer service…)
with participants and photos, and staff surveys answered on the phone."""

from .activities import Activity, ActivityCategory, ActivityPhoto
from .surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

__all__ = [
    "Activity",
    "ActivityCategory",
    "ActivityPhoto",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
]
