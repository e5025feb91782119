"""A child of one area found in another: the home area is alerted with the minimum, and
the other area sees only a summary, never the record."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.missing import cross_area
from clearsight.missing.models import MissingEpisode, RhiState
from clearsight.missing.services import NewEpisode, Return, record_return, report_missing
from clearsight.notifications.models import Notification
from tests.conftest import Cast, sign_in
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    PersonFactory,
    TeamMemberFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.django_db

DOB = date(2011, 4, 9)


def actor_of(membership) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def home_child(cast: Cast):  # type: ignore[no-untyped-def]
    person = PersonFactory(
        area=cast.area, given_names="Kacper", family_name="Nowakowski", date_of_birth=DOB
    )
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


@pytest.fixture
def episode(cast: Cast, home_child) -> MissingEpisode:  # type: ignore[no-untyped-def]
    return report_missing(
        actor=actor_of(cast.members[Role.POLICE_OFFICER]),
        person_id=home_child.pk,
        data=NewEpisode(
            started_at=timezone.now() - timedelta(hours=20),
            last_seen_place="Northgate bus station",
            clothing="Grey hoodie",
            police_reference="NB-2026-1234",
        ),
    )


@pytest.fixture
def elsewhere():  # type: ignore[no-untyped-def]
    """Police and a school in another area."""
    area = AreaFactory(name="Eastvale Safeguarding Partnership", code="eastvale")
    police = MembershipFactory(
        agency=AgencyFactory(area=area, name="Eastvale Police", agency_type=AgencyType.POLICE),
        role=Role.POLICE_OFFICER,
        user__full_name="PC Eastvale",
    )
    TOTPDeviceFactory(user=police.user)
    school = MembershipFactory(
        agency=AgencyFactory(area=area, name="Eastvale High", agency_type=AgencyType.SCHOOL),
        role=Role.DESIGNATED_SAFEGUARDING_LEAD,
    )
    TOTPDeviceFactory(user=school.user)
    return area, police, school


def test_police_in_another_area_find_the_child_by_name_and_birth_date_and_record_found(
    cast: Cast, episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    area, police, _ = elsewhere
    officer = actor_of(police)
    results = cross_area.find_missing_from_other_areas(
        actor=officer, given_names="Kacper", family_name="Nowakowsky", date_of_birth=DOB
    )
    assert [r.episode_id for r in results] == [episode.pk]
    assert results[0].home_area == cast.area.name
    found_at = timezone.now() - timedelta(hours=1)
    closed = cross_area.record_found_in_my_area(
        actor=officer,
        ticket=results[0].ticket,
        found_at=found_at,
        found_place="Eastvale train station",
        found_with="Two older males",
    )
    assert closed.ended_at == found_at
    assert closed.found_area == area and closed.found_out_of_area
    assert closed.return_interview.state == RhiState.TO_OFFER
    assert closed.return_interview.due_at == found_at + timedelta(hours=72)
    # The home area's coordinator is told, with the minimum.
    alert = Notification.objects.get(recipient=cast.user(Role.MISSING_COORDINATOR))
    assert alert.kind == "found_elsewhere"
    assert "Eastvale Safeguarding Partnership" in alert.title
    assert "Kacper" not in alert.title + alert.body
    assert alert.url == f"/missing/{episode.pk}/"
    # Police in the other area still cannot open the child's record.
    client = sign_in(Client(), police)
    assert client.get(f"/people/{episode.person_id}/").status_code == 404
    assert client.get(f"/missing/{episode.pk}/").status_code == 404


def test_the_lookup_needs_the_exact_birth_date_and_a_similar_name(
    episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    officer = actor_of(elsewhere[1])
    find = cross_area.find_missing_from_other_areas
    next_day = date(2011, 4, 10)
    assert (
        find(actor=officer, given_names="Kacper", family_name="Nowakowski", date_of_birth=next_day)
        == []
    )
    assert find(actor=officer, given_names="Amelia", family_name="Jones", date_of_birth=DOB) == []
    with pytest.raises(InvalidInput) as error:
        find(actor=officer, given_names="", family_name="", date_of_birth=None)
    assert set(error.value.errors) == {"given_names", "family_name", "date_of_birth"}


def test_a_child_of_ones_own_area_is_not_found_through_the_other_area_lookup(
    cast: Cast, episode: MissingEpisode
) -> None:
    officer = actor_of(cast.members[Role.POLICE_OFFICER])
    assert (
        cross_area.find_missing_from_other_areas(
            actor=officer, given_names="Kacper", family_name="Nowakowski", date_of_birth=DOB
        )
        == []
    )


def test_roles_that_do_not_record_missing_episodes_cannot_look_up_other_areas(
    episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDeniedError):
        cross_area.find_missing_from_other_areas(
            actor=actor_of(elsewhere[2]),
            given_names="Kacper",
            family_name="Nowakowski",
            date_of_birth=DOB,
        )


def test_a_ticket_works_only_for_the_user_it_was_given_to(
    cast: Cast, episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    police = elsewhere[1]
    results = cross_area.find_missing_from_other_areas(
        actor=actor_of(police), given_names="Kacper", family_name="Nowakowski", date_of_birth=DOB
    )
    colleague = MembershipFactory(agency=police.agency, role=Role.POLICE_OFFICER)
    with pytest.raises(NotFoundError):
        cross_area.summary_for_ticket(actor=actor_of(colleague), ticket=results[0].ticket)
    with pytest.raises(NotFoundError):
        cross_area.summary_for_ticket(actor=actor_of(police), ticket=f"{episode.pk}:1:forged")


def test_recording_found_twice_or_before_last_seen_is_refused_and_saves_nothing(
    episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    officer = actor_of(elsewhere[1])
    ticket = cross_area.find_missing_from_other_areas(
        actor=officer, given_names="Kacper", family_name="Nowakowski", date_of_birth=DOB
    )[0].ticket
    with pytest.raises(InvalidInput) as error:
        cross_area.record_found_in_my_area(
            actor=officer,
            ticket=ticket,
            found_at=episode.started_at - timedelta(hours=1),
            found_place="",
        )
    assert set(error.value.errors) == {"found_at", "found_place"}
    assert MissingEpisode.objects.get(pk=episode.pk).ended_at is None
    cross_area.record_found_in_my_area(
        actor=officer, ticket=ticket, found_at=timezone.now(), found_place="Eastvale"
    )
    with pytest.raises(NotFoundError):
        cross_area.record_found_in_my_area(
            actor=officer, ticket=ticket, found_at=timezone.now(), found_place="Eastvale"
        )


def test_a_return_recorded_at_home_with_a_found_area_alerts_the_coordinator_once(
    cast: Cast, episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    area = elsewhere[0]
    record_return(
        actor=actor_of(cast.members[Role.SOCIAL_WORKER]),
        episode_id=episode.pk,
        expected_version=1,
        data=Return(returned_at=timezone.now(), found_area_id=area.pk, found_place="Eastvale"),
    )
    closed = MissingEpisode.objects.get(pk=episode.pk)
    assert closed.found_out_of_area and closed.found_area_name == area.name
    assert Notification.objects.filter(kind="found_elsewhere").count() == 1


def test_choosing_the_childs_own_area_as_found_area_is_refused(
    cast: Cast, episode: MissingEpisode
) -> None:
    with pytest.raises(InvalidInput) as error:
        record_return(
            actor=actor_of(cast.members[Role.SOCIAL_WORKER]),
            episode_id=episode.pk,
            expected_version=1,
            data=Return(returned_at=timezone.now(), found_area_id=cast.area.pk),
        )
    assert "found_area" in error.value.errors


def test_the_pages_show_only_the_summary_and_record_the_child_found(
    cast: Cast, episode: MissingEpisode, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    area, police, school = elsewhere
    client = sign_in(Client(), police)
    page = client.get(
        "/missing/other-areas/",
        {
            "given_names": "Kacper",
            "family_name": "Nowakowski",
            "date_of_birth_day": "9",
            "date_of_birth_month": "4",
            "date_of_birth_year": "2011",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Kacper Nowakowski" in text and cast.area.name in text
    assert "Grey hoodie" not in text  # clothing is on the record, not the summary
    link = text.split('href="/missing/other-areas/found/?ticket=', 1)[1].split('"', 1)[0]
    ticket = parse_qs(urlparse(f"/?ticket={link}").query)["ticket"][0]
    form = client.get("/missing/other-areas/found/", {"ticket": ticket})
    assert form.status_code == 200
    now = timezone.localtime()
    response = client.post(
        "/missing/other-areas/found/",
        {
            "ticket": ticket,
            "found_day": now.day,
            "found_month": now.month,
            "found_year": now.year,
            # This minute: the episode began 20 hours ago, so midnight today was before it
            # began after 8 pm.
            "time": now.strftime("%H:%M"),
            "found_place": "Eastvale train station",
        },
    )
    assert response.status_code == 302
    assert MissingEpisode.objects.get(pk=episode.pk).found_area == area
    assert AuditEvent.objects.filter(
        action="missing.found_in_other_area", person_id=episode.person_id
    ).exists()
    # A school in the other area cannot use the lookup at all.
    school_client = sign_in(Client(), school)
    assert school_client.get("/missing/other-areas/").status_code == 403


def test_the_lookup_page_reports_missing_fields(elsewhere) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), elsewhere[1])
    page = client.get("/missing/other-areas/", {"given_names": "", "family_name": ""})
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "Enter the date of birth" in text


def test_a_child_found_where_two_other_children_were_found_is_flagged_on_page_and_timeline(
    cast: Cast, home_child, client_for
) -> None:  # type: ignore[no-untyped-def]
    police = actor_of(cast.members[Role.POLICE_OFFICER])
    now = timezone.now()

    def missing_and_found(person, days_ago: int, place: str, found_with: str = "") -> None:  # type: ignore[no-untyped-def]
        episode = report_missing(
            actor=police,
            person_id=person.pk,
            data=NewEpisode(started_at=now - timedelta(days=days_ago, hours=6)),
        )
        record_return(
            actor=police,
            episode_id=episode.pk,
            expected_version=1,
            data=Return(
                returned_at=now - timedelta(days=days_ago), found_place=place, found_with=found_with
            ),
        )

    for other in PersonFactory.create_batch(2, area=cast.area):
        missing_and_found(other, 30, "flat 4, Tower Court")
    PersonFactory(area=cast.area, kind="adult", given_names="Dean", family_name="Price")
    missing_and_found(home_child, 3, "Flat 4, Tower Court ", found_with="Dean Price")
    page = client_for(Role.SOCIAL_WORKER).get(f"/people/{home_child.pk}/").content.decode()
    assert "Found at a place where other children have been found: Flat 4, Tower Court" in page
    assert "Found with an adult already of concern" in page
    assert "Flag raised: found with an adult already of concern" in page
    flags = client_for(Role.SOCIAL_WORKER).get(f"/people/{home_child.pk}/", {"type": "flag"})
    assert flags.content.decode().count('data-testid="timeline-flag"') == 2


def test_a_child_placed_in_another_area_is_reported_missing_there_and_home_is_told(
    cast: Cast, home_child, elsewhere
) -> None:  # type: ignore[no-untyped-def]
    area, police, _ = elsewhere
    home_child.placement_agency = AgencyFactory(
        area=area, name="Eastvale Children's Home", agency_type="voluntary_sector"
    )
    home_child.save()
    officer = actor_of(police)
    wanted = {"given_names": "Kacper", "family_name": "Nowakowski", "date_of_birth": DOB}
    placed = cross_area.find_placed_children(actor=officer, **wanted)
    assert [p.person_id for p in placed] == [home_child.pk]
    assert placed[0].placement == "Eastvale Children's Home"
    # Police of the child's own area do not get them through this route.
    assert (
        cross_area.find_placed_children(actor=actor_of(cast.members[Role.POLICE_OFFICER]), **wanted)
        == []
    )
    episode = cross_area.report_missing_from_placement(
        actor=officer,
        ticket=placed[0].ticket,
        data=NewEpisode(
            started_at=timezone.now() - timedelta(hours=3), last_seen_place="Eastvale home"
        ),
    )
    assert episode.person == home_child
    assert episode.reporting_membership == police
    alert = Notification.objects.get(recipient=cast.user(Role.MISSING_COORDINATOR))
    assert alert.kind == "reported_elsewhere"
    assert "Eastvale Safeguarding Partnership" in alert.title
    # Now missing, so the child is found through the "missing from another area" route.
    assert cross_area.find_placed_children(actor=officer, **wanted) == []
    missing = cross_area.find_missing_from_other_areas(actor=officer, **wanted)
    assert [r.episode_id for r in missing] == [episode.pk]
    # A ticket for "found" cannot be used to report, and the other way round.
    with pytest.raises(NotFoundError):
        cross_area.placed_child_for_ticket(
            actor=officer,
            ticket=missing[0].ticket,
        )


def test_reporting_from_the_placement_page(cast: Cast, home_child, elsewhere) -> None:  # type: ignore[no-untyped-def]
    area, police, school = elsewhere
    home_child.placement_agency = AgencyFactory(
        area=area, name="Eastvale Children's Home", agency_type="voluntary_sector"
    )
    home_child.save()
    client = sign_in(Client(), police)
    page = client.get(
        "/missing/other-areas/",
        {
            "given_names": "Kacper",
            "family_name": "Nowakowski",
            "date_of_birth_day": "9",
            "date_of_birth_month": "4",
            "date_of_birth_year": "2011",
        },
    ).content.decode()
    assert 'data-testid="placed-result"' in page
    link = page.split('href="/missing/other-areas/report/?ticket=', 1)[1].split('"', 1)[0]
    ticket = parse_qs(urlparse(f"/?ticket={link}").query)["ticket"][0]
    form = client.get("/missing/other-areas/report/", {"ticket": ticket})
    assert form.status_code == 200
    bad = client.post("/missing/other-areas/report/", {"ticket": ticket, "kind": "M"})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    now = timezone.localtime() - timedelta(hours=1)
    done = client.post(
        "/missing/other-areas/report/",
        {
            "ticket": ticket,
            "kind": "M",
            "last_seen_day": now.day,
            "last_seen_month": now.month,
            "last_seen_year": now.year,
            "time": f"{now:%H:%M}",
            "last_seen_place": "Eastvale children's home",
        },
    )
    assert done.status_code == 302
    assert MissingEpisode.objects.filter(person=home_child, ended_at__isnull=True).count() == 1
    assert sign_in(Client(), school).get("/missing/other-areas/report/").status_code == 403
