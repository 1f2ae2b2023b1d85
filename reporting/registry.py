"""What goes into each program's 実績報告書: a registry the program apps plug their builders into.

The workflow (draft → submitted → returned/approved), the PDF, the Excel file and the
prefecture overview never look at program models. They ask the builder registered for the
report's program for its sections and checks. The builders live in ``reporting/builders/``
(``peer_support.py``, ``outreach.py``; registered in ``ReportingConfig.ready``: reporting reads the
programs through their selectors, never the reverse). A program without one gets the default
builder below: cover page, free texts and history only.

How a builder adds its numbers:

    from accounts.models import Program
    from reporting.registry import Finding, ReportBuilder, Section, register_report

    @register_report(Program.PEER_SUPPORT)
    class PeerSupportReport(ReportBuilder):
        title = "地域移行・地域定着ピアサポート活動促進事業 実績報告書"
        text_fields = ("outcomes_text", "effects_text", "issues_text")   # free texts the contractor writes
        template = "peers/report_sections.html"   # optional; the default renders every Section as a table

        def build(self, organisation, fiscal_year, agency=None) -> dict:
            figures = peers.selectors.annual_report_figures(organisation=organisation, fiscal_year=fiscal_year)
            return {
                "sections": [
                    Section(key="hospital", title="第4条1(1)ア 病院での活動",
                            headers=["病院", "4月", …, "3月", "計"], rows=[[…], …], footer=["合計", …]),
                    …
                ],
                "figures": figures,   # anything else the custom template wants
            }

        def checks(self, organisation, fiscal_year, report, agency=None) -> list[Finding]:
            findings = super().checks(organisation, fiscal_year, report)   # keeps the empty-text warnings
            if not peers.selectors.has_valid_pledges(...):
                findings.append(Finding("error", "誓約書のないピアサポーターの活動があります（要綱第5条5）",
                                        link=reverse("peers:supporter_list")))
            return findings

Rules for builders:
- ``agency`` is the outreach report's 自立相談支援機関 (outreach reports are made per agency); None for
  peer support, whose report covers the whole contractor.
- ``build`` reads through the program's selectors only, with a constant number of queries (it runs
  for the page, the PDF, the Excel file and the batch command). Its result must be JSON-like data
  (numbers, strings, dates, lists, dicts, Sections); it is rendered, never saved.
- Each ``Section`` becomes a ruled table in the page and the PDF (with a repeated header row)
  and one sheet in the Excel download. ``key`` is stable (used for anchors and sheet order).
- A cell may be a ``Cell(value, url)``: the page links the figure to the records behind it
  (the list filtered exactly as counted); the PDF and Excel show the plain value.
- ``template`` (optional) is included inside the report body with ``report``, ``data`` (the
  result of ``build``) and ``sections`` in its context; it must work in WeasyPrint (no scripts,
  plain tables) and look right in the browser.
- ``checks`` returns Findings: level "error" for a 要綱 violation (blocks submission), "warning"
  for something to confirm (shown, does not block). ``link`` points to where to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from accounts.models import Program

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One result of the completeness check."""

    level: Literal["warning", "error"]
    message: str
    link: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


@dataclass(frozen=True)
class Cell:
    """A figure that links to the records behind it. The page shows a link; PDF and Excel the plain value."""

    value: Any
    url: str = ""

    def __str__(self) -> str:
        return display(self.value)


def display(value: Any) -> str:
    """How a figure reads in the page and the PDF: 1,234 / 12.5 / text as it is."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text or "0"
    return "" if value is None else str(value)


def plain(value: Any) -> Any:
    """The value of a cell for Excel: numbers stay numbers, links are dropped."""
    value = value.value if isinstance(value, Cell) else value
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class Section:
    """A numbered table of the report: one ruled table in HTML/PDF, one sheet in Excel."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    footer: list[Any] | None = None
    note: str = ""
    #: Indexes of columns holding numbers (right-aligned). Default: every column but the first.
    numeric_columns: list[int] | None = field(default=None)

    def is_numeric(self, index: int) -> bool:
        return index in self.numeric_columns if self.numeric_columns is not None else index > 0


class ReportBuilder:
    """The default builder: works with no program models. Subclass it to add a program's sections."""

    program: str = ""
    title: str = "実績報告書"
    #: Free texts the contractor writes for this program (fields of AnnualReport), in order.
    text_fields: tuple[str, ...] = ("outcomes_text", "effects_text", "issues_text")
    #: Template included for the sections; the default renders every Section as a table.
    template: str = "reporting/sections/default.html"

    def build(self, organisation, fiscal_year: int, agency=None) -> dict:
        return {"sections": []}

    def checks(self, organisation, fiscal_year: int, report, agency=None) -> list[Finding]:
        from reporting.models import TEXT_FIELDS

        labels = dict(TEXT_FIELDS)
        return [
            Finding(WARNING, f"「{labels[name]}」が未記入です。")
            for name in self.text_fields
            if not (getattr(report, name) or "").strip()
        ]


class DefaultPeerSupportReport(ReportBuilder):
    program = Program.PEER_SUPPORT
    title = "地域移行・地域定着ピアサポート活動促進事業 実績報告書"


class DefaultOutreachReport(ReportBuilder):
    program = Program.OUTREACH
    title = "自立相談支援機能強化事業 実績報告書"
    # 要綱004 asks the agency for its issues in words; its outcomes are counted.
    text_fields = ("issues_text",)


_DEFAULTS: dict[str, ReportBuilder] = {
    Program.PEER_SUPPORT: DefaultPeerSupportReport(),
    Program.OUTREACH: DefaultOutreachReport(),
}
_builders: dict[str, ReportBuilder] = {}


def register_report(program: str) -> Callable:
    """Class decorator (or call with an instance): make it the builder of `program`'s reports."""
    if program not in Program.values:
        raise ValueError(f"unknown program {program!r}")

    def decorator(builder):
        instance = builder() if isinstance(builder, type) else builder
        instance.program = program
        _builders[program] = instance
        return builder

    return decorator


def builder_for(program: str) -> ReportBuilder:
    return _builders.get(program) or _DEFAULTS[program]


@contextmanager
def replaced(program: str, builder: ReportBuilder) -> Iterator[ReportBuilder]:
    """Tests: use `builder` for `program` inside the block."""
    previous = _builders.get(program)
    _builders[program] = builder
    try:
        yield builder
    finally:
        if previous is None:
            _builders.pop(program, None)
        else:
            _builders[program] = previous


# Prefecture overview panels (charts, program figures): program apps register
# (template, context(fiscal_year) -> dict) here; the overview includes each one in order.
_overview_panels: list[tuple[str, Callable[[int], dict]]] = []


def register_overview_panel(template: str, context: Callable[[int], dict]) -> None:
    if all(existing != template for existing, _ in _overview_panels):
        _overview_panels.append((template, context))


def overview_panels(fiscal_year: int) -> list[dict]:
    return [{"template": template, **context(fiscal_year)} for template, context in _overview_panels]
