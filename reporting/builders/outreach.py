"""The outreach 実績報告書 (要綱004): its sections, drill-down links and checks.

One report per agency (自立相談支援機関) and 年度. Every number comes from
`outreach.selectors.report.outreach_report_figures` (`counts.year_summary` of the agency and its
month-by-month counts), so the page, the PDF, the Excel file and the summary page agree. Each
figure is a `Cell` linking to the outreach list of the records behind it, filtered exactly as the
figure was counted (`contractor`, `agency`, `fiscal_year`, `month`, kind …).
"""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse
from django.utils import timezone

from accounts.models import Program
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_months, to_wareki
from outreach.models import (
    ContactKind,
    MeetingKind,
    OutcomeKind,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResourceKind,
)
from outreach.models.clients import CRITERIA
from outreach.selectors.counts import AGE_BANDS
from outreach.selectors.lists import FLAG_FILTERS
from outreach.selectors.report import (
    clients_not_in_hardship,
    clients_outside_cohort_without_reason,
    clients_without_criterion,
    clients_without_plan,
    months_with_contacts,
    outreach_report_figures,
    year_clients,
)
from reporting.builders.peer_support import list_url
from reporting.registry import ERROR, WARNING, Cell, Finding, ReportBuilder, Section, register_report

MONTH_HEADERS = [f"{month}月" for _year, month in fiscal_year_months(2000)]
MONTHLY = list(range(1, 14))
#: The criteria fields of the client model → the client list's `criterion` filter value.
CRITERION_KEYS = {
    "criterion_hikikomori": "hikikomori",
    "criterion_youth_station": "youth_station",
    "criterion_unstable_work": "unstable_work",
    "criterion_other": "other",
}


def month_params(fiscal_year: int) -> list[str]:
    """The `month` filter value of each month of the 年度: 2025-04 … 2026-03."""
    return [f"{year}-{month:02d}" for year, month in fiscal_year_months(fiscal_year)]


def month_row(label: str, values: list[int], url_name: str, base: dict, fiscal_year: int) -> list:
    """label | 4月 … 3月 | 計, each month linking to the list of that month, the total to the 年度."""
    cells = [
        Cell(value, list_url(url_name, **base, month=month))
        for value, month in zip(values, month_params(fiscal_year), strict=True)
    ]
    return [label, *cells, Cell(sum(values), list_url(url_name, **base, fiscal_year=fiscal_year))]


