import pytest
from django.urls import reverse

from accounts.models import Program
from reporting.services import report_approve, report_reopen, report_return, report_submit
from tests.factories import OrganisationFactory


def _statuses(response):
    return {(row.organisation.name, row.program): row.status for row in response.context["overview"].rows}


def test_overview_shows_every_contractor_and_program_with_counts_and_reminders(
    client_for, prefecture_user, coordinator_a, peer_report_a, outreach_report_a, outreach_worker_a, contractor_b
):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    report_reopen(report=peer_report_a, by=prefecture_user, reason="入力漏れ")
    report_submit(report=outreach_report_a, by=outreach_worker_a)
    report_return(report=outreach_report_a, by=prefecture_user, comment="課題を具体的に")
    response = client_for(prefecture_user).get(reverse("reporting:overview"), {"fiscal_year": 2025})
    assert response.status_code == 200
    assert _statuses(response) == {
        ("社会福祉法人Ａ会", Program.PEER_SUPPORT): "returned",
        ("社会福祉法人Ａ会", Program.OUTREACH): "returned",
        ("特定非営利活動法人Ｂ", Program.PEER_SUPPORT): "not_started",
        ("特定非営利活動法人Ｂ", Program.OUTREACH): "not_started",
    }
    counts = {status: count for status, _label, count in response.context["overview"].counts}
    assert counts == {"not_started": 2, "draft": 0, "submitted": 0, "returned": 2, "approved": 0}
    assert "確定解除後、再承認待ち" in response.text
    assert "差戻し中" in response.text and "課題を具体的に" in response.text
    assert "未提出（未着手）：特定非営利活動法人Ｂ" in response.text


def _grow(count, make_report, by=None):
    for _ in range(count):
        organisation = OrganisationFactory()
        make_report(organisation, Program.PEER_SUPPORT)
        make_report(organisation, Program.OUTREACH)


@pytest.mark.parametrize("url_name", ["reporting:report_list", "reporting:overview"])
def test_report_list_and_overview_queries_do_not_grow_with_reports(
    client_for, prefecture_user, make_report, django_assert_max_num_queries, url_name
):
    client = client_for(prefecture_user)
    _grow(2, make_report)
    # The overview adds the peer-support panel (six grouped queries for each of two 年度) and the
    # outreach panel (seventeen queries, its three charts included).
    with django_assert_max_num_queries(12 if url_name == "reporting:report_list" else 41) as small:
        client.get(reverse(url_name), {"fiscal_year": 2025})
    _grow(15, make_report)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(reverse(url_name), {"fiscal_year": 2025})
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_contractor_report_list_queries_are_bounded(
    client_for, coordinator_a, peer_report_a, django_assert_max_num_queries
):
    client = client_for(coordinator_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:report_list"), {"fiscal_year": 2025}).status_code == 200
