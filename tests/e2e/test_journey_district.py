"""Journey 5: health-centre staff read their district's figures, and nothing that names a person."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.wareki import fiscal_year_label
from peers.models import Coordinator, PeerSupporter, PersonSupported, Trainee
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.outreach.factories import AgencyFactory, ClientFactory
from tests.peers.factories import HealthCentreActivityFactory
from tests.reporting.peer_year import YEAR, build_peer_year

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def identities() -> list[str]:
    """Every name and pseudonymous code in the database: none may reach a health centre."""
    from outreach.models import Client

    return [
        *PeerSupporter.objects.values_list("name", flat=True),
        *PeerSupporter.objects.values_list("name_kana", flat=True),
        *PersonSupported.objects.values_list("code", flat=True),
        *Trainee.objects.values_list("name", flat=True),
        *Coordinator.objects.values_list("name", flat=True),
        *Client.objects.values_list("name", flat=True),
        *Client.objects.values_list("number", flat=True),
    ]


def test_health_centre_staff_see_their_district_summary_and_no_client(
    page, live_server, log_in, screenshot, axe, contractor_a, contractor_b, health_centre_user
):
    build_peer_year(contractor_a, contractor_b)
    HealthCentreActivityFactory(organisation=health_centre_user.organisation, date=date(YEAR, 10, 20))
    client = ClientFactory(agency=AgencyFactory(organisation=contractor_a), name="秘密 花子", number="K-0001")
    person = PersonSupported.objects.filter(organisation=contractor_a).first()
    assert person is not None
    district = health_centre_user.organisation.health_centre

    # From the menu, like a user: the index sends them straight to their own district.
    log_in(health_centre_user)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="区域の集計", exact=True).click()
    heading = page.get_by_role("heading", level=1)  # one h1: the summary's title is not a second one
    expect(heading).to_contain_text(district.name, timeout=WAIT)
    expect(heading).to_contain_text(fiscal_year_label(YEAR))
    assert f"/reporting/districts/{district.code}/" in page.url
    paper = page.locator(".report-paper")
    expect(paper).to_contain_text("社会福祉法人Ａ会")
    expect(paper.get_by_text("<3").first).to_be_visible()  # one or two people are never shown as a number
    # Only its own district: no selector of the other districts.
    expect(page.get_by_role("navigation", name="区域の選択")).to_have_count(0)

    text = page.locator("body").inner_text()
    html = page.content()
    for identity in identities():
        assert identity not in text and identity not in html, identity

    screenshot("journey5-district-summary")
    screenshot("journey5-district-summary", phone=True)
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())

    # A client's page by URL: refused without saying whether the record exists.
    for url in (f"/outreach/clients/{client.pk}/", f"/peers/people/{person.pk}/", "/outreach/clients/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status in (403, 404), (url, response.status)
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"（40[34]）$"))
        assert client.name not in page.content() and person.code not in page.content()
    screenshot("journey5-client-refused")

    # Another district's summary by URL: 404, as if it did not exist.
    response = page.goto(f"{live_server.url}/reporting/districts/HC99/")
    assert response.status == 404
    other = type(district).objects.exclude(pk=district.pk).first()
    response = page.goto(f"{live_server.url}/reporting/districts/{other.code}/?fiscal_year={YEAR}")
    assert response.status == 404
