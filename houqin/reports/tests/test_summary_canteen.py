"""The summary's canteen sentence (paragraph 三 of （五）后勤保障) on the canteen module's own
known data set (its summary tests' `year`), over the calendar year 2026.

That data set, all in 2026: published menus — lunch and dinner on 25 November and a lunch on
1 December (a cancelled and a draft menu are not counted) = 3; food-safety records — 2 晨检,
1 留样, 1 进货查验, 2 餐具消毒 = 6; meals served — 1 collected order + 3 walk-in meals = 4.
Nothing happens in 2025, so no 同比 clause is written.
"""

import datetime as dt

import pytest

from houqin.canteen.summary import figures
from houqin.canteen.tests.conftest import canteen_manager, dishes, lunch, slots  # noqa: F401
from houqin.canteen.tests.test_summary import LATER, year  # noqa: F401
from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import docx_text, summary_section

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
HEADING = "（五）后勤保障"
CANTEEN = (
    "强化服务意识，切实做好后勤保障工作。一是做好食堂保障工作。机关食堂每周精心编制菜单，全年发布菜单3餐次，确保菜肴品种的合理搭配；"
    "按照安全卫生第一的要求，严格监督和管理食品选购、加工、制作及存放，"
    "做好晨检、留样、进货查验和餐具消毒记录6条。"
    "全年为干部职工供餐共计4份，其中订餐领取1份、窗口就餐3份。"
)
NO_DATA = "本期暂无后勤保障相关数据记录。"


def test_figures_are_the_known_counts(year, center_a):  # noqa: F811
    f = figures(center_a, *YEAR, now=LATER)
    assert (f["menus_published"], f["menus_cancelled"]) == (3, 1)
    assert f["food_safety_records"] == 6
    assert (f["meals_served"], f["orders_collected"], f["walk_in_meals"]) == (4, 1, 3)


def test_word_file_has_the_known_counts_in_the_seed_sentence(year, center_a):  # noqa: F811
    summary = build(center_a, *YEAR, now=LATER)
    text = docx_text(summary)
    assert summary.title.endswith("2026年工作总结") and f"\n{HEADING}\n" in text
    assert CANTEEN in text
    section = summary_section(summary, "logistics")
    assert section.has_data and section.heading == HEADING
    # Only the canteen has records: the repair, maintenance and vendor paragraphs are left
    # out rather than reporting "0 次".
    assert [p.text for p in section.paragraphs] == [CANTEEN]
    assert "报修0次" not in text and "考核0次" not in text


def test_a_year_without_canteen_records_says_so(year, center_a):  # noqa: F811
    start, end = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    f = figures(center_a, start, end, now=LATER)
    assert (f["menus_published"], f["food_safety_records"], f["meals_served"]) == (0, 0, 0)
    summary = build(center_a, start, end, now=LATER)
    section = summary_section(summary, "logistics")
    assert not section.has_data and section.heading == HEADING
    assert [p.text for p in section.paragraphs] == [NO_DATA]
    text = docx_text(summary)
    assert f"{HEADING}\n{NO_DATA}" in text
    for zero in ("菜单0餐次", "记录0条", "供餐共计0份", "订餐领取0份", "窗口就餐0份"):
        assert zero not in text
