"""The summary on the office-space module's own known data set (its summary tests' `dataset`,
2026 read on 25 Nov 2026): the figures are the hand-known counts and the Word file says them
in the seed's sentences under "（六）办公用房管理"; a center without space records says so.

Known counts of 2026 (see houqin/space/tests/test_summary.py): 2 units hold rooms, 1 within
its entitlement; 3 requests received, 2 granted; 1 room (40 ㎡) from upstream; 2 rooms (42 ㎡)
reallocated by the plan; 2 leases vacated saving 164000.50 元 a year; 2 projects completed for
600000 元; 3 buildings in use, 1 registered and 1 filed (66.7 %).
"""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.reports.builder import build
from houqin.reports.tests.docx_helpers import section_texts, summary_section
from houqin.space.models import SubUse
from houqin.space.services import register
from houqin.space.summary import figures
from houqin.space.tests.conftest import (  # noqa: F401
    building_a,
    building_b,
    leader_a,
    make_person,
    make_room,
    manager_a,
    manager_b,
)
from houqin.space.tests.test_summary import (  # noqa: F401
    END,
    NOW,
    START,
    allocate,
    dataset,
    juzhang_x,
    lease,
)

pytestmark = pytest.mark.django_db

HEADING = "（六）办公用房管理"


def test_figures_are_the_known_counts(center_a, dataset):  # noqa: F811
    f = figures(center_a, START, END, now=NOW)
    assert (f["agencies_total"], f["agencies_approved"]) == (2, 1)
    assert (f["requests_received"], f["requests_granted"]) == (3, 2)
    assert (f["rooms_obtained"], f["area_obtained_upstream"]) == (1, Decimal("40.00"))
    assert (f["rooms_reallocated"], f["area_reallocated"]) == (2, Decimal("42.00"))
    assert (f["leases_vacated"], f["rent_saved_per_year"]) == (2, Decimal("164000.50"))
    assert (f["projects_completed"], f["projects_cost"]) == (2, Decimal("600000.00"))
    assert (f["ownership_total"], f["ownership_registered"], f["ownership_filed"]) == (3, 1, 1)
    assert f["ownership_pct"] == 66.7


def test_word_file_says_the_known_counts(center_a, dataset):  # noqa: F811
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "space")
    assert section.has_data and section.heading == HEADING
    assert section_texts(summary, HEADING) == [
        "规范办公用房管理，推进资源合理配置和节约集约使用。一是严格核定各单位办公用房面积，"
        "期末占有办公用房的2个单位中，1个单位办公用房面积在核定标准以内。"
        "全年受理各部门增加办公用房申请3件，批准2件；积极和上级部门沟通协调，"
        "获得上级调配办公用房1间、40平方米，同时通过合理调剂闲置办公用房2间、42平方米，"
        "有效缓解了办公用房紧缺的问题。",
        "二是腾退在外租用的办公用房2处，每年减少租金164000.5元，减轻财政资金支出。",
        "三是完成办公用房维修改造项目2个，决算金额600000元。",
        "四是推进党政机关办公用房权属统一登记工作，在用楼栋3栋中已办理登记1栋、备案1栋，"
        "登记进度66.7%。",
    ]
    # The figures table (xlsx, preview links) lists what the sentences used, with their values.
    used = {figure.key: figure.value for figure in summary.figures}
    assert used["space.requests_received"] == 3
    assert used["space.rent_saved_per_year"] == Decimal("164000.50")


def test_a_part_without_records_is_left_out(center_a, dataset):  # noqa: F811
    """Before 2026 nothing was vacated, built or reallocated in January: those paragraphs go,
    the ones with figures stay."""
    summary = build(center_a, START, dt.date(2026, 2, 1), now=NOW)
    texts = section_texts(summary, HEADING)
    # the items left are renumbered: the ownership item follows 一是 as 二是
    assert not any(text.startswith(("三是", "四是")) for text in texts)
    assert texts[-1] == (
        "二是推进党政机关办公用房权属统一登记工作，在用楼栋3栋中已办理登记1栋、备案1栋，"
        "登记进度66.7%。"
    )


def test_no_space_records_says_so(center_a, center_b, agency_b, manager_b, building_b):  # noqa: F811
    """Center B's rooms and leases are not center A's: A's section says it has no data and
    prints no "0 个单位" sentence."""
    room = register.room_create(
        actor=None,
        building=building_b,
        floor=building_b.floors.get(level=1),
        number="101",
        usable_area=Decimal("50.00"),
        sub_use=SubUse.OFFICE,
        capacity=1,
    )
    allocate(manager_b, room, agency_b, dt.date(2026, 3, 1))
    lease(manager_b, center_b, "乙区 1 号", "99999", dt.date(2026, 3, 1))
    summary = build(center_a, START, END, now=NOW)
    section = summary_section(summary, "space")
    assert not section.has_data
    texts = section_texts(summary, HEADING)
    assert texts == ["本期暂无办公用房管理相关数据记录。"]
    assert not any("0个单位" in text or "0件" in text or "0处" in text for text in texts)
    assert not any(f.key.startswith("space.") for f in summary.figures)
    # Center B's own summary does count them.
    assert summary_section(build(center_b, START, END, now=NOW), "space").has_data
