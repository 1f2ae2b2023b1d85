"""Reads of the outreach 実績報告書 (per agency and 年度) and of the prefecture overview.

The report's yearly figures come from `counts.year_summary` for the agency. What counts.py does not
break down by month (new clients, weekend/holiday/after-hours contacts, plans, linkages, outcomes)
is counted here, month by month, with the same definitions; the report shows both and a test keeps
them equal.

The report is read for the agency as a whole (its page, PDF, Excel file and the batch command have
no viewer), so the counts run with `CONTRACTOR_SCOPE`, a reader that sees every record and is always
narrowed to the one agency. It never leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from accounts.models import Role
from accounts.wareki import FISCAL_MONTH_POSITION, fiscal_year_bounds
from outreach.models import (
    Agency,
    Client,
    Contact,
    Linkage,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    SupportPlan,
)
from outreach.models.clients import CRITERIA
from outreach.selectors.counts import clients_supported_in_year, contact_flag_aggregates, year_summary
from outreach.selectors.lists import FLAG_FILTERS


class _ContractorScope:
    """A reader for the report's counts: sees every record; every call narrows to one agency."""

    is_authenticated = True
    role = Role.PREFECTURE
    pk = None


CONTRACTOR_SCOPE = _ContractorScope()



def _by_month(queryset: QuerySet, date_field: str, fiscal_year: int, groups: tuple[str, ...] = (), **aggregates):
    """Grouped counts per calendar month (and `groups`), as {(*group values, aggregate): [12 values]}."""
    index = FISCAL_MONTH_POSITION
    rows = queryset.annotate(month=ExtractMonth(date_field)).values("month", *groups).annotate(**aggregates).order_by()
    table: dict[tuple, list[int]] = {}
    for row in rows:
        for name in aggregates:
            key = (*(row[group] for group in groups), name)
            table.setdefault(key, [0] * 12)[index[row["month"]]] += row[name] or 0
    return table


def contact_flags_by_month(contacts: QuerySet[Contact], fiscal_year: int, groups: tuple[str, ...] = ()) -> dict:
    """Contacts of the 年度 per month: total, first connections and each time flag (the report's definitions).

    {(*group values, "total" | "first_connection" | FLAG_FILTERS key): [April … March]}, in one query.
    """
    return _by_month(contacts, "date", fiscal_year, groups, **contact_flag_aggregates())


def outcomes_by_month(outcomes: QuerySet[Outcome], fiscal_year: int, groups: tuple[str, ...] = ()) -> dict:
    """Outcomes of the 年度 per kind and month: {(*group values, kind, "n"): [April … March]}, in one query."""
    return _by_month(outcomes, "date", fiscal_year, (*groups, "kind"), n=Count("pk"))


@dataclass
class OutreachReportFigures:
    agency: Agency
    fiscal_year: int
    contracts: list[OutreachContract]
    workers: list[OutreachWorker]
    summary: dict
    #: Month by month (April … March): new clients, contact flags, plans, linkages, outcomes.
    new_clients_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    flags_by_month: dict[str, list[int]] = field(default_factory=dict)
    plans_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    linkages_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    outcomes_by_kind_and_month: dict[str, list[int]] = field(default_factory=dict)

    @property
    def contract_amount(self) -> int | None:
        return sum(c.amount for c in self.contracts) if self.contracts else None


def _year_records(model, agency: Agency, fiscal_year: int, date_field: str) -> QuerySet:
    """The agency's records of `model` dated in the 年度 (the model's `agency_path` leads to the agency)."""
    first, last = fiscal_year_bounds(fiscal_year)
    return model.objects.filter(**{model.agency_path: agency, f"{date_field}__range": (first, last)})


def outreach_report_figures(*, agency: Agency, fiscal_year: int) -> OutreachReportFigures:
    """Every figure of one agency's outreach 実績報告書, in a fixed number of queries."""
    figures = OutreachReportFigures(
        agency=agency,
        fiscal_year=fiscal_year,
        contracts=list(OutreachContract.objects.filter(agency=agency, fiscal_year=fiscal_year).order_by("start_date")),
        workers=list(
            OutreachWorker.objects.filter(agency=agency, is_active=True)
            .select_related("user", "agency")
            .order_by("user__username")
        ),
        summary=year_summary(viewer=CONTRACTOR_SCOPE, fiscal_year=fiscal_year, agency=agency),
    )
    figures.new_clients_by_month = _by_month(
        _year_records(Client, agency, fiscal_year, "registered_on"), "registered_on", fiscal_year, n=Count("pk")
    ).get(("n",), [0] * 12)
    flags = contact_flags_by_month(_year_records(Contact, agency, fiscal_year, "date"), fiscal_year)
    figures.flags_by_month = {key: flags.get((key,), [0] * 12) for key in [*FLAG_FILTERS, "first_connection"]}
    figures.plans_by_month = _by_month(
        _year_records(SupportPlan, agency, fiscal_year, "made_on"), "made_on", fiscal_year, n=Count("pk")
    ).get(("n",), [0] * 12)
    figures.linkages_by_month = _by_month(
        _year_records(Linkage, agency, fiscal_year, "date"), "date", fiscal_year, n=Count("pk")
    ).get(("n",), [0] * 12)
    outcomes = outcomes_by_month(_year_records(Outcome, agency, fiscal_year, "date"), fiscal_year)
    figures.outcomes_by_kind_and_month = {kind: outcomes.get((kind, "n"), [0] * 12) for kind in OutcomeKind.values}
    return figures


