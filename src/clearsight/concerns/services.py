"""Concerns arriving: from the public form, from professionals and from the helpline
(triage itself is in triage_services.py).

Each arrives in one transaction with its audit event. Urgent concerns ("a child is in
danger now") notify the area's triage officers as they arrive."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Area, Membership
from clearsight.audit import services as audit
from clearsight.concerns import rules
from clearsight.concerns.drafts import ConcernDraft, validate_draft
from clearsight.concerns.models import (
    Concern,
    ConcernSource,
    PublicSubmission,
)
from clearsight.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.services import notify
from clearsight.people.models import Person

logger = logging.getLogger(__name__)
SUBMISSION_KEY_MAX = 64
RATE_WINDOW = timedelta(hours=1)


class RateLimited(DomainError):
    """Too many public concerns from one address, or from everyone, in the last hour."""


@dataclass(frozen=True)
class Submitted:
    concern: Concern
    is_new: bool


# --- Arriving -------------------------------------------------------------------------


def public_area(draft: ConcernDraft) -> Area:
    """The area a public concern goes to: the one the reporter picked, else the one whose
    postcode prefix matches (CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS), else the default
    (CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA), else the first area, so that a concern is
    never refused for want of an area. docs/users/look-closer.md explains it."""
    areas = Area.objects.order_by("pk")
    if draft.area_code:
        chosen = areas.filter(code=draft.area_code).first()
        if chosen is not None:
            return chosen
    if draft.postcode:
        mapping = rules.parse_postcode_areas(settings.CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS)
        code = rules.area_code_for_postcode(draft.postcode, mapping)
        matched = areas.filter(code=code).first() if code else None
        if matched is not None:
            return matched
    default = areas.filter(code=settings.CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA).first()
    if default is not None:
        return default
    first = areas.first()
    if first is None:
        raise DomainError("Clearsight has no areas yet, so it cannot take a concern.")
    logger.warning("Public concern sent to the first area: set CLEARSIGHT_PUBLIC_CONCERN_*")
    return first


def hash_address(ip_address: str) -> str:
    """A keyed hash, so the table of recent submissions never holds anyone's address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"concern-ip:{ip_address}".encode(), hashlib.sha256).hexdigest()


