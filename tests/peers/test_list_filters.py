"""The supporter and contract filters offer one contractor's records, not the whole prefecture's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.peers.factories import ContractFactory, ExpenditureFactory, PledgeFactory, SupporterFactory


def options(response, name) -> list:
    """The choices the select `name` offers, without its empty option."""
    return [value.instance for value, _label in response.context["form"].fields[name].choices if value]


def rows(response) -> list[int]:
    return [obj.pk for obj, _cells in response.context["rows"]]


# --- supporters in the activity list ---------------------------------------------------------------


def test_prefecture_without_contractor_is_offered_no_supporters_but_a_hint(
    client_for, prefecture_user, supporter_a, supporter_b
):
    response = client_for(prefecture_user).get(reverse("peers:activity_list"))
    assert options(response, "supporter") == []
    assert "受託事業者を選ぶと選べます" in response.text
    fields = list(response.context["form"].fields)
    assert fields.index("contractor") < fields.index("supporter")  # chosen first, it narrows the supporters


def test_prefecture_with_contractor_is_offered_that_contractors_supporters(
    client_for, prefecture_user, contractor_a, supporter_a, supporter_b
):
    other = SupporterFactory(organisation=contractor_a)
    response = client_for(prefecture_user).get(reverse("peers:activity_list"), {"contractor": contractor_a.pk})
    assert options(response, "supporter") == [supporter_a, other]
    assert "受託事業者を選ぶと選べます" not in response.text


def test_supporter_link_without_contractor_still_filters_and_selects(
    client_for, prefecture_user, activity_a, activity_b, supporter_a
):
    """The 実績報告書 and other pages link here with supporter=<id>, sometimes without the contractor."""
    response = client_for(prefecture_user).get(reverse("peers:activity_list"), {"supporter": supporter_a.pk})
    assert response.context["form"].is_valid()
    assert rows(response) == [activity_a.pk]
    assert options(response, "supporter") == [supporter_a]
    assert f'<option value="{supporter_a.pk}" selected>' in response.text


def test_chosen_supporter_stays_selected_beside_another_contractor(
    client_for, prefecture_user, contractor_b, activity_a, supporter_a, supporter_b
):
    """Changing the contractor keeps the chosen supporter a valid choice: the result is the plain intersection."""
    response = client_for(prefecture_user).get(
        reverse("peers:activity_list"), {"contractor": contractor_b.pk, "supporter": supporter_a.pk}
    )
    assert response.context["form"].is_valid()
    assert options(response, "supporter") == [supporter_a, supporter_b]
    assert rows(response) == []


def test_coordinator_is_offered_own_supporters_and_refused_another_organisations(
    client_for, coordinator_a, contractor_b, activity_a, activity_b, supporter_a, supporter_b
):
    client = client_for(coordinator_a)
    assert options(client.get(reverse("peers:activity_list")), "supporter") == [supporter_a]
    response = client.get(reverse("peers:activity_list"), {"contractor": contractor_b.pk, "supporter": supporter_b.pk})
    assert "supporter" in response.context["form"].errors
    assert rows(response) == [activity_a.pk]
    assert "別所 二郎" not in response.text


# --- contracts in the expenditure list -------------------------------------------------------------


@pytest.fixture
def contracts(contractor_a, contractor_b, contract_a, contract_b):
    earlier_a = ContractFactory(
        organisation=contractor_a, fiscal_year=2025, start_date=date(2025, 4, 1), end_date=date(2026, 3, 31)
    )
    return {"a": contract_a, "earlier_a": earlier_a, "b": contract_b}


def test_prefecture_without_contractor_is_offered_no_contracts_but_a_hint(client_for, prefecture_user, contracts):
    response = client_for(prefecture_user).get(reverse("peers:expenditure_list"), {"fiscal_year": "2026"})
    assert options(response, "contract") == []
    assert "受託事業者を選ぶと選べます" in response.text


def test_contract_choices_narrow_to_the_contractor_and_year(client_for, prefecture_user, contractor_a, contracts):
    client = client_for(prefecture_user)
    url = reverse("peers:expenditure_list")
    every_year = client.get(url, {"contractor": contractor_a.pk})
    assert options(every_year, "contract") == [contracts["a"], contracts["earlier_a"]]
    one_year = client.get(url, {"contractor": contractor_a.pk, "fiscal_year": "2025"})
    assert options(one_year, "contract") == [contracts["earlier_a"]]


def test_coordinator_contract_choices_narrow_to_the_year(client_for, coordinator_a, contracts):
    client = client_for(coordinator_a)
    url = reverse("peers:expenditure_list")
    assert options(client.get(url), "contract") == [contracts["a"], contracts["earlier_a"]]
    assert options(client.get(url, {"fiscal_year": "2026"}), "contract") == [contracts["a"]]


def test_contract_link_stays_valid_and_selected(client_for, prefecture_user, contractor_a, contractor_b, contracts):
    """The 実績報告書's accounts rows link here with the contract; the id stays a valid, selected choice."""
    ExpenditureFactory(organisation=contractor_a, payee="今年度の支払先")
    earlier = ExpenditureFactory(
        organisation=contractor_a, contract=contracts["earlier_a"], date=date(2025, 10, 1), payee="前年度の支払先"
    )
    ExpenditureFactory(organisation=contractor_b, payee="Ｂの支払先")
    client = client_for(prefecture_user)
    for params in (
        {"contract": contracts["earlier_a"].pk},
        {"contract": contracts["earlier_a"].pk, "fiscal_year": "2026"},
    ):
        response = client.get(reverse("peers:expenditure_list"), params)
        assert response.context["form"].is_valid(), params
        assert contracts["earlier_a"] in options(response, "contract")
        assert f'<option value="{contracts["earlier_a"].pk}" selected>' in response.text
    drill_down = client.get(reverse("peers:expenditure_list"), {"contract": contracts["earlier_a"].pk})
    assert rows(drill_down) == [earlier.pk]


