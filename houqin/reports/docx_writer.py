"""The annual work summary as a Word document in the layout of GB/T 9704-2012 (党政机关公文格式).

    page        A4 (210 × 297 mm); margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right
    title       2号 (22 pt) 方正小标宋简体, centered, one blank line below it
    body        3号 (16 pt) 仿宋_GB2312, exactly 28 pt line spacing, first line indented by
                two characters (32 pt), justified
    "一、…"     黑体 3号, same indent          (style "公文一级标题", outline level 1)
    "（一）…"   楷体_GB2312 3号, same indent   (style "公文二级标题", outline level 2)
    page number "— N —" centered in the footer, 4号 (14 pt) 宋体, a PAGE field
    signature   issuer and date right-aligned after the body: the date four characters from the
                right margin, the issuer centered above the date

The formatting lives in named paragraph styles (based on Normal, which is the body), so that a
center editing the file in Word or WPS keeps the layout. Chinese font names are written into
w:eastAsia as well as w:ascii/w:hAnsi: python-docx's ``font.name`` sets only the latter, and Word
uses w:eastAsia for Chinese characters. Theme font attributes are removed, because Word prefers
them over the explicit names.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import document

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_PART = "黑体"
FONT_SECTION = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
LINE = Pt(28)  # exactly 28 pt: 22 lines on the page
TITLE_LINE = Pt(35)  # a two-line title needs more room than the body's 28 pt
INDENT = Pt(32)  # two characters of 3号

STYLE_TITLE = "公文标题"
STYLE_PART = "公文一级标题"
STYLE_SECTION = "公文二级标题"
STYLE_SIGNATURE = "公文落款"
# ASCII style ids (python-docx would derive them from the Chinese names).
STYLE_IDS = {
    STYLE_TITLE: "GwTitle",
    STYLE_PART: "GwHeading1",
    STYLE_SECTION: "GwHeading2",
    STYLE_SIGNATURE: "GwSignature",
}

# GB/T 9704: 28 characters a line, 22 lines a page. The text area is 156 mm (442.2 pt) wide,
# so each 16 pt character may take 442.2 / 28 = 15.79 pt. Word's classic way is a
# "linesAndChars" grid with charSpace -849, but LibreOffice (and suites built on it) then gives
# every 16 pt character two 15.79 pt cells: 14 characters a line. Condensing the characters by
# 0.25 pt (15.75 pt each) gives 28 in Word, WPS and LibreOffice alike, so the grid is "lines"
# only. linePitch is 225 mm / 22 lines in twips (579); the exact 28 pt line spacing of the
# paragraphs takes precedence over it.
GRID_LINE_PITCH = "579"
CHAR_SPACING = "-5"  # twentieths of a point: −0.25 pt

EM_DASH = "\u2014"

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_owner, name: str) -> None:
    """Use the font `name` for every script (ascii, hAnsi, eastAsia, cs) of a style or run.

    `rpr_owner` is a python-docx style/run element that has get_or_add_rPr().
    """
    rpr = rpr_owner.get_or_add_rPr()
    _set_rfonts(rpr, name)


def _set_rfonts(rpr, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _set_outline_level(style, level: int) -> None:
    """Make headings show in Word's navigation pane (level 0 = 1级)."""
    ppr = style.element.get_or_add_pPr()
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        ppr.append(outline)
    outline.set(qn("w:val"), str(level))


def _no_snap_to_grid(style) -> None:
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(
            snap,
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:outlineLvl",
            "w:rPr",
            "w:sectPr",
        )


