"""The risk panel on the child page and recording signs from it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.people.models import Person
from clearsight.risk.models import LibraryVersion, Observation, Screening
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    """A 15-year-old on the designated safeguarding lead's team."""
    person = PersonFactory(
        area=cast.area, given_names="Jade", family_name="Okoro", date_of_birth=date(2011, 1, 1)
    )
    TeamMemberFactory(person=person, membership=cast.members[Role.DESIGNATED_SAFEGUARDING_LEAD])
    return person


def today_parts(day: date | None = None) -> dict[str, str]:
    day = day or timezone.localdate()
    return {
        "seen_on_day": str(day.day),
        "seen_on_month": str(day.month),
        "seen_on_year": str(day.year),
    }


def factors_on(page: str) -> list[str]:
    return re.findall(r'data-testid="risk-factor" data-code="([A-Z]+-\d+)"', page)


# --- The panel --------------------------------------------------------------------------


def test_a_child_with_no_signs_shows_no_known_risk_and_why(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).get(f"/people/{child.pk}/")
    text = page.content.decode()
    assert 'data-testid="risk-level">No known risk<' in text
    assert "No signs of exploitation have been recorded about this child yet" in text
    assert "Record signs you have seen" in text


def test_the_explanation_lists_exactly_the_factors_of_the_screening_with_sources(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    police = cast.members[Role.POLICE_OFFICER]
    school = cast.members[Role.DESIGNATED_SAFEGUARDING_LEAD]
    ObservationFactory(person=child, membership=police, indicator_code="MIS-02", seen_on=today)
    ObservationFactory(
        person=child,
        membership=police,
        indicator_code="MIS-01",
        seen_on=today - timedelta(days=3),
        source="return_home_interview",
    )
    ObservationFactory(person=child, membership=school, indicator_code="MIS-01", seen_on=today)
    ObservationFactory(person=child, membership=school, indicator_code="MON-02", seen_on=today)
    # Older than the look-back: on the record, but not a factor.
    ObservationFactory(
        person=child, membership=school, indicator_code="EDU-01", seen_on=date(2013, 1, 1)
    )
    screening = screen_person(child.pk)
    page = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).get(f"/people/{child.pk}/")
    text = page.content.decode()
    assert factors_on(text) == [f["code"] for f in screening.factors]
    assert set(factors_on(text)) == {"MIS-01", "MIS-02", "MON-02"}
    assert f"Why is the risk {screening.get_final_level_display().lower()}?" in text
    day = f"{today:%-d %B %Y}"
    earlier = f"{today - timedelta(days=3):%-d %B %Y}"
    assert f"Testshire Police (return home interview), {earlier}" in text
    assert f"Testshire School, {day}" in text
    assert "counted 1.5 times because two or more agencies saw it" in text
    assert "National indicator library version 1" in text
    assert 'id="risk-chart-data"' in text and "js/risk-chart" in text
    assert "Show the figures as a table" in text