def test_coordinator_cannot_choose_another_organisations_contract(
    client_for, coordinator_a, contractor_a, contractor_b, contracts
):
    ExpenditureFactory(organisation=contractor_a, payee="Ａの支払先")
    ExpenditureFactory(organisation=contractor_b, payee="Ｂの支払先")
    response = client_for(coordinator_a).get(
        reverse("peers:expenditure_list"), {"contractor": contractor_b.pk, "contract": contracts["b"].pk}
    )
    assert "contract" in response.context["form"].errors
    assert contracts["b"] not in options(response, "contract")
    assert "Ａの支払先" in response.text and "Ｂの支払先" not in response.text


# --- queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("peers:activity_list", {}),
        ("peers:activity_list", {"contractor": "a"}),
        ("peers:activity_list", {"supporter": "supporter"}),
        ("peers:activity_list", {"contractor": "a", "supporter": "supporter"}),
        ("peers:expenditure_list", {}),
        ("peers:expenditure_list", {"contractor": "a", "fiscal_year": "2026"}),
        ("peers:expenditure_list", {"contract": "contract"}),
    ],
)
def test_filter_choices_cost_no_extra_query_as_records_grow(
    client_for, prefecture_user, contractor_a, contractor_b, contract_a, contract_b, activity_a, supporter_a,
    django_assert_num_queries, url_name, params
):  # fmt: skip
    ids = {"a": contractor_a.pk, "supporter": supporter_a.pk, "contract": contract_a.pk}
    params = {key: ids.get(value, value) for key, value in params.items()}
    client = client_for(prefecture_user)
    client.get(reverse(url_name), params)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name), params)
    for organisation in (contractor_a, contractor_b):
        for _ in range(5):
            PledgeFactory(supporter=SupporterFactory(organisation=organisation))
        for year in range(2019, 2024):
            ContractFactory(
                organisation=organisation,
                fiscal_year=year,
                start_date=date(year, 4, 1),
                end_date=date(year + 1, 3, 31),
            )
    with django_assert_num_queries(len(few)):
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
