"""The figures of the peer-support 実績報告書 that `annual_summary` does not break down, and the
district summary for health centres — each with a bounded number of queries, aggregated in the
database (grouped `values()` + `annotate`), independent of how many records there are.

`peer_report_figures` reuses `annual_summary` for every total it already computes and adds the
breakdowns the report needs (hospital × kind × month, kind × month, supporter × month, …).
The `*_queryset` functions are the records behind the counts that no peers list filter can
express, so a drill-down page can list exactly the rows that were counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from accounts.models import HealthCentre, Organisation, OrganisationKind
from accounts.wareki import FISCAL_MONTH_POSITION, fiscal_year_bounds
from peers.models import (
    IN_HOSPITAL_KINDS,
    Activity,
    ActivityKind,
    ActivitySupporter,
    Contract,
    Coordinator,
    CouncilReport,
    Course,
    CourseKind,
    Expenditure,
    HealthCentreActivity,
    HealthCentreActivityKind,
    JoinedVia,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterStatus,
    Trainee,
)
from peers.selectors.summary import AnnualSummary, MonthlyCounts, annual_summary

AFTER_DISCHARGE_KINDS = tuple(kind for kind in ActivityKind.values if kind not in IN_HOSPITAL_KINDS)



# --- the records behind each count (the same definitions as annual_summary) ---------------------


def supporters_queryset(*, organisation, fiscal_year: int, figure: str = "registered") -> QuerySet[PeerSupporter]:
    """Supporters registered in the 年度 (started by its end, not ended before it) and subsets of them."""
    first, last = fiscal_year_bounds(fiscal_year)
    supporters = PeerSupporter.objects.filter(organisation=organisation, start_date__lte=last).exclude(
        status=SupporterStatus.ENDED, status_changed_on__lt=first
    )
    subsets = {
        "registered": Q(),
        "new": Q(start_date__gte=first),
        "pledged": Q(pk__in=Pledge.objects.valid_on(last).values("supporter_id")),
        "trained": Q(joined_via=JoinedVia.TRAINING),
        "paused": Q(status=SupporterStatus.PAUSED),
        "ended": Q(status=SupporterStatus.ENDED),
    }
    return supporters.filter(subsets[figure])


def people_supported_queryset(*, organisation, fiscal_year: int) -> QuerySet[PersonSupported]:
    """People with an activity in the 年度 or whose support started in it (annual_summary.people_supported)."""
    first, last = fiscal_year_bounds(fiscal_year)
    activities = Activity.objects.filter(organisation=organisation, date__gte=first, date__lte=last)
    return (
        PersonSupported.objects.filter(organisation=organisation)
        .filter(Q(activities__in=activities) | Q(support_started_on__gte=first, support_started_on__lte=last))
        .distinct()
    )


def trainees_queryset(*, organisation, fiscal_year: int, figure: str = "trainees") -> QuerySet[Trainee]:
    first, last = fiscal_year_bounds(fiscal_year)
    trainees = Trainee.objects.filter(
        course__organisation=organisation,
        course__kind=CourseKind.TRAINING,
        course__date__gte=first,
        course__date__lte=last,
    )
    if figure == "completions":
        trainees = trainees.filter(completed=True)
    elif figure == "registered":
        trainees = trainees.filter(supporter__isnull=False)
    return trainees


def supporter_turns_queryset(*, organisation, fiscal_year: int) -> QuerySet[ActivitySupporter]:
    """Supporter turns of the 年度's activities: what the paid-work totals (第4条1(2)ウ) add up."""
    first, last = fiscal_year_bounds(fiscal_year)
    return ActivitySupporter.objects.filter(
        activity__organisation=organisation, activity__date__gte=first, activity__date__lte=last
    )


SUPPORTER_FIGURES = ("registered", "new", "pledged", "trained", "paused", "ended")
TRAINEE_FIGURES = ("trainees", "completions", "registered")
FIGURES = (
    *(f"supporters_{name}" for name in SUPPORTER_FIGURES),
    "people_supported",
    "supporter_turns",
    *(f"trainees_{name}" for name in TRAINEE_FIGURES),
)


