"""Placeholders: checked on save (unknown names and malformed braces refused), displayed
without false precision, and a section with no figures says so."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from houqin.reports.render import check, display, has_data, paragraphs, placeholders, yoy_text

KNOWN = {"meetings.served", "fleet.unmet", "finance.rate"}


def test_placeholders_in_order():
    text = "全年服务会议{meetings.served}场次，{year}年未满足用车{fleet.unmet}次。"
    assert placeholders(text) == ["meetings.served", "year", "fleet.unmet"]


def test_unknown_placeholder_is_refused_naming_it():
    with pytest.raises(ValidationError) as caught:
        check("服务会议{meetings.serve}场次，出车{fleet.trips}次", KNOWN)
    message = caught.value.messages[0]
    assert "{fleet.trips}" in message and "{meetings.serve}" in message


@pytest.mark.parametrize("text", ["未闭合{meetings.served", "格式{meetings.served:>5}", "空{}"])
def test_malformed_templates_are_refused(text):
    with pytest.raises(ValidationError):
        check(text, KNOWN)


def test_globals_are_always_known():
    assert check("{center}{year}年（{start}至{end}）", KNOWN) == ["center", "year", "start", "end"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        (12, "12"),
        (Decimal("75.00"), "75"),
        (Decimal("78.06"), "78.06"),
        (Decimal("1200000.50"), "1200000.5"),
        (93.0, "93"),
        (93.25, "93.2"),
        (dt.date(2021, 9, 30), "2021年9月30日"),
        (True, "是"),
    ],
)
def test_display(value, shown):
    assert display(value) == shown


def test_zeros_and_missing_are_no_data():
    assert not has_data(["meetings.served", "year"], {"meetings.served": 0})
    assert not has_data(["meetings.served"], {"meetings.served": None})
    assert has_data(["meetings.served", "fleet.unmet"], {"meetings.served": 0, "fleet.unmet": 3})


def test_paragraphs_link_each_figure():
    [first, second] = paragraphs(
        "服务会议{meetings.served}场次。\n\n未满足{fleet.unmet}次。",
        {"meetings.served": 120, "fleet.unmet": None},
        url=lambda key: f"/list/{key}/",
    )
    assert first.text == "服务会议120场次。"
    figure = first.runs[1]
    assert (figure.figure, figure.url) == ("meetings.served", "/list/meetings.served/")
    assert second.text == "未满足—次。"


@pytest.mark.parametrize(
    ("value", "previous", "text"),
    [
        (120, 100, "，同比增长20%"),
        (90, 120, "，同比下降25%"),
        (Decimal("100.00"), Decimal("100.00"), "，与上年同期持平"),
        (7, 3, "，同比增长133.3%"),
        (5, 0, ""),  # no base to compare with
        (5, None, ""),  # no earlier figure
        (None, 5, ""),
        (True, False, ""),
        ("A", "B", ""),
    ],
)
def test_yoy_text(value, previous, text):
    assert yoy_text(value, previous) == text


def test_yoy_placeholder_renders_the_change_and_nothing_without_history():
    text = "全年出车{fleet.trips}趟{fleet.trips|同比}。"
    [with_history] = paragraphs(text, {"fleet.trips": 110}, previous={"fleet.trips": 100})
    assert with_history.text == "全年出车110趟，同比增长10%。"
    [without] = paragraphs(text, {"fleet.trips": 110})
    assert without.text == "全年出车110趟。"
    # a yoy phrase alone never makes a paragraph "have data"
    assert paragraphs("{fleet.trips|同比}", {"fleet.trips": 0}, skip_empty=True) == []


def test_yoy_placeholder_is_checked_against_its_figure():
    assert check("{fleet.trips|同比}", {"fleet.trips"}) == ["fleet.trips|同比"]
    with pytest.raises(ValidationError, match=r"\{fleet.tripz\|同比\}"):
        check("{fleet.tripz|同比}", {"fleet.trips"})


def test_dropped_items_keep_the_lead_and_the_numbering():
    """When "一是" has no data, the section still opens with its lead phrase and the next item
    becomes "一是"; later items follow on."""
    text = (
        "强化服务意识，切实做好后勤保障工作。一是全年报修{m.repairs}次。\n\n"
        "二是完成预防性维护{m.preventive}次。\n\n"
        "三是供餐{c.meals}份；四是记录{c.records}条。"
    )
    kept = paragraphs(
        text, {"m.repairs": 0, "m.preventive": None, "c.meals": 5, "c.records": 2}, skip_empty=True
    )
    assert [p.text for p in kept] == [
        "强化服务意识，切实做好后勤保障工作。一是供餐5份；二是记录2条。"
    ]
    # nothing dropped: the text is as written
    full = paragraphs(text, {"m.repairs": 1, "m.preventive": 2, "c.meals": 5, "c.records": 2})
    assert full[2].text == "三是供餐5份；四是记录2条。"


def test_middle_item_dropped_renumbers_the_rest():
    text = "甲。一是{a.x}次。\n\n二是{a.y}次。\n\n三是{a.z}次。"
    kept = paragraphs(text, {"a.x": 1, "a.y": 0, "a.z": 3}, skip_empty=True)
    assert [p.text for p in kept] == ["甲。一是1次。", "二是3次。"]
