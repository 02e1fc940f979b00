"""The annual work summary as a structure, independent of its output format: the preview page,
the Word writer (docx_writer.py, GB/T 9704-2012 layout) and the xlsx of figures all read it.

    Summary
      title            "XX区机关后勤服务中心2026年工作总结"
      issuer, date     the center's name and the date written at the end
      opening          paragraphs before the first part
      parts            "一、2026年工作开展情况" / "二、存在问题" / "三、下一步工作计划"
        paragraphs     text directly under the part heading
        sections       "（一）会务保障" …, each with its paragraphs
      figures          every Figure used (for the xlsx and the preview's links)

A paragraph is a list of Runs so that the preview can link each figure to the records it
counts; the Word writer simply joins the runs' text.
"""

from dataclasses import dataclass, field


@dataclass
class Run:
    text: str
    figure: str | None = None  # placeholder key, e.g. "meetings.served", when the run is one
    url: str | None = None  # the list of records it counts


@dataclass
class Paragraph:
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @classmethod
    def plain(cls, text):
        return cls([Run(text)])


@dataclass
class Section:
    heading: str  # "（一）会务保障"
    paragraphs: list[Paragraph] = field(default_factory=list)
    key: str = ""  # the section template's key ("meetings")
    has_data: bool = True


@dataclass
class Part:
    heading: str  # "一、2026年工作开展情况"
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Figure:
    key: str  # "meetings.served"
    label: str  # "服务会议（次）"
    value: object  # number, text or None (no data)
    previous: object = None  # the same figure for the previous period (同比), or None
    definition: str = ""
    url: str | None = None


@dataclass
class Summary:
    title: str
    issuer: str
    date: str  # "2026年11月26日"
    opening: list[Paragraph] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
