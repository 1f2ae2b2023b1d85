"""The prefecture overview's outreach panel: agencies side by side, their report's state, charts."""

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


def _row(panel, agency):
    return next(r for r in panel["rows"] if r.current.agency_id == agency.pk)


def _figures(contractor, agency):
    return builder_for(Program.OUTREACH).build(contractor, YEAR, agency=agency)["figures"]


def test_key_figures_per_agency_with_the_previous_year(year_a, contractor_b):
    panel = outreach_overview_panel(YEAR)
    kasukabe = _row(panel, year_a.agency_1)
    a1 = kasukabe.current
    assert (a1.contractor_name, a1.agency_name) == ("社会福祉法人Ａ会", "Ａ会 春日部自立相談支援センター")
    assert (a1.clients, a1.new_clients, a1.contacts) == (3, 1, 5)
    assert (a1.outside_hours, a1.first_connections, a1.plans, a1.linkages, a1.employed) == (3, 1, 2, 2, 1)
    assert a1.contract_amount == 12_000_000
    assert a1.contacts_by_month == [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (kasukabe.previous.contacts, kasukabe.previous.plans, kasukabe.previous.linkages) == (1, 1, 1)
    assert kasukabe.change("contacts") == 4
    a2 = _row(panel, year_a.agency_2).current
    assert (a2.clients, a2.new_clients, a2.contacts, a2.outside_hours, a2.plans, a2.linkages) == (1, 1, 1, 1, 0, 1)
    assert a2.contract_amount == 8_000_000
    b = next(r.current for r in panel["rows"] if r.current.organisation_id == contractor_b.pk)
    assert (b.clients, b.contacts, b.plans, b.linkages) == (1, 1, 1, 1)
    assert panel["totals"]["contacts"] == (7, 1)


@pytest.mark.parametrize("which", ["agency_1", "agency_2"])
def test_the_numbers_match_the_agencys_report(year_a, contractor_a, which):
    agency = getattr(year_a, which)
    summary = _figures(contractor_a, agency).summary
    row = _row(outreach_overview_panel(YEAR), agency).current
    assert row.clients == summary["clients"]["total"]
    assert row.new_clients == summary["clients"]["new"]
    assert row.contacts == summary["flags"]["total"]
    assert row.outside_hours == summary["flags"]["any"]
    assert row.first_connections == summary["flags"]["first_connection"]
    assert row.plans == summary["plans_and_meetings"]["plans_made"]
    assert row.linkages == sum(summary["linkages"].values())
    assert row.employed == summary["outcomes"]["employed"]
    assert row.contacts_by_month == summary["contacts_by_month"]


def test_the_monthly_chart_figures_match_the_agencys_report(year_a, contractor_a):
    figures = _figures(contractor_a, year_a.agency_1)
    row = _row(outreach_overview_panel(YEAR), year_a.agency_1).current
    assert row.outside_hours_by_month == figures.flags_by_month["any"]
    assert sum(row.outside_hours_by_month) == figures.summary["flags"]["any"] > 0
    by_kind = figures.outcomes_by_kind_and_month.values()
    assert row.outcomes_by_month == [sum(column) for column in zip(*by_kind, strict=True)]
    assert sum(row.outcomes_by_month) == sum(figures.summary["outcomes"].values()) > 0


def test_each_agencys_report_state(year_a, contractor_a, outreach_worker_a):
    report = report_get_or_create_draft(
        organisation=contractor_a,
        program=Program.OUTREACH,
        fiscal_year=YEAR,
        by=outreach_worker_a,
        agency=year_a.agency_1,
    )
    report_submit(report=report, by=outreach_worker_a)
    panel = outreach_overview_panel(YEAR)
    assert (_row(panel, year_a.agency_1).status, _row(panel, year_a.agency_1).report_id) == ("submitted", report.pk)
    assert (_row(panel, year_a.agency_2).status_label, _row(panel, year_a.agency_2).report_id) == ("未着手", None)


def test_overview_page_shows_the_outreach_panel_and_its_charts(year_a, client_for, prefecture_user):
    page = client_for(prefecture_user).get(reverse("reporting:overview"), {"fiscal_year": YEAR})
    assert page.status_code == 200
    assert "自立相談支援機能強化事業：機関の比較" in page.text
    assert "<title>月別の対応件数（アウトリーチ・全機関）</title>" in page.text
    assert "<title>月別の土日祝日・時間外の対応件数（アウトリーチ・全機関）</title>" in page.text
    assert "<title>月別の支援の成果（全種別・アウトリーチ・全機関）</title>" in page.text
    section = page.text.split('class="outreach-overview"', 1)[1]
    assert "前年度比 +4" in section and "12,000,000" in section and "Ａ会 越谷自立相談支援センター" in section
    assert len(re.findall(r"<svg[^>]*>", section)) == 3


def test_outreach_panel_queries_do_not_grow_with_records(
    year_a, client_for, prefecture_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        outreach_overview_panel(YEAR)
    assert len(small) == 15
    add_more_records(year_a.agency_1, year_a.worker_1, 25)
    with django_assert_max_num_queries(15):
        outreach_overview_panel(YEAR)
