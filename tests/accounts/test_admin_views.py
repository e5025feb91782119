"""Area administrators manage accounts: roles, suspension, reactivation."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import Membership
from clearsight.audit.models import AuditEvent
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_users_page_lists_everyone_in_the_area_with_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.AREA_ADMINISTRATOR).get("/users/").content.decode()
    for role in Role:
        assert cast.user(role).email in page
    assert "Return home interview worker" in page


def test_users_page_needs_a_fixed_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    with django_assert_max_num_queries(14):
        admin.get("/users/")


def test_suspend_needs_a_reason_and_keeps_the_account(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.PRACTITIONER)
    response = client_for(Role.AREA_ADMINISTRATOR).post(
        f"/users/{user.pk}/suspend/", {"reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter why you are suspending this account" in page
    assert "There is a problem" in page
    assert User.objects.get(pk=user.pk).is_active


def test_suspend_and_reactivate_are_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    user = cast.user(Role.PRACTITIONER)
    admin.post(f"/users/{user.pk}/suspend/", {"reason": "Left the agency"})
    user.refresh_from_db()
    assert not user.is_active and user.suspended_reason == "Left the agency"
    assert "Suspended" in admin.get(f"/users/{user.pk}/").content.decode()
    admin.post(f"/users/{user.pk}/reactivate/")
    user.refresh_from_db()
    assert user.is_active
    actions = list(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"user.suspended", "user.reactivated"} <= set(actions)
    event = AuditEvent.objects.get(action="user.suspended")
    assert event.actor_user == cast.user(Role.AREA_ADMINISTRATOR)
    assert event.reason == "Left the agency"


def test_admin_cannot_suspend_themselves(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    admin_user = cast.user(Role.AREA_ADMINISTRATOR)
    response = client_for(Role.AREA_ADMINISTRATOR).post(
        f"/users/{admin_user.pk}/suspend/", {"reason": "test"}
    )
    assert "You cannot suspend your own account" in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).is_active


def test_add_and_remove_a_role(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    user = cast.user(Role.PRACTITIONER)
    agency = cast.members[Role.TRIAGE_OFFICER].agency
    response = admin.post(
        f"/users/{user.pk}/roles/", {"agency": agency.pk, "role": Role.TRIAGE_OFFICER.value}
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=user, role=Role.TRIAGE_OFFICER.value)
    again = admin.post(
        f"/users/{user.pk}/roles/", {"agency": agency.pk, "role": Role.TRIAGE_OFFICER.value}
    )
    assert "already has this role" in again.content.decode()
    admin.post(f"/users/{user.pk}/roles/{added.pk}/end/")
    added.refresh_from_db()
    assert added.ended_at is not None


def test_role_with_an_unknown_value_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.PRACTITIONER)
    agency = cast.members[Role.TRIAGE_OFFICER].agency
    response = client_for(Role.AREA_ADMINISTRATOR).post(
        f"/users/{user.pk}/roles/", {"agency": agency.pk, "role": "gang_member"}
    )
    assert response.status_code == 400
    assert "Choose a role from the list" in response.content.decode()


def test_admin_cannot_remove_the_role_they_are_acting_in(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    membership = cast.members[Role.AREA_ADMINISTRATOR]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    admin.post(f"/users/{membership.user.pk}/roles/{membership.pk}/end/")
    membership.refresh_from_db()
    assert membership.ended_at is None
