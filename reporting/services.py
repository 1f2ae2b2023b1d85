"""Writes of the report workflow: draft → submitted → (returned → submitted)* → approved (→ reopened).

Each function runs in one transaction, locks the report row, refuses an illegal step with a
Japanese ValidationError, writes a ReportTransition and an audit event. Approval freezes the
year (accounts.PeriodLock) and stores the PDF as approved; reopening lifts the lock.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import AuditAction, Organisation, PeriodLock, Program, Role
from accounts.permissions import grant_organisation_access
from accounts.wareki import fiscal_year_label
from reporting.models import (
    ROLE_PROGRAM,
    TEXT_FIELDS,
    AnnualReport,
    ReportStatus,
    ReportTransition,
    placed_agencies,
)
from reporting.registry import builder_for

_STATUS = ReportStatus


def _locked(report: AnnualReport) -> AnnualReport:
    """Lock the report's row and re-read it in place, so two clicks cannot both move it."""
    AnnualReport.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True).get()
    report.refresh_from_db()
    return report


def _require_state(report: AnnualReport, allowed: tuple[str, ...], action: str) -> None:
    if report.status not in allowed:
        allowed_labels = "・".join(str(ReportStatus(s).label) for s in allowed)
        raise ValidationError(
            f"この実績報告書は「{report.get_status_display()}」のため{action}できません"
            f"（{action}できるのは「{allowed_labels}」の報告書です）。"
        )


def _require_contractor_staff(by, report: AnnualReport) -> None:
    if not (
        by is not None
        and by.role in ROLE_PROGRAM
        and ROLE_PROGRAM[by.role] == report.program
        and by.organisation_id_or_none == report.organisation_id
    ):
        raise PermissionDenied("この操作は当該受託事業者の担当者のみ行えます。")
    if report.agency_id and not placed_agencies(by).filter(agency_id=report.agency_id).exists():
        raise PermissionDenied("この操作は当該機関のアウトリーチ支援員のみ行えます。")


def _lock_of(report: AnnualReport):
    return PeriodLock.objects.filter(
        organisation=report.organisation,
        program=report.program,
        fiscal_year=report.fiscal_year,
        agency=report.agency,
    )


def _require_prefecture(by) -> None:
    if by is None or by.role != Role.PREFECTURE:
        raise PermissionDenied("この操作は県の担当者のみ行えます。")


def _move(report: AnnualReport, *, to: str, by, comment: str = "") -> ReportTransition:
    transition = ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to, by=by, comment=comment
    )
    report.status = to
    return transition


@transaction.atomic
def report_get_or_create_draft(
    *, organisation: Organisation, program: str, fiscal_year: int, by, agency=None
) -> AnnualReport:
    """The report of this contractor (outreach: of this agency), program and 年度; a new draft if none yet."""
    if program == Program.OUTREACH:
        if agency is None or agency.organisation_id != organisation.pk:
            raise ValidationError(
                "アウトリーチ事業の実績報告書は、受託事業者の機関（自立相談支援機関）ごとに作成します。"
            )
    elif agency is not None:
        raise ValidationError(
            f"{Program(program).label}の実績報告書は受託事業者ごとに作成します（機関は指定しません）。"
        )
    unit = {"organisation": organisation, "program": program, "fiscal_year": fiscal_year, "agency": agency}
    report = AnnualReport.objects.filter(**unit).first()
    if report is not None:
        return report
    if not organisation.is_contractor:
        raise ValidationError("実績報告書は受託事業者についてのみ作成できます。")
    runs = organisation.runs_peer_support if program == Program.PEER_SUPPORT else organisation.runs_outreach
    if not runs:
        raise ValidationError(f"{organisation.name}は{Program(program).label}を受託していません。")
    report = AnnualReport(**unit, created_by=by if getattr(by, "is_authenticated", False) else None)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two people opened the report at the same moment: the other request created it.
        return AnnualReport.objects.get(**unit)
    grant_organisation_access(report)
    ReportTransition.objects.create(report=report, from_status="", to_status=_STATUS.DRAFT, by=report.created_by)
    audit(by, AuditAction.CREATE, report)
    return report


