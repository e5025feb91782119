"""An area's own version of the indicator library: copy the current version into a
draft, change its weights, wording and thresholds, and publish it.

A published version never changes (PostgreSQL refuses too: migration 0003), because
every screening names the version it used and must stay explainable. So the only way
an area changes its thresholds is to publish a new version; its children are then
screened again with it. Only the MACE coordinator and managers do this."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import may_manage_library
from clearsight.audit import services as audit
from clearsight.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.risk import selectors, services
from clearsight.risk.models import (
    Indicator,
    LibraryVersion,
    ProtectiveFactorKind,
    Screening,
    VersionStatus,
)

TITLE_MAX = 200
TEXT_MAX = 2000
PUBLISHED_MESSAGE = (
    "Version {number} is published and cannot be changed: screenings name the version "
    "they used and must always read the same. Create a new draft from it instead."
)


class PublishedVersionError(DomainError):
    """Someone tried to change a published version in place."""


def _manager(actor: Actor) -> None:
    if not may_manage_library(actor):
        raise PermissionDeniedError(
            "Only the MACE coordinator or a manager can change the area's indicator library."
        )


def _refuse_if_published(version: LibraryVersion) -> None:
    if version.is_published:
        raise PublishedVersionError(PUBLISHED_MESSAGE.format(number=version.number))


def _draft(actor: Actor, version_id: int) -> LibraryVersion:
    version = (
        LibraryVersion.objects.select_for_update()
        .filter(pk=version_id, area_id=actor.area_id)
        .first()
    )
    if version is None:
        raise NotFoundError("There is no such draft for your area.")
    _refuse_if_published(version)
    return version


@transaction.atomic
def draft_library_version(*, actor: Actor) -> LibraryVersion:
    """Copy the area's current version (its own, or else the national one) into a new
    draft. One draft at a time, so two managers do not edit rival drafts."""
    _manager(actor)
    existing = LibraryVersion.objects.filter(
        area_id=actor.area_id, status=VersionStatus.DRAFT
    ).first()
    if existing is not None:
        raise DomainError(
            f"Your area already has a draft (version {existing.number}): finish and "
            "publish it before starting another."
        )
    source = selectors.current_library(actor.area_id)
    highest = LibraryVersion.objects.filter(area_id=actor.area_id).aggregate(n=Max("number"))["n"]
    # Numbers carry on from the version copied, so "version 2" reads as the next one.
    draft = LibraryVersion.objects.create(
        area_id=actor.area_id,
        number=max(highest or 0, source.number) + 1,
        title=f"{actor.area.name} indicator library",
        based_on=source,
        low_threshold=source.low_threshold,
        medium_threshold=source.medium_threshold,
        high_threshold=source.high_threshold,
        half_life_days=source.half_life_days,
        lookback_days=source.lookback_days,
        created_by=actor.user,
    )
    Indicator.objects.bulk_create(
        Indicator(
            version=draft,
            code=i.code,
            title=i.title,
            category=i.category,
            weight=i.weight,
            looks_like=i.looks_like,
            what_to_do=i.what_to_do,
            cin_factor=i.cin_factor,
            position=i.position,
        )
        for i in source.indicators.all()
    )
    ProtectiveFactorKind.objects.bulk_create(
        ProtectiveFactorKind(version=draft, code=k.code, title=k.title)
        for k in source.protective_factor_kinds.all()
    )
    audit.record(
        action="library.draft_created", actor=actor, target=draft, details={"from": source.pk}
    )
    return draft


def _number(errors: dict[str, str], name: str, raw: object, label: str) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        errors[name] = f"Enter the {label} as a number, like 12"
        return None
    if not value.is_finite() or value <= 0 or value >= 10000:
        errors[name] = f"The {label} must be more than 0 and less than 10,000"
        return None
    return value.quantize(Decimal("0.01"))


def _days(errors: dict[str, str], name: str, raw: object, label: str) -> int | None:
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        errors[name] = f"Enter the {label} as a whole number of days from 1 to 3650"
        return None
    return int(text)


@transaction.atomic
def update_library_settings(
    *,
    actor: Actor,
    version_id: int,
    low_threshold: object,
    medium_threshold: object,
    high_threshold: object,
    half_life_days: object,
    lookback_days: object,
) -> LibraryVersion:
    """The draft's level thresholds and recency rules (risk/engine.py)."""
    _manager(actor)
    version = _draft(actor, version_id)
    errors: dict[str, str] = {}
    low = _number(errors, "low_threshold", low_threshold, "score for low")
    medium = _number(errors, "medium_threshold", medium_threshold, "score for medium")
    high = _number(errors, "high_threshold", high_threshold, "score for high")
    if low and medium and high and not low < medium < high:
        errors["medium_threshold"] = (
            "The scores must go up: low below medium, and medium below high"
        )
    half_life = _days(errors, "half_life_days", half_life_days, "half-life")
    lookback = _days(errors, "lookback_days", lookback_days, "look-back")
    if errors:
        raise InvalidInput(errors)
    assert low and medium and high and half_life and lookback
    version.low_threshold, version.medium_threshold, version.high_threshold = low, medium, high
    version.half_life_days, version.lookback_days = half_life, lookback
    version.save()
    audit.record(action="library.draft_changed", actor=actor, target=version)
    return version


@transaction.atomic
def update_library_indicator(
    *,
    actor: Actor,
    indicator_id: int,
    title: str,
    weight: object,
    looks_like: str,
    what_to_do: str,
) -> Indicator:
    """One indicator of a draft: its weight and how it is worded."""
    _manager(actor)
    indicator = (
        Indicator.objects.select_related("version")
        .filter(pk=indicator_id, version__area_id=actor.area_id)
        .first()
    )
    if indicator is None:
        raise NotFoundError("There is no such indicator in your area's library.")
    _draft(actor, indicator.version_id)
    errors: dict[str, str] = {}
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX:
        errors["title"] = f"Enter a title of {TITLE_MAX} characters or fewer"
    weight_text = str(weight).strip()
    if not weight_text.isdigit() or not 1 <= int(weight_text) <= 10:
        errors["weight"] = "Enter a weight from 1 (weak on its own) to 10 (strong on its own)"
    for name, text in (("looks_like", looks_like), ("what_to_do", what_to_do)):
        if not text.strip():
            errors[name] = "Enter this text"
        elif len(text) > TEXT_MAX:
            errors[name] = f"Keep this text to {TEXT_MAX} characters or fewer"
    if errors:
        raise InvalidInput(errors)
    before = {"title": indicator.title, "weight": indicator.weight}
    indicator.title = title
    indicator.weight = int(weight_text)
    indicator.looks_like = looks_like.strip()
    indicator.what_to_do = what_to_do.strip()
    indicator.save()
    audit.record(
        action="library.indicator_changed",
        actor=actor,
        target=indicator,
        details={"code": indicator.code, "before": before, "weight": indicator.weight},
    )
    return indicator


@transaction.atomic
def publish_library_version(*, actor: Actor, version_id: int) -> LibraryVersion:
    """Publish the draft: from now on it is read-only and the area's children are
    screened with it. Every child of the area with a screening is queued for a
    re-screen once this commits."""
    _manager(actor)
    version = _draft(actor, version_id)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor.user
    version.save()
    audit.record(action="library.published", actor=actor, target=version)
    person_ids = list(
        Screening.objects.filter(is_current=True, person__area_id=actor.area_id).values_list(
            "person_id", flat=True
        )
    )

    def rescreen_all() -> None:
        for person_id in person_ids:
            services.defer_rescreen(person_id)

    transaction.on_commit(rescreen_all)
    return version
