"""List filters the annual report's drill-down links use: the lists show exactly the records counted."""

from datetime import date

import pytest
from django.urls import reverse

from outreach import selectors
from outreach.models import Client
from outreach.selectors.report import outreach_report_figures
from tests.outreach.factories import (
    ClientFactory,
    ContactFactory,
    LinkageFactory,
    MeetingFactory,
    OutcomeFactory,
    PlanFactory,
    ReviewFactory,
)


@pytest.fixture
def clients(agency_a, agency_b, worker_a):
    return {
        "continuing": ClientFactory(agency=agency_a, registered_on=date(2024, 5, 1), birth_date=date(1980, 5, 1)),
        "new": ClientFactory(
            agency=agency_a,
            registered_on=date(2025, 6, 1),
            birth_date=date(1975, 4, 1),
            sex="female",
            referral_route="self",
        ),
        "closed_before": ClientFactory(
            agency=agency_a,
            registered_on=date(2024, 5, 1),
            status="closed",
            closed_on=date(2025, 3, 1),
            closed_reason="転居",
        ),
        "next_year": ClientFactory(agency=agency_a, registered_on=date(2026, 4, 2)),
        "other_contractor": ClientFactory(agency=agency_b, registered_on=date(2025, 6, 1)),
    }


def _names(queryset):
    return {obj.pk for obj in queryset}


def test_clients_of_a_fiscal_year_new_and_continuing(clients, prefecture_user, contractor_a):
    def listed(**filters):
        return _names(selectors.client_list(viewer=prefecture_user, filters={"contractor": contractor_a.pk, **filters}))

    assert listed(fiscal_year=2025) == {clients["continuing"].pk, clients["new"].pk}
    assert listed(fiscal_year=2025, intake="new") == {clients["new"].pk}
    assert listed(fiscal_year=2025, intake="continuing") == {clients["continuing"].pk}


def test_clients_by_age_band_sex_and_route(clients, prefecture_user):
    def listed(**filters):
        return _names(selectors.client_list(viewer=prefecture_user, filters={"fiscal_year": 2025, **filters}))

    assert listed(age_band="40〜44歳") == {clients["continuing"].pk}  # 44 on 2025-04-01
    assert listed(age_band="50〜54歳") == {clients["new"].pk}  # 50 on 2025-04-01
    assert listed(sex="female") == {clients["new"].pk}
    assert listed(referral_route="self") == {clients["new"].pk}


def test_contractor_filter_narrows_prefecture_lists(clients, prefecture_user, contractor_b):
    listed = selectors.client_list(viewer=prefecture_user, filters={"contractor": contractor_b.pk})
    assert _names(listed) == {clients["other_contractor"].pk}


def test_contractor_filter_never_widens_a_workers_scope(clients, worker_b, contractor_a, client_for):
    response = client_for(worker_b.user).get(reverse("outreach:client_list"), {"contractor": contractor_a.pk})
    assert response.status_code == 200
    assert {c.pk for c in response.context["page"].object_list} <= {clients["other_contractor"].pk}


def test_clients_missing_a_criterion_a_cohort_reason_or_a_plan(clients, prefecture_user):
    Client.objects.filter(pk=clients["new"].pk).update(criterion_hikikomori=False)
    Client.objects.filter(pk=clients["continuing"].pk).update(in_cohort=False, outside_cohort_reason="")
    PlanFactory(client=clients["new"], made_on=date(2025, 7, 1))

    def listed(missing):
        return _names(selectors.client_list(viewer=prefecture_user, filters={"fiscal_year": 2025, "missing": missing}))

    assert listed("criterion") == {clients["new"].pk}
    assert listed("cohort_reason") == {clients["continuing"].pk}
    assert listed("plan") == {clients["continuing"].pk, clients["other_contractor"].pk}


