"""Signing in: password, then a second factor, then the role to act in."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.test.utils import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.audit.models import AuditEvent
from tests.conftest import Cast, totp_code
from tests.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db


def post_password(client: Client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/sign-in/", {"email": email, "password": password}, **extra)


def test_password_then_code_signs_in_and_lands_on_home(cast: Cast, client: Client) -> None:
    user = cast.user(Role.SOCIAL_WORKER)
    response = post_password(client, user.email)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/code/")

    # Before the code, staff pages send the user back to the code page.
    assert client.get("/home/")["Location"].startswith("/sign-in/code/")

    device = TOTPDevice.objects.get(user=user)
    response = client.post("/sign-in/code/", {"code": totp_code(device), "next": "/home/"})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    home = client.get("/home/")
    assert home.status_code == 200
    assert "Social worker" in home.content.decode()


def test_email_is_matched_without_regard_to_case(cast: Cast, client: Client) -> None:
    user = cast.user(Role.PRACTITIONER)
    response = post_password(client, user.email.upper())
    assert response["Location"].startswith("/sign-in/code/")


def test_wrong_password_gets_a_clear_message_and_no_personal_data_in_logs(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    user = cast.user(Role.PRACTITIONER)
    with caplog.at_level(logging.DEBUG):
        response = post_password(client, user.email, "not the right password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert user.email not in caplog.text
    assert "Sign-in failed" in caplog.text
    assert AuditEvent.objects.filter(action="signin.failed").exists()


def test_empty_form_asks_for_each_field(client: Client, db: None) -> None:
    page = client.post("/sign-in/", {"email": "", "password": ""}).content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert 'href="#id_email"' in page


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_and_say_when_to_try_again(
    cast: Cast, client: Client
) -> None:
    user = cast.user(Role.PRACTITIONER)
    for _ in range(2):
        assert post_password(client, user.email, "wrong wrong wrong").status_code == 200
    locked = post_password(client, user.email, "wrong wrong wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "locked for 15 minutes" in page
    assert "Try again after" in page
    # Even the right password is refused while locked.
    assert post_password(client, user.email).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_from_one_address_lock_that_address_for_other_accounts(cast: Cast) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for role in (Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.POLICE_OFFICER):
        post_password(client, cast.user(role).email, "wrong wrong wrong")
    assert post_password(client, cast.user(Role.TRIAGE_OFFICER).email).status_code == 429
    # Another address can still sign in to an account that was not attacked.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post_password(other, cast.user(Role.TRIAGE_OFFICER).email).status_code == 302


def test_suspended_account_is_told_so_after_the_right_password(cast: Cast, client: Client) -> None:
    user = cast.user(Role.PRACTITIONER)
    User.objects.filter(pk=user.pk).update(is_active=False)
    page = post_password(client, user.email).content.decode()
    assert "Your account has been suspended" in page
    assert client.get("/home/").status_code == 302


def test_wrong_code_gets_a_specific_message(cast: Cast, client: Client) -> None:
    user = cast.user(Role.PRACTITIONER)
    post_password(client, user.email)
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    page = client.post("/sign-in/code/", {"code": wrong}).content.decode()
    assert "The code is not correct" in page
    assert "There is a problem" in page


def test_code_that_is_not_six_digits_is_refused_before_checking(cast: Cast, client: Client) -> None:
    post_password(client, cast.user(Role.PRACTITIONER).email)
    page = client.post("/sign-in/code/", {"code": "12ab"}).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page


def test_a_code_cannot_be_used_twice(cast: Cast) -> None:
    user = cast.user(Role.PRACTITIONER)
    device = TOTPDevice.objects.get(user=user)
    first = Client()
    post_password(first, user.email)
    code = totp_code(device)
    assert first.post("/sign-in/code/", {"code": code})["Location"] == "/home/"

    second = Client()
    post_password(second, user.email)
    page = second.post("/sign-in/code/", {"code": code}).content.decode()
    assert "This code has already been used" in page


@override_settings(OTP_TOTP_THROTTLE_FACTOR=600)
def test_many_wrong_codes_are_slowed_down(cast: Cast, client: Client) -> None:
    user = cast.user(Role.PRACTITIONER)
    post_password(client, user.email)
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    client.post("/sign-in/code/", {"code": wrong})
    page = client.post("/sign-in/code/", {"code": totp_code(device)}).content.decode()
    assert "too many wrong codes" in page


def test_user_without_an_authenticator_is_sent_to_set_one_up(area: object, client: Client) -> None:
    membership = MembershipFactory(agency__area=area)
    response = post_password(client, membership.user.email)
    assert response["Location"].startswith("/sign-in/set-up-authenticator/")


def test_user_with_several_roles_chooses_one_and_can_change_it(cast: Cast, client: Client) -> None:
    user = cast.user(Role.SOCIAL_WORKER)
    second = MembershipFactory(
        user=user, agency=cast.members[Role.TRIAGE_OFFICER].agency, role=Role.TRIAGE_OFFICER.value
    )
    post_password(client, user.email)
    device = TOTPDevice.objects.get(user=user)
    client.post("/sign-in/code/", {"code": totp_code(device), "next": "/home/"})
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/role/")

    page = client.get("/role/").content.decode()
    assert "Social worker" in page and "Triage officer" in page
    assert (
        client.post("/role/", {"membership": second.pk, "next": "/home/"})["Location"] == "/home/"
    )
    home = client.get("/home/").content.decode()
    assert 'Acting as <span class="app-acting-as__role">Triage officer</span>' in home
    assert "Change role" in home


def test_choosing_someone_elses_membership_is_refused(cast: Cast, client: Client) -> None:
    user = cast.user(Role.SOCIAL_WORKER)
    MembershipFactory(
        user=user, agency=cast.members[Role.SOCIAL_WORKER].agency, role=Role.TRIAGE_OFFICER.value
    )
    post_password(client, user.email)
    client.post("/sign-in/code/", {"code": totp_code(TOTPDevice.objects.get(user=user))})
    other = cast.members[Role.POLICE_OFFICER]
    page = client.post("/role/", {"membership": other.pk}).content.decode()
    assert "Select a valid choice" in page or "There is a problem" in page


def test_new_passwords_are_hashed_with_argon2(db: None) -> None:
    user = User.objects.create_user(
        "new.person@example.org", "a long enough passphrase", full_name="New Person"
    )
    assert identify_hasher(user.password).algorithm == "argon2"


def test_open_redirects_are_refused_after_sign_in(cast: Cast, client: Client) -> None:
    user = cast.user(Role.PRACTITIONER)
    client.post(
        "/sign-in/", {"email": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    response = client.post(
        "/sign-in/code/",
        {"code": totp_code(TOTPDevice.objects.get(user=user)), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/home/"


def test_recovery_code_signs_in_once(cast: Cast, client: Client) -> None:
    from clearsight.accounts.services import issue_recovery_codes

    user = cast.user(Role.PRACTITIONER)
    codes = issue_recovery_codes(user=user)
    post_password(client, user.email)
    response = client.post("/sign-in/recovery-code/", {"code": codes[0].upper()})
    assert response["Location"] == "/home/"
    assert "You have 9 left" in client.get("/home/").content.decode()

    again = Client()
    post_password(again, user.email)
    page = again.post("/sign-in/recovery-code/", {"code": codes[0]}).content.decode()
    assert "not correct or has already been used" in page


def test_totp_factory_devices_are_distinct_per_user(db: None) -> None:
    a, b = TOTPDeviceFactory(), TOTPDeviceFactory()
    assert a.key != b.key
