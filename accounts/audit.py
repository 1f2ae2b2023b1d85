"""One helper writes every audit event; a middleware supplies the request's IP and path."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models

from accounts.models import CONTRACTOR_ROLES, AuditAction, AuditEvent, Organisation


@dataclass
class RequestContext:
    ip_address: str | None
    path: str
    #: Set once a refusal of this request has been written, so that it is written only once.
    refusal_audited: bool = False


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


def _organisation_of(obj) -> Organisation | None:
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj
    organisation_id = getattr(obj, "organisation_id", None)
    return Organisation(pk=organisation_id) if organisation_id else None


def audit(user, action: str, obj: models.Model | None = None, **fields) -> AuditEvent:
    """Record that `user` did `action` (an AuditAction) to `obj`; `fields` as `_event` takes them."""
    context = current_request.get()
    if action == AuditAction.PERMISSION_DENIED and context is not None:
        context.refusal_audited = True
    event = _event(user, action, obj, **fields)
    event.save()
    return event


def audit_many(user, action: str, objects) -> None:
    """The event `audit` writes for one record, for each of many saved records in one insert (imports)."""
    AuditEvent.objects.bulk_create([_event(user, action, obj) for obj in objects], batch_size=1000)


def _event(
    user,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    organisation: Organisation | None = None,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    context = current_request.get()
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk or "")
    return AuditEvent(
        user=user if authenticated else None,
        username=username or (user.get_username() if authenticated else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        organisation=organisation or _organisation_of(obj),
        ip_address=context.ip_address if context else None,
        path=context.path[:300] if context else "",
        detail=detail,
    )


def own_organisation(user) -> Organisation | None:
    """The organisation a list's view or export event names: contractor staff's own, the one tenant all
    their records belong to; none for prefecture and health-centre staff, whose lists are not one contractor's."""
    return user.organisation if getattr(user, "role", None) in CONTRACTOR_ROLES else None


def audit_list(user, model: type[models.Model], *, detail: str = "一覧") -> None:
    """A page listing records of `model` was shown: one view event, if the model holds personal data."""
    if not getattr(model, "holds_personal_data", False):
        return
    audit(user, AuditAction.VIEW, object_type=model._meta.label, organisation=own_organisation(user), detail=detail)
