"""Reads of the peer-support program, shared by the screens, the CSV downloads and (later) the
annual report: each number is computed in one function here.

Every `*_list(*, viewer, filters)` starts from `Model.objects.visible_to(viewer)`, so a
coordinator sees only their contractor's rows and prefecture staff see all of them.
"""

from __future__ import annotations

import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.wareki import fiscal_year_bounds, fiscal_year_months
from peers.models import (
    Activity,
    ActivitySupporter,
    Contract,
    Coordinator,
    CouncilReport,
    Course,
    Expenditure,
    ExpenseCategory,
    HealthCentreActivity,
    Hospital,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterStatus,
    Trainee,
)

# --- shared filters ---------------------------------------------------------------------------


def _period(queryset: QuerySet, filters: dict, field: str) -> QuerySet:
    """年度 and month filters on a date field (a month alone means that month of any year)."""
    fiscal_year, month = filters.get("fiscal_year"), filters.get("month")
    if fiscal_year:
        first, last = fiscal_year_bounds(int(fiscal_year))
        queryset = queryset.filter(**{f"{field}__gte": first, f"{field}__lte": last})
        if month:
            year = int(fiscal_year) if int(month) >= 4 else int(fiscal_year) + 1
            queryset = queryset.filter(**{f"{field}__year": year, f"{field}__month": int(month)})
    elif month:
        queryset = queryset.filter(**{f"{field}__month": int(month)})
    return queryset


