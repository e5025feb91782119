"""The helpline contact log and its consent rules."""

from __future__ import annotations

from typing import Any

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability, Role, role_can
from clearsight.concerns import helpline_services
from clearsight.concerns.models import Concern, ConcernSource, HelplineContact
from clearsight.concerns.selectors import concern_figures
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from tests.conftest import Cast
from tests.factories import AreaFactory, HelplineContactFactory

pytestmark = pytest.mark.django_db


def contact(**changes: Any) -> helpline_services.NewHelplineContact:
    values: dict[str, Any] = {
        "channel": "chat",
        "caller_type": "child",
        "what_was_said": "Older boys make me carry things to another town",
        "risk_seen": "serious",
        "area_code": "testshire",
        "has_consent_to_share": False,
        "is_anonymous": True,
        "topics": ("drugs", "older_people"),
        "advice_given": "Talked about telling a trusted adult",
        **changes,
    }
    return helpline_services.NewHelplineContact(**values)


@pytest.fixture
def worker(cast: Cast) -> Actor:
    membership = cast.members[Role.HELPLINE_WORKER]
    return Actor(user=membership.user, membership=membership)


def test_without_consent_nothing_reaches_triage_but_it_counts_in_figures(
    cast: Cast, worker: Actor
) -> None:
    logged = helpline_services.log_helpline_contact(
        actor=worker, data=contact(), submission_key="h-1"
    )
    assert logged.concern is None and not Concern.objects.exists()
    triage = Actor(
        user=cast.user(Role.TRIAGE_OFFICER), membership=cast.members[Role.TRIAGE_OFFICER]
    )
    figures = concern_figures(actor=triage, days=30)
    assert figures.helpline_total == 1 and figures.helpline_shared == 0
    assert ("Child or young person", 1) in figures.helpline_by_caller


def test_with_consent_it_becomes_a_concern_in_the_childs_area(cast: Cast, worker: Actor) -> None:
    other = AreaFactory(code="otherton", name="Otherton Partnership")
    logged = helpline_services.log_helpline_contact(
        actor=worker,
        data=contact(has_consent_to_share=True, area_code="otherton", risk_seen="danger_now"),
        submission_key="h-2",
    )
    assert logged.concern is not None
    concern = logged.concern
    assert concern.area == other and concern.source == ConcernSource.HELPLINE
    assert concern.is_child_in_danger_now
    assert concern.raised_by == worker.user
    assert concern.what_seen == "Older boys make me carry things to another town"


def test_the_same_form_sent_twice_logs_one_contact(worker: Actor) -> None:
    data = contact(has_consent_to_share=True)
    first = helpline_services.log_helpline_contact(actor=worker, data=data, submission_key="h-3")
    second = helpline_services.log_helpline_contact(actor=worker, data=data, submission_key="h-3")
    assert first.pk == second.pk
    assert HelplineContact.objects.count() == 1 and Concern.objects.count() == 1


def test_an_anonymous_caller_has_no_name(worker: Actor) -> None:
    with pytest.raises(InvalidInput) as error:
        helpline_services.log_helpline_contact(
            actor=worker, data=contact(caller_name="Sam"), submission_key="h-4"
        )
    assert "caller_name" in error.value.errors


def test_bad_input_is_refused_field_by_field(worker: Actor) -> None:
    with pytest.raises(InvalidInput) as error:
        helpline_services.log_helpline_contact(
            actor=worker,
            data=contact(
                channel="fax", caller_type="", what_was_said="x" * 6000, area_code="nowhere"
            ),
            submission_key="h-5",
        )
    assert set(error.value.errors) >= {"channel", "caller_type", "what_was_said", "area_code"}
    assert not HelplineContact.objects.exists()


def test_only_helpline_workers_log_contacts(cast: Cast) -> None:
    practitioner = Actor(
        user=cast.user(Role.PRACTITIONER), membership=cast.members[Role.PRACTITIONER]
    )
    with pytest.raises(PermissionDeniedError):
        helpline_services.log_helpline_contact(
            actor=practitioner, data=contact(), submission_key="h-6"
        )


@pytest.mark.parametrize("role", list(Role))
def test_contact_page_by_role(role: Role, cast: Cast, client_for: Any) -> None:
    logged = HelplineContactFactory(membership=cast.members[Role.HELPLINE_WORKER])
    response = client_for(role).get(f"/helpline/{logged.pk}/")
    allowed = role_can(role, Capability.LOG_HELPLINE_CONTACTS)
    assert response.status_code == (200 if allowed else 403)


def test_another_helplines_contacts_are_not_found(cast: Cast, client_for: Any) -> None:
    elsewhere = HelplineContactFactory()
    assert client_for(Role.HELPLINE_WORKER).get(f"/helpline/{elsewhere.pk}/").status_code == 404


def test_logging_a_contact_through_the_page(cast: Cast, client_for: Any) -> None:
    client = client_for(Role.HELPLINE_WORKER)
    page = client.get("/helpline/new/").content.decode()
    assert 'name="submission_key"' in page
    response = client.post(
        "/helpline/new/",
        {
            "channel": "call",
            "caller_type": "parent_carer",
            "caller_name": "<b>Mum</b>",
            "topics": ["missing"],
            "what_was_said": "Son missing overnight twice this week",
            "area_code": "testshire",
            "risk_seen": "serious",
            "consent": "yes",
            "submission_key": "page-1",
        },
    )
    assert response.status_code == 302
    logged = HelplineContact.objects.get()
    assert logged.concern is not None
    detail = client.get(response["Location"]).content.decode()
    assert logged.concern.reference in detail and "&lt;b&gt;Mum" in detail
    empty = client.post("/helpline/new/", {"submission_key": "page-2"}).content.decode()
    assert "There is a problem" in empty and "Choose whether it was a call or a chat" in empty
