"""An approved outreach report freezes the contractor's records of that 年度: create, edit, delete and import."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import PeriodLock, Program
from outreach import services
from outreach.models import Client, Contact, Linkage, Outcome, PlanReview, SupportMeeting, SupportPlan
from tests.outreach.factories import ClientFactory, ResourceFactory
from tests.outreach.test_imports import CLIENT_HEADER, client_row, csv_bytes, do_import

FROZEN = "令和7年度の自立相談支援機能強化事業の実績報告書は承認済みのため"


@pytest.fixture
def locked(records_a, contractor_a):
    return PeriodLock.objects.create(organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025)


def _new_records(client, worker, day):
    return {
        "contact": lambda: services.contact_save(
            contact=Contact(
                client=client,
                worker=worker,
                date=day,
                start_time=time(10, 0),
                end_time=time(11, 0),
                kind="phone",
                with_person=True,
                summary="電話",
            ),
            by=worker.user,
        ),
        "plan": lambda: services.client_record_save(
            record=SupportPlan(client=client, made_on=day, goals="外出", planned_supports="訪問"), by=worker.user
        ),
        "linkage": lambda: services.client_record_save(
            record=Linkage(client=client, resource=ResourceFactory(), date=day, result="referred"), by=worker.user
        ),
        "outcome": lambda: services.client_record_save(
            record=Outcome(client=client, kind="employed", date=day), by=worker.user
        ),
        "meeting": lambda: services.meeting_save(
            meeting=SupportMeeting(agency=client.agency, date=day, kind="coordination", decisions="役割分担"),
            clients=[client],
            by=worker.user,
        ),
    }


@pytest.mark.parametrize("kind", ["contact", "plan", "linkage", "outcome", "meeting"])
def test_creating_a_record_in_the_frozen_year_is_refused(locked, records_a, kind):
    create = _new_records(records_a["client"], records_a["worker"], date(2025, 11, 4))[kind]
    with pytest.raises(ValidationError, match=FROZEN):
        create()


@pytest.mark.parametrize("kind", ["contact", "plan", "linkage", "outcome", "meeting"])
def test_the_next_year_stays_open(locked, records_a, kind):
    saved = _new_records(records_a["client"], records_a["worker"], date(2026, 5, 7))[kind]()
    stored = type(saved).objects.get(pk=saved.pk)
    assert stored.organisation_id == records_a["client"].organisation_id


@pytest.mark.parametrize("kind", ["contact", "plan", "review", "linkage", "outcome", "meeting"])
def test_editing_a_record_of_the_frozen_year_is_refused(locked, records_a, kind):
    record = type(records_a[kind]).objects.get(pk=records_a[kind].pk)
    record.note = record.summary = record.goals = record.decisions = "変更"
    with pytest.raises(ValidationError, match=FROZEN):
        if kind == "meeting":
            services.meeting_save(meeting=record, clients=[records_a["client"]], by=records_a["worker"].user)
        elif kind == "contact":
            services.contact_save(contact=record, by=records_a["worker"].user)
        else:
            services.client_record_save(record=record, by=records_a["worker"].user)


@pytest.mark.parametrize("kind", ["contact", "plan", "review", "linkage", "outcome", "meeting"])
def test_deleting_a_record_of_the_frozen_year_is_refused(locked, records_a, kind):
    model = type(records_a[kind])
    with pytest.raises(ValidationError, match=FROZEN):
        services.record_delete(record=records_a[kind], by=records_a["worker"].user)
    assert model.objects.filter(pk=records_a[kind].pk).exists()


def test_moving_a_record_out_of_the_frozen_year_is_refused(locked, records_a):
    contact = Contact.objects.get(pk=records_a["contact"].pk)
    contact.date = date(2026, 4, 10)
    with pytest.raises(ValidationError, match=FROZEN):
        services.contact_save(contact=contact, by=records_a["worker"].user)


def test_registering_a_client_in_the_frozen_year_is_refused(locked, records_a):
    client = ClientFactory.build(agency=records_a["agency"], number="", registered_on=date(2025, 12, 1))
    with pytest.raises(ValidationError, match=FROZEN):
        services.client_save(client=client, by=records_a["worker"].user)


def test_a_continuing_clients_intake_and_closing_date_are_frozen_but_not_the_case(locked, records_a):
    client = Client.objects.get(pk=records_a["client"].pk)  # registered 2025-04-10
    client.note = "2026年度も支援を継続"
    services.client_save(client=client, by=records_a["worker"].user)  # an ongoing case stays editable
    client.registered_on = date(2026, 4, 1)
    with pytest.raises(ValidationError, match=FROZEN):
        services.client_save(client=client, by=records_a["worker"].user)
    client = Client.objects.get(pk=records_a["client"].pk)
    client.status, client.closed_on, client.closed_reason = "closed", date(2026, 2, 1), "就職"
    with pytest.raises(ValidationError, match=FROZEN):
        services.client_save(client=client, by=records_a["worker"].user)
    client.closed_on = date(2026, 5, 1)  # closing in the next 年度 is fine
    services.client_save(client=client, by=records_a["worker"].user)


def test_deleting_a_client_registered_in_the_frozen_year_is_refused(locked, records_a, agency_a):
    client = ClientFactory(agency=agency_a, registered_on=date(2025, 6, 1))
    with pytest.raises(ValidationError, match=FROZEN):
        services.record_delete(record=client, by=records_a["worker"].user)


def test_importing_a_client_into_the_frozen_year_is_refused(locked, records_a, outreach_worker_a):
    from accounts.models import Municipality
    from outreach.resources import ClientResource

    town = Municipality.objects.order_by("pk").first().name
    rows = [[*client_row("2025-0900", town), "令和7年10月1日"], [*client_row("2026-0900", town), "令和8年4月2日"]]
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes([*CLIENT_HEADER, "受付日"], rows))
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("行 2: " + FROZEN)
    assert not Client.objects.filter(number__in=["2025-0900", "2026-0900"]).exists()


def test_the_edit_and_delete_screens_say_why(locked, records_a, client_for, outreach_worker_a):
    web = client_for(outreach_worker_a)
    plan = records_a["plan"]
    response = web.post(reverse("outreach:plan_delete", args=[plan.pk]), follow=True)
    assert FROZEN in response.text
    assert SupportPlan.objects.filter(pk=plan.pk).exists()
    review = records_a["review"]
    response = web.post(reverse("outreach:review_delete", args=[review.pk]), follow=True)
    assert FROZEN in response.text and PlanReview.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize(
    ("kind", "url_name"),
    [
        ("contact", "outreach:contact_update"),
        ("plan", "outreach:plan_update"),
        ("linkage", "outreach:linkage_delete"),
        ("outcome", "outreach:outcome_update"),
    ],
)
def test_screens_of_a_frozen_record_warn_before_anything_is_typed(
    locked, records_a, client_for, outreach_worker_a, kind, url_name
):
    response = client_for(outreach_worker_a).get(reverse(url_name, args=[records_a[kind].pk]))
    assert response.status_code == 200
    assert FROZEN in response.text


def test_approving_the_report_sets_the_lock(records_a, contractor_a, outreach_worker_a, prefecture_user):
    from reporting.services import report_approve, report_get_or_create_draft, report_submit

    report = report_get_or_create_draft(
        organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025, by=outreach_worker_a
    )
    report_submit(report=report, by=outreach_worker_a)
    report_approve(report=report, by=prefecture_user)
    with pytest.raises(ValidationError, match=FROZEN):
        services.record_delete(record=records_a["linkage"], by=records_a["worker"].user)


# --- the admin obeys the same lock -------------------------------------------------------------


@pytest.fixture
def admin_web(client):
    from tests.conftest import verify_second_factor
    from tests.factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    verify_second_factor(client, superuser)
    return client


@pytest.mark.parametrize("kind", ["contact", "plan", "review", "linkage", "outcome", "meeting"])
def test_admin_shows_a_frozen_record_read_only_and_refuses_its_deletion(locked, records_a, admin_web, kind):
    record = records_a[kind]
    meta = record._meta
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    assert admin_web.get(change).status_code == 200  # viewable
    assert admin_web.post(change, {}).status_code == 403
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])
    assert admin_web.post(delete, {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


def test_admin_refuses_a_new_record_in_the_frozen_year_with_the_reason(locked, records_a, admin_web, contractor_a):
    client = records_a["client"]
    response = admin_web.post(
        reverse("admin:outreach_contact_add"),
        {
            "organisation": contractor_a.pk,
            "client": client.pk,
            "date": "2025-11-04",
            "start_time": "10:00",
            "end_time": "11:00",
            "kind": "phone",
            "with_person": "on",
            "summary": "電話",
        },
    )
    assert response.status_code == 200
    assert FROZEN in response.text
    assert not Contact.objects.filter(date=date(2025, 11, 4)).exists()


def test_admin_keeps_an_ongoing_case_editable(locked, records_a, admin_web):
    client = records_a["client"]
    response = admin_web.get(reverse("admin:outreach_client_change", args=[client.pk]))
    assert response.status_code == 200 and 'name="_save"' in response.text
