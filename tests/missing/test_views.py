"""The missing board, reporting a child missing and recording the return, in the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.roles import Capability, Role, role_can
from clearsight.missing.models import MissingEpisode
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(cast: Cast):  # type: ignore[no-untyped-def]
    person = PersonFactory(area=cast.area, given_names="Kai", family_name="Morgan")
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


def when(hours_ago: float) -> dict[str, str]:
    moment = timezone.localtime(timezone.now() - timedelta(hours=hours_ago))
    return {
        "day": str(moment.day),
        "month": str(moment.month),
        "year": str(moment.year),
        "time": moment.strftime("%H:%M"),
    }


def report_data(hours_ago: float = 5, **extra: str) -> dict[str, str]:
    t = when(hours_ago)
    data = {
        "kind": "M",
        "last_seen_day": t["day"],
        "last_seen_month": t["month"],
        "last_seen_year": t["year"],
        "time": t["time"],
        "last_seen_place": "Bus station",
        "risk_grading": "high",
    }
    data.update(extra)
    return data


def test_report_then_board_then_return_creates_the_rhi(child, client_for) -> None:  # type: ignore[no-untyped-def]
    police = client_for(Role.POLICE_OFFICER)
    assert "Report missing" in police.get(f"/people/{child.pk}/").content.decode()
    response = police.post(f"/missing/report/{child.pk}/", report_data())
    episode = MissingEpisode.objects.get()
    assert response["Location"] == f"/missing/{episode.pk}/"
    board = client_for(Role.TRIAGE_OFFICER).get("/missing/").content.decode()
    assert "Kai Morgan" in board and "High" in board
    t = when(0.5)
    done = client_for(Role.SOCIAL_WORKER).post(
        f"/missing/{episode.pk}/",
        {
            "version": "1",
            "returned_day": t["day"],
            "returned_month": t["month"],
            "returned_year": t["year"],
            "time": t["time"],
            "found_place": "Home",
        },
    )
    assert done["Location"] == f"/missing/{episode.pk}/"
    page = client_for(Role.SOCIAL_WORKER).get(f"/missing/{episode.pk}/").content.decode()
    assert "To offer, due by" in page
    assert "Kai Morgan" not in client_for(Role.TRIAGE_OFFICER).get("/missing/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"last_seen_day": "", "last_seen_month": "", "last_seen_year": ""},
            "Enter the date last seen",
        ),
        ({"time": "25:00"}, "24-hour form"),
        ({"last_seen_year": "2099"}, "now or in the past"),
        ({"risk_grading": "extreme"}, "Select a valid choice"),
    ],
)
def test_bad_reports_are_explained_and_nothing_is_saved(
    child, client_for, changes: dict, message: str
) -> None:  # type: ignore[no-untyped-def, type-arg]
    response = client_for(Role.POLICE_OFFICER).post(
        f"/missing/report/{child.pk}/", report_data() | changes
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not MissingEpisode.objects.exists()


def test_a_stale_return_form_does_not_overwrite(child, client_for) -> None:  # type: ignore[no-untyped-def]
    police = client_for(Role.POLICE_OFFICER)
    police.post(f"/missing/report/{child.pk}/", report_data())
    episode = MissingEpisode.objects.get()
    t = when(1)
    form = {
        "version": "1",
        "returned_day": t["day"],
        "returned_month": t["month"],
        "returned_year": t["year"],
        "time": t["time"],
    }
    assert police.post(f"/missing/{episode.pk}/", form).status_code == 302
    second = client_for(Role.SOCIAL_WORKER).post(f"/missing/{episode.pk}/", form)
    assert second.status_code == 400
    assert "Someone else changed this episode" in second.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_board_and_report_access_by_role(role: Role, child, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert client.get("/missing/").status_code == (
        200 if role_can(role, Capability.VIEW_CHILDREN) else 403
    )
    response = client.post(f"/missing/report/{child.pk}/", report_data())
    if not role_can(role, Capability.RECORD_MISSING_EPISODES):
        assert response.status_code == 403
    elif role in (Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR) or role_can(
        role, Capability.VIEW_INTELLIGENCE
    ):
        # On the team, or police and the missing coordinator for the whole area.
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert MissingEpisode.objects.count() <= 1


def test_the_rhi_is_offered_and_accepted_from_the_episode_page(
    child, cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    police = client_for(Role.POLICE_OFFICER)
    police.post(f"/missing/report/{child.pk}/", report_data())
    episode = MissingEpisode.objects.get()
    t = when(1)
    police.post(
        f"/missing/{episode.pk}/",
        {
            "version": "1",
            "returned_day": t["day"],
            "returned_month": t["month"],
            "returned_year": t["year"],
            "time": t["time"],
        },
    )
    rhi = episode.return_interview
    social = client_for(Role.SOCIAL_WORKER)
    assert "Offer the interview" in social.get(f"/missing/{episode.pk}/").content.decode()
    social.post(f"/missing/interviews/{rhi.pk}/", {"version": "1", "target": "completed"})
    assert (
        "once the child has accepted it" in social.get(f"/missing/{episode.pk}/").content.decode()
    )
    social.post(
        f"/missing/interviews/{rhi.pk}/",
        {"version": "1", "target": "offered", "worker": cast.members[Role.RHI_WORKER].pk},
    )
    worker = client_for(Role.RHI_WORKER)
    listing = worker.get("/missing/interviews/").content.decode()
    assert "Kai Morgan" in listing and "Offered" in listing
    worker.post(f"/missing/interviews/{rhi.pk}/", {"version": "2", "target": "accepted"})
    page = worker.get(f"/missing/{episode.pk}/").content.decode()
    assert f'href="/missing/interviews/{rhi.pk}/record/"' in page
    # The social worker cannot record it: only the worker it was offered to.
    assert (
        f"/missing/interviews/{rhi.pk}/record/"
        not in social.get(f"/missing/{episode.pk}/").content.decode()
    )
    worker.post(f"/missing/interviews/{rhi.pk}/", {"version": "3", "target": "not_completed"})
    assert "Enter the reason" in worker.get(f"/missing/{episode.pk}/").content.decode()
    rhi.refresh_from_db()
    assert rhi.state == "accepted"


@pytest.mark.parametrize(
    "role", [Role.AREA_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER, Role.HELPLINE_WORKER]
)
def test_roles_without_access_to_children_cannot_list_or_move_interviews(
    role: Role, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert client.get("/missing/interviews/").status_code == 403
    assert client.post("/missing/interviews/1/", {"target": "offered"}).status_code == 403


def test_the_board_says_when_no_child_it_may_show_is_missing(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.MISSING_COORDINATOR).get("/missing/").content.decode()
    assert "No child you may see is missing now." in page


def test_the_board_costs_a_flat_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import MissingEpisodeFactory

    client = client_for(Role.MISSING_COORDINATOR)
    # The session, user, second factor and role (4), the episodes with their children and
    # reporters, the audit event, the unread count.
    with django_assert_max_num_queries(7):
        assert client.get("/missing/").status_code == 200
    for child in PersonFactory.create_batch(6, area=cast.area):
        MissingEpisodeFactory(person=child, ended_at=None)
    with django_assert_max_num_queries(7):
        page = client.get("/missing/")
    assert len(page.context["episodes"]) == 6
