"""Demo data for the outreach program: agencies, workers, contracts, resources, and two 年度 of cases.

Called by `manage.py seed_demo` with the accounts DemoContext. Idempotent: set-up rows are
fetched or created by natural key, and an agency's case records are created only once (the
clients carry the "DEMO-" number prefix). Volume uses bulk_create and one bulk grant per
model and agency; `context.scale` multiplies it (scale 10 ≈ 5,000 clients, 60,000 contacts).
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import jpholiday
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Municipality, Organisation
from accounts.permissions import grant_organisation_access_bulk
from accounts.wareki import fiscal_year_bounds
from outreach.models import (
    Agency,
    Client,
    CohortSetting,
    Contact,
    ContactKind,
    Linkage,
    LinkageResult,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    ParticipantType,
    PlanReview,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResource,
    SocialResourceKind,
    SupportMeeting,
    SupportPlan,
)
from outreach.search import search_key

DEMO_PREFIX = "DEMO-"
CLIENTS_PER_SCALE = 500  # across all outreach contractors
CONTACTS_PER_CLIENT = 12  # on average

K = SocialResourceKind
RESOURCES = [
    ("埼玉県ひきこもり地域支援センター", K.HIKIKOMORI_CENTRE, "", "県のひきこもり相談の拠点"),
    ("ひきこもり地域支援センター 春日部サテライト", K.HIKIKOMORI_CENTRE, "春日部市", "保健所内の出張相談"),
    ("ひきこもり地域支援センター 東松山サテライト", K.HIKIKOMORI_CENTRE, "東松山市", "保健所内の出張相談"),
    ("かすかべ若者サポートステーション", K.YOUTH_STATION, "春日部市", ""),
    ("ひき若者サポートステーション", K.YOUTH_STATION, "東松山市", ""),
    ("ハローワーク春日部", K.HELLO_WORK, "春日部市", ""),
    ("ハローワーク東松山", K.HELLO_WORK, "東松山市", ""),
    ("県東部 就労準備支援事業", K.EMPLOYMENT_PREPARATION, "", "町村部の就労準備支援"),
    ("県西部 就労準備支援事業", K.EMPLOYMENT_PREPARATION, "", "町村部の就労準備支援"),
    ("県東部 家計改善支援事業", K.HOUSEHOLD_FINANCE, "", ""),
    ("県西部 家計改善支援事業", K.HOUSEHOLD_FINANCE, "", ""),
    ("埼玉県東部中央福祉事務所", K.WELFARE_OFFICE, "春日部市", "生活保護の相談"),
    ("埼玉県西部福祉事務所", K.WELFARE_OFFICE, "東松山市", "生活保護の相談"),
    ("春日部保健所 精神保健福祉相談", K.HEALTH_CENTRE, "春日部市", ""),
    ("東松山保健所 精神保健福祉相談", K.HEALTH_CENTRE, "東松山市", ""),
    ("こもれびメンタルクリニック", K.MEDICAL, "春日部市", "架空の医療機関"),
    ("松葉町こころの診療所", K.MEDICAL, "東松山市", "架空の医療機関"),
    ("居場所カフェ ほっとひと息", K.PLACE_TO_BELONG, "杉戸町", "毎週水曜・土曜に開所"),
    ("フリースペース ひなたぼっこ", K.PLACE_TO_BELONG, "小川町", "月2回の集まり"),
    ("断酒会 東部ブロック例会", K.SELF_HELP, "", "断酒会"),
    ("AA 埼玉東部グループ", K.SELF_HELP, "", "アルコホーリクス・アノニマス"),
    ("NA 埼玉ミーティング", K.SELF_HELP, "", "ナルコティクス・アノニマス"),
    ("GA 埼玉ミーティング", K.SELF_HELP, "", "ギャンブラーズ・アノニマス"),
    ("ひきこもり家族会 さいたま", K.SELF_HELP, "", "家族の自助グループ"),
    ("埼玉県就職氷河期世代活躍支援プラットフォーム", K.ICE_AGE_PLATFORM, "", "要綱3(4)コ"),
    ("町村就職氷河期世代支援 連絡会", K.ICE_AGE_PLATFORM, "", "要綱3(4)コ"),
]

# Agencies of the named demo contractors; generic contractors get one over a slice of 町村.
NAMED_AGENCIES = {
    "aozora": ("あおぞら東部自立相談支援センター", ["宮代町", "杉戸町", "松伏町"], "春日部市中央三丁目3番3号"),
    "musashino": (
        "むさしの比企自立相談支援センター",
        ["滑川町", "嵐山町", "小川町", "川島町", "吉見町", "ときがわ町", "東秩父村"],
        "東松山市松葉町四丁目4番4号",
    ),
}
DEMO_WORKERS = {
    "demo-outreach-a": ("aozora", {"qualification": Qualification.LICENSED, "licence": "social_worker"}),
    "demo-outreach-b": ("musashino", {"qualification": Qualification.TRAINING, "training_course": "consultation"}),
}

FAMILY = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("新井", "アライ"), ("関根", "セキネ"), ("小島", "コジマ"), ("大塚", "オオツカ"),
]  # fmt: skip
GIVEN = [
    ("健一", "ケンイチ", Sex.MALE), ("大輔", "ダイスケ", Sex.MALE), ("誠", "マコト", Sex.MALE),
    ("拓也", "タクヤ", Sex.MALE), ("隆", "タカシ", Sex.MALE), ("直樹", "ナオキ", Sex.MALE),
    ("陽子", "ヨウコ", Sex.FEMALE), ("恵", "メグミ", Sex.FEMALE), ("智子", "トモコ", Sex.FEMALE),
    ("由美", "ユミ", Sex.FEMALE), ("真理", "マリ", Sex.FEMALE), ("薫", "カオル", Sex.OTHER),
]  # fmt: skip
# (summary, with the person, with family, with an agency) per contact kind.
SUMMARIES = {
    ContactKind.HOME_VISIT: [
        ("自宅を訪問。母親と面談し、本人の生活の様子を聞いた。", False, True, False),
        ("自宅を訪問。ドア越しに本人へ声をかけ、手紙を置いてきた。", False, True, False),
        ("自宅を訪問し、本人と玄関先で15分ほど話ができた。", True, False, False),
    ],
    ContactKind.ACCOMPANIED: [
        ("本人に同行してハローワークで相談。", True, False, True),
        ("本人に同行して居場所を見学した。", True, False, True),
    ],
    ContactKind.OFFICE: [
        ("来所面談。生活費の状況と今後の希望を確認。", True, False, False),
        ("本人と父親が来所。支援計画の進み具合を振り返った。", True, True, False),
    ],
    ContactKind.PHONE: [
        ("本人から電話。体調と外出の状況を確認。", True, False, False),
        ("家族から電話で相談。本人の昼夜逆転が続いている。", False, True, False),
    ],
    ContactKind.MAIL: [
        ("本人へ手紙を送付し、次回の訪問日を伝えた。", True, False, False),
        ("本人とメールで面談の日程を調整。", True, False, False),
    ],
    ContactKind.CASE_CONFERENCE: [("関係機関とケース会議。役割分担を確認。", False, False, True)],
    ContactKind.OTHER: [("地域の民生委員から情報提供を受けた。", False, False, True)],
}
KIND_WEIGHTS = [
    (ContactKind.HOME_VISIT, 30), (ContactKind.PHONE, 25), (ContactKind.OFFICE, 15), (ContactKind.ACCOMPANIED, 12),
    (ContactKind.MAIL, 10), (ContactKind.CASE_CONFERENCE, 5), (ContactKind.OTHER, 3),
]  # fmt: skip
OUT_OF_COHORT_REASONS = [
    "きょうだいと同居し同様の状態にあり、世帯として一体的な支援が必要なため。",
    "範囲をわずかに外れるが、長期のひきこもり状態で丁寧な支援が必要なため（要綱の「おおむね」による）。",
]


def seed(context) -> None:
    today = timezone.localdate()
    resources = _seed_resources()
    agencies = [_seed_agency(contractor, index) for index, contractor in enumerate(context.outreach_contractors)]
    workers = _seed_workers(context, {a.organisation.code: a for a in agencies})
    for agency in agencies:
        for year in (context.fiscal_year - 1, context.fiscal_year):
            _seed_contract(agency, year)
    per_agency = max(10, round(CLIENTS_PER_SCALE * context.scale / max(len(agencies), 1)))
    created = 0
    for agency in agencies:
        if Client.objects.filter(agency=agency, number__startswith=DEMO_PREFIX).exists():
            continue
        _seed_cases(agency, workers.get(agency.pk), resources, per_agency, context.fiscal_year, today)
        created += 1
    context.log.append(
        f"アウトリーチ: 機関 {len(agencies)}、支援員 {len(workers)}、社会資源 {len(resources)}、"
        f"支援対象者 {Client.objects.count()}、対応記録 {Contact.objects.count()}（今回追加した機関 {created}）"
    )


def _seed_resources() -> list[SocialResource]:
    municipalities = {m.name: m for m in Municipality.objects.all()}
    resources = []
    for name, kind, municipality, note in RESOURCES:
        resource, _ = SocialResource.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality": municipalities.get(municipality), "note": note}
        )
        resources.append(resource)
    CohortSetting.current().save()
    return resources


def _seed_agency(contractor: Organisation, index: int) -> Agency:
    if contractor.code in NAMED_AGENCIES:
        name, towns, address = NAMED_AGENCIES[contractor.code]
        municipalities = list(Municipality.objects.filter(name__in=towns))
    else:
        name, address = f"{contractor.name} 自立相談支援センター", ""
        towns = list(Municipality.objects.filter(kind__in=["町", "村"]).order_by("sort_order", "pk"))
        municipalities = [towns[(index * 3 + offset) % len(towns)] for offset in range(3)] if towns else []
    agency, created = Agency.objects.get_or_create(
        organisation=contractor, name=name, defaults={"address": address, "phone": "048-000-0000"}
    )
    if created:
        agency.municipalities.set(municipalities)
        grant_organisation_access_bulk(Agency.objects.filter(pk=agency.pk), contractor)
    return agency


def _seed_workers(context, agencies_by_code: dict[str, Agency]) -> dict[int, OutreachWorker]:
    workers = {}
    for username, (code, qualification) in DEMO_WORKERS.items():
        user, agency = context.users.get(username), agencies_by_code.get(code)
        if user is None or agency is None:
            continue
        evidence = {
            "field_years": 8,
            "hardship_consultation_years": 4,
            "training_year": context.fiscal_year - 2,
            **qualification,
        }
        worker, created = OutreachWorker.objects.get_or_create(
            user=user,
            defaults={
                "agency": agency,
                "organisation": agency.organisation,
                "started_on": date(2024, 4, 1),
                **evidence,
            },
        )
        if created:
            grant_organisation_access_bulk(OutreachWorker.objects.filter(pk=worker.pk), agency.organisation)
        workers[agency.pk] = worker
    return workers


def _seed_contract(agency: Agency, year: int) -> None:
    first, last = fiscal_year_bounds(year)
    contract, created = OutreachContract.objects.get_or_create(
        agency=agency,
        fiscal_year=year,
        defaults={"organisation": agency.organisation, "amount": 9_800_000, "start_date": first, "end_date": last},
    )
    if created:
        grant_organisation_access_bulk(OutreachContract.objects.filter(pk=contract.pk), agency.organisation)


def _grant(queryset: QuerySet, organisation: Organisation) -> None:
    grant_organisation_access_bulk(queryset.only("pk"), organisation)


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _weekday_mostly(rng: random.Random, day: date) -> date:
    """Most contacts fall on working days; about a third of weekend and holiday ones stay (要綱3(1)イ)."""
    for _attempt in range(5):
        if (day.weekday() < 5 and not jpholiday.is_holiday(day)) or rng.random() < 0.35:
            return day
        day -= timedelta(days=rng.randint(1, 6))
    return day


def _contact_time(rng: random.Random) -> tuple[time, time]:
    roll = rng.random()
    if roll < 0.08:  # early morning, before 8:30
        start = time(7, rng.choice([30, 45]))
    elif roll < 0.2:  # evening
        start = time(rng.choice([17, 18, 19]), rng.choice([0, 30]))
    else:
        start = time(rng.randint(9, 15), rng.choice([0, 15, 30, 45]))
    minutes = start.hour * 60 + start.minute + rng.choice([15, 30, 45, 60, 90])
    return start, time(minutes // 60, minutes % 60)  # at most 21:00


def _seed_cases(agency, worker, resources, count, fiscal_year, today) -> None:
    rng = random.Random(f"outreach-{agency.organisation.code}")
    organisation = agency.organisation
    span_start = fiscal_year_bounds(fiscal_year - 1)[0]
    cohort = CohortSetting.current()
    municipalities = list(agency.municipalities.all()) or list(Municipality.objects.order_by("pk")[:1])
    user = worker.user if worker else None

    clients = []
    for number in range(1, count + 1):
        family, family_kana = rng.choice(FAMILY)
        given, given_kana, sex = rng.choice(GIVEN)
        outside = rng.random() < 0.08
        birth = (
            _random_day(rng, date(1966, 4, 1), date(1970, 3, 31))
            if outside and rng.random() < 0.5
            else _random_day(rng, date(1986, 4, 2), date(1990, 3, 31))
            if outside
            else _random_day(rng, cohort.birth_from, cohort.birth_to)
        )
        registered = _random_day(rng, span_start, today - timedelta(days=7))
        criteria = {
            "criterion_hikikomori": rng.random() < 0.55,
            "criterion_youth_station": rng.random() < 0.25,
            "criterion_unstable_work": rng.random() < 0.45,
            "criterion_other": False,
        }
        if not any(criteria.values()):
            criteria["criterion_other"] = True
        closed = registered < today - timedelta(days=200) and rng.random() < 0.25
        name, kana = f"{family} {given}", f"{family_kana} {given_kana}"
        clients.append(
            Client(
                organisation=organisation,
                agency=agency,
                worker=worker,
                created_by=user,
                number=f"{DEMO_PREFIX}{number:05d}",
                registered_on=registered,
                name=name,
                name_kana=kana,
                search_key=search_key(name, kana),
                birth_date=birth,
                sex=sex,
                municipality=rng.choice(municipalities),
                phone=f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                referral_route=rng.choice(ReferralRoute.values),
                in_hardship=True,
                in_cohort=cohort.contains(birth),
                outside_cohort_reason="" if cohort.contains(birth) else rng.choice(OUT_OF_COHORT_REASONS),
                criterion_other_note="家族関係の調整が必要" if criteria["criterion_other"] else "",
                status="closed" if closed else rng.choice(["new", "continuing", "continuing"]),
                closed_on=_random_day(rng, registered + timedelta(days=150), today) if closed else None,
                closed_reason="就職し、生活が安定したため。" if closed else "",
                **criteria,
            )
        )
    Client.objects.bulk_create(clients, batch_size=1000)
    clients = list(Client.objects.filter(agency=agency, number__startswith=DEMO_PREFIX).order_by("number"))
    _grant(Client.objects.filter(agency=agency, number__startswith=DEMO_PREFIX), organisation)

    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    contacts, plans, linkages, outcomes = [], [], [], []
    for client in clients:
        last_day = client.closed_on or today
        n_contacts = rng.randint(3, 2 * CONTACTS_PER_CLIENT - 3)
        days = sorted(_weekday_mostly(rng, _random_day(rng, client.registered_on, last_day)) for _ in range(n_contacts))
        days = [max(day, client.registered_on) for day in days]
        connected = False
        for day in days:
            start, end = _contact_time(rng)
            kind = rng.choices(kinds, weights)[0]
            summary, with_person, with_family, with_agency = rng.choice(SUMMARIES[kind])
            contact = Contact(
                organisation=organisation,
                client=client,
                worker=worker,
                created_by=user,
                date=day,
                start_time=start,
                end_time=end,
                kind=kind,
                with_person=with_person,
                with_family=with_family,
                with_agency=with_agency,
                first_connection=with_person and not connected,
                summary=summary,
            )
            if contact.first_connection:
                connected = True
                outcomes.append(Outcome(organisation=organisation, client=client, kind=OutcomeKind.CONNECTED, date=day))
            contact.classify()
            contacts.append(contact)
        if rng.random() < 0.6:
            made_on = _random_day(rng, client.registered_on, min(client.registered_on + timedelta(days=60), last_day))
            plans.append(
                SupportPlan(
                    organisation=organisation,
                    client=client,
                    created_by=user,
                    made_on=made_on,
                    goals=rng.choice(["週に1回外出する", "生活リズムを整える", "就労準備支援の利用を始める"]),
                    planned_supports="定期的な訪問面談、関係機関への同行、家族への助言",
                    next_review_on=made_on + timedelta(days=90),
                )
            )
            outcomes.append(Outcome(organisation=organisation, client=client, kind=OutcomeKind.PLAN_MADE, date=made_on))
        if rng.random() < 0.5:
            resource = rng.choice(resources)
            day = _random_day(rng, client.registered_on, last_day)
            linkages.append(
                Linkage(
                    organisation=organisation,
                    client=client,
                    resource=resource,
                    date=day,
                    result=rng.choice(LinkageResult.values),
                    note=f"{resource.name}へつないだ。",
                )
            )
            if resource.kind == SocialResourceKind.PLACE_TO_BELONG:
                outcomes.append(
                    Outcome(organisation=organisation, client=client, kind=OutcomeKind.JOINED_PLACE, date=day)
                )
        for kind, chance in (
            (OutcomeKind.STARTED_TRAINING, 0.15),
            (OutcomeKind.EMPLOYED, 0.1),
            (OutcomeKind.INCOME_INCREASED, 0.08),
        ):
            if rng.random() < chance:
                outcomes.append(
                    Outcome(
                        organisation=organisation,
                        client=client,
                        kind=kind,
                        date=_random_day(rng, client.registered_on, last_day),
                    )
                )
        if client.status == "closed":
            outcomes.append(
                Outcome(organisation=organisation, client=client, kind=OutcomeKind.CLOSED, date=client.closed_on)
            )

    Contact.objects.bulk_create(contacts, batch_size=2000)
    SupportPlan.objects.bulk_create(plans, batch_size=1000)
    Linkage.objects.bulk_create(linkages, batch_size=1000)
    Outcome.objects.bulk_create(outcomes, batch_size=1000, ignore_conflicts=True)
    in_agency = {"client__agency": agency}
    plan_rows = list(SupportPlan.objects.filter(**in_agency).only("pk", "made_on", "next_review_on"))
    reviews = [
        PlanReview(
            organisation=organisation,
            plan=plan,
            reviewed_on=plan.next_review_on,
            summary="目標の達成状況を本人と確認し、支援内容を一部見直した。",
            next_review_on=plan.next_review_on + timedelta(days=90),
        )
        for plan in plan_rows
        if plan.next_review_on and plan.next_review_on <= today and rng.random() < 0.7
    ]
    PlanReview.objects.bulk_create(reviews, batch_size=1000)
    # bulk_create skips save(): the plans' review date is set here, in one statement.
    SupportPlan.refresh_review_due(SupportPlan.objects.filter(**in_agency).values("pk"))
    meetings = [
        SupportMeeting(
            organisation=organisation,
            agency=agency,
            date=_random_day(rng, span_start, today),
            kind=rng.choice(["coordination", "case_conference"]),
            participant_types=rng.sample(ParticipantType.values, 3),
            participants_note="関係機関 5名",
            decisions="各機関の役割分担と次回の訪問予定を確認した。",
        )
        for _ in range(max(6, len(clients) // 10))
    ]
    SupportMeeting.objects.bulk_create(meetings, batch_size=500)
    through = SupportMeeting.clients.through
    meeting_ids = list(SupportMeeting.objects.filter(agency=agency).values_list("pk", flat=True))
    through.objects.bulk_create(
        [
            through(supportmeeting_id=meeting_id, client_id=client.pk)
            for meeting_id in meeting_ids
            for client in rng.sample(clients, min(3, len(clients)))
        ],
        ignore_conflicts=True,
    )
    _grant(Contact.objects.filter(**in_agency), organisation)
    _grant(SupportPlan.objects.filter(**in_agency), organisation)
    _grant(PlanReview.objects.filter(plan__client__agency=agency), organisation)
    _grant(Linkage.objects.filter(**in_agency), organisation)
    _grant(Outcome.objects.filter(**in_agency), organisation)
    _grant(SupportMeeting.objects.filter(agency=agency), organisation)
