"""Reads shared by the views, the CSV downloads, the home panel and (later) the annual report.

Every function takes the viewing user and starts from `visible_to(viewer)`, so one scoping
rule narrows every list, count and export. Each number is computed in exactly one function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import TruncMonth

from accounts.wareki import fiscal_year_bounds, fiscal_year_months
from outreach.models import (
    Agency,
    Client,
    ClientStatus,
    Contact,
    Linkage,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    PlanReview,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResource,
    SocialResourceKind,
    SupportMeeting,
    SupportPlan,
)
from outreach.models.clients import CRITERIA
from outreach.search import normalise_query

#: Filter values for the (ｱ)–(ｴ) criteria and the cohort: key → (label, Q).
CRITERION_FILTERS = {
    "hikikomori": ("(ｱ) ひきこもり状態", Q(criterion_hikikomori=True)),
    "youth_station": ("(ｲ) サポステ等の利用（可能性）", Q(criterion_youth_station=True)),
    "unstable_work": ("(ｳ) 長期間安定した就労ができていない", Q(criterion_unstable_work=True)),
    "other": ("(ｴ) その他丁寧な支援が必要", Q(criterion_other=True)),
    "out_of_cohort": ("就職氷河期世代の範囲外（理由あり）", Q(in_cohort=False)),
}

#: Contact time flags: key → (label, field).
FLAG_FILTERS = {
    "any": ("土日祝日・時間外のいずれか", "is_outside_hours"),
    "weekend": ("土日", "is_weekend"),
    "holiday": ("祝日", "is_holiday"),
    "year_end": ("年末年始", "is_year_end"),
    "after_hours": ("時間外", "is_after_hours"),
}

STALE_DAYS = 30
REVIEW_SOON_DAYS = 7


def _last_contact_subquery():
    return Subquery(Contact.objects.filter(client=OuterRef("pk")).order_by("-date").values("date")[:1])


# ---- set-up ---------------------------------------------------------------------------------


def agency_list(*, viewer) -> QuerySet[Agency]:
    return (
        Agency.objects.visible_to(viewer)
        .select_related("organisation")
        .prefetch_related("municipalities")
        .annotate(
            client_count=Count("clients", distinct=True),
            worker_count=Count("workers", filter=Q(workers__is_active=True), distinct=True),
        )
        .order_by("organisation__code", "name")
    )


def contract_list(*, viewer, filters: dict | None = None) -> QuerySet[OutreachContract]:
    filters = filters or {}
    contracts = OutreachContract.objects.visible_to(viewer).select_related("organisation", "agency")
    if filters.get("fiscal_year"):
        contracts = contracts.filter(fiscal_year=filters["fiscal_year"])
    return contracts.order_by("-fiscal_year", "organisation__code", "agency__name")


def worker_list(*, viewer, filters: dict | None = None) -> QuerySet[OutreachWorker]:
    filters = filters or {}
    workers = OutreachWorker.objects.visible_to(viewer).select_related("user", "agency", "organisation")
    if filters.get("agency"):
        workers = workers.filter(agency=filters["agency"])
    if filters.get("qualification"):
        workers = workers.filter(qualification=filters["qualification"])
    if filters.get("active_only"):
        workers = workers.filter(is_active=True)
    return workers.order_by("agency__name", "user__last_name", "user__username")


def worker_of(user) -> OutreachWorker | None:
    """The user's own placement (their agency), if prefecture staff registered one."""
    return OutreachWorker.objects.select_related("agency").filter(user_id=user.pk, is_active=True).first()


def resource_list(*, filters: dict | None = None) -> QuerySet[SocialResource]:
    filters = filters or {}
    resources = SocialResource.objects.select_related("municipality")
    if filters.get("q"):
        resources = resources.filter(Q(name__icontains=filters["q"]) | Q(note__icontains=filters["q"]))
    if filters.get("kind"):
        resources = resources.filter(kind=filters["kind"])
    if filters.get("active_only"):
        resources = resources.filter(is_active=True)
    return resources.order_by("kind", "name")


# ---- clients --------------------------------------------------------------------------------


