"""An area's own library version: copy, edit, publish; published versions never change."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.core.errors import DomainError, InvalidInput, PermissionDeniedError
from clearsight.risk import selectors
from clearsight.risk.library_services import (
    draft_library_version,
    publish_library_version,
    update_library_indicator,
    update_library_settings,
)
from clearsight.risk.models import Indicator, LibraryVersion
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def test_an_area_copies_edits_and_publishes_its_own_version_and_screenings_use_it(
    cast: Cast, national_library: LibraryVersion
) -> None:
    lead = actor(cast, Role.MACE_COORDINATOR)
    child = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    ObservationFactory(person=child, indicator_code="EDU-01", seen_on=timezone.localdate())
    assert screen_person(child.pk).final_level == "low"
    draft = draft_library_version(actor=lead)
    assert (draft.number, draft.based_on, draft.is_published) == (2, national_library, False)
    assert draft.indicators.count() == national_library.indicators.count()
    update_library_indicator(
        actor=lead,
        indicator_id=draft.indicators.get(code="EDU-01").pk,
        title="Missing school",
        weight=10,
        looks_like="Absent for days at a time.",
        what_to_do="Call home the same day.",
    )
    update_library_settings(
        actor=lead,
        version_id=draft.pk,
        low_threshold=1,
        medium_threshold=8,
        high_threshold=20,
        half_life_days=90,
        lookback_days=365,
    )
    # Until it is published, the area still uses the national version.
    assert selectors.current_library(cast.area.pk) == national_library
    publish_library_version(actor=lead, version_id=draft.pk)
    screening = screen_person(child.pk)
    assert screening.library_version == draft
    assert screening.final_level == "medium"
    assert screening.factors[0]["title"] == "Missing school"
    # The national version is untouched.
    assert national_library.indicators.get(code="EDU-01").weight == 4


def test_a_published_version_cannot_be_edited_in_place(
    cast: Cast, national_library: LibraryVersion
) -> None:
    lead = actor(cast, Role.MACE_COORDINATOR)
    draft = draft_library_version(actor=lead)
    publish_library_version(actor=lead, version_id=draft.pk)
    indicator = draft.indicators.get(code="MIS-01")
    with pytest.raises(DomainError, match="published and cannot be changed"):
        update_library_indicator(
            actor=lead,
            indicator_id=indicator.pk,
            title="Changed",
            weight=1,
            looks_like="x",
            what_to_do="y",
        )
    with pytest.raises(DomainError, match="published and cannot be changed"):
        publish_library_version(actor=lead, version_id=draft.pk)
    assert Indicator.objects.get(pk=indicator.pk).weight == 8


def test_bad_library_changes_are_refused_with_a_message_per_field(
    cast: Cast, national_library: LibraryVersion
) -> None:
    lead = actor(cast, Role.MACE_COORDINATOR)
    draft = draft_library_version(actor=lead)
    with pytest.raises(InvalidInput) as error:
        update_library_indicator(
            actor=lead,
            indicator_id=draft.indicators.get(code="MIS-01").pk,
            title=" ",
            weight=11,
            looks_like="",
            what_to_do="ok",
        )
    assert set(error.value.errors) == {"title", "weight", "looks_like"}
    with pytest.raises(InvalidInput) as error:
        update_library_settings(
            actor=lead,
            version_id=draft.pk,
            low_threshold=10,
            medium_threshold=5,
            high_threshold=20,
            half_life_days=0,
            lookback_days=365,
        )
    assert set(error.value.errors) == {"medium_threshold", "half_life_days"}
    with pytest.raises(DomainError, match="already has a draft"):
        draft_library_version(actor=lead)


def test_only_the_mace_coordinator_changes_the_library(
    cast: Cast, national_library: LibraryVersion
) -> None:
    for role in (Role.PRACTITIONER, Role.TRIAGE_OFFICER, Role.AREA_ADMINISTRATOR):
        with pytest.raises(PermissionDeniedError):
            draft_library_version(actor=actor(cast, role))
    assert not LibraryVersion.objects.filter(area=cast.area).exists()
