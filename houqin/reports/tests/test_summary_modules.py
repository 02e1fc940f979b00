"""The summary on the meetings module's own deterministic data set (its summary tests' `data`:
three served meetings, one per room kind, with known attendees and disinfections): the Word
file says exactly those counts in the seed's sentence."""

import datetime as dt

import pytest

from houqin.meetings.summary import figures
from houqin.meetings.tests.conftest import auditorium, meeting_manager, room  # noqa: F401
from houqin.meetings.tests.test_summary import data, period, small  # noqa: F401
from houqin.reports.builder import build
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

    def fake_collect(center, start, end, *, now=None):
        value = served.get(start.year)
        return Collected(values={"meetings.served": value, "meetings.attendees": value})

    monkeypatch.setattr(builder, "collect", fake_collect)
    summary = build(center_a, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert "全年共服务各类会议3场次，同比增长50%，其中" in meetings.paragraphs[0].text
    summary = build(center_a, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert "全年共服务各类会议2场次，其中" in meetings.paragraphs[0].text
