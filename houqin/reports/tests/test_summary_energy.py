"""The summary on the energy module's own known data set (its summary tests' `built`: 2026 read
on 10 Jan 2027, center B holding the same records again): the figures are the hand-known
counts and the Word file says them in the seed's sentences under "（四）节能降耗"; a center
without energy records says so.

Known counts of 2026 (see houqin/energy/tests/test_summary.py): 1 unit passed of a target of 3
(33.3 %); 2 progress meetings with 70 people, 1 training with 50; 2 stations completed, 5 in
all, of a target of 16 (31.2 %); 2 sorting sites in use, 1 a demonstration site, 2 inspections
with 26 of 30 bins right (86.7 %); 2 publicity events with 380 people; 1000 kWh = 122.9 kgce
over 1000 ㎡ and 10 people (0.12 kgce/㎡, 12.29 kgce/人, 10 m³/人), −33.33 / −33.33 / −16.67 %
against 2025.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.energy.summary import figures
from houqin.energy.tests.conftest import (  # noqa: F401
    TODAY,
    batch,
    campaign,
    energy_a,
    energy_b,
    office,
    sheet,
    unit_x,
)
from houqin.energy.tests.test_summary import END, NOW, START, built, center_b_data  # noqa: F401
from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import section_texts, summary_section

pytestmark = pytest.mark.django_db

HEADING = "（四）节能降耗"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """The energy fixtures are built on the energy tests' fixed day (their conftest's autouse
    fixture, which an import does not bring along)."""
    monkeypatch.setattr(timezone, "now", lambda: TODAY)


def test_figures_are_the_known_counts(built, center_a, center_b_data):  # noqa: F811
    f = figures(center_a, START, END, now=NOW)
    assert (f["units_created"], f["units_target"], f["units_created_pct"]) == (1, 3, 33.3)
    assert (f["meetings"], f["meeting_people"], f["trainings"], f["training_people"]) == (
        2,
        70,
        1,
        50,
    )
    assert (f["stations_completed"], f["stations_completed_total"], f["stations_target"]) == (
        2,
        5,
        16,
    )
    assert f["stations_pct"] == 31.2
    assert (f["sorting_sites"], f["demonstration_sites"], f["sorting_inspections"]) == (2, 1, 2)
    assert f["sorting_rate"] == 86.7
    assert (f["events"], f["event_people"]) == (2, 380)
    assert (f["energy_year"], f["energy_kgce"]) == (2026, Decimal("122.90"))
    assert (f["per_area"], f["per_capita"], f["water_per_capita"]) == (
        Decimal("0.12"),
        Decimal("12.29"),
        Decimal("10.00"),
    )
    assert (f["per_area_vs_last_pct"], f["per_capita_vs_last_pct"], f["water_vs_last_pct"]) == (
        Decimal("-33.33"),
        Decimal("-33.33"),
        Decimal("-16.67"),
    )


def test_word_file_says_the_known_counts(built, center_a, center_b_data):  # noqa: F811
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "energy")
    assert section.has_data and section.heading == HEADING
    assert section_texts(summary, HEADING) == [
        "深化节能降耗，构建节约型机关。一是创建节约型机关工作。按照创建的评价标准，"
        "全年新创建节约型机关1家（目标任务3家，完成33.3%），组织召开节约型机关创建工作推进会"
        "2次、70人次，举办业务培训1次、50人次，有力推动节约型机关创建工作深入开展。",
        "二是新能源充电桩建设。积极对接供电部门，全年建成充电站2个，累计建成5个，"
        "完成上级下达的16个充电站建设任务的31.2%。",
        "三是推进公共机构垃圾分类。设立生活垃圾分类点位2个，其中示范点1个；"
        "全年开展垃圾分类检查2次，生活垃圾分类正确投放率86.7%，严格规范生活垃圾分类类别及标志，"
        "进一步发挥公共机构示范引领作用。",
        "四是广泛营造节能宣传氛围。以节能宣传周、全国低碳日等为契机，开展节能宣传活动2次，"
        "参与380人次，推动单位和个人形成绿色、低碳、循环、可持续的生活方式。",
        "五是加强公共机构能耗指标管理。2026年公共机构综合能耗122.9千克标准煤，"
        "单位建筑面积能耗0.12千克标准煤/平方米，较上年变化-33.33%；"
        "人均综合能耗12.29千克标准煤/人，较上年变化-33.33%；"
        "人均用水量10立方米/人，较上年变化-16.67%。",
    ]
    used = {figure.key: figure.value for figure in summary.figures}
    assert (used["energy.events"], used["energy.energy_kgce"]) == (2, Decimal("122.90"))


def test_no_energy_records_says_so(center_a, center_b, center_b_data):  # noqa: F811
    """Center B's campaign-free records (stations, sites, events, readings) are not center A's:
    A's section says it has no data; the year of the indicators alone does not make data."""
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "energy")
    assert not section.has_data
    texts = section_texts(summary, HEADING)
    assert texts == ["本期暂无节能降耗相关数据记录。"]
    assert not any("2026年公共机构综合能耗" in text or "建成充电站" in text for text in texts)
    assert not any(f.key.startswith("energy.") for f in summary.figures)
    assert summary_section(build(center_b, START, END, now=NOW), "energy").has_data
