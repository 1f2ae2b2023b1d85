"""Outreach factories. Records are granted to their organisation's group, as the services do."""

from datetime import date, time

import factory

from accounts.models import Municipality
from accounts.permissions import grant_organisation_access
from outreach.models import (
    Agency,
    Client,
    Contact,
    ContactKind,
    Linkage,
    LinkageResult,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    PlanReview,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResource,
    SocialResourceKind,
    SupportMeeting,
    SupportPlan,
)
from tests.factories import OrganisationFactory


class TenantRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.save()
        grant_organisation_access(obj)
        return obj


class AgencyFactory(TenantRecordFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"テスト自立相談支援センター{n}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or Municipality.objects.order_by("pk")[:2])


class ContractFactory(TenantRecordFactory):
    class Meta:
        model = OutreachContract

    agency = factory.SubFactory(AgencyFactory)
    organisation = factory.LazyAttribute(lambda o: o.agency.organisation)
    fiscal_year = 2025
    amount = 12_000_000
    start_date = date(2025, 4, 1)
    end_date = date(2026, 3, 31)


class WorkerFactory(TenantRecordFactory):
    class Meta:
        model = OutreachWorker

    agency = factory.SubFactory(AgencyFactory)
    organisation = factory.LazyAttribute(lambda o: o.agency.organisation)
    qualification = Qualification.CONSULTATION
    consultation_years = 6


class ClientFactory(TenantRecordFactory):
    class Meta:
        model = Client

    agency = factory.SubFactory(AgencyFactory)
    organisation = factory.LazyAttribute(lambda o: o.agency.organisation)
    number = factory.Sequence(lambda n: f"T-{n:04d}")
    registered_on = date(2025, 4, 10)
    name = "山田 太郎"
    name_kana = "ヤマダ タロウ"
    birth_date = date(1978, 6, 1)
    sex = Sex.MALE
    municipality = factory.LazyFunction(lambda: Municipality.objects.order_by("pk").first())
    referral_route = ReferralRoute.FAMILY
    in_hardship = True
    criterion_hikikomori = True


class ContactFactory(TenantRecordFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    organisation = factory.LazyAttribute(lambda o: o.client.organisation)
    date = date(2025, 6, 10)
    start_time = time(10, 0)
    end_time = time(11, 0)
    kind = ContactKind.HOME_VISIT
    with_family = True
    summary = "母親と面談。本人は自室から出てこなかった。"


class PlanFactory(TenantRecordFactory):
    class Meta:
        model = SupportPlan

    client = factory.SubFactory(ClientFactory)
    organisation = factory.LazyAttribute(lambda o: o.client.organisation)
    made_on = date(2025, 7, 1)
    goals = "週1回の外出"
    planned_supports = "訪問による面談、居場所の見学同行"
    next_review_on = date(2025, 10, 1)


class ReviewFactory(TenantRecordFactory):
    class Meta:
        model = PlanReview

    plan = factory.SubFactory(PlanFactory)
    organisation = factory.LazyAttribute(lambda o: o.plan.organisation)
    reviewed_on = date(2025, 10, 1)
    summary = "外出の回数が増えた"
    next_review_on = date(2026, 1, 10)


class MeetingFactory(TenantRecordFactory):
    class Meta:
        model = SupportMeeting
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    organisation = factory.LazyAttribute(lambda o: o.agency.organisation)
    date = date(2025, 8, 5)
    kind = "coordination"
    participant_types = ["welfare_office", "hello_work"]
    decisions = "ハローワークへの同行を支援員が担当する"

    @factory.post_generation
    def clients(self, create, extracted, **kwargs):
        if create and extracted:
            self.clients.set(extracted)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialResource
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"テスト地域若者サポートステーション{n}")
    kind = SocialResourceKind.YOUTH_STATION


class LinkageFactory(TenantRecordFactory):
    class Meta:
        model = Linkage

    client = factory.SubFactory(ClientFactory)
    organisation = factory.LazyAttribute(lambda o: o.client.organisation)
    resource = factory.SubFactory(ResourceFactory)
    date = date(2025, 9, 1)
    result = LinkageResult.ACCOMPANIED


class OutcomeFactory(TenantRecordFactory):
    class Meta:
        model = Outcome

    client = factory.SubFactory(ClientFactory)
    organisation = factory.LazyAttribute(lambda o: o.client.organisation)
    kind = OutcomeKind.JOINED_PLACE
    date = date(2025, 9, 20)
