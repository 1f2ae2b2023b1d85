"""Browser check (Playwright + Chromium) of the report screens: the drill-down link, the district
summary and the overview charts render under the strict CSP and pass axe-core."""

# ruff: noqa: F811  (the e2e fixtures are imported, then named as test arguments)

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import HealthCentre, Program, Role
from reporting.services import report_get_or_create_draft
from tests.e2e.conftest import (  # noqa: F401  (the e2e fixtures, reused here)
    axe,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    screenshot,
)
from tests.factories import make_user
from tests.reporting.peer_year import YEAR, build_peer_year

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_follows_a_figure_to_the_records_behind_it(page, log_in, axe, contractor_a, contractor_b):
    build_peer_year(contractor_a, contractor_b)
    user = make_user(Role.COORDINATOR, contractor_a, username="coord-e2e")
    report = report_get_or_create_draft(
        organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=YEAR, by=user
    )
    log_in(user)
    page.goto(f"{page.url.rstrip('/')}/reporting/{report.pk}/")
    assert page.get_by_role(
        "heading", name="第4条1(1)ア 精神科病院等での支援（病院別・月別）", exact=False
    ).is_visible()
    assert axe() == []
    page.locator("#section-supporters a").first.click()
    assert page.locator(".figure-count").inner_text() == "3"
    assert page.locator("table.figure-records tbody tr").count() == 3


def test_prefecture_sees_district_summary_and_overview_charts(
    page, log_in, axe, screenshot, contractor_a, contractor_b
):
    build_peer_year(contractor_a, contractor_b)
    user = make_user(Role.PREFECTURE, username="pref-e2e-reports")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(user)
    base = page.url.rstrip("/")
    page.goto(f"{base}/reporting/overview/?fiscal_year={YEAR}")
    # Two peer-support charts and the outreach panel's three: contacts, weekend/holiday contacts, outcomes.
    assert page.locator("svg[role=img]").count() == 5
    assert axe() == []
    screenshot("reports-overview-charts")
    code = HealthCentre.objects.get(name="朝霞保健所").code
    page.goto(f"{base}/reporting/districts/?fiscal_year={YEAR}")
    page.get_by_role("link", name="朝霞保健所").click()
    assert page.get_by_text("<3").first.is_visible()
    assert code in page.url
    assert axe() == []
    screenshot("reports-district-summary")
