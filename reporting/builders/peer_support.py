"""The peer-support 実績報告書 (要綱000 第5条6): its sections, drill-down links and checks.

Every number comes from `peers.selectors.report.peer_report_figures` (which reuses
`annual_summary`), so the page, the PDF, the Excel file and the overview agree. Each figure is a
`Cell` linking to the list of the records behind it, filtered exactly as the figure was counted.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Program
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_months, to_wareki
from peers.models import ActivityKind, CourseKind
from peers.selectors.report import (
    AFTER_DISCHARGE_KINDS,
    activities_with_lapsed_pledge,
    peer_report_figures,
)
from peers.selectors.summary import MonthlyCounts
from reporting.registry import ERROR, WARNING, Cell, Finding, ReportBuilder, Section, register_report

MONTH_HEADERS = [f"{month}月" for _year, month in fiscal_year_months(2000)]
MONTHS = [month for _year, month in fiscal_year_months(2000)]
MONTHLY_METRICS = (
    ("sessions", "実施回数"),
    ("participants", "参加者数（延べ）"),
    ("supporter_turns", "ピアサポーター（延べ）"),
)
KIND_LABELS = dict(ActivityKind.choices)


def list_url(url_name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{reverse(url_name)}?{query}" if query else reverse(url_name)


def figure_url(figure: str, organisation, fiscal_year: int) -> str:
    return list_url(
        "reporting:peer_figure_records",
        figure=figure,
        contractor=organisation.pk,
        fiscal_year=fiscal_year,
    )


def monthly_rows(
    label: str, counts: MonthlyCounts, metrics, url_name: str, base: dict, *, month_filter: bool = True
) -> list[list]:
    """Rows label | metric | 4月 … 3月 | 計, each figure linking to `url_name` with `base` (+ month)."""
    rows = []
    for attribute, metric in metrics:
        values = getattr(counts, attribute)
        cells = [
            Cell(value, list_url(url_name, **base, month=month) if month_filter else list_url(url_name, **base))
            for value, month in zip(values, MONTHS, strict=True)
        ]
        rows.append([label, metric, *cells, Cell(sum(values), list_url(url_name, **base))])
    return rows


@register_report(Program.PEER_SUPPORT)
class PeerSupportReport(ReportBuilder):
    title = "地域移行・地域定着ピアサポート活動促進事業 実績報告書"
    text_fields = ("outcomes_text", "effects_text", "issues_text")

    def build(self, organisation, fiscal_year: int, agency=None) -> dict:
        figures = peer_report_figures(organisation=organisation, fiscal_year=fiscal_year)
        summary = figures.summary
        year = {"contractor": organisation.pk, "fiscal_year": fiscal_year}
        sections = [
            self._contract(organisation, figures),
            Section(
                key="coordinators",
                title="ピアサポートコーディネーター（要綱第2条(1)）",
                headers=["氏名", "資格", "登録番号・同等と判断した理由"],
                rows=[
                    [
                        Cell(c.name, reverse("peers:coordinator_detail", args=[c.pk])),
                        c.get_qualification_display(),
                        c.psw_registration_number or c.equivalent_note,
                    ]
                    for c in figures.coordinators
                ],
                numeric_columns=[],
            ),
            Section(
                key="supporters",
                title="ピアサポーター（要綱第2条(2)・第5条5）",
                headers=["項目", "人数"],
                rows=[
                    [label, Cell(value, figure_url(f"supporters_{key}", organisation, fiscal_year))]
                    for key, label, value in (
                        ("registered", "登録者数（年度内に活動可能だった人）", summary.supporters_registered),
                        ("new", "うち年度内の新規登録", summary.supporters_new),
                        ("pledged", "うち年度末に有効な誓約書あり", summary.supporters_with_valid_pledge),
                        ("trained", "うち養成講座の修了により登録", summary.supporters_trained),
                        ("paused", "うち休止中", figures.supporters_paused),
                        ("ended", "うち終了", figures.supporters_ended),
                    )
                ],
            ),
            self._in_hospital(figures, year),
            Section(
                key="after_discharge",
                title="第4条1(1)イ 退院後の地域生活の支援（月別）",
                headers=["種別", "項目", *MONTH_HEADERS, "計"],
                rows=[
                    row
                    for kind in AFTER_DISCHARGE_KINDS
                    for row in monthly_rows(
                        KIND_LABELS[kind],
                        figures.after_discharge[kind],
                        MONTHLY_METRICS,
                        "peers:activity_list",
                        {**year, "kind": kind},
                    )
                ],
                numeric_columns=list(range(2, 15)),
            ),
            Section(
                key="discharges",
                title="入院者への支援と退院（要綱第4条1(1)）",
                headers=["項目", "人数"],
                rows=[
                    [
                        "支援した人（実人数）",
                        Cell(summary.people_supported, figure_url("people_supported", organisation, fiscal_year)),
                    ],
                    [
                        "年度内に退院した人",
                        Cell(summary.people_discharged, list_url("peers:person_list", **year)),
                    ],
                ],
                note="支援した人：年度内に活動の対象となった人、又は年度内に支援を始めた人。",
            ),
            Section(
                key="awareness",
                title="第4条1(2)ア ピアサポート講座等（普及啓発）",
                headers=["項目", *MONTH_HEADERS, "計"],
                rows=[
                    row[1:]
                    for row in monthly_rows(
                        "",
                        figures.awareness,
                        (("sessions", "開催回数"), ("participants", "参加者数")),
                        "peers:course_list",
                        {**year, "kind": CourseKind.AWARENESS},
                    )
                ],
            ),
            Section(
                key="training",
                title="第4条1(2)イ ピアサポーター養成講座",
                headers=["項目", "数"],
                rows=[
                    [
                        "開催回数",
                        Cell(summary.training_courses, list_url("peers:course_list", **year, kind=CourseKind.TRAINING)),
                    ],
                    ["受講者数", Cell(summary.trainees, figure_url("trainees_trainees", organisation, fiscal_year))],
                    [
                        "修了者数",
                        Cell(summary.completions, figure_url("trainees_completions", organisation, fiscal_year)),
                    ],
                    [
                        "修了後ピアサポーターに登録",
                        Cell(figures.trainees_registered, figure_url("trainees_registered", organisation, fiscal_year)),
                    ],
                ],
            ),
            Section(
                key="paid_work_months",
                title="第4条1(2)ウ ピアサポーターの就労（月別の活動時間・謝金）",
                headers=["項目", *MONTH_HEADERS, "計"],
                rows=[
                    [
                        label,
                        *[
                            Cell(value, list_url("peers:activity_list", **year, month=month))
                            for value, month in zip(values, MONTHS, strict=True)
                        ],
                        Cell(total, list_url("peers:activity_list", **year)),
                    ]
                    for label, values, total in (
                        ("活動時間（時間）", figures.hours_by_month, summary.paid_hours),
                        ("謝金（円）", figures.pay_by_month, summary.pay_total),
                    )
                ],
            ),
            Section(
                key="paid_work_supporters",
                title="第4条1(2)ウ ピアサポーターの就労（ピアサポーター別）",
                headers=["ピアサポーター", "活動回数", "活動時間（時間）", "謝金（円）"],
                rows=[
                    [
                        Cell(s.name, reverse("peers:supporter_detail", args=[s.supporter_id])),
                        *[
                            Cell(value, list_url("peers:activity_list", **year, supporter=s.supporter_id))
                            for value in (s.sessions, s.hours, s.pay)
                        ],
                    ]
                    for s in figures.pay_by_supporter
                ],
                footer=[
                    "合計",
                    *[
                        Cell(value, figure_url("supporter_turns", organisation, fiscal_year))
                        for value in (
                            sum(s.sessions for s in figures.pay_by_supporter),
                            summary.paid_hours,
                            summary.pay_total,
                        )
                    ],
                ],
            ),
            Section(
                key="councils",
                title="第5条3 協議の場への報告",
                headers=["報告日", "協議の場", "区域", "報告した成果"],
                rows=[
                    [
                        Cell(to_wareki(c.date), reverse("peers:council_detail", args=[c.pk])),
                        c.council,
                        c.district.name,
                        c.outcomes,
                    ]
                    for c in figures.councils
                ],
                footer=["件数", Cell(summary.council_reports, list_url("peers:council_list", **year)), "", ""],
                numeric_columns=[],
            ),
            self._accounts(figures, year),
        ]
        return {"sections": sections, "figures": figures}

    def _contract(self, organisation, figures) -> Section:
        contract = figures.contract
        if contract is None:
            rows = [
                ["受託事業者", organisation.name],
                ["委託契約", f"{fiscal_year_label(figures.fiscal_year)}の委託契約が登録されていません。"],
            ]
        else:
            rows = [
                ["受託事業者", organisation.name],
                ["契約金額", Cell(f"{contract.amount:,}円", reverse("peers:contract_detail", args=[contract.pk]))],
                ["契約期間", f"{to_wareki(contract.start_date)}～{to_wareki(contract.end_date)}"],
                ["担当区域（保健所）", "、".join(d.name for d in figures.districts)],
            ]
        return Section(
            key="contract",
            title="受託者・契約・区域（要綱第2条(3)・第3条）",
            headers=["項目", "内容"],
            rows=rows,
            numeric_columns=[],
        )

    def _in_hospital(self, figures, year: dict) -> Section:
        rows = []
        for kind in (ActivityKind.HOSPITAL_GROUP, ActivityKind.OUTING):
            hospital_rows = [row for row in figures.in_hospital if row.kind == kind]
            total = MonthlyCounts()
            for row in hospital_rows:
                rows += monthly_rows(
                    f"{row.hospital_name}（{KIND_LABELS[kind]}）",
                    row.counts,
                    MONTHLY_METRICS,
                    "peers:activity_list",
                    {**year, "kind": kind, "hospital": row.hospital_id},
                )
                for attribute, _label in MONTHLY_METRICS:
                    target = getattr(total, attribute)
                    target[:] = [a + b for a, b in zip(target, getattr(row.counts, attribute), strict=True)]
            if hospital_rows:
                rows += monthly_rows(
                    f"{KIND_LABELS[kind]} 計", total, MONTHLY_METRICS, "peers:activity_list", {**year, "kind": kind}
                )
        return Section(
            key="in_hospital",
            title="第4条1(1)ア 精神科病院等での支援（病院別・月別）",
            headers=["病院", "項目", *MONTH_HEADERS, "計"],
            rows=rows,
            numeric_columns=list(range(2, 15)),
            note="院内グループワークと同行外出を分けて、病院ごとに記載しています。",
        )

    def _accounts(self, figures, year: dict) -> Section:
        totals = figures.summary.expenditures
        if totals is None:
            return Section(
                key="accounts",
                title="第5条4 経理（費目別の支出と契約金額）",
                headers=["費目", "支出額（円）"],
                rows=[],
                note="委託契約が登録されていないため、経理を集計できません。",
            )
        # Counted by contract (expenditure_totals), so each figure lists that contract's expenditures.
        spent = {"contractor": year["contractor"], "contract": totals.contract.pk}
        rows = [
            [label, Cell(total, list_url("peers:expenditure_list", **spent, category=category))]
            for category, label, total in totals.rows
        ]
        rows += [
            ["支出合計", Cell(totals.total, list_url("peers:expenditure_list", **spent))],
            ["契約金額", Cell(totals.contract.amount, reverse("peers:contract_detail", args=[totals.contract.pk]))],
            ["残額", Cell(totals.remaining, list_url("peers:expenditure_list", **spent))],
        ]
        note = f"支出合計が契約金額を{totals.over_by:,}円超えています。" if totals.is_over else ""
        return Section(
            key="accounts",
            title="第5条4 経理（費目別の支出と契約金額）",
            headers=["費目", "支出額（円）"],
            rows=rows,
            note=note,
        )

    def checks(self, organisation, fiscal_year: int, report, agency=None) -> list[Finding]:
        """要綱 violations are errors (block submission); things to confirm are warnings.

        Spending over the contract amount is a warning, not an error: the 要綱 (第5条4) requires
        separate accounts, not spending within the amount, and the contractor may pay the excess
        itself. The prefecture sees the warning and the 残額 in the report and decides.
        """
        from peers.models import Activity, Contract, Coordinator, Expenditure

        # The empty-text warnings of the default builder, each linking to its field of the form.
        findings = [
            replace(finding, link=f"{reverse('reporting:report_detail', args=[report.pk])}#id_{name}")
            for name, finding in zip(
                [n for n in self.text_fields if not (getattr(report, n) or "").strip()],
                super().checks(organisation, fiscal_year, report),
                strict=True,
            )
        ]
        year = {"contractor": organisation.pk, "fiscal_year": fiscal_year}
        contract = Contract.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
        if contract is None:
            findings.append(
                Finding(
                    ERROR,
                    f"{fiscal_year_label(fiscal_year)}の委託契約が登録されていません（要綱第3条）。県の担当者に登録を依頼してください。",
                    list_url("peers:contract_list", **year),
                )
            )
        if not Coordinator.objects.filter(organisation=organisation, is_active=True).exists():
            findings.append(
                Finding(
                    ERROR,
                    "ピアサポートコーディネーターが登録されていません（要綱第2条(1)）。",
                    reverse("peers:coordinator_list"),
                )
            )
        lapsed = list(activities_with_lapsed_pledge(organisation=organisation, fiscal_year=fiscal_year)[:20])
        for turn in lapsed:
            findings.append(
                Finding(
                    ERROR,
                    f"{to_wareki(turn.activity.date)}の活動に、その日に有効な誓約書のないピアサポーター"
                    f"（{turn.supporter.name}）が記録されています（要綱第5条5）。",
                    reverse("peers:activity_detail", args=[turn.activity_id]),
                )
            )
        if contract is not None:
            first, last = fiscal_year_bounds(fiscal_year)
            until = min(contract.end_date, timezone.localdate(), last)
            active_months = set(
                Activity.objects.filter(organisation=organisation, date__gte=first, date__lte=last).dates(
                    "date", "month"
                )
            )
            empty = [
                (y, m)
                for y, m in fiscal_year_months(fiscal_year)
                if contract.start_date.replace(day=1) <= first.replace(year=y, month=m) <= until
                and first.replace(year=y, month=m) not in active_months
            ]
            for _y, m in empty:
                findings.append(
                    Finding(
                        WARNING,
                        f"{m}月の活動記録がありません。活動がなかった場合は「成果」等にその理由を記入してください。",
                        list_url("peers:activity_list", **year, month=m),
                    )
                )
            spent = Expenditure.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"] or 0
            if spent > contract.amount:
                findings.append(
                    Finding(
                        WARNING,
                        f"支出合計（{spent:,}円）が契約金額（{contract.amount:,}円）を{spent - contract.amount:,}円"
                        "超えています（要綱第5条4）。超過分の扱いを確認してください。",
                        list_url("peers:expenditure_list", **year),
                    )
                )
        return findings
