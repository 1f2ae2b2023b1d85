"""The tenant base every outreach record shares: one contractor, and within it one agency."""

from __future__ import annotations

from accounts.models import Program, Role
from accounts.tenancy import TenantModel, TenantQuerySet


class AgencyScopedModel(TenantModel):
    """A contractor record that an outreach worker sees only for their own agency.

    `agency_path` is the lookup from the model to its Agency ("agency", "client__agency", …).
    The worker's agency is read in the same query (a subquery on OutreachWorker), so scoping
    never costs an extra round trip; a worker without an OutreachWorker record sees nothing.
    """

    staff_roles = (Role.OUTREACH_WORKER,)
    program = Program.OUTREACH
    agency_path: str = "agency"

    class Meta:
        abstract = True

    @classmethod
    def scope_for_contractor_staff(cls, user, queryset: TenantQuerySet) -> TenantQuerySet:
        from outreach.models.setup import OutreachWorker

        agencies = OutreachWorker.objects.filter(user_id=user.pk, is_active=True).values("agency_id")
        return queryset.filter(**{f"{cls.agency_path}__in": agencies})

    def lock_agency_id(self) -> int | None:
        """Each agency reports (and is frozen) on its own: follow `agency_path` to it."""
        if self.agency_path == "pk":
            return self.pk
        *relations, last = self.agency_path.split("__")
        owner = self
        for relation in relations:
            if getattr(owner, f"{relation}_id", None) is None:
                return None
            owner = getattr(owner, relation)
        return getattr(owner, f"{last}_id", None)
