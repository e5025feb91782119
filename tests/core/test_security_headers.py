"""Every URL pattern, signed in and signed out, carries the security headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from clearsight.access.roles import Role
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def all_paths(cast: Cast) -> list[str]:
    """Every route in the URL conf, with sample ids filled in."""
    ids = {
        "pk": str(cast.user(Role.PRACTITIONER).pk),
        "membership_pk": str(cast.members[Role.PRACTITIONER].pk),
    }
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                paths.append(
                    "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "1"), route)
                )

    walk(get_resolver().url_patterns, "")
    return paths


def assert_secure_headers(response, path: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, path
    csp = response.get("Content-Security-Policy", "")
    directives = dict(([*d.strip().split(" ", 1), ""])[:2] for d in csp.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", path
    assert "unsafe-eval" not in csp, path
    # Only the API docs page (Swagger UI sets inline styles) may relax style-src.
    if not path.endswith("/api/docs/"):
        assert "unsafe-inline" not in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert response["X-Frame-Options"] == "DENY", path
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["Cache-Control"] == "no-store", path
    assert "max-age=31536000" in response["Strict-Transport-Security"], path


def test_the_walk_covers_every_route(cast: Cast) -> None:
    paths = all_paths(cast)
    assert "/users/invite/" in paths and "/readyz" in paths
    assert len(paths) >= 25


@pytest.mark.parametrize(
    "role", [None, Role.PRACTITIONER, Role.AREA_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
)
def test_every_page_has_security_headers(role: Role | None, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for path in all_paths(cast):
        for method in ("get", "post"):
            # A fresh session per request: signing out must not hide the pages after it.
            client = client_for(role) if role else Client()
            response = getattr(client, method)(path, secure=True)
            assert_secure_headers(response, f"{method.upper()} {path}")


def test_cookies_are_secure_http_only_and_host_prefixed(cast: Cast) -> None:
    client = Client()
    client.post(
        "/sign-in/",
        {"email": cast.user(Role.PRACTITIONER).email, "password": "correct horse battery staple"},
        secure=True,
    )
    session = client.cookies["__Host-clearsight_session"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_responses_cut_short_by_the_session_guard_still_carry_the_headers(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    from clearsight.accounts.models import User

    client = client_for(Role.PRACTITIONER)
    User.objects.filter(pk=cast.user(Role.PRACTITIONER).pk).update(is_active=False)
    response = client.get("/home/", secure=True)
    assert response.status_code == 302
    assert_secure_headers(response, "GET /home/ after suspension")
