"""Lists and single-record reads: what the pages and CSV downloads show, already scoped to the viewer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import Program
from accounts.periods import locked_fiscal_years
from accounts.wareki import fiscal_year_bounds, fiscal_year_of
from outreach.models import (
    Agency,
    Client,
    ClientStatus,
    Contact,
    Linkage,
    Outcome,
    OutreachContract,
    OutreachWorker,
    PlanReview,
    SocialResource,
    SupportMeeting,
    SupportPlan,
)
from outreach.search import normalise_query

#: Filter values for the (ｱ)–(ｴ) criteria and the cohort: key → (label, Q).
CRITERION_FILTERS = {
    "hikikomori": ("(ｱ) ひきこもり状態", Q(criterion_hikikomori=True)),
    "youth_station": ("(ｲ) サポステ等の利用（可能性）", Q(criterion_youth_station=True)),
    "unstable_work": ("(ｳ) 長期間安定した就労ができていない", Q(criterion_unstable_work=True)),
    "other": ("(ｴ) その他丁寧な支援が必要", Q(criterion_other=True)),
    "in_cohort": ("就職氷河期世代の範囲内", Q(in_cohort=True)),
    "out_of_cohort": ("就職氷河期世代の範囲外（理由あり）", Q(in_cohort=False)),
}

#: New or continuing case in a 年度 (client list filter `intake`, with `fiscal_year`).
INTAKE_FILTERS = {"new": "新規（年度内に受付）", "continuing": "継続（前年度以前に受付）"}

#: Clients the annual report's completeness check lists (client list filter `missing`).
MISSING_FILTERS = {
    "criterion": "(ｱ)〜(ｴ)のいずれにも該当しない",
    "cohort_reason": "就職氷河期世代の範囲外で理由が未記入",
    "hardship": "生活困窮者に該当しない",
    "plan": "支援計画が未作成",
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


def _in_contractor(queryset: QuerySet, filters: dict) -> QuerySet:
    """The report's drill-down: narrow to one contractor (prefecture staff see every contractor)."""
    return queryset.filter(organisation_id=filters["contractor"]) if filters.get("contractor") else queryset


def _in_agency(queryset: QuerySet, filters: dict) -> QuerySet:
    """The annual report's drill-down (one report per agency): narrow to the agency the figure counted."""
    return queryset.filter(**{queryset.model.agency_path: filters["agency"]}) if filters.get("agency") else queryset


def _narrowed(queryset: QuerySet, filters: dict, date_field: str) -> QuerySet:
    """What every list of a client's records filters by: the client's name, contractor, agency, 年度 and month.

    The client is found along the model's `agency_path` ("client__agency" → "client__").
    """
    if filters.get("q"):
        client = queryset.model.agency_path.removesuffix("agency")
        queryset = queryset.filter(**{f"{client}search_key__contains": normalise_query(filters["q"])})
    queryset = _in_agency(_in_contractor(queryset, filters), filters)
    return _in_fiscal_year(_in_month(queryset, filters, date_field), filters, date_field)


def _in_month(queryset: QuerySet, filters: dict, date_field: str) -> QuerySet:
    month = filters.get("month")
    return (
        queryset.filter(**{f"{date_field}__year": month.year, f"{date_field}__month": month.month})
        if month
        else queryset
    )


def _in_fiscal_year(queryset: QuerySet, filters: dict, date_field: str) -> QuerySet:
    if not filters.get("fiscal_year"):
        return queryset
    return queryset.filter(**{f"{date_field}__range": fiscal_year_bounds(int(filters["fiscal_year"]))})


# ---- set-up ---------------------------------------------------------------------------------


def _count_per_agency(queryset: QuerySet) -> Coalesce:
    """COUNT of `queryset`'s rows of the outer agency, as a subquery (0 when none).

    Counted over the agency column itself, so that PostgreSQL reads the rows from the agency index alone.
    """
    counted = queryset.filter(agency=OuterRef("pk")).order_by().values("agency").annotate(n=Count("agency"))
    return Coalesce(Subquery(counted.values("n")), 0)


def agency_list(*, viewer) -> QuerySet[Agency]:
    """Agencies with their number of clients and active workers.

    Counted per agency by subqueries (the client count from the agency index alone), not by joining
    every client and worker and grouping: that sorted all clients of the prefecture (4,988 at scale 10)
    to show 29 agencies.
    """
    return (
        Agency.objects.visible_to(viewer)
        .select_related("organisation")
        .prefetch_related("municipalities")
        .annotate(
            client_count=_count_per_agency(Client.objects.all()),
            worker_count=_count_per_agency(OutreachWorker.objects.filter(is_active=True)),
        )
        .order_by("organisation__code", "name")
    )


