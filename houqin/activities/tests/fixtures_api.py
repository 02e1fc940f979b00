"""Helpers of the activities API and summary tests: activities, categories and surveys with
responses, created directly (the API and the summary only read)."""

import datetime as dt

from houqin.activities.models import (
    Activity,
    ActivityCategory,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from houqin.org.tests.factories import PersonFactory


def category(center, name, order=0):
    return ActivityCategory.objects.get_or_create(
        center=center, name=name, defaults={"order": order}
    )[0]


def activity(center, cat, day, title="学习会", people=10):
    return Activity.objects.create(
        center=center,
        category=cat,
        date=day,
        title=title,
        other_participants=people,
        participant_total=people,
    )


def survey(center, by, title="疫苗接种情况摸排", *, answered=0, exempt=0, pending=0, agency):
    """An open survey with one yes/no question and the given numbers of response rows."""
    s = Survey.objects.create(
        center=center,
        title=title,
        deadline=dt.date(2026, 12, 31),
        status=Survey.Status.OPEN,
        created_by=by,
    )
    SurveyQuestion.objects.create(survey=s, text="是否已接种", kind="yes_no")
    statuses = (
        [SurveyResponse.Status.ANSWERED] * answered
        + [SurveyResponse.Status.EXEMPT] * exempt
        + [SurveyResponse.Status.PENDING] * pending
    )
    for status in statuses:
        SurveyResponse.objects.create(
            survey=s,
            person=PersonFactory(agency=agency),
            agency=agency,
            status=status,
            exempt_reason="接种禁忌" if status == SurveyResponse.Status.EXEMPT else "",
        )
    return s
