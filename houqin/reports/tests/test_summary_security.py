"""The summary on the security module's own known data set (its summary tests' `build`), read
for the whole of 2026 on 15 Dec 2026: the figures are the hand-known counts and the Word file
says them in the seed's sentences under "（三）安保消防"; a center without security records says
so.

Known counts of 2026 from that data set (its own test reads November only):
  visits let in 5 Nov, 20 Nov, 31 Oct: 3, bringing 3 + 2 + 1 = 6 people; refused and
      registered in 2026 (10 Nov, 2 Dec): 2
  patrols done 3 Nov, 4 Nov, 3 Dec: 3, of 3 rounds a day (2 + 1; the inactive route does not
      count) × 349 days (1 Jan – 15 Dec) = 1047 planned: 0.3 %
  fire patrol tasks done: 3; fire inspections done: 1; incidents: 4 (one in October)
  trainings 10 Nov (3 named + 5) and 20 Nov (4): 2, 12 people; drills 25 Nov (2 + 10) and
      1 Oct (3 + 50): 2, 65 people
  equipment replaced 15 Nov and scrapped 3 Dec: 2
  cameras on 15 Dec: C1, C2 (faulty), C5 (installed 10 Dec) = 3, 2 of them in service (C3 and
      C4 were removed before)
"""

import datetime as dt

import pytest

from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import section_texts, summary_section
from houqin.security.models import PatrolRoute, Visit
from houqin.security.summary import figures
from houqin.security.tests.conftest import guard_a, guard_b, manager_a  # noqa: F401
from houqin.security.tests.test_summary import (
    NOW,
    drill,
    equipment,
    incident,
    patrol,
    visit,
)
from houqin.security.tests.test_summary import build as build_dataset

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
HEADING = "（三）安保消防"

VISITS_SENTENCE = (
    "二是认真做好来访人员、群众的登记统计，全年登记来访3批次、6人次，"
    "并耐心引导至相关部门办事；对未通过入口查验的来访2批次予以劝离，"
    "保障了行政中心的正常工作秩序。"
)


@pytest.fixture
def dataset(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a):  # noqa: F811
    return build_dataset(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a)


def test_figures_are_the_known_counts(center_a, dataset):
    f = figures(center_a, START, END, now=NOW)
    assert (f["visitors_registered"], f["visitors_people"], f["visits_refused"]) == (3, 6, 2)
    assert (f["patrols_planned"], f["patrols_done"], f["patrols_done_pct"]) == (1047, 3, 0.3)
    assert (f["fire_patrol_done"], f["fire_inspections_done"], f["incidents"]) == (3, 1, 4)
    assert (f["trainings"], f["training_people"], f["drills"], f["drill_people"]) == (2, 12, 2, 65)
    assert f["equipment_replaced"] == 2
    assert (f["cameras_total"], f["cameras_in_service"]) == (3, 2)


def test_word_file_says_the_known_counts(center_a, dataset):
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "security")
    assert section.has_data and section.heading == HEADING
    assert section_texts(summary, HEADING) == [
        "强化安保消防，创造安全环境。一是建立健全安保消防工作制度，强化岗位职责，"
        "检查巡查重点区域的管理，狠抓作风纪律和值班形象。全年完成安保、消防巡更3次，"
        "巡更完成率0.3%；按计划完成防火巡查3次、消防检查1次，妥善处置各类突发事件4起，"
        "有效防止各类安全事故的发生，保障了各种大型活动、大型会议的顺利召开。",
        # No visitor in 2025: nothing to compare with, so no 同比 clause.
        VISITS_SENTENCE,
        "三是完善安保队员及消防值班人员安全教育培训，全年开展消防安全和安保业务培训2次、"
        "12人次，组织疏散、灭火演练2次、65人次。",
        "四是加强技防物防建设，更换、报废年久老化的消防器材2件；行政中心共有监控摄像机3台，"
        "其中正常在用2台，有效提升监控设备的实效性。",
    ]
    used = {figure.key: figure.value for figure in summary.figures}
    assert (used["security.visitors_people"], used["security.cameras_total"]) == (6, 3)


def test_visitors_compared_with_the_year_before(center_a, agency_x, dataset):
    """4 visitors let in during 2025 against 6 in 2026: "同比增长50%" after the 人次."""
    row = visit(center_a, agency_x, "out", (11, 5), party=4)
    earlier = dt.datetime(2025, 6, 2, 10, tzinfo=NOW.tzinfo)
    Visit.objects.filter(pk=row.pk).update(
        entered_at=earlier, exited_at=earlier + dt.timedelta(hours=1), created_at=earlier
    )
    texts = section_texts(build(center_a, START, END, now=NOW), HEADING)
    assert texts[1] == VISITS_SENTENCE.replace("6人次，", "6人次，同比增长50%，")


def test_no_security_records_says_so(center_a, center_b, agency_b, guard_b):  # noqa: F811
    """Center B's visits, patrols, incidents, drills and equipment are not center A's: A's
    section says it has no data and prints no "0次" sentence."""
    visit(center_b, agency_b, "out", (11, 5), party=9)
    route = PatrolRoute.objects.create(center=center_b, name="乙", rounds_per_day=3)
    patrol(route, guard_b, "done", (11, 3))
    incident(center_b, guard_b, "fire", (11, 2))
    drill(center_b, "training", dt.date(2026, 11, 10), [], 5)
    equipment(center_b, "B1", dt.date(2026, 1, 1), "replaced", dt.date(2026, 11, 15))
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "security")
    assert not section.has_data
    texts = section_texts(summary, HEADING)
    assert texts == ["本期暂无安保消防相关数据记录。"]
    assert not any("巡更0次" in text or "来访0批次" in text for text in texts)
    assert not any(f.key.startswith("security.") for f in summary.figures)
    assert summary_section(build(center_b, START, END, now=NOW), "security").has_data
