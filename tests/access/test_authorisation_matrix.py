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
]

ACTIONS: list[tuple[str, Url, dict[str, str]]] = [
    (
        "suspend",
        lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/suspend/",
        {"reason": "Left the agency"},
    ),
    ("reactivate", lambda c: f"/users/{c.user(Role.PRACTITIONER).pk}/reactivate/", {}),
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
