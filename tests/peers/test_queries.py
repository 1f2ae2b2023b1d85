"""Every list page and the month view run a constant number of queries as rows grow."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.peers.factories import (
    ActivityFactory,
    ConditionsFactory,
    CoordinatorFactory,
    CouncilFactory,
    CourseFactory,
    ExpenditureFactory,
    PersonFactory,
    PledgeFactory,
    SupporterFactory,
    TraineeFactory,
    add_supporter,
)

PAGES = [
    ("peers:activity_list", {}),
    ("peers:activity_list", {"fiscal_year": "2026", "month": "11"}),
    ("peers:activity_month", {"month": "2026-11"}),
    ("peers:supporter_list", {}),
    ("peers:person_list", {}),
    ("peers:course_list", {}),
    ("peers:council_list", {}),
    ("peers:expenditure_list", {}),
    ("peers:contract_list", {}),
    ("peers:coordinator_list", {}),
]
BOUND = 20


def build(organisation, count: int, start: int) -> None:
    coordinator = CoordinatorFactory(organisation=organisation)
    for index in range(count):
        supporter = SupporterFactory(organisation=organisation)
        PledgeFactory(supporter=supporter)
        ConditionsFactory(supporter=supporter)
        person = PersonFactory(organisation=organisation, code=f"Q-{start + index:04d}")
        activity = ActivityFactory(
            organisation=organisation, coordinator=coordinator, date=date(2026, 11, 1) + timedelta(days=index % 28)
        )
        activity.people.add(person)
        add_supporter(activity, supporter)
        TraineeFactory(course=CourseFactory(organisation=organisation))
        CouncilFactory(organisation=organisation)
        ExpenditureFactory(organisation=organisation, amount=1000 + index)


def count_queries(client, url_name, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["coordinator", "prefecture"])
def test_list_pages_use_a_constant_number_of_queries(
    client_for, coordinator_a, prefecture_user, contract_a, contractor_a, django_assert_max_num_queries, persona
):
    client = client_for(coordinator_a if persona == "coordinator" else prefecture_user)
    build(contractor_a, 3, 0)
    few = {(name, tuple(params.items())): count_queries(client, name, params) for name, params in PAGES}
    build(contractor_a, 27, 100)
    for name, params in PAGES:
        with django_assert_max_num_queries(BOUND):
            many = count_queries(client, name, params)
        assert many == few[(name, tuple(params.items()))], name
