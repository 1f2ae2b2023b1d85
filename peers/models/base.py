"""What every peer-support contractor record shares."""

from __future__ import annotations

from accounts.models import Program, Role
from accounts.tenancy import TenantModel


class PeerRecord(TenantModel):
    """A contractor's record in the peer-support program (要綱000), scoped to its organisation."""

    staff_roles = (Role.COORDINATOR,)
    program = Program.PEER_SUPPORT

    class Meta:
        abstract = True
