"""Every list download of every program writes the audit log the same way, and only when a file leaves.

A CSV, Shift_JIS CSV or Excel file handed over is exactly one export event: the user, the model,
the organisation as for opening the list (contractor staff's own, none for prefecture staff), the
format and the list's conditions. When Shift_JIS cannot hold a character (𠮷), the check page is
shown instead: no file left, so no export event, and the page (which shows the cells) is a view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.audit import audit
from accounts.models import AuditAction, AuditEvent

UNENCODABLE = "𠮷"  # U+20BB7: not in CP932 (unlike 髙 and ①, which CP932 keeps)


@dataclass(frozen=True)
class Case:
    url_name: str
    label: str  # the model's label, as the audit log names it
    staff: str  # fixture of a user of the list's own kind (contractor staff where they may download it)
    make: Callable  # make(request, text): a record the prefecture's download shows `text` in
    personal: bool  # the model holds personal data: the Shift_JIS check page is a view of it

    def __str__(self) -> str:
        return self.url_name


def _peer_contract(request, text=""):
    from tests.peers.factories import ContractFactory

    contractor = request.getfixturevalue("contractor_a")
    if text:
        contractor.name = f"社会福祉法人{text}会"
        contractor.save()
    return ContractFactory(organisation=contractor)


def _peer(factory_name: str, **fields: str) -> Callable:
    def make(request, text):
        from tests.peers import factories

        contract = _peer_contract(request)
        getattr(factories, factory_name)(organisation=contract.organisation, **{k: v + text for k, v in fields.items()})

    return make


def _peer_person(request, text):
    from tests.peers.factories import PersonFactory

    PersonFactory(organisation=_peer_contract(request, text).organisation)


def _hc_activity(request, text):
    from tests.peers.factories import HealthCentreActivityFactory

    HealthCentreActivityFactory(organisation=request.getfixturevalue("health_centre_user").organisation, title=text)


def _hospital(request, text):
    from peers.models import Hospital
    from tests.peers.factories import asaka

    Hospital.objects.create(health_centre=asaka(), name=f"{text}病院")


def _agency(request, name="自立相談支援センター"):
    from tests.outreach.factories import AgencyFactory, WorkerFactory

    agency = AgencyFactory(organisation=request.getfixturevalue("contractor_a"), name=name)
    WorkerFactory(agency=agency, user=request.getfixturevalue("outreach_worker_a"))
    return agency


def _client(request, text="", **fields):
    from tests.outreach.factories import ClientFactory

    agency = _agency(request)
    return ClientFactory(agency=agency, worker=agency.workers.get(), name=f"{text}田 花子", **fields)


def _on_client(factory_name: str, field: str) -> Callable:
    def make(request, text):
        from tests.outreach import factories

        getattr(factories, factory_name)(client=_client(request), **{field: f"{text}の記録"})

    return make


def _meeting(request, text):
    from tests.outreach.factories import MeetingFactory

    client = _client(request)
    MeetingFactory(agency=client.agency, clients=[client], decisions=f"{text}さんの支援方針を確認")


def _outreach_contract(request, text):
    from tests.outreach.factories import ContractFactory

    ContractFactory(agency=_agency(request), note=text)


def _resource(request, text):
    from tests.outreach.factories import ResourceFactory

    ResourceFactory(name=f"{text}サポートステーション")


def _report_row(request, text):
    contractor = request.getfixturevalue("contractor_a")
    contractor.name, contractor.runs_peer_support = f"社会福祉法人{text}会", True
    contractor.save()


def _audit_row(request, text):
    audit(request.getfixturevalue("coordinator_a"), AuditAction.VIEW, object_type="peers.PeerSupporter", detail=text)


COORDINATOR, WORKER = "coordinator_a", "outreach_worker_a"  # contractor staff of the lists' own kind
CASES = [
    Case("peers:activity_list", "peers.Activity", COORDINATOR, _peer("ActivityFactory", notes="記録"), False),
    Case("peers:supporter_list", "peers.PeerSupporter", COORDINATOR, _peer("SupporterFactory", name="田"), True),
    Case("peers:person_list", "peers.PersonSupported", COORDINATOR, _peer_person, True),
    Case("peers:course_list", "peers.Course", COORDINATOR, _peer("CourseFactory", title="講座"), True),
    Case("peers:council_list", "peers.CouncilReport", COORDINATOR, _peer("CouncilFactory", outcomes="成果"), False),
    Case("peers:expenditure_list", "peers.Expenditure", COORDINATOR, _peer("ExpenditureFactory", payee="様"), False),
    Case("peers:contract_list", "peers.Contract", COORDINATOR, _peer_contract, False),
    Case("peers:coordinator_list", "peers.Coordinator", COORDINATOR, _peer("CoordinatorFactory", name="田"), False),
    Case("peers:hc_activity_list", "peers.HealthCentreActivity", "health_centre_user", _hc_activity, False),
    Case("peers:hospital_list", "peers.Hospital", COORDINATOR, _hospital, False),
    Case("outreach:client_csv", "outreach.Client", WORKER, _client, True),
    Case("outreach:contact_csv", "outreach.Contact", WORKER, _on_client("ContactFactory", "summary"), True),
    Case("outreach:meeting_csv", "outreach.SupportMeeting", WORKER, _meeting, True),
    Case("outreach:worker_csv", "outreach.OutreachWorker", WORKER, _agency, False),
    Case("outreach:plan_csv", "outreach.SupportPlan", WORKER, _on_client("PlanFactory", "goals"), True),
    Case("outreach:linkage_csv", "outreach.Linkage", WORKER, _on_client("LinkageFactory", "note"), True),
    Case("outreach:outcome_csv", "outreach.Outcome", WORKER, _on_client("OutcomeFactory", "note"), True),
    Case("outreach:agency_list", "outreach.Agency", WORKER, _agency, False),
    Case("outreach:contract_list", "outreach.OutreachContract", WORKER, _outreach_contract, False),
    Case("outreach:resource_list", "outreach.SocialResource", WORKER, _resource, False),
    Case("reporting:report_list", "reporting.AnnualReport", COORDINATOR, _report_row, False),
    Case("accounts:audit_list", "accounts.AuditEvent", "prefecture_user", _audit_row, False),
]
FORMAT_LABELS = {"csv": "CSV", "csv_cp932": "CSV（Shift_JIS）", "xlsx": "Excel"}


def _list_events(user):
    return AuditEvent.objects.filter(user=user, action__in=[AuditAction.EXPORT, AuditAction.VIEW])


@pytest.mark.parametrize(
    ("who", "export_format"),
    [("staff", "csv"), ("staff", "xlsx"), ("prefecture_user", "csv_cp932")],
)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_download_writes_one_export_event_of_the_same_shape(case, who, export_format, request, client_for):
    fixture = case.staff if who == "staff" else who
    user = request.getfixturevalue(fixture)
    case.make(request, "山")
    response = client_for(user).get(reverse(case.url_name), {"format": export_format, "q": "山", "page": "2"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    [event] = _list_events(user)
    assert (event.action, event.object_type, event.organisation, event.detail) == (
        AuditAction.EXPORT,
        case.label,
        user.organisation if fixture in (COORDINATOR, WORKER) else None,
        f"{FORMAT_LABELS[export_format]} 条件: {urlencode({'q': '山'})}",
    )
    assert event.path.startswith(reverse(case.url_name) + "?")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_shift_jis_check_page_is_no_export(case, request, client_for, prefecture_user):
    case.make(request, UNENCODABLE)
    web = client_for(prefecture_user)
    response = web.get(reverse(case.url_name), {"format": "csv_cp932"})
    assert response.status_code == 200
    assert not response.has_header("Content-Disposition")
    assert "Shift_JIS（CP932）で保存できない文字があります" in response.text
    assert UNENCODABLE in response.text
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    views = [(e.object_type, e.detail, e.organisation) for e in _list_events(prefecture_user)]
    assert views == ([(case.label, "Shift_JIS で保存できない文字の確認", None)] if case.personal else [])

    replaced = web.get(reverse(case.url_name), {"format": "csv_cp932", "replace": "1"})
    assert "〓" in replaced.content.decode("cp932")
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.object_type == case.label
    assert event.detail.startswith("CSV（Shift_JIS、") and event.detail.endswith("か所を〓に置換） 条件: なし")


def test_unencodable_is_what_shift_jis_lacks():
    with pytest.raises(UnicodeEncodeError):
        UNENCODABLE.encode("cp932")
    assert "髙".encode("cp932")  # an IBM extension CP932 holds: never on the check page
