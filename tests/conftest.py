import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.factories import OrganisationFactory, make_user


@pytest.fixture
def contractor_a(db):
    return OrganisationFactory(code="contractor-a", name="社会福祉法人Ａ会")


@pytest.fixture
def contractor_b(db):
    return OrganisationFactory(code="contractor-b", name="特定非営利活動法人Ｂ")


@pytest.fixture
def prefecture_user(db):
    return make_user(Role.PREFECTURE, username="pref")


@pytest.fixture
def health_centre_user(db):
    return make_user(Role.HEALTH_CENTRE, username="hc")


@pytest.fixture
def coordinator_a(contractor_a):
    return make_user(Role.COORDINATOR, contractor_a, username="coord-a")


@pytest.fixture
def coordinator_b(contractor_b):
    return make_user(Role.COORDINATOR, contractor_b, username="coord-b")


@pytest.fixture
def outreach_worker_a(contractor_a):
    return make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-a")


@pytest.fixture
def outreach_worker_b(contractor_b):
    return make_user(Role.OUTREACH_WORKER, contractor_b, username="outreach-b")


def verify_second_factor(client, user):
    """Complete the second factor for a logged-in test client, as the verify screen would."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for(client):
    """client_for(user): the test client, logged in as that user (with the second factor when required)."""

    def login(user):
        client.force_login(user)
        if user.two_factor_required:
            verify_second_factor(client, user)
        return client

    return login


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    # Uploaded scans and approved PDFs written by tests never land in the project's var/private.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production uses hashed, compressed static files built by collectstatic; tests don't build them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
