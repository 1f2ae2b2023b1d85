"""The counts the annual report will read: each computed once, and scoped to the viewer."""

from datetime import date, time

from outreach import selectors
from outreach.models import ContactKind, OutcomeKind
from tests.outreach.factories import (
    ClientFactory,
    ContactFactory,
    LinkageFactory,
    MeetingFactory,
    OutcomeFactory,
    PlanFactory,
    ResourceFactory,
    ReviewFactory,
)


def test_client_counts_by_criterion_split_new_and_continuing(prefecture_user, agency_a):
    ClientFactory(agency=agency_a, registered_on=date(2024, 6, 1), criterion_hikikomori=True)
    ClientFactory(
        agency=agency_a,
        registered_on=date(2025, 5, 1),
        criterion_hikikomori=False,
        criterion_unstable_work=True,
        birth_date=date(1990, 1, 1),
        in_cohort=False,
        outside_cohort_reason="理由",
    )
    ClientFactory(agency=agency_a, registered_on=date(2024, 6, 1), status="closed", closed_on=date(2025, 3, 1))
    counts = selectors.client_counts_by_criterion(viewer=prefecture_user, fiscal_year=2025)
    assert counts["total"] == 2
    assert (counts["new"], counts["continuing"]) == (1, 1)
    assert counts["criterion_hikikomori"] == 1
    assert counts["criterion_unstable_work"] == 1
    assert counts["out_of_cohort"] == 1


def test_contact_counts_by_kind_and_month_run_april_to_march(prefecture_user, client_a):
    ContactFactory(client=client_a, date=date(2025, 4, 3), kind=ContactKind.PHONE)
    ContactFactory(client=client_a, date=date(2025, 4, 9), kind=ContactKind.PHONE)
    ContactFactory(client=client_a, date=date(2026, 3, 31), kind=ContactKind.HOME_VISIT)
    ContactFactory(client=client_a, date=date(2026, 4, 1), kind=ContactKind.HOME_VISIT)  # next 年度
    table = selectors.contact_counts_by_kind_and_month(viewer=prefecture_user, fiscal_year=2025)
    assert table[ContactKind.PHONE] == [2] + [0] * 11
    assert table[ContactKind.HOME_VISIT] == [0] * 11 + [1]


def test_contact_flag_counts(prefecture_user, client_a):
    ContactFactory(client=client_a, date=date(2025, 5, 6))  # 振替休日
    ContactFactory(client=client_a, date=date(2025, 6, 14), start_time=time(18, 0), end_time=time(19, 0))
    ContactFactory(client=client_a, date=date(2025, 12, 30), with_person=True, first_connection=True)
    ContactFactory(client=client_a, date=date(2025, 6, 11))
    counts = selectors.contact_flag_counts(viewer=prefecture_user, fiscal_year=2025)
    assert counts == {
        "total": 4,
        "first_connection": 1,
        "any": 3,
        "weekend": 1,
        "holiday": 1,
        "year_end": 1,
        "after_hours": 1,
    }


def test_outcome_linkage_plan_and_meeting_counts(prefecture_user, client_a):
    OutcomeFactory(client=client_a, kind=OutcomeKind.EMPLOYED, date=date(2025, 10, 1))
    OutcomeFactory(client=client_a, kind=OutcomeKind.EMPLOYED, date=date(2024, 10, 1))
    LinkageFactory(client=client_a, resource=ResourceFactory(kind="hello_work", name="ハローワークＡ"))
    ReviewFactory(plan=PlanFactory(client=client_a))
    MeetingFactory(agency=client_a.agency)
    assert selectors.outcome_counts(viewer=prefecture_user, fiscal_year=2025)[OutcomeKind.EMPLOYED] == 1
    assert selectors.linkage_counts_by_resource_kind(viewer=prefecture_user, fiscal_year=2025)["hello_work"] == 1
    assert selectors.plan_and_meeting_counts(viewer=prefecture_user, fiscal_year=2025) == {
        "plans_made": 1,
        "plan_reviews": 1,
        "meetings_coordination": 1,
    }


def test_counts_are_scoped_to_the_viewer(outreach_worker_b, worker_b, client_a):
    ContactFactory(client=client_a, date=date(2025, 6, 14))
    OutcomeFactory(client=client_a, date=date(2025, 9, 1))
    assert selectors.contact_flag_counts(viewer=outreach_worker_b, fiscal_year=2025)["total"] == 0
    assert selectors.client_counts_by_criterion(viewer=outreach_worker_b, fiscal_year=2025)["total"] == 0
    assert sum(selectors.outcome_counts(viewer=outreach_worker_b, fiscal_year=2025).values()) == 0


def test_counts_can_be_narrowed_to_one_agency(prefecture_user, client_a, client_b):
    ContactFactory(client=client_a, date=date(2025, 6, 11))
    ContactFactory(client=client_b, date=date(2025, 6, 11))
    counts = selectors.contact_flag_counts(viewer=prefecture_user, fiscal_year=2025, agency=client_a.agency)
    assert counts["total"] == 1


def test_plans_due_use_the_latest_review(outreach_worker_a, client_a):
    plan = PlanFactory(client=client_a, made_on=date(2026, 1, 1), next_review_on=date(2026, 4, 1))
    assert list(selectors.plans_due_for_review(viewer=outreach_worker_a, today=date(2026, 4, 1))) == [plan]
    ReviewFactory(plan=plan, reviewed_on=date(2026, 4, 1), next_review_on=date(2026, 7, 1))
    assert not selectors.plans_due_for_review(viewer=outreach_worker_a, today=date(2026, 4, 2)).exists()
    assert selectors.plans_due_for_review(viewer=outreach_worker_a, today=date(2026, 6, 25)).exists()


