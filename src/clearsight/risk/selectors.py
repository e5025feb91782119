"""Reads for the indicator library, observations and screenings. Anything about a child
starts from ``access.policy.visible_persons``; the library itself is not personal data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import rows_of_person, visible_persons
from clearsight.core.errors import NotFoundError
from clearsight.people.models import Person
from clearsight.risk.engine import Level
from clearsight.risk.models import (
    Category,
    Indicator,
    LibraryVersion,
    Observation,
    ProtectiveFactor,
    Screening,
    VersionStatus,
)

RISING_RISK_DAYS = 30


def current_library(area_id: int | None) -> LibraryVersion:
    """The area's latest published version, else the latest national one."""
    published = LibraryVersion.objects.filter(status=VersionStatus.PUBLISHED)
    version = (
        published.filter(Q(area_id=area_id) | Q(area__isnull=True))
        .order_by("area_id", "-number")  # an area's own versions sort before the national
        .first()
        if area_id is not None
        else published.filter(area__isnull=True).order_by("-number").first()
    )
    if version is None:
        raise NotFoundError("No indicator library has been published.")
    return version


def indicators_by_category(version: LibraryVersion) -> list[tuple[str, list[Indicator]]]:
    """The version's indicators grouped under each category's label, in the library's
    category order, for checklists."""
    by_category: dict[str, list[Indicator]] = {}
    for indicator in version.indicators.order_by("position", "code"):
        by_category.setdefault(indicator.category, []).append(indicator)
    return [
        (label, by_category[value]) for value, label in Category.choices if value in by_category
    ]


def indicator_titles(area_id: int | None, codes: Iterable[str]) -> dict[str, str]:
    """Code -> title in the area's current library, for codes stored on other records."""
    version = current_library(area_id)
    return dict(version.indicators.filter(code__in=list(codes)).values_list("code", "title"))


def library_versions(*, actor: Actor) -> QuerySet[LibraryVersion]:
    """The national versions and the actor's area's own (drafts included)."""
    return LibraryVersion.objects.filter(Q(area__isnull=True) | Q(area_id=actor.area_id)).order_by(
        "area_id", "-number"
    )


def visible_person(actor: Actor, person_id: int) -> Person:
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such child you may see.")
    return person


def observations_for(actor: Actor, person: Person) -> QuerySet[Observation]:
    """Every observation about the child, most recently seen first."""
    return Observation.objects.filter(rows_of_person(actor, person)).select_related(
        "agency", "author"
    )


def protective_factors_for(actor: Actor, person: Person) -> QuerySet[ProtectiveFactor]:
    return ProtectiveFactor.objects.filter(rows_of_person(actor, person)).select_related(
        "agency", "recorded_by"
    )


def screenings_for(actor: Actor, person: Person) -> QuerySet[Screening]:
    """The child's screenings, newest first."""
    return Screening.objects.filter(rows_of_person(actor, person)).select_related("library_version")


def current_screening(actor: Actor, person: Person) -> Screening | None:
    return screenings_for(actor, person).filter(is_current=True).first()


def rising_risk(actor: Actor) -> QuerySet[Screening]:
    """Children the actor may see whose level rose in the last 30 days and has not come
    down since: the triage officer's "rising risk" list, highest level first."""
    since = timezone.now() - timedelta(days=RISING_RISK_DAYS)
    return (
        Screening.objects.filter(
            is_current=True,
            level_rose_at__gte=since,
            person__in=visible_persons(actor).filter(area_id=actor.area_id),
        )
        .annotate(
            rank=Case(
                *(When(final_level=level.value, then=level.rank) for level in Level),
                output_field=IntegerField(),
            )
        )
        .select_related("person")
        .order_by("-rank", "-level_rose_at", "pk")
    )
