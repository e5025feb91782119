"""MACE meeting pages by role, and the agenda clash message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.roles import Capability, Role, role_can
from clearsight.cases.models import AgendaItem, MaceMeeting, MeetingMember
from tests.conftest import Cast
from tests.factories import AgendaItemFactory, MaceMeetingFactory, MeetingMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(cast: Cast):  # type: ignore[no-untyped-def]
    meeting = MaceMeetingFactory(area=cast.area, created_by=cast.user(Role.MACE_COORDINATOR))
    MeetingMemberFactory(meeting=meeting, membership=cast.members[Role.MACE_COORDINATOR])
    MeetingMemberFactory(meeting=meeting, membership=cast.members[Role.POLICE_OFFICER])
    item = AgendaItemFactory(meeting=meeting, person__family_name="Agendachild")
    return meeting, item


@pytest.mark.parametrize("role", list(Role))
def test_meeting_pages_by_role(role: Role, meeting, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting
    response = client_for(role).get(f"/mace/{meeting.pk}/")
    if not role_can(role, Capability.VIEW_CHILDREN):
        assert response.status_code == 403
    elif role in (Role.MACE_COORDINATOR, Role.POLICE_OFFICER):
        assert response.status_code == 200
        assert "Agendachild" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_meeting_actions_by_role(role: Role, cast: Cast, meeting, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting, item = meeting
    client = client_for(role)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    posts = [
        (f"/mace/{meeting.pk}/members/", {"membership": cast.members[Role.SOCIAL_WORKER].pk}),
        (f"/mace/{meeting.pk}/agenda/", {"kind": "location", "subject": "Park", "version": 1}),
        (f"/mace/{meeting.pk}/agenda/{item.pk}/decisions/", {f"item{item.pk}-text": "Decided"}),
        (
            f"/mace/{meeting.pk}/agenda/{item.pk}/actions/",
            {
                f"item{item.pk}-title": "Visit",
                f"item{item.pk}-owner": cast.members[Role.SOCIAL_WORKER].pk,
                f"item{item.pk}-due_on": due,
            },
        ),
        (f"/mace/{meeting.pk}/agenda/{item.pk}/remove/", {"version": 1}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if role_can(role, Capability.COORDINATE_MACE):
            assert response.status_code in (302, 400), url
        else:
            assert response.status_code == 403, (url, role)
    if not role_can(role, Capability.COORDINATE_MACE):
        assert MeetingMember.objects.filter(meeting=meeting).count() == 2
        assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_a_stale_agenda_shows_the_clash_in_an_error_summary(meeting, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting
    client = client_for(Role.MACE_COORDINATOR)
    ok = client.post(
        f"/mace/{meeting.pk}/agenda/", {"kind": "location", "subject": "Park", "version": 1}
    )
    assert ok.status_code == 302
    clash = client.post(
        f"/mace/{meeting.pk}/agenda/", {"kind": "peer_group", "subject": "Crew", "version": 1}
    )
    page = clash.content.decode()
    assert clash.status_code == 400
    assert "govuk-error-summary" in page and "Another coordinator changed this agenda" in page
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_meeting_list_shows_members_only_their_meetings(meeting, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting
    assert meeting.title in client_for(Role.POLICE_OFFICER).get("/mace/").content.decode()
    assert meeting.title not in client_for(Role.SOCIAL_WORKER).get("/mace/").content.decode()


def test_a_meeting_is_scheduled_from_the_date_boxes_and_a_24_hour_time(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    day = timezone.localdate() + timedelta(days=7)
    response = client_for(Role.MACE_COORDINATOR).post(
        "/mace/new/",
        {
            "title": "Testshire MACE, December",
            "starts_on_day": str(day.day),
            "starts_on_month": str(day.month),
            "starts_on_year": str(day.year),
            "time": "10:30",
            "location": "Civic Centre",
        },
    )
    assert response.status_code == 302
    meeting = MaceMeeting.objects.get(title="Testshire MACE, December")
    starts = timezone.localtime(meeting.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (day, 10, 30)


@pytest.mark.parametrize(
    ("boxes", "time", "message"),
    [
        ({}, "10:00", "Enter the date of the meeting"),
        (
            {"starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"},
            "10:00",
            "The date of the meeting must be a real date",
        ),
        (
            {"starts_on_day": "3", "starts_on_year": "2027"},
            "10:00",
            "The date of the meeting must include a month",
        ),
        (
            {"starts_on_day": "3", "starts_on_month": "2", "starts_on_year": "2027"},
            "",
            "Enter the start time",
        ),
        (
            {"starts_on_day": "3", "starts_on_month": "2", "starts_on_year": "2027"},
            "25:00",
            "Enter the start time in 24-hour form",
        ),
    ],
)
def test_a_bad_meeting_date_or_time_is_explained_and_nothing_is_scheduled(
    cast: Cast, client_for, boxes, time, message
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.MACE_COORDINATOR).post(
        "/mace/new/", {"title": "Testshire MACE", "time": time, **boxes}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert not MaceMeeting.objects.filter(title="Testshire MACE").exists()
