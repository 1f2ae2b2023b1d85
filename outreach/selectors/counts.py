"""Counts of a 年度: the home panel, the yearly summary page and (later) the annual report read these.

Each number is computed in exactly one function, from `visible_to(viewer)`. The numbers that come
from the same rows are counted in one pass with conditional aggregates (`Count(..., filter=Q(...))`):
one query over the contacts of the 年度 and one over its clients, however many numbers the page shows.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from accounts.wareki import fiscal_year_bounds, fiscal_year_months
from outreach.models import (
    Client,
    Contact,
    Linkage,
    Outcome,
    OutcomeKind,
    OutreachWorker,
    PlanReview,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResourceKind,
    SupportMeeting,
    SupportPlan,
)
from outreach.models.clients import CRITERIA
from outreach.selectors.lists import FLAG_FILTERS, plans_due_for_review, stale_clients


def worker_home_summary(*, viewer, today: date) -> dict:
    first_of_month = today.replace(day=1)
    return {
        "month_contacts": Contact.objects.visible_to(viewer).filter(date__gte=first_of_month, date__lte=today).count(),
        "stale_clients": stale_clients(Client.objects.visible_to(viewer), today=today).count(),
        "plans_due": plans_due_for_review(viewer=viewer, today=today).count(),
    }


def _year_contacts(viewer, fiscal_year: int, agency=None) -> QuerySet[Contact]:
    contacts = Contact.objects.visible_to(viewer).filter(date__range=fiscal_year_bounds(fiscal_year))
    return contacts.filter(client__agency=agency) if agency else contacts


def clients_supported_in_year(*, viewer, fiscal_year: int, agency=None) -> QuerySet[Client]:
    """Clients whose case was open at some point of the 年度."""
    first, last = fiscal_year_bounds(fiscal_year)
    clients = Client.objects.visible_to(viewer).filter(registered_on__lte=last).exclude(closed_on__lt=first)
    return clients.filter(agency=agency) if agency else clients


def _criterion_aggregates(first: date) -> dict:
    return {
        "total": Count("pk"),
        "new": Count("pk", filter=Q(registered_on__gte=first)),
        "continuing": Count("pk", filter=Q(registered_on__lt=first)),
        "out_of_cohort": Count("pk", filter=Q(in_cohort=False)),
        **{field: Count("pk", filter=Q(**{field: True})) for field, _label in CRITERIA},
    }


def client_counts_by_criterion(*, viewer, fiscal_year: int, agency=None) -> dict:
    """New and continuing clients of the 年度, and how many meet each criterion (ｱ)–(ｴ) and the cohort."""
    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year, agency=agency)
    return clients.aggregate(**_criterion_aggregates(first))


#: Age bands of the annual report, as (label, lowest age, highest age) on 1 April of the 年度.
AGE_BANDS = (
    ("30歳未満", None, 29),
    ("30〜34歳", 30, 34),
    ("35〜39歳", 35, 39),
    ("40〜44歳", 40, 44),
    ("45〜49歳", 45, 49),
    ("50〜54歳", 50, 54),
    ("55歳以上", 55, None),
)


def _born_between(first_day: date, youngest: int | None, oldest: int | None) -> Q:
    """Clients aged youngest..oldest (inclusive) on first_day, as a birth-date range."""
    condition = Q()
    if youngest is not None:  # at least `youngest` years old: born on or before first_day - youngest years
        condition &= Q(birth_date__lte=first_day.replace(year=first_day.year - youngest))
    if oldest is not None:  # younger than oldest + 1: born after first_day - (oldest + 1) years
        condition &= Q(birth_date__gt=first_day.replace(year=first_day.year - oldest - 1))
    return condition


def _profile_aggregates(first: date) -> dict:
    return {
        **{
            f"age_{index}": Count("pk", filter=_born_between(first, low, high))
            for index, (_label, low, high) in enumerate(AGE_BANDS)
        },
        **{f"sex_{value}": Count("pk", filter=Q(sex=value)) for value in Sex.values},
        **{f"route_{value}": Count("pk", filter=Q(referral_route=value)) for value in ReferralRoute.values},
    }


def _profile_from(row: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        "age": [(label, row[f"age_{index}"]) for index, (label, _low, _high) in enumerate(AGE_BANDS)],
        "sex": [(label, row[f"sex_{value}"]) for value, label in Sex.choices],
        "referral_route": [(label, row[f"route_{value}"]) for value, label in ReferralRoute.choices],
    }


def client_profile_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, list[tuple[str, int]]]:
    """Clients of the 年度 by age band (on 1 April), sex and referral route, in one query."""
    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year, agency=agency)
    return _profile_from(clients.aggregate(**_profile_aggregates(first)))


def _client_numbers(*, viewer, fiscal_year: int, agency=None) -> tuple[dict, dict[str, list[tuple[str, int]]]]:
    """client_counts_by_criterion and client_profile_counts together, in one query."""
    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year, agency=agency)
    criteria = _criterion_aggregates(first)
    row = clients.aggregate(**criteria, **_profile_aggregates(first))
    return {key: row[key] for key in criteria}, _profile_from(row)


def worker_counts_by_qualification(*, viewer, agency=None) -> list[tuple[str, int]]:
    """Active outreach workers per qualification category ア〜カ (要綱3(3))."""
    workers = OutreachWorker.objects.visible_to(viewer).filter(is_active=True)
    if agency:
        workers = workers.filter(agency=agency)
    counts = dict(workers.values_list("qualification").annotate(n=Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Qualification.choices]


def contact_flag_aggregates() -> dict:
    """The contact counts of a 年度 (total, first connections, each time flag) as conditional aggregates.

    Counted over `date` (never null) rather than the id: every column these read is then in the
    `outreach_contact_year_counts` index, so PostgreSQL counts the prefecture's year from the index
    alone (an index-only scan), about half the time of reading the table at scale 10.
    """
    return {
        "total": Count("date"),
        "first_connection": Count("date", filter=Q(first_connection=True)),
        **{key: Count("date", filter=Q(**{field: True})) for key, (_label, field) in FLAG_FILTERS.items()},
    }


def _contact_numbers(*, viewer, fiscal_year: int, agency=None) -> tuple[dict[str, list[int]], dict[str, int]]:
    """contact_counts_by_kind_and_month and contact_flag_counts from one pass over the 年度's contacts.

    Grouped by kind and day (plain columns: no date function per row, which SQLite runs in Python),
    each group with its flag counts; the groups (at most 366 days × kinds) are summed into months here.
    """
    months = {month: index for index, month in enumerate(fiscal_year_months(fiscal_year))}
    aggregates = contact_flag_aggregates()
    rows = _year_contacts(viewer, fiscal_year, agency).values("kind", "date").annotate(**aggregates).order_by()
    table: dict[str, list[int]] = {}
    flags = dict.fromkeys(aggregates, 0)
    for row in rows:
        day = row["date"]
        table.setdefault(row["kind"], [0] * 12)[months[(day.year, day.month)]] += row["total"]
        for key in flags:
            flags[key] += row[key]
    return table, flags


def contact_counts_by_kind_and_month(*, viewer, fiscal_year: int, agency=None) -> dict[str, list[int]]:
    """{kind: [April … March]}: one row per contact kind, twelve monthly counts."""
    return _contact_numbers(viewer=viewer, fiscal_year=fiscal_year, agency=agency)[0]


def contact_flag_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, int]:
    """Weekend / holiday / year-end / after-hours contacts and first connections in a 年度 (3(1)イ, ア(ｳ))."""
    return _year_contacts(viewer, fiscal_year, agency).aggregate(**contact_flag_aggregates())


def outcome_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, int]:
    outcomes = Outcome.objects.visible_to(viewer).filter(date__range=fiscal_year_bounds(fiscal_year))
    if agency:
        outcomes = outcomes.filter(client__agency=agency)
    counts = dict(outcomes.values_list("kind").annotate(n=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in OutcomeKind.values}


def linkage_counts_by_resource_kind(*, viewer, fiscal_year: int, agency=None) -> dict[str, int]:
    linkages = Linkage.objects.visible_to(viewer).filter(date__range=fiscal_year_bounds(fiscal_year))
    if agency:
        linkages = linkages.filter(client__agency=agency)
    counts = dict(linkages.values_list("resource__kind").annotate(n=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in SocialResourceKind.values}


def plan_and_meeting_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, int]:
    bounds = fiscal_year_bounds(fiscal_year)
    plans = SupportPlan.objects.visible_to(viewer).filter(made_on__range=bounds)
    reviews = PlanReview.objects.visible_to(viewer).filter(reviewed_on__range=bounds)
    meetings = SupportMeeting.objects.visible_to(viewer).filter(date__range=bounds)
    if agency:
        plans = plans.filter(client__agency=agency)
        reviews = reviews.filter(plan__client__agency=agency)
        meetings = meetings.filter(agency=agency)
    return {
        "plans_made": plans.count(),
        "plan_reviews": reviews.count(),
        **{f"meetings_{row['kind']}": row["n"] for row in meetings.values("kind").annotate(n=Count("pk")).order_by()},
    }


def year_summary(*, viewer, fiscal_year: int, agency=None) -> dict:
    """Every count of one 年度 side by side: what the yearly summary page and the annual report show."""
    scope = {"viewer": viewer, "fiscal_year": fiscal_year, "agency": agency}
    by_kind, flags = _contact_numbers(**scope)
    clients, profile = _client_numbers(**scope)
    monthly_total = [sum(column) for column in zip(*by_kind.values(), strict=True)] if by_kind else [0] * 12
    return {
        "clients": clients,
        "contacts_by_kind": by_kind,
        "contacts_by_month": monthly_total,
        "flags": flags,
        "outcomes": outcome_counts(**scope),
        "linkages": linkage_counts_by_resource_kind(**scope),
        "plans_and_meetings": plan_and_meeting_counts(**scope),
        "profile": profile,
        "workers": worker_counts_by_qualification(viewer=viewer, agency=agency),
    }


__all__ = [
    "AGE_BANDS",
    "client_counts_by_criterion",
    "client_profile_counts",
    "clients_supported_in_year",
    "contact_counts_by_kind_and_month",
    "contact_flag_counts",
    "linkage_counts_by_resource_kind",
    "outcome_counts",
    "plan_and_meeting_counts",
    "worker_counts_by_qualification",
    "worker_home_summary",
    "year_summary",
]
