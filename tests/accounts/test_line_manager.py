"""Area administrators set who a person reports to in each role."""

from __future__ import annotations

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.accounts.services import set_line_manager
from clearsight.areas.models import Membership
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import DomainError, NotFoundError
from tests.conftest import Cast
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def post(client, cast: Cast, role: Role, manager: Membership | str | None):  # type: ignore[no-untyped-def]
    worker = cast.members[role]
    value = manager.pk if isinstance(manager, Membership) else (manager or "")
    return client.post(
        f"/users/{worker.user_id}/line-manager/",
        {"membership": worker.pk, "line_manager": value},
    )


def line_manager_of(membership: Membership) -> int | None:
    return Membership.objects.get(pk=membership.pk).line_manager_id


def test_the_administrator_sets_a_line_manager_and_sees_it_on_the_page(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    worker = cast.members[Role.RHI_WORKER]
    manager = cast.members[Role.MISSING_COORDINATOR]
    page = admin.get(f"/users/{worker.user_id}/").content.decode()
    assert "Set a line manager" in page and "Test Missing children coordinator" in page
    response = post(admin, cast, Role.RHI_WORKER, manager)
    assert response.status_code == 302
    assert line_manager_of(worker) == manager.pk
    page = admin.get(f"/users/{worker.user_id}/").content.decode()
    assert "Test Missing children coordinator, Missing children coordinator</td>" in page, (
        "the manager is shown against the role"
    )
    event = AuditEvent.objects.get(action="membership.line_manager_set")
    assert event.object_id == str(worker.pk)
    assert event.details == {"line_manager": manager.pk, "previous": None}


def test_the_line_manager_can_be_removed(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    worker = cast.members[Role.RHI_WORKER]
    worker.line_manager = cast.members[Role.MISSING_COORDINATOR]
    worker.save(update_fields=["line_manager"])
    response = post(client_for(Role.AREA_ADMINISTRATOR), cast, Role.RHI_WORKER, None)
    assert response.status_code == 302
    assert line_manager_of(worker) is None


def test_a_line_manager_from_another_area_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    stranger = MembershipFactory(role=Role.MISSING_COORDINATOR.value)
    response = post(client_for(Role.AREA_ADMINISTRATOR), cast, Role.RHI_WORKER, stranger)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose a line manager with a current role in Testshire" in page
    assert line_manager_of(cast.members[Role.RHI_WORKER]) is None


def test_nobody_is_their_own_line_manager(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    worker = cast.members[Role.RHI_WORKER]
    other_role = MembershipFactory(
        user=worker.user, agency=worker.agency, role=Role.PRACTITIONER.value
    )
    admin = client_for(Role.AREA_ADMINISTRATOR)
    for own in (worker, other_role):
        response = post(admin, cast, Role.RHI_WORKER, own)
        assert response.status_code == 400
        assert "Someone cannot be their own line manager" in response.content.decode()
    assert line_manager_of(worker) is None


def test_an_ended_or_suspended_manager_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    ended = MembershipFactory(
        agency=cast.agencies[cast.members[Role.MISSING_COORDINATOR].agency.agency_type],
        role=Role.MISSING_COORDINATOR.value,
    )
    ended.ended_at = ended.created_at
    ended.save(update_fields=["ended_at"])
    suspended = cast.members[Role.SOCIAL_WORKER]
    suspended.user.is_active = False
    suspended.user.save(update_fields=["is_active"])
    admin = client_for(Role.AREA_ADMINISTRATOR)
    for manager in (ended, suspended):
        assert post(admin, cast, Role.RHI_WORKER, manager).status_code == 400
    assert line_manager_of(cast.members[Role.RHI_WORKER]) is None


def test_nonsense_input_is_refused_with_a_message(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    worker = cast.members[Role.RHI_WORKER]
    response = admin.post(
        f"/users/{worker.user_id}/line-manager/", {"membership": "", "line_manager": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the role" in page and "Choose a line manager from the list" in page


def test_a_role_of_someone_else_cannot_be_changed_through_this_user(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    practitioner = cast.members[Role.PRACTITIONER]
    response = client_for(Role.AREA_ADMINISTRATOR).post(
        f"/users/{cast.user(Role.RHI_WORKER).pk}/line-manager/",
        {"membership": practitioner.pk, "line_manager": cast.members[Role.SOCIAL_WORKER].pk},
    )
    assert response.status_code == 400
    assert "Choose one of their current roles" in response.content.decode()
    assert line_manager_of(practitioner) is None


def test_an_administrator_of_another_area_gets_not_found(cast: Cast) -> None:
    from django.test import Client

    from tests.conftest import sign_in
    from tests.factories import TOTPDeviceFactory

    other_admin = MembershipFactory(role=Role.AREA_ADMINISTRATOR.value)
    TOTPDeviceFactory(user=other_admin.user)
    response = post(sign_in(Client(), other_admin), cast, Role.RHI_WORKER, None)
    assert response.status_code == 404
    with pytest.raises(NotFoundError):
        set_line_manager(
            actor=Actor(user=other_admin.user, membership=other_admin),
            user=cast.user(Role.RHI_WORKER),
            membership_id=cast.members[Role.RHI_WORKER].pk,
            line_manager_id=None,
        )


def test_only_area_administrators_may_set_line_managers(cast: Cast) -> None:
    with pytest.raises(DomainError):
        set_line_manager(
            actor=Actor(
                user=cast.user(Role.MISSING_COORDINATOR),
                membership=cast.members[Role.MISSING_COORDINATOR],
            ),
            user=cast.user(Role.RHI_WORKER),
            membership_id=cast.members[Role.RHI_WORKER].pk,
            line_manager_id=cast.members[Role.MISSING_COORDINATOR].pk,
        )
    assert line_manager_of(cast.members[Role.RHI_WORKER]) is None
