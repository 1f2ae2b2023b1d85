"""The 年度 figures the 実績報告書 will show, computed by peers.selectors.annual_summary."""

from datetime import date
from decimal import Decimal

from peers.models import ActivityKind, CourseKind, JoinedVia
from peers.selectors import annual_summary
from tests.peers.factories import (
    ActivityFactory,
    CouncilFactory,
    CourseFactory,
    ExpenditureFactory,
    PersonFactory,
    PledgeFactory,
    SupporterFactory,
    TraineeFactory,
    add_supporter,
)


def test_annual_summary_counts_activities_by_hospital_and_month(
    contractor_a, contract_a, activity_a, coordinator_record_a, supporter_a
):
    visit = ActivityFactory(
        organisation=contractor_a,
        coordinator=coordinator_record_a,
        kind=ActivityKind.HOME_VISIT,
        hospital=None,
        date=date(2027, 1, 15),
        participants=1,
    )
    add_supporter(visit, supporter_a, hours="2", pay=2200)
    summary = annual_summary(organisation=contractor_a, fiscal_year=2026)
    hospital = activity_a.hospital.name
    november = 7  # April is 0
    assert summary.in_hospital_by_hospital[hospital].sessions[november] == 1
    assert summary.in_hospital_by_hospital[hospital].participants[november] == 6
    assert summary.in_hospital_by_hospital[hospital].supporter_turns[november] == 1
    assert summary.after_discharge.sessions[9] == 1  # January
    assert summary.paid_hours == Decimal("3.5")
    assert summary.pay_total == 1650 + 2200


def test_annual_summary_counts_supporters_people_courses_and_councils(contractor_a, contract_a, supporter_a):
    trained = SupporterFactory(organisation=contractor_a, start_date=date(2026, 10, 1), joined_via=JoinedVia.TRAINING)
    PledgeFactory(supporter=trained, signed_on=date(2026, 10, 1), valid_until=date(2026, 12, 31))
    PersonFactory(organisation=contractor_a, discharged_on=date(2026, 9, 1))
    PersonFactory(organisation=contractor_a)
    course = CourseFactory(organisation=contractor_a, kind=CourseKind.TRAINING)
    TraineeFactory(course=course, completed=True)
    TraineeFactory(course=course, completed=False)
    CourseFactory(organisation=contractor_a, kind=CourseKind.AWARENESS, participants=40)
    CouncilFactory(organisation=contractor_a)
    ExpenditureFactory(organisation=contractor_a, amount=500_000)
    summary = annual_summary(organisation=contractor_a, fiscal_year=2026)
    assert (summary.supporters_registered, summary.supporters_new, summary.supporters_trained) == (2, 1, 1)
    assert summary.supporters_with_valid_pledge == 1  # the trained one's pledge expired on 12/31
    assert (summary.people_supported, summary.people_discharged) == (2, 1)
    assert (summary.training_courses, summary.trainees, summary.completions) == (1, 2, 1)
    assert (summary.awareness_courses, summary.awareness_participants) == (1, 40)
    assert summary.council_reports == 1
    assert summary.expenditures.total == 500_000


def test_annual_summary_ignores_other_contractors_and_years(contractor_a, activity_a, activity_b):
    summary = annual_summary(organisation=contractor_a, fiscal_year=2026)
    assert sum(c.total_sessions for c in summary.in_hospital_by_hospital.values()) == 1
    assert annual_summary(organisation=contractor_a, fiscal_year=2025).pay_total == 0
