"""Reads: reports a user may see, the every-contractor × program grid, one report's document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Program, Role
from accounts.permissions import visible_to
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from outreach.models import Agency
from reporting.models import (
    ROLE_PROGRAM,
    TEXT_FIELDS,
    AnnualReport,
    ReportStatus,
    ReportTransition,
    placed_agencies,
)
from reporting.registry import builder_for

NOT_STARTED = "not_started"
GRID_STATUSES = [(NOT_STARTED, "未着手"), *ReportStatus.choices]
GRID_STATUS_LABELS = dict(GRID_STATUSES)


def report_year_default() -> int:
    """The 年度 whose report is due now: the one that ended most recently."""
    return fiscal_year_of(timezone.localdate()) - 1


def report_year_choices(extra: int | None = None) -> list[int]:
    latest = fiscal_year_of(timezone.localdate())
    years = set(range(latest - 5, latest + 1))
    years.update(AnnualReport.objects.values_list("fiscal_year", flat=True).distinct())
    if extra:
        years.add(extra)
    return sorted(years, reverse=True)


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    return visible_to(user, AnnualReport.objects.select_related("organisation", "agency"))


def report_for_page(user, pk: int, *, action: str = "view") -> AnnualReport:
    from accounts.permissions import get_visible_or_404

    queryset = AnnualReport.objects.select_related("organisation", "agency", "approved_by").prefetch_related(
        Prefetch("transitions", queryset=ReportTransition.objects.select_related("by"))
    )
    return get_visible_or_404(user, queryset, action=action, pk=pk)


@dataclass
class ReportRow:
    """One report due for a 年度 (contractor × program; outreach: × agency), with the report if started."""

    organisation: Organisation
    program: str
    fiscal_year: int
    report: AnnualReport | None
    agency: Agency | None = None

    @property
    def reporter_name(self) -> str:
        if self.agency:
            return f"{self.organisation.name}　{self.agency.name}"
        return f"{self.organisation.name}（機関未登録）" if self.program == Program.OUTREACH else self.organisation.name

    @property
    def can_start(self) -> bool:
        """Outreach reports are made per agency: none can be started before an agency is registered."""
        return self.report is None and (self.program != Program.OUTREACH or self.agency is not None)

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self) -> str:
        return GRID_STATUS_LABELS[self.status]

    @property
    def program_label(self) -> str:
        return Program(self.program).label

    @property
    def last_comment(self) -> str:
        """The prefecture's latest return or reopening comment (for returned reports)."""
        if not self.report or self.report.status != ReportStatus.RETURNED:
            return ""
        returns = [t for t in self.report.transitions.all() if t.to_status == ReportStatus.RETURNED]
        return returns[-1].comment if returns else ""

    @property
    def was_reopened(self) -> bool:
        return bool(self.report and self.report.reopened_at)


def _reporting_agencies(viewer, organisations: QuerySet[Organisation], fiscal_year: int) -> dict[int, list[Agency]]:
    """Each contractor's agencies that report (outreach): active ones and any with a report that year."""
    agencies = Agency.objects.filter(organisation__in=organisations).filter(
        Q(is_active=True) | Q(annual_reports__fiscal_year=fiscal_year)
    )
    if viewer.role == Role.OUTREACH_WORKER:
        agencies = agencies.filter(pk__in=placed_agencies(viewer))
    by_organisation: dict[int, list[Agency]] = {}
    for agency in agencies.distinct().order_by("name"):
        by_organisation.setdefault(agency.organisation_id, []).append(agency)
    return by_organisation