def test_plans_linkages_outcomes_and_meetings_by_month_and_year(client_a, prefecture_user, contractor_a):
    june = PlanFactory(client=client_a, made_on=date(2025, 6, 3))
    PlanFactory(client=client_a, made_on=date(2024, 6, 3))
    link = LinkageFactory(client=client_a, date=date(2025, 6, 4))
    LinkageFactory(client=client_a, date=date(2025, 7, 4))
    outcome = OutcomeFactory(client=client_a, date=date(2025, 6, 5))
    OutcomeFactory(client=client_a, date=date(2026, 6, 5))
    meeting = MeetingFactory(agency=client_a.agency, date=date(2025, 6, 6))
    MeetingFactory(agency=client_a.agency, date=date(2026, 6, 6))
    june_filter = {"month": date(2025, 6, 1), "contractor": contractor_a.pk}
    assert _names(selectors.plan_list(viewer=prefecture_user, filters=june_filter)) == {june.pk}
    assert _names(selectors.plan_list(viewer=prefecture_user, filters={"fiscal_year": 2025})) == {june.pk}
    assert _names(selectors.linkage_list(viewer=prefecture_user, filters=june_filter)) == {link.pk}
    assert _names(selectors.outcome_list(viewer=prefecture_user, filters=june_filter)) == {outcome.pk}
    assert _names(selectors.meeting_list(viewer=prefecture_user, filters={"fiscal_year": 2025})) == {meeting.pk}


def test_agency_filter_of_plans_linkages_and_outcomes(client_a, agency_a2, prefecture_user, worker_a):
    other = ClientFactory(agency=agency_a2)
    mine = PlanFactory(client=client_a)
    PlanFactory(client=other)
    assert _names(selectors.plan_list(viewer=prefecture_user, filters={"agency": client_a.agency_id})) == {mine.pk}
    link = LinkageFactory(client=client_a)
    LinkageFactory(client=other)
    assert _names(selectors.linkage_list(viewer=prefecture_user, filters={"agency": client_a.agency_id})) == {link.pk}
    outcome = OutcomeFactory(client=client_a)
    OutcomeFactory(client=other)
    assert _names(selectors.outcome_list(viewer=prefecture_user, filters={"agency": client_a.agency_id})) == {
        outcome.pk
    }


def test_a_workers_agency_link_to_a_sibling_agency_lists_nothing(client_a, agency_a2, worker_a, client_for):
    ClientFactory(agency=agency_a2)
    web = client_for(worker_a.user)
    mine = web.get(reverse("outreach:client_list"), {"agency": client_a.agency_id})
    assert [c.pk for c in mine.context["page"].object_list] == [client_a.pk]
    sibling = web.get(reverse("outreach:client_list"), {"agency": agency_a2.pk})
    assert sibling.context["page"].paginator.count == 0


def test_list_pages_accept_the_report_filters(client_a, client_for, prefecture_user, contractor_a):
    ContactFactory(client=client_a, date=date(2025, 6, 10))
    PlanFactory(client=client_a, made_on=date(2025, 6, 3))
    client = client_for(prefecture_user)
    for name, params, expected in (
        ("outreach:contact_list", {"contractor": contractor_a.pk, "month": "2025-06"}, 1),
        ("outreach:plan_list", {"contractor": contractor_a.pk, "month": "2025-06"}, 1),
        ("outreach:plan_list", {"contractor": contractor_a.pk, "month": "2025-07"}, 0),
        ("outreach:client_list", {"contractor": contractor_a.pk, "fiscal_year": 2025, "intake": "new"}, 1),
        ("outreach:worker_list", {"contractor": contractor_a.pk, "active_only": "on"}, 1),
        ("outreach:contract_list", {"contractor": contractor_a.pk, "fiscal_year": 2025}, 0),
    ):
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        assert response.context["page"].paginator.count == expected, (name, params)
        assert 'type="hidden" name="contractor"' in response.text


