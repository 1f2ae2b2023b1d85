"""Reads of the outreach 実績報告書 (per contractor and 年度) and of the prefecture overview.

The report's yearly figures come from `counts.year_summary`, called once per agency of the
contractor and added up (clients, contacts and the records hanging off them belong to exactly
one agency, so the sums are exact). What counts.py does not break down by month (new clients,
weekend/holiday/after-hours contacts, plans, linkages, outcomes) is counted here, month by
month, with the same definitions; the report shows both and a test keeps them equal.

The report is read for the contractor as a whole (its page, PDF, Excel file and the batch
command have no viewer), so the counts run with `CONTRACTOR_SCOPE`, a reader that sees every
record and is always narrowed to one agency of the contractor. It never leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from accounts.models import Organisation, Role
from accounts.wareki import fiscal_year_bounds, fiscal_year_months
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


class _NoRecords:
    """A reader that sees nothing: the all-zero summary of a contractor without agencies."""

    is_authenticated = False
    role = None


def month_index(fiscal_year: int) -> dict[int, int]:
    """Calendar month → position in the 年度 (4月 → 0 … 3月 → 11)."""
    return {month: position for position, (_year, month) in enumerate(fiscal_year_months(fiscal_year))}


def _by_month(queryset: QuerySet, date_field: str, fiscal_year: int, groups: tuple[str, ...] = (), **aggregates):
    """Grouped counts per calendar month (and `groups`), as {(*group values, aggregate): [12 values]}."""
    index = month_index(fiscal_year)
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


def _add(target: dict, source: dict) -> None:
    """Add a year_summary piece (nested dicts of ints / lists of ints / (label, int) lists) into target."""
    for key, value in source.items():
        if isinstance(value, dict):
            _add(target.setdefault(key, {}), value)
        elif isinstance(value, list) and value and isinstance(value[0], tuple):
            existing = dict(target.get(key, []))
            target[key] = [(label, existing.get(label, 0) + count) for label, count in value]
        elif isinstance(value, list):
            existing = target.get(key) or [0] * len(value)
            target[key] = [a + b for a, b in zip(existing, value, strict=True)]
        else:
            target[key] = target.get(key, 0) + (value or 0)


@dataclass
class OutreachReportFigures:
    organisation: Organisation
    fiscal_year: int
    agencies: list[Agency]
    contracts: list[OutreachContract]
    workers: list[OutreachWorker]
    summary: dict
    #: Each agency with its own year_summary (what `summary` adds up).
    by_agency: list[tuple[Agency, dict]] = field(default_factory=list)
    #: Month by month (April … March): new clients, contact flags, plans, linkages, outcomes.
    new_clients_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    flags_by_month: dict[str, list[int]] = field(default_factory=dict)
    plans_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    linkages_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    outcomes_by_kind_and_month: dict[str, list[int]] = field(default_factory=dict)

    @property
    def contract_amount(self) -> int | None:
        return sum(c.amount for c in self.contracts) if self.contracts else None


def _year_records(model, organisation, fiscal_year: int, date_field: str) -> QuerySet:
    first, last = fiscal_year_bounds(fiscal_year)
    return model.objects.filter(organisation=organisation, **{f"{date_field}__range": (first, last)})


def outreach_report_figures(*, organisation: Organisation, fiscal_year: int) -> OutreachReportFigures:
    """Every figure of one contractor's outreach 実績報告書: 12 queries per agency and 8 more."""
    agencies = list(Agency.objects.filter(organisation=organisation).order_by("name"))
    summary: dict = {}
    by_agency = []
    for agency in agencies:
        own = year_summary(viewer=CONTRACTOR_SCOPE, fiscal_year=fiscal_year, agency=agency)
        by_agency.append((agency, own))
        _add(summary, own)
    if not agencies:
        summary = year_summary(viewer=_NoRecords(), fiscal_year=fiscal_year)
    figures = OutreachReportFigures(
        organisation=organisation,
        fiscal_year=fiscal_year,
        agencies=agencies,
        contracts=list(
            OutreachContract.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
            .select_related("agency")
            .order_by("agency__name")
        ),
        workers=list(
            OutreachWorker.objects.filter(organisation=organisation, is_active=True)
            .select_related("user", "agency")
            .order_by("agency__name", "user__username")
        ),
        summary=summary,
        by_agency=by_agency,
    )
    new_clients = Client.objects.filter(organisation=organisation, registered_on__range=fiscal_year_bounds(fiscal_year))
    figures.new_clients_by_month = _by_month(new_clients, "registered_on", fiscal_year, n=Count("pk")).get(
        ("n",), [0] * 12
    )
    flags = contact_flags_by_month(_year_records(Contact, organisation, fiscal_year, "date"), fiscal_year)
    figures.flags_by_month = {key: flags.get((key,), [0] * 12) for key in [*FLAG_FILTERS, "first_connection"]}
    figures.plans_by_month = _by_month(
        _year_records(SupportPlan, organisation, fiscal_year, "made_on"), "made_on", fiscal_year, n=Count("pk")
    ).get(("n",), [0] * 12)
    figures.linkages_by_month = _by_month(
        _year_records(Linkage, organisation, fiscal_year, "date"), "date", fiscal_year, n=Count("pk")
    ).get(("n",), [0] * 12)
    outcomes = outcomes_by_month(_year_records(Outcome, organisation, fiscal_year, "date"), fiscal_year)
    figures.outcomes_by_kind_and_month = {kind: outcomes.get((kind, "n"), [0] * 12) for kind in OutcomeKind.values}
    return figures