@register_report(Program.OUTREACH)
class OutreachReport(ReportBuilder):
    title = "自立相談支援機能強化事業 実績報告書"
    text_fields = ("outcomes_text", "effects_text", "issues_text")

    def build(self, organisation, fiscal_year: int, agency=None) -> dict:
        figures = outreach_report_figures(agency=agency, fiscal_year=fiscal_year)
        summary = figures.summary
        who = {"contractor": organisation.pk, "agency": agency.pk}
        year = {**who, "fiscal_year": fiscal_year}
        clients = summary["clients"]
        client_url = "outreach:client_list"
        sections = [
            self._contracts(organisation, figures, year),
            Section(
                key="workers",
                title="アウトリーチ支援員と資格要件（要綱3(1)ア(ｱ)・3(3)）",
                headers=["氏名", "資格要件", "要件の根拠"],
                rows=[
                    [
                        Cell(w.user.display_name, reverse("outreach:worker_detail", args=[w.pk])),
                        w.get_qualification_display(),
                        w.qualification_evidence,
                    ]
                    for w in figures.workers
                ],
                footer=[
                    "在職中の支援員",
                    Cell(len(figures.workers), list_url("outreach:worker_list", **who, active_only="on")),
                    "",
                ],
                numeric_columns=[],
            ),
            Section(
                key="qualifications",
                title="支援員の資格要件別人数（要綱3(3)ア〜カ）",
                headers=["資格要件", "人数"],
                rows=[
                    [label, Cell(count, list_url("outreach:worker_list", **who, qualification=value, active_only="on"))]
                    for (value, _label), (label, count) in zip(Qualification.choices, summary["workers"], strict=True)
                ],
            ),
            Section(
                key="clients",
                title="支援対象者（新規・継続、要綱3(2)）",
                headers=["区分", "人数"],
                rows=[
                    ["新規（年度内に受付）", Cell(clients["new"], list_url(client_url, **year, intake="new"))],
                    [
                        "継続（前年度以前に受付）",
                        Cell(clients["continuing"], list_url(client_url, **year, intake="continuing")),
                    ],
                    ["合計（年度内に支援した実人数）", Cell(clients["total"], list_url(client_url, **year))],
                ],
                note="年度内のいずれかの時点で支援中だった人（受付日が年度末以前で、年度開始前に終結していない人）。",
            ),
            Section(
                key="criteria",
                title="支援対象者の要件別人数（要綱3(2)ア・イ）",
                headers=["要件", "人数"],
                rows=[
                    [
                        "ア 就職氷河期世代の範囲内",
                        Cell(
                            clients["total"] - clients["out_of_cohort"],
                            list_url(client_url, **year, criterion="in_cohort"),
                        ),
                    ],
                    [
                        "ア 範囲外（理由を記録して支援）",
                        Cell(clients["out_of_cohort"], list_url(client_url, **year, criterion="out_of_cohort")),
                    ],
                    *[
                        [
                            f"イ{label}",
                            Cell(clients[name], list_url(client_url, **year, criterion=CRITERION_KEYS[name])),
                        ]
                        for name, label in CRITERIA
                    ],
                ],
                note="イの(ｱ)〜(ｴ)は重複して該当する人がいるため、合計は実人数と一致しません。",
            ),
            Section(
                key="new_clients_monthly",
                title="新規受付の支援対象者（月別）",
                headers=["項目", *MONTH_HEADERS, "計"],
                rows=[
                    [
                        "新規受付",
                        *[
                            Cell(value, list_url(client_url, **who, month=month))
                            for value, month in zip(
                                figures.new_clients_by_month, month_params(fiscal_year), strict=True
                            )
                        ],
                        Cell(sum(figures.new_clients_by_month), list_url(client_url, **year, intake="new")),
                    ]
                ],
                numeric_columns=MONTHLY,
            ),
            self._profile(summary["profile"], year),
            Section(
                key="contacts_monthly",
                title="対応の種別・月別件数（要綱3(1)ア）",
                headers=["種別", *MONTH_HEADERS, "計"],
                rows=[
                    month_row(
                        label,
                        summary["contacts_by_kind"].get(kind, [0] * 12),
                        "outreach:contact_list",
                        {**who, "kind": kind},
                        fiscal_year,
                    )
                    for kind, label in ContactKind.choices
                ],
                footer=month_row("合計", summary["contacts_by_month"], "outreach:contact_list", who, fiscal_year),
                numeric_columns=MONTHLY,
            ),
            Section(
                key="access",
                title="土日祝日・時間外の相談と初めてのつながり（要綱3(1)イ・ア(ｳ)、月別）",
                headers=["項目", *MONTH_HEADERS, "計"],
                rows=[
                    *[
                        month_row(
                            label,
                            figures.flags_by_month[key],
                            "outreach:contact_list",
                            {**who, "flag": key},
                            fiscal_year,
                        )
                        for key, (label, _field) in FLAG_FILTERS.items()
                    ],
                    month_row(
                        "本人との初めてのつながり",
                        figures.flags_by_month["first_connection"],
                        "outreach:contact_list",
                        {**who, "first_connection": "on"},
                        fiscal_year,
                    ),
                ],
                note="土日・祝日（振替休日を含む）・年末年始（12/29〜1/3）・時間外は重複して数えます。"
                "「いずれか」はどれかに当たる対応の件数です。",
                numeric_columns=MONTHLY,
            ),
            self._plans(figures, who, year),
            Section(
                key="linkages",
                title="関係機関へのつなぎ（つないだ先の種別、要綱3(4)ウ〜コ）",
                headers=["つないだ先の種別", "件数"],
                rows=[
                    [
                        label,
                        Cell(summary["linkages"][kind], list_url("outreach:linkage_list", **year, resource_kind=kind)),
                    ]
                    for kind, label in SocialResourceKind.choices
                ],
                footer=["合計", Cell(sum(summary["linkages"].values()), list_url("outreach:linkage_list", **year))],
            ),
            Section(
                key="linkages_monthly",
                title="関係機関へのつなぎ（月別）",
                headers=["項目", *MONTH_HEADERS, "計"],
                rows=[month_row("つなぎ", figures.linkages_by_month, "outreach:linkage_list", who, fiscal_year)],
                numeric_columns=MONTHLY,
            ),
            Section(
                key="outcomes",
                title="支援の成果（種別・月別）",
                headers=["成果", *MONTH_HEADERS, "計"],
                rows=[
                    month_row(
                        label,
                        figures.outcomes_by_kind_and_month[kind],
                        "outreach:outcome_list",
                        {**who, "kind": kind},
                        fiscal_year,
                    )
                    for kind, label in OutcomeKind.choices
                ],
                numeric_columns=MONTHLY,
                note="「つながりの確保」「支援計画の作成」「終結」は、対応記録・支援計画・終結の登録から自動で記録されます（1人1回）。",
            ),
        ]
        return {"sections": sections, "figures": figures}

    def _contracts(self, organisation, figures, year: dict) -> Section:
        """The agency's 委託契約 of the 年度 (normally one), each amount linking to the contract list."""
        url = list_url("outreach:contract_list", **year)
        rows = [
            [
                Cell(contract.amount, url),
                f"{to_wareki(contract.start_date)}～{to_wareki(contract.end_date)}",
                contract.note,
            ]
            for contract in figures.contracts
        ] or [["（契約の登録なし）", "", ""]]
        agency = figures.agency
        return Section(
            key="contracts",
            title="受託者・機関・委託契約（要綱2・3(1)ア）",
            headers=["契約金額（円）", "契約期間", "備考"],
            rows=rows,
            footer=["合計", Cell(figures.contract_amount, url), ""] if len(figures.contracts) > 1 else None,
            numeric_columns=[0],
            note=f"受託者：{organisation.name}　自立相談支援機関：{agency.name}。"
            "この事業の支出（経費）の記録は本システムにないため、契約金額との対比は記載していません。",
        )

    def _profile(self, profile: dict, year: dict) -> Section:
        """Age band, sex and referral route of the clients of the 年度, each linking to the client list."""
        url = "outreach:client_list"
        rows = []
        for (label, count), (band, _low, _high) in zip(profile["age"], AGE_BANDS, strict=True):
            rows.append(["年齢（4月1日時点）", label, Cell(count, list_url(url, **year, age_band=band))])
        for (label, count), (value, _label) in zip(profile["sex"], Sex.choices, strict=True):
            rows.append(["性別", label, Cell(count, list_url(url, **year, sex=value))])
        for (label, count), (value, _label) in zip(profile["referral_route"], ReferralRoute.choices, strict=True):
            rows.append(["相談経路", label, Cell(count, list_url(url, **year, referral_route=value))])
        return Section(
            key="profile",
            title="支援対象者の年齢・性別・相談経路",
            headers=["区分", "内訳", "人数"],
            rows=rows,
            numeric_columns=[2],
        )

    def _plans(self, figures, who: dict, year: dict) -> Section:
        plans_and_meetings = figures.summary["plans_and_meetings"]
        rows = [
            month_row("支援計画の作成", figures.plans_by_month, "outreach:plan_list", who, figures.fiscal_year),
        ]
        rows.append(
            [
                "支援計画の見直し",
                *[""] * 12,
                Cell(plans_and_meetings["plan_reviews"], list_url("outreach:plan_review_list", **year)),
            ]
        )
        for kind, label in MeetingKind.choices:
            rows.append(
                [
                    label,
                    *[""] * 12,
                    Cell(
                        plans_and_meetings.get(f"meetings_{kind}", 0),
                        list_url("outreach:meeting_list", **year, kind=kind),
                    ),
                ]
            )
        return Section(
            key="plans",
            title="支援計画と支援調整会議（要綱3(4)イ・オ）",
            headers=["項目", *MONTH_HEADERS, "計"],
            rows=rows,
            numeric_columns=MONTHLY,
        )

    def checks(self, organisation, fiscal_year: int, report, agency=None) -> list[Finding]:
        """要綱 violations are errors (block submission); things to confirm are warnings."""
        from outreach.models import OutreachContract, OutreachWorker

        findings = [
            replace(finding, link=f"{reverse('reporting:report_detail', args=[report.pk])}#id_{name}")
            for name, finding in zip(
                [n for n in self.text_fields if not (getattr(report, n) or "").strip()],
                super().checks(organisation, fiscal_year, report),
                strict=True,
            )
        ]
        who = {"contractor": organisation.pk, "agency": agency.pk}
        year = {**who, "fiscal_year": fiscal_year}
        label = fiscal_year_label(fiscal_year)
        if not OutreachContract.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
            findings.append(
                Finding(
                    ERROR,
                    f"{agency.name}の{label}の委託契約が登録されていません（要綱2）。県の担当者に登録を依頼してください。",
                    list_url("outreach:contract_list", fiscal_year=fiscal_year),
                )
            )
        workers = list(OutreachWorker.objects.filter(agency=agency, is_active=True).select_related("user"))
        if not workers:
            findings.append(
                Finding(
                    ERROR,
                    f"{agency.name}にアウトリーチ支援員が配置されていません（要綱3(1)ア(ｱ)）。",
                    list_url("outreach:worker_list", **who),
                )
            )
        for worker in workers:
            # 要綱3(3)ア: training completed in a year before the report's 年度.
            problems = worker.qualification_errors(today=fiscal_year_bounds(fiscal_year)[0])
            if problems:
                findings.append(
                    Finding(
                        ERROR,
                        f"支援員 {worker.user.display_name} の資格要件の根拠が不足しています（要綱3(3)）："
                        + " ".join(problems.values()),
                        reverse("outreach:worker_detail", args=[worker.pk]),
                    )
                )
        clients = year_clients(agency=agency, fiscal_year=fiscal_year)
        url = "outreach:client_list"
        for queryset, missing, level, message in (
            (
                clients_without_criterion(clients),
                "criterion",
                ERROR,
                "(ｱ)〜(ｴ)のいずれにも該当しない支援対象者が{n}人います（要綱3(2)イ）。",
            ),
            (
                clients_outside_cohort_without_reason(clients),
                "cohort_reason",
                ERROR,
                "就職氷河期世代の範囲外で、支援対象とする理由が未記入の支援対象者が{n}人います（要綱3(2)ア）。",
            ),
            (
                clients_not_in_hardship(clients),
                "hardship",
                ERROR,
                "生活困窮者に該当しない支援対象者が{n}人います（要綱3(2)）。",
            ),
            (
                clients_without_plan(clients, until=fiscal_year_bounds(fiscal_year)[1]),
                "plan",
                WARNING,
                "支援計画が作成されていない支援対象者が{n}人います（要綱3(4)イ）。作成前であれば問題ありません。",
            ),
        ):
            count = queryset.count()
            if count:
                findings.append(Finding(level, message.format(n=count), list_url(url, **year, missing=missing)))
        first, last = fiscal_year_bounds(fiscal_year)
        until = min(timezone.localdate(), last)
        active = months_with_contacts(agency=agency, fiscal_year=fiscal_year)
        for (y, m), month in zip(fiscal_year_months(fiscal_year), month_params(fiscal_year), strict=True):
            if first.replace(year=y, month=m) <= until and m not in active:
                findings.append(
                    Finding(
                        WARNING,
                        f"{m}月の対応記録がありません。対応がなかった場合は「事業の成果」等にその理由を記入してください。",
                        list_url("outreach:contact_list", **who, month=month),
                    )
                )
        return findings