# ---- completeness checks of the report -------------------------------------------------------


def year_clients(*, agency: Agency, fiscal_year: int) -> QuerySet[Client]:
    """The agency's clients whose case was open at some point of the 年度 (as counted)."""
    return clients_supported_in_year(viewer=CONTRACTOR_SCOPE, fiscal_year=fiscal_year, agency=agency)


def clients_without_criterion(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Clients meeting none of (ｱ)–(ｴ) (要綱3(2)イ): possible through old imports or edits in the admin."""
    return queryset.exclude(Q(*[Q(**{name: True}) for name, _label in CRITERIA], _connector=Q.OR))


def clients_outside_cohort_without_reason(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Outside the cohort with no recorded reason (要綱3(2)ア「おおむね」 needs one)."""
    return queryset.filter(in_cohort=False).filter(Q(outside_cohort_reason="") | Q(outside_cohort_reason__isnull=True))


def clients_not_in_hardship(queryset: QuerySet[Client]) -> QuerySet[Client]:
    return queryset.filter(in_hardship=False)


def clients_without_plan(queryset: QuerySet[Client], *, until: date) -> QuerySet[Client]:
    """Clients with no support plan made on or before `until` (要綱3(4)イ)."""
    plans = SupportPlan.objects.filter(client=OuterRef("pk"), made_on__lte=until)
    return queryset.filter(~Exists(plans))


def months_with_contacts(*, agency: Agency, fiscal_year: int) -> set[int]:
    """Calendar months of the 年度 with at least one contact of the agency."""
    contacts = _year_records(Contact, agency, fiscal_year, "date")
    return {day.month for day in contacts.dates("date", "month")}


# ---- the prefecture overview: every agency at once -------------------------------------------


@dataclass
class AgencyOutreachYear:
    agency_id: int
    organisation_id: int
    contractor_name: str
    agency_name: str
    clients: int = 0
    new_clients: int = 0
    contacts: int = 0
    outside_hours: int = 0
    first_connections: int = 0
    plans: int = 0
    linkages: int = 0
    employed: int = 0
    contract_amount: int | None = None
    contacts_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    #: Weekend, holiday, year-end or after-hours contacts (the report's 「いずれか」 row), April … March.
    outside_hours_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    #: Outcomes of every kind, April … March (the report's 支援の成果 rows added up).
    outcomes_by_month: list[int] = field(default_factory=lambda: [0] * 12)


def agencies_outreach_year(*, fiscal_year: int) -> dict[int, AgencyOutreachYear]:
    """Key figures of every agency (one 実績報告書 each) for one 年度, in seven grouped queries.

    The definitions are those of the report (clients open in the 年度, records dated in it).
    """
    first, last = fiscal_year_bounds(fiscal_year)
    bounds = (first, last)
    agencies = Agency.objects.select_related("organisation").order_by("organisation__code", "name")
    entries = {a.pk: AgencyOutreachYear(a.pk, a.organisation_id, a.organisation.name, a.name) for a in agencies}

    def each(queryset, key="agency"):
        for row in queryset:
            entry = entries.get(row[key])
            if entry is not None:
                yield entry, row

    clients = Client.objects.filter(registered_on__lte=last).exclude(closed_on__lt=first)
    for entry, row in each(
        clients.values("agency").annotate(n=Count("pk"), new=Count("pk", filter=Q(registered_on__gte=first))).order_by()
    ):
        entry.clients, entry.new_clients = row["n"], row["new"]
    contacts = contact_flags_by_month(Contact.objects.filter(date__range=bounds), fiscal_year, ("client__agency",))
    for (agency_id, key), months in contacts.items():
        entry = entries.get(agency_id)
        if entry is None:
            continue
        if key == "total":
            entry.contacts, entry.contacts_by_month = sum(months), months
        elif key == "any":
            entry.outside_hours, entry.outside_hours_by_month = sum(months), months
        elif key == "first_connection":
            entry.first_connections = sum(months)
    for model, date_field, attribute in ((SupportPlan, "made_on", "plans"), (Linkage, "date", "linkages")):
        for entry, row in each(
            model.objects.filter(**{f"{date_field}__range": bounds})
            .values("client__agency")
            .annotate(n=Count("pk"))
            .order_by(),
            key="client__agency",
        ):
            setattr(entry, attribute, row["n"])
    outcomes = outcomes_by_month(Outcome.objects.filter(date__range=bounds), fiscal_year, ("client__agency",))
    for (agency_id, kind, _n), months in outcomes.items():
        entry = entries.get(agency_id)
        if entry is None:
            continue
        entry.outcomes_by_month = [a + b for a, b in zip(entry.outcomes_by_month, months, strict=True)]
        if kind == OutcomeKind.EMPLOYED:
            entry.employed = sum(months)
    for entry, row in each(
        OutreachContract.objects.filter(fiscal_year=fiscal_year)
        .values("agency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        entry.contract_amount = row["total"]
    return entries


__all__ = [
    "CONTRACTOR_SCOPE",
    "AgencyOutreachYear",
    "OutreachReportFigures",
    "agencies_outreach_year",
    "clients_not_in_hardship",
    "clients_outside_cohort_without_reason",
    "clients_without_criterion",
    "clients_without_plan",
    "contact_flags_by_month",
    "months_with_contacts",
    "outcomes_by_month",
    "outreach_report_figures",
    "year_clients",
]
