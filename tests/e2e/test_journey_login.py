"""Journey 7 (start): prefecture staff log in with TOTP; every role lands on its own home page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_prefecture_staff_log_in_with_totp(page, log_in, screenshot, axe, contractor_a):
    user = make_user(Role.PREFECTURE, username="pref-e2e")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(user)
    assert page.get_by_role("heading", name="ホーム").is_visible()
    assert page.get_by_text("社会福祉法人Ａ会").is_visible()
    screenshot("journey7-prefecture-home")
    screenshot("journey7-prefecture-home", phone=True)
    assert axe() == []


def test_login_page_is_accessible_and_japanese(page, live_server, screenshot, axe):
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    screenshot("login")
    assert axe() == []


def test_wrong_password_shows_a_japanese_error(page, live_server, coordinator_a):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("ユーザー名").fill("coord-a")
    page.get_by_label("パスワード").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()
    assert page.get_by_text("正しいユーザー名とパスワードを入力してください").is_visible()
