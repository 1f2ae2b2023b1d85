from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditEvent


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "correct-horse-battery"})


def test_prefecture_staff_must_enrol_before_using_the_app(client, prefecture_user):
    _password_login(client, "pref")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_enrolment_confirms_with_a_code_and_shows_backup_codes(client, prefecture_user):
    _password_login(client, "pref")
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.text  # the QR code
    device = TOTPDevice.objects.get(user=prefecture_user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"token": _code(device)})
    assert response.status_code == 200
    assert "バックアップコード" in response.text
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=prefecture_user).count() == 10
    assert client.get(reverse("home")).status_code == 200


def test_wrong_enrolment_code_is_refused_in_japanese(client, prefecture_user):
    _password_login(client, "pref")
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"token": "000000x"})
    assert "確認コードが正しくありません" in response.text
    assert not TOTPDevice.objects.filter(user=prefecture_user, confirmed=True).exists()


def test_enrolled_user_is_asked_for_the_code_after_the_password(client, prefecture_user):
    device = TOTPDevice.objects.create(user=prefecture_user, name="phone", confirmed=True)
    _password_login(client, "pref")
    response = client.get(reverse("accounts:audit_list"))
    assert response.url.startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"token": "123456", "next": "/accounts/audit/"})
    assert "確認コードが正しくありません" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, user=prefecture_user).exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each failure makes the next try wait longer
    device.throttle_reset()  # as if the waiting time had passed
    response = client.post(reverse("two_factor_verify"), {"token": _code(device), "next": "/accounts/audit/"})
    assert response.status_code == 302
    assert response.url == "/accounts/audit/"
    assert client.get(reverse("accounts:audit_list")).status_code == 200


def test_backup_code_works_once(client, prefecture_user):
    from accounts.two_factor import new_backup_codes

    TOTPDevice.objects.create(user=prefecture_user, name="phone", confirmed=True)
    code = new_backup_codes(prefecture_user)[0]
    _password_login(client, "pref")
    assert client.post(reverse("two_factor_verify"), {"token": code}).status_code == 302
    client.post(reverse("logout"))
    _password_login(client, "pref")
    response = client.post(reverse("two_factor_verify"), {"token": code})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.text


def test_second_factor_is_optional_for_contractor_staff(client, coordinator_a):
    _password_login(client, "coord-a")
    assert client.get(reverse("home")).status_code == 200


def test_organisation_can_require_second_factor(client, contractor_a, coordinator_a):
    contractor_a.require_two_factor = True
    contractor_a.save()
    _password_login(client, "coord-a")
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_setup"))


def test_optional_user_who_enrolled_is_asked_for_the_code(client, coordinator_a):
    TOTPDevice.objects.create(user=coordinator_a, name="phone", confirmed=True)
    _password_login(client, "coord-a")
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_verify"))


def test_required_user_cannot_disable(client_for, prefecture_user):
    client = client_for(prefecture_user)
    response = client.post(reverse("two_factor_disable"), follow=True)
    assert "解除できません" in response.text
    assert TOTPDevice.objects.filter(user=prefecture_user).exists()


def test_open_redirect_through_next_is_refused(client, prefecture_user):
    device = TOTPDevice.objects.create(user=prefecture_user, name="phone", confirmed=True)
    _password_login(client, "pref")
    response = client.post(reverse("two_factor_verify"), {"token": _code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_role_required_for_unlock_screen(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("accounts:lockout_list")).status_code == 403
