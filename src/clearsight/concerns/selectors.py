"""Reads for the triage queue, a concern's page, linking and the helpline log.

Concerns are seen by the triage officers of the concern's area only; helpline contacts by
the helpline workers of the agency that logged them. Linking starts from
``people.selectors.likely_matches``, which starts from ``visible_persons``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_concerns, visible_helpline_contacts
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Area, Membership
from clearsight.concerns import rules
from clearsight.concerns.models import (
    OPEN_STATES,
    CallerType,
    Concern,
    ConcernSource,
    ConcernState,
    HelplineContact,
    Outcome,
    Sector,
    TriageDecision,
)
from clearsight.people.selectors import Match, likely_matches
from clearsight.risk.selectors import indicator_titles

QUEUE_LIMIT = 200
CLOSED_DAYS = 30


def triage_concerns(actor: Actor) -> QuerySet[Concern]:
    """Every concern the actor may triage: those of their area, for triage roles only."""
    return visible_concerns(actor)


def target_hours() -> int:
    return int(settings.CLEARSIGHT_TRIAGE_TARGET_HOURS)


@dataclass(frozen=True)
class QueueRow:
    concern: Concern
    age: str
    is_overdue: bool
    due_at: datetime


def _row(concern: Concern, now: datetime) -> QueueRow:
    due_at = concern.created_at + timedelta(hours=target_hours())
    return QueueRow(
        concern=concern,
        age=rules.describe_duration(now - concern.created_at),
        is_overdue=concern.triaged_at is None and now > due_at,
        due_at=due_at,
    )


QUEUE_VIEWS = {
    "open": "All open",
    "mine": "Assigned to me",
    "unassigned": "Not assigned",
    "closed": f"Closed in the last {CLOSED_DAYS} days",
}


def triage_queue(*, actor: Actor, view: str = "open") -> list[QueueRow]:
    """Urgent ("a child is in danger now") first, then oldest first: the order in which
    they should be picked up."""
    concerns = triage_concerns(actor).select_related("assigned_to__user", "person")
    if view == "closed":
        since = timezone.now() - timedelta(days=CLOSED_DAYS)
        concerns = concerns.filter(state=ConcernState.CLOSED, closed_at__gte=since).order_by(
            "-closed_at"
        )
    else:
        concerns = concerns.filter(state__in=OPEN_STATES).order_by(
            "-is_child_in_danger_now", "created_at", "pk"
        )
        if view == "mine":
            concerns = concerns.filter(assigned_to=actor.membership)
        elif view == "unassigned":
            concerns = concerns.filter(assigned_to__isnull=True)
    now = timezone.now()
    return [_row(concern, now) for concern in concerns[:QUEUE_LIMIT]]


def concern_for_triage(*, actor: Actor, reference: str) -> Concern | None:
    return (
        triage_concerns(actor)
        .select_related(
            "assigned_to__user",
            "assigned_to__agency",
            "person",
            "raised_by",
            "raised_by_membership__agency",
        )
        .filter(reference=reference)
        .first()
    )


def concern_row(concern: Concern) -> QueueRow:
    return _row(concern, timezone.now())


def decisions_for(concern: Concern) -> list[TriageDecision]:
    return list(
        concern.decisions.select_related(
            "decided_by", "membership__agency", "assigned_to__user", "person"
        )
    )


def sign_titles(concern: Concern) -> list[tuple[str, str]]:
    """The concern's signs with their titles in the area's library."""
    titles = indicator_titles(concern.area_id, concern.sign_codes)
    return [(code, titles.get(code, code)) for code in concern.sign_codes]


def triage_officers(*, actor: Actor) -> list[tuple[int, str]]:
    """Current triage officers of the actor's area, to assign a concern to."""
    if not can(actor, Capability.TRIAGE_CONCERNS):
        return []
    memberships = (
        Membership.objects.current()
        .filter(agency__area_id=actor.area_id, role=Role.TRIAGE_OFFICER.value, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    return [(m.pk, f"{m.user.full_name}, {m.agency.name}") for m in memberships]


def link_candidates(
    *, actor: Actor, given_names: str, family_name: str, date_of_birth: date | None
) -> list[Match]:
    """Likely existing records for the child in a concern, each with why it may match."""
    if not can(actor, Capability.TRIAGE_CONCERNS) or not (given_names or family_name):
        return []
    return likely_matches(
        actor=actor,
        given_names=given_names,
        family_name=family_name,
        date_of_birth=date_of_birth,
    )


def public_areas() -> list[tuple[str, str]]:
    """Clearsight areas a member of the public can pick (names only, nothing else)."""
    return list(Area.objects.order_by("name").values_list("code", "name"))


# --- Helpline ----------------------------------------------------------------------------


def helpline_contacts(*, actor: Actor) -> QuerySet[HelplineContact]:
    """Contacts logged by the actor's helpline (their agency), newest first."""
    return visible_helpline_contacts(actor)


def helpline_contact_for(*, actor: Actor, pk: int) -> HelplineContact | None:
    return (
        helpline_contacts(actor=actor)
        .select_related("area", "logged_by", "concern")
        .filter(pk=pk)
        .first()
    )


# --- Figures -----------------------------------------------------------------------------


def _counts(queryset: QuerySet[Any], field: str, labels: dict[str, str]) -> list[tuple[str, int]]:
    rows = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(label, rows.get(value, 0)) for value, label in labels.items()]


@dataclass(frozen=True)
class ConcernFigures:
    days: int
    total: int
    by_source: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    triaged: int
    median_hours: float | None
    p90_hours: float | None
    within_target: int
    helpline_by_caller: list[tuple[str, int]]
    helpline_total: int
    helpline_shared: int


def concern_figures(*, actor: Actor, days: int) -> ConcernFigures:
    """Concerns received in the last ``days`` days in the actor's area: by source and
    sector, outcomes, and time to triage (median and 90th percentile, hours). Helpline
    contacts about children in the area by caller type, counted whether or not the
    caller agreed to share (anonymous figures)."""
    since = timezone.now() - timedelta(days=days)
    concerns = triage_concerns(actor).filter(created_at__gte=since)
    waits = list(
        concerns.filter(triaged_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("triaged_at") - F("created_at"), DurationField()))
        .values_list("wait", flat=True)
    )
    hours = [wait.total_seconds() / 3600 for wait in waits]
    median, p90 = rules.percentile(hours, 0.5), rules.percentile(hours, 0.9)
    contacts = HelplineContact.objects.none()
    if can(actor, Capability.TRIAGE_CONCERNS):
        contacts = HelplineContact.objects.filter(area_id=actor.area_id, contacted_at__gte=since)
    sectors = {"": "Not given or not at work", **dict(Sector.choices)}
    return ConcernFigures(
        days=days,
        total=concerns.count(),
        by_source=_counts(concerns, "source", dict(ConcernSource.choices)),
        by_sector=_counts(concerns.filter(source="public"), "sector", sectors),
        by_outcome=_counts(concerns.exclude(outcome=""), "outcome", dict(Outcome.choices)),
        triaged=len(hours),
        median_hours=round(median, 1) if median is not None else None,
        p90_hours=round(p90, 1) if p90 is not None else None,
        within_target=sum(1 for h in hours if h <= target_hours()),
        helpline_by_caller=_counts(contacts, "caller_type", dict(CallerType.choices)),
        helpline_total=contacts.count(),
        helpline_shared=contacts.filter(concern__isnull=False).count(),
    )
