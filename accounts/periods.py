"""The year lock: an approved annual report freezes a contractor's records of that 年度.

A lock covers the contractor's whole program (peer support) or one agency of it (outreach, whose
reports are made per 自立相談支援機関). Callers pass the record's agency where it has one
(`TenantModel.lock_agency_id`); a lock of the whole program applies to every agency.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from accounts.models import Organisation, PeriodLock, Program
from accounts.wareki import fiscal_year_label, fiscal_year_of


def _organisation_id(organisation: Organisation | int) -> int:
    return organisation.pk if isinstance(organisation, Organisation) else organisation


def locks_covering(*, organisation: Organisation | int, program: str, agency: int | None = None) -> QuerySet:
    """The locks that freeze records of this contractor's program (and of this agency, if it has one)."""
    locks = PeriodLock.objects.filter(organisation_id=_organisation_id(organisation), program=program)
    covering = Q(agency__isnull=True)
    if agency is not None:
        covering |= Q(agency_id=agency)
    return locks.filter(covering)


def is_period_locked(
    *, organisation: Organisation | int, program: str, fiscal_year: int, agency: int | None = None
) -> bool:
    return (
        locks_covering(organisation=organisation, program=program, agency=agency)
        .filter(fiscal_year=fiscal_year)
        .exists()
    )


def locked_fiscal_years(*, organisation: Organisation | int, program: str, agency: int | None = None) -> set[int]:
    """Every frozen 年度 of one organisation and program (or agency), in one query (imports check many rows)."""
    locks = locks_covering(organisation=organisation, program=program, agency=agency)
    return set(locks.values_list("fiscal_year", flat=True))


def check_period_open(*, program: str, day: date | None, locked_years: Container[int]) -> None:
    """The rule itself, on the frozen years already known: raise when `day` falls in one of them."""
    if day is None:
        return
    year = fiscal_year_of(day)
    if year in locked_years:
        raise ValidationError(
            f"{fiscal_year_label(year)}の{Program(program).label}の実績報告書は承認済みのため、"
            "この年度の記録は登録・変更・削除できません。必要な場合は県の担当者に確定解除を依頼してください。"
        )


def ensure_period_open(
    *, organisation: Organisation | int, program: str, day: date | None, agency: int | None = None
) -> None:
    """Raise a Japanese ValidationError when `day` falls in an approved (frozen) 年度."""
    if day is None:
        return
    year = fiscal_year_of(day)
    locked = is_period_locked(organisation=organisation, program=program, fiscal_year=year, agency=agency)
    check_period_open(program=program, day=day, locked_years={year} if locked else set())


def ensure_open(record) -> None:
    """The year lock for one record as it is (stored or about to be saved): its 年度 and its agency."""
    if not getattr(record, "program", None):
        return
    ensure_period_open(
        organisation=record.organisation_id,
        program=record.program,
        day=record.period_date(),
        agency=record.lock_agency_id(),
    )


def ensure_record_open(record) -> None:
    """The year lock for a tenant record about to be saved: its stored 年度 and its new one.

    What `accounts.services.save_tenant_record` checks, callable before saving (admin forms ask
    first, so the reason appears on the form instead of as a server error).
    """
    if not getattr(record, "program", None):
        return
    if record.pk:
        stored = type(record)._default_manager.filter(pk=record.pk).first()
        if stored is not None:
            ensure_open(stored)
    ensure_open(record)


def is_record_frozen(record) -> bool:
    """Whether an approved report froze this stored record: it may then be neither changed nor deleted."""
    if not getattr(record, "program", None) or not record.organisation_id:
        return False
    day = record.period_date()
    if day is None:
        return False
    return is_period_locked(
        organisation=record.organisation_id,
        program=record.program,
        fiscal_year=fiscal_year_of(day),
        agency=record.lock_agency_id(),
    )
