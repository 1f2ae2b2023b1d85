"""District summary (区域の集計) for health-centre staff and the prefecture: aggregates only.

Nothing here names or codes a person: the figures come from `peers.selectors.report.district_years`
(grouped counts), and every count of people (participants, discharges, audiences) between 1 and 2
is shown as "<3" so that a small group cannot be recognised (small-cell suppression). Where a
total is shown, `district_people` also hides, as "*", the cells that subtraction would use to find
a "<3" cell (secondary suppression, `reporting.suppression`). Counts of sessions are not people:
they are shown as they are.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import HealthCentre
from accounts.wareki import fiscal_year_months
from peers.models import ActivityKind
from peers.selectors.report import DistrictYear, district_years
from reporting.registry import Section
from reporting.suppression import SECONDARY, SUPPRESSED, Line, is_small, suppress

SUPPRESSION_NOTE = (
    "人数が1～2の欄は、個人が特定されないよう「<3」と表示しています。"
    f"合計からの差し引きで「<3」の欄の人数が分からないよう、あわせて秘匿した欄は「{SECONDARY}」と表示しています。"
)
MONTH_HEADERS = [f"{month}月" for _year, month in fiscal_year_months(2000)]
TOTAL = "計"
#: Key of the participants of every kind together (the 合計 row of the monthly table).
ALL_KINDS = None
PARTICIPANTS = ("participants", ALL_KINDS, TOTAL)
DISCHARGES = ("discharges", TOTAL)


def people(count: int) -> int | str:
    """A count of people as it may be shown on its own: 1 and 2 become "<3" (0 and 3+ are shown)."""
    return SUPPRESSED if is_small(count) else count


def _months(values: dict, lines: list[Line], key: tuple, counts: list[int]) -> None:
    """A row of twelve months and its total (計), which the table shows."""
    cells = [(*key, index) for index in range(12)]
    values.update(zip(cells, counts, strict=True))
    values[(*key, TOTAL)] = sum(counts)
    lines.append(((*key, TOTAL), cells))


def district_people(entry: DistrictYear) -> dict:
    """Every count of people of the district summary as it may be shown (count, "<3" or "*")."""
    return suppress(*people_grid(entry))


def people_grid(entry: DistrictYear) -> tuple[dict, list[Line]]:
    """The counts of people of the district summary and the sums the page shows between them.

    Keys: ("participants", kind or ALL_KINDS, month index or TOTAL), ("discharges", month or TOTAL),
    ("audience", health-centre kind, month or TOTAL), ("hospital" | "contractor", name, column).
    The lines are the sums a reader can check on the page: each row of months with its 計, each
    month's kinds with the 合計 row, and the contractors' and hospitals' columns with the totals of
    the district. (The hospitals' participants have no shown total: activities without a hospital
    are not in them.)
    """
    values: dict = {}
    lines: list[Line] = []
    for kind, counts in entry.by_kind.items():
        _months(values, lines, ("participants", kind), counts.participants)
    _months(values, lines, ("participants", ALL_KINDS), entry.participants_by_month)
    for column in [*range(12), TOTAL]:
        lines.append((("participants", ALL_KINDS, column), [("participants", kind, column) for kind in entry.by_kind]))
    _months(values, lines, ("discharges",), entry.discharges_by_month)
    for kind, _label, _sessions, audience in entry.hc_activities:
        _months(values, lines, ("audience", kind), audience)
    for table, rows in (("hospital", entry.by_hospital), ("contractor", entry.by_contractor)):
        for name, _sessions, participants, discharges in rows:
            values[(table, name, "participants")] = participants
            values[(table, name, "discharges")] = discharges
        lines.append((DISCHARGES, [(table, name, "discharges") for name, *_counts in rows]))
    lines.append((PARTICIPANTS, [("contractor", name, "participants") for name, *_counts in entry.by_contractor]))
    return values, lines


def district_sections(entry: DistrictYear) -> list[Section]:
    kinds = dict(ActivityKind.choices)
    shown = district_people(entry)

    def people_row(label: str, metric: str, key: tuple) -> list:
        return [label, metric, *[shown[(*key, column)] for column in [*range(12), TOTAL]]]

    monthly = []
    for kind, counts in entry.by_kind.items():
        monthly.append([kinds[kind], "実施回数", *counts.sessions, counts.total_sessions])
        monthly.append(people_row(kinds[kind], "参加者数（延べ）", ("participants", kind)))
    monthly.append(["合計", "実施回数", *entry.sessions_by_month, sum(entry.sessions_by_month)])
    monthly.append(people_row("合計", "参加者数（延べ）", ("participants", ALL_KINDS)))
    monthly.append(people_row("退院", "退院者数", ("discharges",)))
    own = []
    for kind, label, sessions, _audience in entry.hc_activities:
        own.append([label, "実施回数", *sessions, sum(sessions)])
        own.append(people_row(label, "参加者数", ("audience", kind)))
    return [
        Section(
            key="overview",
            title="概要",
            headers=["項目", "件数・人数"],
            rows=[
                ["ピアサポート活動の実施回数", sum(entry.sessions_by_month)],
                ["参加者数（延べ）", shown[PARTICIPANTS]],
                ["区域の病院からの退院者数（支援対象者）", shown[DISCHARGES]],
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
                [name, sessions, shown[("hospital", name, "participants")], shown[("hospital", name, "discharges")]]
                for name, sessions, _participants, _discharges in entry.by_hospital
            ],
        ),
        Section(
            key="contractors",
            title="受託事業者別",
            headers=["受託事業者", "実施回数", "参加者数（延べ）", "退院者数"],
            rows=[
                [name, sessions, shown[("contractor", name, "participants")], shown[("contractor", name, "discharges")]]
                for name, sessions, _participants, _discharges in entry.by_contractor
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
        shown = district_people(entry)  # as the district's own page shows them
        rows.append(
            [
                district.name,
                sum(entry.sessions_by_month),
                shown[PARTICIPANTS],
                shown[DISCHARGES],
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
