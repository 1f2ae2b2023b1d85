"""The admin is audited like the app: staff who open personal data there leave an audit event."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin_audit import PersonalDataAdminMixin
from accounts.models import AuditAction, AuditEvent, User
from peers.models import PeerSupporter
from tests.conftest import verify_second_factor
from tests.outreach.factories import ClientFactory
from tests.peers.factories import ContractFactory, PersonFactory, SupporterFactory


@pytest.fixture
def staff_client(client, db):
    superuser = User.objects.create_superuser("root", "root@example.jp", "x-long-password-1")
    client.force_login(superuser)
    verify_second_factor(client, superuser)
    client.user = superuser
    return client


def _url(obj, view: str) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def _events(**filters):
    events = AuditEvent.objects.filter(**filters).exclude(action=AuditAction.LOGIN).order_by("pk")
    return list(events.values_list("action", "object_type", "object_id", "detail"))


def test_every_admin_of_a_model_holding_personal_data_is_audited():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if getattr(model, "holds_personal_data", False) and not isinstance(model_admin, PersonalDataAdminMixin)
    ]
    assert missing == []


def test_opening_a_client_in_the_admin_writes_a_view_event(staff_client, contractor_b):
    other_organisations_client = ClientFactory(agency__organisation=contractor_b, name="佐藤 花子")
    assert staff_client.get(_url(other_organisations_client, "change")).status_code == 200
    assert _events(user=staff_client.user) == [
        ("view", "outreach.Client", str(other_organisations_client.pk), "管理画面")
    ]
    assert AuditEvent.objects.get(user=staff_client.user, action=AuditAction.VIEW).organisation_id == contractor_b.pk


def test_opening_a_person_supported_in_the_admin_writes_a_view_event(staff_client, contractor_a):
    person = PersonFactory(organisation=contractor_a)
    assert staff_client.get(_url(person, "change")).status_code == 200
    assert _events(user=staff_client.user) == [("view", "peers.PersonSupported", str(person.pk), "管理画面")]


def test_an_admin_list_of_clients_writes_one_list_view_event(staff_client, contractor_a):
    ClientFactory.create_batch(3, agency__organisation=contractor_a)
    assert staff_client.get(reverse("admin:outreach_client_changelist")).status_code == 200
    assert _events(user=staff_client.user) == [("view", "outreach.Client", "", "管理画面 一覧")]


def test_delete_confirmation_is_a_view_and_the_delete_is_audited_once(staff_client, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    assert staff_client.get(_url(supporter, "delete")).status_code == 200
    assert _events(user=staff_client.user, action=AuditAction.VIEW) == [
        ("view", "peers.PeerSupporter", str(supporter.pk), "管理画面")
    ]
    response = staff_client.post(_url(supporter, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert len(_events(user=staff_client.user, action=AuditAction.DELETE)) == 1  # by the service, not twice


def test_admin_history_page_is_a_view(staff_client, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    assert staff_client.get(_url(supporter, "history")).status_code == 200
    assert _events(user=staff_client.user) == [("view", "peers.PeerSupporter", str(supporter.pk), "管理画面")]


def test_models_without_personal_data_are_not_audited(staff_client, contractor_a):
    contract = ContractFactory(organisation=contractor_a)
    assert staff_client.get(_url(contract, "change")).status_code == 200
    assert staff_client.get(reverse("admin:peers_contract_changelist")).status_code == 200
    assert _events(user=staff_client.user) == []


def test_an_admin_that_saves_without_a_service_is_audited_by_the_mixin(contractor_a, prefecture_user):
    class PlainAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
        pass

    model_admin = PlainAdmin(PeerSupporter, admin.site)
    request = RequestFactory().post("/admin/")
    request.user = prefecture_user
    supporter = SupporterFactory(organisation=contractor_a)
    model_admin.save_model(request, supporter, form=None, change=True)
    model_admin.delete_model(request, supporter)
    assert [a for a, *_ in _events(user=prefecture_user)] == ["update", "delete"]
