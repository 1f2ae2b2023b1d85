import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditAction, AuditEvent, PeriodLock, Program
from accounts.periods import ensure_period_open
from reporting import registry
from reporting.models import ReportStatus, ReportTransition
from reporting.services import (
    report_approve,
    report_get_or_create_draft,
    report_reopen,
    report_return,
    report_submit,
    report_update_texts,
)


def _steps(report):
    return list(ReportTransition.objects.filter(report=report).values_list("from_status", "to_status", "comment"))


def test_draft_is_created_once_with_a_creation_step(peer_report_a, contractor_a, coordinator_a):
    again = report_get_or_create_draft(
        organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2025, by=coordinator_a
    )
    assert again.pk == peer_report_a.pk
    assert peer_report_a.status == ReportStatus.DRAFT
    assert _steps(peer_report_a) == [("", "draft", "")]


def test_draft_is_refused_for_a_program_the_contractor_does_not_run(contractor_a, coordinator_a):
    from tests.outreach.factories import AgencyFactory

    agency = AgencyFactory(organisation=contractor_a)
    contractor_a.runs_outreach = False
    contractor_a.save()
    with pytest.raises(ValidationError, match="受託していません"):
        report_get_or_create_draft(
            organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025, by=None, agency=agency
        )


def test_submit_moves_draft_to_submitted(peer_report_a, coordinator_a):
    report = report_submit(report=peer_report_a, by=coordinator_a)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None
    assert _steps(report)[-1] == ("draft", "submitted", "")


def test_submit_is_refused_to_another_contractors_staff(peer_report_a, coordinator_b):
    with pytest.raises(PermissionDenied):
        report_submit(report=peer_report_a, by=coordinator_b)


def test_submit_is_refused_to_staff_of_the_other_program(peer_report_a, outreach_worker_a):
    with pytest.raises(PermissionDenied):
        report_submit(report=peer_report_a, by=outreach_worker_a)


