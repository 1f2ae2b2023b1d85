"""Factories for peers records. Tenant records are saved through save_tenant_record so the
organisation's group gets its object permissions, exactly as the screens do."""

from datetime import date, time
from decimal import Decimal

import factory

from accounts.models import HealthCentre
from accounts.services import save_tenant_record
from peers.models import (
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
    PeerSupporter,
    PersonSupported,
    Pledge,
    Qualification,
    SupporterConditions,
    Trainee,
)

ACTIVITY_DAY = date(2026, 11, 2)


def asaka() -> HealthCentre:
    return HealthCentre.objects.get(name="朝霞保健所")


def asaka_hospital() -> Hospital:
    return Hospital.objects.filter(health_centre__name="朝霞保健所").order_by("sort_order").first()


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        return save_tenant_record(obj, by=None)


class ContractFactory(TenantFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    fiscal_year = 2026
    amount = 3_000_000
    start_date = date(2026, 4, 1)
    end_date = date(2027, 3, 31)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create:
            self.districts.set(extracted or [asaka()])


class CoordinatorFactory(TenantFactory):
    class Meta:
        model = Coordinator

    name = factory.Sequence(lambda n: f"調整 花子{n}")
    name_kana = "チョウセイ ハナコ"
    qualification = Qualification.PSW
    psw_registration_number = factory.Sequence(lambda n: f"{10000 + n}")


class SupporterFactory(TenantFactory):
    class Meta:
        model = PeerSupporter

    name = factory.Sequence(lambda n: f"仲間 太郎{n}")
    name_kana = factory.Sequence(lambda n: f"ナカマ タロウ{n}")
    start_date = date(2025, 4, 1)


class PledgeFactory(TenantFactory):
    class Meta:
        model = Pledge

    supporter = factory.SubFactory(SupporterFactory)
    organisation = factory.LazyAttribute(lambda o: o.supporter.organisation)
    signed_on = date(2025, 4, 1)
    provisions_version = "令和7年4月版"
    explained_by = "調整 花子"


class ConditionsFactory(TenantFactory):
    class Meta:
        model = SupporterConditions

    supporter = factory.SubFactory(SupporterFactory)
    organisation = factory.LazyAttribute(lambda o: o.supporter.organisation)
    told_on = date(2025, 4, 1)
    activity_description = "院内グループワークへの参加"
    hourly_pay = 1100
    expected_hours = "月8時間程度"


class PersonFactory(TenantFactory):
    class Meta:
        model = PersonSupported

    code = factory.Sequence(lambda n: f"A-{n:03d}")
    hospital = factory.LazyFunction(asaka_hospital)
    support_started_on = date(2026, 4, 10)


class ActivityFactory(TenantFactory):
    """An in-hospital group work in 朝霞; needs a contract of the organisation covering the date."""

    class Meta:
        model = Activity

    kind = ActivityKind.HOSPITAL_GROUP
    date = ACTIVITY_DAY
    start_time = time(13, 30)
    end_time = time(15, 0)
    district = factory.LazyFunction(asaka)
    hospital = factory.LazyFunction(asaka_hospital)
    participants = 6
    coordinator = factory.LazyAttribute(lambda o: CoordinatorFactory(organisation=o.organisation))


def add_supporter(activity, supporter, hours="1.5", pay=1650) -> ActivitySupporter:
    return ActivitySupporter.objects.create(activity=activity, supporter=supporter, hours=Decimal(hours), pay=pay)


class CourseFactory(TenantFactory):
    class Meta:
        model = Course

    kind = CourseKind.TRAINING
    date = date(2026, 9, 5)
    title = "ピアサポーター養成講座（基礎）"
    venue = "朝霞市民会館"
    participants = 12


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    name = factory.Sequence(lambda n: f"受講 一郎{n}")
    name_kana = factory.Sequence(lambda n: f"ジュコウ イチロウ{n}")
    completed = True


class CouncilFactory(TenantFactory):
    class Meta:
        model = CouncilReport

    date = date(2026, 10, 15)
    district = factory.LazyFunction(asaka)
    outcomes = "院内グループワークを月2回実施し、3名が退院した。"


class ExpenditureFactory(TenantFactory):
    class Meta:
        model = Expenditure

    contract = factory.LazyAttribute(lambda o: Contract.objects.get(organisation=o.organisation, fiscal_year=2026))
    date = date(2026, 10, 1)
    category = ExpenseCategory.HONORARIA
    amount = 16500
    payee = "ピアサポーター謝金（10月分）"


class HealthCentreActivityFactory(TenantFactory):
    class Meta:
        model = HealthCentreActivity

    date = date(2026, 10, 20)
    kind = HealthCentreActivityKind.AWARENESS
    title = "地域移行に関する研修会"
    audience_municipalities = 5
    audience_residents = 20
