"""The admin screens of every peers model open without error (with records present)."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from tests.conftest import verify_second_factor
from tests.peers.factories import CouncilFactory, CourseFactory, ExpenditureFactory, PersonFactory, TraineeFactory

MODELS = [
    "hospital",
    "contract",
    "coordinator",
    "peersupporter",
    "supporterconditions",
    "pledge",
    "personsupported",
    "activity",
    "course",
    "councilreport",
    "expenditure",
    "healthcentreactivity",
]


@pytest.fixture
def admin_client_with_records(client, contractor_a, activity_a):
    CourseFactory(organisation=contractor_a)
    TraineeFactory(course=CourseFactory(organisation=contractor_a))
    CouncilFactory(organisation=contractor_a)
    ExpenditureFactory(organisation=contractor_a)
    PersonFactory(organisation=contractor_a)
    superuser = User.objects.create_superuser("root", "root@example.jp", "x-long-password-1")
    client.force_login(superuser)
    verify_second_factor(client, superuser)  # staff accounts need the second factor for the admin too
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_add_and_change_pages_open(admin_client_with_records, model):
    client = admin_client_with_records
    assert client.get(reverse(f"admin:peers_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:peers_{model}_add")).status_code == 200
    obj = apps.get_model("peers", model).objects.first()
    if obj is not None:
        assert client.get(reverse(f"admin:peers_{model}_change", args=[obj.pk])).status_code == 200
