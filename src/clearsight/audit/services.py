"""Writing audit events. Every service that reads or changes personal data calls
``record`` inside its own transaction, so the event and the change commit together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from clearsight.access.models import BreakGlassAccess
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.audit.models import AuditEvent
from clearsight.core import request_context
from clearsight.core.errors import InvalidInput, NotFoundError

if TYPE_CHECKING:
    from clearsight.access.actor import Actor
    from clearsight.accounts.models import User
    from clearsight.areas.models import Area


def record(
    *,
    action: str,
    actor: Actor | None = None,
    user: User | None = None,
    area: Area | None = None,
    target: models.Model | None = None,
    person_id: int | None = None,
    reason: str = "",
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` when acting in a membership; ``user`` alone for
    sign-in events that happen before a membership is chosen."""
    context = request_context.current()
    if context is not None and ip_address is None:
        ip_address = context.ip_address
    if area is None and actor is not None:
        area = actor.area
    if area is None and user is not None:
        area = _home_area(user)
    return AuditEvent.objects.create(
        action=action,
        actor_user=actor.user if actor else user,
        actor_membership=actor.membership if actor else None,
        area=area,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        person_id=person_id,
        reason=reason,
        ip_address=ip_address,
        request_id=context.request_id if context else "",
        details=details or {},
    )


def _home_area(user: User) -> Area | None:
    """The area a sign-in event belongs to, so that area's DPO sees it."""
    from clearsight.areas.models import Membership

    membership = (
        Membership.objects.filter(user=user)
        .select_related("agency__area")
        .order_by("ended_at", "pk")
        .first()
    )
    return membership.agency.area if membership else None


def review_emergency_access(*, actor: Actor, grant_id: int, note: str) -> None:
    """The DPO records that an emergency (break-glass) access was looked at, and what
    they found; the review itself is audited."""
    note = " ".join(note.split())
    if not note:
        raise InvalidInput(
            {"note": "Enter what you found, for example whether the access was justified"}
        )
    if len(note) > 500:
        raise InvalidInput({"note": "The note must be 500 characters or fewer"})
    with transaction.atomic():
        grant = (
            BreakGlassAccess.objects.select_for_update()
            .filter(pk=grant_id, person__area_id=actor.area_id, reviewed_at__isnull=True)
            .first()
        )
        if grant is None or not can(actor, Capability.VIEW_AUDIT_LOG):
            raise NotFoundError("There is no such emergency access waiting for review.")
        grant.reviewed_at = timezone.now()
        grant.reviewed_by = actor.user
        grant.review_note = note
        grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        record(
            action="break_glass.reviewed",
            actor=actor,
            target=grant,
            person_id=grant.person_id,
            reason=note,
        )