def _lock_address(ip_hash: str) -> None:
    """One submission at a time per address (until the transaction ends), so two sent
    at once can neither both slip under the limit nor both make a concern."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ip_hash])


def _check_rate(ip_hash: str) -> None:
    since = timezone.now() - RATE_WINDOW
    recent = PublicSubmission.objects.filter(submitted_at__gte=since)
    if recent.filter(ip_hash=ip_hash).count() >= settings.CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR:
        raise RateLimited("You have sent a lot of reports in the last hour.")
    if recent.count() >= settings.CLEARSIGHT_PUBLIC_CONCERN_PER_HOUR:
        raise RateLimited("We are getting a lot of reports at the moment.")


def _check_key(submission_key: str) -> str:
    key = submission_key.strip()
    if not key or len(key) > SUBMISSION_KEY_MAX:
        raise InvalidInput({"submission_key": "This form has expired: check your answers again"})
    return key


def _new_concern(
    *, draft: ConcernDraft, area: Area, source: str, submission_key: str, **extra: object
) -> Concern:
    assert draft.seen_on is not None  # validate_draft requires it
    for _ in range(5):
        try:
            with transaction.atomic():
                return Concern.objects.create(
                    reference=rules.new_reference(),
                    area=area,
                    source=source,
                    sector=draft.sector,
                    what_seen=draft.what_seen,
                    where_seen=draft.where_seen,
                    postcode=draft.postcode,
                    latitude=draft.latitude,
                    longitude=draft.longitude,
                    seen_on=draft.seen_on,
                    seen_time=draft.seen_time,
                    description=draft.description,
                    sign_codes=list(draft.sign_codes),
                    is_child_in_danger_now=draft.is_child_in_danger_now,
                    reporter_name=draft.reporter_name,
                    reporter_email=draft.reporter_email,
                    reporter_phone=draft.reporter_phone,
                    has_consent_to_contact=draft.has_consent_to_contact,
                    submission_key=submission_key,
                    **extra,
                )
        except IntegrityError as error:
            # Another concern already has this reference (about one in 10^11): draw again.
            # Anything else (a second submit of the same page) is for the caller.
            if "concerns_concern_reference" not in str(error):
                raise
    raise DomainError("Could not make a unique reference; try again.")


def _existing(submission_key: str) -> Concern | None:
    return Concern.objects.filter(submission_key=submission_key).first()


def _notify_if_urgent(concern: Concern) -> None:
    """A child may be in danger now: every current triage officer of the area is told at
    once (Clearsight has no duty rota; whoever is on duty picks it up, and the
    notification is keyed by the concern so nobody is told twice)."""
    if not concern.is_child_in_danger_now:
        return
    officers = (
        Membership.objects.current()
        .filter(agency__area_id=concern.area_id, role=Role.TRIAGE_OFFICER.value)
        .select_related("user")
    )
    for user in {membership.user for membership in officers}:
        notify(
            recipient=user,
            kind="concern_urgent",
            key=f"concern-urgent:{concern.pk}",
            title=f"Urgent concern {concern.reference}: a child may be in danger now",
            url=f"/concerns/{concern.reference}/",
            person_id=concern.person_id,
        )


def submit_public_concern(
    *, draft: ConcernDraft | None, submission_key: str, ip_address: str
) -> Submitted:
    """A concern from the public form (no sign-in). Idempotent by ``submission_key``:
    a double click or a retry returns the concern already made. Rate-limited per
    address and overall (CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR, _PER_HOUR); a refused
    submission changes nothing, so the reporter's answers are kept to send later.
    ``draft`` is None when the answers are gone (sent already, or expired)."""
    key = _check_key(submission_key)
    existing = _existing(key)
    if existing is not None:
        return Submitted(concern=existing, is_new=False)
    if draft is None:
        raise InvalidInput({"submission_key": "Your answers have expired: start again"})
    draft = validate_draft(draft)
    area = public_area(draft)
    ip_hash = hash_address(ip_address)
    try:
        with transaction.atomic():
            _lock_address(ip_hash)
            existing = _existing(key)
            if existing is not None:
                return Submitted(concern=existing, is_new=False)
            _check_rate(ip_hash)
            concern = _new_concern(
                draft=draft, area=area, source=ConcernSource.PUBLIC, submission_key=key
            )
            PublicSubmission.objects.create(ip_hash=ip_hash)
            audit.record(
                action="concern.submitted",
                area=area,
                target=concern,
                details={"source": concern.source, "urgent": concern.is_child_in_danger_now},
            )
            _notify_if_urgent(concern)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return Submitted(concern=existing, is_new=False)
    return Submitted(concern=concern, is_new=True)


def raise_concern(
    *, actor: Actor, draft: ConcernDraft, submission_key: str, person_id: int | None = None
) -> Submitted:
    """A professional's concern about a child they can see (``person_id``) or a child
    not known to them (a description only). It goes to the actor's area's queue.
    Idempotent by ``submission_key``."""
    if not can(actor, Capability.RAISE_CONCERNS):
        raise PermissionDeniedError("Your role cannot raise concerns.")
    person = None
    if person_id is not None:
        person = visible_persons(actor).filter(pk=person_id).first()
        if person is None:
            raise NotFoundError("There is no such child you may see.")
    return _staff_concern(
        actor=actor,
        draft=draft,
        submission_key=submission_key,
        area=actor.area,
        person=person,
        source=ConcernSource.PROFESSIONAL,
    )


def raise_helpline_concern(
    *, actor: Actor, draft: ConcernDraft, submission_key: str, area: Area
) -> Concern:
    """A helpline contact the caller agreed to share, as a concern in the queue of the
    area the child is in (which need not be the helpline's own)."""
    if not can(actor, Capability.LOG_HELPLINE_CONTACTS):
        raise PermissionDeniedError("Your role cannot log helpline contacts.")
    submitted = _staff_concern(
        actor=actor,
        draft=draft,
        submission_key=submission_key,
        area=area,
        person=None,
        source=ConcernSource.HELPLINE,
    )
    return submitted.concern


def _staff_concern(
    *,
    actor: Actor,
    draft: ConcernDraft,
    submission_key: str,
    area: Area,
    person: Person | None,
    source: str,
) -> Submitted:
    key = _check_key(submission_key)
    existing = _existing(key)
    if existing is not None:
        return Submitted(concern=existing, is_new=False)
    draft = validate_draft(draft, area_id=area.pk)
    try:
        with transaction.atomic():
            concern = _new_concern(
                draft=draft,
                area=area,
                source=source,
                submission_key=key,
                person=person,
                raised_by=actor.user,
                raised_by_membership=actor.membership,
            )
            audit.record(
                action="concern.raised",
                actor=actor,
                area=area,
                target=concern,
                person_id=person.pk if person else None,
                details={"source": source, "urgent": concern.is_child_in_danger_now},
            )
            _notify_if_urgent(concern)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return Submitted(concern=existing, is_new=False)
    return Submitted(concern=concern, is_new=True)


def purge_public_submissions(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Forget rate-limit rows older than a day (they are only needed for an hour)."""
    deleted, _ = PublicSubmission.objects.filter(
        submitted_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
