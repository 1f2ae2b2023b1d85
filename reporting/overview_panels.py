"""The prefecture overview's peer-support panel: every contractor side by side, year on year, with charts.

Figures come from `peers.selectors.report.contractors_year` (six grouped queries per 年度), the same
definitions as the contractor's report (annual_summary): activities and participants of the 年度,
people discharged in it, supporters registered, paid hours and pay, spending against the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.wareki import fiscal_year_label, fiscal_year_months
from outreach.selectors.report import ContractorOutreachYear, contractors_outreach_year
from peers.selectors.report import ContractorYear, contractors_year
from reporting.charts import bar_chart


@dataclass
class ContractorComparison:
    current: ContractorYear
    previous: ContractorYear | None

    def change(self, attribute: str):
        before = getattr(self.previous, attribute) if self.previous else 0
        return getattr(self.current, attribute) - before


def peer_overview_panel(fiscal_year: int) -> dict:
    current = contractors_year(fiscal_year=fiscal_year)
    previous = contractors_year(fiscal_year=fiscal_year - 1)
    rows = [ContractorComparison(entry, previous.get(pk)) for pk, entry in current.items()]
    months = [f"{month}月" for _year, month in fiscal_year_months(fiscal_year)]
    this_label, last_label = fiscal_year_label(fiscal_year), fiscal_year_label(fiscal_year - 1)

    def monthly(attribute):
        return [
            (label, [sum(getattr(e, attribute)[i] for e in entries.values()) for i in range(12)])
            for label, entries in ((this_label, current), (last_label, previous))
        ]

    return {
        "fiscal_year": fiscal_year,
        "year_label": this_label,
        "previous_label": last_label,
        "rows": rows,
        "totals": {
            name: (
                sum(getattr(e, name) for e in current.values()),
                sum(getattr(e, name) for e in previous.values()),
            )
            for name in ("activities", "participants", "discharges", "supporters", "paid_hours", "pay", "spent")
        },
        "charts": [
            bar_chart(
                "月別の活動回数（全受託事業者）",
                months,
                monthly("activities_by_month"),
                unit="回",
            ),
            bar_chart(
                "月別の退院者数（支援対象者・全受託事業者）",
                months,
                monthly("discharges_by_month"),
                unit="人",
            ),
        ],
    }


@dataclass
class OutreachComparison:
    current: ContractorOutreachYear
    previous: ContractorOutreachYear | None
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

    Seventeen queries whatever the number of records: eight grouped queries per 年度 and one for the reports.
    The charts (contacts, weekend/holiday/after-hours contacts, outcomes) use the monthly figures those
    queries already return, counted as in the contractor's report.
    """
    from accounts.models import Program
    from reporting.models import AnnualReport
    from reporting.selectors import GRID_STATUS_LABELS, NOT_STARTED

    current = contractors_outreach_year(fiscal_year=fiscal_year)
    previous = contractors_outreach_year(fiscal_year=fiscal_year - 1)
    reports = {
        organisation_id: (pk, status)
        for organisation_id, pk, status in AnnualReport.objects.filter(
            program=Program.OUTREACH, fiscal_year=fiscal_year
        ).values_list("organisation_id", "pk", "status")
    }
    rows = []
    for pk, entry in current.items():
        report_id, status = reports.get(pk, (None, NOT_STARTED))
        rows.append(OutreachComparison(entry, previous.get(pk), status, GRID_STATUS_LABELS[status], report_id))
    months = [f"{month}月" for _year, month in fiscal_year_months(fiscal_year)]
    this_label, last_label = fiscal_year_label(fiscal_year), fiscal_year_label(fiscal_year - 1)

    def monthly(attribute):
        return [
            (label, [sum(getattr(e, attribute)[i] for e in entries.values()) for i in range(12)])
            for label, entries in ((this_label, current), (last_label, previous))
        ]

    return {
        "fiscal_year": fiscal_year,
        "year_label": this_label,
        "previous_label": last_label,
        "rows": rows,
        "totals": {
            name: (sum(getattr(e, name) for e in current.values()), sum(getattr(e, name) for e in previous.values()))
            for name in OUTREACH_TOTALS
        },
        "charts": [
            bar_chart("月別の対応件数（アウトリーチ・全受託事業者）", months, monthly("contacts_by_month"), unit="件"),
            bar_chart(
                "月別の土日祝日・時間外の対応件数（アウトリーチ・全受託事業者）",
                months,
                monthly("outside_hours_by_month"),
                unit="件",
            ),
            bar_chart(
                "月別の支援の成果（全種別・アウトリーチ・全受託事業者）",
                months,
                monthly("outcomes_by_month"),
                unit="件",
            ),
        ],
    }