def figure_queryset(figure: str, *, organisation, fiscal_year: int) -> QuerySet:
    """The records behind a count of the report (KeyError for an unknown figure)."""
    if figure not in FIGURES:
        raise KeyError(figure)
    family, _, name = figure.partition("_")
    if family == "supporters":
        return supporters_queryset(organisation=organisation, fiscal_year=fiscal_year, figure=name)
    if family == "trainees":
        return trainees_queryset(organisation=organisation, fiscal_year=fiscal_year, figure=name)
    if figure == "supporter_turns":
        return supporter_turns_queryset(organisation=organisation, fiscal_year=fiscal_year)
    return people_supported_queryset(organisation=organisation, fiscal_year=fiscal_year)


# --- the report's figures -----------------------------------------------------------------------


@dataclass
class HospitalRow:
    hospital_id: int | None
    hospital_name: str
    kind: str
    kind_label: str
    counts: MonthlyCounts


@dataclass
class SupporterPay:
    supporter_id: int
    name: str
    sessions: int
    hours: Decimal
    pay: int


@dataclass
class PeerReportFigures:
    fiscal_year: int
    summary: AnnualSummary
    districts: list[HealthCentre]
    coordinators: list[Coordinator]
    supporters_paused: int
    supporters_ended: int
    trainees_registered: int
    in_hospital: list[HospitalRow]  # 第4条1(1)ア: hospital × kind, month by month
    after_discharge: dict[str, MonthlyCounts]  # 第4条1(1)イ: kind → months
    awareness: MonthlyCounts  # 第4条1(2)ア: sessions and participants by month
    hours_by_month: list[Decimal] = field(default_factory=lambda: [Decimal("0")] * 12)
    pay_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    pay_by_supporter: list[SupporterPay] = field(default_factory=list)
    councils: list[CouncilReport] = field(default_factory=list)

    @property
    def contract(self):
        return self.summary.contract

    @property
    def sessions_by_month(self) -> list[int]:
        totals = [0] * 12
        for counts in [*(row.counts for row in self.in_hospital), *self.after_discharge.values()]:
            totals = [a + b for a, b in zip(totals, counts.sessions, strict=True)]
        return totals

    @property
    def sessions(self) -> int:
        return sum(self.sessions_by_month)

    @property
    def participants(self) -> int:
        return sum(
            counts.total_participants
            for counts in [*(row.counts for row in self.in_hospital), *self.after_discharge.values()]
        )


