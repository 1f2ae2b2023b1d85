"""Journey 7: prefecture staff sign in with TOTP, read the overview with its charts, download a PDF."""

from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Program, Role
from accounts.wareki import fiscal_year_label
from reporting.services import report_get_or_create_draft, report_submit, report_update_texts
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.factories import OrganisationFactory, make_user
from tests.reporting.conftest import complete_contractor
from tests.reporting.peer_year import YEAR, build_peer_year

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def test_prefecture_reads_the_overview_charts_and_downloads_a_report_pdf(
    page, log_in, screenshot, axe, contractor_a, contractor_b
):
    build_peer_year(contractor_a, contractor_b)
    # A third contractor, whose report for the year is in and waits for review.
    contractor_c = OrganisationFactory(code="contractor-c", name="社会福祉法人Ｃ会")
    complete_contractor(contractor_c, YEAR)
    coordinator_c = make_user(Role.COORDINATOR, contractor_c, username="coord-c")
    report = report_get_or_create_draft(
        organisation=contractor_c, program=Program.PEER_SUPPORT, fiscal_year=YEAR, by=coordinator_c
    )
    report_update_texts(
        report=report,
        by=coordinator_c,
        outcomes_text="院内グループワークを通じて2名が退院した。",
        effects_text="病院と地域の支援者の連携が深まった。",
        issues_text="ピアサポーターの確保と養成。",
    )
    report_submit(report=report, by=coordinator_c)
    prefecture = make_user(Role.PREFECTURE, username="pref-e2e-overview")
    TOTPDevice.objects.create(user=prefecture, name="phone", confirmed=True)

    log_in(prefecture)  # the password, then the code from the authenticator app
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="提出状況の概観", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(fiscal_year_label(YEAR), timeout=WAIT)
    charts = page.locator("figure.chart svg[role=img]")
    # peer support: activities, discharges; outreach: contacts, weekend/holiday/after-hours contacts, outcomes
    expect(charts).to_have_count(5)
    for index in range(5):
        chart = charts.nth(index)
        expect(chart).to_be_visible()
        assert chart.get_attribute("aria-label")  # a text alternative for screen readers
    activity_chart = page.locator("figure.chart", has_text="月別の活動回数").locator("svg")
    assert activity_chart.locator("rect").count() > 2  # bars, not an empty frame
    waiting = page.get_by_role("listitem").filter(has_text="審査待ち：")
    expect(waiting).to_contain_text("社会福祉法人Ｃ会")
    screenshot("journey7-overview-charts")
    screenshot("journey7-overview-charts", phone=True)
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())

    # The submitted report, opened from the overview, as a PDF.
    waiting.get_by_role("link").click()
    expect(page.get_by_role("region", name="報告書の操作")).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=60000) as download_info:
        page.get_by_role("link", name="PDFをダウンロード").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 10_000
