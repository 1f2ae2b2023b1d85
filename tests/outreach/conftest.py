import pytest

from accounts.models import Role
from tests.factories import make_user
from tests.outreach.factories import (
    AgencyFactory,
    ClientFactory,
    ContactFactory,
    ContractFactory,
    LinkageFactory,
    MeetingFactory,
    OutcomeFactory,
    PlanFactory,
    ReviewFactory,
    WorkerFactory,
)


@pytest.fixture
def agency_a(contractor_a):
    return AgencyFactory(organisation=contractor_a, name="Ａ会 春日部自立相談支援センター")


@pytest.fixture
def agency_a2(contractor_a):
    """A second agency of the same contractor: its clients are not agency_a's workers' business."""
    return AgencyFactory(organisation=contractor_a, name="Ａ会 越谷自立相談支援センター")


@pytest.fixture
def agency_b(contractor_b):
    return AgencyFactory(organisation=contractor_b, name="Ｂ 東松山生活相談センター")


@pytest.fixture
def worker_a(outreach_worker_a, agency_a):
    return WorkerFactory(user=outreach_worker_a, agency=agency_a)


@pytest.fixture
def worker_b(outreach_worker_b, agency_b):
    return WorkerFactory(user=outreach_worker_b, agency=agency_b)


@pytest.fixture
def worker_a2(contractor_a, agency_a2):
    user = make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-a2")
    return WorkerFactory(user=user, agency=agency_a2)


@pytest.fixture
def client_a(agency_a, worker_a):
    return ClientFactory(agency=agency_a, worker=worker_a, name="山田 太郎", name_kana="ヤマダ タロウ")


@pytest.fixture
def client_b(agency_b, worker_b):
    return ClientFactory(agency=agency_b, worker=worker_b, name="佐藤 花子", name_kana="サトウ ハナコ")


def build_records(client, worker) -> dict:
    """One of each record for a client: the objects every URL of the app points at."""
    plan = PlanFactory(client=client)
    meeting = MeetingFactory(agency=client.agency, clients=[client], decisions=f"{client.name[:2]}さんの支援方針を確認")
    return {
        "client": client,
        "contact": ContactFactory(client=client, worker=worker),
        "plan": plan,
        "review": ReviewFactory(plan=plan),
        "meeting": meeting,
        "linkage": LinkageFactory(client=client),
        "outcome": OutcomeFactory(client=client),
        "agency": client.agency,
        "worker": worker,
        "contract": ContractFactory(agency=client.agency),
    }


@pytest.fixture
def records_a(client_a, worker_a):
    return build_records(client_a, worker_a)


@pytest.fixture
def records_b(client_b, worker_b):
    return build_records(client_b, worker_b)