def _contractor(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("contractor"):
        queryset = queryset.filter(organisation=filters["contractor"])
    return queryset


# --- contracts and coordinators -----------------------------------------------------------------


def contract_list(*, viewer, filters: dict | None = None) -> QuerySet[Contract]:
    filters = filters or {}
    spent = (
        Expenditure.objects.filter(contract=OuterRef("pk"))
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    contracts = (
        Contract.objects.visible_to(viewer)
        .select_related("organisation")
        .prefetch_related("districts")
        .annotate(spent=Coalesce(Subquery(spent), 0))
    )
    if filters.get("fiscal_year"):
        contracts = contracts.filter(fiscal_year=filters["fiscal_year"])
    if filters.get("district"):
        contracts = contracts.filter(districts=filters["district"])
    return _contractor(contracts, filters)


def contract_for_day(*, organisation, day: date) -> Contract | None:
    return (
        Contract.objects.filter(organisation=organisation, start_date__lte=day, end_date__gte=day)
        .prefetch_related("districts")
        .first()
    )


def coordinator_list(*, viewer, filters: dict | None = None) -> QuerySet[Coordinator]:
    filters = filters or {}
    coordinators = Coordinator.objects.visible_to(viewer).select_related("organisation", "user")
    if filters.get("q"):
        query = unicodedata.normalize("NFKC", filters["q"]).strip()
        coordinators = coordinators.filter(Q(name__icontains=query) | Q(name_kana__icontains=kana_query(query)))
    return _contractor(coordinators, filters)


def has_active_coordinator(organisation) -> bool:
    """第2条(1): a contractor places at least one coordinator."""
    return Coordinator.objects.filter(organisation=organisation, is_active=True).exists()


# --- supporters and pledges ---------------------------------------------------------------------


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}


def kana_query(text: str) -> str:
    """What a person types, as フリガナ is stored: full-width katakana (ｶﾀｶﾅ and ひらがな accepted)."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA).strip()


def valid_pledge_exists(day: date) -> Exists:
    return Exists(Pledge.objects.valid_on(day).filter(supporter=OuterRef("pk")))


def supporter_list(*, viewer, filters: dict | None = None, today: date | None = None) -> QuerySet[PeerSupporter]:
    filters = filters or {}
    today = today or timezone.localdate()
    supporters = (
        PeerSupporter.objects.visible_to(viewer)
        .select_related("organisation")
        .annotate(has_valid_pledge=valid_pledge_exists(today))
    )
    if filters.get("q"):
        query = unicodedata.normalize("NFKC", filters["q"]).strip()
        supporters = supporters.filter(Q(name__icontains=query) | Q(name_kana__icontains=kana_query(query)))
    if filters.get("status"):
        supporters = supporters.filter(status=filters["status"])
    if filters.get("pledge") == "valid":
        supporters = supporters.filter(has_valid_pledge=True)
    elif filters.get("pledge") == "missing":
        supporters = supporters.filter(has_valid_pledge=False)
    return _contractor(supporters, filters)


def supporters_for_activity(*, organisation, day: date, include_ids=()) -> QuerySet[PeerSupporter]:
    """Choices for an activity: the contractor's active supporters (plus `include_ids`), valid pledge first."""
    return (
        PeerSupporter.objects.filter(organisation=organisation)
        .filter(Q(status=SupporterStatus.ACTIVE) | Q(pk__in=list(include_ids)))
        .annotate(has_valid_pledge=valid_pledge_exists(day))
        .order_by("-has_valid_pledge", "name_kana", "pk")
    )


def pledges_lapsing(*, organisation, today: date, within_days: int = 30) -> QuerySet[Pledge]:
    """Pledges valid today that expire within `within_days`, with no later pledge to take over."""
    horizon = today + timedelta(days=within_days)
    later = Pledge.objects.filter(supporter=OuterRef("supporter")).valid_on(horizon)
    return (
        Pledge.objects.filter(organisation=organisation, supporter__status=SupporterStatus.ACTIVE)
        .valid_on(today)
        .filter(valid_until__isnull=False, valid_until__lte=horizon)
        .exclude(Exists(later))
        .select_related("supporter")
        .order_by("valid_until")
    )


def supporters_without_pledge(*, organisation, today: date) -> QuerySet[PeerSupporter]:
    return supporters_for_activity(organisation=organisation, day=today).filter(has_valid_pledge=False)


@dataclass
class HoursRow:
    year: int
    month: int
    sessions: int
    hours: Decimal
    pay: int


def supporter_hours_by_month(*, supporter: PeerSupporter, fiscal_year: int) -> list[HoursRow]:
    """Sessions, hours and pay per month of a 年度 (April first) — what 第5条5 tells the supporter."""
    first, last = fiscal_year_bounds(fiscal_year)
    totals = {
        (row["month"].year, row["month"].month): row
        for row in ActivitySupporter.objects.filter(
            supporter=supporter, activity__date__gte=first, activity__date__lte=last
        )
        .annotate(month=TruncMonth("activity__date"))
        .values("month")
        .annotate(sessions=Count("pk"), hours=Sum("hours"), pay=Sum("pay"))
    }
    rows = []
    for year, month in fiscal_year_months(fiscal_year):
        row = totals.get((year, month), {})
        rows.append(
            HoursRow(year, month, row.get("sessions", 0), row.get("hours") or Decimal("0"), row.get("pay") or 0)
        )
    return rows


def supporter_hours_by_fiscal_year(*, supporter: PeerSupporter) -> list[dict]:
    """Sessions, hours and pay per 年度, newest first."""
    rows = (
        ActivitySupporter.objects.filter(supporter=supporter).values_list("activity__date", "hours", "pay").order_by()
    )
    totals: dict[int, dict] = {}
    for day, hours, pay in rows.iterator():
        year = day.year if day.month >= 4 else day.year - 1
        entry = totals.setdefault(year, {"fiscal_year": year, "sessions": 0, "hours": Decimal("0"), "pay": 0})
        entry["sessions"] += 1
        entry["hours"] += hours
        entry["pay"] += pay
    return [totals[year] for year in sorted(totals, reverse=True)]


def supporter_activity_history(*, supporter: PeerSupporter, limit: int = 50) -> QuerySet[ActivitySupporter]:
    return (
        ActivitySupporter.objects.filter(supporter=supporter)
        .select_related("activity__hospital", "activity__district")
        .order_by("-activity__date", "-activity__start_time")[:limit]
    )


# --- people supported and activities --------------------------------------------------------------


def person_list(*, viewer, filters: dict | None = None) -> QuerySet[PersonSupported]:
    filters = filters or {}
    # Per-row subqueries, not Count/Max over a join: the join grouped every person's activities of the
    # prefecture (15,445 rows at scale 10) before the first page of 50 could be taken.
    links = Activity.people.through.objects.filter(personsupported_id=OuterRef("pk"))
    people = (
        PersonSupported.objects.visible_to(viewer)
        .select_related("organisation", "hospital")
        .annotate(
            activity_count=Coalesce(
                Subquery(links.order_by().values("personsupported_id").annotate(n=Count("*")).values("n")), 0
            ),
            last_activity=Subquery(links.order_by("-activity__date").values("activity__date")[:1]),
        )
    )
    if filters.get("q"):
        people = people.filter(code__icontains=filters["q"])
    if filters.get("hospital"):
        people = people.filter(hospital=filters["hospital"])
    if filters.get("discharged") == "yes":
        people = people.filter(discharged_on__isnull=False)
    elif filters.get("discharged") == "no":
        people = people.filter(discharged_on__isnull=True)
    if filters.get("fiscal_year"):
        first, last = fiscal_year_bounds(int(filters["fiscal_year"]))
        people = people.filter(discharged_on__gte=first, discharged_on__lte=last)
    return _contractor(people, filters)


def activity_list(*, viewer, filters: dict | None = None) -> QuerySet[Activity]:
    filters = filters or {}
    activities = (
        Activity.objects.visible_to(viewer)
        .select_related("organisation", "district", "hospital", "coordinator")
        .prefetch_related(
            Prefetch(
                "supporter_rows",
                queryset=ActivitySupporter.objects.select_related("supporter").order_by("supporter__name_kana"),
            )
        )
    )
    activities = _period(activities, filters, "date")
    for name in ("kind", "district", "hospital"):
        if filters.get(name):
            activities = activities.filter(**{name: filters[name]})
    if filters.get("supporter"):
        activities = activities.filter(supporter_rows__supporter=filters["supporter"])
    if filters.get("q"):
        activities = activities.filter(notes__icontains=filters["q"])
    return _contractor(activities, filters)


def activity_month(*, viewer, year: int, month: int, contractor=None) -> list[tuple[date, list[Activity]]]:
    """Every day of a month with that day's activities (the month view)."""
    first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    activities = activity_list(viewer=viewer, filters={"contractor": contractor}).filter(
        date__gte=first, date__lte=last
    )
    by_day: dict[date, list[Activity]] = {}
    for activity in activities.order_by("date", "start_time", "pk"):
        by_day.setdefault(activity.date, []).append(activity)
    return [
        (first + timedelta(days=offset), by_day.get(first + timedelta(days=offset), [])) for offset in range(last.day)
    ]


def activity_month_counts(*, viewer, year: int, month: int, contractors) -> list[tuple[object, int]]:
    """Each contractor with its number of activities in the month (the month view's starting point
    for prefecture staff), in one grouped query."""
    first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    counts = dict(
        Activity.objects.visible_to(viewer)
        .filter(date__gte=first, date__lte=last)
        .values_list("organisation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(contractor, counts.get(contractor.pk, 0)) for contractor in contractors]


def last_activity(*, organisation) -> Activity | None:
    return (
        Activity.objects.filter(organisation=organisation)
        .prefetch_related("supporter_rows__supporter", "people")
        .order_by("-date", "-start_time", "-pk")
        .first()
    )


def usual_district_id(*, organisation) -> int | None:
    """The district of most of the contractor's last 30 activities."""
    recent = list(
        Activity.objects.filter(organisation=organisation)
        .order_by("-date", "-pk")
        .values_list("district_id", flat=True)[:30]
    )
    return max(set(recent), key=recent.count) if recent else None


# --- courses, councils, health centres ------------------------------------------------------------


def course_list(*, viewer, filters: dict | None = None) -> QuerySet[Course]:
    filters = filters or {}
    # Counted in subqueries rather than a join with GROUP BY over every course and trainee: the page's
    # paginator COUNT reads the courses alone, and the trainees are counted for the 50 rows shown.
    trainees = Trainee.objects.filter(course=OuterRef("pk")).order_by().values("course")
    courses = (
        Course.objects.visible_to(viewer)
        .select_related("organisation", "district")
        .annotate(
            trainee_count=Coalesce(Subquery(trainees.annotate(n=Count("pk")).values("n")), 0),
            completion_count=Coalesce(Subquery(trainees.filter(completed=True).annotate(n=Count("pk")).values("n")), 0),
        )
    )
    courses = _period(courses, filters, "date")
    if filters.get("kind"):
        courses = courses.filter(kind=filters["kind"])
    if filters.get("district"):
        courses = courses.filter(district=filters["district"])
    if filters.get("q"):
        courses = courses.filter(Q(title__icontains=filters["q"]) | Q(venue__icontains=filters["q"]))
    return _contractor(courses, filters)


def council_list(*, viewer, filters: dict | None = None) -> QuerySet[CouncilReport]:
    filters = filters or {}
    reports = CouncilReport.objects.visible_to(viewer).select_related("organisation", "district")
    reports = _period(reports, filters, "date")
    if filters.get("district"):
        reports = reports.filter(district=filters["district"])
    if filters.get("q"):
        q = filters["q"]
        reports = reports.filter(
            Q(council__icontains=q) | Q(outcomes__icontains=q) | Q(effects__icontains=q) | Q(issues__icontains=q)
        )
    return _contractor(reports, filters)


def hc_activity_list(*, viewer, filters: dict | None = None) -> QuerySet[HealthCentreActivity]:
    filters = filters or {}
    entries = HealthCentreActivity.objects.visible_to(viewer).select_related("organisation", "hospital")
    entries = _period(entries, filters, "date")
    if filters.get("kind"):
        entries = entries.filter(kind=filters["kind"])
    if filters.get("hospital"):
        entries = entries.filter(hospital=filters["hospital"])
    if filters.get("q"):
        entries = entries.filter(Q(title__icontains=filters["q"]) | Q(note__icontains=filters["q"]))
    if filters.get("health_centre"):
        entries = entries.filter(organisation=filters["health_centre"])
    return entries


def hospitals(*, district=None, include_inactive: bool = False) -> QuerySet[Hospital]:
    hospitals_ = Hospital.objects.select_related("health_centre")
    if not include_inactive:
        hospitals_ = hospitals_.filter(is_active=True)
    return hospitals_.filter(health_centre=district) if district else hospitals_


# --- separate accounts (第5条4) --------------------------------------------------------------------


def expenditure_list(*, viewer, filters: dict | None = None) -> QuerySet[Expenditure]:
    filters = filters or {}
    expenditures = Expenditure.objects.visible_to(viewer).select_related("organisation", "contract")
    expenditures = _period(expenditures, filters, "date")
    if filters.get("contract"):
        expenditures = expenditures.filter(contract=filters["contract"])
    if filters.get("category"):
        expenditures = expenditures.filter(category=filters["category"])
    if filters.get("q"):
        expenditures = expenditures.filter(Q(payee__icontains=filters["q"]) | Q(note__icontains=filters["q"]))
    return _contractor(expenditures, filters)


@dataclass
class ExpenditureTotals:
    contract: Contract
    rows: list[tuple[str, str, int]]  # (category, label, total)
    total: int

    @property
    def remaining(self) -> int:
        return self.contract.amount - self.total

    @property
    def over_by(self) -> int:
        return max(self.total - self.contract.amount, 0)

    @property
    def is_over(self) -> bool:
        return self.total > self.contract.amount


def expenditure_totals(contract: Contract) -> ExpenditureTotals:
    """Totals by budget category against the contract amount (要綱第5条4)."""
    sums = dict(
        Expenditure.objects.filter(contract=contract)
        .values_list("category")
        .annotate(total=Sum("amount"))
        .values_list("category", "total")
        .order_by()
    )
    rows = [(value, label, sums.get(value, 0) or 0) for value, label in ExpenseCategory.choices]
    return ExpenditureTotals(contract=contract, rows=rows, total=sum(total for _v, _l, total in rows))


__all__ = [
    "ExpenditureTotals",
    "HoursRow",
    "activity_list",
    "activity_month",
    "activity_month_counts",
    "contract_for_day",
    "contract_list",
    "coordinator_list",
    "council_list",
    "course_list",
    "expenditure_list",
    "expenditure_totals",
    "has_active_coordinator",
    "hc_activity_list",
    "hospitals",
    "last_activity",
    "person_list",
    "pledges_lapsing",
    "supporter_activity_history",
    "supporter_hours_by_fiscal_year",
    "supporter_hours_by_month",
    "supporter_list",
    "supporters_for_activity",
    "supporters_without_pledge",
    "usual_district_id",
    "valid_pledge_exists",
]
