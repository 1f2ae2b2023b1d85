"""Factories shared by every app's tests. Program apps add theirs in tests/<app>/factories.py."""

import factory

from accounts.models import HealthCentre, Membership, Organisation, OrganisationKind, Role, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"contractor-{n}")
    name = factory.Sequence(lambda n: f"社会福祉法人テスト会{n}")
    kind = OrganisationKind.CONTRACTOR
    runs_peer_support = True
    runs_outreach = True


class PrefectureFactory(OrganisationFactory):
    code = "saitama-pref"
    name = "埼玉県"
    kind = OrganisationKind.PREFECTURE
    runs_peer_support = False
    runs_outreach = False


class HealthCentreOrganisationFactory(OrganisationFactory):
    code = factory.Sequence(lambda n: f"hc-{n}")
    name = factory.LazyAttribute(lambda o: o.health_centre.name)
    kind = OrganisationKind.HEALTH_CENTRE
    runs_peer_support = False
    runs_outreach = False
    health_centre = factory.LazyFunction(lambda: HealthCentre.objects.get(name="朝霞保健所"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "試験"
    first_name = factory.Sequence(lambda n: f"太郎{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def make_user(role: str, organisation: Organisation | None = None, **fields) -> User:
    """A user with a membership: make_user(Role.COORDINATOR, contractor_a)."""
    if organisation is None:
        organisation = {
            Role.PREFECTURE: PrefectureFactory,
            Role.HEALTH_CENTRE: HealthCentreOrganisationFactory,
        }.get(role, OrganisationFactory)()
    user = UserFactory(**fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)
