from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, OrganisationKind, Role, User


def test_seed_demo_is_idempotent_and_creates_every_log_in(db):
    call_command("seed_demo")
    call_command("seed_demo")
    expected = {
        "demo-pref": Role.PREFECTURE,
        "demo-hc": Role.HEALTH_CENTRE,
        "demo-coord-a": Role.COORDINATOR,
        "demo-coord-b": Role.COORDINATOR,
        "demo-outreach-a": Role.OUTREACH_WORKER,
        "demo-outreach-b": Role.OUTREACH_WORKER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    assert (
        User.objects.get(username="demo-coord-a").organisation != User.objects.get(username="demo-coord-b").organisation
    )
    assert Organisation.objects.filter(kind=OrganisationKind.HEALTH_CENTRE).count() == 17
    assert Organisation.objects.filter(kind=OrganisationKind.PREFECTURE).count() == 1


def test_demo_prefecture_user_has_the_documented_totp_key(db):
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo import DEMO_TOTP_BASE32

    call_command("seed_demo")
    device = TOTPDevice.objects.get(user__username="demo-pref", confirmed=True)
    assert b32encode(device.bin_key).decode() == DEMO_TOTP_BASE32
