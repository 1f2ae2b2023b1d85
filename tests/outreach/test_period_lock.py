"""An approved outreach report freezes the agency's records of that 年度: create, edit, delete and import.

Outreach reports are made per agency, so the lock names the agency; the contractor's other agencies
stay open. A lock of the contractor's whole program (no agency) freezes every agency.
"""

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
def locked(records_a, contractor_a, agency_a):
    return PeriodLock.objects.create(
        organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025, agency=agency_a
    )


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
        organisation=contractor_a,
        program=Program.OUTREACH,
        fiscal_year=2025,
        by=outreach_worker_a,
        agency=records_a["client"].agency,
    )
    report_submit(report=report, by=outreach_worker_a)
    report_approve(report=report, by=prefecture_user)
    assert PeriodLock.objects.filter(agency=report.agency, fiscal_year=2025).exists()
    with pytest.raises(ValidationError, match=FROZEN):
        services.record_delete(record=records_a["linkage"], by=records_a["worker"].user)


@pytest.mark.parametrize("kind", ["contact", "plan", "linkage", "outcome", "meeting"])
def test_the_contractors_other_agency_stays_open(locked, agency_a2, contractor_a, kind):
    """Approving 春日部's report froze 春日部's records only: 越谷 reports (and is frozen) on its own."""
    from tests.factories import make_user
    from tests.outreach.factories import WorkerFactory

    user = make_user("outreach_worker", contractor_a, username="koshigaya")
    worker = WorkerFactory(user=user, agency=agency_a2)
    client = ClientFactory(agency=agency_a2, worker=worker, registered_on=date(2025, 4, 10))
    saved = _new_records(client, worker, date(2025, 11, 4))[kind]()
    assert type(saved).objects.filter(pk=saved.pk).exists()


def test_a_lock_of_the_whole_program_freezes_every_agency(records_a, agency_a2, contractor_a):
    PeriodLock.objects.create(organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025)
    client = ClientFactory(agency=agency_a2, registered_on=date(2024, 4, 10))
    with pytest.raises(ValidationError, match=FROZEN):
        services.client_record_save(
            record=SupportPlan(client=client, made_on=date(2025, 6, 1), goals="外出", planned_supports="訪問"),
            by=records_a["worker"].user,
        )


def test_reopening_lifts_only_that_agencys_lock(records_a, agency_a2, contractor_a, prefecture_user):
    from reporting.services import report_approve, report_reopen, report_submit
    from tests.reporting.conftest import complete_outreach_contractor

    reports = []
    for agency in (records_a["client"].agency, agency_a2):
        complete_outreach_contractor(contractor_a, 2025, agency)
        report = _approved_report(contractor_a, agency, prefecture_user, report_submit, report_approve)
        reports.append(report)
    report_reopen(report=reports[0], by=prefecture_user, reason="入力漏れ")
    assert list(PeriodLock.objects.values_list("agency_id", flat=True)) == [agency_a2.pk]


def _approved_report(contractor, agency, prefecture_user, report_submit, report_approve):
    from outreach.models import OutreachWorker
    from reporting.services import report_get_or_create_draft

    worker = OutreachWorker.objects.filter(agency=agency, is_active=True).select_related("user").first()
    report = report_get_or_create_draft(
        organisation=contractor, program=Program.OUTREACH, fiscal_year=2025, by=worker.user, agency=agency
    )
    report_submit(report=report, by=worker.user)
    return report_approve(report=report, by=prefecture_user)


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


# --- what an approved report counted of a client, and the cohort recalculation ----------------------


