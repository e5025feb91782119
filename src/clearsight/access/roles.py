"""The roles a membership can carry, and what each role may do.

Plain Python with no Django import: the policy is read by the access module, the
navigation and the tests, and must be obvious at a glance.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    DESIGNATED_SAFEGUARDING_LEAD = "designated_safeguarding_lead"
    SOCIAL_WORKER = "social_worker"
    POLICE_OFFICER = "police_officer"
    INTELLIGENCE_ANALYST = "intelligence_analyst"
    RHI_WORKER = "rhi_worker"
    MACE_COORDINATOR = "mace_coordinator"
    MISSING_COORDINATOR = "missing_coordinator"
    HELPLINE_WORKER = "helpline_worker"
    TRIAGE_OFFICER = "triage_officer"
    AREA_ADMINISTRATOR = "area_administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: "Practitioner",
    Role.DESIGNATED_SAFEGUARDING_LEAD: "Designated safeguarding lead",
    Role.SOCIAL_WORKER: "Social worker",
    Role.POLICE_OFFICER: "Police officer",
    Role.INTELLIGENCE_ANALYST: "Intelligence analyst",
    Role.RHI_WORKER: "Return home interview worker",
    Role.MACE_COORDINATOR: "MACE coordinator",
    Role.MISSING_COORDINATOR: "Missing children coordinator",
    Role.HELPLINE_WORKER: "Helpline worker",
    Role.TRIAGE_OFFICER: "Triage officer",
    Role.AREA_ADMINISTRATOR: "Area administrator",
    Role.DATA_PROTECTION_OFFICER: "Data protection officer",
}

ROLE_CHOICES: list[tuple[str, str]] = [(role.value, ROLE_LABELS[role]) for role in Role]


class Capability(StrEnum):
    """Something a role lets a user do. Object-level checks (which child, which
    meeting) are made on top of these by the access module."""

    VIEW_CHILDREN = "view_children"
    RECORD_OBSERVATIONS = "record_observations"
    RAISE_CONCERNS = "raise_concerns"
    MANAGE_CASES = "manage_cases"
    RECORD_MISSING_EPISODES = "record_missing_episodes"
    RECORD_RETURN_INTERVIEWS = "record_return_interviews"
    # Runs the area's missing-children work: the board, RHI figures and exports, the
    # Philomena Protocol forms, cross-area alerts.
    COORDINATE_MISSING = "coordinate_missing"
    TRIAGE_CONCERNS = "triage_concerns"
    COORDINATE_MACE = "coordinate_mace"
    VIEW_INTELLIGENCE = "view_intelligence"
    LOG_HELPLINE_CONTACTS = "log_helpline_contacts"
    MANAGE_USERS = "manage_users"
    IMPORT_RECORDS = "import_records"
    VIEW_AUDIT_LOG = "view_audit_log"


_FRONTLINE = {
    Capability.VIEW_CHILDREN,
    Capability.RECORD_OBSERVATIONS,
    Capability.RAISE_CONCERNS,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset(_FRONTLINE),
    Role.DESIGNATED_SAFEGUARDING_LEAD: frozenset(_FRONTLINE | {Capability.MANAGE_CASES}),
    Role.SOCIAL_WORKER: frozenset(
        _FRONTLINE | {Capability.MANAGE_CASES, Capability.RECORD_MISSING_EPISODES}
    ),
    Role.POLICE_OFFICER: frozenset(
        _FRONTLINE | {Capability.RECORD_MISSING_EPISODES, Capability.VIEW_INTELLIGENCE}
    ),
    Role.INTELLIGENCE_ANALYST: frozenset({Capability.VIEW_CHILDREN, Capability.VIEW_INTELLIGENCE}),
    Role.RHI_WORKER: frozenset(_FRONTLINE | {Capability.RECORD_RETURN_INTERVIEWS}),
    Role.MACE_COORDINATOR: frozenset(
        _FRONTLINE | {Capability.MANAGE_CASES, Capability.COORDINATE_MACE}
    ),
    Role.MISSING_COORDINATOR: frozenset(
        _FRONTLINE
        | {
            Capability.RECORD_MISSING_EPISODES,
            Capability.RECORD_RETURN_INTERVIEWS,
            Capability.COORDINATE_MISSING,
        }
    ),
    Role.HELPLINE_WORKER: frozenset({Capability.LOG_HELPLINE_CONTACTS, Capability.RAISE_CONCERNS}),
    Role.TRIAGE_OFFICER: frozenset(_FRONTLINE | {Capability.TRIAGE_CONCERNS}),
    # Administrators manage accounts; by that role alone they never see children's records.
    Role.AREA_ADMINISTRATOR: frozenset({Capability.MANAGE_USERS, Capability.IMPORT_RECORDS}),
    # The DPO reads the audit log, not the records themselves.
    Role.DATA_PROTECTION_OFFICER: frozenset({Capability.VIEW_AUDIT_LOG}),
}


def role_can(role: Role | str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[Role(role)]
