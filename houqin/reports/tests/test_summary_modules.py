"""The summary on the meetings module's own deterministic data set (its summary tests' `data`:
three served meetings, one per room kind, with known attendees and disinfections): the Word
file says exactly those counts in the seed's sentence."""

import datetime as dt
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection

from houqin.core.testing import postgres_only, restore_migrated_data
from houqin.meetings.summary import figures
from houqin.meetings.tests.conftest import auditorium, meeting_manager, room  # noqa: F401
from houqin.meetings.tests.test_summary import data, period, small  # noqa: F401
from houqin.reports.builder import build
from houqin.reports.figures import collect_periods, parallel_allowed
from houqin.reports.tests.docx_helpers import docx_text

pytestmark = pytest.mark.django_db


def test_meetings_sentence_has_the_known_counts(data, room):  # noqa: F811
    start, end = period()
    known = figures(room.center, start, end)
    assert known["served"] == 3
    summary = build(room.center, start, end)
    text = docx_text(summary)
    assert (
        "全年共服务各类会议3场次，其中报告厅会议1场次，中型会议1场次，小型会议1场次，"
        f"参会人员共计{known['attendees']}人次"
    ) in text
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert meetings.has_data and meetings.heading == "（一）会务保障"


def test_the_summary_says_how_a_count_compares_with_last_year(monkeypatch, center_a):
    """The builder hands the previous period's figures to the sentences: 3 meetings against 2
    a year earlier is "同比增长50%"; the year before, with nothing to compare with, says
    nothing about it."""
    from houqin.reports import builder
    from houqin.reports.figures import Collected

    served = {2026: 3, 2025: 2}

    def fake_collect_periods(center, periods, *, now=None):
        values = [served.get(start.year) for start, _end in periods]
        return [Collected(values={"meetings.served": v, "meetings.attendees": v}) for v in values]

    monkeypatch.setattr(builder, "collect_periods", fake_collect_periods)
    summary = build(center_a, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert "全年共服务各类会议3场次，同比增长50%，其中" in meetings.paragraphs[0].text
    summary = build(center_a, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert "全年共服务各类会议2场次，其中" in meetings.paragraphs[0].text


def open_connections():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.fixture
def migrated(transactional_db):
    """What migrations create (ranks, role groups): an earlier transactional test's flush
    removed it."""
    restore_migrated_data()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_threads_compute_the_same_figures_and_close_their_connections(
    migrated,
    data,  # noqa: F811
    room,  # noqa: F811
    settings,
):
    """On PostgreSQL outside a transaction the module × period pieces run in threads, each on
    its own connection: the figures are those of the one-by-one run, and no connection is left
    open afterwards."""
    start, end = period()
    periods = [(start, end), (start - relativedelta(years=1), end - relativedelta(years=1))]
    settings.REPORTS_WORKERS = 1
    assert not parallel_allowed()
    one_by_one = collect_periods(room.center, periods)
    before = open_connections()
    settings.REPORTS_WORKERS = 4
    assert parallel_allowed()
    threaded = collect_periods(room.center, periods)
    assert [c.values for c in threaded] == [c.values for c in one_by_one]
    assert [c.labels for c in threaded] == [c.labels for c in one_by_one]
    assert threaded[0].values["meetings.served"] == 3
    deadline = time.monotonic() + 5  # a closed backend leaves pg_stat_activity a moment later
    while open_connections() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_connections() == before
