"""Actor: the user and the membership they are acting in, passed explicitly to every
selector and service (no thread-locals, no request.user below the view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clearsight.access.roles import Capability, Role, role_can

if TYPE_CHECKING:
    from clearsight.accounts.models import User
    from clearsight.areas.models import Area, Membership


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def area(self) -> Area:
        return self.membership.agency.area

    @property
    def area_id(self) -> int:
        return self.membership.agency.area_id

    def can(self, capability: Capability) -> bool:
        return role_can(self.role, capability)
