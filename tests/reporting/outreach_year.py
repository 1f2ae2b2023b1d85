"""A hand-counted 年度 (令和7年度 = FY2025) of outreach contractor Ａ (two agencies), with noise in
contractor Ｂ, in FY2024 and in FY2026.

The figures each test expects are written next to the records that make them; change one and
recount by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from accounts.models import Role
from outreach.models import (
    ContactKind,
    LinkageResult,
    OutcomeKind,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResourceKind,
    WelfareLicence,
)
from tests.factories import make_user
from tests.outreach.conftest import build_records
from tests.outreach.factories import (
    AgencyFactory,
    ClientFactory,
    ContactFactory,
    ContractFactory,
    LinkageFactory,
    MeetingFactory,
    OutcomeFactory,
    PlanFactory,
    ResourceFactory,
    ReviewFactory,
    WorkerFactory,
)

YEAR = 2025


@dataclass
class OutreachYear:
    agency_1: object
    agency_2: object
    worker_1: object
    worker_2: object
    clients: dict
    contacts: dict


def build_outreach_year(contractor_a, contractor_b, outreach_worker_a, outreach_worker_b) -> OutreachYear:
    a1 = AgencyFactory(organisation=contractor_a, name="Ａ会 春日部自立相談支援センター")
    a2 = AgencyFactory(organisation=contractor_a, name="Ａ会 越谷自立相談支援センター")
    # Contracts of the 年度: 12,000,000 + 8,000,000 = 20,000,000 (and one of FY2024: noise).
    ContractFactory(agency=a1, amount=12_000_000)
    ContractFactory(agency=a2, amount=8_000_000)
    ContractFactory(agency=a1, fiscal_year=2024, amount=1_000, start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))
    # Workers: active ウ 1 (w1), イ 1 (w2); w3 has left (not counted).
    w1 = WorkerFactory(user=outreach_worker_a, agency=a1, qualification=Qualification.CONSULTATION)
    w2 = WorkerFactory(
        user=make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-a2", last_name="越谷", first_name="二郎"),
        agency=a2,
        qualification=Qualification.LICENSED,
        licence=WelfareLicence.SOCIAL_WORKER,
        field_years=6,
        hardship_consultation_years=4,
        consultation_years=None,
    )
    WorkerFactory(
        user=make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-a3"), agency=a1, is_active=False
    )

    # Clients open in the 年度: c1, c2, c3, c6 (4). New (registered in the 年度): c2 (April), c3 (June).
    # Continuing: c1, c6. Outside the cohort: c3. Criteria: (ｱ) c1, c6 · (ｲ) c2 · (ｳ) c2, c6 · (ｴ) c3.
    # Age on 2025-04-01: c1 44 (40〜44), c2 50 (50〜54), c3 35 (35〜39), c6 39 (35〜39).
    # Sex: male c1, c3, c6; female c2. Route: family c1, self c2, agency c3, outreach c6.
    c1 = ClientFactory(
        agency=a1,
        worker=w1,
        name="山田 太郎",
        registered_on=date(2024, 10, 1),
        birth_date=date(1980, 5, 1),
        referral_route=ReferralRoute.FAMILY,
    )
    c2 = ClientFactory(
        agency=a1,
        worker=w1,
        name="鈴木 花子",
        name_kana="スズキ ハナコ",
        registered_on=date(2025, 4, 15),
        birth_date=date(1975, 4, 1),
        sex=Sex.FEMALE,
        referral_route=ReferralRoute.SELF,
        criterion_hikikomori=False,
        criterion_youth_station=True,
        criterion_unstable_work=True,
    )
    c3 = ClientFactory(
        agency=a2,
        worker=w2,
        name="田中 次郎",
        name_kana="タナカ ジロウ",
        registered_on=date(2025, 6, 20),
        birth_date=date(1990, 1, 1),
        in_cohort=False,
        outside_cohort_reason="30代半ばで、ひきこもり期間が長いため",
        referral_route=ReferralRoute.AGENCY,
        criterion_hikikomori=False,
        criterion_other=True,
        criterion_other_note="家族関係の調整が必要",
    )
    c4 = ClientFactory(  # closed before the 年度: not counted
        agency=a2,
        registered_on=date(2024, 4, 1),
        status="closed",
        closed_on=date(2025, 3, 31),
        closed_reason="転居",
    )
    c5 = ClientFactory(agency=a1, registered_on=date(2026, 4, 5))  # registered after the 年度: not counted
    c6 = ClientFactory(
        agency=a1,
        name="高橋 三郎",
        name_kana="タカハシ サブロウ",
        registered_on=date(2023, 5, 1),
        birth_date=date(1985, 9, 9),
        referral_route=ReferralRoute.OUTREACH,
        criterion_unstable_work=True,
        status="closed",
        closed_on=date(2025, 5, 31),
        closed_reason="就職により終結",
    )

    def contact(client, day, start, end, kind, **fields):
        return ContactFactory(
            client=client,
            worker=client.worker,
            date=day,
            start_time=time(*start),
            end_time=time(*end),
            kind=kind,
            **fields,
        )

    # Contacts of the 年度: 6. By kind and month: 自宅訪問 4月 1・5月 1; 電話 5月 1; 来所面談 6月 1;
    # 同行相談 12月 1; メール・手紙 3月 1. Flags: 土日 5月 1; 祝日 5月 2; 年末年始 12月 1; 時間外 6月 1;
    # いずれか 5月 2・6月 1・12月 1 (4). First connections: 5月 1, 12月 1 (2).
    # Months without a contact: 7, 8, 9, 10, 11, 1, 2 (7).
    contacts = {
        "k1": contact(c1, date(2025, 4, 7), (10, 0), (11, 0), ContactKind.HOME_VISIT, with_family=True),
        "k2": contact(  # Saturday and 憲法記念日
            c1, date(2025, 5, 3), (10, 0), (11, 0), ContactKind.HOME_VISIT, with_person=True, first_connection=True
        ),
        "k3": contact(c1, date(2025, 5, 5), (13, 0), (14, 0), ContactKind.PHONE, with_person=True),  # こどもの日
        "k4": contact(c2, date(2025, 6, 10), (18, 0), (19, 0), ContactKind.OFFICE, with_person=True),  # after hours
        "k5": contact(  # 年末年始
            c3, date(2025, 12, 30), (10, 0), (11, 0), ContactKind.ACCOMPANIED, with_person=True, first_connection=True
        ),
        "k6": contact(c6, date(2026, 3, 2), (9, 0), (10, 0), ContactKind.MAIL, with_person=True),
    }
    contact(c1, date(2025, 3, 31), (10, 0), (11, 0), ContactKind.PHONE, with_person=True)  # FY2024
    contact(c5, date(2026, 4, 6), (10, 0), (11, 0), ContactKind.PHONE, with_person=True)  # FY2026

    # Plans made in the 年度: 2 (7月 c1, 9月 c2); one review. Without a plan by 2026-03-31: c3, c6 (2).
    p1 = PlanFactory(client=c1, made_on=date(2025, 7, 1), next_review_on=date(2025, 10, 1))
    ReviewFactory(plan=p1, reviewed_on=date(2025, 10, 1))
    PlanFactory(client=c2, made_on=date(2025, 9, 15), next_review_on=None)
    PlanFactory(client=c1, made_on=date(2024, 12, 1), next_review_on=None)  # FY2024
    # Meetings: 支援調整会議 1, ケース会議 1 (and one of FY2024).
    MeetingFactory(agency=a1, date=date(2025, 8, 5), kind="coordination", clients=[c1])
    MeetingFactory(agency=a2, date=date(2025, 11, 11), kind="case_conference", clients=[c3])
    MeetingFactory(agency=a1, date=date(2024, 8, 5), kind="coordination")
    # Linkages: サポステ 2 (9月, 1月), ハローワーク 1 (10月); total 3.
    station = ResourceFactory(name="かすかべ若者サポートステーション", kind=SocialResourceKind.YOUTH_STATION)
    hello_work = ResourceFactory(name="ハローワーク春日部", kind=SocialResourceKind.HELLO_WORK)
    LinkageFactory(client=c2, resource=station, date=date(2025, 9, 1))
    LinkageFactory(client=c2, resource=hello_work, date=date(2025, 10, 10), result=LinkageResult.STARTED)
    LinkageFactory(client=c3, resource=station, date=date(2026, 1, 15))
    LinkageFactory(client=c1, resource=station, date=date(2025, 3, 1))  # FY2024
    # Outcomes: つながりの確保 5月 1・12月 1; 支援計画の作成 7月 1; 就職 2月 1.
    OutcomeFactory(client=c1, kind=OutcomeKind.CONNECTED, date=date(2025, 5, 3))
    OutcomeFactory(client=c1, kind=OutcomeKind.PLAN_MADE, date=date(2025, 7, 1))
    OutcomeFactory(client=c2, kind=OutcomeKind.EMPLOYED, date=date(2026, 2, 20))
    OutcomeFactory(client=c3, kind=OutcomeKind.CONNECTED, date=date(2025, 12, 30))
    OutcomeFactory(client=c1, kind=OutcomeKind.JOINED_PLACE, date=date(2025, 3, 15))  # FY2024

    # Contractor Ｂ: one of everything in FY2025 (noise for Ａ's report).
    agency_b = AgencyFactory(organisation=contractor_b, name="Ｂ 東松山生活相談センター")
    worker_b = WorkerFactory(user=outreach_worker_b, agency=agency_b)
    build_records(ClientFactory(agency=agency_b, worker=worker_b, name="佐藤 花子"), worker_b)

    return OutreachYear(a1, a2, w1, w2, {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6}, contacts)


def add_more_records(agency, worker, count: int) -> None:
    """`count` more clients in FY2025, each with a contact, a plan, a linkage and an outcome."""
    for n in range(count):
        day = date(2025 + (n % 12 >= 9), (n % 12 + 3) % 12 + 1, 1 + n % 27)
        client = ClientFactory(agency=agency, worker=worker, registered_on=day, name=f"追加 {n}")
        ContactFactory(client=client, worker=worker, date=day, with_person=True)
        PlanFactory(client=client, made_on=day, next_review_on=None)
        LinkageFactory(client=client, date=day)
        OutcomeFactory(client=client, date=day)
