"""A point picked on the public form's map: checked once in concerns.drafts, kept on the
concern, shown on check your answers and to the triage officer; the database refuses a
point outside the UK or half a point."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from clearsight.access.roles import Role
from clearsight.concerns.drafts import POINT_ERROR, check_point
from clearsight.concerns.models import LATITUDE_RANGE, LONGITUDE_RANGE, Concern
from clearsight.core.errors import InvalidInput
from tests.concerns.test_public_form import answers, fill_in, send
from tests.conftest import Cast
from tests.factories import ConcernFactory

LEEDS = {"latitude": "53.79648", "longitude": "-1.54785"}


def test_no_pin_is_fine() -> None:
    assert check_point("", "") == (None, None)
    assert check_point(None, None) == (None, None)


def test_a_pin_is_kept_to_five_places() -> None:
    assert check_point("53.796481234", " -1.547851 ") == (Decimal("53.79648"), Decimal("-1.54785"))


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("53.8", ""),
        ("", "-1.5"),
        ("48.9", "-1.5"),
        ("53.8", "3.0"),
        ("40.4", "-3.7"),
        ("north", "west"),
        ("NaN", "-1.5"),
        ("Infinity", "-1.5"),
        ("1e400", "-1.5"),
    ],
)
def test_a_pin_outside_the_uk_or_half_given_is_refused(latitude: str, longitude: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_point(latitude, longitude)
    assert error.value.errors == {"latitude": POINT_ERROR}


@given(
    st.floats(min_value=LATITUDE_RANGE[0], max_value=LATITUDE_RANGE[1]),
    st.floats(min_value=LONGITUDE_RANGE[0], max_value=LONGITUDE_RANGE[1]),
)
def test_every_point_in_the_uk_box_is_accepted_and_stays_in_it(lat: float, lng: float) -> None:
    checked_lat, checked_lng = check_point(str(lat), str(lng))
    assert checked_lat is not None and checked_lng is not None
    assert LATITUDE_RANGE[0] <= checked_lat <= LATITUDE_RANGE[1]
    assert LONGITUDE_RANGE[0] <= checked_lng <= LONGITUDE_RANGE[1]


@pytest.mark.django_db
def test_a_pin_is_shown_on_check_your_answers_and_kept(area: Any, client: Client) -> None:
    fill_in(client, answers(where=LEEDS))
    check = client.get("/report/check-your-answers/").content.decode()
    assert "A point on the map" in check
    assert "53.80, -1.55" in check
    assert "/report/where/?change=1" in check
    send(client)
    concern = Concern.objects.get()
    assert (concern.latitude, concern.longitude) == (Decimal("53.79648"), Decimal("-1.54785"))


@pytest.mark.django_db
def test_without_a_pin_the_journey_is_as_before(area: Any, client: Client) -> None:
    fill_in(client, answers())
    check = client.get("/report/check-your-answers/").content.decode()
    assert "A point on the map" not in check
    send(client)
    concern = Concern.objects.get()
    assert concern.latitude is None and concern.longitude is None


@pytest.mark.django_db
def test_the_map_is_only_for_javascript_and_the_boxes_stay(area: Any, client: Client) -> None:
    page = client.get("/report/where/").content.decode()
    # Hidden by the stylesheet unless js-enabled is set; the text boxes come first.
    assert 'class="govuk-form-group app-report-map"' in page
    assert page.index('name="where_seen"') < page.index('id="report-map"')
    assert 'type="hidden" name="latitude"' in page
    assert "js/report-map" in page
    assert "style=" not in page


@pytest.mark.django_db
def test_a_bad_pin_gets_a_clear_message_not_an_error(area: Any, client: Client) -> None:
    response = client.post(
        "/report/where/", {"where_seen": "Park", "postcode": "", "latitude": "91", "longitude": "x"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert POINT_ERROR in page
    assert 'href="#id_where_seen"' in page


@pytest.mark.django_db
def test_a_tampered_session_pin_is_refused_at_send(area: Any, client: Client) -> None:
    fill_in(client, answers())
    session = client.session
    stored = session["public_concern_answers"]
    stored["where"] = {**stored["where"], "latitude": ["10"], "longitude": ["10"]}
    session["public_concern_answers"] = stored
    session.save()
    response = client.get("/report/check-your-answers/")
    assert response.status_code == 302 and response["Location"] == "/report/where/"
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_half_a_point_or_one_abroad(area: Any) -> None:
    concern = ConcernFactory(area=area)
    for lat, lng in [(Decimal("53.8"), None), (Decimal("40.4"), Decimal("-3.7"))]:
        concern.latitude, concern.longitude = lat, lng
        with pytest.raises(IntegrityError), transaction.atomic():
            concern.save()


@pytest.mark.django_db
def test_the_triage_officer_sees_the_point(cast: Cast, client_for: Any) -> None:
    concern = ConcernFactory(
        area=cast.area, latitude=Decimal("53.79648"), longitude=Decimal("-1.54785")
    )
    page = client_for(Role.TRIAGE_OFFICER).get(f"/concerns/{concern.reference}/").content.decode()
    assert "Point on the map" in page
    assert "53.79648, -1.54785" in page
