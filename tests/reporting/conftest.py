from datetime import date

import pytest

from accounts.models import Program, Role
from reporting.services import report_get_or_create_draft
from tests.peers.factories import ContractFactory, CoordinatorFactory


def complete_contractor(organisation, year: int) -> None:
    """The year's contract and an active coordinator, unless the contractor already has them."""
    from peers.models import Contract, Coordinator

    if not Contract.objects.filter(organisation=organisation, fiscal_year=year).exists():
        ContractFactory(
            organisation=organisation, fiscal_year=year, start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31)
        )
    if not Coordinator.objects.filter(organisation=organisation, is_active=True).exists():
        CoordinatorFactory(organisation=organisation)


def reporting_agency(organisation, agency=None):
    """The agency an outreach report is made for: the one given, else the contractor's first (or a new one)."""
    from outreach.models import Agency
    from tests.outreach.factories import AgencyFactory

    if agency is not None:
        return agency
    return Agency.objects.filter(organisation=organisation).order_by("name").first() or AgencyFactory(
        organisation=organisation
    )


def place_worker(user, agency) -> None:
    """Place an outreach worker's log-in in the agency (they write that agency's report), unless placed."""
    from outreach.models import OutreachWorker
    from tests.outreach.factories import WorkerFactory

    if not OutreachWorker.objects.filter(user=user, agency=agency).exists():
        WorkerFactory(user=user, agency=agency)


def complete_outreach_contractor(organisation, year: int, agency=None):
    """An agency with the year's contract and a placed worker, unless it already has them; returns the agency."""
    from accounts.models import Role
    from outreach.models import OutreachContract, OutreachWorker
    from tests.factories import make_user
    from tests.outreach.factories import ContractFactory as OutreachContractFactory

    agency = reporting_agency(organisation, agency)
    if not OutreachContract.objects.filter(agency=agency, fiscal_year=year).exists():
        OutreachContractFactory(
            agency=agency, fiscal_year=year, start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31)
        )
    if not OutreachWorker.objects.filter(agency=agency, is_active=True).exists():
        user = make_user(Role.OUTREACH_WORKER, organisation, username=f"placed-{organisation.code}-{agency.pk}")
        place_worker(user, agency)
    return agency


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_report(db):
    """make_report(contractor, program=..., year=..., by=None, agency=None, **texts): a draft report.

    A peer-support contractor gets the year's contract and a coordinator (the report's checks
    refuse submission without them, 要綱第2条(1)・第3条). An outreach report is one agency's (the
    given one, else the contractor's first): it gets the year's contract and a placed worker
    (要綱004 2・3(1)ア), and `by`, an outreach worker, is placed in it. complete=False leaves them out.
    """

    def make(organisation, program=Program.PEER_SUPPORT, year=2025, by=None, complete=True, agency=None, **texts):
        if program == Program.PEER_SUPPORT and complete:
            complete_contractor(organisation, year)
        if program == Program.OUTREACH:
            if complete:
                agency = complete_outreach_contractor(organisation, year, agency)
            agency = reporting_agency(organisation, agency)
            if by is not None and by.role == Role.OUTREACH_WORKER:
                place_worker(by, agency)
        report = report_get_or_create_draft(
            organisation=organisation, program=program, fiscal_year=year, by=by, agency=agency
        )
        if texts:
            for name, value in texts.items():
                setattr(report, name, value)
            report.save()
        return report

    return make


@pytest.fixture
def peer_report_a(make_report, contractor_a, coordinator_a):
    return make_report(
        contractor_a,
        by=coordinator_a,
        outcomes_text="退院者が3名ありました。",
        effects_text="病院との連携が深まりました。",
        issues_text="ピアサポーターの確保が課題です。",
    )


@pytest.fixture
def outreach_report_a(make_report, contractor_a, outreach_worker_a):
    return make_report(contractor_a, Program.OUTREACH, by=outreach_worker_a, issues_text="夜間の相談体制が課題です。")