def client_list(*, viewer, filters: dict | None = None) -> QuerySet[Client]:
    """Clients the viewer may see, with their last contact date, narrowed by the list filters."""
    filters = filters or {}
    clients = (
        Client.objects.visible_to(viewer)
        .select_related("agency", "municipality", "worker__user")
        .annotate(last_contact_on=_last_contact_subquery())
    )
    if filters.get("q"):
        clients = clients.filter(
            Q(search_key__contains=normalise_query(filters["q"])) | Q(number__icontains=filters["q"].strip())
        )
    if filters.get("status"):
        clients = clients.filter(status=filters["status"])
    if filters.get("criterion") in CRITERION_FILTERS:
        clients = clients.filter(CRITERION_FILTERS[filters["criterion"]][1])
    if filters.get("worker"):
        clients = clients.filter(worker=filters["worker"])
    if filters.get("agency"):
        clients = clients.filter(agency=filters["agency"])
    if filters.get("stale"):
        clients = stale_clients(clients, today=filters.get("today") or date.today())
    return clients


def stale_clients(clients: QuerySet[Client], *, today: date) -> QuerySet[Client]:
    """Open cases with no contact for STALE_DAYS days or more (or none since registration)."""
    limit = today - timedelta(days=STALE_DAYS)
    recent = Contact.objects.filter(client=OuterRef("pk"), date__gt=limit)
    return clients.exclude(status=ClientStatus.CLOSED).filter(~Exists(recent), registered_on__lte=limit)


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    at: time | None
    kind: str  # contact, plan, review, meeting, linkage, outcome
    label: str
    obj: object


def client_timeline(client: Client) -> list[TimelineEntry]:
    """Everything that happened with a client, newest first, in a fixed number of queries."""
    contacts = Contact.objects.filter(client=client).select_related("worker__user")
    plans = SupportPlan.objects.filter(client=client).prefetch_related(
        Prefetch("reviews", queryset=PlanReview.objects.order_by("-reviewed_on", "-id"))
    )
    meetings = SupportMeeting.objects.filter(clients=client)
    linkages = Linkage.objects.filter(client=client).select_related("resource")
    outcomes = Outcome.objects.filter(client=client)
    entries = [TimelineEntry(c.date, c.start_time, "contact", c.get_kind_display(), c) for c in contacts]
    for plan in plans:
        entries.append(TimelineEntry(plan.made_on, None, "plan", "支援計画の作成", plan))
        entries.extend(TimelineEntry(r.reviewed_on, None, "review", "支援計画の見直し", r) for r in plan.reviews.all())
    entries += [TimelineEntry(m.date, None, "meeting", m.get_kind_display(), m) for m in meetings]
    entries += [TimelineEntry(link.date, None, "linkage", "つなぎ", link) for link in linkages]
    entries += [TimelineEntry(o.date, None, "outcome", f"成果：{o.get_kind_display()}", o) for o in outcomes]
    entries.sort(key=lambda e: (e.day, e.at or time.max), reverse=True)
    return entries


# ---- contacts -------------------------------------------------------------------------------


def contact_list(*, viewer, filters: dict | None = None) -> QuerySet[Contact]:
    filters = filters or {}
    contacts = Contact.objects.visible_to(viewer).select_related("client__agency", "worker__user")
    if filters.get("q"):
        contacts = contacts.filter(
            Q(client__search_key__contains=normalise_query(filters["q"])) | Q(client__number__icontains=filters["q"])
        )
    if filters.get("kind"):
        contacts = contacts.filter(kind=filters["kind"])
    if filters.get("worker"):
        contacts = contacts.filter(worker=filters["worker"])
    if filters.get("month"):
        month = filters["month"]
        contacts = contacts.filter(date__year=month.year, date__month=month.month)
    if filters.get("fiscal_year"):
        contacts = contacts.filter(date__range=fiscal_year_bounds(int(filters["fiscal_year"])))
    if filters.get("flag") in FLAG_FILTERS:
        contacts = contacts.filter(**{FLAG_FILTERS[filters["flag"]][1]: True})
    if filters.get("first_connection"):
        contacts = contacts.filter(first_connection=True)
    if filters.get("agency"):
        contacts = contacts.filter(client__agency=filters["agency"])
    return contacts


# ---- plans, meetings, linkages, outcomes ----------------------------------------------------


def plans_with_next_review(queryset: QuerySet[SupportPlan]) -> QuerySet[SupportPlan]:
    """Annotate `next_review_due`: the latest review's next date, or the plan's own when never reviewed."""
    latest = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-id")
    return queryset.annotate(
        next_review_due=Case(
            When(Exists(latest), then=Subquery(latest.values("next_review_on")[:1])),
            default=F("next_review_on"),
            output_field=DateField(),
        )
    )


def plans_due_for_review(*, viewer, today: date) -> QuerySet[SupportPlan]:
    plans = SupportPlan.objects.visible_to(viewer).exclude(client__status=ClientStatus.CLOSED)
    return (
        plans_with_next_review(plans.select_related("client"))
        .filter(next_review_due__lte=today + timedelta(days=REVIEW_SOON_DAYS))
        .order_by("next_review_due", "pk")
    )