def test_plans_due_leave_out_closed_cases_and_other_agencies(
    outreach_worker_a, prefecture_user, client_a, agency_a, worker_a2, client_b
):
    due_on = date(2026, 4, 1)
    plan = PlanFactory(client=client_a, made_on=date(2026, 1, 1), next_review_on=due_on)
    closed = ClientFactory(agency=agency_a, status="closed", closed_on=date(2026, 3, 1))
    PlanFactory(client=closed, made_on=date(2026, 1, 1), next_review_on=due_on)
    other_agency = PlanFactory(
        client=ClientFactory(agency=worker_a2.agency), made_on=date(2026, 1, 1), next_review_on=due_on
    )
    other_contractor = PlanFactory(client=client_b, made_on=date(2026, 1, 1), next_review_on=due_on)
    assert list(selectors.plans_due_for_review(viewer=outreach_worker_a, today=due_on)) == [plan]
    assert selectors.worker_home_summary(viewer=outreach_worker_a, today=due_on)["plans_due"] == 1
    everyone = selectors.plans_due_for_review(viewer=prefecture_user, today=due_on)
    assert set(everyone) == {plan, other_agency, other_contractor}


def test_plan_list_counts_each_plans_reviews_and_pages_without_grouping(prefecture_user, client_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewed = PlanFactory(client=client_a, made_on=date(2025, 5, 1))
    ReviewFactory(plan=reviewed)
    ReviewFactory(plan=reviewed, reviewed_on=date(2025, 12, 1))
    never = PlanFactory(client=client_a, made_on=date(2025, 6, 1))
    plans = selectors.plan_list(viewer=prefecture_user)
    assert {plan.pk: plan.review_count for plan in plans} == {reviewed.pk: 2, never.pk: 0}
    with CaptureQueriesContext(connection) as queries:
        assert selectors.plan_list(viewer=prefecture_user).count() == 2
    assert "GROUP BY" not in queries[0]["sql"].upper()


def test_meeting_list_counts_each_meetings_clients_without_grouping(prefecture_user, client_a, agency_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    two = MeetingFactory(agency=agency_a, clients=[client_a, ClientFactory(agency=agency_a)])
    none = MeetingFactory(agency=agency_a, date=date(2025, 9, 1))
    with CaptureQueriesContext(connection) as queries:
        meetings = list(selectors.meeting_list(viewer=prefecture_user))
    assert {m.pk: m.client_count for m in meetings} == {two.pk: 2, none.pk: 0}
    # Counted per meeting in a subquery: the meetings themselves are not grouped (nor sorted as a whole).
    assert len(queries) == 1
    assert 'GROUP BY "outreach_supportmeeting"."id"' not in queries[0]["sql"]


def test_summary_page_shows_the_years_numbers(client_for, outreach_worker_a, client_a, client_b):
    from django.urls import reverse

    ContactFactory(client=client_a, date=date(2025, 5, 6), kind=ContactKind.PHONE)
    ContactFactory(client=client_b, date=date(2025, 5, 6), kind=ContactKind.PHONE)
    response = client_for(outreach_worker_a).get(reverse("outreach:summary"), {"fiscal_year": 2025})
    assert "令和7年度" in response.text
    assert response.context["summary"]["flags"]["holiday"] == 1
    assert response.context["kind_rows"][3][1][1] == 1  # 電話, May


def test_age_bands_are_taken_on_the_first_of_april(prefecture_user, agency_a):
    # On 2025-04-01: born 1990-04-01 is 35 (35〜39), born 1990-04-02 is 34 (30〜34).
    ClientFactory(agency=agency_a, birth_date=date(1990, 4, 1), sex="female", referral_route="self")
    ClientFactory(agency=agency_a, birth_date=date(1990, 4, 2), sex="male", referral_route="family")
    ClientFactory(agency=agency_a, birth_date=date(1970, 4, 2))
    profile = selectors.client_profile_counts(viewer=prefecture_user, fiscal_year=2025)
    ages = dict(profile["age"])
    assert (ages["30〜34歳"], ages["35〜39歳"], ages["55歳以上"], ages["50〜54歳"]) == (1, 1, 0, 1)
    assert sum(ages.values()) == 3
    assert dict(profile["sex"])["女性"] == 1
    assert dict(profile["referral_route"])["本人"] == 1


def test_workers_counted_by_qualification(prefecture_user, worker_a, worker_b):
    counts = dict(selectors.worker_counts_by_qualification(viewer=prefecture_user))
    assert counts["ウ 相談支援業務5年以上"] == 2


def test_agency_list_counts_each_agencys_clients_and_active_workers(prefecture_user, agency_a, agency_a2, worker_a):
    from accounts.models import Role
    from tests.factories import make_user
    from tests.outreach.factories import WorkerFactory

    ClientFactory(agency=agency_a)
    ClientFactory(agency=agency_a, status="closed", closed_on=date(2026, 3, 1))
    ClientFactory(agency=agency_a2)
    retired = make_user(Role.OUTREACH_WORKER, agency_a.organisation, username="retired-worker")
    WorkerFactory(user=retired, agency=agency_a, is_active=False)
    counts = {a.pk: (a.client_count, a.worker_count) for a in selectors.agency_list(viewer=prefecture_user)}
    assert counts == {agency_a.pk: (2, 1), agency_a2.pk: (1, 0)}
