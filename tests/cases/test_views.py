"""The case pages: who may see and change what, error summaries, and what each page
writes to the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from clearsight.cases.models import Case, NrmReferral, PlanAction, Referral
from tests.cases.helpers import child_on_team
from tests.conftest import Cast
from tests.factories import CaseFactory, NrmReferralFactory, PlanActionFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def sees(role: Role) -> bool:
    """The child in these tests has the social worker on their team only."""
    return role_can(role, Capability.VIEW_CHILDREN) and (
        role == Role.SOCIAL_WORKER or role in AREA_WIDE_ROLES
    )


@pytest.fixture
def records(cast: Cast):  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER, family_name="Casepage")
    case = CaseFactory(person=child, opened_by=cast.user(Role.SOCIAL_WORKER))
    action = PlanActionFactory(case=case, owner=cast.members[Role.PRACTITIONER])
    referral = ReferralFactory(
        person=child, referred_by_membership=cast.members[Role.SOCIAL_WORKER]
    )
    nrm = NrmReferralFactory(person=child)
    return child, case, action, referral, nrm


@pytest.mark.parametrize("role", list(Role))
def test_case_pages_by_role(role: Role, cast: Cast, records, client_for) -> None:  # type: ignore[no-untyped-def]
    _child, case, action, referral, nrm = records
    client = client_for(role)
    pages = {
        f"/referrals/{referral.pk}/": role_can(role, Capability.VIEW_CHILDREN),
        f"/actions/{action.pk}/": role_can(role, Capability.VIEW_CHILDREN),
        f"/nrm/{nrm.pk}/": role_can(role, Capability.VIEW_CHILDREN),
        f"/cases/{case.pk}/close/": role_can(role, Capability.MANAGE_CASES),
    }
    for url, needs in pages.items():
        response = client.get(url)
        if not needs:
            assert response.status_code == 403, (url, role)
        elif sees(role):
            assert response.status_code == 200, (url, role)
            assert "Casepage" in response.content.decode()
        else:
            assert response.status_code == 404, (url, role)
            assert "Casepage" not in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_case_actions_by_role(role: Role, cast: Cast, records, client_for) -> None:  # type: ignore[no-untyped-def]
    child, case, _action, _referral, _nrm = records
    client = client_for(role)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    posts = [
        (f"/people/{child.pk}/case/open/", {"review_every_weeks": "12"}, Capability.MANAGE_CASES),
        (
            f"/people/{child.pk}/nrm/",
            {"first_responder_organisation": "X", "submitted_on": timezone.localdate().isoformat()},
            Capability.MANAGE_CASES,
        ),
        (
            f"/cases/{case.pk}/lead/",
            {"lead_professional": cast.members[Role.SOCIAL_WORKER].pk, "version": 1},
            Capability.MANAGE_CASES,
        ),
        (
            f"/cases/{case.pk}/actions/",
            {"title": "Visit", "owner": cast.members[Role.PRACTITIONER].pk, "due_on": due},
            Capability.MANAGE_CASES,
        ),
        (f"/cases/{case.pk}/notes/", {"body": "A note"}, Capability.RECORD_OBSERVATIONS),
        (
            f"/cases/{case.pk}/reviews/",
            {"held_on": timezone.localdate().isoformat(), "summary": "Fine", "version": 1},
            Capability.MANAGE_CASES,
        ),
    ]
    nrm_before = NrmReferral.objects.count()
    for url, data, capability in posts:
        response = client.post(url, data)
        if not role_can(role, capability):
            assert response.status_code == 403, (url, role)
        elif not sees(role):
            assert response.status_code in (403, 404), (url, role)
        elif role == Role.SOCIAL_WORKER or (
            role_can(role, Capability.MANAGE_CASES) or capability == Capability.RECORD_OBSERVATIONS
        ):
            # Opening a second case is refused with an error summary; the rest succeed.
            assert response.status_code in (302, 400), (url, role, response.status_code)
    if not sees(role) or not role_can(role, Capability.MANAGE_CASES):
        assert NrmReferral.objects.count() == nrm_before
        assert Case.objects.filter(person=child).count() == 1


def test_the_case_page_shows_the_plan_team_referrals_and_nrm(
    cast: Cast, records, client_for
) -> None:  # type: ignore[no-untyped-def]
    child, _case, action, _referral, _ = records
    page = client_for(Role.SOCIAL_WORKER).get(f"/people/{child.pk}/case/").content.decode()
    assert action.title in page and "Multi-agency child exploitation" in page
    assert 'data-testid="nrm-record"' in page
    assert AuditEvent.objects.filter(action="case.viewed", person_id=child.pk).count() == 1


def test_opening_a_case_from_the_child_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    client = client_for(Role.SOCIAL_WORKER)
    response = client.post(
        f"/people/{child.pk}/case/open/",
        {"lead_professional": cast.members[Role.SOCIAL_WORKER].pk, "review_every_weeks": "8"},
    )
    assert response.status_code == 302
    case = Case.objects.get(person=child)
    assert case.review_every_weeks == 8
    detail = client.get(f"/people/{child.pk}/").content.decode()
    assert "Test Social worker" in detail.split('data-testid="lead-professional"')[1][:200]


def test_an_action_due_in_the_past_is_shown_in_a_govuk_error_summary(
    cast: Cast, records, client_for
) -> None:  # type: ignore[no-untyped-def]
    _, case, *_ = records
    response = client_for(Role.SOCIAL_WORKER).post(
        f"/cases/{case.pk}/actions/",
        {
            "title": "Visit",
            "owner": cast.members[Role.PRACTITIONER].pk,
            "due_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and 'href="#id_due_on_day"' in page
    assert PlanAction.objects.filter(case=case).count() == 1


def test_closing_a_case_with_open_actions_asks_what_to_do_with_them(
    cast: Cast, records, client_for
) -> None:  # type: ignore[no-untyped-def]
    _, case, action, *_ = records
    client = client_for(Role.SOCIAL_WORKER)
    data = {"outcome": "risk_reduced", "reason": "Plan achieved", "version": 1}
    response = client.post(f"/cases/{case.pk}/close/", data)
    assert response.status_code == 400
    assert "1 open action" in response.content.decode()
    response = client.post(f"/cases/{case.pk}/close/", {**data, "open_actions": "resolve"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "not_needed"


def test_a_referral_for_an_adult_to_early_help_is_refused_on_the_form(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    adult = child_on_team(cast, Role.SOCIAL_WORKER, kind="adult")
    response = client_for(Role.SOCIAL_WORKER).post(
        f"/people/{adult.pk}/referrals/new/", {"service": "early_help", "reason": "Worried"}
    )
    assert response.status_code == 400
    assert "works with children only" in response.content.decode()
    assert not Referral.objects.filter(person=adult).exists()


def test_making_a_referral_from_the_form(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    response = client_for(Role.SOCIAL_WORKER).post(
        f"/people/{child.pk}/referrals/new/", {"service": "mace", "reason": "Found out of area"}
    )
    assert response.status_code == 302
    assert Referral.objects.get(person=child).service == "mace"


def test_time_to_help_page_validates_days(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    assert client.get("/time-to-help/?days=7").status_code == 200
    page = client.get("/time-to-help/?days=abc").content.decode()
    assert "Enter a number of days from 1 to 365" in page