def _condense(rpr) -> None:
    """Character spacing CHAR_SPACING on a style's run properties (see the grid above)."""
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(
            spacing,
            *("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u"),
            *("w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs"),
            *("w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
        )
    spacing.set(qn("w:val"), CHAR_SPACING)


def _setup_defaults(doc) -> None:
    """Document defaults and Normal (= the body text)."""
    styles_element = doc.styles.element
    rpr_default = styles_element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    if rpr_default is not None:
        _set_rfonts(rpr_default, FONT_BODY)
        _set_lang(rpr_default)
        for tag in ("w:sz", "w:szCs"):
            size = rpr_default.find(qn(tag))
            if size is not None:
                size.set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))
    ppr_default = styles_element.find(
        qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr")
    )
    if ppr_default is not None:
        spacing = ppr_default.find(qn("w:spacing"))
        if spacing is not None:
            ppr_default.remove(spacing)

    normal = doc.styles["Normal"]
    set_fonts(normal.element, FONT_BODY)
    _set_lang(normal.element.get_or_add_rPr())
    normal.font.size = SIZE_BODY
    normal.font.bold = False
    _condense(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.first_line_indent = INDENT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False


def _add_style(doc, name: str, font: str, size, *, outline: int | None = None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = STYLE_IDS.get(name, style.style_id)
    style.base_style = doc.styles["Normal"]
    style.next_paragraph_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = False
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.first_line_indent = INDENT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if outline is not None:
        _set_outline_level(style, outline)
        fmt.keep_with_next = True
    return style


def _setup_styles(doc) -> None:
    _setup_defaults(doc)
    title = _add_style(doc, STYLE_TITLE, FONT_TITLE, SIZE_TITLE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = TITLE_LINE
    title.paragraph_format.space_after = LINE  # 标题下空一行
    title.paragraph_format.keep_with_next = True
    _no_snap_to_grid(title)  # its 35 pt lines are not pulled onto the 28 pt line grid
    _add_style(doc, STYLE_PART, FONT_PART, SIZE_BODY, outline=0)
    _add_style(doc, STYLE_SECTION, FONT_SECTION, SIZE_BODY, outline=1)
    signature = _add_style(doc, STYLE_SIGNATURE, FONT_BODY, SIZE_BODY)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)


def _setup_page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    # The page number's dash sits 7 mm below the text area (35 mm from the bottom edge), so
    # the 4号 line (about 5 mm) ends about 23 mm from the bottom edge.
    section.footer_distance = Mm(23)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), GRID_LINE_PITCH)
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]


def _add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (fldChar begin / instrText / separate / result / end) in `paragraph`."""

    def field_run(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    field_run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    field_run(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    field_run(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run(end)


def _setup_footer(section) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    paragraph.add_run(f"{EM_DASH} ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(f" {EM_DASH}")
    for run in paragraph.runs:
        set_fonts(run._r, FONT_PAGE_NUMBER)
        run.font.size = SIZE_PAGE_NUMBER


def _width_in_chars(text: str) -> float:
    """Width of `text` in 3号 characters: CJK and full-width count 1, ASCII half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _add_signature(doc, issuer: str, date: str) -> None:
    """署名 and 成文日期: the date four characters from the right margin, the issuer centered on
    the date; an issuer too long for that keeps two characters and the date centers under it."""
    issuer_width = _width_in_chars(issuer)
    date_width = _width_in_chars(date)
    issuer_indent = 4 + (date_width - issuer_width) / 2
    date_indent = 4.0
    if issuer_indent < 2:
        issuer_indent = 2.0
        date_indent = 2 + (issuer_width - date_width) / 2
    first = True
    for text, indent in ((issuer, issuer_indent), (date, date_indent)):
        if not text:
            continue
        paragraph = doc.add_paragraph(text, style=STYLE_SIGNATURE)
        paragraph.paragraph_format.right_indent = Pt(round(16 * indent, 1))
        if first:
            paragraph.paragraph_format.space_before = LINE  # 正文下空一行
            paragraph.paragraph_format.keep_with_next = True
            first = False


def _add_paragraphs(doc, paragraphs: list[document.Paragraph]) -> None:
    for paragraph in paragraphs:
        doc.add_paragraph(paragraph.text)


def write_docx(summary: document.Summary) -> bytes:
    """The summary as the bytes of a .docx file."""
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    _setup_page(section)
    _setup_footer(section)

    props = doc.core_properties
    props.title = summary.title
    props.author = summary.issuer
    props.language = "zh-CN"

    # Document() starts with no paragraphs in the body; every paragraph below is ours.
    doc.add_paragraph(summary.title, style=STYLE_TITLE)
    _add_paragraphs(doc, summary.opening)
    for part in summary.parts:
        doc.add_paragraph(part.heading, style=STYLE_PART)
        _add_paragraphs(doc, part.paragraphs)
        for sec in part.sections:
            doc.add_paragraph(sec.heading, style=STYLE_SECTION)
            _add_paragraphs(doc, sec.paragraphs)
    _add_signature(doc, summary.issuer, summary.date)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
