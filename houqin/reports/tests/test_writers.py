"""The Word writer (GB/T 9704-2012 layout) and the figures workbook, on a hand-built Summary."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from houqin.reports import document as d
from houqin.reports.docx_writer import write_docx
from houqin.reports.xlsx_writer import change_percent, write_xlsx


@pytest.fixture
def summary():
    return d.Summary(
        title="XX区机关后勤服务中心2026年工作总结",
        issuer="XX区机关后勤服务中心",
        date="2026年11月26日",
        opening=[
            d.Paragraph.plain("今年以来，我中心在区委、区政府的正确领导下，不断增强服务意识。")
        ],
        parts=[
            d.Part(
                heading="一、2026年工作开展情况",
                sections=[
                    d.Section(
                        heading="（一）精心服务精细管理，切实做好会务保障工作",
                        key="meetings",
                        paragraphs=[
                            d.Paragraph(
                                [
                                    d.Run("一是中心完成会议服务"),
                                    d.Run("128", figure="meetings.total", url="/meetings/"),
                                    d.Run("次，其中报告厅"),
                                    d.Run("12", figure="meetings.by_kind.auditorium"),
                                    d.Run("次。"),
                                ]
                            ),
                            d.Paragraph.plain("二是会前会后对会议室进行消毒并做好记录。"),
                        ],
                    ),
                    d.Section(
                        heading="（二）深化节能降耗",
                        key="energy",
                        has_data=False,
                        paragraphs=[d.Paragraph.plain("本年度暂无节能降耗数据。")],
                    ),
                ],
            ),
            d.Part(
                heading="二、存在问题",
                paragraphs=[d.Paragraph.plain("公务用车缺编，用车需求未满足率较高。")],
            ),
            d.Part(
                heading="三、下一步工作计划",
                sections=[
                    d.Section(
                        heading="（一）优化社会化保障体系",
                        paragraphs=[d.Paragraph.plain("加强对保安公司、物业公司的管理。")],
                    )
                ],
            ),
        ],
        figures=[
            d.Figure("meetings.total", "服务会议（次）", 128, 100, "已完成的会议服务次数"),
            d.Figure("meetings.by_kind.auditorium", "报告厅会议（次）", 12, 0, "报告厅举办的会议"),
            d.Figure(
                "fleet.unmet_requests", "未满足用车申请（次）", 5, None, "被驳回或无车可派的申请"
            ),
            d.Figure("energy.electricity_kwh", "用电量（千瓦时）", None, None, "电表读数合计"),
            d.Figure(
                "finance.execution_rate",
                "预算执行率（%）",
                Decimal("75.00"),
                Decimal("80.00"),
                "支出/预算",
            ),
            d.Figure("security.note", "备注", "=SUM(A1)", None, ""),
        ],
    )


def _open(summary):
    return Document(io.BytesIO(write_docx(summary)))


def _east_asian_font(style):
    """The w:eastAsia font of a style, following basedOn."""
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None:
            value = rpr.rFonts.get(qn("w:eastAsia"))
            if value:
                assert rpr.rFonts.get(qn("w:eastAsiaTheme")) is None
                return value
        style = style.base_style
    return None


def _effective(paragraph, attr):
    """A paragraph-format attribute, from the paragraph or else its style chain."""
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def _size(paragraph):
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return None


def test_page_size_and_margins(summary):
    section = _open(summary).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_text_in_order(summary):
    doc = _open(summary)
    texts = [p.text for p in doc.paragraphs]
    expected = [
        summary.title,
        "今年以来，我中心在区委、区政府的正确领导下，不断增强服务意识。",
        "一、2026年工作开展情况",
        "（一）精心服务精细管理，切实做好会务保障工作",
        "一是中心完成会议服务128次，其中报告厅12次。",
        "二是会前会后对会议室进行消毒并做好记录。",
        "（二）深化节能降耗",
        "本年度暂无节能降耗数据。",
        "二、存在问题",
        "公务用车缺编，用车需求未满足率较高。",
        "三、下一步工作计划",
        "（一）优化社会化保障体系",
        "加强对保安公司、物业公司的管理。",
        "XX区机关后勤服务中心",
        "2026年11月26日",
    ]
    assert texts == expected


def test_title_format(summary):
    title = _open(summary).paragraphs[0]
    assert title.text == summary.title
    assert _size(title) == Pt(22)
    assert _east_asian_font(title.style) == "方正小标宋简体"
    assert _effective(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert not _effective(title, "first_line_indent")


def test_body_format(summary):
    doc = _open(summary)
    body = next(p for p in doc.paragraphs if p.text.startswith("一是中心"))
    assert _size(body) == Pt(16)
    assert _east_asian_font(body.style) == "仿宋_GB2312"
    assert _effective(body, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
    assert _effective(body, "line_spacing") == Pt(28)
    assert _effective(body, "first_line_indent") == Pt(32)
    # docDefaults do not leave theme fonts that Word would prefer over ours.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rfonts.get(qn("w:eastAsiaTheme")) is None


def test_heading_fonts(summary):
    doc = _open(summary)
    part = next(p for p in doc.paragraphs if p.text == "一、2026年工作开展情况")
    section = next(
        p for p in doc.paragraphs if p.text == "（一）精心服务精细管理，切实做好会务保障工作"
    )
    assert _east_asian_font(part.style) == "黑体"
    assert _east_asian_font(section.style) == "楷体_GB2312"
    for heading in (part, section):
        assert _size(heading) == Pt(16)
        assert _effective(heading, "first_line_indent") == Pt(32)
        assert _effective(heading, "line_spacing") == Pt(28)
    # the section without data keeps its heading and its single paragraph
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("（二）深化节能降耗")
    assert texts[i + 1] == "本年度暂无节能降耗数据。"


def test_footer_page_number(summary):
    footer = _open(summary).sections[0].footer
    paragraph = footer.paragraphs[0]
    xml = paragraph._p.xml
    assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
    types = [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(qn("w:fldChar"))]
    assert types == ["begin", "separate", "end"]
    assert paragraph.text.startswith("\u2014 ") and paragraph.text.endswith(" \u2014")
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert 'w:eastAsia="宋体"' in xml
    assert all(run.font.size == Pt(14) for run in paragraph.runs)


def test_signature_right_aligned(summary):
    paragraphs = _open(summary).paragraphs
    issuer, date = paragraphs[-2], paragraphs[-1]
    for paragraph in (issuer, date):
        assert _effective(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
        assert not _effective(paragraph, "first_line_indent")
    assert date.paragraph_format.right_indent == Pt(64)  # 成文日期右空四字
    assert issuer.paragraph_format.right_indent < date.paragraph_format.right_indent


def test_empty_summary_is_still_a_document():
    doc = _open(d.Summary(title="总结", issuer="", date=""))
    assert [p.text for p in doc.paragraphs] == ["总结"]


def test_change_percent():
    assert change_percent(128, 100) == 28.0
    assert change_percent(75, 80) == -6.2
    assert change_percent(12, 0) is None
    assert change_percent(5, None) is None
    assert change_percent("多", 3) is None
    assert change_percent(True, 1) is None


def test_xlsx(summary):
    sheet = load_workbook(io.BytesIO(write_xlsx(summary))).active
    assert summary.title in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    assert header == ["模块", "指标代码", "指标", "本期", "上期", "增减（%）", "口径说明"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == len(summary.figures)
    assert rows["meetings.total"] == (
        "会务",
        "meetings.total",
        "服务会议（次）",
        128,
        100,
        28.0,
        "已完成的会议服务次数",
    )
    assert rows["meetings.by_kind.auditorium"][3:6] == (12, 0, None)  # previous 0: no change
    assert rows["fleet.unmet_requests"][3:6] == (5, "无数据", None)
    assert rows["fleet.unmet_requests"][0] == "公车"
    assert rows["energy.electricity_kwh"][3:5] == ("无数据", "无数据")
    assert rows["finance.execution_rate"][3:6] == (75, 80, -6.2)
    assert rows["security.note"][3] == "=SUM(A1)"  # data, not a formula


def test_xlsx_formula_text_is_a_string(summary):
    sheet = load_workbook(io.BytesIO(write_xlsx(summary))).active
    cell = next(r[3] for r in sheet.iter_rows(min_row=3) if r[1].value == "security.note")
    assert cell.data_type == "s"


def test_grid_styles_and_outline(summary):
    doc = _open(summary)
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    assert grid.get(qn("w:linePitch")) == "579"
    # 28 characters of 3号 (16 pt) condensed by 0.25 pt fit the 156 mm text line, 29 do not
    normal = doc.styles["Normal"].element.rPr
    condensed = 16 + int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20
    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU→pt
    assert 28 * condensed <= width < 29 * condensed
    styles = {p.text: p.style for p in doc.paragraphs}
    assert styles[summary.title].style_id == "GwTitle"
    assert styles["一、2026年工作开展情况"].name == "公文一级标题"
    part_ppr = styles["一、2026年工作开展情况"].element.pPr
    section_ppr = styles["（二）深化节能降耗"].element.pPr
    assert part_ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    assert section_ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"


def test_line_breaks_and_long_issuer():
    summary = d.Summary(
        title="总结",
        issuer="XX市XX区机关事务管理局机关后勤服务中心（区机关事务服务中心）",
        date="2026年1月5日",
        opening=[d.Paragraph.plain("第一行\n第二行")],
    )
    doc = _open(summary)
    assert doc.paragraphs[1].text == "第一行\n第二行"
    issuer, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert issuer.paragraph_format.right_indent == Pt(32)  # 右空二字
    assert date.paragraph_format.right_indent > issuer.paragraph_format.right_indent
