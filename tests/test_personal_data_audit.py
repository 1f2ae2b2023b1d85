"""Every screen that shows a record holding personal data writes the audit log, by construction.

For each such model: opening its page, its edit form (also when redisplayed with errors) and its
delete confirmation writes a view event naming the record and the user; the delete writes a
delete event; another organisation's id is a 404 that writes a permission refusal and no view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from accounts.tenancy import TenantModel


@dataclass(frozen=True)
class Case:
    label: str  # the model's label, as the audit log names it
    make: Callable  # make(contractor, staff_user) -> the record
    urls: str  # its URL names are <urls>_detail, <urls>_update, <urls>_delete
    has_page: bool  # False: shown on its client's or supporter's page, no page of its own
    staff: str  # fixture of the owning contractor's staff
    outsider: str  # fixture of another contractor's staff

    @property
    def detail(self) -> str | None:
        return f"{self.urls}_detail" if self.has_page else None

    @property
    def update(self) -> str:
        return f"{self.urls}_update"

    @property
    def delete(self) -> str:
        return f"{self.urls}_delete"


def _outreach_client(contractor, user):
    from tests.outreach.factories import AgencyFactory, ClientFactory, WorkerFactory

    agency = AgencyFactory(organisation=contractor)
    worker = WorkerFactory(user=user, agency=agency)
    return ClientFactory(agency=agency, worker=worker, name="監査 対象者", name_kana="カンサ タイショウシャ")


def _contact(contractor, user):
    from tests.outreach.factories import ContactFactory

    client = _outreach_client(contractor, user)
    return ContactFactory(client=client, worker=client.worker)


def _plan(contractor, user):
    from tests.outreach.factories import PlanFactory

    return PlanFactory(client=_outreach_client(contractor, user))


def _review(contractor, user):
    from tests.outreach.factories import ReviewFactory

    return ReviewFactory(plan=_plan(contractor, user))


def _meeting(contractor, user):
    from tests.outreach.factories import MeetingFactory

    client = _outreach_client(contractor, user)
    return MeetingFactory(agency=client.agency, clients=[client])


def _linkage(contractor, user):
    from tests.outreach.factories import LinkageFactory

    return LinkageFactory(client=_outreach_client(contractor, user))


def _outcome(contractor, user):
    from tests.outreach.factories import OutcomeFactory

    return OutcomeFactory(client=_outreach_client(contractor, user))


def _supporter(contractor, user):
    from tests.peers.factories import SupporterFactory

    return SupporterFactory(organisation=contractor)


def _person(contractor, user):
    from tests.peers.factories import PersonFactory

    return PersonFactory(organisation=contractor)


def _pledge(contractor, user):
    from tests.peers.factories import PledgeFactory

    return PledgeFactory(supporter=_supporter(contractor, user))


def _course(contractor, user):
    from tests.peers.factories import CourseFactory, TraineeFactory

    course = CourseFactory(organisation=contractor)
    TraineeFactory(course=course, name="受講 花子")
    return course


def _conditions(contractor, user):
    from tests.peers.factories import ConditionsFactory

    return ConditionsFactory(supporter=_supporter(contractor, user))


OUTREACH = {"staff": "outreach_worker_a", "outsider": "outreach_worker_b"}
PEERS = {"staff": "coordinator_a", "outsider": "coordinator_b"}

CASES = [
    Case("outreach.Client", _outreach_client, "outreach:client", True, **OUTREACH),
    Case("outreach.Contact", _contact, "outreach:contact", True, **OUTREACH),
    Case("outreach.SupportPlan", _plan, "outreach:plan", True, **OUTREACH),
    Case("outreach.PlanReview", _review, "outreach:review", False, **OUTREACH),
    Case("outreach.SupportMeeting", _meeting, "outreach:meeting", True, **OUTREACH),
    Case("outreach.Linkage", _linkage, "outreach:linkage", False, **OUTREACH),
    Case("outreach.Outcome", _outcome, "outreach:outcome", False, **OUTREACH),
    Case("peers.PeerSupporter", _supporter, "peers:supporter", True, **PEERS),
    Case("peers.PersonSupported", _person, "peers:person", True, **PEERS),
    Case("peers.Course", _course, "peers:course", True, **PEERS),
    Case("peers.Pledge", _pledge, "peers:pledge", False, **PEERS),
    Case("peers.SupporterConditions", _conditions, "peers:conditions", False, **PEERS),
]


@pytest.fixture(params=CASES, ids=[case.label for case in CASES])
def case(request):
    return request.param


@pytest.fixture
def record(case, request, contractor_a):
    return case.make(contractor_a, request.getfixturevalue(case.staff))


def _views(record, user) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_type=record._meta.label, object_id=str(record.pk), user=user
        )
    )


def test_the_model_is_flagged_as_holding_personal_data(case, record):
    assert record._meta.label == case.label
    assert isinstance(record, TenantModel) and record.holds_personal_data


def test_opening_the_records_page_is_audited(case, record, request, client_for):
    if case.detail is None:
        pytest.skip("no page of its own: shown on its client's or supporter's page")
    user = request.getfixturevalue(case.staff)
    assert client_for(user).get(reverse(case.detail, args=[record.pk])).status_code == 200
    [event] = _views(record, user)
    assert (event.detail, event.organisation_id, event.object_repr) == ("", record.organisation_id, str(record)[:200])


def test_opening_the_edit_form_is_audited_also_when_redisplayed_with_errors(case, record, request, client_for):
    user = request.getfixturevalue(case.staff)
    web = client_for(user)
    assert web.get(reverse(case.update, args=[record.pk])).status_code == 200
    assert web.post(reverse(case.update, args=[record.pk]), {}).status_code == 200  # errors: shown again
    assert [event.detail for event in _views(record, user)] == ["編集画面", "編集画面"]


def test_the_delete_confirmation_and_the_delete_are_audited(case, record, request, client_for):
    user = request.getfixturevalue(case.staff)
    web = client_for(user)
    assert web.get(reverse(case.delete, args=[record.pk])).status_code == 200
    assert [event.detail for event in _views(record, user)] == ["削除の確認画面"]
    assert web.post(reverse(case.delete, args=[record.pk])).status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type=case.label, object_id=str(record.pk), user=user
    ).exists()


def test_another_contractors_staff_get_404_written_as_a_refusal(case, record, request, client_for):
    outsider = request.getfixturevalue(case.outsider)
    web = client_for(outsider)
    urls = [reverse(name, args=[record.pk]) for name in (case.detail, case.update, case.delete) if name]
    for url in urls:
        assert web.get(url).status_code == 404
    refusals = AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_type=case.label, object_id=str(record.pk), user=outsider
    )
    assert refusals.count() == len(urls)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(record.pk), user=outsider).exists()


def test_a_worker_of_another_agency_of_the_same_contractor_gets_404_written_as_a_refusal(
    client_for, contractor_a, outreach_worker_a
):
    from accounts.models import Role
    from tests.factories import make_user
    from tests.outreach.factories import AgencyFactory, WorkerFactory

    client = _outreach_client(contractor_a, outreach_worker_a)
    neighbour = make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-neighbour")
    WorkerFactory(user=neighbour, agency=AgencyFactory(organisation=contractor_a))
    assert client_for(neighbour).get(reverse("outreach:client_detail", args=[client.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_type="outreach.Client", object_id=str(client.pk), user=neighbour
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, user=neighbour).exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.has_page], ids=[c.label for c in CASES if c.has_page])
def test_health_centre_staff_are_refused_and_the_refusal_is_audited(case, request, client_for, health_centre_user):
    record = case.make(request.getfixturevalue("contractor_a"), request.getfixturevalue(case.staff))
    assert client_for(health_centre_user).get(reverse(case.detail, args=[record.pk])).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=health_centre_user).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, user=health_centre_user).exists()


LISTS = [
    ("outreach:client_list", "outreach.Client", "outreach_worker_a"),
    ("outreach:contact_list", "outreach.Contact", "outreach_worker_a"),
    ("outreach:plan_list", "outreach.SupportPlan", "outreach_worker_a"),
    ("outreach:plan_review_list", "outreach.PlanReview", "outreach_worker_a"),
    ("outreach:linkage_list", "outreach.Linkage", "outreach_worker_a"),
    ("outreach:outcome_list", "outreach.Outcome", "outreach_worker_a"),
    ("outreach:meeting_list", "outreach.SupportMeeting", "outreach_worker_a"),
    ("peers:supporter_list", "peers.PeerSupporter", "coordinator_a"),
    ("peers:person_list", "peers.PersonSupported", "coordinator_a"),
]


@pytest.mark.parametrize(("url_name", "label", "staff"), LISTS, ids=[row[1] for row in LISTS])
def test_opening_a_list_of_personal_records_is_audited(url_name, label, staff, request, client_for):
    user = request.getfixturevalue(staff)
    assert client_for(user).get(reverse(url_name)).status_code == 200
    [event] = AuditEvent.objects.filter(action=AuditAction.VIEW, user=user)
    assert (event.object_type, event.detail, event.organisation) == (label, "一覧", user.organisation)


def test_a_list_without_personal_data_writes_no_view(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("peers:contract_list")).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


EXPORTS = [
    ("outreach:client_csv", "outreach.Client", "outreach_worker_a", _outreach_client),
    ("peers:supporter_list", "peers.PeerSupporter", "coordinator_a", _supporter),
]


@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
@pytest.mark.parametrize(("url_name", "label", "staff", "make"), EXPORTS, ids=[row[1] for row in EXPORTS])
def test_every_export_format_of_clients_and_supporters_is_audited(
    url_name, label, staff, make, export_format, request, client_for, contractor_a
):
    user = request.getfixturevalue(staff)
    make(contractor_a, user)
    response = client_for(user).get(reverse(url_name), {"format": export_format})
    assert response.status_code == 200 and response.has_header("Content-Disposition")
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT, user=user)
    assert event.object_type == label
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, user=user).exists()


@pytest.mark.parametrize("url_name", ["contact_create", "plan_create", "linkage_create", "outcome_create"])
def test_a_form_adding_a_record_to_a_client_is_audited_as_a_view_of_the_client(
    url_name, client_for, contractor_a, outreach_worker_a
):
    client = _outreach_client(contractor_a, outreach_worker_a)
    assert client_for(outreach_worker_a).get(reverse(f"outreach:{url_name}", args=[client.pk])).status_code == 200
    assert [event.detail for event in _views(client, outreach_worker_a)] == ["記録の登録画面"]


def _resubmitted(context) -> dict:
    """The edit form's own values (and its formset's, e.g. a course's trainees), posted back unchanged."""
    data = _values(context["form"])
    formset = context.get("formset")
    if formset is not None:
        data.update(_values(formset.management_form))
        for form in formset.forms:
            data.update(_values(form))
    return data


def _values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False) or hasattr(value, "read"):
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(getattr(item, "pk", item)) for item in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[form[name].html_name] = value
    return data


def test_saving_the_edit_form_is_audited_as_a_change(case, record, request, client_for):
    user = request.getfixturevalue(case.staff)
    web = client_for(user)
    page = web.get(reverse(case.update, args=[record.pk]))
    response = web.post(reverse(case.update, args=[record.pk]), _resubmitted(page.context))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type=case.label, object_id=str(record.pk), user=user
    ).exists()
