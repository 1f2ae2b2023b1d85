"""District summary (区域の集計) for health-centre staff and the prefecture: aggregates only.

Nothing here names or codes a person: the figures come from `peers.selectors.report.district_years`
(grouped counts), and every count of people (participants, discharges, audiences) between 1 and 2
is shown as "<3" so that a small group cannot be recognised (small-cell suppression).
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import HealthCentre
from accounts.wareki import fiscal_year_months
from peers.models import ActivityKind
from peers.selectors.report import DistrictYear, district_years
from reporting.registry import Section

SUPPRESSED = "<3"
SUPPRESSION_NOTE = "人数が1～2の欄は、個人が特定されないよう「<3」と表示しています。"
MONTH_HEADERS = [f"{month}月" for _year, month in fiscal_year_months(2000)]


def people(count: int) -> int | str:
    """A count of people as it may be shown: 1 and 2 become "<3" (0 and 3+ are shown)."""
    return SUPPRESSED if 1 <= count <= 2 else count


def _people_row(label: str, metric: str, values: list[int]) -> list:
    return [label, metric, *[people(v) for v in values], people(sum(values))]


def district_sections(entry: DistrictYear) -> list[Section]:
    kinds = dict(ActivityKind.choices)
    monthly = []
    for kind, counts in entry.by_kind.items():
        monthly.append([kinds[kind], "実施回数", *counts.sessions, counts.total_sessions])
        monthly.append(_people_row(kinds[kind], "参加者数（延べ）", counts.participants))
    monthly.append(["合計", "実施回数", *entry.sessions_by_month, sum(entry.sessions_by_month)])
    monthly.append(_people_row("合計", "参加者数（延べ）", entry.participants_by_month))
    monthly.append(_people_row("退院", "退院者数", entry.discharges_by_month))
    own = []
    for _kind, label, sessions, audience in entry.hc_activities:
        own.append([label, "実施回数", *sessions, sum(sessions)])
        own.append(_people_row(label, "参加者数", audience))
    return [
        Section(
            key="overview",
            title="概要",
            headers=["項目", "件数・人数"],
            rows=[
                ["ピアサポート活動の実施回数", sum(entry.sessions_by_month)],
                ["参加者数（延べ）", people(sum(entry.participants_by_month))],
                ["区域の病院からの退院者数（支援対象者）", people(entry.discharges)],
            ],
        ),
        Section(
            key="monthly",
            title="ピアサポート活動（種別・月別）",
            headers=["種別", "項目", *MONTH_HEADERS, "計"],
            rows=monthly,
            numeric_columns=list(range(2, 15)),
        ),
        Section(
            key="hospitals",
            title="病院別（要綱第4条1(1)ア 等）",
            headers=["病院", "実施回数", "参加者数（延べ）", "退院者数（支援対象者）"],
            rows=[
                [name, sessions, people(participants), people(discharges)]
                for name, sessions, participants, discharges in entry.by_hospital
            ],
        ),
        Section(
            key="contractors",
            title="受託事業者別",
            headers=["受託事業者", "実施回数", "参加者数（延べ）", "退院者数"],
            rows=[
                [name, sessions, people(participants), people(discharges)]
                for name, sessions, participants, discharges in entry.by_contractor
            ],
        ),
        Section(
            key="health_centre",
            title="保健所の活動（要綱第4条2）",
            headers=["種別", "項目", *MONTH_HEADERS, "計"],
            rows=own,
            numeric_columns=list(range(2, 15)),
        ),
    ]


def all_districts_section(entries: dict[int, DistrictYear], districts: list[HealthCentre]) -> Section:
    rows = []
    for district in districts:
        entry = entries[district.pk]
        rows.append(
            [
                district.name,
                sum(entry.sessions_by_month),
                people(sum(entry.participants_by_month)),
                people(entry.discharges),
                sum(sum(sessions) for _k, _l, sessions, _a in entry.hc_activities),
            ]
        )
    return Section(
        key="districts",
        title="全区域の比較",
        headers=["区域（保健所）", "活動回数", "参加者数（延べ）", "退院者数", "保健所の活動回数"],
        rows=rows,
    )


def district_document(*, district: HealthCentre, fiscal_year: int) -> dict:
    entry = district_years(fiscal_year=fiscal_year, district_ids=[district.pk])[district.pk]
    return {
        "district": district,
        "fiscal_year": fiscal_year,
        "sections": district_sections(entry),
        "note": SUPPRESSION_NOTE,
        "generated_on": timezone.localdate(),
    }
