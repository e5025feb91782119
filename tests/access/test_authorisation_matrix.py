"""Every staff view, for every role: allowed roles get the page, others get a 403, and
signed-out visitors are sent to sign in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from clearsight.access.roles import Capability, Role, role_can
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

Url = Callable[[Cast], str]

# (name, url builder, capability needed or None for every signed-in role)
PAGES: list[tuple[str, Url, Capability | None]] = [
    ("home", lambda c: "/home/", None),
    ("account", lambda c: "/account/", None),
    ("choose role", lambda c: "/role/", None),
    ("users", lambda c: "/users/", Capability.MANAGE_USERS),
    ("invite", lambda c: "/users/invite/", Capability.MANAGE_USERS),
    ("user detail", lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/", Capability.MANAGE_USERS),
    ("audit log", lambda c: "/audit/", Capability.VIEW_AUDIT_LOG),
    ("triage queue", lambda c: "/concerns/", Capability.TRIAGE_CONCERNS),
    ("concern figures", lambda c: "/concerns/figures/", Capability.TRIAGE_CONCERNS),
    ("raise a concern", lambda c: "/concerns/raise/", Capability.RAISE_CONCERNS),
    ("helpline contacts", lambda c: "/helpline/", Capability.LOG_HELPLINE_CONTACTS),
    ("log a helpline contact", lambda c: "/helpline/new/", Capability.LOG_HELPLINE_CONTACTS),
    ("rising risk", lambda c: "/risk/rising/", Capability.TRIAGE_CONCERNS),
    ("indicator guidance", lambda c: "/risk/indicators/", None),
    ("notifications", lambda c: "/notifications/", None),
    ("missing figures", lambda c: "/missing/figures/", Capability.COORDINATE_MISSING),
    ("ssda903 export", lambda c: "/missing/export/ssda903.csv", Capability.COORDINATE_MISSING),
    ("annex a export", lambda c: "/missing/export/annex-a.csv", Capability.COORDINATE_MISSING),
    ("time to help", lambda c: "/time-to-help/", Capability.MANAGE_CASES),
    ("mace meetings", lambda c: "/mace/", Capability.VIEW_CHILDREN),
    ("schedule a mace meeting", lambda c: "/mace/new/", Capability.COORDINATE_MACE),
]

ACTIONS: list[tuple[str, Url, dict[str, str]]] = [
    (
        "suspend",
        lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/suspend/",
        {"reason": "Left the agency"},
    ),
    ("reactivate", lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/reactivate/", {}),
    (
        "set line manager",
        lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/line-manager/",
        {"membership": "", "line_manager": ""},
    ),
    ("add role", lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/roles/", {}),
    (
        "end role",
        lambda c: (
            f"/users/{c.user(Role.PRACTITIONER).pk}/roles/{c.members[Role.PRACTITIONER].pk}/end/"
        ),
        {},
    ),
    ("resend invitation", lambda c: "/invitations/999999/resend/", {}),
    ("withdraw invitation", lambda c: "/invitations/999999/withdraw/", {}),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "capability"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_by_role(
    role: Role, name: str, url: Url, capability: Capability | None, cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get(url(cast))
    allowed = capability is None or role_can(role, capability)
    assert response.status_code == (200 if allowed else 403), name


@pytest.mark.parametrize(("name", "url", "capability"), PAGES, ids=[p[0] for p in PAGES])
def test_signed_out_visitors_are_sent_to_sign_in(
    name: str, url: Url, capability: object, cast: Cast
) -> None:
    response = Client().get(url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("role", [r for r in Role if not role_can(r, Capability.MANAGE_USERS)])
@pytest.mark.parametrize(("name", "url", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_account_actions_are_refused_to_roles_that_cannot_manage_users(
    role: Role, name: str, url: Url, data: dict[str, str], cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    from clearsight.accounts.models import User

    before = User.objects.get(pk=cast.user(Role.PRACTITIONER).pk).is_active
    response = client_for(role).post(url(cast), data)
    assert response.status_code == 403, name
    assert User.objects.get(pk=cast.user(Role.PRACTITIONER).pk).is_active == before


def test_an_administrator_cannot_see_users_of_another_area(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(role=Role.PRACTITIONER.value)
    admin = client_for(Role.AREA_ADMINISTRATOR)
    assert admin.get(f"/users/{stranger.user.pk}/").status_code == 404
    assert stranger.user.email not in admin.get("/users/").content.decode()
    assert admin.post(f"/users/{stranger.user.pk}/suspend/", {"reason": "x"}).status_code == 404


# Every named route and where its access rules are tested. A new URL without an entry
# here fails test_every_route_has_an_authorisation_entry.
COVERAGE = {
    "intel:register": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:review": "tests/intel/test_separation.py; tests/intel/test_review.py",
    "intel:link-new": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:network": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:network-data": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:network-csv": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:entity-new": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:entity": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "intel:phone-imports": "tests/intel/test_separation.py; tests/intel/test_phone_data_views.py",
    "intel:phone-import": "tests/intel/test_separation.py; tests/intel/test_phone_data_views.py",
    "intel:deal-line": (
        "tests/intel/test_separation.py; "
        "tests/intel/test_deal_line_action.py::test_the_deal_line_page_by_role"
    ),
    "api:intel-links": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "api:intel-link": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "api:intel-deal-line": "tests/intel/test_deal_line_action.py",
    "api:intel-entities": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "api:intel-entity": "tests/intel/test_separation.py; tests/intel/test_views.py",
    "contexts:locations": "tests/contexts/test_views.py::test_context_pages_by_role",
    "contexts:map": "tests/contexts/test_views.py::test_context_pages_by_role",
    "contexts:map-data": "tests/contexts/test_views.py::test_context_pages_by_role",
    "contexts:location": "tests/contexts/test_views.py::test_context_pages_by_role",
    "contexts:peer-group-new": "tests/contexts/test_views.py::test_context_pages_by_role",
    "contexts:peer-group": "tests/contexts/test_views.py::test_context_pages_by_role",
    "healthz": "public",
    "readyz": "public",
    "core:start": "public",
    "core:privacy": "public",
    "core:accessibility": "public",
    "core:home": "PAGES",
    "core:dashboard": "tests/core/test_dashboard.py::test_the_dashboard_by_role",
    "concerns:report-start": "public (tests/concerns/test_public_form.py)",
    "concerns:report-question": "public (tests/concerns/test_public_form.py)",
    "concerns:report-check": "public (tests/concerns/test_public_form.py)",
    "concerns:report-sent": "public (tests/concerns/test_public_form.py)",
    "concerns:look-closer": "public (tests/concerns/test_public_form.py)",
    "concerns:look-closer-sector": "public (tests/concerns/test_public_form.py)",
    "concerns:queue": "PAGES",
    "concerns:figures": "PAGES",
    "concerns:raise": "PAGES",
    "concerns:raise-about": "tests/concerns/test_views.py::test_raise_about_needs_sight_of_child",
    "concerns:detail": "tests/concerns/test_views.py::test_triage_pages_by_role",
    "concerns:assign": "tests/concerns/test_views.py::test_triage_actions_by_role",
    "concerns:link": "tests/concerns/test_views.py::test_triage_actions_by_role",
    "concerns:observations": "tests/concerns/test_views.py::test_triage_actions_by_role",
    "concerns:outcome": "tests/concerns/test_views.py::test_triage_actions_by_role",
    "concerns:helpline-list": "PAGES",
    "concerns:helpline-new": "PAGES",
    "concerns:helpline-detail": "tests/concerns/test_helpline.py::test_contact_page_by_role",
    "accounts:login": "public (sign-in flow, tests/accounts/test_sign_in.py)",
    "accounts:mfa-verify": "sign-in flow (tests/accounts/test_sign_in.py)",
    "accounts:mfa-recovery": "sign-in flow (tests/accounts/test_sign_in.py)",
    "accounts:mfa-setup": "sign-in flow (tests/accounts/test_mfa_setup.py)",
    "accounts:logout": "tests/accounts/test_sessions.py",
    "accounts:logout-everywhere": "tests/accounts/test_sessions.py",
    "accounts:timed-out": "tests/accounts/test_sessions.py",
    "accounts:keepalive": "tests/accounts/test_sessions.py",
    "accounts:session-status": "tests/accounts/test_sessions.py",
    "imports:list": "tests/imports/test_views.py::test_only_roles_that_import_can_upload",
    "imports:detail": "tests/imports/test_views.py",
    "accounts:choose-membership": "PAGES",
    "accounts:account": "PAGES",
    "accounts:recovery-codes": "tests/accounts/test_mfa_setup.py",
    "accounts:accept-invitation": "public (tests/accounts/test_invitations.py)",
    "accounts:user-list": "PAGES",
    "accounts:invite": "PAGES",
    "accounts:user-detail": "PAGES",
    "accounts:add-role": "ACTIONS",
    "accounts:end-role": "ACTIONS",
    "accounts:suspend": "ACTIONS",
    "accounts:reactivate": "ACTIONS",
    "accounts:set-line-manager": "ACTIONS (bad input: tests/accounts/test_line_manager.py)",
    "accounts:resend-invitation": "ACTIONS",
    "accounts:withdraw-invitation": "ACTIONS",
    "audit:event-list": "PAGES",
    "notifications:list": "PAGES",
    "notifications:mark-read": "tests/notifications/test_views.py (another user's: 404)",
    "notifications:mark-all-read": "tests/notifications/test_views.py",
    "audit:emergency-access": "tests/audit/test_views.py::test_only_dpos_review_emergency_access",
    "audit:export": "tests/audit/test_views.py::test_only_data_protection_officers_can_export",
    "missing:board": "tests/missing/test_views.py::test_board_and_report_access_by_role",
    "missing:report": "tests/missing/test_views.py::test_board_and_report_access_by_role",
    "missing:episode": "tests/missing/test_views.py",
    "missing:interviews": "tests/missing/test_views.py",
    "missing:move-interview": "tests/missing/test_views.py",
    "missing:figures": "PAGES",
    "missing:export-ssda903": "PAGES; tests/missing/test_exports.py",
    "missing:export-annex-a": "PAGES; tests/missing/test_exports.py",
    "missing:philomena": "tests/missing/test_philomena.py",
    "missing:philomena-edit": "tests/missing/test_philomena.py",
    "missing:philomena-photo": "tests/missing/test_philomena.py",
    "missing:philomena-photo-image": "tests/missing/test_philomena.py",
    "missing:philomena-pdf": "tests/missing/test_philomena.py",
    "missing:record-interview": "tests/missing/test_interview_record.py",
    "missing:find-other-area": "tests/missing/test_cross_area.py",
    "missing:found-in-my-area": "tests/missing/test_cross_area.py",
    "missing:report-from-placement": "tests/missing/test_cross_area.py",
    "people:search": "tests/people/test_views.py",
    "people:create": "tests/people/test_views.py",
    "people:detail": "tests/people/test_views.py::test_child_page_authorisation",
    "people:break-glass": "tests/people/test_views.py",
    "people:add-to-team": "tests/people/test_views.py",
    "people:edit": "tests/people/test_edit.py::test_only_those_who_can_see_and_record_may_edit",
    "accounts:create-api-token": "tests/people/test_api.py",
    "accounts:revoke-api-token": "tests/people/test_api.py",
    "api:persons": "tests/people/test_api.py",
    "api:person": "tests/people/test_api.py",
    "api:agencies": "tests/people/test_api.py",
    "api:memberships": "tests/people/test_api.py",
    "api:missing-episodes": "tests/missing/test_api.py",
    "api:missing-episode": "tests/missing/test_api.py",
    "api:missing-episode-return": "tests/missing/test_api.py",
    "api:indicators": "tests/risk/test_api.py::test_access_by_role",
    "api:person-observations": "tests/risk/test_api.py::test_access_by_role",
    "api:person-screenings": "tests/risk/test_api.py::test_access_by_role",
    "api:return-interviews": "tests/missing/test_rhi_api.py",
    "api:return-interview": "tests/missing/test_rhi_api.py",
    "api:return-interview-transition": "tests/missing/test_rhi_api.py",
    "api:return-interview-record": "tests/missing/test_rhi_api.py",
    "risk:record-observation": "tests/risk/test_views.py::test_recording_signs_access_by_role",
    "risk:override": "tests/risk/test_overrides.py::test_override_access_by_role",
    "risk:approvals": "tests/risk/test_overrides.py (managers only)",
    "risk:decide": "tests/risk/test_overrides.py (managers only)",
    "risk:rising": "PAGES",
    "risk:indicators": "PAGES",
    "risk:library": "tests/risk/test_views_library.py::test_library_pages_access",
    "risk:library-new-draft": "tests/risk/test_views_library.py::test_library_pages_access",
    "risk:library-version": "tests/risk/test_views_library.py::test_library_pages_access",
    "risk:library-publish": "tests/risk/test_views_library.py::test_library_pages_access",
    "risk:library-indicator": "tests/risk/test_views_library.py::test_library_pages_access",
    "risk:signs": "public (tests/risk/test_views_public.py)",
    "risk:signs-category": "public (tests/risk/test_views_public.py)",
    "api:schema": "tests/people/test_api.py::test_schema_and_docs",
    "api:docs": "tests/people/test_api.py::test_schema_and_docs",
    "cases:person-case": "tests/access/test_person_matrix.py",
    "cases:referral-new": "tests/access/test_person_matrix.py",
    "cases:open-case": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:nrm-new": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:referral": "tests/cases/test_views.py::test_case_pages_by_role",
    "cases:case-lead": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:case-add-action": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:case-add-note": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:case-review": "tests/cases/test_views.py::test_case_actions_by_role",
    "cases:case-close": "tests/cases/test_views.py::test_case_pages_by_role",
    "cases:action": "tests/cases/test_views.py::test_case_pages_by_role",
    "cases:nrm": "tests/cases/test_views.py::test_case_pages_by_role",
    "cases:time-to-help": "PAGES",
    "cases:meetings": "PAGES",
    "cases:meeting-new": "PAGES",
    "cases:meeting": "tests/cases/test_meeting_views.py::test_meeting_pages_by_role",
    "cases:meeting-add-member": "tests/cases/test_meeting_views.py::test_meeting_actions_by_role",
    "cases:meeting-add-item": "tests/cases/test_meeting_views.py::test_meeting_actions_by_role",
    "cases:meeting-remove-item": "tests/cases/test_meeting_views.py::test_meeting_actions_by_role",
    "cases:meeting-decision": "tests/cases/test_meeting_views.py::test_meeting_actions_by_role",
    "cases:meeting-action": "tests/cases/test_meeting_views.py::test_meeting_actions_by_role",
    "cases:meeting-pack": "tests/cases/test_packs.py (members only, refusals audited)",
    "cases:meeting-minutes": "tests/cases/test_packs.py (members only, refusals audited)",
    "api:referrals": "tests/cases/test_api.py::test_api_access_by_role",
    "api:referral": "tests/cases/test_api.py::test_api_access_by_role",
    "api:cases": "tests/cases/test_api.py::test_api_access_by_role",
    "api:case": "tests/cases/test_api.py::test_api_access_by_role",
    "api:case-actions": "tests/cases/test_api.py",
    "api:action": "tests/cases/test_api.py",
    "api:meetings": "tests/cases/test_api.py::test_api_access_by_role",
    "api:meeting": "tests/cases/test_api.py::test_api_access_by_role",
}


def _route_names() -> set[str]:
    from django.urls import URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_has_an_authorisation_entry() -> None:
    routes = _route_names()
    missing = routes - COVERAGE.keys()
    assert not missing, (
        f"Add these routes to COVERAGE and test their access rules: {sorted(missing)}"
    )
    assert not COVERAGE.keys() - routes, "COVERAGE names routes that no longer exist"
