"""Every list and the client timeline cost the same number of queries for 3 rows as for 30."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user
from tests.outreach.factories import (
    AgencyFactory,
    ClientFactory,
    ContactFactory,
    ContractFactory,
    LinkageFactory,
    MeetingFactory,
    OutcomeFactory,
    PlanFactory,
    ResourceFactory,
    ReviewFactory,
    WorkerFactory,
)

# Prefecture staff pay one query more on every page: loading their verified TOTP device.
# Lists of clients and their records pay one insert more: the audit row of the list shown.
LIST_BOUND = 12
TIMELINE_BOUND = 18
SUMMARY_BOUND = 15  # one pass over the contacts, one over the clients, one per other table
HOME_BOUND = 12  # three counts, two short lists and the annual-report panel


@pytest.fixture
def rows(request, agency_a, worker_a):
    """`n` rows of every kind in agency_a, all pointing at real related objects."""
    n = request.param
    for _index in range(n):
        client = ClientFactory(agency=agency_a, worker=worker_a)
        ContactFactory(client=client, worker=worker_a)
        plan = PlanFactory(client=client)
        ReviewFactory(plan=plan)
        LinkageFactory(client=client)
        OutcomeFactory(client=client)
        MeetingFactory(agency=agency_a, clients=[client])
        ResourceFactory()
        WorkerFactory(agency=agency_a, user=make_user(Role.OUTREACH_WORKER, agency_a.organisation))
        ContractFactory(agency=AgencyFactory(organisation=agency_a.organisation))
    return n


@pytest.mark.parametrize("rows", [3, 30], indirect=True)
@pytest.mark.parametrize(
    "name",
    [
        "outreach:client_list",
        "outreach:contact_list",
        "outreach:meeting_list",
        "outreach:agency_list",
        "outreach:worker_list",
        "outreach:contract_list",
        "outreach:resource_list",
        "outreach:plan_list",
        "outreach:plan_review_list",
        "outreach:linkage_list",
        "outreach:outcome_list",
    ],
)
@pytest.mark.parametrize("viewer", ["outreach_worker_a", "prefecture_user"])
def test_list_queries_do_not_grow_with_rows(request, client_for, django_assert_max_num_queries, rows, name, viewer):
    web = client_for(request.getfixturevalue(viewer))
    with django_assert_max_num_queries(LIST_BOUND):
        response = web.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30], indirect=True)
@pytest.mark.parametrize(
    "name",
    [
        "outreach:client_csv",
        "outreach:contact_csv",
        "outreach:meeting_csv",
        "outreach:linkage_csv",
        "outreach:plan_review_csv",
    ],
)
def test_csv_queries_do_not_grow_with_rows(client_for, outreach_worker_a, django_assert_max_num_queries, rows, name):
    web = client_for(outreach_worker_a)
    with django_assert_max_num_queries(LIST_BOUND):
        body = b"".join(web.get(reverse(name)).streaming_content)
    assert body.count(b"\n") == rows + 1


@pytest.mark.parametrize("count", [3, 30])
def test_client_timeline_queries_do_not_grow(
    client_for, outreach_worker_a, django_assert_max_num_queries, client_a, count
):
    for day in range(count):
        ContactFactory(client=client_a)
        ReviewFactory(plan=PlanFactory(client=client_a))
        LinkageFactory(client=client_a)
        OutcomeFactory(client=client_a, date=date(2025, 9, 1) + timedelta(days=day))
        MeetingFactory(agency=client_a.agency, clients=[client_a])
    web = client_for(outreach_worker_a)
    with django_assert_max_num_queries(TIMELINE_BOUND):
        response = web.get(reverse("outreach:client_detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert len(response.context["timeline"]) == 6 * count


@pytest.mark.parametrize("count", [3, 30])
def test_home_panel_queries_do_not_grow(client_for, outreach_worker_a, django_assert_max_num_queries, client_a, count):
    from django.utils import timezone

    today = timezone.localdate()
    for _ in range(count):
        case = ClientFactory(agency=client_a.agency, registered_on=today - timedelta(days=100))
        ContactFactory(client=case, date=today - timedelta(days=60))  # quiet for 60 days: stale
        PlanFactory(client=case, made_on=today - timedelta(days=90), next_review_on=today)  # due
    web = client_for(outreach_worker_a)
    with django_assert_max_num_queries(HOME_BOUND):
        response = web.get(reverse("home"))
    assert "今月の対応記録" in response.text
    panel = next(p for p in response.context["panels"] if p["template"] == "outreach/home_panel.html")
    stale = count + 1  # client_a, registered long ago and never contacted, too
    assert (panel["stale_clients"], panel["plans_due"], len(panel["due_plans"])) == (stale, count, min(count, 5))


@pytest.mark.parametrize("rows", [3, 30], indirect=True)
@pytest.mark.parametrize("viewer", ["outreach_worker_a", "prefecture_user"])
def test_summary_queries_do_not_grow_with_rows(request, client_for, django_assert_max_num_queries, rows, viewer):
    web = client_for(request.getfixturevalue(viewer))
    with django_assert_max_num_queries(SUMMARY_BOUND):
        response = web.get(reverse("outreach:summary"), {"fiscal_year": 2025})
    assert response.context["summary"]["flags"]["total"] == rows
