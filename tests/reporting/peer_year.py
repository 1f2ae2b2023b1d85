"""A hand-counted 年度 (令和7年度 = FY2025) of contractor Ａ, with noise in contractor Ｂ and in FY2024.

The figures each test expects are written next to the records that make them; change one and
recount by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from accounts.models import HealthCentre
from peers.models import (
    ActivityKind,
    CourseKind,
    ExpenseCategory,
    Hospital,
    JoinedVia,
    SupporterStatus,
)
from tests.peers.factories import (
    ActivityFactory,
    ContractFactory,
    CoordinatorFactory,
    CouncilFactory,
    CourseFactory,
    ExpenditureFactory,
    PersonFactory,
    PledgeFactory,
    SupporterFactory,
    TraineeFactory,
    add_supporter,
)

YEAR = 2025


@dataclass
class PeerYear:
    contract: object
    coordinator: object
    h1: Hospital
    h2: Hospital
    s1: object
    s2: object
    s3: object
    s4: object
    activities: dict
    people: dict


def asaka() -> HealthCentre:
    return HealthCentre.objects.get(name="朝霞保健所")


def contract_for_year(organisation, year: int, amount: int = 3_000_000):
    return ContractFactory(
        organisation=organisation,
        fiscal_year=year,
        amount=amount,
        start_date=date(year, 4, 1),
        end_date=date(year + 1, 3, 31),
    )


def build_peer_year(contractor_a, contractor_b) -> PeerYear:
    district = asaka()
    h1, h2 = Hospital.objects.filter(health_centre=district).order_by("sort_order")[:2]
    contract = contract_for_year(contractor_a, YEAR)
    coordinator = CoordinatorFactory(organisation=contractor_a, name="調整 花子")

    # Supporters: registered 3 (s1, s2, s3; s4 ended before the 年度), new 1 (s2), pledge valid on
    # 2026-03-31: 2 (s1, s2), trained 1 (s2), paused 1 (s3), ended 0.
    s1 = SupporterFactory(organisation=contractor_a, name="仲間 一郎", start_date=date(2024, 4, 1))
    PledgeFactory(supporter=s1, signed_on=date(2024, 4, 1))
    s2 = SupporterFactory(
        organisation=contractor_a, name="仲間 二郎", start_date=date(2025, 6, 1), joined_via=JoinedVia.TRAINING
    )
    PledgeFactory(supporter=s2, signed_on=date(2025, 6, 1))
    s3 = SupporterFactory(
        organisation=contractor_a,
        name="仲間 三郎",
        start_date=date(2024, 4, 1),
        status=SupporterStatus.PAUSED,
        status_changed_on=date(2025, 8, 1),
    )
    PledgeFactory(supporter=s3, signed_on=date(2024, 4, 1), valid_until=date(2025, 7, 31))
    s4 = SupporterFactory(
        organisation=contractor_a,
        name="仲間 四郎",
        start_date=date(2024, 4, 1),
        status=SupporterStatus.ENDED,
        status_changed_on=date(2025, 3, 1),
    )

    def activity(kind, day, participants, hospital=None):
        return ActivityFactory(
            organisation=contractor_a,
            coordinator=coordinator,
            kind=kind,
            date=day,
            start_time=time(13, 0),
            end_time=time(15, 0),
            district=district,
            hospital=hospital,
            participants=participants,
        )

    # 第4条1(1)ア: h1 group work in April: 2 sessions, 12 participants, 3 supporter turns;
    #              h2 outing in May: 1 session, 2 participants, 1 turn.
    a1 = activity(ActivityKind.HOSPITAL_GROUP, date(2025, 4, 10), 5, h1)
    add_supporter(a1, s1, "1.5", 1650)
    a2 = activity(ActivityKind.HOSPITAL_GROUP, date(2025, 4, 20), 7, h1)
    add_supporter(a2, s1, "2", 2200)
    add_supporter(a2, s3, "2", 2200)
    a3 = activity(ActivityKind.OUTING, date(2025, 5, 15), 2, h2)
    add_supporter(a3, s1, "1", 1100)
    # 第4条1(1)イ: group work in June (1 session, 10 participants); home visits in September and
    # January (2 sessions, 2 participants). The September visit has s3, whose pledge had lapsed.
    a4 = activity(ActivityKind.COMMUNITY_GROUP, date(2025, 6, 5), 10)
    add_supporter(a4, s2, "3", 3300)
    a6 = activity(ActivityKind.HOME_VISIT, date(2025, 9, 1), 1)
    add_supporter(a6, s3, "1", 1100)  # written directly: the form would refuse it (要綱第5条5)
    a5 = activity(ActivityKind.HOME_VISIT, date(2026, 1, 12), 1)
    add_supporter(a5, s1, "1", 1100)
    # (2)ウ: s1 4 sessions 5.5 h 6,050円; s2 1 / 3 h / 3,300円; s3 2 / 3 h / 3,300円 → 11.5 h, 12,650円.

    # People: supported 3 (p1, p2 by activity; p4 started in the 年度), discharged in the 年度 1 (p1).
    p1 = PersonFactory(
        organisation=contractor_a,
        code="P-101",
        hospital=h1,
        support_started_on=date(2025, 4, 10),
        discharged_on=date(2025, 10, 1),
    )
    a1.people.add(p1)
    p2 = PersonFactory(organisation=contractor_a, code="P-102", hospital=h1, support_started_on=date(2024, 10, 1))
    a2.people.add(p2)
    p3 = PersonFactory(
        organisation=contractor_a,
        code="P-103",
        hospital=h2,
        support_started_on=date(2024, 5, 1),
        discharged_on=date(2024, 12, 1),
    )
    p4 = PersonFactory(organisation=contractor_a, code="P-104", hospital=h2, support_started_on=date(2025, 5, 1))

    # (2)ア: July 2 courses / 50 participants, February 1 / 15. (2)イ: 1 course, 3 trainees,
    # 2 completions, 1 registered as a supporter.
    for day, participants in ((date(2025, 7, 10), 30), (date(2025, 7, 20), 20), (date(2026, 2, 1), 15)):
        CourseFactory(organisation=contractor_a, kind=CourseKind.AWARENESS, date=day, participants=participants)
    training = CourseFactory(organisation=contractor_a, kind=CourseKind.TRAINING, date=date(2025, 9, 5))
    TraineeFactory(course=training, completed=True, supporter=s2)
    TraineeFactory(course=training, completed=True)
    TraineeFactory(course=training, completed=False)

    CouncilFactory(organisation=contractor_a, date=date(2025, 10, 15), district=district)

    # 第5条4: 2,000,000 + 12,650 + 1,100,000 = 3,112,650円, 112,650円 over the 3,000,000円 contract.
    for category, amount in (
        (ExpenseCategory.PERSONNEL, 2_000_000),
        (ExpenseCategory.HONORARIA, 12_650),
        (ExpenseCategory.TRAVEL, 1_100_000),
    ):
        ExpenditureFactory(
            organisation=contractor_a, contract=contract, date=date(2025, 10, 1), category=category, amount=amount
        )

    # Noise: contractor Ｂ in the same 年度, contractor Ａ in FY2024.
    contract_b = contract_for_year(contractor_b, YEAR)
    other = SupporterFactory(organisation=contractor_b, name="別所 二郎", start_date=date(2024, 4, 1))
    PledgeFactory(supporter=other, signed_on=date(2024, 4, 1))
    b1 = ActivityFactory(
        organisation=contractor_b, date=date(2025, 4, 10), district=district, hospital=h1, participants=9
    )
    add_supporter(b1, other, "2", 2200)
    PersonFactory(
        organisation=contractor_b,
        code="B-001",
        hospital=h1,
        support_started_on=date(2025, 4, 1),
        discharged_on=date(2025, 5, 1),
    )
    ExpenditureFactory(organisation=contractor_b, contract=contract_b, date=date(2025, 5, 1), amount=50_000)
    contract_for_year(contractor_a, YEAR - 1)
    old = activity(ActivityKind.HOSPITAL_GROUP, date(2024, 4, 10), 4, h1)
    add_supporter(old, s1, "1", 1100)
    CouncilFactory(organisation=contractor_a, date=date(2024, 10, 15), district=district)

    return PeerYear(
        contract,
        coordinator,
        h1,
        h2,
        s1,
        s2,
        s3,
        s4,
        {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6},
        {"p1": p1, "p2": p2, "p3": p3, "p4": p4},
    )


def add_more_records(organisation, coordinator, supporter, hospital, count: int) -> None:
    """`count` more activities (each with a supporter and a person), courses and expenditures in FY2025."""
    from peers.models import Contract

    contract = Contract.objects.get(organisation=organisation, fiscal_year=YEAR)
    for n in range(count):
        day = date(2025 + (n % 12 >= 9), (n % 12 + 3) % 12 + 1, 1 + n % 27)
        act = ActivityFactory(
            organisation=organisation,
            coordinator=coordinator,
            kind=ActivityKind.values[n % 4],
            date=day,
            district=hospital.health_centre,
            hospital=hospital,
            participants=n % 5,
        )
        add_supporter(act, supporter, "1", 1100)
        act.people.add(
            PersonFactory(organisation=organisation, code=f"X-{n:04d}", hospital=hospital, support_started_on=day)
        )
        CourseFactory(organisation=organisation, kind=CourseKind.AWARENESS, date=day, participants=n)
        ExpenditureFactory(organisation=organisation, contract=contract, date=day, amount=100)
