"""Demo reports for the previous 年度 in every state, so a new user sees the whole workflow.

Called by `manage.py seed_demo` after peers and outreach. Idempotent: a contractor/program
(outreach: an agency) that already has a report for that year is left as it is.
"""

from __future__ import annotations

from accounts.models import Program
from accounts.wareki import fiscal_year_label
from outreach.models import Agency, OutreachWorker
from reporting.models import AnnualReport
from reporting.pdf import JapaneseFontMissing
from reporting.services import (
    report_approve,
    report_get_or_create_draft,
    report_return,
    report_submit,
    report_update_texts,
)

PEER_TEXTS = {
    "outcomes_text": (
        "協力病院3か所でグループワークを月2回実施し、長期入院者のうち4名が退院しました。"
        "退院後も個別訪問を継続し、全員が地域生活を続けています。"
    ),
    "effects_text": "ピアサポーターの体験談を聞いた入院者から、退院後の生活を具体的に考える声が増えました。",
    "issues_text": "ピアサポーターの確保と継続的な研修が課題です。来年度は養成講座を2回に増やします。",
}
OUTREACH_TEXTS = {
    "outcomes_text": (
        "家族からの相談をきっかけに自宅訪問を重ね、ひきこもり状態の方との初めてのつながりを確保できました。"
        "支援計画を作成した方のうち、居場所への参加や就労準備支援の利用につながった方がいます。"
    ),
    "effects_text": "土日や夜間の相談に応じたことで、平日の日中に来所できない方からの相談が増えました。",
    "issues_text": (
        "就職氷河期世代のひきこもり状態の方への初回接触に時間がかかります。"
        "地域若者サポートステーションとの連携を強めます。"
    ),
}


def _texts(program: str) -> dict[str, str]:
    return PEER_TEXTS if program == Program.PEER_SUPPORT else OUTREACH_TEXTS


def _reporting_agency(organisation, by):
    """The outreach report's agency: where the demo worker is placed, else the contractor's first agency."""
    placed = OutreachWorker.objects.filter(user=by, is_active=True).select_related("agency").first() if by else None
    if placed is not None:
        return placed.agency
    return Agency.objects.filter(organisation=organisation).order_by("name").first()


def seed(context) -> None:
    year = context.fiscal_year - 1
    users = context.users
    pref = users["demo-pref"]
    staff = {
        ("midori", Program.PEER_SUPPORT): users.get("demo-coord-a"),
        ("hidamari", Program.PEER_SUPPORT): users.get("demo-coord-b"),
        ("aozora", Program.OUTREACH): users.get("demo-outreach-a"),
        ("musashino", Program.OUTREACH): users.get("demo-outreach-b"),
    }
    # (contractor code, program) → the state to leave it in; other contractors stay 未着手.
    plan = [
        ("midori", Program.PEER_SUPPORT, "approved"),
        ("hidamari", Program.PEER_SUPPORT, "returned"),
        ("aozora", Program.OUTREACH, "submitted"),
        ("musashino", Program.OUTREACH, "draft"),
        ("musashino", Program.PEER_SUPPORT, "draft"),
    ]
    contractors = {o.code: o for o in [*context.peer_contractors, *context.outreach_contractors]}
    created = 0
    for code, program, state in plan:
        organisation = contractors.get(code)
        if organisation is None:
            continue
        by = staff.get((code, program))
        agency = _reporting_agency(organisation, by) if program == Program.OUTREACH else None
        if program == Program.OUTREACH and agency is None:
            continue
        if AnnualReport.objects.filter(
            organisation=organisation, program=program, fiscal_year=year, agency=agency
        ).exists():
            continue
        report = report_get_or_create_draft(
            organisation=organisation, program=program, fiscal_year=year, by=by, agency=agency
        )
        created += 1
        if by is None:
            # No demo log-in works for this contractor and program: write the texts directly.
            AnnualReport.objects.filter(pk=report.pk).update(**_texts(program))
            continue
        report_update_texts(report=report, by=by, **_texts(program))
        if state == "draft":
            continue
        report_submit(report=report, by=by)
        if state == "returned":
            report_return(
                report=report,
                by=pref,
                comment="「事業の効果」に、協力病院ごとの参加人数の推移を具体的に記載してください。",
            )
        elif state == "approved":
            try:
                report_approve(report=report, by=pref, comment="内容を確認しました。")
            except JapaneseFontMissing as error:
                context.log.append(f"実績報告書: 承認できませんでした（{error.message}）")
    context.log.append(f"実績報告書（{fiscal_year_label(year)}分）: 新規 {created} 件")
