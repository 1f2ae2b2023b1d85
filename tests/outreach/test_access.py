"""Who may open which URL: one table over every URL of the app (pretix style)."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent

# (url name, key of the record in records_*) for every URL that takes a record id.
OBJECT_URLS = [
    ("outreach:client_detail", "client"),
    ("outreach:client_update", "client"),
    ("outreach:client_delete", "client"),
    ("outreach:contact_create", "client"),
    ("outreach:plan_create", "client"),
    ("outreach:linkage_create", "client"),
    ("outreach:outcome_create", "client"),
    ("outreach:contact_detail", "contact"),
    ("outreach:contact_update", "contact"),
    ("outreach:contact_delete", "contact"),
    ("outreach:plan_detail", "plan"),
    ("outreach:plan_update", "plan"),
    ("outreach:plan_delete", "plan"),
    ("outreach:review_create", "plan"),
    ("outreach:review_update", "review"),
    ("outreach:review_delete", "review"),
    ("outreach:linkage_update", "linkage"),
    ("outreach:linkage_delete", "linkage"),
    ("outreach:outcome_update", "outcome"),
    ("outreach:outcome_delete", "outcome"),
    ("outreach:meeting_detail", "meeting"),
    ("outreach:meeting_update", "meeting"),
    ("outreach:meeting_delete", "meeting"),
    ("outreach:agency_detail", "agency"),
    ("outreach:worker_detail", "worker"),
]
WORKER_WRITE_URLS = [
    name for name, _key in OBJECT_URLS if not name.endswith("_detail") or name == "outreach:client_detail"
]
SETUP_WRITE_URLS = [
    ("outreach:agency_update", "agency"),
    ("outreach:agency_delete", "agency"),
    ("outreach:contract_update", "contract"),
    ("outreach:contract_delete", "contract"),
    ("outreach:worker_update", "worker"),
    ("outreach:worker_delete", "worker"),
]
LIST_URLS = [
    "outreach:client_list",
    "outreach:client_csv",
    "outreach:contact_list",
    "outreach:contact_csv",
    "outreach:meeting_list",
    "outreach:meeting_csv",
    "outreach:plan_list",
    "outreach:plan_csv",
    "outreach:plan_review_list",
    "outreach:plan_review_csv",
    "outreach:linkage_list",
    "outreach:linkage_csv",
    "outreach:outcome_list",
    "outreach:outcome_csv",
    "outreach:agency_list",
    "outreach:worker_csv",
    "outreach:worker_list",
    "outreach:contract_list",
    "outreach:resource_list",
    "outreach:cohort",
    "outreach:summary",
]
CREATE_URLS = ["outreach:client_create", "outreach:meeting_create"]
PREFECTURE_CREATE_URLS = [
    "outreach:agency_create",
    "outreach:contract_create",
    "outreach:worker_create",
    "outreach:resource_create",
]


def url(name, records, key):
    return reverse(name, args=[records[key].pk])


@pytest.mark.parametrize(("name", "key"), OBJECT_URLS)
def test_owner_opens_every_record_url(client_for, outreach_worker_a, records_a, name, key):
    assert client_for(outreach_worker_a).get(url(name, records_a, key)).status_code == 200


@pytest.mark.parametrize(("name", "key"), OBJECT_URLS + SETUP_WRITE_URLS)
def test_other_contractors_worker_gets_404_on_every_record_url(
    client_for, outreach_worker_b, records_a, records_b, name, key
):
    web = client_for(outreach_worker_b)
    assert web.get(url(name, records_a, key)).status_code in (403, 404)
    if name in WORKER_WRITE_URLS or name.endswith("_detail"):
        assert web.get(url(name, records_a, key)).status_code == 404
    if name in WORKER_WRITE_URLS and name != "outreach:client_detail":
        assert web.post(url(name, records_a, key), {}).status_code == 404


@pytest.mark.parametrize(("name", "key"), [u for u in OBJECT_URLS if u[0] != "outreach:agency_detail"])
def test_worker_of_another_agency_of_the_same_contractor_gets_404(client_for, worker_a2, records_a, name, key):
    if key == "worker":
        pytest.skip("workers of the same contractor are listed per agency; covered below")
    assert client_for(worker_a2.user).get(url(name, records_a, key)).status_code == 404


def test_worker_of_another_agency_sees_none_of_its_clients(client_for, worker_a2, records_a):
    web = client_for(worker_a2.user)
    lists = ["client_list", "contact_list", "plan_list", "plan_review_list", "linkage_list", "outcome_list"]
    lists.append("meeting_list")
    for name in (f"outreach:{name}" for name in lists):
        assert "山田" not in web.get(reverse(name)).text, name
    for name in (
        f"outreach:{name}"
        for name in [
            "client_csv",
            "contact_csv",
            "plan_csv",
            "plan_review_csv",
            "linkage_csv",
            "outcome_csv",
            "meeting_csv",
        ]
    ):
        assert "山田" not in web.get(reverse(name)).getvalue().decode(), name
    assert web.get(reverse("outreach:summary"), {"fiscal_year": 2025}).context["summary"]["flags"]["total"] == 0
    assert web.get(reverse("outreach:worker_detail", args=[records_a["worker"].pk])).status_code == 404


@pytest.mark.parametrize("user_fixture", ["health_centre_user", "coordinator_a"])
def test_health_centre_and_coordinators_are_refused_everywhere(request, client_for, records_a, user_fixture):
    web = client_for(request.getfixturevalue(user_fixture))
    for name in LIST_URLS + CREATE_URLS + PREFECTURE_CREATE_URLS:
        assert web.get(reverse(name)).status_code in (403, 404), name
    for name, key in OBJECT_URLS + SETUP_WRITE_URLS:
        assert web.get(url(name, records_a, key)).status_code in (403, 404), name


def test_health_centre_never_sees_a_client_name(client_for, health_centre_user, records_a):
    web = client_for(health_centre_user)
    for name in LIST_URLS:
        assert "山田" not in web.get(reverse(name)).content.decode("utf-8", "ignore")


@pytest.mark.parametrize("name", LIST_URLS + CREATE_URLS)
def test_owner_opens_every_list_and_form(client_for, outreach_worker_a, records_a, name):
    assert client_for(outreach_worker_a).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_URLS + PREFECTURE_CREATE_URLS)
def test_prefecture_opens_every_list_and_set_up_form(client_for, prefecture_user, records_a, name):
    assert client_for(prefecture_user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize(("name", "key"), [u for u in OBJECT_URLS if u[0].endswith("_detail")] + SETUP_WRITE_URLS)
def test_prefecture_opens_every_record_of_every_contractor(
    client_for, prefecture_user, records_a, records_b, name, key
):
    web = client_for(prefecture_user)
    assert web.get(url(name, records_a, key)).status_code == 200
    assert web.get(url(name, records_b, key)).status_code == 200


@pytest.mark.parametrize("name", ["outreach:client_update", "outreach:contact_create", "outreach:client_delete"])
def test_prefecture_does_not_write_client_records(client_for, prefecture_user, records_a, name):
    assert client_for(prefecture_user).get(url(name, records_a, "client")).status_code == 403


@pytest.mark.parametrize("name", PREFECTURE_CREATE_URLS)
def test_workers_cannot_change_the_set_up(client_for, outreach_worker_a, records_a, name):
    assert client_for(outreach_worker_a).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("outreach:client_list", "山田"),
        ("outreach:client_csv", "山田"),
        ("outreach:contact_list", "山田"),
        ("outreach:contact_csv", "山田"),
        ("outreach:plan_list", "山田"),
        ("outreach:plan_csv", "山田"),
        ("outreach:plan_review_list", "山田"),
        ("outreach:plan_review_csv", "山田"),
        ("outreach:linkage_list", "山田"),
        ("outreach:linkage_csv", "山田"),
        ("outreach:outcome_list", "山田"),
        ("outreach:outcome_csv", "山田"),
        ("outreach:meeting_list", "山田さんの支援"),
        ("outreach:agency_list", "春日部"),
        ("outreach:worker_list", "春日部"),
        ("outreach:worker_csv", "春日部"),
        ("outreach:meeting_csv", "山田さんの支援"),
        ("outreach:contract_list", "春日部"),
    ],
)
def test_lists_and_csv_show_only_the_viewers_rows(
    client_for, outreach_worker_b, prefecture_user, records_a, records_b, name, marker
):
    def body(user):
        response = client_for(user).get(reverse(name))
        assert response.status_code == 200
        return b"".join(response.streaming_content).decode() if response.streaming else response.text

    assert marker not in body(outreach_worker_b)
    assert marker in body(prefecture_user)


def test_anonymous_users_are_sent_to_log_in(client, records_a):
    response = client.get(url("outreach:client_detail", records_a, "client"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_refused_record_is_written_to_the_audit_log(client_for, outreach_worker_b, records_a):
    client_for(outreach_worker_b).get(url("outreach:client_detail", records_a, "client"))
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, object_type="outreach.Client").exists()


GARBAGE = {
    "page": "abc",
    "sort": "-password",
    "month": "2025-13",
    "fiscal_year": "x",
    "worker": "999999",
    "agency": "abc",
    "status": "nope",
    "criterion": "nope",
    "flag": "nope",
    "kind": "nope",
    "q": "＝CMD|' /C calc'!A0",
}


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("viewer", ["outreach_worker_a", "prefecture_user"])
def test_lists_survive_garbage_parameters(request, client_for, records_a, name, viewer):
    response = client_for(request.getfixturevalue(viewer)).get(reverse(name), GARBAGE)
    assert response.status_code == 200