def peer_report_figures(*, organisation, fiscal_year: int) -> PeerReportFigures:
    """Every figure of one contractor's 実績報告書, in a fixed number of queries."""
    summary = annual_summary(organisation=organisation, fiscal_year=fiscal_year)
    first, last = fiscal_year_bounds(fiscal_year)
    index = FISCAL_MONTH_POSITION
    kind_labels = dict(ActivityKind.choices)
    activities = Activity.objects.filter(organisation=organisation, date__gte=first, date__lte=last)

    hospital_rows: dict[tuple, HospitalRow] = {}
    after = {kind: MonthlyCounts() for kind in AFTER_DISCHARGE_KINDS}

    def target(kind: str, hospital_id, hospital_name) -> MonthlyCounts:
        if kind not in IN_HOSPITAL_KINDS:
            return after[kind]
        key = (hospital_name or "", kind, hospital_id)
        if key not in hospital_rows:
            hospital_rows[key] = HospitalRow(
                hospital_id, hospital_name or "（病院未設定）", kind, kind_labels[kind], MonthlyCounts()
            )
        return hospital_rows[key].counts

    grouped = (
        activities.annotate(month=ExtractMonth("date"))
        .values("kind", "hospital_id", "hospital__name", "month")
        .annotate(sessions=Count("pk"), participants=Sum("participants"))
        .order_by()
    )
    for row in grouped:
        counts = target(row["kind"], row["hospital_id"], row["hospital__name"])
        counts.sessions[index[row["month"]]] += row["sessions"]
        counts.participants[index[row["month"]]] += row["participants"] or 0

    rows = ActivitySupporter.objects.filter(activity__in=activities).annotate(month=ExtractMonth("activity__date"))
    turns = (
        rows.values("activity__kind", "activity__hospital_id", "activity__hospital__name", "month")
        .annotate(turns=Count("pk"))
        .order_by()
    )
    for row in turns:
        counts = target(row["activity__kind"], row["activity__hospital_id"], row["activity__hospital__name"])
        counts.supporter_turns[index[row["month"]]] += row["turns"]

    hours_by_month, pay_by_month = [Decimal("0")] * 12, [0] * 12
    per_supporter: dict[int, SupporterPay] = {}
    for row in (
        rows.values("supporter_id", "supporter__name", "month")
        .annotate(sessions=Count("pk"), hours=Sum("hours"), pay=Sum("pay"))
        .order_by()
    ):
        hours_by_month[index[row["month"]]] += row["hours"] or Decimal("0")
        pay_by_month[index[row["month"]]] += row["pay"] or 0
        entry = per_supporter.setdefault(
            row["supporter_id"], SupporterPay(row["supporter_id"], row["supporter__name"], 0, Decimal("0"), 0)
        )
        entry.sessions += row["sessions"]
        entry.hours += row["hours"] or Decimal("0")
        entry.pay += row["pay"] or 0

    awareness = MonthlyCounts()
    for row in (
        Course.objects.filter(organisation=organisation, kind=CourseKind.AWARENESS, date__gte=first, date__lte=last)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(sessions=Count("pk"), participants=Sum("participants"))
        .order_by()
    ):
        awareness.sessions[index[row["month"]]] += row["sessions"]
        awareness.participants[index[row["month"]]] += row["participants"] or 0

    statuses = supporters_queryset(organisation=organisation, fiscal_year=fiscal_year).aggregate(
        paused=Count("pk", filter=Q(status=SupporterStatus.PAUSED)),
        ended=Count("pk", filter=Q(status=SupporterStatus.ENDED)),
    )
    contract = summary.contract
    return PeerReportFigures(
        fiscal_year=fiscal_year,
        summary=summary,
        districts=list(contract.districts.all()) if contract else [],
        coordinators=list(Coordinator.objects.filter(organisation=organisation, is_active=True).order_by("name_kana")),
        supporters_paused=statuses["paused"],
        supporters_ended=statuses["ended"],
        trainees_registered=trainees_queryset(
            organisation=organisation, fiscal_year=fiscal_year, figure="registered"
        ).count(),
        in_hospital=[hospital_rows[key] for key in sorted(hospital_rows, key=lambda k: (k[0], k[1]))],
        after_discharge=after,
        awareness=awareness,
        hours_by_month=hours_by_month,
        pay_by_month=pay_by_month,
        pay_by_supporter=sorted(per_supporter.values(), key=lambda s: (s.name, s.supporter_id)),
        councils=list(
            CouncilReport.objects.filter(organisation=organisation, date__gte=first, date__lte=last)
            .select_related("district")
            .order_by("date", "pk")
        ),
    )


def activities_with_lapsed_pledge(*, organisation, fiscal_year: int) -> QuerySet[ActivitySupporter]:
    """Supporter turns in the 年度 whose supporter had no valid pledge on the activity's date (要綱第5条5)."""
    first, last = fiscal_year_bounds(fiscal_year)
    valid = Pledge.objects.filter(supporter=OuterRef("supporter_id"), signed_on__lte=OuterRef("activity__date")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("activity__date")),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=OuterRef("activity__date")),
    )
    return (
        ActivitySupporter.objects.filter(
            activity__organisation=organisation, activity__date__gte=first, activity__date__lte=last
        )
        .exclude(Exists(valid))
        .select_related("activity", "supporter")
        .order_by("activity__date", F("activity_id"))
    )


# --- contractors side by side (prefecture overview) -----------------------------------------------


@dataclass
class ContractorYear:
    organisation_id: int
    name: str
    activities: int = 0
    participants: int = 0
    discharges: int = 0
    supporters: int = 0
    paid_hours: Decimal = Decimal("0")
    pay: int = 0
    spent: int = 0
    contract_amount: int | None = None
    activities_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    discharges_by_month: list[int] = field(default_factory=lambda: [0] * 12)