def report_rows(*, viewer, fiscal_year: int, program: str = "", status: str = "", query: str = "") -> list[ReportRow]:
    """Every report the viewer may see for a 年度, started or not, in four queries.

    Peer support: one per contractor. Outreach: one per agency of the contractor (要綱004).
    """
    programs = [program] if program else list(Program.values)
    if viewer.role in ROLE_PROGRAM:
        programs = [p for p in programs if p == ROLE_PROGRAM[viewer.role]]
        organisations = Organisation.objects.filter(pk=viewer.organisation_id_or_none)
    elif viewer.role == Role.PREFECTURE:
        # Active contractors, and any contractor (e.g. no longer active) that has a report that year.
        organisations = Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR).filter(
            Q(is_active=True) | Q(pk__in=AnnualReport.objects.filter(fiscal_year=fiscal_year).values("organisation_id"))
        )
    else:
        return []
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(name_kana__icontains=query))
    reports = (
        reports_visible_to(viewer)
        .filter(fiscal_year=fiscal_year, program__in=programs)
        .prefetch_related(
            Prefetch("transitions", queryset=ReportTransition.objects.filter(to_status=ReportStatus.RETURNED))
        )
    )
    by_key = {(r.organisation_id, r.program, r.agency_id): r for r in reports}
    organisations = list(organisations.order_by("code"))
    agencies = _reporting_agencies(viewer, organisations, fiscal_year) if Program.OUTREACH in programs else {}
    rows = []
    for organisation in organisations:
        for each in programs:
            runs = organisation.runs_peer_support if each == Program.PEER_SUPPORT else organisation.runs_outreach
            # An outreach contractor without an agency still shows (as 機関未登録): it has a report to make.
            units = (agencies.get(organisation.pk) or [None]) if each == Program.OUTREACH else [None]
            for agency in units:
                report = by_key.get((organisation.pk, each, agency.pk if agency else None))
                if report or (runs and organisation.is_active):
                    if report is not None:
                        report.organisation, report.agency = organisation, agency
                    rows.append(ReportRow(organisation, each, fiscal_year, report, agency))
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


SORT_KEYS = {
    "organisation": lambda row: (
        row.organisation.name_kana or row.organisation.name,
        row.program,
        row.agency.name if row.agency else "",
    ),
    "program": lambda row: (row.program, row.organisation.code),
    "status": lambda row: ([key for key, _ in GRID_STATUSES].index(row.status), row.organisation.code),
    "submitted": lambda row: (
        (row.report.submitted_at.isoformat() if row.report and row.report.submitted_at else ""),
        row.organisation.code,
    ),
}


def sort_rows(rows: list[ReportRow], requested: str, default: str = "organisation") -> tuple[list[ReportRow], str]:
    key = requested.lstrip("-")
    if key not in SORT_KEYS:
        requested, key = default, default
    return sorted(rows, key=SORT_KEYS[key], reverse=requested.startswith("-")), requested


@dataclass
class Overview:
    fiscal_year: int
    rows: list[ReportRow]
    counts: list[tuple[str, str, int]]  # (status, label, count)
    not_started: list[ReportRow]
    returned: list[ReportRow]
    reopened: list[ReportRow]
    waiting: list[ReportRow]


def report_overview(*, viewer, fiscal_year: int) -> Overview:
    rows = report_rows(viewer=viewer, fiscal_year=fiscal_year)
    counter = Counter(row.status for row in rows)
    return Overview(
        fiscal_year=fiscal_year,
        rows=rows,
        counts=[(key, label, counter.get(key, 0)) for key, label in GRID_STATUSES],
        not_started=[row for row in rows if row.status in (NOT_STARTED, ReportStatus.DRAFT)],
        returned=[row for row in rows if row.status == ReportStatus.RETURNED and not row.was_reopened],
        reopened=[row for row in rows if row.was_reopened],
        waiting=[row for row in rows if row.status == ReportStatus.SUBMITTED],
    )


def report_document(report: AnnualReport) -> dict:
    """Everything the report body template needs: the same for the page, the PDF and Excel."""
    builder = builder_for(report.program)
    data = builder.build(report.organisation, report.fiscal_year, agency=report.agency)
    start, end = fiscal_year_bounds(report.fiscal_year)
    labels = dict(TEXT_FIELDS)
    texts = [(name, labels[name], getattr(report, name)) for name in builder.text_fields]
    return {
        "report": report,
        "organisation": report.organisation,
        "builder": builder,
        "title": builder.title,
        "year_label": fiscal_year_label(report.fiscal_year),
        "period_start": start,
        "period_end": end,
        "data": data,
        "sections": data.get("sections", []),
        "texts": texts,
        "text_section_number": len(data.get("sections", [])) + 2,
        "history_section_number": len(data.get("sections", [])) + 2 + len(texts),
        "transitions": list(report.transitions.all()),
    }