@transaction.atomic
def report_update_texts(*, report: AnnualReport, by, **texts: str) -> AnnualReport:
    """Change the free texts (成果・効果・課題); only while the report is a draft or returned."""
    report = _locked(report)
    _require_contractor_staff(by, report)
    _require_state(report, (_STATUS.DRAFT, _STATUS.RETURNED), "記述を変更")
    allowed = {name for name, _label in TEXT_FIELDS}
    unknown = set(texts) - allowed
    if unknown:
        raise ValueError(f"unknown text fields {sorted(unknown)}")
    for name, value in texts.items():
        setattr(report, name, (value or "").strip())
    report.full_clean()
    report.save(update_fields=[*texts, "updated_at"])
    audit(by, AuditAction.UPDATE, report, detail="記述の変更")
    return report


def report_findings(report: AnnualReport) -> list:
    """The completeness check of the report's program (warnings and 要綱 errors)."""
    return builder_for(report.program).checks(report.organisation, report.fiscal_year, report, agency=report.agency)


@transaction.atomic
def report_submit(*, report: AnnualReport, by, comment: str = "") -> AnnualReport:
    """Contractor staff submit a draft or returned report; refused while the check finds errors."""
    report = _locked(report)
    _require_contractor_staff(by, report)
    _require_state(report, (_STATUS.DRAFT, _STATUS.RETURNED), "提出")
    errors = [finding for finding in report_findings(report) if finding.is_error]
    if errors:
        raise ValidationError(
            ["要綱に沿っていない点があるため提出できません。修正してから提出してください。"]
            + [finding.message for finding in errors]
        )
    _move(report, to=_STATUS.SUBMITTED, by=by, comment=comment.strip())
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(by, AuditAction.UPDATE, report, detail="提出")
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, by, comment: str) -> AnnualReport:
    """Prefecture staff send a submitted report back, saying what to correct."""
    _require_prefecture(by)
    report = _locked(report)
    _require_state(report, (_STATUS.SUBMITTED,), "差戻し")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("差戻しの理由（修正してほしい点）を入力してください。")
    _move(report, to=_STATUS.RETURNED, by=by, comment=comment)
    report.save(update_fields=["status", "updated_at"])
    audit(by, AuditAction.UPDATE, report, detail=f"差戻し: {comment}")
    return report


@transaction.atomic
def report_approve(*, report: AnnualReport, by, comment: str = "") -> AnnualReport:
    """Approve: freeze the contractor's (outreach: the agency's) 年度 and keep the PDF exactly as approved."""
    from reporting.pdf import render_report_pdf

    _require_prefecture(by)
    report = _locked(report)
    _require_state(report, (_STATUS.SUBMITTED,), "承認")
    _move(report, to=_STATUS.APPROVED, by=by, comment=(comment or "").strip())
    report.approved_at = timezone.now()
    report.approved_by = by
    report.reopened_at = None
    PeriodLock.objects.get_or_create(
        organisation=report.organisation,
        program=report.program,
        fiscal_year=report.fiscal_year,
        agency=report.agency,
        defaults={"locked_by": by, "locked_at": report.approved_at},
    )
    # The PDF is rendered with the approved state and stored; later edits (after a reopening)
    # never change it. The earlier approved file, if any, stays on disk under its own name.
    pdf = render_report_pdf(report)
    report.approved_pdf.save("approved.pdf", ContentFile(pdf), save=False)
    stored_name = report.approved_pdf.name
    # A file is not part of the transaction: remove it again if the rest of the approval fails.
    try:
        report.save(update_fields=["status", "approved_at", "approved_by", "reopened_at", "approved_pdf", "updated_at"])
        audit(
            by,
            AuditAction.APPROVE,
            report,
            detail=f"{fiscal_year_label(report.fiscal_year)}の記録を確定しました。{comment}".strip(),
        )
    except Exception:
        report.approved_pdf.storage.delete(stored_name)
        raise
    return report


@transaction.atomic
def report_reopen(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    """Prefecture staff lift the year lock of an approved report; it goes back to the contractor."""
    _require_prefecture(by)
    report = _locked(report)
    _require_state(report, (_STATUS.APPROVED,), "確定解除")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("確定解除の理由を入力してください。")
    _move(report, to=_STATUS.RETURNED, by=by, comment=reason)
    report.reopened_at = timezone.now()
    report.save(update_fields=["status", "reopened_at", "updated_at"])
    _lock_of(report).delete()
    audit(by, AuditAction.REOPEN, report, detail=f"確定解除の理由: {reason}")
    return report