def contractors_year(*, fiscal_year: int) -> dict[int, ContractorYear]:
    """Every peer-support contractor's totals of a 年度, keyed by organisation id: six queries in all."""
    first, last = fiscal_year_bounds(fiscal_year)
    index = FISCAL_MONTH_POSITION
    contracts = {c.organisation_id: c.amount for c in Contract.objects.filter(fiscal_year=fiscal_year)}
    organisations = Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR).filter(
        Q(runs_peer_support=True, is_active=True) | Q(pk__in=list(contracts))
    )
    result = {
        org.pk: ContractorYear(org.pk, org.name, contract_amount=contracts.get(org.pk))
        for org in organisations.order_by("code")
    }

    def each(queryset, key="organisation_id"):
        for row in queryset:
            entry = result.get(row[key])
            if entry is not None:
                yield entry, row

    in_year = {"date__gte": first, "date__lte": last}
    for entry, row in each(
        Activity.objects.filter(**in_year)
        .annotate(month=ExtractMonth("date"))
        .values("organisation_id", "month")
        .annotate(sessions=Count("pk"), participants=Sum("participants"))
        .order_by()
    ):
        entry.activities += row["sessions"]
        entry.participants += row["participants"] or 0
        entry.activities_by_month[index[row["month"]]] += row["sessions"]
    for entry, row in each(
        PersonSupported.objects.filter(discharged_on__gte=first, discharged_on__lte=last)
        .annotate(month=ExtractMonth("discharged_on"))
        .values("organisation_id", "month")
        .annotate(people=Count("pk"))
        .order_by()
    ):
        entry.discharges += row["people"]
        entry.discharges_by_month[index[row["month"]]] += row["people"]
    for entry, row in each(
        PeerSupporter.objects.filter(start_date__lte=last)
        .exclude(status=SupporterStatus.ENDED, status_changed_on__lt=first)
        .values("organisation_id")
        .annotate(people=Count("pk"))
        .order_by()
    ):
        entry.supporters = row["people"]
    for entry, row in each(
        ActivitySupporter.objects.filter(activity__date__gte=first, activity__date__lte=last)
        .values("activity__organisation_id")
        .annotate(hours=Sum("hours"), pay=Sum("pay"))
        .order_by(),
        key="activity__organisation_id",
    ):
        entry.paid_hours = row["hours"] or Decimal("0")
        entry.pay = row["pay"] or 0
    for entry, row in each(
        Expenditure.objects.filter(contract__fiscal_year=fiscal_year)
        .values("organisation_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        entry.spent = row["total"] or 0
    return result


# --- district summary (health centres) ------------------------------------------------------------


@dataclass
class DistrictYear:
    """Aggregates of one district's 年度. Counts of people are raw here; the page suppresses small cells."""

    district_id: int
    fiscal_year: int
    by_kind: dict[str, MonthlyCounts]
    by_hospital: list[tuple[str, int, int, int]]  # (hospital name, sessions, participants, discharges)
    by_contractor: list[tuple[str, int, int, int]]  # (contractor name, sessions, participants, discharges)
    discharges_by_month: list[int]
    hc_activities: list[tuple[str, str, list[int], list[int]]]  # (kind, label, sessions by month, audience by month)

    @property
    def sessions_by_month(self) -> list[int]:
        return [sum(c.sessions[i] for c in self.by_kind.values()) for i in range(12)]

    @property
    def participants_by_month(self) -> list[int]:
        return [sum(c.participants[i] for c in self.by_kind.values()) for i in range(12)]

    @property
    def discharges(self) -> int:
        return sum(self.discharges_by_month)


def district_years(
    *, fiscal_year: int, district_ids: list[int] | None = None, detail: bool = True
) -> dict[int, DistrictYear]:
    """Each district's aggregates for a 年度 (all districts when `district_ids` is None): four queries.

    Discharges count people supported whose hospital lies in the district and who left it in the 年度.
    Health-centre activities (第4条2) belong to the health centre's organisation of that district.
    `detail=False` leaves `by_hospital` and `by_contractor` empty (the comparison of all districts shows
    only the monthly figures): the activities and discharges are then grouped by district, kind and
    month alone, without the hospital and contractor names, so the rows read stay few as the data
    grows (711 groups instead of 2,006 for all districts at scale 10).
    """
    first, last = fiscal_year_bounds(fiscal_year)
    index = FISCAL_MONTH_POSITION
    districts = HealthCentre.objects.order_by("sort_order", "code")
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    hc_kinds = HealthCentreActivityKind.choices
    result = {
        d.pk: DistrictYear(
            d.pk,
            fiscal_year,
            {kind: MonthlyCounts() for kind in ActivityKind.values},
            [],
            [],
            [0] * 12,
            [(kind, label, [0] * 12, [0] * 12) for kind, label in hc_kinds],
        )
        for d in districts
    }
    ids = list(result)
    hospitals: dict[int, dict[str, list[int]]] = {}
    contractors: dict[int, dict[str, list[int]]] = {}
    names = ("hospital__name", "organisation__name") if detail else ()
    for row in (
        Activity.objects.filter(district_id__in=ids, date__gte=first, date__lte=last)
        .annotate(month=ExtractMonth("date"))
        .values("district_id", "kind", "month", *names)
        .annotate(sessions=Count("pk"), participants=Sum("participants"))
        .order_by()
    ):
        entry = result[row["district_id"]]
        counts = entry.by_kind[row["kind"]]
        counts.sessions[index[row["month"]]] += row["sessions"]
        counts.participants[index[row["month"]]] += row["participants"] or 0
        if not detail:
            continue
        if row["hospital__name"]:
            totals = hospitals.setdefault(row["district_id"], {}).setdefault(row["hospital__name"], [0, 0, 0])
            totals[0] += row["sessions"]
            totals[1] += row["participants"] or 0
        totals = contractors.setdefault(row["district_id"], {}).setdefault(row["organisation__name"], [0, 0, 0])
        totals[0] += row["sessions"]
        totals[1] += row["participants"] or 0
    for row in (
        PersonSupported.objects.filter(
            hospital__health_centre_id__in=ids, discharged_on__gte=first, discharged_on__lte=last
        )
        .annotate(month=ExtractMonth("discharged_on"))
        .values("hospital__health_centre_id", "month", *names)
        .annotate(people=Count("pk"))
        .order_by()
    ):
        district_id = row["hospital__health_centre_id"]
        result[district_id].discharges_by_month[index[row["month"]]] += row["people"]
        if not detail:
            continue
        hospitals.setdefault(district_id, {}).setdefault(row["hospital__name"], [0, 0, 0])[2] += row["people"]
        totals = contractors.setdefault(district_id, {}).setdefault(row["organisation__name"], [0, 0, 0])
        totals[2] += row["people"]
    health_centres = dict(Organisation.objects.filter(health_centre_id__in=ids).values_list("pk", "health_centre_id"))
    position = {kind: n for n, (kind, _label) in enumerate(hc_kinds)}
    for row in (
        HealthCentreActivity.objects.filter(organisation_id__in=list(health_centres), date__gte=first, date__lte=last)
        .annotate(month=ExtractMonth("date"))
        .values("organisation_id", "kind", "month")
        .annotate(
            sessions=Count("pk"),
            audience=Sum("audience_municipalities")
            + Sum("audience_hospitals")
            + Sum("audience_providers")
            + Sum("audience_residents")
            + Sum("audience_others"),
        )
        .order_by()
    ):
        _kind, _label, sessions, audience = result[health_centres[row["organisation_id"]]].hc_activities[
            position[row["kind"]]
        ]
        sessions[index[row["month"]]] += row["sessions"]
        audience[index[row["month"]]] += row["audience"] or 0
    for district_id, entry in result.items():
        entry.by_hospital = sorted((name, s, p, d) for name, (s, p, d) in hospitals.get(district_id, {}).items())
        entry.by_contractor = sorted((name, s, p, d) for name, (s, p, d) in contractors.get(district_id, {}).items())
    return result


__all__ = [
    "AFTER_DISCHARGE_KINDS",
    "ContractorYear",
    "DistrictYear",
    "PeerReportFigures",
    "activities_with_lapsed_pledge",
    "contractors_year",
    "district_years",
    "figure_queryset",
    "peer_report_figures",
    "people_supported_queryset",
    "supporter_turns_queryset",
    "supporters_queryset",
    "trainees_queryset",
]
