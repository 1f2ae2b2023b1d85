"""The comparison of all districts reads the same figures as each district's page, without the hospital tables."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import HealthCentre
from peers.selectors.report import district_years
from reporting.district import district_sections
from tests.peers.factories import HealthCentreActivityFactory
from tests.reporting.peer_year import YEAR, build_peer_year


@pytest.fixture
def year_a(contractor_a, contractor_b, health_centre_user):
    built = build_peer_year(contractor_a, contractor_b)
    HealthCentreActivityFactory(organisation=health_centre_user.organisation, date=date(2025, 10, 20))
    return built


def _figures(entry) -> tuple:
    return (
        {kind: (counts.sessions, counts.participants) for kind, counts in entry.by_kind.items()},
        entry.discharges_by_month,
        entry.hc_activities,
    )


def test_district_years_without_detail_have_the_same_monthly_figures(year_a):
    detailed = district_years(fiscal_year=YEAR)
    brief = district_years(fiscal_year=YEAR, detail=False)
    assert brief.keys() == detailed.keys()
    assert any(sum(entry.sessions_by_month) for entry in brief.values())
    assert any(entry.discharges for entry in brief.values())
    for district_id, entry in brief.items():
        assert _figures(entry) == _figures(detailed[district_id])
        assert entry.by_hospital == [] and entry.by_contractor == []
    assert any(entry.by_hospital for entry in detailed.values())


def test_every_district_row_of_the_comparison_matches_its_own_page(year_a, client_for, prefecture_user):
    client = client_for(prefecture_user)
    page = client.get(reverse("reporting:district_index"), {"fiscal_year": YEAR})
    rows = {row[0]: row[1:4] for row in page.context["section"].rows}
    assert len(rows) == HealthCentre.objects.count()
    entries = district_years(fiscal_year=YEAR)
    for district in HealthCentre.objects.all():
        overview = next(s for s in district_sections(entries[district.pk]) if s.key == "overview")
        assert rows[district.name] == [row[1] for row in overview.rows], district.name
