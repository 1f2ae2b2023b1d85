"""Every edit page, posted back unchanged, saves and redirects with a message (no 500, no lost data)."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from peers.models import HealthCentreActivity
from tests.peers.factories import HealthCentreActivityFactory
from tests.peers.isolation_records import build_records


def serialise(form, data: dict) -> None:
    for bound in form:
        value = bound.value()
        if value is None or bound.widget_type == "file":
            continue
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))


def form_data(context) -> dict:
    data: dict = {}
    serialise(context["form"], data)
    formset = context.get("formset")
    if formset is not None:
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(formset.management_form[name].value())
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = "1000"
        for form in formset.forms:
            serialise(form, data)
    return data


EDITS = [
    ("coordinator", "peers:coordinator_update"),
    ("supporter", "peers:supporter_update"),
    ("conditions", "peers:conditions_update"),
    ("pledge", "peers:pledge_update"),
    ("activity", "peers:activity_update"),
    ("person", "peers:person_update"),
    ("course", "peers:course_update"),
    ("council", "peers:council_update"),
    ("expenditure", "peers:expenditure_update"),
]


@pytest.fixture
def records(contractor_a, contract_a, activity_a, supporter_a, coordinator_record_a):
    return build_records(contractor_a, contract_a, activity_a, supporter_a, coordinator_record_a)


@pytest.mark.parametrize(("key", "url_name"), EDITS)
def test_edit_page_posted_back_unchanged_saves(client_for, coordinator_a, records, key, url_name):
    client = client_for(coordinator_a)
    url = reverse(url_name, args=[records[key].pk])
    page = client.get(url)
    response = client.post(url, form_data(page.context), follow=True)
    assert response.redirect_chain, response.context["form"].errors if response.context else response
    assert "変更を保存しました。" in response.text or "活動記録を保存しました。" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_prefecture_edits_a_contract(client_for, prefecture_user, contract_a):
    client = client_for(prefecture_user)
    url = reverse("peers:contract_update", args=[contract_a.pk])
    response = client.post(url, form_data(client.get(url).context) | {"amount": "3500000"})
    assert response.status_code == 302
    contract_a.refresh_from_db()
    assert contract_a.amount == 3_500_000


def test_health_centre_edits_and_deletes_its_own_activity(client_for, health_centre_user):
    entry = HealthCentreActivityFactory(organisation=health_centre_user.organisation)
    client = client_for(health_centre_user)
    url = reverse("peers:hc_activity_update", args=[entry.pk])
    assert client.post(url, form_data(client.get(url).context) | {"title": "改題"}).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "改題"
    assert client.post(reverse("peers:hc_activity_delete", args=[entry.pk])).status_code == 302
    assert not HealthCentreActivity.objects.exists()
