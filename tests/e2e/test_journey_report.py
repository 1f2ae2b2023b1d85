"""Journey 4: the annual report from draft to approval, and the year lock that follows (要綱第5条6)."""

import re
from datetime import date

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import PeriodLock, Role
from accounts.wareki import fiscal_year_label, fiscal_year_of, to_wareki
from peers.models import Activity
from reporting.models import AnnualReport, ReportStatus
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.factories import make_user
from tests.peers.factories import (
    ActivityFactory,
    ContractFactory,
    CoordinatorFactory,
    PledgeFactory,
    SupporterFactory,
    add_supporter,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def open_menu(page, name: str) -> None:
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=name, exact=True).click()


def log_out(page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("button", name="ログイン")).to_be_visible(timeout=WAIT)


def open_report(page) -> None:
    open_menu(page, "実績報告書")
    row = page.get_by_role("row").filter(has_text="社会福祉法人Ａ会")
    row.get_by_role("link", name="開く").click()
    expect(page.get_by_role("region", name="報告書の操作")).to_be_visible(timeout=WAIT)


def act(page, action: str, comment: str, done: str) -> None:
    """Press a workflow button on the report, write the comment on the confirmation page, confirm."""
    page.get_by_role("region", name="報告書の操作").get_by_role("link", name=action).click()
    expect(page.get_by_role("heading", name=f"{action}：確認")).to_be_visible(timeout=WAIT)
    if comment:
        page.get_by_role("textbox").fill(comment)
    page.get_by_role("button", name=action).click()
    expect(page.get_by_text(done)).to_be_visible(timeout=WAIT)


def test_annual_report_is_returned_fixed_approved_and_then_locks_the_year(
    page, log_in, screenshot, axe, contractor_a, coordinator_a
):
    # Last 年度's records, as the contractor kept them through the year.
    year = fiscal_year_of(timezone.localdate()) - 1
    ContractFactory(
        organisation=contractor_a, fiscal_year=year, start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31)
    )
    coordinator = CoordinatorFactory(organisation=contractor_a, user=coordinator_a)
    supporter = SupporterFactory(organisation=contractor_a, start_date=date(year, 4, 1))
    PledgeFactory(supporter=supporter, signed_on=date(year, 4, 1))
    activity_day = date(year, 11, 2)
    activity = ActivityFactory(organisation=contractor_a, coordinator=coordinator, date=activity_day, participants=6)
    add_supporter(activity, supporter)
    prefecture = make_user(Role.PREFECTURE, username="pref-e2e")
    TOTPDevice.objects.create(user=prefecture, name="phone", confirmed=True)
    label = fiscal_year_label(year)

    # The contractor starts last year's report: the completeness check lists what is missing.
    log_in(coordinator_a)
    open_menu(page, "実績報告書")
    page.get_by_role("button", name="作成を始める").click()
    expect(page.get_by_text(f"{label}の実績報告書を開きました。")).to_be_visible(timeout=WAIT)
    findings = page.locator("ul.findings")
    expect(findings).to_contain_text("「事業の成果」が未記入です。")
    expect(findings).to_contain_text("「課題及び今後の取組」が未記入です。")
    page.get_by_label("事業の成果").fill("院内グループワークを通じて2名が退院した。")
    page.get_by_label("事業の効果").fill("病院と地域の支援者の連携が深まった。")
    page.get_by_label("課題及び今後の取組").fill("ピアサポーターの確保と養成。")
    page.get_by_role("button", name="記述を保存する").click()
    expect(page.get_by_text("記述を保存しました。")).to_be_visible(timeout=WAIT)
    # The texts are in: nothing is left to correct, only reminders to check (months without records).
    expect(findings).not_to_contain_text("未記入", timeout=WAIT)
    expect(findings.locator(".badge.err")).to_have_count(0)
    expect(page.get_by_text("「要修正」の項目があるうちは提出できません。")).to_have_count(0)
    screenshot("journey4-report-draft")
    expect_no_serious_violations(axe())
    act(page, "県に提出する", "よろしくお願いいたします。", "実績報告書を県に提出しました。")
    expect(page.get_by_text("県が審査中です。")).to_be_visible()
    log_out(page)

    # Prefecture staff (with the second factor) send it back with a comment.
    log_in(prefecture)
    open_report(page)
    act(page, "差し戻す", "病院別の退院者数の内訳を追記してください。", "実績報告書を差し戻しました。")
    log_out(page)

    # The contractor sees the comment, fixes the text and submits again.
    log_in(coordinator_a)
    open_report(page)
    notice = page.get_by_role("alert").filter(has_text="県から差し戻されました")
    expect(notice).to_contain_text("病院別の退院者数の内訳を追記してください。")
    screenshot("journey4-report-returned", phone=True)
    expect_fits_phone_width(page)
    page.get_by_label("事業の成果").fill("院内グループワークを通じて2名が退院した（朝霞台病院1名、さくら病院1名）。")
    page.get_by_role("button", name="記述を保存する").click()
    expect(page.get_by_text("記述を保存しました。")).to_be_visible(timeout=WAIT)
    act(page, "県に提出する", "", "実績報告書を県に提出しました。")
    log_out(page)

    # Prefecture approves: the year is frozen.
    log_in(prefecture)
    open_report(page)
    expect(page.locator(".report-paper").get_by_text("朝霞台病院1名、さくら病院1名")).to_be_visible()
    act(page, "承認する", "", "実績報告書を承認し、年度の記録を確定しました。")
    report = AnnualReport.objects.get(organisation=contractor_a)
    assert report.status == ReportStatus.APPROVED
    assert PeriodLock.objects.filter(organisation=contractor_a, fiscal_year=year).exists()
    log_out(page)

    # Editing an activity of that year is refused, in Japanese, and nothing changes.
    log_in(coordinator_a)
    open_menu(page, "活動記録")
    page.get_by_role("link", name=to_wareki(activity_day)).click()
    page.get_by_role("link", name="変更", exact=True).click()
    page.get_by_label("参加者数").fill("8")
    page.get_by_role("button", name="保存する").click()
    lock = re.compile(rf"{label}の.*実績報告書は承認済みのため、この年度の記録は登録・変更・削除できません。")
    expect(page.get_by_text(lock)).to_be_visible(timeout=WAIT)
    screenshot("journey4-year-locked")
    assert Activity.objects.get(pk=activity.pk).participants == 6
