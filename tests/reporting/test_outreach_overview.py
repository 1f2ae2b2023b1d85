"""The prefecture overview's outreach panel: contractors side by side, their report's state, a chart."""

import re

import pytest
from django.urls import reverse

from accounts.models import Program
from reporting.overview_panels import outreach_overview_panel
from reporting.registry import builder_for
from reporting.services import report_get_or_create_draft, report_submit
from tests.reporting.outreach_year import YEAR, add_more_records, build_outreach_year


@pytest.fixture
def year_a(contractor_a, contractor_b, outreach_worker_a, outreach_worker_b):
    return build_outreach_year(contractor_a, contractor_b, outreach_worker_a, outreach_worker_b)


def _row(panel, organisation):
    return next(r for r in panel["rows"] if r.current.organisation_id == organisation.pk)


def test_key_figures_per_contractor_with_the_previous_year(year_a, contractor_a, contractor_b):
    panel = outreach_overview_panel(YEAR)
    a = _row(panel, contractor_a).current
    assert (a.agencies, a.clients, a.new_clients, a.contacts) == (2, 4, 2, 6)
    assert (a.outside_hours, a.first_connections, a.plans, a.linkages, a.employed) == (4, 2, 2, 3, 1)
    assert a.contract_amount == 20_000_000
    assert a.contacts_by_month == [1, 2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    previous = _row(panel, contractor_a).previous
    assert (previous.contacts, previous.plans, previous.linkages) == (1, 1, 1)
    assert _row(panel, contractor_a).change("contacts") == 5
    b = _row(panel, contractor_b).current
    assert (b.clients, b.contacts, b.plans, b.linkages) == (1, 1, 1, 1)
    assert panel["totals"]["contacts"] == (7, 1)


def test_the_numbers_match_the_contractors_report(year_a, contractor_a):
    summary = builder_for(Program.OUTREACH).build(contractor_a, YEAR)["figures"].summary
    row = _row(outreach_overview_panel(YEAR), contractor_a).current
    assert row.clients == summary["clients"]["total"]
    assert row.new_clients == summary["clients"]["new"]
    assert row.contacts == summary["flags"]["total"]
    assert row.outside_hours == summary["flags"]["any"]
    assert row.first_connections == summary["flags"]["first_connection"]
    assert row.plans == summary["plans_and_meetings"]["plans_made"]
    assert row.linkages == sum(summary["linkages"].values())
    assert row.employed == summary["outcomes"]["employed"]
    assert row.contacts_by_month == summary["contacts_by_month"]


def test_the_monthly_chart_figures_match_the_contractors_report(year_a, contractor_a):
    figures = builder_for(Program.OUTREACH).build(contractor_a, YEAR)["figures"]
    row = _row(outreach_overview_panel(YEAR), contractor_a).current
    assert row.outside_hours_by_month == figures.flags_by_month["any"]
    assert sum(row.outside_hours_by_month) == figures.summary["flags"]["any"] > 0
    by_kind = figures.outcomes_by_kind_and_month.values()
    assert row.outcomes_by_month == [sum(column) for column in zip(*by_kind, strict=True)]
    assert sum(row.outcomes_by_month) == sum(figures.summary["outcomes"].values()) > 0


def test_each_contractors_report_state(year_a, contractor_a, contractor_b, outreach_worker_a):
    report = report_get_or_create_draft(
        organisation=contractor_a, program=Program.OUTREACH, fiscal_year=YEAR, by=outreach_worker_a
    )
    report_submit(report=report, by=outreach_worker_a)
    panel = outreach_overview_panel(YEAR)
    assert (_row(panel, contractor_a).status, _row(panel, contractor_a).report_id) == ("submitted", report.pk)
    assert (_row(panel, contractor_b).status_label, _row(panel, contractor_b).report_id) == ("未着手", None)


def test_overview_page_shows_the_outreach_panel_and_its_charts(year_a, client_for, prefecture_user):
    page = client_for(prefecture_user).get(reverse("reporting:overview"), {"fiscal_year": YEAR})
    assert page.status_code == 200
    assert "自立相談支援機能強化事業：受託事業者の比較" in page.text
    assert "<title>月別の対応件数（アウトリーチ・全受託事業者）</title>" in page.text
    assert "<title>月別の土日祝日・時間外の対応件数（アウトリーチ・全受託事業者）</title>" in page.text
    assert "<title>月別の支援の成果（全種別・アウトリーチ・全受託事業者）</title>" in page.text
    section = page.text.split('class="outreach-overview"', 1)[1]
    assert "前年度比 +5" in section and "20,000,000" in section
    assert len(re.findall(r"<svg[^>]*>", section)) == 3


def test_outreach_panel_queries_do_not_grow_with_records(
    year_a, client_for, prefecture_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        outreach_overview_panel(YEAR)
    assert len(small) == 17
    add_more_records(year_a.agency_1, year_a.worker_1, 25)
    with django_assert_max_num_queries(17):
        outreach_overview_panel(YEAR)