def test_the_panel_says_when_new_signs_are_waiting_to_be_screened(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    ObservationFactory(person=child, indicator_code="MIS-02", seen_on=timezone.localdate())
    text = client_for(Role.POLICE_OFFICER).get(f"/people/{child.pk}/").content.decode()
    assert "The risk is being screened again" in text


def test_the_risk_panel_costs_the_same_queries_however_long_the_history(
    cast: Cast, child: Person, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/people/{child.pk}/").status_code == 200
        return len(captured)

    ObservationFactory(person=child, indicator_code="MIS-01", seen_on=timezone.localdate())
    screen_person(child.pk)
    short = queries()
    for code in ("MIS-02", "MON-02", "PHN-01", "HRM-01", "EDU-01"):
        ObservationFactory(person=child, indicator_code=code, seen_on=timezone.localdate())
        screen_person(child.pk)
    assert queries() == short
    # The child page's own bound (tests/people/test_views.py) holds with a risk history.
    with django_assert_max_num_queries(30):
        assert client.get(f"/people/{child.pk}/").status_code == 200


# --- Recording signs --------------------------------------------------------------------


def may_see(role: Role) -> bool:
    return role in AREA_WIDE_ROLES or role == Role.DESIGNATED_SAFEGUARDING_LEAD


@pytest.mark.parametrize("role", list(Role))
def test_recording_signs_access_by_role(role: Role, cast: Cast, child: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    response = client.get(f"/people/{child.pk}/observations/new/")
    posted = client.post(
        f"/people/{child.pk}/observations/new/",
        {"codes": ["MIS-02"], "confidence": "4"} | today_parts(),
    )
    if not role_can(role, Capability.RECORD_OBSERVATIONS):
        assert (response.status_code, posted.status_code) == (403, 403)
    elif not may_see(role):
        assert (response.status_code, posted.status_code) == (404, 404)
    else:
        assert response.status_code == 200
        assert posted.status_code == 302
    recorded = Observation.objects.filter(person=child).exists()
    assert recorded == (role_can(role, Capability.RECORD_OBSERVATIONS) and may_see(role))


def test_the_form_groups_signs_by_category_with_hints_and_today_filled_in(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    text = (
        client_for(Role.DESIGNATED_SAFEGUARDING_LEAD)
        .get(f"/people/{child.pk}/observations/new/")
        .content.decode()
    )
    assert "Missing and location</legend>" in text and "Money and possessions</legend>" in text
    assert 'value="MIS-02"' in text
    assert "The child is found or stopped in a town" in text
    today = timezone.localdate()
    assert f'name="seen_on_year" type="text" inputmode="numeric" value="{today.year}"' in text
    assert "1 – Unsure" in text and "5 – Certain" in text


def test_a_teacher_records_two_signs_and_the_child_is_rescreened_in_the_background(
    cast: Cast, child: Person, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/people/{child.pk}/observations/new/",
            {"codes": ["MON-02", "PHN-01"], "confidence": "4", "note": "New trainers, two phones"}
            | today_parts(),
        )
    assert response["Location"] == f"/people/{child.pk}/#risk"
    saved = Observation.objects.filter(person=child).order_by("indicator_code")
    assert [(o.indicator_code, o.agency.name, o.confidence) for o in saved] == [
        ("MON-02", "Testshire School", 4),
        ("PHN-01", "Testshire School", 4),
    ]
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert "2 signs have been added to the record. The child&#x27;s risk is being screened" in page
    assert ProcrastinateJob.objects.filter(task_name="clearsight.risk.rescreen_person").exists()


BAD_INPUT = [
    ({"codes": ["MIS-02", "NOT-01"]}, "These are not signs in the indicator library: NOT-01"),
    ({"codes": []}, "Choose at least one sign you saw"),
    (today_parts(date(2010, 12, 31)), "on or after the child&#x27;s date of birth"),
    ({"seen_on_year": str(date.today().year + 1)}, "The date must be today or in the past"),
    ({"seen_on_day": "", "seen_on_month": "", "seen_on_year": ""}, "Enter the date you saw"),
    ({"seen_on_month": "13"}, "must be a real date"),
    ({"confidence": "0"}, "Choose how sure you are, from 1 (unsure) to 5 (certain)"),
    ({"confidence": "6"}, "Choose how sure you are, from 1 (unsure) to 5 (certain)"),
    ({"confidence": ""}, "Choose how sure you are, from 1 (unsure) to 5 (certain)"),
    ({"note": "x" * 501}, "Keep the note to 500 characters or fewer"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    changes: dict[str, object], message: str, cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    data = {"codes": ["MIS-02", "MON-02"], "confidence": "3"} | today_parts() | changes
    response = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).post(
        f"/people/{child.pk}/observations/new/", data
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text
    assert message in text
    assert not Observation.objects.exists()
    assert not Screening.objects.exists()


def test_a_rejected_form_keeps_what_was_ticked(cast: Cast, child: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).post(
        f"/people/{child.pk}/observations/new/",
        {"codes": ["MON-02"], "confidence": "4"} | today_parts(date(2010, 1, 1)),
    )
    text = response.content.decode()
    assert re.search(r'value="MON-02" aria-describedby="[^"]+" checked', text)
    assert re.search(r'value="4" aria-describedby="[^"]+" checked', text)


# --- Rising risk ------------------------------------------------------------------------


def test_the_triage_officer_sees_a_child_whose_risk_rose(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    ObservationFactory(person=child, indicator_code="EDU-01", seen_on=timezone.localdate())
    screen_person(child.pk)
    text = client_for(Role.TRIAGE_OFFICER).get("/risk/rising/").content.decode()
    assert "Jade Okoro" in text and "Low" in text
    assert 'aria-current="page"' in text


def test_a_long_rising_risk_list_comes_in_pages_of_fifty(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PersonFactory

    for person in PersonFactory.create_batch(51, area=cast.area):
        ObservationFactory(person=person, indicator_code="EDU-01", seen_on=timezone.localdate())
        screen_person(person.pk)
    triage = client_for(Role.TRIAGE_OFFICER)
    first = triage.get("/risk/rising/").content.decode()
    assert first.count('#risk">') == 50
    assert "51 children, page 1 of 2" in first and 'rel="next"' in first
    second = triage.get("/risk/rising/", {"page": "2"}).content.decode()
    assert second.count('#risk">') == 1
    assert triage.get("/risk/rising/", {"page": "nonsense"}).status_code == 200


def test_the_professional_guidance_says_what_to_do_for_each_sign(
    cast: Cast, national_library: LibraryVersion, client_for
) -> None:  # type: ignore[no-untyped-def]
    text = client_for(Role.PRACTITIONER).get("/risk/indicators/").content.decode()
    assert text.count("What to do:") == national_library.indicators.count()
    assert "Make sure a return home interview is offered within 72 hours" in text
