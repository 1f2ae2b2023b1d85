"""Writes of the outreach program: validate, check the year lock, save, grant and audit in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from simple_history.utils import bulk_update_with_history

from accounts import periods
from accounts.audit import audit, audit_many
from accounts.models import AuditAction, Municipality, PeriodLock, Program
from accounts.periods import ensure_period_open, is_period_locked, locked_fiscal_years
from accounts.permissions import grant_organisation_access_bulk
from accounts.services import delete_tenant_record, save_tenant_record
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
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
from outreach.models.clients import CRITERIA


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


#: The note of the outcome "つながりの確保" a contact records (shown on the client's outcomes).
CONNECTED_NOTE = "対応記録から自動で記録"


def _record_outcome_once(*, client: Client, kind: str, day, by, note: str) -> None:
    """The first time a milestone is reached, count it as an outcome of that day (once per client)."""
    if day is None:
        return
    with transaction.atomic():
        # The client's row is locked first, so that two saves at once cannot both find no outcome yet.
        Client.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True).first()
        if Outcome.objects.filter(client=client, kind=kind).exists():
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
        _keep_what_approved_reports_counted(client)
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
            _keep_what_approved_reports_counted(record)
        else:
            _ensure_intake_open(record)
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
            agency=record.agency_id,
        )
    return periods.is_record_frozen(record)


def _ensure_intake_open(client: Client) -> None:
    """A client belongs to no 年度 as a whole, but its intake (registered_on) does: that 年度 must be open."""
    ensure_period_open(
        organisation=client.organisation_id, program=Program.OUTREACH, day=client.registered_on, agency=client.agency_id
    )


def _ensure_client_dates_open(client: Client) -> None:
    """An approved report counted the client as new (intake) or closed in its 年度: those dates stay."""
    stored = Client.objects.filter(pk=client.pk).values("registered_on", "closed_on", "agency_id").first() or {}
    for name in ("registered_on", "closed_on"):
        before, after = stored.get(name), getattr(client, name)
        if before != after:
            for day, agency in ((before, stored.get("agency_id")), (after, client.agency_id)):
                ensure_period_open(
                    organisation=client.organisation_id, program=Program.OUTREACH, day=day, agency=agency
                )


#: What an approved report counted of each client open in its 年度 (clients by agency, criterion (ｱ)〜(ｴ),
#: 生活困窮者, cohort, age band, sex and referral route); the intake and closing dates are checked above.
CLIENT_COUNTED_FIELDS = (
    "agency",
    "birth_date",
    "sex",
    "referral_route",
    "in_hardship",
    *(name for name, _label in CRITERIA),
)


def _years_counted(*, registered_on, closed_on, locked_years) -> list[int]:
    """The frozen 年度 in which a case was open (registered by its end, not closed before its start)."""
    if registered_on is None:
        return []
    first, last = fiscal_year_of(registered_on), fiscal_year_of(closed_on) if closed_on else None
    return sorted(year for year in locked_years if year >= first and (last is None or year <= last))


def _keep_what_approved_reports_counted(client: Client) -> None:
    """A client counted in an approved 年度 keeps what that report counted; contact details stay editable.

    Raises a Japanese ValidationError per changed field. Otherwise the stored in-cohort flag is kept
    too (the cohort may have moved since; see cohort_update).
    """
    stored = Client.objects.filter(pk=client.pk).first()
    if stored is None:
        return
    years = _years_counted(
        registered_on=stored.registered_on,
        closed_on=stored.closed_on,
        locked_years=locked_fiscal_years(
            organisation=stored.organisation_id, program=Program.OUTREACH, agency=stored.agency_id
        ),
    )
    if not years:
        return
    counted_in = "・".join(fiscal_year_label(year) for year in years)
    errors = {}
    for name in CLIENT_COUNTED_FIELDS:
        attname = Client._meta.get_field(name).attname
        if getattr(client, attname) != getattr(stored, attname):
            label = Client._meta.get_field(name).verbose_name
            errors[name] = (
                f"この支援対象者は承認済みの{counted_in}の実績報告書に計上されているため、"
                f"「{label}」は変更できません（連絡先や備考などは変更できます）。"
                "必要な場合は県の担当者に確定解除を依頼してください。"
            )
    if errors:
        raise ValidationError(errors)
    client.in_cohort = stored.in_cohort
    client.keep_cohort_flag = True


@transaction.atomic
def contact_save(*, contact: Contact, by) -> Contact:
    """Save a contact; the first connection with the person also counts as the outcome "つながりの確保"."""
    contact.organisation_id = contact.client.organisation_id
    save_tenant_record(contact, by=by)
    if contact.first_connection:
        _record_outcome_once(
            client=contact.client, kind=OutcomeKind.CONNECTED, day=contact.date, by=by, note=CONNECTED_NOTE
        )
    return contact


def record_connections_once(*, organisation, agency: Agency, first_days: dict[int, date], by) -> list[Outcome]:
    """What `contact_save` records for many contacts at once (imports): the outcome "つながりの確保"
    for each client (by pk) not yet connected, on the day of its first connection (`first_days`, the
    first in the file's order). One read, one insert of the outcomes, their grants and audit events.

    The outcome's 年度 is its contact's, whose year lock the import has checked (same agency).
    """
    if not first_days:
        return []
    # Locked as `_record_outcome_once` locks one client: a contact saved meanwhile cannot add it twice.
    list(Client.objects.select_for_update().filter(pk__in=list(first_days)).values_list("pk", flat=True))
    connected = set(
        Outcome.objects.filter(
            client__agency=agency, client_id__in=list(first_days), kind=OutcomeKind.CONNECTED
        ).values_list("client_id", flat=True)
    )
    creator = by if getattr(by, "is_authenticated", False) else None
    outcomes = [
        Outcome(
            organisation=organisation,
            client_id=client_id,
            kind=OutcomeKind.CONNECTED,
            date=day,
            note=CONNECTED_NOTE,
            created_by=creator,
        )
        for client_id, day in first_days.items()
        if client_id not in connected and day is not None
    ]
    if outcomes:
        Outcome.objects.bulk_create(outcomes, batch_size=1000)
        grant_organisation_access_bulk(outcomes, organisation)
        audit_many(by, AuditAction.CREATE, outcomes)
    return outcomes


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
        _ensure_intake_open(record)
    delete_tenant_record(
        record,
        by=by,
        protected_message=f"「{record}」には関連する記録（対応記録・支援計画など）があるため削除できません。"
        "先に関連する記録を削除するか、状況を「終結」にしてください。",
    )


@dataclass
class CohortUpdate:
    cohort: CohortSetting
    #: Clients whose in-cohort flag changed.
    changed: int
    #: Clients whose flag would change but who were counted in an approved 年度: left as they were.
    kept: int
    kept_years: list[int]

    @property
    def message(self) -> str:
        text = f"就職氷河期世代の範囲を変更しました。{self.changed}人の対象者の判定を更新しました。"
        if self.kept:
            years = "・".join(fiscal_year_label(year) for year in self.kept_years)
            text += (
                f"承認済みの実績報告書（{years}）に計上された{self.kept}人は、判定を変更していません"
                "（確定解除の後、その人を保存したときに新しい範囲で判定します）。"
            )
        return text


def _counted_in_approved_years() -> tuple[Q, dict[tuple[int, int | None], set[int]]]:
    """Clients open in some approved (frozen) outreach 年度 of their agency or contractor, as one condition.

    The years are keyed by (contractor, agency); agency None is a lock of the contractor's whole program.
    """
    condition, years = Q(pk__in=[]), {}
    for organisation_id, agency_id, year in PeriodLock.objects.filter(program=Program.OUTREACH).values_list(
        "organisation_id", "agency_id", "fiscal_year"
    ):
        first, last = fiscal_year_bounds(year)
        unit = Q(organisation_id=organisation_id) if agency_id is None else Q(agency_id=agency_id)
        condition |= unit & Q(registered_on__lte=last) & ~Q(closed_on__lt=first)
        years.setdefault((organisation_id, agency_id), set()).add(year)
    return condition, years


@transaction.atomic
def cohort_update(*, cohort: CohortSetting, by) -> CohortUpdate:
    """Change the cohort and re-evaluate the clients' in-cohort flag, with their change history.

    Clients counted in an approved 年度 keep their flag: the approved report counted them so, and a
    setting changed afterwards must not alter it (the year lock). The result says how many were kept.
    """
    cohort.full_clean()
    cohort.save()
    inside = Q(birth_date__gte=cohort.birth_from, birth_date__lte=cohort.birth_to)
    to_change = Client.objects.filter((inside & Q(in_cohort=False)) | (~inside & Q(in_cohort=True)))
    frozen, frozen_years = _counted_in_approved_years()
    kept = list(to_change.filter(frozen).values_list("organisation_id", "agency_id", "registered_on", "closed_on"))
    clients = list(to_change.exclude(frozen))
    for client in clients:
        client.in_cohort = not client.in_cohort
    user = by if getattr(by, "is_authenticated", False) else None
    bulk_update_with_history(
        clients,
        Client,
        ["in_cohort"],
        batch_size=500,
        default_user=user,
        default_change_reason="就職氷河期世代の範囲の変更",
    )
    kept_years = sorted(
        {
            year
            for organisation_id, agency_id, registered_on, closed_on in kept
            for year in _years_counted(
                registered_on=registered_on,
                closed_on=closed_on,
                locked_years=frozen_years.get((organisation_id, None), set())
                | frozen_years.get((organisation_id, agency_id), set()),
            )
        }
    )
    result = CohortUpdate(cohort=cohort, changed=len(clients), kept=len(kept), kept_years=kept_years)
    audit(by, AuditAction.UPDATE, cohort, detail=result.message)
    return result


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
