"""Home-page panels: contractor staff see this year's report; prefecture staff what waits for approval."""

from __future__ import annotations

from accounts.models import Program
from reporting.models import ROLE_PROGRAM, ReportStatus, ReportTransition
from reporting.selectors import report_year_default, reports_visible_to


def contractor_panel(request) -> dict:
    user = request.user
    program = ROLE_PROGRAM[user.role]
    fiscal_year = report_year_default()
    # An outreach worker is placed in one agency (OutreachWorker.user is unique): one report at most.
    report = reports_visible_to(user).filter(fiscal_year=fiscal_year, program=program).first()
    comment = ""
    if report is not None and report.status == ReportStatus.RETURNED:
        last = (
            ReportTransition.objects.filter(report=report, to_status=ReportStatus.RETURNED)
            .order_by("-at", "-id")
            .first()
        )
        comment = last.comment if last else ""
    return {
        "fiscal_year": fiscal_year,
        "report": report,
        "program_label": Program(program).label,
        "return_comment": comment,
    }


def prefecture_panel(request) -> dict:
    waiting = (
        reports_visible_to(request.user)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("agency")
        .order_by("submitted_at")[:20]
    )
    return {"waiting": list(waiting)}


def district_panel(request) -> dict:
    """Health-centre staff: their district's figures of the 年度 whose report is due."""
    from peers.selectors.report import district_years
    from reporting.district import DISCHARGES, PARTICIPANTS, district_people

    organisation = request.user.organisation
    district_id = organisation.health_centre_id if organisation else None
    fiscal_year = report_year_default()
    if district_id is None:
        return {"district_id": None, "fiscal_year": fiscal_year}
    entry = district_years(fiscal_year=fiscal_year, district_ids=[district_id])[district_id]
    shown = district_people(entry)  # as the district summary shows them
    return {
        "district_id": district_id,
        "district_code": organisation.health_centre.code,
        "fiscal_year": fiscal_year,
        "sessions": sum(entry.sessions_by_month),
        "participants": shown[PARTICIPANTS],
        "discharges": shown[DISCHARGES],
    }


__all__ = ["contractor_panel", "district_panel", "prefecture_panel"]
