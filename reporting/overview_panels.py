"""The prefecture overview's panels: every contractor side by side, year on year, with charts.

Figures come from `peers.selectors.report.contractors_year` (six grouped queries per 年度), the same
definitions as the contractor's report (annual_summary): activities and participants of the 年度,
people discharged in it, supporters registered, paid hours and pay, spending against the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.wareki import fiscal_year_label, fiscal_year_months
from outreach.selectors.report import AgencyOutreachYear, agencies_outreach_year
from peers.selectors.report import ContractorYear, contractors_year
from reporting.charts import bar_chart


class YearOnYear:
    """This 年度's and last 年度's entries (one per contractor) summed into totals and monthly chart series."""

    def __init__(self, fiscal_year: int, current: dict, previous: dict):
        self.fiscal_year, self.current, self.previous = fiscal_year, current, previous
        self.this_label, self.last_label = fiscal_year_label(fiscal_year), fiscal_year_label(fiscal_year - 1)
        self.months = [f"{month}月" for _year, month in fiscal_year_months(fiscal_year)]

    def totals(self, names) -> dict[str, tuple]:
        return {
            name: (
                sum(getattr(e, name) for e in self.current.values()),
                sum(getattr(e, name) for e in self.previous.values()),
            )
            for name in names
        }

    def chart(self, title: str, attribute: str, unit: str):
        series = [
            (label, [sum(getattr(e, attribute)[i] for e in entries.values()) for i in range(12)])
            for label, entries in ((self.this_label, self.current), (self.last_label, self.previous))
        ]
        return bar_chart(title, self.months, series, unit=unit)

    def panel(self, rows: list, totals: dict, charts: list) -> dict:
        return {
            "fiscal_year": self.fiscal_year,
            "year_label": self.this_label,
            "previous_label": self.last_label,
            "rows": rows,
            "totals": totals,
            "charts": charts,
        }


@dataclass
class ContractorComparison:
    current: ContractorYear
    previous: ContractorYear | None

    def change(self, attribute: str):
        before = getattr(self.previous, attribute) if self.previous else 0
        return getattr(self.current, attribute) - before


def peer_overview_panel(fiscal_year: int) -> dict:
    years = YearOnYear(
        fiscal_year, contractors_year(fiscal_year=fiscal_year), contractors_year(fiscal_year=fiscal_year - 1)
    )
    rows = [ContractorComparison(entry, years.previous.get(pk)) for pk, entry in years.current.items()]
    return years.panel(
        rows,
        years.totals(("activities", "participants", "discharges", "supporters", "paid_hours", "pay", "spent")),
        [
            years.chart("月別の活動回数（全受託事業者）", "activities_by_month", "回"),
            years.chart("月別の退院者数（支援対象者・全受託事業者）", "discharges_by_month", "人"),
        ],
    )


@dataclass
class OutreachComparison:
    current: AgencyOutreachYear
    previous: AgencyOutreachYear | None
    status: str
    status_label: str
    report_id: int | None

    def change(self, attribute: str):
        before = getattr(self.previous, attribute) if self.previous else 0
        return getattr(self.current, attribute) - before


OUTREACH_TOTALS = (
    "clients",
    "new_clients",
    "contacts",
    "outside_hours",
    "first_connections",
    "plans",
    "linkages",
    "employed",
)


def outreach_overview_panel(fiscal_year: int) -> dict:
    """Outreach contractors side by side: key figures (year on year), the state of each report, a chart.

    One row per agency (each makes its own 実績報告書). Fifteen queries whatever the number of records:
    seven grouped queries per 年度 and one for the reports.
    The charts (contacts, weekend/holiday/after-hours contacts, outcomes) use the monthly figures those
    queries already return, counted as in the contractor's report.
    """
    from accounts.models import Program
    from reporting.models import AnnualReport
    from reporting.selectors import GRID_STATUS_LABELS, NOT_STARTED

    years = YearOnYear(
        fiscal_year,
        agencies_outreach_year(fiscal_year=fiscal_year),
        agencies_outreach_year(fiscal_year=fiscal_year - 1),
    )
    reports = {
        agency_id: (pk, status)
        for agency_id, pk, status in AnnualReport.objects.filter(
            program=Program.OUTREACH, fiscal_year=fiscal_year
        ).values_list("agency_id", "pk", "status")
    }
    rows = []
    for pk, entry in years.current.items():
        report_id, status = reports.get(pk, (None, NOT_STARTED))
        rows.append(OutreachComparison(entry, years.previous.get(pk), status, GRID_STATUS_LABELS[status], report_id))
    return years.panel(
        rows,
        years.totals(OUTREACH_TOTALS),
        [
            years.chart("月別の対応件数（アウトリーチ・全機関）", "contacts_by_month", "件"),
            years.chart("月別の土日祝日・時間外の対応件数（アウトリーチ・全機関）", "outside_hours_by_month", "件"),
            years.chart("月別の支援の成果（全種別・アウトリーチ・全機関）", "outcomes_by_month", "件"),
        ],
    )
