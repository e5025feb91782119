"""Reads of the audit log for data protection officers: "who has seen this child's
record" and "what has this user done", scoped to the officer's area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.models import BreakGlassAccess
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    person_id: int | None = None
    user_id: int | None = None
    action: str = ""
    from_on: date | None = None
    to_on: date | None = None
    flagged_only: bool = False

    def as_details(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "user_id": self.user_id,
            "action": self.action,
            "from_on": self.from_on.isoformat() if self.from_on else None,
            "to_on": self.to_on.isoformat() if self.to_on else None,
            "flagged_only": self.flagged_only,
        }


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_events(*, actor: Actor, criteria: AuditFilter) -> QuerySet[AuditEvent]:
    """Events of the actor's area matching the filter, newest first."""
    if not can(actor, Capability.VIEW_AUDIT_LOG):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(area_id=actor.area_id).select_related(
        "actor_user", "actor_membership__agency"
    )
    if criteria.person_id:
        # Events about the person, and searches and lists whose results included them.
        events = events.filter(
            Q(person_id=criteria.person_id)
            | Q(details__result_person_ids__contains=[criteria.person_id])
        )
    if criteria.user_id:
        events = events.filter(actor_user_id=criteria.user_id)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.from_on:
        events = events.filter(occurred_at__gte=_start(criteria.from_on))
    if criteria.to_on:
        events = events.filter(occurred_at__lt=_start(criteria.to_on) + timedelta(days=1))
    if criteria.flagged_only:
        events = events.filter(details__flagged=True)
    return events.order_by("-occurred_at", "-id")


def area_events(
    *, actor: Actor, criteria: AuditFilter, page: int = 1, per_page: int = 50
) -> Page[AuditEvent]:
    return Paginator(filtered_events(actor=actor, criteria=criteria), per_page).get_page(page)


def known_actions(*, actor: Actor) -> list[str]:
    if not can(actor, Capability.VIEW_AUDIT_LOG):
        return []
    return list(
        AuditEvent.objects.filter(area_id=actor.area_id)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )


def emergency_accesses(
    *, actor: Actor, unreviewed_only: bool = False
) -> QuerySet[BreakGlassAccess]:
    """Break-glass openings of records in the actor's area, for the DPO to review."""
    if not can(actor, Capability.VIEW_AUDIT_LOG):
        return BreakGlassAccess.objects.none()
    grants = BreakGlassAccess.objects.filter(person__area_id=actor.area_id).select_related(
        "user", "membership__agency", "reviewed_by"
    )
    if unreviewed_only:
        grants = grants.filter(reviewed_at__isnull=True)
    return grants.order_by("reviewed_at", "-granted_at")
