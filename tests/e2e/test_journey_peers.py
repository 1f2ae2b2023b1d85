"""Journeys 1 and 2: a coordinator's day in the peer-support program (要綱第4条・第5条5)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peers.models import Activity, ActivitySupporter, PeerSupporter, Pledge, SupporterConditions
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.peers.factories import ConditionsFactory, PledgeFactory, SupporterFactory, asaka_hospital

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def open_menu(page, name: str) -> None:
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=name, exact=True).click()


def save(page) -> None:
    page.get_by_role("button", name="保存する").click()


def test_coordinator_registers_a_supporter_and_records_a_hospital_group_work(page, log_in, screenshot, axe, peer_setup):
    today = timezone.localdate()
    hospital = asaka_hospital()
    log_in(peer_setup.coordinator.user)

    # A new supporter, with the conditions told to them and their signed pledge (要綱第5条5).
    open_menu(page, "ピアサポーター")
    page.get_by_role("link", name="新規登録").click()
    page.get_by_label("氏名").fill("仲間 一郎")
    page.get_by_label("フリガナ").fill("ナカマ イチロウ")
    page.get_by_label("活動開始日").fill(f"{today:%Y-%m-%d}")
    save(page)
    expect(page.get_by_text("ピアサポーターを登録しました。")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("本日有効な誓約書がありません。")).to_be_visible()

    page.get_by_role("link", name="活動条件の説明を登録").click()
    page.get_by_label("活動内容").fill("院内グループワークへの参加")
    page.get_by_label("時給（円）").fill("1100")
    page.get_by_label("想定する活動時間").fill("月8時間程度")
    save(page)
    expect(page.get_by_role("cell", name="院内グループワークへの参加")).to_be_visible(timeout=WAIT)

    page.get_by_role("link", name="誓約書を登録").click()
    expect(page.get_by_label("署名日")).to_have_value(f"{today:%Y-%m-%d}")
    page.get_by_label("説明した個人情報保護取扱い特記事項の版").fill("令和8年4月改定版")
    save(page)
    expect(page.get_by_text("誓約書を登録しました。")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("本日有効な誓約書あり")).to_be_visible()
    supporter = PeerSupporter.objects.get(name="仲間 一郎")
    assert SupporterConditions.objects.get(supporter=supporter).hourly_pay == 1100
    assert Pledge.objects.filter(supporter=supporter).count() == 1

    # Today's group work at the hospital, with that supporter's 1.5 hours; the pay is worked out.
    open_menu(page, "活動記録")
    page.get_by_role("link", name="新規登録").click()
    page.get_by_label("種別").select_option(label="院内グループワーク")
    expect(page.get_by_label("活動日")).to_have_value(f"{today:%Y-%m-%d}")
    page.get_by_label("病院").select_option(label=hospital.name)
    page.get_by_label("参加者数").fill("6")
    first_row = page.get_by_role("row").filter(has=page.locator("select[name='supporters-0-supporter']"))
    first_row.get_by_role("combobox").select_option(label="仲間 一郎（ナカマ イチロウ）")
    first_row.get_by_role("spinbutton").first.fill("1.5")
    screenshot("journey1-activity-form")
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())
    save(page)
    expect(page.get_by_text("活動記録を登録しました。")).to_be_visible(timeout=WAIT)
    row = ActivitySupporter.objects.get(supporter=supporter)
    assert (row.activity.kind, row.activity.hospital, row.hours, row.pay) == ("hospital_group", hospital, 1.5, 1650)

    # The month view shows it on today's line.
    open_menu(page, "月間表示")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{today.year}年{today.month}月", timeout=WAIT)
    today_row = page.locator("tr[aria-current='date']")
    expect(today_row).to_contain_text("院内グループワーク")
    expect(today_row).to_contain_text(hospital.name)
    expect(today_row).to_contain_text("仲間 一郎")
    expect(page.get_by_text("この月の活動：1件")).to_be_visible()
    screenshot("journey1-month-view")
    screenshot("journey1-month-view", phone=True)
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())


def test_a_supporter_whose_pledge_lapsed_cannot_be_put_on_an_activity(page, log_in, screenshot, axe, peer_setup):
    today = timezone.localdate()
    hospital = asaka_hospital()
    organisation = peer_setup.contract.organisation
    supporter = SupporterFactory(organisation=organisation, name="期限 切子", name_kana="キゲン キリコ")
    ConditionsFactory(supporter=supporter, told_on=today - timedelta(days=400))
    PledgeFactory(supporter=supporter, signed_on=today - timedelta(days=400), valid_until=today - timedelta(days=1))
    log_in(peer_setup.coordinator.user)

    open_menu(page, "活動記録")
    page.get_by_role("link", name="新規登録").click()
    page.get_by_label("種別").select_option(label="院内グループワーク")
    page.get_by_label("病院").select_option(label=hospital.name)
    page.get_by_label("参加者数").fill("4")
    # The choice itself warns that the pledge is not valid on the activity date.
    page.get_by_label("1行目のピアサポーター").select_option(label="期限 切子（キゲン キリコ）（有効な誓約書なし）")
    page.get_by_label("1行目の活動時間（時間）").fill("2")
    save(page)

    alert = page.get_by_role("alert").filter(has_text="入力内容を確認してください。")
    expect(alert).to_contain_text("活動したピアサポーターの欄に誤りがあります。", timeout=WAIT)
    refusal = rf"ピアサポーター「期限 切子」は活動日（令和\d+年{today.month}月{today.day}日）に有効な誓約書がない"
    expect(page.get_by_text(re.compile(refusal))).to_be_visible()
    expect(page.get_by_text("先に誓約書を登録してください（要綱第5条5）。")).to_be_visible()
    # What the coordinator typed is still there to correct.
    expect(page.get_by_label("参加者数")).to_have_value("4")
    expect(page.get_by_label("1行目の活動時間（時間）")).to_have_value("2")
    screenshot("journey2-lapsed-pledge-error")
    screenshot("journey2-lapsed-pledge-error", phone=True)
    expect_no_serious_violations(axe())

    assert not Activity.objects.exists()
    assert not ActivitySupporter.objects.exists()
    assert Pledge.objects.get(supporter=supporter).valid_until == today - timedelta(days=1)