def contract_list(*, viewer, filters: dict | None = None) -> QuerySet[OutreachContract]:
    filters = filters or {}
    contracts = OutreachContract.objects.visible_to(viewer).select_related("organisation", "agency")
    if filters.get("fiscal_year"):
        contracts = contracts.filter(fiscal_year=filters["fiscal_year"])
    contracts = _in_agency(_in_contractor(contracts, filters), filters)
    return contracts.order_by("-fiscal_year", "organisation__code", "agency__name")


def worker_list(*, viewer, filters: dict | None = None) -> QuerySet[OutreachWorker]:
    filters = filters or {}
    workers = OutreachWorker.objects.visible_to(viewer).select_related("user", "agency", "organisation")
    workers = _in_agency(workers, filters)
    if filters.get("qualification"):
        workers = workers.filter(qualification=filters["qualification"])
    if filters.get("active_only"):
        workers = workers.filter(is_active=True)
    workers = _in_contractor(workers, filters)
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
    clients = _in_month(_in_agency(_in_contractor(clients, filters), filters), filters, "registered_on")
    if filters.get("sex"):
        clients = clients.filter(sex=filters["sex"])
    if filters.get("referral_route"):
        clients = clients.filter(referral_route=filters["referral_route"])
    if filters.get("fiscal_year"):
        clients = _clients_of_year(clients, viewer, int(filters["fiscal_year"]), filters.get("intake"))
        if filters.get("age_band"):
            clients = clients.filter(_age_band(filters["age_band"], int(filters["fiscal_year"])))
    if filters.get("missing") in MISSING_FILTERS:
        clients = _clients_missing(clients, filters["missing"], filters.get("fiscal_year"))
    if filters.get("stale"):
        clients = stale_clients(clients, today=filters.get("today") or date.today())
    return clients


def _clients_of_year(clients: QuerySet[Client], viewer, fiscal_year: int, intake: str | None) -> QuerySet[Client]:
    """Open at some point of the 年度 (as the report counts them), optionally only new or continuing."""
    from outreach.selectors.counts import clients_supported_in_year

    first, _last = fiscal_year_bounds(fiscal_year)
    clients = clients.filter(pk__in=clients_supported_in_year(viewer=viewer, fiscal_year=fiscal_year).values("pk"))
    if intake == "new":
        clients = clients.filter(registered_on__gte=first)
    elif intake == "continuing":
        clients = clients.filter(registered_on__lt=first)
    return clients


def _age_band(label: str, fiscal_year: int) -> Q:
    """Aged within the band on 1 April of the 年度, as the report counts (counts.AGE_BANDS)."""
    from outreach.selectors.counts import AGE_BANDS, _born_between

    first, _last = fiscal_year_bounds(fiscal_year)
    for band, low, high in AGE_BANDS:
        if band == label:
            return _born_between(first, low, high)
    return Q(pk__in=[])


def _clients_missing(clients: QuerySet[Client], missing: str, fiscal_year) -> QuerySet[Client]:
    from outreach.selectors import report

    if missing == "criterion":
        return report.clients_without_criterion(clients)
    if missing == "cohort_reason":
        return report.clients_outside_cohort_without_reason(clients)
    if missing == "hardship":
        return report.clients_not_in_hardship(clients)
    until = fiscal_year_bounds(int(fiscal_year))[1] if fiscal_year else date.max
    return report.clients_without_plan(clients, until=until)


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
    locked: bool = False  # in a 年度 whose annual report was approved: read-only


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
    locked = locked_fiscal_years(organisation=client.organisation_id, program=Program.OUTREACH, agency=client.agency_id)
    entries = [replace(e, locked=fiscal_year_of(e.day) in locked) for e in entries] if locked else entries
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
    return _in_agency(_in_contractor(contacts, filters), filters)


# ---- plans, meetings, linkages, outcomes ----------------------------------------------------


