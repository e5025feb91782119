"""Spot the signs: public pages from the national published library, with no sign-in."""

from __future__ import annotations

import pytest
from django.test import Client

from clearsight.risk.models import LibraryVersion

pytestmark = pytest.mark.django_db


def test_the_signs_page_needs_no_sign_in_and_lists_every_group(
    national_library: LibraryVersion,
) -> None:
    response = Client().get("/signs/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "If a child is in immediate danger, call 999." in text
    assert 'href="/signs/missing-and-location/"' in text
    assert text.count('href="/signs/') == 10
    assert "govuk-service-navigation__list" not in text


def test_a_group_page_lists_its_signs_in_plain_words(national_library: LibraryVersion) -> None:
    text = Client().get("/signs/money-and-possessions/").content.decode()
    assert "Unexplained money" in text and "New clothes, trainers or goods" in text
    assert "call 999" in text
    # The professional "what to do" is for staff only.
    assert "What to do:" not in text


def test_an_unknown_group_is_not_found(national_library: LibraryVersion) -> None:
    assert Client().get("/signs/secret-stuff/").status_code == 404
