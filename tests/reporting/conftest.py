from datetime import date

import pytest

from accounts.models import Program
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


def complete_outreach_contractor(organisation, year: int) -> None:
    """An agency with the year's contract and a placed worker, unless the contractor already has them."""
    from accounts.models import Role
    from outreach.models import Agency, OutreachContract, OutreachWorker
    from tests.factories import make_user
    from tests.outreach.factories import AgencyFactory, WorkerFactory
    from tests.outreach.factories import ContractFactory as OutreachContractFactory

    agency = Agency.objects.filter(organisation=organisation).first() or AgencyFactory(organisation=organisation)
    if not OutreachContract.objects.filter(organisation=organisation, fiscal_year=year).exists():
        OutreachContractFactory(
            agency=agency, fiscal_year=year, start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31)
        )
    if not OutreachWorker.objects.filter(organisation=organisation, is_active=True).exists():
        user = make_user(Role.OUTREACH_WORKER, organisation, username=f"placed-{organisation.code}")
        WorkerFactory(user=user, agency=agency)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_report(db):
    """make_report(contractor, program=..., year=..., by=None, **texts): a draft report.

    A peer-support contractor gets the year's contract and a coordinator (the report's checks
    refuse submission without them, 要綱第2条(1)・第3条); an outreach contractor an agency with the
    year's contract and a placed worker (要綱004 2・3(1)ア); pass complete=False to leave them out.
    """

    def make(organisation, program=Program.PEER_SUPPORT, year=2025, by=None, complete=True, **texts):
        if program == Program.PEER_SUPPORT and complete:
            complete_contractor(organisation, year)
        if program == Program.OUTREACH and complete:
            complete_outreach_contractor(organisation, year)
        report = report_get_or_create_draft(organisation=organisation, program=program, fiscal_year=year, by=by)
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