def test_submitting_twice_is_refused_in_japanese(peer_report_a, coordinator_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    with pytest.raises(ValidationError, match=r"提出済み.*のため提出できません"):
        report_submit(report=peer_report_a, by=coordinator_a)


def test_warnings_do_not_block_submission(make_report, contractor_a, coordinator_a):
    report = make_report(contractor_a, by=coordinator_a)  # every free text empty: warnings only
    assert report_submit(report=report, by=coordinator_a).status == ReportStatus.SUBMITTED


class _StrictBuilder(registry.DefaultPeerSupportReport):
    def checks(self, organisation, fiscal_year, report, agency=None):
        return [*super().checks(organisation, fiscal_year, report), registry.Finding("error", "誓約書がありません")]


def test_errors_of_the_program_check_block_submission(peer_report_a, coordinator_a):
    with registry.replaced(Program.PEER_SUPPORT, _StrictBuilder()), pytest.raises(ValidationError) as error:
        report_submit(report=peer_report_a, by=coordinator_a)
    assert "誓約書がありません" in error.value.messages
    peer_report_a.refresh_from_db()
    assert peer_report_a.status == ReportStatus.DRAFT


def test_return_requires_a_comment(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    with pytest.raises(ValidationError, match="差戻しの理由"):
        report_return(report=peer_report_a, by=prefecture_user, comment="  ")


def test_return_is_prefecture_only(peer_report_a, coordinator_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    with pytest.raises(PermissionDenied):
        report_return(report=peer_report_a, by=coordinator_a, comment="自分で差戻し")


def test_a_draft_cannot_be_returned_or_approved(peer_report_a, prefecture_user):
    with pytest.raises(ValidationError, match=r"作成中.*差戻しできません"):
        report_return(report=peer_report_a, by=prefecture_user, comment="修正してください")
    with pytest.raises(ValidationError, match="承認できません"):
        report_approve(report=peer_report_a, by=prefecture_user)


def test_returned_then_resubmitted_keeps_the_full_history(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_return(report=peer_report_a, by=prefecture_user, comment="課題の記述を具体的にしてください。")
    report_update_texts(report=peer_report_a, by=coordinator_a, issues_text="人材の確保と育成。")
    report = report_submit(report=peer_report_a, by=coordinator_a)
    assert report.status == ReportStatus.SUBMITTED
    assert _steps(report) == [
        ("", "draft", ""),
        ("draft", "submitted", ""),
        ("submitted", "returned", "課題の記述を具体的にしてください。"),
        ("returned", "submitted", ""),
    ]


def test_texts_cannot_change_once_submitted_or_approved(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    with pytest.raises(ValidationError, match="記述を変更できません"):
        report_update_texts(report=peer_report_a, by=coordinator_a, issues_text="変更")
    report_approve(report=peer_report_a, by=prefecture_user)
    with pytest.raises(ValidationError, match="承認済み"):
        report_update_texts(report=peer_report_a, by=coordinator_a, issues_text="変更")


def test_approve_locks_the_year_of_that_contractor_and_program_only(
    peer_report_a, coordinator_a, prefecture_user, contractor_a, contractor_b
):
    report_submit(report=peer_report_a, by=coordinator_a)
    report = report_approve(report=peer_report_a, by=prefecture_user)
    assert report.status == ReportStatus.APPROVED
    assert PeriodLock.objects.filter(
        organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2025, locked_by=prefecture_user
    ).exists()
    with pytest.raises(ValidationError, match="承認済みのため"):
        ensure_period_open(organisation=contractor_a, program=Program.PEER_SUPPORT, day=date(2026, 3, 31))
    ensure_period_open(organisation=contractor_a, program=Program.PEER_SUPPORT, day=date(2026, 4, 1))
    ensure_period_open(organisation=contractor_a, program=Program.OUTREACH, day=date(2025, 6, 1))
    ensure_period_open(organisation=contractor_b, program=Program.PEER_SUPPORT, day=date(2025, 6, 1))
    assert AuditEvent.objects.filter(action=AuditAction.APPROVE, object_id=str(report.pk)).exists()


def test_approve_stores_the_pdf(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    report = report_approve(report=peer_report_a, by=prefecture_user)
    with report.approved_pdf.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_reopen_requires_a_reason_and_only_applies_to_approved(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    with pytest.raises(ValidationError, match="確定解除できません"):
        report_reopen(report=peer_report_a, by=prefecture_user, reason="誤り")
    report_approve(report=peer_report_a, by=prefecture_user)
    with pytest.raises(ValidationError, match="確定解除の理由"):
        report_reopen(report=peer_report_a, by=prefecture_user, reason="")


def test_reopen_removes_the_lock_and_audits_the_reason(peer_report_a, coordinator_a, prefecture_user, contractor_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    report = report_reopen(report=peer_report_a, by=prefecture_user, reason="活動記録の入力漏れが判明したため")
    assert report.status == ReportStatus.RETURNED
    assert not PeriodLock.objects.filter(organisation=contractor_a).exists()
    ensure_period_open(organisation=contractor_a, program=Program.PEER_SUPPORT, day=date(2025, 6, 1))
    event = AuditEvent.objects.get(action=AuditAction.REOPEN)
    assert "活動記録の入力漏れが判明したため" in event.detail
    assert event.user == prefecture_user
    assert _steps(report)[-1] == ("approved", "returned", "活動記録の入力漏れが判明したため")


def test_reopen_is_prefecture_only(peer_report_a, coordinator_a, prefecture_user):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    with pytest.raises(PermissionDenied):
        report_reopen(report=peer_report_a, by=coordinator_a, reason="再編集したい")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_approved_pdf_records_the_approval(peer_report_a, coordinator_a, prefecture_user, tmp_path):
    report_submit(report=peer_report_a, by=coordinator_a)
    report = report_approve(report=peer_report_a, by=prefecture_user)
    with report.approved_pdf.open("rb") as stored:
        text = _pdf_text(stored.read(), tmp_path)
    assert "承認済み" in text
    assert "県の承認後に確定します" not in text


def test_the_approved_pdf_stays_as_approved_until_reapproval(peer_report_a, coordinator_a, prefecture_user, tmp_path):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    first_name = peer_report_a.approved_pdf.name
    with peer_report_a.approved_pdf.open("rb") as stored:
        approved_bytes = stored.read()
    report_reopen(report=peer_report_a, by=prefecture_user, reason="記述の修正")
    report_update_texts(report=peer_report_a, by=coordinator_a, issues_text="まったく新しい課題の記述。")
    peer_report_a.refresh_from_db()
    assert peer_report_a.approved_pdf.name == first_name
    with peer_report_a.approved_pdf.open("rb") as stored:
        assert stored.read() == approved_bytes
    report_submit(report=peer_report_a, by=coordinator_a)
    report = report_approve(report=peer_report_a, by=prefecture_user)
    assert report.approved_pdf.name != first_name
    assert report.reopened_at is None
    with report.approved_pdf.open("rb") as stored:
        new_text = _pdf_text(stored.read(), tmp_path)
    assert "まったく新しい課題の記述。" in new_text
    assert "まったく新しい課題の記述。" not in _pdf_text(approved_bytes, tmp_path)
    assert "確定解除" in new_text  # the history inside the PDF includes the reopening


def test_a_failed_approval_leaves_no_lock_and_no_file(
    peer_report_a, coordinator_a, prefecture_user, monkeypatch, settings
):
    report_submit(report=peer_report_a, by=coordinator_a)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("reporting.services.audit", broken_audit)
    with pytest.raises(RuntimeError):
        report_approve(report=peer_report_a, by=prefecture_user)
    peer_report_a.refresh_from_db()
    assert peer_report_a.status == ReportStatus.SUBMITTED
    assert not PeriodLock.objects.exists()
    stored = list((settings.PRIVATE_MEDIA_ROOT / "reporting").rglob("*.pdf"))
    assert stored == []


def test_inactive_contractors_reports_still_appear_for_the_prefecture(make_report, contractor_b, prefecture_user):
    from reporting.selectors import report_rows

    make_report(contractor_b)
    contractor_b.is_active = False
    contractor_b.save()
    rows = report_rows(viewer=prefecture_user, fiscal_year=2025)
    assert [(r.organisation, r.program) for r in rows if r.organisation == contractor_b] == [
        (contractor_b, Program.PEER_SUPPORT)
    ]
    assert report_rows(viewer=prefecture_user, fiscal_year=2024) == []
