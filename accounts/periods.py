"""The year lock: an approved annual report freezes a contractor's records of that 年度."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from accounts.models import Organisation, PeriodLock, Program
from accounts.wareki import fiscal_year_label, fiscal_year_of


def is_period_locked(*, organisation: Organisation | int, program: str, fiscal_year: int) -> bool:
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return PeriodLock.objects.filter(organisation_id=organisation_id, program=program, fiscal_year=fiscal_year).exists()


def ensure_period_open(*, organisation: Organisation | int, program: str, day: date | None) -> None:
    """Raise a Japanese ValidationError when `day` falls in an approved (frozen) 年度."""
    if day is None:
        return
    year = fiscal_year_of(day)
    if is_period_locked(organisation=organisation, program=program, fiscal_year=year):
        raise ValidationError(
            f"{fiscal_year_label(year)}の{Program(program).label}の実績報告書は承認済みのため、"
            "この年度の記録は登録・変更・削除できません。必要な場合は県の担当者に確定解除を依頼してください。"
        )
