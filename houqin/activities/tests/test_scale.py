"""The activities' part of seed_scale at a small size: counts, participant totals that match
their participants, closed surveys with one sheet per person in scope, the year's figures and
the activity list of the center administrator."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from houqin.activities import summary
from houqin.activities.models import Activity, Survey, SurveyAnswer, SurveyResponse
from houqin.org.models import OrgUnit, Person, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    call_command("seed_scale", staff=60, year=2025, only="activities", verbosity=0)
    return OrgUnit.objects.get(code="SCALE-1", kind=OrgUnit.Kind.CENTER)


def test_activities_scale(center, client):
    activities = Activity.objects.filter(center=center).annotate(named=Count("participants"))
    assert 19 <= activities.count() <= 25
    for activity in activities:
        assert activity.date.year == 2025
        assert activity.participant_total == activity.named + activity.other_participants > 0

    surveys = Survey.objects.filter(center=center)
    assert 3 <= surveys.count() <= 10
    staff = Person.objects.filter(center=center, status=Person.Status.ACTIVE).count()
    for survey in surveys:
        assert survey.status == Survey.Status.CLOSED
        assert survey.deadline < dt.date(2026, 1, 15)
        responses = SurveyResponse.objects.filter(survey=survey)
        scope = survey.agencies.values_list("pk", flat=True)
        expected = (
            Person.objects.filter(center=center, agency__in=scope).count() if scope else staff
        )
        assert responses.count() == expected
        answered = responses.filter(status=SurveyResponse.Status.ANSWERED)
        assert not answered.filter(answered_at__isnull=True)
        questions = survey.questions.count()
        assert (
            SurveyAnswer.objects.filter(response__survey=survey).count()
            == answered.count() * questions
        )
        assert not responses.filter(status="exempt", exempt_reason="")

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    in_period = activities.filter(date__lt=dt.date(2025, 12, 31))
    assert figures["activities"] == in_period.count()
    assert figures["participants"] == sum(a.participant_total for a in in_period)
    assert figures["by_category"]
    assert len(figures["surveys"]) == surveys.count()
    assert Decimal(85) < Decimal(figures["survey_completion_rate"]) <= 100

    client.force_login(User.objects.get(username="s1admin"))
    for name in ("activities:activity_list", "activities:survey_list"):
        assert client.get(reverse(name)).status_code == 200
