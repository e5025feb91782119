"""Session rules: idle timeout, sign out everywhere, suspension of a signed-in user."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.test.utils import override_settings

from clearsight.access.roles import Role
from clearsight.accounts import sessions
from clearsight.accounts.models import User
from clearsight.accounts.services import sign_out_everywhere
from tests.conftest import Cast, sign_in

pytestmark = pytest.mark.django_db


def _age_session(client: Client, seconds: float) -> None:
    session = client.session
    session[sessions.LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_idle_session_ends_with_a_message_saying_why(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 31 * 60)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    page = client.get("/sign-in/").content.decode()
    assert "inactive for 30 minutes" in page
    assert client.get("/home/")["Location"].startswith("/sign-in/")


def test_activity_within_the_timeout_keeps_the_session(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 29 * 60)
    assert client.get("/home/").status_code == 200
    assert client.get("/home/").status_code == 200


@override_settings(CLEARSIGHT_IDLE_TIMEOUT_MINUTES=5)
def test_idle_timeout_is_configurable(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 6 * 60)
    assert client.get("/home/")["Location"] == "/sign-in/"


def test_pages_carry_the_timeout_warning_settings(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.PRACTITIONER).get("/home/").content.decode()
    assert 'data-session-timeout="1800"' in page
    assert 'data-session-warning="120"' in page
    assert "You’re about to be signed out" in page


def test_keep_alive_resets_the_idle_clock(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 29 * 60)
    assert client.post("/session/keep-alive/").status_code == 204
    assert time.time() - client.session[sessions.LAST_ACTIVITY_KEY] < 5


def test_timed_out_page_after_real_idleness_signs_out_and_explains(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 31 * 60)
    assert client.get("/signed-out/")["Location"] == "/sign-in/"
    assert "inactive for 30 minutes" in client.get("/sign-in/").content.decode()
    assert client.get("/home/")["Location"].startswith("/sign-in/")
    assert "You have been signed out" in Client().get("/signed-out/").content.decode()


def test_sign_out_everywhere_ends_other_sessions(cast: Cast) -> None:
    membership = cast.members[Role.SOCIAL_WORKER]
    laptop = sign_in(Client(), membership)
    phone = sign_in(Client(), membership)
    response = phone.post("/sign-out/everywhere/")
    assert response["Location"] == "/sign-in/"
    assert laptop.get("/home/")["Location"] == "/sign-in/"
    assert "sign out of your account on every device" in laptop.get("/sign-in/").content.decode()


def test_service_sign_out_everywhere_raises_the_generation(cast: Cast) -> None:
    user = cast.user(Role.SOCIAL_WORKER)
    before = user.session_generation
    sign_out_everywhere(user=user)
    assert User.objects.get(pk=user.pk).session_generation == before + 1


def test_suspended_users_open_session_ends_with_a_message(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.POLICE_OFFICER)
    assert client.get("/home/").status_code == 200
    User.objects.filter(pk=cast.user(Role.POLICE_OFFICER).pk).update(is_active=False)
    response = client.get("/home/")
    assert response["Location"] == "/sign-in/"
    assert "Your account has been suspended" in client.get("/sign-in/").content.decode()


def test_sign_out_needs_a_post_and_returns_to_the_start(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response["Location"] == "/"
    assert "You have signed out" in client.get("/").content.decode()
    assert client.get("/home/")["Location"].startswith("/sign-in/")


def test_user_whose_roles_all_ended_sees_why(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    client = client_for(Role.PRACTITIONER)
    membership = cast.members[Role.PRACTITIONER]
    membership.ended_at = timezone.now()
    membership.save()
    response = client.get("/home/")
    assert response.status_code == 403
    assert "You have no active role" in response.content.decode()


def test_status_reports_time_left_without_counting_as_activity(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    _age_session(client, 20 * 60)
    left = client.get("/session/status/").json()["seconds_left"]
    assert 9 * 60 <= left <= 10 * 60
    assert client.get("/session/status/").json()["seconds_left"] <= left


def test_timed_out_page_does_not_end_a_session_active_in_another_tab(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PRACTITIONER)
    assert client.get("/signed-out/")["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
