"""The service navigation: each item names the capability it needs, so a user sees only
what their acting role may use. Later modules add their items here."""

from __future__ import annotations

from dataclasses import dataclass

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: Capability | None = None
    # A page that gathers several modules: shown when the role has any of these.
    any_of: tuple[Capability, ...] = ()

    def is_for(self, actor: Actor) -> bool:
        if self.any_of:
            return any(actor.can(capability) for capability in self.any_of)
        return self.capability is None or actor.can(self.capability)


# The area dashboard is for the roles that run the area's work; each of its sections is
# shown only to a role that may open that module's own figures.
AREA_DASHBOARD_CAPABILITIES: tuple[Capability, ...] = (
    Capability.TRIAGE_CONCERNS,
    Capability.COORDINATE_MACE,
    Capability.COORDINATE_MISSING,
)

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "core:home"),
    NavItem("Area dashboard", "core:dashboard", any_of=AREA_DASHBOARD_CAPABILITIES),
    NavItem("Children and people", "people:search", Capability.VIEW_CHILDREN),
    NavItem("Missing now", "missing:board", Capability.VIEW_CHILDREN),
    NavItem("Raise a concern", "concerns:raise", Capability.RAISE_CONCERNS),
    NavItem("Triage queue", "concerns:queue", Capability.TRIAGE_CONCERNS),
    NavItem("Rising risk", "risk:rising", Capability.TRIAGE_CONCERNS),
    # Meetings for those who run them; members reach their meetings from the notification
    # they get when added. Time to help for everyone who manages cases (MACE coordinators
    # included), counting only the children each may see.
    NavItem("MACE meetings", "cases:meetings", Capability.COORDINATE_MACE),
    NavItem("Time to help", "cases:time-to-help", Capability.MANAGE_CASES),
    NavItem("Return interviews", "missing:interviews", Capability.RECORD_RETURN_INTERVIEWS),
    NavItem("Missing figures", "missing:figures", Capability.COORDINATE_MISSING),
    NavItem("Helpline contacts", "concerns:helpline-list", Capability.LOG_HELPLINE_CONTACTS),
    NavItem("Places and groups", "contexts:locations", Capability.VIEW_CHILDREN),
    NavItem("Intelligence", "intel:register", Capability.VIEW_INTELLIGENCE),
    NavItem("Users", "accounts:user-list", Capability.MANAGE_USERS),
    NavItem("Imports", "imports:list", Capability.IMPORT_RECORDS),
    NavItem("Audit log", "audit:event-list", Capability.VIEW_AUDIT_LOG),
    NavItem("Your account", "accounts:account"),
)


def items_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    return [item for item in NAVIGATION if item.is_for(actor)]
