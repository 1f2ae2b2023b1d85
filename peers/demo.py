"""Demo records for the peer-support program, called by `manage.py seed_demo`.

Idempotent: a contractor whose contract for the current 年度 exists is left alone, so running
the command twice adds nothing. Volume is built with bulk_create and one bulk permission grant
per model and contractor; `context.scale` multiplies the years covered (and accounts adds more
contractors), so scale 10 gives roughly 50,000 activities.
"""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import HealthCentre, Organisation
from accounts.permissions import grant_organisation_access_bulk
from accounts.wareki import fiscal_year_bounds
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
    ExpenseCategory,
    HealthCentreActivity,
    HealthCentreActivityKind,
    Hospital,
    JoinedVia,
    PeerSupporter,
    PersonSupported,
    Pledge,
    Qualification,
    SupporterConditions,
    SupporterStatus,
    Trainee,
)

ACTIVITIES_PER_MONTH = 13
DISTRICTS_BY_CONTRACTOR = {
    "midori": ("朝霞保健所", "南部保健所"),
    "hidamari": ("熊谷保健所", "本庄保健所"),
    "musashino": ("東松山保健所", "坂戸保健所"),
}
FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "松本",
    "井上",
]
FAMILY_KANA = [
    "サトウ",
    "スズキ",
    "タカハシ",
    "タナカ",
    "イトウ",
    "ワタナベ",
    "ヤマモト",
    "ナカムラ",
    "コバヤシ",
    "カトウ",
    "ヨシダ",
    "ヤマダ",
    "マツモト",
    "イノウエ",
]
GIVEN = [("健一", "ケンイチ"), ("直子", "ナオコ"), ("誠", "マコト"), ("由美", "ユミ"), ("大輔", "ダイスケ"),
         ("恵子", "ケイコ"), ("隆", "タカシ"), ("美穂", "ミホ"), ("修", "オサム"), ("裕子", "ユウコ")]  # fmt: skip
KIND_WEIGHTS = [
    (ActivityKind.HOSPITAL_GROUP, 50),
    (ActivityKind.OUTING, 15),
    (ActivityKind.COMMUNITY_GROUP, 20),
    (ActivityKind.HOME_VISIT, 15),
]
PROVISIONS = "個人情報保護取扱い特記事項（令和6年4月版）"


def seed(context) -> None:
    today = timezone.localdate()
    years = [context.fiscal_year - offset for offset in range(max(2, context.scale))]
    centres = {centre.name: centre for centre in HealthCentre.objects.all()}
    spare = [name for name in centres if not any(name in v for v in DISTRICTS_BY_CONTRACTOR.values())]
    coordinator_users = {user.organisation.pk: user for user in context.users.values() if user.role == "coordinator"}
    totals = {"activities": 0, "contractors": 0}
    for index, organisation in enumerate(context.peer_contractors):
        if Contract.objects.filter(organisation=organisation, fiscal_year=context.fiscal_year).exists():
            continue
        names = DISTRICTS_BY_CONTRACTOR.get(organisation.code) or (spare[index % len(spare)],)
        districts = [centres[name] for name in names]
        rng = random.Random(f"peers-demo-{organisation.code}")
        totals["activities"] += _seed_contractor(
            organisation, districts, years, today, rng, coordinator_users.get(organisation.pk), context.scale
        )
        totals["contractors"] += 1
    hc_count = _seed_health_centre(context, today)
    context.log.append(
        f"ピアサポート: 受託事業者 {totals['contractors']} 件に活動 {totals['activities']} 件、"
        f"保健所の活動 {hc_count} 件"
    )


