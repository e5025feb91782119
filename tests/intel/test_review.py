"""Reviewing proposed links, one or several together with one reason: each decision
audited, all or nothing, errors shown in a GOV.UK error summary, analysts only."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.intel import services
from clearsight.intel.models import Link, ReviewStatus
from tests.conftest import Cast
from tests.factories import LinkFactory, PhoneNumberFactory
from tests.intel.conftest import actor_for

pytestmark = pytest.mark.django_db


def proposed(cast: Cast, count: int) -> list[Link]:
    return [
        LinkFactory(
            phone=PhoneNumberFactory(area=cast.area),
            review_status=ReviewStatus.PROPOSED,
            proposed_from="phone_data",
            proposed_ref=f"phone_import:{n}",
        )
        for n in range(count)
    ]


def statuses(links: list[Link]) -> list[str]:
    return [Link.objects.get(pk=link.pk).review_status for link in links]


def test_an_analyst_accepts_several_links_with_one_reason_each_audited(cast: Cast) -> None:
    links = proposed(cast, 3)
    reviewed = services.review_links(
        actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
        link_ids=[links[0].pk, links[2].pk],
        accept=True,
        reason="Corroborated by the handset download",
    )
    assert [link.pk for link in reviewed] == [links[0].pk, links[2].pk]
    assert statuses(links) == ["accepted", "proposed", "accepted"]
    accepted = Link.objects.get(pk=links[0].pk)
    assert accepted.reviewed_by == cast.user(Role.INTELLIGENCE_ANALYST)
    assert accepted.note.endswith("Corroborated by the handset download")
    events = AuditEvent.objects.filter(action="intel.link.reviewed").order_by("object_id")
    assert sorted(e.object_id for e in events) == sorted([str(links[0].pk), str(links[2].pk)])
    assert {e.reason for e in events} == {"Corroborated by the handset download"}
    assert all(e.details == {"accepted": True, "reviewed_together": 2} for e in events)


def test_rejecting_together_rejects_every_selected_link(cast: Cast) -> None:
    links = proposed(cast, 2)
    services.review_links(
        actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
        link_ids=[link.pk for link in links],
        accept=False,
        reason="Numbers belong to a taxi firm",
    )
    assert statuses(links) == ["rejected", "rejected"]


def test_nothing_changes_if_one_selected_link_was_already_reviewed(cast: Cast) -> None:
    links = proposed(cast, 3)
    Link.objects.filter(pk=links[1].pk).update(review_status=ReviewStatus.REJECTED)
    with pytest.raises(InvalidInput) as error:
        services.review_links(
            actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
            link_ids=[link.pk for link in links],
            accept=True,
            reason="Seen together",
        )
    assert "Nothing has been changed" in error.value.errors["links"]
    assert statuses(links) == ["proposed", "rejected", "proposed"]
    assert not AuditEvent.objects.filter(action="intel.link.reviewed").exists()


def test_another_areas_link_cannot_be_reviewed(cast: Cast) -> None:
    theirs = LinkFactory(review_status=ReviewStatus.PROPOSED)
    mine = proposed(cast, 1)
    with pytest.raises(InvalidInput):
        services.review_links(
            actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
            link_ids=[theirs.pk, mine[0].pk],
            accept=True,
            reason="x",
        )
    assert statuses([theirs, *mine]) == ["proposed", "proposed"]


def test_no_links_ticked_and_no_reason_are_both_errors(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as error:
        services.review_links(
            actor=actor_for(cast, Role.INTELLIGENCE_ANALYST), link_ids=[], accept=True, reason=" "
        )
    assert error.value.errors == {
        "links": "Select at least one proposed link",
        "reason": "Enter the reason for your decision",
    }


@pytest.mark.parametrize("role", [r for r in Role if r != Role.INTELLIGENCE_ANALYST])
def test_only_an_intelligence_analyst_reviews_links(cast: Cast, role: Role) -> None:
    links = proposed(cast, 1)
    with pytest.raises(PermissionDeniedError):
        services.review_links(
            actor=actor_for(cast, role), link_ids=[links[0].pk], accept=True, reason="x"
        )
    assert statuses(links) == ["proposed"]


def test_the_page_reviews_the_ticked_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    links = proposed(cast, 3)
    client = client_for(Role.INTELLIGENCE_ANALYST)
    page = client.get("/intel/review/").content.decode()
    assert page.count('name="links"') == 3
    response = client.post(
        "/intel/review/",
        {"links": [links[0].pk, links[1].pk], "decision": "reject", "reason": "Old data"},
    )
    assert response.status_code == 302
    assert statuses(links) == ["rejected", "rejected", "proposed"]
    assert "2 links rejected" in client.get("/intel/review/").content.decode()


def test_the_page_shows_an_error_summary_when_nothing_is_ticked_or_no_reason(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    links = proposed(cast, 2)
    client = client_for(Role.INTELLIGENCE_ANALYST)
    response = client.post("/intel/review/", {"decision": "accept", "reason": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert '<a href="#links">Select at least one proposed link</a>' in text
    assert "Enter the reason for your decision" in text
    kept = client.post("/intel/review/", {"links": [links[1].pk], "decision": "accept"})
    assert kept.status_code == 400
    assert f'value="{links[1].pk}" checked' in kept.content.decode()
    assert statuses(links) == ["proposed", "proposed"]


@pytest.mark.parametrize("role", list(Role))
def test_the_review_page_by_role(cast: Cast, client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    links = proposed(cast, 1)
    client = client_for(role)
    allowed = role == Role.INTELLIGENCE_ANALYST
    assert client.get("/intel/review/").status_code == (200 if allowed else 403)
    response = client.post(
        "/intel/review/", {"links": [links[0].pk], "decision": "accept", "reason": "Seen"}
    )
    assert response.status_code == (302 if allowed else 403)
    assert statuses(links) == ["accepted" if allowed else "proposed"]
