"""Every change keeps what changed (field, old, new, who, when), shown on the record's page."""

from django.urls import reverse

from accounts.history import change_history
from accounts.services import save_tenant_record
from tests.peers.factories import SupporterFactory


def test_a_change_records_field_old_new_and_who(coordinator_a, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a, name="旧姓 花子")
    supporter.name = "新姓 花子"
    save_tenant_record(supporter, by=coordinator_a)
    latest = change_history(supporter)[0]
    assert latest.kind == "変更"
    assert latest.who == coordinator_a.display_name
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("氏名", "旧姓 花子", "新姓 花子")]


def test_supporter_page_shows_history_to_its_own_contractor(client_for, coordinator_a, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a, name="旧姓 花子")
    client = client_for(coordinator_a)
    response = client.post(
        reverse("peers:supporter_update", args=[supporter.pk]),
        {**_form_data(client, supporter), "name": "新姓 花子"},
    )
    assert response.status_code == 302
    page = client.get(reverse("peers:supporter_detail", args=[supporter.pk]))
    assert "変更履歴" in page.text
    assert "氏名：旧姓 花子 → 新姓 花子" in page.text
    assert coordinator_a.display_name in page.text.split("変更履歴")[1]


def test_another_contractor_cannot_open_the_history(client_for, coordinator_b, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    assert client_for(coordinator_b).get(reverse("peers:supporter_detail", args=[supporter.pk])).status_code == 404


def _form_data(client, supporter) -> dict:
    page = client.get(reverse("peers:supporter_update", args=[supporter.pk]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_dates_and_times_in_the_history_read_as_japanese_dates_in_japan_time():
    from datetime import UTC, date, datetime

    from accounts.history import _display
    from reporting.models import AnnualReport

    assert _display(AnnualReport, "submitted_at", datetime(2026, 11, 23, 15, 30, tzinfo=UTC)) == "令和8年11月24日 00:30"
    assert _display(AnnualReport, "submitted_at", date(2026, 4, 1)) == "令和8年4月1日"
