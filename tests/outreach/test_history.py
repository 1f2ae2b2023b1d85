"""Clients and contacts keep what changed (field, old, new, who, when), shown on their pages to
those who may see them, and nowhere else: not to another agency or contractor, not to
health-centre staff, not through the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.history import change_history
from outreach import services
from outreach.models import Client, Contact
from tests.outreach.test_views import client_post_data
from tests.test_url_isolation import pages_showing

OLD_NAME, NEW_NAME = "秘密野 太郎", "秘密野 次郎"
OLD_SUMMARY, NEW_SUMMARY = "内密の相談その一", "内密の相談その二"


@pytest.fixture
def changed_client(client_a, outreach_worker_a):
    """client_a renamed by its worker through the service, as the edit screen does."""
    client_a.name = OLD_NAME
    services.client_save(client=client_a, by=outreach_worker_a)
    client_a.name = NEW_NAME
    client_a.phone = "048-000-0000"
    return services.client_save(client=client_a, by=outreach_worker_a)


@pytest.fixture
def changed_contact(changed_client, worker_a, outreach_worker_a):
    from tests.outreach.factories import ContactFactory

    contact = ContactFactory(client=changed_client, worker=worker_a, summary=OLD_SUMMARY)
    contact.summary = NEW_SUMMARY
    return services.contact_save(contact=contact, by=outreach_worker_a)


def test_a_client_change_records_field_old_new_and_who(changed_client, outreach_worker_a):
    latest = change_history(changed_client)[0]
    assert latest.kind == "変更"
    assert latest.who == outreach_worker_a.display_name
    assert {(c.label, c.old, c.new) for c in latest.changes} == {
        ("氏名", OLD_NAME, NEW_NAME),
        ("電話番号", "（空欄）", "048-000-0000"),
    }


def test_the_search_key_is_not_kept_in_the_history(changed_client):
    assert "search_key" not in {field.name for field in Client.history.model._meta.fields}


def test_a_changed_worker_is_shown_by_name_not_id(client_a, worker_a, worker_a_second, outreach_worker_a):
    client_a.worker = worker_a_second
    services.client_save(client=client_a, by=outreach_worker_a)
    [change] = change_history(client_a)[0].changes
    assert (change.label, change.old, change.new) == ("担当支援員", str(worker_a), str(worker_a_second))


@pytest.fixture
def worker_a_second(agency_a, contractor_a):
    from accounts.models import Role
    from tests.factories import make_user
    from tests.outreach.factories import WorkerFactory

    return WorkerFactory(user=make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-a-2nd"), agency=agency_a)


def test_editing_through_the_screen_records_the_signed_in_worker(client_for, outreach_worker_a, client_a):
    web = client_for(outreach_worker_a)
    response = web.post(
        reverse("outreach:client_update", args=[client_a.pk]),
        client_post_data(number=client_a.number, name=NEW_NAME, worker=client_a.worker_id),
    )
    assert response.status_code == 302
    record = client_a.history.order_by("-history_id").first()
    assert (record.history_type, record.history_user, record.name) == ("~", outreach_worker_a, NEW_NAME)


def test_deleting_a_contact_records_who_deleted_it(client_for, outreach_worker_a, changed_contact):
    response = client_for(outreach_worker_a).post(reverse("outreach:contact_delete", args=[changed_contact.pk]))
    assert response.status_code == 302
    record = Contact.history.filter(id=changed_contact.pk).order_by("-history_id").first()
    assert (record.history_type, record.history_user) == ("-", outreach_worker_a)


@pytest.mark.parametrize("viewer", ["outreach_worker_a", "prefecture_user"])
def test_client_page_shows_its_history_to_those_who_may_see_it(request, client_for, viewer, changed_client):
    page = client_for(request.getfixturevalue(viewer)).get(reverse("outreach:client_detail", args=[changed_client.pk]))
    history = page.text.split("変更履歴")[1]
    assert f"氏名：{OLD_NAME} → {NEW_NAME}" in history


@pytest.mark.parametrize("viewer", ["outreach_worker_a", "prefecture_user"])
def test_contact_page_shows_its_history_to_those_who_may_see_it(request, client_for, viewer, changed_contact):
    page = client_for(request.getfixturevalue(viewer)).get(
        reverse("outreach:contact_detail", args=[changed_contact.pk])
    )
    history = page.text.split("変更履歴")[1]
    assert f"内容：{OLD_SUMMARY} → {NEW_SUMMARY}" in history


@pytest.mark.parametrize("viewer", ["outreach_worker_b", "worker_a2", "health_centre_user"])
def test_others_get_no_client_or_contact_page_and_no_history(request, client_for, viewer, changed_contact):
    user = request.getfixturevalue(viewer)
    user = getattr(user, "user", user)  # worker_a2 is the OutreachWorker placement of another agency
    web = client_for(user)
    for url in (
        reverse("outreach:client_detail", args=[changed_contact.client_id]),
        reverse("outreach:contact_detail", args=[changed_contact.pk]),
    ):
        response = web.get(url)
        assert response.status_code in (403, 404)
        assert OLD_NAME not in response.content.decode()
        assert OLD_SUMMARY not in response.content.decode()


def test_no_page_health_centre_staff_can_open_shows_a_clients_history(client_for, health_centre_user, changed_contact):
    """Every URL of the project (object URLs with the client's and the contact's ids), as health-centre staff."""
    secrets = [OLD_NAME, NEW_NAME, OLD_SUMMARY, NEW_SUMMARY]
    ids = {changed_contact.pk, changed_contact.client_id}
    seen = pages_showing(client_for(health_centre_user), secrets, ids, query="format=csv")
    assert not seen, "\n".join(seen)


def test_history_tables_have_no_admin_pages():
    registered = {model._meta.model_name for model in admin.site._registry}
    assert not {name for name in registered if name.startswith("historical")}
    for model in (Client, Contact):
        assert not isinstance(admin.site._registry[model], SimpleHistoryAdmin)


@pytest.mark.parametrize(
    "viewer", ["outreach_worker_a", "outreach_worker_b", "health_centre_user", "coordinator_a", "prefecture_user"]
)
def test_admin_history_urls_are_closed_to_every_working_role(request, client_for, viewer, changed_contact):
    web = client_for(request.getfixturevalue(viewer))
    for url in (
        f"/admin/outreach/client/{changed_contact.client_id}/history/",
        f"/admin/outreach/contact/{changed_contact.pk}/history/",
        f"/admin/outreach/client/{changed_contact.client_id}/change/",
    ):
        response = web.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
