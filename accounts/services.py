"""Writes shared by every program: save or delete a tenant record in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.audit import audit
from accounts.models import AuditAction
from accounts.periods import ensure_open
from accounts.permissions import grant_organisation_access
from accounts.tenancy import TenantModel


@transaction.atomic
def save_tenant_record(obj: TenantModel, *, by, exclude_clean: list[str] | None = None) -> TenantModel:
    """Validate, check the year lock (old and new date), save, grant, audit."""
    is_new = obj.pk is None
    if is_new:
        obj.created_by = by if getattr(by, "is_authenticated", False) else None
    else:
        stored = type(obj)._default_manager.get(pk=obj.pk)
        ensure_open(stored)
    obj.full_clean(exclude=exclude_clean)
    ensure_open(obj)
    obj._history_user = by if getattr(by, "is_authenticated", False) else None  # django-simple-history
    obj.save()
    if is_new:
        grant_organisation_access(obj)
    audit(by, AuditAction.CREATE if is_new else AuditAction.UPDATE, obj)
    return obj


@transaction.atomic
def delete_tenant_record(obj: TenantModel, *, by, protected_message: str = "") -> None:
    """Delete after the year-lock check; a record others still refer to is refused in Japanese."""
    ensure_open(obj)
    audit(by, AuditAction.DELETE, obj)
    obj._history_user = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as error:
        raise ValidationError(
            protected_message
            or "他の記録から参照されているため削除できません。先に参照している記録を変更・削除してください。"
        ) from error
