import pytest

from tests.peers.factories import (
    ActivityFactory,
    ContractFactory,
    CoordinatorFactory,
    PledgeFactory,
    SupporterFactory,
    add_supporter,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def contract_a(contractor_a):
    return ContractFactory(organisation=contractor_a)


@pytest.fixture
def contract_b(contractor_b):
    return ContractFactory(organisation=contractor_b)


@pytest.fixture
def coordinator_record_a(contractor_a, coordinator_a):
    return CoordinatorFactory(organisation=contractor_a, user=coordinator_a)


@pytest.fixture
def supporter_a(contractor_a):
    supporter = SupporterFactory(organisation=contractor_a, name="仲間 一郎", name_kana="ナカマ イチロウ")
    PledgeFactory(supporter=supporter)
    return supporter


@pytest.fixture
def supporter_b(contractor_b):
    supporter = SupporterFactory(organisation=contractor_b, name="別所 二郎", name_kana="ベッショ ジロウ")
    PledgeFactory(supporter=supporter)
    return supporter


@pytest.fixture
def activity_a(contract_a, coordinator_record_a, supporter_a):
    activity = ActivityFactory(organisation=contract_a.organisation, coordinator=coordinator_record_a)
    add_supporter(activity, supporter_a)
    return activity


@pytest.fixture
def activity_b(contract_b, supporter_b):
    activity = ActivityFactory(organisation=contract_b.organisation)
    add_supporter(activity, supporter_b)
    return activity