def test_a_client_counted_in_the_frozen_year_keeps_what_the_report_counted(locked, records_a):
    client = Client.objects.get(pk=records_a["client"].pk)  # registered 2025-04-10, still open
    client.criterion_unstable_work = True
    client.birth_date = date(1990, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.client_save(client=client, by=records_a["worker"].user)
    assert set(refused.value.error_dict) == {"criterion_unstable_work", "birth_date"}
    assert "承認済みの令和7年度の実績報告書に計上されているため" in refused.value.error_dict["birth_date"][0].message
    stored = Client.objects.get(pk=client.pk)
    assert (stored.criterion_unstable_work, stored.birth_date) == (False, date(1978, 6, 1))


def test_a_client_counted_in_the_frozen_year_keeps_contact_details_editable(locked, records_a):
    client = Client.objects.get(pk=records_a["client"].pk)
    Client.objects.filter(pk=client.pk).update(in_cohort=False)  # as the approved report counted it
    client = Client.objects.get(pk=client.pk)
    client.phone, client.outside_cohort_reason = "048-000-0000", "支援の経過から対象とした"
    services.client_save(client=client, by=records_a["worker"].user)
    stored = Client.objects.get(pk=client.pk)
    assert stored.phone == "048-000-0000"
    assert stored.in_cohort is False  # not re-judged against today's cohort behind the report's back


def test_a_client_only_of_open_years_can_change_what_is_counted(locked, records_a, agency_a):
    client = ClientFactory(agency=agency_a, registered_on=date(2026, 4, 10))
    client.criterion_unstable_work = True
    services.client_save(client=client, by=records_a["worker"].user)
    assert Client.objects.get(pk=client.pk).criterion_unstable_work is True


def test_a_client_closed_before_the_frozen_year_is_not_held_by_it(records_a, agency_a, contractor_a):
    client = ClientFactory(
        agency=agency_a,
        registered_on=date(2024, 5, 1),
        status="closed",
        closed_on=date(2025, 3, 1),
        closed_reason="就職",
    )
    PeriodLock.objects.create(organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025)
    client.criterion_unstable_work = True
    services.client_save(client=client, by=records_a["worker"].user)


def test_importing_a_change_of_what_was_counted_is_refused(locked, records_a):
    client = Client.objects.get(pk=records_a["client"].pk)
    client.sex = "female" if client.sex != "female" else "male"
    with pytest.raises(ValidationError, match="「性別」は変更できません"):
        services.ensure_record_open(client)  # what the admin form asks before saving


def test_the_cohort_change_keeps_clients_counted_in_an_approved_year(locked, records_a, agency_a, contractor_b):
    from outreach.models import CohortSetting
    from tests.outreach.factories import AgencyFactory

    counted = records_a["client"]  # born 1978-06-01, open in the frozen 令和7年度
    new = ClientFactory(agency=agency_a, registered_on=date(2026, 4, 10), birth_date=date(1978, 7, 1))
    elsewhere = ClientFactory(agency=AgencyFactory(organisation=contractor_b), birth_date=date(1978, 8, 1))
    cohort = CohortSetting.current()
    cohort.birth_from = date(1980, 4, 2)  # the three are now outside the cohort
    result = services.cohort_update(cohort=cohort, by=records_a["worker"].user)
    assert Client.objects.get(pk=counted.pk).in_cohort is True
    assert Client.objects.get(pk=new.pk).in_cohort is False
    assert Client.objects.get(pk=elsewhere.pk).in_cohort is False
    assert (result.changed, result.kept, result.kept_years) == (2, 1, [2025])
    assert "承認済みの実績報告書（令和7年度）に計上された1人は、判定を変更していません" in result.message
    history = Client.history.filter(id=new.pk).first()
    assert history.in_cohort is False and history.history_change_reason == "就職氷河期世代の範囲の変更"


def test_the_cohort_page_says_which_clients_kept_their_judgement(locked, records_a, client_for, prefecture_user):
    response = client_for(prefecture_user).post(
        reverse("outreach:cohort"),
        {"birth_from": "1980-04-02", "birth_to": "1986-04-01", "school_leaving_from": 1993, "school_leaving_to": 2006},
        follow=True,
    )
    assert "承認済みの実績報告書（令和7年度）に計上された1人は、判定を変更していません" in response.text
    assert Client.objects.get(pk=records_a["client"].pk).in_cohort is True


def test_the_cohort_admin_goes_through_the_same_rule(locked, records_a, admin_web):
    from outreach.models import CohortSetting

    cohort = CohortSetting.current()
    cohort.save()  # the setting as stored
    response = admin_web.post(
        reverse("admin:outreach_cohortsetting_change", args=[cohort.pk]),
        {"birth_from": "1980-04-02", "birth_to": "1986-04-01", "school_leaving_from": 1993, "school_leaving_to": 2006},
        follow=True,
    )
    assert "承認済みの実績報告書（令和7年度）に計上された1人は、判定を変更していません" in response.text
    assert CohortSetting.current().birth_from == date(1980, 4, 2)
    assert Client.objects.get(pk=records_a["client"].pk).in_cohort is True
