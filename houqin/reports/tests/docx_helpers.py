"""Reading the annual summary back from its Word file (python-docx), for the summary tests of
every module: the whole text, the paragraphs of one section, and a section of the built
summary by its key."""

import io

from docx import Document

from houqin.reports.docx_writer import STYLE_PART, STYLE_SECTION, write_docx


def paragraphs(summary):
    return Document(io.BytesIO(write_docx(summary))).paragraphs


def docx_text(summary):
    """The Word file's text, a paragraph a line."""
    return "\n".join(p.text for p in paragraphs(summary))


def section_texts(summary, heading):
    """The paragraphs under `heading` in the Word file, up to the next section or part."""
    rows = [(p.style.name, p.text) for p in paragraphs(summary)]
    index = rows.index((STYLE_SECTION, heading))
    texts = []
    for style, text in rows[index + 1 :]:
        if style in (STYLE_SECTION, STYLE_PART):
            break
        texts.append(text)
    return texts


def summary_section(summary, key):
    """The built summary's section `key` (first part: the year's work)."""
    [found] = [s for s in summary.parts[0].sections if s.key == key]
    return found
