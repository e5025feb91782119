"""First sign-in: set up an authenticator app by QR code, then save recovery codes."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.accounts.models import RecoveryCode
from tests.conftest import totp_code
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(area: object) -> Client:
    membership = MembershipFactory(agency__area=area)
    client = Client()
    client.post("/sign-in/", {"email": membership.user.email, "password": PASSWORD})
    client.user = membership.user  # type: ignore[attr-defined]
    return client


def test_set_up_page_shows_a_qr_code_and_the_key(newcomer: Client) -> None:
    page = newcomer.get("/sign-in/set-up-authenticator/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=newcomer.user, confirmed=False)  # type: ignore[attr-defined]
    # Reloading keeps the same secret, so a half-finished set-up still works.
    newcomer.get("/sign-in/set-up-authenticator/")
    assert TOTPDevice.objects.filter(user=newcomer.user).count() == 1  # type: ignore[attr-defined]
    assert device.confirmed is False


def test_confirming_the_code_shows_recovery_codes_once(newcomer: Client) -> None:
    newcomer.get("/sign-in/set-up-authenticator/")
    device = TOTPDevice.objects.get(user=newcomer.user)  # type: ignore[attr-defined]
    response = newcomer.post(
        "/sign-in/set-up-authenticator/", {"code": totp_code(device), "next": "/home/"}
    )
    assert response["Location"].startswith("/account/recovery-codes/")
    page = newcomer.get(response["Location"]).content.decode()
    assert "Save your recovery codes" in page
    assert page.count("<li>") >= 10
    assert RecoveryCode.objects.filter(device__user=newcomer.user).count() == 10  # type: ignore[attr-defined]
    # Shown once: the plain codes are not kept anywhere.
    assert newcomer.get("/account/recovery-codes/")["Location"] == "/account/"
    assert newcomer.get("/home/").status_code == 200


def test_wrong_code_during_set_up_explains_what_to_check(newcomer: Client) -> None:
    newcomer.get("/sign-in/set-up-authenticator/")
    device = TOTPDevice.objects.get(user=newcomer.user)  # type: ignore[attr-defined]
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    page = newcomer.post("/sign-in/set-up-authenticator/", {"code": wrong}).content.decode()
    assert "The code is not correct" in page
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False


def test_someone_with_an_authenticator_cannot_replace_it_before_verifying(newcomer: Client) -> None:
    newcomer.get("/sign-in/set-up-authenticator/")
    device = TOTPDevice.objects.get(user=newcomer.user)  # type: ignore[attr-defined]
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    other = Client()
    other.post("/sign-in/", {"email": newcomer.user.email, "password": PASSWORD})  # type: ignore[attr-defined]
    assert other.get("/sign-in/set-up-authenticator/")["Location"] == "/sign-in/code/"
