"""Figures of the activities pages: activity counts per category and per month, and a
survey's completion rate (overall and per agency) and aggregates per question. Each function
runs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from .models import Activity, ActivityCategory, SurveyAnswer, SurveyQuestion, SurveyResponse
from .services.surveys import NO, YES


def activity_counts(center_id, year):
    """{"categories": [{name, count, participants}], "months": [12 counts], totals}."""
    qs = Activity.objects.filter(center_id=center_id, date__year=year)
    by_category = {
        row["category_id"]: row
        for row in qs.values("category_id").annotate(n=Count("id"), people=Sum("participant_total"))
    }
    categories = []
    for category in ActivityCategory.objects.filter(center_id=center_id):
        row = by_category.get(category.pk)
        if row is None and not category.is_active:
            continue
        categories.append(
            {
                "name": category.name,
                "count": row["n"] if row else 0,
                "participants": (row["people"] or 0) if row else 0,
            }
        )
    months = [0] * 12
    for row in qs.annotate(m=ExtractMonth("date")).values("m").annotate(n=Count("id")):
        months[row["m"] - 1] = row["n"]
    return {
        "year": year,
        "categories": categories,
        "months": months,
        "total": sum(c["count"] for c in categories),
        "participants": sum(c["participants"] for c in categories),
    }


def percent(done, total):
    return round(done * 100 / total, 1) if total else 0


@dataclass
class Progress:
    label: str
    total: int = 0
    answered: int = 0
    exempt: int = 0

    @property
    def done(self):
        return self.answered + self.exempt

    @property
    def pending(self):
        return self.total - self.done

    @property
    def rate(self):
        return percent(self.done, self.total)


def survey_progress(survey):
    """(overall Progress, [Progress per agency]); vendor staff are one group of their own.
    Family sub-entries are not counted: each person's sheet is one row."""
    rows = (
        SurveyResponse.objects.filter(survey=survey, parent__isnull=True)
        .values("agency_id", "agency__name", "agency__path")
        .annotate(
            total=Count("id"),
            answered=Count("id", filter=Q(status=SurveyResponse.Status.ANSWERED)),
            exempt=Count("id", filter=Q(status=SurveyResponse.Status.EXEMPT)),
        )
        .order_by("agency__path")
    )
    overall = Progress(_("合计"))
    groups = {}
    for row in rows:
        # People always have an agency; vendor staff have none.
        if row["agency_id"] is None:
            key, label = "vendor", _("外包人员")
        else:
            key, label = row["agency_id"], row["agency__name"]
        group = groups.setdefault(key, Progress(label))
        for g in (group, overall):
            g.total += row["total"]
            g.answered += row["answered"]
            g.exempt += row["exempt"]
    return overall, list(groups.values())


@dataclass
class Aggregate:
    question: SurveyQuestion
    answered: int = 0
    counts: list = field(default_factory=list)  # [(label, n, percent)] for yes/no and choice
    total: Decimal | None = None
    average: Decimal | None = None
    samples: list = field(default_factory=list)  # a few text/date answers


def survey_aggregates(survey, questions=None, *, samples=5):
    """Per question: counts per option (yes/no, choice), sum and average (number), the number
    of answers (all kinds). Family members' answers are included."""
    questions = list(questions if questions is not None else survey.questions.all())
    values = defaultdict(list)
    for row in (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values("question_id", "value")
        .annotate(n=Count("id"))
        .order_by("question_id", "value")
    ):
        values[row["question_id"]].append((row["value"], row["n"]))
    result = []
    for q in questions:
        rows = values.get(q.pk, [])
        agg = Aggregate(q, answered=sum(n for _v, n in rows))
        counted = dict(rows)
        if q.kind == SurveyQuestion.Kind.YES_NO:
            options = [(YES, _("是")), (NO, _("否"))]
            agg.counts = [
                (label, counted.get(v, 0), percent(counted.get(v, 0), agg.answered))
                for v, label in options
            ]
        elif q.kind == SurveyQuestion.Kind.CHOICE:
            agg.counts = [
                (o, counted.get(o, 0), percent(counted.get(o, 0), agg.answered)) for o in q.choices
            ]
        elif q.kind == SurveyQuestion.Kind.NUMBER and agg.answered:
            agg.total = sum((Decimal(v) * n for v, n in rows), Decimal(0))
            agg.average = (agg.total / agg.answered).quantize(Decimal("0.01"))
        else:
            agg.samples = [v for v, _n in rows[:samples]]
        result.append(agg)
    return result


def answer_label(question, value):
    if question.kind == SurveyQuestion.Kind.YES_NO:
        return {YES: _("是"), NO: _("否")}.get(value, value)
    return value
