"""Recording observations and protective factors, and screening a child.

Every observation, whether ticked on the child page, disclosed in a return home
interview, raised in a concern or imported, comes in through ``record_observations``,
which re-screens the child in the background once it commits. The rules themselves are
in risk/engine.py (docs/decisions/0004-risk-screening.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from procrastinate.contrib.django import app

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.services import notify_many
from clearsight.people.models import Person, TeamMember
from clearsight.risk import engine, selectors
from clearsight.risk.models import (
    NOTE_MAX,
    LibraryVersion,
    Observation,
    ObservationSource,
    OverrideApproval,
    ProtectiveFactor,
    Screening,
)

RESCREEN_TASK = "clearsight.risk.rescreen_person"
RESCREEN_QUEUE = "risk"
SOURCE_REF_MAX = 100


def _child_for(actor: Actor, person_id: int, message: str) -> Person:
    if not can(actor, Capability.RECORD_OBSERVATIONS):
        raise PermissionDeniedError(message)
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such child you may see.")
    return person


def _check_date(errors: dict[str, str], name: str, day: date, person: Person) -> None:
    if day > timezone.localdate():
        errors[name] = "The date must be today or in the past"
    elif person.date_of_birth and day < person.date_of_birth:
        errors[name] = "The date must be on or after the child's date of birth"


def _clean_codes(codes: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for code in codes:
        code = str(code).strip().upper()
        if code and code not in cleaned:
            cleaned.append(code)
    return cleaned


@transaction.atomic
def record_observations(
    *,
    actor: Actor,
    person_id: int,
    codes: Sequence[str],
    seen_on: date,
    confidence: int,
    note: str = "",
    source: str = ObservationSource.PROFESSIONAL,
    source_ref: str = "",
) -> list[Observation]:
    """One observation per ticked indicator, all or none, kept with the author's agency;
    the child is re-screened in the background once they are saved."""
    person = _child_for(actor, person_id, "Your role cannot record observations.")
    library = selectors.current_library(person.area_id)
    titles = dict(library.indicators.values_list("code", "title"))
    wanted = _clean_codes(codes)
    note = note.strip()
    errors: dict[str, str] = {}
    unknown = [code for code in wanted if code not in titles]
    if not wanted:
        errors["codes"] = "Choose at least one sign you saw"
    elif unknown:
        errors["codes"] = f"These are not signs in the indicator library: {', '.join(unknown)}"
    _check_date(errors, "seen_on", seen_on, person)
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 1 <= confidence <= 5:
        errors["confidence"] = "Choose how sure you are, from 1 (unsure) to 5 (certain)"
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX} characters or fewer"
    if source not in ObservationSource.values:
        errors["source"] = "Choose where the observation came from"
    if len(source_ref) > SOURCE_REF_MAX:
        errors["source_ref"] = f"Keep the reference to {SOURCE_REF_MAX} characters or fewer"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    observations = Observation.objects.bulk_create(
        Observation(
            person=person,
            indicator_code=code,
            indicator_title=titles[code],
            seen_on=seen_on,
            confidence=confidence,
            note=note,
            source=source,
            source_ref=source_ref,
            agency=actor.membership.agency,
            author=actor.user,
            membership=actor.membership,
            created_at=now,
        )
        for code in wanted
    )
    audit.record(
        action="observation.recorded",
        actor=actor,
        target=observations[0],
        person_id=person.pk,
        details={
            "codes": wanted,
            "observation_ids": [o.pk for o in observations],
            "source": source,
        },
    )
    transaction.on_commit(lambda: defer_rescreen(person.pk))
    return observations


def defer_rescreen(person_id: int) -> None:
    """Queue a re-screen (risk/tasks.py), by name so this module need not import it."""
    app.configure_task(name=RESCREEN_TASK, queue=RESCREEN_QUEUE).defer(person_id=person_id)


@transaction.atomic
def record_protective_factor(
    *, actor: Actor, person_id: int, code: str, reason: str, recorded_on: date | None = None
) -> ProtectiveFactor:
    """A protective factor lowers the screening level only with a reason (engine.py), so
    one cannot be recorded without it."""
    person = _child_for(actor, person_id, "Your role cannot record protective factors.")
    recorded_on = recorded_on or timezone.localdate()
    library = selectors.current_library(person.area_id)
    kind = library.protective_factor_kinds.filter(code=code.strip().upper()).first()
    reason = " ".join(reason.split())
    errors: dict[str, str] = {}
    if kind is None:
        errors["code"] = "Choose a protective factor from the list"
    if not reason:
        errors["reason"] = "Enter why this keeps the child safer"
    elif len(reason) > NOTE_MAX:
        errors["reason"] = f"Keep the reason to {NOTE_MAX} characters or fewer"
    _check_date(errors, "recorded_on", recorded_on, person)
    if errors:
        raise InvalidInput(errors)
    assert kind is not None
    factor = ProtectiveFactor.objects.create(
        person=person,
        code=kind.code,
        title=kind.title,
        reason=reason,
        recorded_on=recorded_on,
        agency=actor.membership.agency,
        recorded_by=actor.user,
        membership=actor.membership,
    )
    audit.record(
        action="protective_factor.recorded", actor=actor, target=factor, person_id=person.pk
    )
    transaction.on_commit(lambda: defer_rescreen(person.pk))
    return factor


# --- Screening -------------------------------------------------------------------------


_PUBLISHED_RULES: dict[tuple[int, Any, Any], tuple[engine.IndicatorRule, ...]] = {}


def engine_library(version: LibraryVersion) -> engine.Library:
    """The version's rules for the engine. A published version's indicators never
    change, so they are read once per process."""
    key = (version.pk, version.created_at, version.published_at)
    rules = _PUBLISHED_RULES.get(key) if version.is_published else None
    if rules is None:
        rules = tuple(
            engine.IndicatorRule(code=code, title=title, weight=weight)
            for code, title, weight in version.indicators.values_list("code", "title", "weight")
        )
        if version.is_published:
            _PUBLISHED_RULES[key] = rules
    return engine.Library(
        indicators=rules,
        thresholds=engine.Thresholds(
            low=float(version.low_threshold),
            medium=float(version.medium_threshold),
            high=float(version.high_threshold),
        ),
        half_life_days=version.half_life_days,
        lookback_days=version.lookback_days,
    )


def _engine_input(person: Person, version: LibraryVersion, as_of: date) -> dict[str, Any]:
    observations = Observation.objects.filter(
        person=person,
        seen_on__lte=as_of,
        seen_on__gte=as_of - timedelta(days=version.lookback_days),
    ).values_list("indicator_code", "seen_on", "agency_id", "confidence")
    protective = ProtectiveFactor.objects.filter(person=person, recorded_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    return {
        "sightings": [engine.Sighting(*row) for row in observations],
        "library": engine_library(version),
        "as_of": as_of,
        "child": engine.Child(
            age=person.age_on(as_of), has_learning_disability=person.has_learning_disability
        ),
        "protective_factors": [
            engine.Protection(code=p.code, title=p.title, reason=p.reason)
            for p in protective.order_by("code", "pk")
        ],
    }


def _factors_json(result: engine.Result) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "title": f.title,
            "weight": f.weight,
            "recency_multiplier": f.recency_multiplier,
            "confidence_multiplier": f.confidence_multiplier,
            "corroboration_multiplier": f.corroboration_multiplier,
            "contribution": f.contribution,
            "sources": [
                {"agency_id": s.agency_id, "seen_on": s.seen_on.isoformat()} for s in f.sources
            ],
        }
        for f in result.factors
    ]


def _carried_override(previous: Screening | None, computed: engine.Level) -> Screening | None:
    """A professional's upward override stands until someone changes it: new signs can
    raise the level further, but never quietly undo a judgement that the risk is higher."""
    if (
        previous is not None
        and previous.override_level
        and previous.approval_status in (OverrideApproval.NOT_NEEDED, OverrideApproval.APPROVED)
        and engine.Level(previous.override_level).rank > computed.rank
    ):
        return previous
    return None


@transaction.atomic
def screen_person(person_id: int, as_of: date | None = None) -> Screening:
    """Screen the child with their area's current library and store the result as their
    current screening. Idempotent: if nothing has changed since the current screening,
    that screening is returned and nothing is written."""
    return _screen_person(person_id, as_of)


def _screen_person(person_id: int, as_of: date | None = None) -> Screening:
    """screen_person, inside a transaction the caller holds (no savepoint of its own)."""
    # Locking the child serialises two re-screens of the same child.
    person = Person.objects.select_related("area").select_for_update(of=("self",)).get(pk=person_id)
    as_of = as_of or timezone.localdate()
    version = selectors.current_library(person.area_id)
    result = engine.screen(**_engine_input(person, version, as_of))
    factors = _factors_json(result)
    protective = [
        {"code": p.code, "title": p.title, "reason": p.reason} for p in result.protective_factors
    ]
    previous = Screening.objects.filter(person=person, is_current=True).first()
    if (
        previous is not None
        and previous.library_version_id == version.pk
        and previous.as_of == as_of
        and previous.computed_level == result.level
        and previous.factors == factors
        and previous.protective_factors == protective
    ):
        return previous
    carried = _carried_override(previous, result.level)
    final = engine.Level(carried.override_level) if carried else result.level
    previous_level = engine.Level(previous.final_level) if previous else engine.Level.NONE
    now = timezone.now()
    if final.rank > previous_level.rank:
        rose_at: Any = now
    elif previous is not None and final == previous_level:
        rose_at = previous.level_rose_at
    else:
        rose_at = None
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    screening = Screening.objects.create(
        person=person,
        library_version=version,
        as_of=as_of,
        computed_level=result.level,
        score=Decimal(str(result.score)),
        factors=factors,
        protective_factors=protective,
        explanation=[
            *result.notes,
            *(["Professional override carried forward"] if carried else []),
        ],
        final_level=final,
        previous_level=previous.final_level if previous else "",
        level_rose_at=rose_at,
        override_level=carried.override_level if carried else "",
        override_reason=carried.override_reason if carried else "",
        override_by=carried.override_by if carried else None,
        override_at=carried.override_at if carried else None,
        approval_status=carried.approval_status if carried else OverrideApproval.NOT_NEEDED,
        approved_by=carried.approved_by if carried else None,
        approved_at=carried.approved_at if carried else None,
        created_at=now,
    )
    audit.record(
        action="screening.recorded",
        area=person.area,
        target=screening,
        person_id=person.pk,
        details={"level": final.value, "previous_level": previous_level.value},
    )
    return screening


def has_risen(screening: Screening) -> bool:
    previous = engine.Level(screening.previous_level or engine.Level.NONE)
    return screening.level.rank > previous.rank


@transaction.atomic
def rescreen(person_id: int) -> Screening:
    """Screen the child; when the level rose, tell everyone on the team around them.
    Safe to run twice: the screening is reused and each notification is keyed by it."""
    screening = _screen_person(person_id)
    if has_risen(screening):
        _notify_team(screening)
    return screening


def _notify_team(screening: Screening) -> None:
    today = timezone.localdate()
    members = (
        TeamMember.objects.filter(person_id=screening.person_id, ended_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("membership__user")
    )
    level = screening.get_final_level_display().lower()
    users = {member.membership.user.pk: member.membership.user for member in members}
    notify_many(
        recipients=list(users.values()),
        kind="risk_rising",
        key=f"risk:{screening.pk}",
        # No name: the title may be read over someone's shoulder or in a list.
        title=f"Risk has risen to {level} for a child on your team",
        url=f"/people/{screening.person_id}/",
        person_id=screening.person_id,
    )
