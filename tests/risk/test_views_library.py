"""The area's indicator library pages: list, draft, change, publish, read-only after."""

from __future__ import annotations

import pytest
from django.test import Client

from clearsight.access.roles import Role
from clearsight.risk.models import Indicator, LibraryVersion
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

INDICATOR = {
    "title": "Goes missing again and again",
    "weight": "9",
    "looks_like": "Missing from home or care more than once.",
    "what_to_do": "Report each time to the police.",
}


def draft_for(client: Client) -> LibraryVersion:
    client.post("/risk/library/new-draft/")
    return LibraryVersion.objects.get(status="draft")


@pytest.mark.parametrize("role", list(Role))
def test_library_pages_access(
    role: Role, cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    """The MACE coordinator and managers (anyone who line manages someone)."""
    client = client_for(role)
    allowed = role == Role.MACE_COORDINATOR
    assert client.get("/risk/library/").status_code == (200 if allowed else 403)
    assert client.post("/risk/library/new-draft/").status_code == 302 if allowed else 403
    assert LibraryVersion.objects.filter(area=cast.area).exists() == allowed
    version = LibraryVersion.objects.filter(area=cast.area).first() or national_library
    indicator = version.indicators.get(code="MIS-01")
    expected = 200 if allowed else 403
    assert client.get(f"/risk/library/{version.pk}/").status_code == expected
    assert client.get(f"/risk/library/indicators/{indicator.pk}/").status_code == expected
    assert client.post(f"/risk/library/{version.pk}/publish/").status_code == (
        302 if allowed else 403
    )
    assert LibraryVersion.objects.filter(area=cast.area, status="published").exists() == allowed


def test_a_line_manager_may_use_the_library_pages(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    report = cast.members[Role.PRACTITIONER]
    report.line_manager = cast.members[Role.DESIGNATED_SAFEGUARDING_LEAD]
    report.save()
    assert client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).get("/risk/library/").status_code == 200
    assert client_for(Role.PRACTITIONER).get("/risk/library/").status_code == 403


def test_copy_change_and_publish_then_the_version_is_read_only(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MACE_COORDINATOR)
    draft = draft_for(client)
    assert draft.number == 2 and draft.based_on == national_library
    indicator = draft.indicators.get(code="MIS-01")
    saved = client.post(f"/risk/library/indicators/{indicator.pk}/", INDICATOR)
    assert saved["Location"] == f"/risk/library/{draft.pk}/"
    settings = {
        "low_threshold": "2",
        "medium_threshold": "10",
        "high_threshold": "20",
        "half_life_days": "90",
        "lookback_days": "365",
    }
    assert client.post(f"/risk/library/{draft.pk}/", settings).status_code == 302
    draft.refresh_from_db()
    assert (draft.medium_threshold, draft.half_life_days) == (10, 90)
    client.post(f"/risk/library/{draft.pk}/publish/")
    page = client.get("/risk/library/").content.decode()
    assert "Testshire Safeguarding Partnership indicator library version 2" in page

    # Editing the published version in place: a clear message and nothing changes.
    refused = client.post(f"/risk/library/indicators/{indicator.pk}/", INDICATOR | {"weight": "1"})
    assert refused.status_code == 400
    assert "is published and cannot be changed" in refused.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).weight == 9
    refused = client.post(f"/risk/library/{draft.pk}/", settings | {"high_threshold": "30"})
    assert refused.status_code == 400
    assert "is published and cannot be changed" in refused.content.decode()
    read_only = client.get(f"/risk/library/{draft.pk}/").content.decode()
    assert 'data-testid="library-read-only"' in read_only and "Save the scores" not in read_only
    again = client.post(f"/risk/library/{draft.pk}/publish/", follow=True).content.decode()
    assert "is published and cannot be changed" in again


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": " "}, "Enter a title of 200 characters or fewer"),
        ({"weight": "11"}, "Enter a weight from 1 (weak on its own) to 10 (strong on its own)"),
        ({"weight": "heavy"}, "Enter a weight from 1 (weak on its own) to 10"),
        ({"looks_like": ""}, "Enter this text"),
    ],
)
def test_bad_indicator_changes_are_refused_with_a_message(
    data: dict[str, str], message: str, cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MACE_COORDINATOR)
    indicator = draft_for(client).indicators.get(code="MIS-01")
    response = client.post(f"/risk/library/indicators/{indicator.pk}/", INDICATOR | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).title == "Goes missing repeatedly"


def test_thresholds_out_of_order_are_refused(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MACE_COORDINATOR)
    draft = draft_for(client)
    response = client.post(
        f"/risk/library/{draft.pk}/",
        {
            "low_threshold": "5",
            "medium_threshold": "4",
            "high_threshold": "x",
            "half_life_days": "0",
            "lookback_days": "365",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Enter the score for high as a number" in text
    assert "Enter the half-life as a whole number of days" in text
    draft.refresh_from_db()
    assert draft.medium_threshold == 12


def test_a_second_draft_is_refused_with_a_message(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MACE_COORDINATOR)
    draft_for(client)
    page = client.post("/risk/library/new-draft/", follow=True).content.decode()
    assert "already has a draft (version 2)" in page
    assert LibraryVersion.objects.filter(status="draft").count() == 1
