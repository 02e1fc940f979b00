"""The summary on the meetings module's own deterministic data set (its summary tests' `data`:
three served meetings, one per room kind, with known attendees and disinfections): the Word
file says exactly those counts in the seed's sentence."""

import io

import pytest
from docx import Document

from houqin.meetings.summary import figures
from houqin.meetings.tests.conftest import auditorium, meeting_manager, room  # noqa: F401
from houqin.meetings.tests.test_summary import data, period, small  # noqa: F401
from houqin.reports.builder import build
from houqin.reports.docx_writer import write_docx

pytestmark = pytest.mark.django_db


def test_meetings_sentence_has_the_known_counts(data, room):  # noqa: F811
    start, end = period()
    known = figures(room.center, start, end)
    assert known["served"] == 3
    summary = build(room.center, start, end)
    text = "\n".join(p.text for p in Document(io.BytesIO(write_docx(summary))).paragraphs)
    assert (
        "全年共服务各类会议3场次，其中报告厅会议1场次，中型会议1场次，小型会议1场次，"
        f"参会人员共计{known['attendees']}人次"
    ) in text
    [meetings] = [s for s in summary.parts[0].sections if s.key == "meetings"]
    assert meetings.has_data and meetings.heading == "（一）会务保障"
