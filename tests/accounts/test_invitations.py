"""The invitation lifecycle: invite, email, accept, set up MFA; and every bad link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.accounts.models import Invitation, User
from clearsight.areas.models import Membership
from tests.conftest import Cast
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def invite(
    admin: Client, cast: Cast, email: str = "new.worker@testshire.example.org", **extra: str
):  # type: ignore[no-untyped-def]
    agency = cast.members[Role.SOCIAL_WORKER].agency
    data = {
        "full_name": "Nadia Bell",
        "email": email,
        "agency": agency.pk,
        "role": Role.RHI_WORKER.value,
    }
    data.update(extra)
    return admin.post("/users/invite/", data)


def link_from_email() -> str:
    match = re.search(r"http://\S+/invitations/accept/\?token=(\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return f"/invitations/accept/?token={match.group(1)}"


def test_admin_invites_and_the_person_sets_up_their_account(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin, cast)
    assert response["Location"] == "/users/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.worker@testshire.example.org"]
    assert "Return home interview worker" in mail.outbox[0].body
    assert "Nadia Bell" in admin.get("/users/").content.decode()

    newcomer = Client()
    url = link_from_email()
    page = newcomer.get(url).content.decode()
    assert "Set up your Clearsight account" in page
    response = newcomer.post(
        url,
        {
            "password": "lantern orchard violet",
            "password_again": "lantern orchard violet",
            "token": url.split("=", 1)[1],
        },
    )
    assert response["Location"] == "/sign-in/set-up-authenticator/"
    user = User.objects.get(email="new.worker@testshire.example.org")
    assert Membership.objects.get(user=user).role == Role.RHI_WORKER.value
    assert newcomer.get("/home/")["Location"].startswith("/sign-in/set-up-authenticator/")


def test_the_link_works_only_once(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(Role.AREA_ADMINISTRATOR), cast)
    url = link_from_email()
    token = url.split("=", 1)[1]
    Client().post(
        url,
        {
            "password": "lantern orchard violet",
            "password_again": "lantern orchard violet",
            "token": token,
        },
    )
    response = Client().get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_expired_invitation_says_to_ask_for_a_new_one(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(Role.AREA_ADMINISTRATOR), cast)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(link_from_email())
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_unknown_token_is_refused_clearly(db: None) -> None:
    response = Client().get("/invitations/accept/?token=made-up")
    assert response.status_code == 410
    assert "This invitation link is not valid" in response.content.decode()


def test_withdrawn_invitation_cannot_be_used(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, cast)
    invitation = Invitation.objects.get()
    admin.post(f"/invitations/{invitation.pk}/withdraw/")
    assert "has been withdrawn" in Client().get(link_from_email()).content.decode()


def test_resending_replaces_the_old_link(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, cast)
    old = link_from_email()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/invitations/{Invitation.objects.get().pk}/resend/")
    new = link_from_email()
    assert old != new
    assert Client().get(old).status_code == 410
    assert Client().get(new).status_code == 200


def test_duplicate_email_of_an_existing_account_is_refused(client_for, cast: Cast) -> None:
    existing = cast.user(Role.POLICE_OFFICER).email.upper()
    response = invite(client_for(Role.AREA_ADMINISTRATOR), cast, email=existing)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is already an account with this email address" in page
    assert 'href="#id_email"' in page


def test_second_invitation_to_the_same_email_is_refused(client_for, cast: Cast) -> None:
    admin = client_for(Role.AREA_ADMINISTRATOR)
    invite(admin, cast)
    page = invite(admin, cast).content.decode()
    assert "already has an invitation waiting" in page
    assert Invitation.objects.count() == 1


def test_weak_password_is_refused_with_reasons(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(Role.AREA_ADMINISTRATOR), cast)
    url = link_from_email()
    token = url.split("=", 1)[1]
    short = (
        Client()
        .post(url, {"password": "short", "password_again": "short", "token": token})
        .content.decode()
    )
    assert "at least 12 characters" in short
    common = (
        Client()
        .post(url, {"password": "password1234", "password_again": "password1234", "token": token})
        .content.decode()
    )
    assert "too common" in common
    mismatch = (
        Client()
        .post(
            url,
            {
                "password": "lantern orchard violet",
                "password_again": "lantern orchard",
                "token": token,
            },
        )
        .content.decode()
    )
    assert "The passwords do not match" in mismatch
    assert not User.objects.filter(email="new.worker@testshire.example.org").exists()


def test_no_composition_rules_for_long_passphrases(
    client_for, cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(Role.AREA_ADMINISTRATOR), cast)
    url = link_from_email()
    token = url.split("=", 1)[1]
    response = Client().post(
        url,
        {
            "password": "all lower case words",
            "password_again": "all lower case words",
            "token": token,
        },
    )
    assert response.status_code == 302


def test_cannot_invite_into_an_agency_of_another_area(client_for, cast: Cast) -> None:
    elsewhere = AgencyFactory()
    page = invite(
        client_for(Role.AREA_ADMINISTRATOR), cast, agency=str(elsewhere.pk)
    ).content.decode()
    assert "Choose an agency from the list" in page
    assert not Invitation.objects.exists()


def test_invitation_form_errors_are_listed_in_the_error_summary(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.AREA_ADMINISTRATOR).post("/users/invite/", {}).content.decode()
    assert "There is a problem" in page
    for message in (
        "Enter the person&#x27;s full name",
        "Enter the person&#x27;s work email address",
        "Choose the agency",
        "Choose the role",
    ):
        assert message in page


def test_a_mail_server_failure_keeps_the_invitation_and_is_audited(
    client_for, cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:  # type: ignore[no-untyped-def]
    from clearsight.audit.models import AuditEvent

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens here: the connection is refused
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(Role.AREA_ADMINISTRATOR), cast)
    assert response.status_code == 302
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitation.email_failed").exists()
