"""The whole workflow through the screens, as the contractor and the prefecture use it."""

from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, PeriodLock
from reporting.models import AnnualReport, ReportStatus
from tests.reporting.conftest import complete_contractor


def test_a_report_goes_from_draft_to_approval_reopening_and_reapproval(
    client, client_for, coordinator_a, prefecture_user, contractor_a
):
    def as_coordinator():
        client.logout()
        return client_for(coordinator_a)

    def as_prefecture():
        client.logout()
        return client_for(prefecture_user)

    complete_contractor(contractor_a, 2025)  # a contract and a coordinator: submission needs them
    c = as_coordinator()
    c.post(reverse("reporting:report_start"), {"fiscal_year": 2025})
    report = AnnualReport.objects.get(organisation=contractor_a)
    c.post(
        reverse("reporting:report_texts", args=[report.pk]),
        {"outcomes_text": "退院4名", "effects_text": "連携強化", "issues_text": "人材確保"},
    )
    c.post(reverse("reporting:report_submit", args=[report.pk]), {"comment": "よろしくお願いします"})

    p = as_prefecture()
    p.post(reverse("reporting:report_return", args=[report.pk]), {"comment": "病院別の内訳を追記してください"})

    c = as_coordinator()
    page = c.get(reverse("reporting:report_detail", args=[report.pk]))
    assert "病院別の内訳を追記してください" in page.text
    c.post(
        reverse("reporting:report_texts", args=[report.pk]),
        {"outcomes_text": "退院4名（A病院2名、B病院2名）", "effects_text": "連携強化", "issues_text": "人材確保"},
    )
    c.post(reverse("reporting:report_submit", args=[report.pk]))

    p = as_prefecture()
    p.post(reverse("reporting:report_approve", args=[report.pk]))
    assert PeriodLock.objects.filter(organisation=contractor_a, fiscal_year=2025).exists()
    approved_pdf = p.get(reverse("reporting:report_pdf", args=[report.pk])).content
    p.post(reverse("reporting:report_reopen", args=[report.pk]), {"comment": "経費の記載漏れ"})
    assert not PeriodLock.objects.exists()

    c = as_coordinator()
    page = c.get(reverse("reporting:report_detail", args=[report.pk]))
    assert "県が確定を解除しました" in page.text and "経費の記載漏れ" in page.text
    assert c.get(reverse("reporting:report_pdf", args=[report.pk]), {"version": "approved"}).content == approved_pdf
    c.post(
        reverse("reporting:report_texts", args=[report.pk]),
        {"outcomes_text": "退院4名（A病院2名、B病院2名）", "effects_text": "連携強化", "issues_text": "人材確保と経費"},
    )
    c.post(reverse("reporting:report_submit", args=[report.pk]))
    p = as_prefecture()
    p.post(reverse("reporting:report_approve", args=[report.pk]))

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert [(t.from_status, t.to_status) for t in report.transitions.all()] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
        ("approved", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    assert report.transitions.get(to_status="submitted", from_status="draft").comment == "よろしくお願いします"
    assert AuditEvent.objects.filter(action=AuditAction.APPROVE).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.REOPEN, detail__contains="経費の記載漏れ").count() == 1
    assert p.get(reverse("reporting:report_pdf", args=[report.pk])).content != approved_pdf


def test_report_page_queries_do_not_grow_with_history(
    client_for, coordinator_a, prefecture_user, peer_report_a, django_assert_max_num_queries
):
    from reporting.services import report_return, report_submit

    client = client_for(coordinator_a)
    url = reverse("reporting:report_detail", args=[peer_report_a.pk])
    report_submit(report=peer_report_a, by=coordinator_a)
    report_return(report=peer_report_a, by=prefecture_user, comment="1")
    # The peer-support builder's figures are a fixed number of grouped queries (see test_peer_report).
    with django_assert_max_num_queries(45) as few:
        client.get(url)
    for number in range(5):
        report_submit(report=peer_report_a, by=coordinator_a)
        report_return(report=peer_report_a, by=prefecture_user, comment=str(number))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
