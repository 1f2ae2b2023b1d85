"""The figures of a contractor's 年度 — what the 実績報告書 (要綱第5条6) reports — computed once here.

The reporting app renders these; screens that show the same numbers call the same functions.
Aggregates only: nothing here identifies a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from accounts.wareki import FISCAL_MONTH_POSITION, fiscal_year_bounds
from peers.models import (
    IN_HOSPITAL_KINDS,
    Activity,
    ActivitySupporter,
    Contract,
    Coordinator,
    CouncilReport,
    Course,
    CourseKind,
    JoinedVia,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterStatus,
)
from peers.selectors.records import ExpenditureTotals, expenditure_totals


@dataclass
class MonthlyCounts:
    """Sessions, participants and supporter turns per month, April first (index 0 = April)."""

    sessions: list[int] = field(default_factory=lambda: [0] * 12)
    participants: list[int] = field(default_factory=lambda: [0] * 12)
    supporter_turns: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def total_sessions(self) -> int:
        return sum(self.sessions)

    @property
    def total_participants(self) -> int:
        return sum(self.participants)

    @property
    def total_supporter_turns(self) -> int:
        return sum(self.supporter_turns)


@dataclass
class AnnualSummary:
    organisation_id: int
    fiscal_year: int
    contract: Contract | None
    coordinators: int
    supporters_registered: int
    supporters_new: int
    supporters_with_valid_pledge: int
    supporters_trained: int
    in_hospital_by_hospital: dict[str, MonthlyCounts]  # 第4条1(1)ア, per hospital name
    after_discharge: MonthlyCounts  # 第4条1(1)イ
    people_supported: int
    people_discharged: int
    awareness_courses: int
    awareness_participants: int
    training_courses: int
    trainees: int
    completions: int
    paid_hours: Decimal
    pay_total: int
    council_reports: int
    expenditures: ExpenditureTotals | None



def annual_summary(*, organisation, fiscal_year: int, as_of: date | None = None) -> AnnualSummary:
    """Every figure of one contractor's 年度. `as_of` (default: the 年度's last day) dates the pledge count."""
    first, last = fiscal_year_bounds(fiscal_year)
    as_of = min(as_of or last, last)
    index = FISCAL_MONTH_POSITION
    activities = Activity.objects.filter(organisation=organisation, date__gte=first, date__lte=last)

    in_hospital: dict[str, MonthlyCounts] = {}
    after = MonthlyCounts()
    grouped = (
        activities.annotate(month=ExtractMonth("date"))
        .values("kind", "hospital__name", "month")
        .annotate(sessions=Count("pk", distinct=True), participants=Sum("participants"))
        .order_by()
    )
    for row in grouped:
        target = (
            in_hospital.setdefault(row["hospital__name"] or "（病院未設定）", MonthlyCounts())
            if row["kind"] in IN_HOSPITAL_KINDS
            else after
        )
        target.sessions[index[row["month"]]] += row["sessions"]
        target.participants[index[row["month"]]] += row["participants"] or 0
    turns = (
        ActivitySupporter.objects.filter(activity__in=activities)
        .annotate(month=ExtractMonth("activity__date"))
        .values("activity__kind", "activity__hospital__name", "month")
        .annotate(turns=Count("pk"))
        .order_by()
    )
    for row in turns:
        if row["activity__kind"] in IN_HOSPITAL_KINDS:
            target = in_hospital.setdefault(row["activity__hospital__name"] or "（病院未設定）", MonthlyCounts())
        else:
            target = after
        target.supporter_turns[index[row["month"]]] += row["turns"]

    supporters = PeerSupporter.objects.filter(organisation=organisation, start_date__lte=last).exclude(
        status=SupporterStatus.ENDED, status_changed_on__lt=first
    )
    pay = ActivitySupporter.objects.filter(activity__in=activities).aggregate(hours=Sum("hours"), pay=Sum("pay"))
    courses = Course.objects.filter(organisation=organisation, date__gte=first, date__lte=last)
    course_figures = courses.aggregate(
        awareness=Count("pk", filter=Q(kind=CourseKind.AWARENESS), distinct=True),
        awareness_participants=Sum("participants", filter=Q(kind=CourseKind.AWARENESS)),
        training=Count("pk", filter=Q(kind=CourseKind.TRAINING), distinct=True),
    )
    trainee_figures = courses.filter(kind=CourseKind.TRAINING).aggregate(
        trainee_count=Count("trainees"), completion_count=Count("trainees", filter=Q(trainees__completed=True))
    )
    people = PersonSupported.objects.filter(organisation=organisation)
    contract = Contract.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    return AnnualSummary(
        organisation_id=getattr(organisation, "pk", organisation),
        fiscal_year=fiscal_year,
        contract=contract,
        coordinators=Coordinator.objects.filter(organisation=organisation, is_active=True).count(),
        supporters_registered=supporters.count(),
        supporters_new=supporters.filter(start_date__gte=first).count(),
        supporters_with_valid_pledge=supporters.filter(
            pk__in=Pledge.objects.valid_on(as_of).values("supporter_id")
        ).count(),
        supporters_trained=supporters.filter(joined_via=JoinedVia.TRAINING).count(),
        in_hospital_by_hospital=dict(sorted(in_hospital.items())),
        after_discharge=after,
        people_supported=people.filter(
            Q(activities__in=activities) | Q(support_started_on__gte=first, support_started_on__lte=last)
        )
        .distinct()
        .count(),
        people_discharged=people.filter(discharged_on__gte=first, discharged_on__lte=last).count(),
        awareness_courses=course_figures["awareness"],
        awareness_participants=course_figures["awareness_participants"] or 0,
        training_courses=course_figures["training"],
        trainees=trainee_figures["trainee_count"],
        completions=trainee_figures["completion_count"],
        paid_hours=pay["hours"] or Decimal("0"),
        pay_total=pay["pay"] or 0,
        council_reports=CouncilReport.objects.filter(
            organisation=organisation, date__gte=first, date__lte=last
        ).count(),
        expenditures=expenditure_totals(contract) if contract else None,
    )
