"""The scale dataset of the duties engine (houqin/core/duties/scale.py) on 60 staff."""

import datetime as dt

from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from houqin.core.duties.demo import PLANS
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.summary import compliance, duty_figures
from houqin.org.models import OrgUnit, User

T = DutyTask.Status


def test_scale_year(db, client):
    call_command("seed_scale", staff=60, year=2025, only="duties", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1")

    plans = DutyPlan.objects.filter(center=center)
    assert set(plans.values_list("title", flat=True)) == {p["title"] for p in PLANS}
    tasks = DutyTask.objects.filter(center=center)
    # Twice-daily disinfection, daily fire patrol, weekly cleaning, 5 pest controls, quarterly
    # inspections and trainings: 730 + 365 + 52 + 5 + 4 + 4.
    assert tasks.count() == 1160
    assert tasks.filter(due_at__year=2025).count() == 1160
    assert not tasks.filter(late_after__lt=F("due_at")).exists()
    # Final states: done (on time or late) or missed; nothing left "not yet due".
    done = tasks.filter(status=T.DONE)
    records = DutyRecord.objects.filter(center=center)
    assert done.count() == records.count()
    assert not done.filter(completed_at__isnull=True).exists()
    assert not tasks.exclude(status=T.DONE).filter(completed_at__isnull=False).exists()
    assert not records.exclude(completed_at=F("task__completed_at")).exists()
    on_time = records.filter(on_time=True)
    assert not on_time.filter(completed_at__gt=F("task__late_after")).exists()
    assert not records.filter(on_time=False, completed_at__lte=F("task__late_after")).exists()
    assert 0.85 <= on_time.count() / tasks.count() <= 0.97
    missed = tasks.filter(status=T.OPEN).count()
    assert 0 < missed < 0.06 * tasks.count()
    # Completed by someone allowed: the holders of the plan's role.
    guard = User.objects.get(username="s1guard")
    assert set(
        records.filter(task__category=DutyPlan.Category.FIRE_PATROL).values_list(
            "completed_by", flat=True
        )
    ) == {guard.pk}
    # Answers follow the checklist.
    record = records.filter(task__category=DutyPlan.Category.DISINFECTION).first()
    assert record.answers["lobby"] is True
    assert 250 <= record.answers["chlorine"] <= 500

    start, end = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    figures = duty_figures(center, start, end)
    assert figures["total"] == records.filter(completed_at__year=2025).count()
    assert figures["by_category"]["disinfection"] > 650
    rows = compliance(center, start, end)
    assert sum(r.due for r in rows) == 1160
    assert sum(r.missed for r in rows) == missed

    client.force_login(User.objects.get(username="s1admin"))
    assert client.get(reverse("duties:compliance") + "?year=2025").status_code == 200
    assert client.get(reverse("duties:record_list")).status_code == 200
