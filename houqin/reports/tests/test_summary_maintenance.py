"""The summary's maintenance sentences (paragraphs 一 and 二 of （五）后勤保障) on the maintenance
module's own known data set (its summary tests' build / findings / duty_plans), over the
calendar year 2026.

That data set, all in 2026: repairs received — 4 orders reported on 25 November (a fifth,
merged into another, is not counted) and 1 in October = 5; completed 2 (1 on time: 50%),
answered after 1 h and 3 working hours (mean 2), rated ★5 and ★3 (satisfied 50%), costing
20 + 45.50 + 100 = 165.50 元; preventive maintenance done 3 times, safety inspection once;
findings recorded 3 (2 in November, 1 in October), rectified 2. An order of center B is not
counted. Nothing happens in 2025, so no 同比 clause is written.
"""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.maintenance.summary import figures
from houqin.maintenance.tests.conftest import NOW, manager_a, tech_a  # noqa: F401
from houqin.maintenance.tests.test_summary import build as orders
from houqin.maintenance.tests.test_summary import duty_plans, findings
from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import docx_text, summary_section

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
HEADING = "（五）后勤保障"
REPAIRS = (
    "强化服务意识，切实做好后勤保障工作。一是积极完成维修工作任务。全年接到各类报修5次，"
    "完成维修2次，按时完成率50%，平均响应时间2个工作小时，报修人满意率50%；"
    "投入维修经费165.5元。"
)
UPKEEP = (
    "二是定期开展设施设备维护和安全检查，责任落实到人，完成预防性维护3次、安全检查1次，"
    "发现问题3项，完成整改2项，强化安全责任意识。"
)
NO_DATA = "本期暂无后勤保障相关数据记录。"


@pytest.fixture
def year(center_a, manager_a, tech_a, staff_x, agency_b):  # noqa: F811
    orders(center_a, manager_a, tech_a, staff_x, agency_b)
    findings(center_a, tech_a)
    duty_plans(center_a, manager_a, tech_a)


def test_figures_are_the_known_counts(year, center_a):
    f = figures(center_a, *YEAR, now=NOW)
    assert (f["repairs_received"], f["repairs_completed"]) == (5, 2)
    assert (f["within_sla_pct"], f["avg_response_hours"], f["satisfied_pct"]) == (50.0, 2.0, 50.0)
    assert f["spending_total"] == Decimal("165.50")
    assert (f["preventive_done"], f["inspections_done"]) == (3, 1)
    assert (f["findings_found"], f["findings_rectified"]) == (3, 2)


def test_word_file_has_the_known_counts_in_the_seed_sentences(year, center_a):
    summary = build(center_a, *YEAR, now=NOW)
    text = docx_text(summary)
    assert summary.title.endswith("2026年工作总结") and f"\n{HEADING}\n" in text
    assert f"{HEADING}\n{REPAIRS}\n{UPKEEP}\n" in text
    section = summary_section(summary, "logistics")
    assert section.has_data and section.heading == HEADING
    # Only maintenance has records: the canteen and vendor paragraphs are left out.
    assert [p.text for p in section.paragraphs] == [REPAIRS, UPKEEP]
    assert "供餐共计0份" not in text and "考核0次" not in text


def test_a_year_without_maintenance_records_says_so(year, center_a):
    start, end = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    f = figures(center_a, start, end, now=NOW)
    assert (f["repairs_received"], f["preventive_done"], f["findings_found"]) == (0, 0, 0)
    assert f["findings_open"] == 1  # open now, but not a figure of 2025's sentences
    summary = build(center_a, start, end, now=NOW)
    section = summary_section(summary, "logistics")
    assert not section.has_data and section.heading == HEADING
    assert [p.text for p in section.paragraphs] == [NO_DATA]
    text = docx_text(summary)
    assert f"{HEADING}\n{NO_DATA}" in text
    for zero in ("报修0次", "维修0次", "经费0元", "维护0次", "检查0次", "问题0项", "整改0项"):
        assert zero not in text
