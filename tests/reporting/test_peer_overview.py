"""The prefecture overview's peer-support panel: contractors side by side, year on year, SVG charts."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from peers.models import ActivityKind
from reporting.charts import bar_chart
from reporting.overview_panels import peer_overview_panel
from tests.peers.factories import ActivityFactory
from tests.reporting.peer_year import YEAR, add_more_records, build_peer_year


@pytest.fixture
def year_a(contractor_a, contractor_b):
    built = build_peer_year(contractor_a, contractor_b)
    return built


def test_contractors_side_by_side_with_the_previous_year(year_a, contractor_a, contractor_b):
    panel = peer_overview_panel(YEAR)
    rows = {row.current.name: row for row in panel["rows"]}
    a = rows["社会福祉法人Ａ会"]
    assert (a.current.activities, a.current.participants, a.current.discharges) == (6, 26, 1)
    assert (a.current.supporters, a.current.paid_hours, a.current.pay) == (3, 11.5, 12650)
    assert (a.current.spent, a.current.contract_amount) == (3_112_650, 3_000_000)
    assert a.previous.activities == 1 and a.change("activities") == 5
    b = rows["特定非営利活動法人Ｂ"]
    assert (b.current.activities, b.current.participants, b.current.discharges, b.current.spent) == (1, 9, 1, 50_000)
    assert panel["totals"]["activities"] == (7, 1)


def test_the_numbers_match_the_contractors_report(year_a, contractor_a):
    from peers.selectors.report import peer_report_figures

    figures = peer_report_figures(organisation=contractor_a, fiscal_year=YEAR)
    row = next(r for r in peer_overview_panel(YEAR)["rows"] if r.current.organisation_id == contractor_a.pk)
    assert row.current.activities == figures.sessions
    assert row.current.participants == figures.participants
    assert row.current.discharges == figures.summary.people_discharged
    assert row.current.supporters == figures.summary.supporters_registered
    assert row.current.pay == figures.summary.pay_total


def test_bar_chart_has_a_text_alternative_with_every_value():
    chart = bar_chart("月別の活動回数", ["4月", "5月"], [("令和7年度", [3, 0]), ("令和6年度", [1, 2])], unit="回")
    assert chart.description == "令和7年度：4月3回、5月0回（計3回）。令和6年度：4月1回、5月2回（計3回）"
    assert len(chart.bars) == 4 and chart.bars[1].height == 0
    assert max(bar.height for bar in chart.bars) <= chart.baseline


def test_overview_page_shows_the_panel_and_svg_charts(year_a, client_for, prefecture_user):
    page = client_for(prefecture_user).get(reverse("reporting:overview"), {"fiscal_year": YEAR})
    assert page.status_code == 200
    assert "受託事業者の比較" in page.text and "前年度比 +5" in page.text
    svgs = re.findall(r"<svg[^>]*>", page.text.split('class="outreach-overview"', 1)[0])
    assert len(svgs) == 2
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert "<title>月別の活動回数（全受託事業者）</title>" in page.text
    assert "<script" not in page.text.split("<main", 1)[1]
    assert "超過" in page.text


def test_overview_queries_do_not_grow_with_records(year_a, client_for, prefecture_user, django_assert_max_num_queries):
    client = client_for(prefecture_user)
    url = f"{reverse('reporting:overview')}?fiscal_year={YEAR}"
    with django_assert_max_num_queries(40) as baseline:
        assert client.get(url).status_code == 200
    add_more_records(year_a.contract.organisation, year_a.coordinator, year_a.s1, year_a.h1, 18)
    ActivityFactory(
        organisation=year_a.contract.organisation,
        coordinator=year_a.coordinator,
        kind=ActivityKind.HOME_VISIT,
        date=date(2025, 8, 1),
        start_time=time(10, 0),
        end_time=time(11, 0),
        district=year_a.h1.health_centre,
    )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url).status_code == 200
