"""django-guardian behind three functions: what a user may see, check one object, grant one.

Lists are narrowed by the organisation foreign key (fast, one WHERE clause). Each object a
contractor's staff open, change or delete is also checked against the object permission
their organisation's group was granted when the record was created, so a record that lost
its grant is refused even inside the organisation.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.http import Http404
from guardian.shortcuts import assign_perm
from guardian.utils import get_group_obj_perms_model

from accounts.audit import audit
from accounts.models import AuditAction, Role

ACTIONS = ("view", "change", "delete")


def visible_to(user, model_or_queryset) -> models.QuerySet:
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    return queryset.visible_to(user)


def can(user, action: str, obj: models.Model) -> bool:
    """May `user` view/change/delete `obj`? Prefecture staff by role, others by object permission."""
    if action not in ACTIONS:
        raise ValueError(action)
    if not getattr(user, "is_authenticated", False) or user.role is None:
        return False
    if user.role == Role.PREFECTURE:
        return True
    if not type(obj)._default_manager.filter(pk=obj.pk).visible_to(user).exists():
        return False
    if user.role == Role.HEALTH_CENTRE:
        return action == "view"
    return user.has_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", obj)


def get_visible_or_404(user, model_or_queryset, *, action: str = "view", **lookup) -> models.Model:
    """The object, if this user may act on it; otherwise 404 (never reveal that it exists)."""
    queryset = visible_to(user, model_or_queryset)
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        _refuse(user, queryset.model, lookup)
        raise Http404("見つかりません") from None
    if user.role in (Role.COORDINATOR, Role.OUTREACH_WORKER) and not user.has_perm(
        f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", obj
    ):
        _refuse(user, queryset.model, lookup)
        raise Http404("見つかりません")
    return obj


def _refuse(user, model, lookup) -> None:
    # Refusals of existing records are what the audit log is for; plain typos of ids too,
    # because from outside they are indistinguishable from probing.
    audit(
        user,
        AuditAction.PERMISSION_DENIED,
        object_type=model._meta.label,
        object_id=str(next(iter(lookup.values()), ""))[:64],
    )


def grant_organisation_access(obj: models.Model) -> None:
    """Grant the owning organisation's group view/change/delete on a new record."""
    group = obj.organisation.group
    for action in ACTIONS:
        assign_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", group, obj)


def grant_organisation_access_bulk(records, organisation) -> None:
    """The same grant for many records at once (imports, demo data).

    `records` is a queryset or a list of saved instances of one model. The rows of the model's
    direct-foreign-key group permission table (see `accounts.tenancy.object_permission_models`) are
    written with one bulk insert: no per-object lookups, and a grant that already exists is left as
    it is (never granted twice).
    """
    if isinstance(records, models.QuerySet):
        model = records.model
        pks = list(records.order_by().values_list("pk", flat=True))
    else:
        records = list(records)
        if not records:
            return
        model = type(records[0])
        pks = [record.pk for record in records]
    if not pks:
        return
    group_model = get_group_obj_perms_model(model)
    if group_model.objects.is_generic():  # no direct-foreign-key table: let guardian write it
        for action in ACTIONS:
            assign_perm(
                f"{model._meta.app_label}.{action}_{model._meta.model_name}",
                organisation.group,
                model._default_manager.filter(pk__in=pks),
            )
        return
    permissions = list(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            codename__in=[f"{action}_{model._meta.model_name}" for action in ACTIONS],
        ).values_list("pk", flat=True)
    )
    meta = group_model._meta
    connection = connections[router.db_for_write(group_model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("permission", "group", "content_object"))
    # One INSERT … SELECT per 500 records, each record × each permission, without building a model
    # instance per grant (the ORM's bulk_create spends more time on that than the database on the
    # insert). The table's unique (group, permission, object) makes a repeated grant a no-op on
    # SQLite and PostgreSQL alike; the WHERE keeps SQLite's parser clear of the ON CONFLICT clause.
    target, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    marks = ", ".join(["%s"] * len(permissions))
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT p.id, %s, o.{pk} "
                f"FROM {quote(Permission._meta.db_table)} p, {target} o "
                f"WHERE p.id IN ({marks}) AND o.{pk} IN ({', '.join(['%s'] * len(chunk))}) ON CONFLICT DO NOTHING",
                [organisation.group_id, *permissions, *chunk],
            )