# ---- completeness checks of the report -------------------------------------------------------


def year_clients(*, organisation: Organisation, fiscal_year: int) -> QuerySet[Client]:
    """The contractor's clients whose case was open at some point of the 年度 (as counted)."""
    return clients_supported_in_year(viewer=CONTRACTOR_SCOPE, fiscal_year=fiscal_year).filter(organisation=organisation)


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


def months_with_contacts(*, organisation: Organisation, fiscal_year: int) -> set[int]:
    """Calendar months of the 年度 with at least one contact."""
    contacts = _year_records(Contact, organisation, fiscal_year, "date")
    return {day.month for day in contacts.dates("date", "month")}


# ---- the prefecture overview: every contractor at once ----------------------------------------


@dataclass
class ContractorOutreachYear:
    organisation_id: int
    name: str
    agencies: int = 0
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


def contractors_outreach_year(*, fiscal_year: int) -> dict[int, ContractorOutreachYear]:
    """Key figures of every outreach contractor for one 年度, in eight grouped queries.

    The definitions are those of the report (clients open in the 年度, records dated in it).
    """
    first, last = fiscal_year_bounds(fiscal_year)
    bounds = (first, last)
    organisations = Organisation.objects.filter(
        Q(runs_outreach=True, is_active=True) | Q(pk__in=Agency.objects.values("organisation_id"))
    ).order_by("code")
    entries = {o.pk: ContractorOutreachYear(o.pk, o.name) for o in organisations}

    def each(queryset, key="organisation_id"):
        for row in queryset:
            entry = entries.get(row[key])
            if entry is not None:
                yield entry, row

    for entry, row in each(Agency.objects.values("organisation_id").annotate(n=Count("pk")).order_by()):
        entry.agencies = row["n"]
    clients = Client.objects.filter(registered_on__lte=last).exclude(closed_on__lt=first)
    for entry, row in each(
        clients.values("organisation_id")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(registered_on__gte=first)))
        .order_by()
    ):
        entry.clients, entry.new_clients = row["n"], row["new"]
    contacts = contact_flags_by_month(Contact.objects.filter(date__range=bounds), fiscal_year, ("organisation_id",))
    for (organisation_id, key), months in contacts.items():
        entry = entries.get(organisation_id)
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
            .values("organisation_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            setattr(entry, attribute, row["n"])
    outcomes = outcomes_by_month(Outcome.objects.filter(date__range=bounds), fiscal_year, ("organisation_id",))
    for (organisation_id, kind, _n), months in outcomes.items():
        entry = entries.get(organisation_id)
        if entry is None:
            continue
        entry.outcomes_by_month = [a + b for a, b in zip(entry.outcomes_by_month, months, strict=True)]
        if kind == OutcomeKind.EMPLOYED:
            entry.employed = sum(months)
    for entry, row in each(
        OutreachContract.objects.filter(fiscal_year=fiscal_year)
        .values("organisation_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        entry.contract_amount = row["total"]
    return entries


__all__ = [
    "CONTRACTOR_SCOPE",
    "ContractorOutreachYear",
    "OutreachReportFigures",
    "clients_not_in_hardship",
    "clients_outside_cohort_without_reason",
    "clients_without_criterion",
    "clients_without_plan",
    "contact_flags_by_month",
    "contractors_outreach_year",
    "month_index",
    "months_with_contacts",
    "outcomes_by_month",
    "outreach_report_figures",
    "year_clients",
]
