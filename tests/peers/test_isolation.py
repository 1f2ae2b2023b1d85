"""Every record of contractor A is invisible to contractor B (404), visible to the prefecture,
and health-centre staff see no individual peer-support record."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from peers.models import Pledge
from tests.peers.isolation_records import PDF, build_records


@pytest.fixture
def records_a(contractor_a, contract_a, activity_a, supporter_a, coordinator_record_a):
    return build_records(contractor_a, contract_a, activity_a, supporter_a, coordinator_record_a)


OBJECT_URLS = [
    ("contract", "peers:contract_detail"),
    ("coordinator", "peers:coordinator_detail"),
    ("coordinator", "peers:coordinator_update"),
    ("coordinator", "peers:coordinator_delete"),
    ("supporter", "peers:supporter_detail"),
    ("supporter", "peers:supporter_update"),
    ("supporter", "peers:supporter_delete"),
    ("supporter", "peers:conditions_create"),
    ("supporter", "peers:pledge_create"),
    ("conditions", "peers:conditions_update"),
    ("conditions", "peers:conditions_delete"),
    ("pledge", "peers:pledge_update"),
    ("pledge", "peers:pledge_delete"),
    ("pledge", "peers:pledge_scan"),
    ("activity", "peers:activity_detail"),
    ("activity", "peers:activity_update"),
    ("activity", "peers:activity_delete"),
    ("person", "peers:person_detail"),
    ("person", "peers:person_update"),
    ("person", "peers:person_delete"),
    ("course", "peers:course_detail"),
    ("course", "peers:course_update"),
    ("course", "peers:course_delete"),
    ("council", "peers:council_detail"),
    ("council", "peers:council_update"),
    ("council", "peers:council_delete"),
    ("expenditure", "peers:expenditure_detail"),
    ("expenditure", "peers:expenditure_update"),
    ("expenditure", "peers:expenditure_delete"),
]

LIST_URLS = [
    "peers:contract_list",
    "peers:coordinator_list",
    "peers:supporter_list",
    "peers:activity_list",
    "peers:person_list",
    "peers:course_list",
    "peers:council_list",
    "peers:expenditure_list",
]


@pytest.mark.parametrize(("key", "url_name"), OBJECT_URLS)
def test_owner_coordinator_opens_every_page_of_own_records(client_for, coordinator_a, records_a, key, url_name):
    response = client_for(coordinator_a).get(reverse(url_name, args=[records_a[key].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(("key", "url_name"), OBJECT_URLS)
def test_other_contractor_gets_404_on_every_page(client_for, coordinator_b, records_a, key, url_name):
    client = client_for(coordinator_b)
    assert client.get(reverse(url_name, args=[records_a[key].pk])).status_code == 404
    assert client.post(reverse(url_name, args=[records_a[key].pk]), {}).status_code in (404, 405)


@pytest.mark.parametrize(("key", "url_name"), [u for u in OBJECT_URLS if u[1].endswith(("_detail", "_scan"))])
def test_prefecture_sees_every_record(client_for, prefecture_user, records_a, key, url_name):
    assert client_for(prefecture_user).get(reverse(url_name, args=[records_a[key].pk])).status_code == 200


@pytest.mark.parametrize(("key", "url_name"), OBJECT_URLS)
def test_health_centre_staff_cannot_open_individual_records(client_for, health_centre_user, records_a, key, url_name):
    assert client_for(health_centre_user).get(reverse(url_name, args=[records_a[key].pk])).status_code in (403, 404)


def test_other_contractor_cannot_register_a_trainee_as_supporter(client_for, coordinator_b, records_a):
    response = client_for(coordinator_b).post(reverse("peers:trainee_register", args=[records_a["trainee"].pk]))
    assert response.status_code == 404
    records_a["trainee"].refresh_from_db()
    assert records_a["trainee"].supporter is None


@pytest.mark.parametrize("url_name", LIST_URLS)
def test_lists_and_csv_never_show_other_contractors_rows(client_for, coordinator_b, records_a, url_name):
    client = client_for(coordinator_b)
    page = client.get(reverse(url_name))
    csv = b"".join(client.get(reverse(url_name), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert page.status_code == 200
    for text in ("社会福祉法人Ａ会", "仲間 一郎", "A-0", "ピアサポーター養成講座（基礎）", "ピアサポーター謝金"):
        assert text not in page.text
        assert text not in csv


def test_prefecture_list_shows_both_contractors(client_for, prefecture_user, activity_a, activity_b):
    response = client_for(prefecture_user).get(reverse("peers:activity_list"))
    assert "<td>社会福祉法人Ａ会</td>" in response.text
    assert "<td>特定非営利活動法人Ｂ</td>" in response.text


def test_prefecture_filters_by_contractor(client_for, prefecture_user, activity_a, activity_b, contractor_b):
    response = client_for(prefecture_user).get(reverse("peers:activity_list"), {"contractor": contractor_b.pk})
    assert "<td>特定非営利活動法人Ｂ</td>" in response.text
    assert "<td>社会福祉法人Ａ会</td>" not in response.text


@pytest.mark.parametrize("url_name", [*LIST_URLS, "peers:activity_month"])
def test_health_centre_staff_get_403_on_contractor_lists(client_for, health_centre_user, url_name):
    assert client_for(health_centre_user).get(reverse(url_name)).status_code == 403


def test_contractor_staff_cannot_create_contracts(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get(reverse("peers:contract_create")).status_code == 403
    assert client.post(reverse("peers:contract_create"), {}).status_code == 403


def test_contractor_staff_cannot_edit_or_delete_their_contract(client_for, coordinator_a, contract_a):
    client = client_for(coordinator_a)
    assert client.get(reverse("peers:contract_update", args=[contract_a.pk])).status_code == 403
    assert client.post(reverse("peers:contract_delete", args=[contract_a.pk])).status_code == 403


def test_scan_download_is_audited(client_for, coordinator_a, records_a):
    response = client_for(coordinator_a).get(reverse("peers:pledge_scan", args=[records_a["pledge"].pk]))
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="peers.Pledge").exists()
    assert Pledge.objects.get().scan.name.startswith("pledges/")


def test_outreach_worker_of_the_same_contractor_sees_no_peer_records(client_for, outreach_worker_a, records_a):
    client = client_for(outreach_worker_a)
    assert client.get(reverse("peers:activity_list")).status_code == 403
    assert client.get(reverse("peers:supporter_detail", args=[records_a["supporter"].pk])).status_code == 403
    assert client.get(reverse("peers:pledge_scan", args=[records_a["pledge"].pk])).status_code == 403


def test_prefecture_reads_but_does_not_enter_contractor_records(client_for, prefecture_user, records_a):
    client = client_for(prefecture_user)
    assert client.get(reverse("peers:activity_create")).status_code == 403
    assert client.get(reverse("peers:activity_update", args=[records_a["activity"].pk])).status_code == 403
    assert client.post(reverse("peers:supporter_delete", args=[records_a["supporter"].pk])).status_code == 403