def meeting_list(*, viewer, filters: dict | None = None) -> QuerySet[SupportMeeting]:
    filters = filters or {}
    meetings = (
        SupportMeeting.objects.visible_to(viewer)
        .select_related("agency")
        .annotate(client_count=Count("clients", distinct=True))
    )
    if filters.get("q"):
        meetings = meetings.filter(Q(decisions__icontains=filters["q"]) | Q(participants_note__icontains=filters["q"]))
    if filters.get("kind"):
        meetings = meetings.filter(kind=filters["kind"])
    if filters.get("month"):
        meetings = meetings.filter(date__year=filters["month"].year, date__month=filters["month"].month)
    return meetings


# ---- counts for the home panel and the annual report ----------------------------------------


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


def client_counts_by_criterion(*, viewer, fiscal_year: int, agency=None) -> dict:
    """New and continuing clients of the 年度, and how many meet each criterion (ｱ)–(ｴ) and the cohort."""
    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year, agency=agency)
    aggregates = {
        "total": Count("pk"),
        "new": Count("pk", filter=Q(registered_on__gte=first)),
        "continuing": Count("pk", filter=Q(registered_on__lt=first)),
        "out_of_cohort": Count("pk", filter=Q(in_cohort=False)),
        **{field: Count("pk", filter=Q(**{field: True})) for field, _label in CRITERIA},
    }
    return clients.aggregate(**aggregates)


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


def client_profile_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, list[tuple[str, int]]]:
    """Clients of the 年度 by age band (on 1 April), sex and referral route: one query each."""
    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year, agency=agency)
    ages = clients.aggregate(
        **{label: Count("pk", filter=_born_between(first, low, high)) for label, low, high in AGE_BANDS}
    )
    sexes = dict(clients.values_list("sex").annotate(n=Count("pk")).order_by())
    routes = dict(clients.values_list("referral_route").annotate(n=Count("pk")).order_by())
    return {
        "age": [(label, ages[label]) for label, _low, _high in AGE_BANDS],
        "sex": [(label, sexes.get(value, 0)) for value, label in Sex.choices],
        "referral_route": [(label, routes.get(value, 0)) for value, label in ReferralRoute.choices],
    }


def worker_counts_by_qualification(*, viewer, agency=None) -> list[tuple[str, int]]:
    """Active outreach workers per qualification category ア〜カ (要綱3(3))."""
    workers = OutreachWorker.objects.visible_to(viewer).filter(is_active=True)
    if agency:
        workers = workers.filter(agency=agency)
    counts = dict(workers.values_list("qualification").annotate(n=Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Qualification.choices]


def contact_counts_by_kind_and_month(*, viewer, fiscal_year: int, agency=None) -> dict[str, list[int]]:
    """{kind: [April … March]}: one row per contact kind, twelve monthly counts."""
    months = fiscal_year_months(fiscal_year)
    rows = (
        _year_contacts(viewer, fiscal_year, agency)
        .annotate(month=TruncMonth("date"))
        .values("kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[str, list[int]] = {}
    for row in rows:
        month = row["month"]
        index = months.index((month.year, month.month))
        table.setdefault(row["kind"], [0] * 12)[index] += row["n"]
    return table


def contact_flag_counts(*, viewer, fiscal_year: int, agency=None) -> dict[str, int]:
    """Weekend / holiday / year-end / after-hours contacts and first connections in a 年度 (3(1)イ, ア(ｳ))."""
    aggregates = {key: Count("pk", filter=Q(**{field: True})) for key, (_label, field) in FLAG_FILTERS.items()}
    return _year_contacts(viewer, fiscal_year, agency).aggregate(
        total=Count("pk"), first_connection=Count("pk", filter=Q(first_connection=True)), **aggregates
    )


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
    by_kind = contact_counts_by_kind_and_month(**scope)
    monthly_total = [sum(column) for column in zip(*by_kind.values(), strict=True)] if by_kind else [0] * 12
    return {
        "clients": client_counts_by_criterion(**scope),
        "contacts_by_kind": by_kind,
        "contacts_by_month": monthly_total,
        "flags": contact_flag_counts(**scope),
        "outcomes": outcome_counts(**scope),
        "linkages": linkage_counts_by_resource_kind(**scope),
        "plans_and_meetings": plan_and_meeting_counts(**scope),
        "profile": client_profile_counts(**scope),
        "workers": worker_counts_by_qualification(viewer=viewer, agency=agency),
    }
