"""Writes of the outreach program: validate, check the year lock, save, grant and audit in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts import periods
from accounts.audit import audit
from accounts.models import AuditAction, Municipality, Program
from accounts.periods import ensure_period_open, is_period_locked
from accounts.services import delete_tenant_record, save_tenant_record
from accounts.wareki import fiscal_year_of
from outreach.models import (
    Agency,
    Client,
    ClientStatus,
    CohortSetting,
    Contact,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    SocialResource,
    SupportMeeting,
    SupportPlan,
)


@transaction.atomic
def agency_save(*, agency: Agency, municipalities: Iterable[Municipality], by) -> Agency:
    save_tenant_record(agency, by=by)
    agency.municipalities.set(municipalities)
    return agency


@transaction.atomic
def contract_save(*, contract: OutreachContract, by) -> OutreachContract:
    if contract.agency_id:
        contract.organisation_id = contract.agency.organisation_id
    return save_tenant_record(contract, by=by)


@transaction.atomic
def worker_save(*, worker: OutreachWorker, by) -> OutreachWorker:
    if worker.agency_id:
        worker.organisation_id = worker.agency.organisation_id
    return save_tenant_record(worker, by=by)


def next_client_number(agency: Agency, registered_on) -> str:
    """<年度>-<連番4桁>, per agency: 2026-0001, 2026-0002 …"""
    prefix = f"{fiscal_year_of(registered_on)}-"
    numbers = Client.objects.filter(agency=agency, number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def _record_outcome_once(*, client: Client, kind: str, day, by, note: str) -> None:
    """The first time a milestone is reached, count it as an outcome of that day (once per client)."""
    if day is None or Outcome.objects.filter(client=client, kind=kind).exists():
        return
    outcome = Outcome(organisation_id=client.organisation_id, client=client, kind=kind, date=day, note=note)
    save_tenant_record(outcome, by=by)


@transaction.atomic
def client_save(*, client: Client, by) -> Client:
    """Register or change a client. A blank case number is assigned per agency and 年度.

    Closing the case also records the outcome "終結" on the closing date.
    """
    client.organisation_id = client.agency.organisation_id
    if client.pk:
        _ensure_client_dates_open(client)
    if not client.number:
        # Lock the agency row so two workers registering at once do not get the same number.
        Agency.objects.select_for_update().filter(pk=client.agency_id).first()
        client.number = next_client_number(client.agency, client.registered_on)
    save_tenant_record(client, by=by)
    if client.status == ClientStatus.CLOSED:
        _record_outcome_once(
            client=client, kind=OutcomeKind.CLOSED, day=client.closed_on, by=by, note=client.closed_reason
        )
    return client


def ensure_record_open(record) -> None:
    """The year lock for a record about to be saved (admin forms ask before saving): its stored 年度 and its new one."""
    if isinstance(record, Client):
        if record.pk:
            _ensure_client_dates_open(record)
        else:
            ensure_period_open(organisation=record.organisation_id, program=Program.OUTREACH, day=record.registered_on)
        return
    periods.ensure_record_open(record)


def is_record_frozen(record) -> bool:
    """Whether an approved report froze this stored record (it may be neither changed nor deleted).

    A client is never frozen as a whole: an ongoing case stays editable (only its intake and closing
    dates are, see _ensure_client_dates_open), but one registered in a frozen 年度 cannot be deleted.
    """
    if isinstance(record, Client):
        if record.registered_on is None or not record.organisation_id:
            return False
        return is_period_locked(
            organisation=record.organisation_id,
            program=Program.OUTREACH,
            fiscal_year=fiscal_year_of(record.registered_on),
        )
    return periods.is_record_frozen(record)


def _ensure_client_dates_open(client: Client) -> None:
    """An approved report counted the client as new (intake) or closed in its 年度: those dates stay."""
    stored = Client.objects.filter(pk=client.pk).values("registered_on", "closed_on").first() or {}
    for name in ("registered_on", "closed_on"):
        before, after = stored.get(name), getattr(client, name)
        if before != after:
            for day in (before, after):
                ensure_period_open(organisation=client.organisation_id, program=Program.OUTREACH, day=day)


@transaction.atomic
def contact_save(*, contact: Contact, by) -> Contact:
    """Save a contact; the first connection with the person also counts as the outcome "つながりの確保"."""
    contact.organisation_id = contact.client.organisation_id
    save_tenant_record(contact, by=by)
    if contact.first_connection:
        _record_outcome_once(
            client=contact.client, kind=OutcomeKind.CONNECTED, day=contact.date, by=by, note="対応記録から自動で記録"
        )
    return contact


@transaction.atomic
def client_record_save(*, record, by):
    """Save a support plan, plan review, linkage or outcome of a client.

    A client's first support plan also counts as the outcome "支援計画の作成".
    """
    owner = record.plan.client if hasattr(record, "plan_id") else record.client
    record.organisation_id = owner.organisation_id
    save_tenant_record(record, by=by)
    if isinstance(record, SupportPlan):
        _record_outcome_once(
            client=owner, kind=OutcomeKind.PLAN_MADE, day=record.made_on, by=by, note="支援計画から自動で記録"
        )
    return record


@transaction.atomic
def meeting_save(*, meeting: SupportMeeting, clients: Iterable[Client], by) -> SupportMeeting:
    meeting.organisation_id = meeting.agency.organisation_id
    clients = list(clients)
    if any(client.agency_id != meeting.agency_id for client in clients):
        raise ValidationError({"clients": "この機関の支援対象者だけを選んでください。"})
    save_tenant_record(meeting, by=by)
    meeting.clients.set(clients)
    return meeting


def record_delete(*, record, by) -> None:
    """Delete after the year-lock check; records that others depend on are refused in Japanese."""
    if isinstance(record, Client):
        ensure_period_open(organisation=record.organisation_id, program=Program.OUTREACH, day=record.registered_on)
    delete_tenant_record(
        record,
        by=by,
        protected_message=f"「{record}」には関連する記録（対応記録・支援計画など）があるため削除できません。"
        "先に関連する記録を削除するか、状況を「終結」にしてください。",
    )


@transaction.atomic
def cohort_update(*, cohort: CohortSetting, by) -> CohortSetting:
    """Change the cohort and re-evaluate every client's in-cohort flag in two UPDATEs."""
    cohort.full_clean()
    cohort.save()
    inside = Client.objects.filter(birth_date__gte=cohort.birth_from, birth_date__lte=cohort.birth_to)
    inside.update(in_cohort=True)
    Client.objects.exclude(pk__in=inside.values("pk")).update(in_cohort=False)
    audit(by, AuditAction.UPDATE, cohort)
    return cohort


@transaction.atomic
def resource_save(*, resource: SocialResource, by) -> SocialResource:
    is_new = resource.pk is None
    resource.full_clean()
    resource.save()
    audit(by, AuditAction.CREATE if is_new else AuditAction.UPDATE, resource)
    return resource


@transaction.atomic
def resource_delete(*, resource: SocialResource, by) -> None:
    try:
        with transaction.atomic():
            audit(by, AuditAction.DELETE, resource)
            resource.delete()
    except ProtectedError:
        raise ValidationError(
            f"「{resource}」へのつなぎの記録があるため削除できません。「利用可」を外してください。"
        ) from None
