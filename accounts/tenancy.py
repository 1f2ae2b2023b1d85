"""The tenant boundary every contractor record is built on.

A model that inherits `TenantModel` belongs to exactly one contractor organisation and
gets, by construction:
- `Model.objects.visible_to(user)`: the one scoping function for lists, reports and exports;
- object-permission tables with direct foreign keys for django-guardian (see
  `object_permission_models`), granted to the organisation's group when the record is saved
  through `accounts.services.save_tenant_record`;
- a period check: records dated in a 年度 whose report was approved cannot be written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Organisation, OrganisationKind, Program, Role


class TenantQuerySet(models.QuerySet):
    def visible_to(self, user) -> TenantQuerySet:
        """Rows this user may see: prefecture staff all, contractor staff their own, others per model."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        role = user.role
        if role == Role.PREFECTURE:
            return self
        if role in self.model.staff_roles:
            return self.model.scope_for_contractor_staff(user, self.filter(organisation_id=user.organisation.pk))
        if role == Role.HEALTH_CENTRE:
            return self.model.scope_for_health_centre(user, self)
        return self.none()


class TenantModel(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.CONTRACTOR},
        verbose_name="受託事業者",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="登録者",
    )

    objects = TenantQuerySet.as_manager()

    #: Contractor roles that work with this model (coordinators: peers; workers: outreach).
    staff_roles: tuple[str, ...] = (Role.COORDINATOR, Role.OUTREACH_WORKER)
    #: The program whose approved 年度 freezes this record, and the date field that places it in a 年度.
    program: str | None = None
    period_date_field: str | None = None
    #: Personal data: every view, change and export is written to the audit log.
    holds_personal_data = False

    class Meta:
        abstract = True

    @classmethod
    def scope_for_contractor_staff(cls, user, queryset: TenantQuerySet) -> TenantQuerySet:
        """Narrow further within the organisation (e.g. an outreach worker's own agency)."""
        return queryset

    @classmethod
    def scope_for_health_centre(cls, user, queryset: TenantQuerySet) -> TenantQuerySet:
        """Health-centre staff see no contractor record unless a model says otherwise."""
        return queryset.none()

    def period_date(self):
        return getattr(self, self.period_date_field) if self.period_date_field else None

    def lock_agency_id(self) -> int | None:
        """The agency whose approved report freezes this record; None: the contractor's whole program."""
        return None


def object_permission_models(model: type[models.Model]) -> tuple[type, type]:
    """Direct-foreign-key guardian tables for `model` (guardian's recommended layout for speed).

    Call once in the app's models.py, right after the model, and keep the returned classes
    at module level so migrations see them:

        ActivityUserPermission, ActivityGroupPermission = object_permission_models(Activity)
    """

    def permission_table(base: type, kind: str) -> type:
        meta = type("Meta", (base.Meta,), {"verbose_name": f"{model._meta.verbose_name}の{kind}権限"})
        return type(
            f"{model.__name__}{'User' if base is UserObjectPermissionBase else 'Group'}ObjectPermission",
            (base,),
            {
                "__module__": model.__module__,
                "content_object": models.ForeignKey(model, on_delete=models.CASCADE),
                "Meta": meta,
            },
        )

    user_model = permission_table(UserObjectPermissionBase, "利用者")
    group_model = permission_table(GroupObjectPermissionBase, "組織")
    return user_model, group_model


__all__ = ["Program", "TenantModel", "TenantQuerySet", "object_permission_models"]