def plans_due_for_review(*, viewer, today: date) -> QuerySet[SupportPlan]:
    """Plans of the viewer's open cases whose next review falls within REVIEW_SOON_DAYS days (or is past).

    The open cases are a subquery on the viewer's own clients, not a filter through the join to every
    client: with the join, PostgreSQL merged the contractor's plans against an index scan of the whole
    client table (332,416 comparisons for 64 plans at scale 10); the subquery starts from the agency's
    clients and reads each one's plans by index.
    """
    open_clients = Client.objects.visible_to(viewer).exclude(status=ClientStatus.CLOSED)
    plans = SupportPlan.objects.visible_to(viewer).filter(client__in=open_clients.values("pk"))
    return (
        plans.select_related("client")
        .filter(review_due_on__lte=today + timedelta(days=REVIEW_SOON_DAYS))
        .order_by("review_due_on", "pk")
    )


def plan_list(*, viewer, filters: dict | None = None) -> QuerySet[SupportPlan]:
    filters = filters or {}
    # A subquery rather than Count("reviews"): no GROUP BY, so the paginator's COUNT reads plans alone.
    reviews = PlanReview.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk"))
    plans = (
        SupportPlan.objects.visible_to(viewer)
        .select_related("client__agency")
        .annotate(review_count=Coalesce(Subquery(reviews.values("n")), 0))
    )
    if filters.get("due_only"):
        plans = plans.exclude(client__status=ClientStatus.CLOSED).filter(
            review_due_on__lte=(filters.get("today") or date.today()) + timedelta(days=REVIEW_SOON_DAYS)
        )
    return _narrowed(plans, filters, "made_on")


def plan_review_list(*, viewer, filters: dict | None = None) -> QuerySet[PlanReview]:
    """Reviews of support plans; `contractor`, `agency`, `fiscal_year` and `month` narrow them as
    `counts.plan_and_meeting_counts` counts `plan_reviews` (by review date)."""
    filters = filters or {}
    reviews = PlanReview.objects.visible_to(viewer).select_related("plan__client__agency")
    if filters.get("plan"):
        reviews = reviews.filter(plan_id=filters["plan"])
    return _narrowed(reviews, filters, "reviewed_on")


def linkage_list(*, viewer, filters: dict | None = None) -> QuerySet[Linkage]:
    filters = filters or {}
    linkages = Linkage.objects.visible_to(viewer).select_related("client__agency", "resource")
    if filters.get("resource_kind"):
        linkages = linkages.filter(resource__kind=filters["resource_kind"])
    if filters.get("result"):
        linkages = linkages.filter(result=filters["result"])
    return _narrowed(linkages, filters, "date")


def outcome_list(*, viewer, filters: dict | None = None) -> QuerySet[Outcome]:
    filters = filters or {}
    outcomes = Outcome.objects.visible_to(viewer).select_related("client__agency")
    if filters.get("kind"):
        outcomes = outcomes.filter(kind=filters["kind"])
    return _narrowed(outcomes, filters, "date")


def meeting_list(*, viewer, filters: dict | None = None) -> QuerySet[SupportMeeting]:
    filters = filters or {}
    # A subquery rather than Count("clients"): without GROUP BY the first page is read from the
    # (date, id) index instead of grouping and sorting every meeting of the prefecture.
    clients = (
        SupportMeeting.clients.through.objects.filter(supportmeeting=OuterRef("pk"))
        .order_by()
        .values("supportmeeting")
        .annotate(n=Count("pk"))
    )
    meetings = (
        SupportMeeting.objects.visible_to(viewer)
        .select_related("agency")
        .annotate(client_count=Coalesce(Subquery(clients.values("n")), 0))
    )
    if filters.get("q"):
        meetings = meetings.filter(Q(decisions__icontains=filters["q"]) | Q(participants_note__icontains=filters["q"]))
    if filters.get("kind"):
        meetings = meetings.filter(kind=filters["kind"])
    meetings = _in_fiscal_year(_in_month(meetings, filters, "date"), filters, "date")
    return _in_agency(_in_contractor(meetings, filters), filters)


__all__ = [
    "CRITERION_FILTERS",
    "FLAG_FILTERS",
    "INTAKE_FILTERS",
    "MISSING_FILTERS",
    "REVIEW_SOON_DAYS",
    "STALE_DAYS",
    "TimelineEntry",
    "agency_list",
    "client_list",
    "client_timeline",
    "contact_list",
    "contract_list",
    "linkage_list",
    "meeting_list",
    "outcome_list",
    "plan_list",
    "plan_review_list",
    "plans_due_for_review",
    "resource_list",
    "stale_clients",
    "worker_list",
    "worker_of",
]
