import threading

import pytest
from django.db import connections
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from accounts.models import Role
from tests.factories import OrganisationFactory, make_user

# ---- the data the migrations load, kept for every test ---------------------------------------
#
# The migrations load master data (health centres, municipalities, fiscal years, hospitals) and
# Django creates content types and permissions. A transactional test (live_server, Playwright)
# ends with a flush that deletes all of it. Django's answer is serialized_rollback: a snapshot
# taken when the test database is created, loaded again before the next such test. Two things
# defeat it, and both are handled here:
#
# - The snapshot is an attribute of the connection object, and Django's connections are
#   context-local (asgiref Local). Playwright's sync API switches the contextvars context when
#   it starts, so every connection object created afterwards lacks the attribute and
#   serialized_rollback silently restores nothing. django_db_setup below gives the snapshot to
#   every connection object made for the alias.
# - A test that is not itself serialized, or that runs after the last transactional test,
#   would still find the tables empty. Every transactional test is made serialized, and the
#   snapshot is loaded again when a transactional test hands over to a non-transactional one.

_snapshots: dict[str, str] = {}


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


def pytest_collection_modifyitems(items):
    for item in items:
        if getattr(item, "cls", None) is not None or not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        _transaction, reset_sequences, databases, serialized, available_apps = (
            validate_django_db(marker) if marker else (True, False, None, False, None)
        )
        if not serialized:
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True,
                    reset_sequences=reset_sequences,
                    databases=databases,
                    serialized_rollback=True,
                    available_apps=available_apps,
                ),
                append=False,
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    thread = threading.get_ident()
    made = [connections[alias] for alias in connections]
    for connection in made:
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _snapshots[connection.alias] = contents
    create_connection = connections.create_connection

    def create_connection_with_snapshot(alias):
        connection = create_connection(alias)
        if alias in _snapshots:
            connection._test_serialized_contents = _snapshots[alias]
        if threading.get_ident() == thread:  # the live server's thread closes its own
            made.append(connection)
        return connection

    connections.create_connection = create_connection_with_snapshot
    yield
    del connections.create_connection
    _snapshots.clear()
    # Connections opened in another context stay open otherwise, and PostgreSQL refuses to drop
    # a test database that another session is using.
    for connection in made:
        connection.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _snapshots and _is_transactional(item) and (nextitem is None or not _is_transactional(nextitem)):
        with item.config.stash[blocking_manager_key].unblock():
            for alias, contents in _snapshots.items():
                connections[alias].creation.deserialize_db_from_string(contents)
    return result


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
