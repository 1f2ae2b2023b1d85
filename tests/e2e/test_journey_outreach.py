"""Journey 3: an outreach worker takes on a client, visits on a Sunday, plans and links (要綱004 3)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Municipality
from outreach.models import Client, Contact, Linkage, SocialResourceKind, SupportPlan
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.outreach.factories import AgencyFactory, ResourceFactory, WorkerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def test_outreach_worker_registers_a_client_visits_on_sunday_plans_and_links(
    page, log_in, screenshot, axe, contractor_a, outreach_worker_a
):
    # Set up by the prefecture beforehand: the agency, the worker's posting and a social resource.
    agency = AgencyFactory(organisation=contractor_a, name="Ａ会 春日部自立相談支援センター")
    WorkerFactory(user=outreach_worker_a, agency=agency)
    ResourceFactory(name="埼玉県ひきこもり地域支援センター", kind=SocialResourceKind.HIKIKOMORI_CENTRE)
    municipality = Municipality.objects.order_by("sort_order", "pk").first()
    today = timezone.localdate()
    sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    log_in(outreach_worker_a)

    # Register the client: the form states the cohort; a birth date outside it needs a reason.
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="支援対象者", exact=True).click()
    page.get_by_role("link", name="支援対象者を登録").click()
    expect(page.get_by_text("就職氷河期世代の範囲：昭和45年4月2日〜昭和61年4月1日生まれ")).to_be_visible(timeout=WAIT)
    page.get_by_label("受付日").fill(f"{sunday:%Y-%m-%d}")
    page.get_by_label("氏名").fill("埼玉 一郎")
    page.get_by_label("フリガナ").fill("さいたま いちろう")
    page.get_by_label("生年月日").fill("1990-05-01")
    page.get_by_label("性別").select_option(label="男性")
    page.get_by_label("住所の市町村").select_option(label=municipality.name)
    page.get_by_role("combobox", name=re.compile("^相談経路")).select_option(label="家族")
    expect(page.get_by_label("生活困窮者に該当する")).to_be_checked()
    page.get_by_label("(ｱ) ひきこもり状態にある").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text("入力内容に誤りがあります。", timeout=WAIT)
    expect(page.get_by_text("の外です。支援対象とする理由を入力してください（要綱3(2)ア）。")).to_be_visible(
        timeout=WAIT
    )
    assert not Client.objects.exists()
    page.get_by_label("生年月日").fill("1980-05-01")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("支援対象者を登録しました。")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("埼玉 一郎（サイタマ イチロウ）")
    details = page.locator("dl.details")
    expect(details).to_contain_text("範囲内")
    expect(details).to_contain_text("(ｱ) ひきこもり状態")
    client = Client.objects.get()
    assert (client.in_cohort, client.name_kana, client.agency) == (True, "サイタマ イチロウ", agency)

    # A home visit last Sunday, added from the client's page: flagged 土日 (要綱3(1)イ).
    page.get_by_label("日付").fill(f"{sunday:%Y-%m-%d}")
    page.get_by_label("開始時刻").fill("10:00")
    page.get_by_label("終了時刻").fill("11:00")
    page.get_by_label("種別").select_option(label="自宅訪問")
    expect(page.get_by_label("相手：本人")).to_be_checked()
    page.get_by_label("内容").fill("自宅を訪問。本人と玄関先で10分ほど話せた。")
    page.get_by_role("button", name="対応記録を追加").click()
    timeline = page.get_by_role("table")
    visit = timeline.get_by_role("row").filter(has_text="自宅を訪問。本人と玄関先で")
    expect(visit.locator(".badge", has_text="土日")).to_be_visible(timeout=WAIT)
    contact = Contact.objects.get(client=client)
    assert (contact.kind, contact.date, contact.is_weekend) == ("home_visit", sunday, True)

    # The support plan (要綱3(4)イ).
    page.get_by_role("link", name="支援計画を作成").click()
    page.get_by_label("作成日").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("目標").fill("週1回、近所のコンビニまで外出する")
    page.get_by_label("支援の種類・内容").fill("週1回の訪問面談、ひきこもり地域支援センターの見学に同行")
    page.get_by_label("次回見直し予定日").fill(f"{today + timedelta(days=90):%Y-%m-%d}")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("link", name="目標：週1回、近所のコンビニまで外出する")).to_be_visible(timeout=WAIT)
    assert SupportPlan.objects.get(client=client).made_on == today

    # The linkage (つなぎ, 要綱3(4)ウ〜サ).
    page.get_by_role("link", name="つなぎを記録").click()
    page.get_by_label("つないだ先").select_option(label="ひきこもり地域支援センター｜埼玉県ひきこもり地域支援センター")
    page.get_by_label("日付").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("結果").select_option(label="同行して相談")
    page.get_by_label("内容").fill("センターに同行し、居場所プログラムの説明を受けた。")
    page.get_by_role("button", name="保存する").click()
    expect(
        page.get_by_text("ひきこもり地域支援センター「埼玉県ひきこもり地域支援センター」：同行して相談")
    ).to_be_visible(timeout=WAIT)
    assert Linkage.objects.get(client=client).result == "accompanied"

    screenshot("journey3-client-timeline")
    screenshot("journey3-client-timeline", phone=True)
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())