def _seed_contractor(organisation: Organisation, districts, years, today, rng, user, scale) -> int:
    first_day = fiscal_year_bounds(min(years))[0]
    hospitals = list(Hospital.objects.filter(health_centre__in=districts, is_active=True))

    contracts = [
        Contract(
            organisation=organisation,
            fiscal_year=year,
            amount=rng.choice([3_200_000, 3_800_000, 4_500_000, 5_100_000]),
            start_date=fiscal_year_bounds(year)[0],
            end_date=fiscal_year_bounds(year)[1],
            note="デモデータ",
        )
        for year in years
    ]
    Contract.objects.bulk_create(contracts)
    contracts = list(Contract.objects.filter(organisation=organisation).order_by("fiscal_year"))
    Contract.districts.through.objects.bulk_create(
        [Contract.districts.through(contract_id=c.pk, healthcentre_id=d.pk) for c in contracts for d in districts]
    )

    coordinators = [
        Coordinator(
            organisation=organisation,
            name=user.display_name if user else f"{FAMILY[rng.randrange(14)]} 千尋",
            name_kana="",
            user=user,
            qualification=Qualification.PSW,
            psw_registration_number=f"{rng.randrange(10000, 99999)}",
        ),
        Coordinator(
            organisation=organisation,
            name=f"{FAMILY[rng.randrange(14)]} 聡",
            qualification=Qualification.EQUIVALENT,
            equivalent_note="相談支援専門員として精神障害者の地域移行支援に10年従事（同等程度と判断）",
        ),
    ]
    coordinators = Coordinator.objects.bulk_create(coordinators)

    supporters = []
    for number in range(8 + scale // 5):
        family = rng.randrange(len(FAMILY))
        given, given_kana = GIVEN[(number + family) % len(GIVEN)]
        status = SupporterStatus.ENDED if number == 7 else SupporterStatus.ACTIVE
        supporters.append(
            PeerSupporter(
                organisation=organisation,
                name=f"{FAMILY[family]} {given}",
                name_kana=f"{FAMILY_KANA[family]} {given_kana}",
                start_date=first_day - timedelta(days=30),
                status=status,
                status_changed_on=fiscal_year_bounds(years[-1])[1] if status == SupporterStatus.ENDED else None,
                joined_via=JoinedVia.TRAINING if number % 2 else JoinedVia.OTHER,
            )
        )
    supporters = PeerSupporter.objects.bulk_create(supporters)
    # Supporter 0..5: valid pledge; 6: none (cannot be put on an activity); 7: ended, pledge withdrawn.
    signed = first_day - timedelta(days=20)
    pledges = [
        Pledge(
            organisation=organisation,
            supporter=supporter,
            signed_on=signed,
            provisions_version=PROVISIONS,
            explained_by=coordinators[0].name,
            valid_until=(today + timedelta(days=20)) if number == 5 else None,
            withdrawn_on=supporter.status_changed_on,
        )
        for number, supporter in enumerate(supporters)
        if number != 6
    ]
    Pledge.objects.bulk_create(pledges)
    SupporterConditions.objects.bulk_create(
        [
            SupporterConditions(
                organisation=organisation,
                supporter=supporter,
                told_on=signed,
                activity_description="院内グループワーク・同行外出・退院後のグループワークへの参加",
                hourly_pay=rng.choice([1000, 1100, 1200]),
                expected_hours="月6〜10時間程度",
            )
            for supporter in supporters
        ]
    )
    pay_rate = {c.supporter_id: c.hourly_pay for c in SupporterConditions.objects.filter(organisation=organisation)}
    active = [s for n, s in enumerate(supporters) if n not in (6, 7)]

    people = []
    for year in years:
        start, _end = fiscal_year_bounds(year)
        for number in range(12):
            started = start + timedelta(days=rng.randrange(0, 200))
            if started > today:
                continue
            discharged = started + timedelta(days=rng.randrange(60, 300)) if rng.random() < 0.45 else None
            if discharged and discharged > today:
                discharged = None
            people.append(
                PersonSupported(
                    organisation=organisation,
                    code=f"{organisation.code[:3].upper()}-{year}-{number + 1:03d}",
                    hospital=rng.choice(hospitals) if hospitals else None,
                    support_started_on=started,
                    discharged_on=discharged,
                    community_support_started_on=discharged + timedelta(days=14) if discharged else None,
                    community_support_note="退院後のグループワークと個別訪問で地域生活を支援" if discharged else "",
                )
            )
    people = PersonSupported.objects.bulk_create(people)
    inpatients_by_hospital: dict[int, list[PersonSupported]] = {}
    for person in people:
        if person.hospital_id:
            inpatients_by_hospital.setdefault(person.hospital_id, []).append(person)

    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    activities: list[Activity] = []
    for contract in contracts:
        first, last = contract.start_date, min(contract.end_date, today)
        day = first
        while day <= last:
            month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            span = (min(month_end, last) - day).days + 1
            for _ in range(max(1, round(ACTIVITIES_PER_MONTH * span / 30))):
                kind = rng.choices(kinds, weights)[0]
                hospital = rng.choice(hospitals) if kind in IN_HOSPITAL_KINDS and hospitals else None
                district = next((d for d in districts if hospital and d.pk == hospital.health_centre_id), districts[0])
                start_hour = rng.choice([10, 13, 14])
                activities.append(
                    Activity(
                        organisation=organisation,
                        contract=contract,
                        kind=kind,
                        date=day + timedelta(days=rng.randrange(span)),
                        start_time=time(start_hour, 0),
                        end_time=time(start_hour + rng.choice([1, 2]), 30),
                        district=district,
                        hospital=hospital,
                        participants=rng.randrange(2, 12),
                        coordinator=coordinators[rng.randrange(2)],
                        notes="",
                    )
                )
            day = month_end + timedelta(days=1)
    activities = Activity.objects.bulk_create(activities, batch_size=2000)

    rows, links = [], []
    for activity in activities:
        for supporter in rng.sample(active, rng.randrange(1, 4)):
            hours = Decimal(rng.choice(["1.0", "1.5", "2.0", "2.5"]))
            pay = int(hours * pay_rate[supporter.pk])
            rows.append(ActivitySupporter(activity=activity, supporter=supporter, hours=hours, pay=pay))
        if activity.hospital_id and inpatients_by_hospital.get(activity.hospital_id):
            for person in rng.sample(inpatients_by_hospital[activity.hospital_id], 1):
                if person.support_started_on <= activity.date:
                    links.append(Activity.people.through(activity_id=activity.pk, personsupported_id=person.pk))
    ActivitySupporter.objects.bulk_create(rows, batch_size=5000)
    Activity.people.through.objects.bulk_create(links, batch_size=5000)

    courses, trainees, councils, expenditures = [], [], [], []
    for contract in contracts:
        start = contract.start_date
        for month_offset, kind in ((2, CourseKind.AWARENESS), (5, CourseKind.TRAINING), (9, CourseKind.AWARENESS)):
            held = (start.replace(day=15) + timedelta(days=31 * month_offset)).replace(day=15)
            if held > today:
                continue
            courses.append(
                Course(
                    organisation=organisation,
                    kind=kind,
                    date=held,
                    title="ピアサポーター養成講座" if kind == CourseKind.TRAINING else "ピアサポートを知る講座",
                    venue=f"{districts[0].name.removesuffix('保健所')}市民会館",
                    district=districts[0],
                    participants=rng.randrange(15, 60) if kind == CourseKind.AWARENESS else rng.randrange(6, 14),
                )
            )
        for month_offset in (4, 10):
            held = (start + timedelta(days=31 * month_offset)).replace(day=20)
            if held <= today:
                councils.append(
                    CouncilReport(
                        organisation=organisation,
                        date=held,
                        district=rng.choice(districts),
                        outcomes="院内グループワークを継続し、参加者のうち数名が退院に至った。",
                        effects="入院患者の退院意欲が高まり、病院職員のピアサポートへの理解が進んだ。",
                        issues="退院後の住まいの確保と、ピアサポーターの活動時間の確保が課題。",
                    )
                )
        month = start
        while month <= min(contract.end_date, today):
            for category, amount in (
                (ExpenseCategory.PERSONNEL, 210_000),
                (ExpenseCategory.HONORARIA, rng.randrange(30_000, 60_000)),
                (ExpenseCategory.TRAVEL, rng.randrange(3_000, 12_000)),
            ):
                expenditures.append(
                    Expenditure(
                        organisation=organisation,
                        contract=contract,
                        date=month.replace(day=25),
                        category=category,
                        amount=amount,
                        payee={
                            "personnel": "コーディネーター人件費",
                            "honoraria": "ピアサポーター謝金",
                            "travel": "交通費",
                        }[category],
                        note=f"{month.month}月分",
                    )
                )
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    courses = Course.objects.bulk_create(courses)
    for course in courses:
        if course.kind == CourseKind.TRAINING:
            for number in range(6):
                family = rng.randrange(len(FAMILY))
                given, given_kana = GIVEN[number]
                trainees.append(
                    Trainee(
                        course=course,
                        name=f"{FAMILY[family]} {given}",
                        name_kana=f"{FAMILY_KANA[family]} {given_kana}",
                        completed=number < 4,
                    )
                )
    Trainee.objects.bulk_create(trainees)
    CouncilReport.objects.bulk_create(councils)
    Expenditure.objects.bulk_create(expenditures, batch_size=2000)

    for model in (Contract, Coordinator, PeerSupporter, Pledge, SupporterConditions, PersonSupported, Activity,
                  Course, CouncilReport, Expenditure):  # fmt: skip
        grant_organisation_access_bulk(model.objects.filter(organisation=organisation), organisation)
    return len(activities)


def _seed_health_centre(context, today) -> int:
    organisation = context.health_centres.get("朝霞保健所")
    if organisation is None or HealthCentreActivity.objects.filter(organisation=organisation).exists():
        return 0
    hospitals = list(Hospital.objects.filter(health_centre=organisation.health_centre))
    entries = []
    for year in (context.fiscal_year - 1, context.fiscal_year):
        start, _end = fiscal_year_bounds(year)
        for offset, kind, title in (
            (40, HealthCentreActivityKind.AWARENESS, "精神障害にも対応した地域包括ケア研修会"),
            (120, HealthCentreActivityKind.REQUEST, "ピアサポート活動の受入れに関する協力依頼"),
            (200, HealthCentreActivityKind.AWARENESS, "地域移行シンポジウム"),
            (280, HealthCentreActivityKind.REQUEST, "院内グループワーク実施に関する協力依頼"),
        ):
            held = start + timedelta(days=offset)
            if held > today:
                continue
            request = kind == HealthCentreActivityKind.REQUEST
            entries.append(
                HealthCentreActivity(
                    organisation=organisation,
                    date=held,
                    kind=kind,
                    title=title,
                    hospital=hospitals[offset % len(hospitals)] if request and hospitals else None,
                    audience_hospitals=4 if request else 8,
                    audience_municipalities=0 if request else 12,
                    audience_providers=0 if request else 15,
                    audience_residents=0 if request else 30,
                )
            )
    HealthCentreActivity.objects.bulk_create(entries)
    grant_organisation_access_bulk(HealthCentreActivity.objects.filter(organisation=organisation), organisation)
    return len(entries)


__all__ = ["seed"]
