"""The scale dataset of 安保消防 (houqin/security/scale.py) on a small district (60 staff)."""

import datetime as dt

from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from houqin.org.models import OrgUnit, User
from houqin.security import summary
from houqin.security.models import (
    CheckpointScan,
    FireEquipment,
    FireEquipmentCheck,
    Patrol,
    RosterEntry,
    ScreeningTally,
    Visit,
    Visitor,
)
from houqin.security.services.rosters import eligible_users

V = Visit.Status


def test_scale_year(db, client):
    call_command("seed_scale", staff=60, year=2025, only="security", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1")

    # 20,000 visits at 3,000 staff → 400 at 60 (plus the watch list's refused attempts).
    visits = Visit.objects.filter(center=center)
    assert 400 <= visits.count() <= 410
    assert visits.filter(status=V.OUT).count() >= 350
    assert not visits.filter(status__in=(V.IN, V.EXPECTED)).exists()  # the year is over
    assert not visits.filter(status=V.OUT, exited_at__lt=F("entered_at")).exists()
    assert not visits.filter(entered_at__year__lt=2025).exists()
    assert not visits.filter(created_at__year__gt=2025).exists()
    assert visits.filter(status=V.REFUSED, note__startswith="关注名单").exists()
    # Visitor identities: one per digest, returning visitors.
    assert Visitor.objects.filter(center=center).count() < visits.count()
    # East gate screening totals = the people let in there that day.
    tally = ScreeningTally.objects.filter(center=center).first()
    entered = sum(
        visits.filter(gate=tally.gate, entered_at__date=tally.date).values_list(
            "party_size", flat=True
        )
    )
    assert tally.checked == entered

    # The 8-day rotation of the guards (two at this size: most days staffed; at full size
    # every shift of every day); nobody twice on one day.
    entries = RosterEntry.objects.filter(shift__center=center)
    assert entries.values("date").distinct().count() >= 300
    assert not entries.exclude(date__year=2025).exists()
    assert not entries.values("date", "user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert set(entries.values_list("user", flat=True)) <= set(
        eligible_users(center.pk).values_list("pk", flat=True)
    )

    # Patrols: every route walked every day, scans within the patrol, incomplete ones short.
    patrols = Patrol.objects.filter(center=center)
    assert patrols.count() == 365 * 6
    assert not patrols.filter(status=Patrol.Status.IN_PROGRESS).exists()
    scans = CheckpointScan.objects.filter(patrol__center=center)
    assert not scans.filter(scanned_at__lt=F("patrol__started_at")).exists()
    assert not scans.filter(scanned_at__gt=F("patrol__finished_at")).exists()
    assert not scans.filter(is_ok=False, note="").exists()

    # Fire equipment: monthly checks, last check date kept, replaced ones dated.
    equipment = FireEquipment.objects.filter(center=center)
    assert 16 <= equipment.count() <= 30
    for piece in equipment:
        last = piece.checks.order_by("-checked_on").values_list("checked_on", flat=True).first()
        assert piece.last_checked_on == last
    assert not equipment.filter(
        Q(status=FireEquipment.Status.REPLACED) & Q(replaced_on__isnull=True)
    ).exists()
    assert FireEquipmentCheck.objects.filter(equipment__center=center).count() > 150

    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    figures = summary.figures(center, start, end)
    assert 380 <= figures["visitors_registered"] <= 400
    assert figures["visitors_people"] > figures["visitors_registered"]
    assert figures["patrols_planned"] == 6 * 364
    assert 90 <= figures["patrols_done_pct"] <= 100
    assert figures["incidents"] == 1
    assert figures["trainings"] == 3 and figures["drills"] == 3
    assert figures["drill_people"] > 0
    assert figures["cameras_total"] == 3

    client.force_login(User.objects.get(username="s1security"))
    assert client.get(reverse("security:visit_list")).status_code == 200
    assert client.get(reverse("security:patrol_list")).status_code == 200
