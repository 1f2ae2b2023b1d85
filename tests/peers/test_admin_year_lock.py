"""The peers admin obeys the year lock with the Japanese reason, never a server error."""

import pytest
from django.urls import reverse

from accounts.models import PeriodLock, Program
from peers.models import Activity, Expenditure
from tests.conftest import verify_second_factor
from tests.factories import UserFactory
from tests.peers.factories import ExpenditureFactory

FROZEN = "令和8年度の地域移行・地域定着ピアサポート活動促進事業の実績報告書は承認済みのため"


@pytest.fixture
def admin_web(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    verify_second_factor(client, superuser)
    return client


@pytest.fixture
def expenditure(contract_a, contractor_a):
    return ExpenditureFactory(organisation=contractor_a)


@pytest.fixture
def locked(contractor_a, activity_a, expenditure):
    """Records of 令和8年度 exist; then its report is approved."""
    return PeriodLock.objects.create(organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2026)


def test_saving_a_frozen_activity_in_the_admin_is_refused_not_a_server_error(locked, activity_a, admin_web):
    change = reverse("admin:peers_activity_change", args=[activity_a.pk])
    page = admin_web.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.text  # read-only
    response = admin_web.post(change, {"participants": "99"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=activity_a.pk).participants == activity_a.participants


def test_deleting_a_frozen_activity_in_the_admin_is_refused(locked, activity_a, admin_web):
    response = admin_web.post(reverse("admin:peers_activity_delete", args=[activity_a.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity_a.pk).exists()


def test_bulk_deletion_of_a_frozen_record_is_refused(locked, expenditure, admin_web):
    response = admin_web.post(
        reverse("admin:peers_expenditure_changelist"),
        {"action": "delete_selected", "_selected_action": [expenditure.pk], "post": "yes"},
    )
    assert response.status_code == 403  # the admin's own per-object delete permission
    assert Expenditure.objects.filter(pk=expenditure.pk).exists()


def test_moving_a_record_into_the_frozen_year_shows_the_reason_on_the_form(expenditure, contractor_a, admin_web):
    PeriodLock.objects.create(organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2025)
    change = reverse("admin:peers_expenditure_change", args=[expenditure.pk])
    form = admin_web.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["date"] = "2026-03-10"
    response = admin_web.post(change, data)
    assert response.status_code == 200
    assert FROZEN.replace("令和8年度", "令和7年度") in response.text
    assert Expenditure.objects.get(pk=expenditure.pk).date == expenditure.date