@pytest.fixture
def reviews(client_a, agency_a2, client_b):
    """Reviews of 令和7年度 in two agencies of contractor Ａ, plus ones outside the 年度 and of contractor Ｂ."""
    sibling = ClientFactory(agency=agency_a2, name="鈴木 次郎", name_kana="スズキ ジロウ")
    plan = PlanFactory(client=client_a, made_on=date(2024, 12, 1))
    sibling_plan = PlanFactory(client=sibling, made_on=date(2025, 4, 1))
    return {
        "june": ReviewFactory(plan=plan, reviewed_on=date(2025, 6, 3), next_review_on=None),
        "june_sibling": ReviewFactory(plan=sibling_plan, reviewed_on=date(2025, 6, 20), next_review_on=None),
        "march": ReviewFactory(plan=plan, reviewed_on=date(2026, 3, 31), next_review_on=None),
        "before": ReviewFactory(plan=plan, reviewed_on=date(2025, 3, 31), next_review_on=None),
        "other_contractor": ReviewFactory(
            plan=PlanFactory(client=client_b, made_on=date(2025, 4, 1)), reviewed_on=date(2025, 6, 3)
        ),
    }


def test_plan_review_list_filters_by_review_date_agency_contractor_plan_and_name(
    reviews, client_a, prefecture_user, contractor_a
):
    def listed(**filters):
        return _names(selectors.plan_review_list(viewer=prefecture_user, filters=filters))

    assert listed(fiscal_year=2025, contractor=contractor_a.pk) == {
        reviews[key].pk for key in ("june", "june_sibling", "march")
    }
    assert listed(month=date(2025, 6, 1), contractor=contractor_a.pk) == {
        reviews["june"].pk,
        reviews["june_sibling"].pk,
    }
    assert listed(agency=client_a.agency_id, fiscal_year=2025) == {reviews["june"].pk, reviews["march"].pk}
    assert listed(plan=reviews["june"].plan_id) == {reviews[key].pk for key in ("june", "march", "before")}
    assert listed(q="ｽｽﾞｷ") == {reviews["june_sibling"].pk}


def test_plan_review_links_list_exactly_the_reviews_the_report_counts(
    reviews, client_a, agency_a2, client_for, prefecture_user, contractor_a
):
    """The parameters the agency report's 「支援計画の見直し」 row links with: contractor, agency, 年度 or month."""
    per_agency = {
        agency: outreach_report_figures(agency=agency, fiscal_year=2025).summary["plans_and_meetings"]["plan_reviews"]
        for agency in (client_a.agency, agency_a2)
    }
    web = client_for(prefecture_user)

    def count(**params):
        response = web.get(reverse("outreach:plan_review_list"), params)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    year = {"contractor": contractor_a.pk, "fiscal_year": 2025}
    assert count(**year) == sum(per_agency.values()) == 3
    assert count(**year, agency=client_a.agency_id) == per_agency[client_a.agency] == 2
    assert count(**year, agency=agency_a2.pk) == per_agency[agency_a2] == 1
    assert count(contractor=contractor_a.pk, month="2025-06") == 2
    assert count(contractor=contractor_a.pk, agency=agency_a2.pk, month="2025-06") == 1
    assert count(contractor=contractor_a.pk, month="2025-07") == 0


def test_plan_review_list_sorts_pages_and_says_when_nothing_matches(reviews, client_for, prefecture_user, contractor_a):
    web = client_for(prefecture_user)
    url = reverse("outreach:plan_review_list")
    newest_first = web.get(url, {"contractor": contractor_a.pk})
    assert [r.pk for r in newest_first.context["page"].object_list][:2] == [
        reviews["march"].pk,
        reviews["june_sibling"].pk,
    ]
    oldest_first = web.get(url, {"contractor": contractor_a.pk, "sort": "reviewed_on"})
    assert oldest_first.context["page"].object_list[0].pk == reviews["before"].pk
    assert "R7.6.3" in newest_first.text
    empty = web.get(url, {"contractor": contractor_a.pk, "month": "2025-08"})
    assert "条件に合う見直しの記録はありません。" in empty.text


def test_plan_review_list_is_linked_from_the_plans_and_the_clients_plan(
    reviews, client_a, client_for, outreach_worker_a
):
    web = client_for(outreach_worker_a)
    target = reverse("outreach:plan_review_list")
    assert f'href="{target}"' in web.get(reverse("outreach:plan_list")).text
    plan_id = reviews["june"].plan_id
    assert f'href="{target}?plan={plan_id}"' in web.get(reverse("outreach:plan_detail", args=[plan_id])).text
    assert f'href="{target}?plan={plan_id}"' in web.get(reverse("outreach:client_detail", args=[client_a.pk])).text
