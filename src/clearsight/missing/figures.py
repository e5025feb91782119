"""Reads for the missing children coordinator: RHI compliance figures and the rows of
the SSDA903 MISSING and Ofsted Annex A exports.

Figures are counted by the database (one grouped query each), never by looping over
every interview in Python. Everything starts from ``visible_persons(actor)``, so a
coordinator sees their own area only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.missing.deadlines import UK
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview, RhiState
from clearsight.missing.patterns import REPEAT_THRESHOLD, REPEAT_WINDOW
from clearsight.missing.ssda903 import AnnexARow, MissingRow, child_identifier
from clearsight.people.choices import IdentifierKind, LegalStatus
from clearsight.people.models import PersonIdentifier

# Still waiting for something to happen: offered, accepted but not yet held, or not
# offered at all. Declined, completed and not-completed interviews are finished.
OPEN_STATES = (RhiState.TO_OFFER, RhiState.OFFERED, RhiState.ACCEPTED)
# The child said yes at some point: accepted, then held or not held.
ACCEPTED_STATES = (RhiState.ACCEPTED, RhiState.COMPLETED, RhiState.NOT_COMPLETED)
NOT_YET_OFFERED = "Not yet offered"
OVERDUE_LIST_LIMIT = 100

_COUNTS: dict[str, Any] = {
    "returns": Count("pk"),
    "offered": Count("pk", filter=Q(offered_at__isnull=False)),
    "offered_in_time": Count("pk", filter=Q(offered_at__lte=F("due_at"))),
    "accepted": Count("pk", filter=Q(state__in=ACCEPTED_STATES)),
    "completed": Count("pk", filter=Q(state=RhiState.COMPLETED)),
}


@dataclass(frozen=True)
class Compliance:
    label: str
    returns: int = 0
    offered: int = 0
    offered_in_time: int = 0
    accepted: int = 0
    completed: int = 0

    @property
    def in_time_percent(self) -> int | None:
        """Returns offered an interview within 72 hours, as a whole percentage."""
        if not self.returns:
            return None
        return round(100 * self.offered_in_time / self.returns)


@dataclass(frozen=True)
class Figures:
    from_on: date
    to_on: date
    total: Compliance
    by_month: list[Compliance]
    by_agency: list[Compliance]
    open_interviews: int
    overdue_interviews: int
    overdue: list[ReturnHomeInterview]
    repeat_missing_children: int


def period_bounds(from_on: date, to_on: date) -> tuple[datetime, datetime]:
    """The UK-time instants the period covers: from midnight at its start to midnight
    after its last day."""
    return (
        datetime.combine(from_on, time.min, tzinfo=UK),
        datetime.combine(to_on + timedelta(days=1), time.min, tzinfo=UK),
    )


def _months(from_on: date, to_on: date) -> list[date]:
    months, month = [], from_on.replace(day=1)
    while month <= to_on:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _compliance(label: str, counts: Mapping[str, Any]) -> Compliance:
    return Compliance(label=label, **{name: counts.get(name) or 0 for name in _COUNTS})


def _interviews(actor: Actor) -> QuerySet[ReturnHomeInterview]:
    return ReturnHomeInterview.objects.filter(episode__person__in=visible_persons(actor))


def _repeat_missing_children(actor: Actor, start: datetime, end: datetime) -> int:
    """Children with an episode in the period that was their third or more within 90
    days (the same rule as the flag on the child's record)."""
    in_window = (
        MissingEpisode.objects.filter(
            person=OuterRef("person"),
            started_at__gt=OuterRef("started_at") - REPEAT_WINDOW,
            started_at__lte=OuterRef("started_at"),
        )
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        MissingEpisode.objects.filter(
            person__in=visible_persons(actor), started_at__gte=start, started_at__lt=end
        )
        .annotate(in_window=Subquery(in_window, output_field=IntegerField()))
        .filter(in_window__gte=REPEAT_THRESHOLD)
        .values("person")
        .distinct()
        .count()
    )


def missing_figures(
    *, actor: Actor, from_on: date, to_on: date, now: datetime | None = None
) -> Figures:
    """RHI compliance for returns in the period, by month of return and by the agency of
    the interview worker; interviews open and overdue now; repeat-missing children."""
    now = now or timezone.now()
    start, end = period_bounds(from_on, to_on)
    returned = _interviews(actor).filter(episode__ended_at__gte=start, episode__ended_at__lt=end)
    per_month = {
        row["month"].date(): row
        for row in returned.annotate(month=TruncMonth("episode__ended_at", tzinfo=UK))
        .values("month")
        .annotate(**_COUNTS)
        .order_by("month")
    }
    by_month = [
        _compliance(f"{month:%B %Y}", per_month.get(month, {})) for month in _months(from_on, to_on)
    ]
    by_agency = [
        _compliance(row["worker__agency__name"] or NOT_YET_OFFERED, row)
        for row in returned.values("worker__agency__name")
        .annotate(**_COUNTS)
        .order_by(F("worker__agency__name").asc(nulls_last=True))
    ]
    still_open = _interviews(actor).filter(state__in=OPEN_STATES)
    now_counts = still_open.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))
    )
    overdue = list(
        still_open.filter(due_at__lt=now)
        .select_related("episode__person", "worker__user", "worker__agency")
        .order_by("due_at")[:OVERDUE_LIST_LIMIT]
    )
    return Figures(
        from_on=from_on,
        to_on=to_on,
        total=_compliance("All returns", returned.aggregate(**_COUNTS)),
        by_month=by_month,
        by_agency=by_agency,
        open_interviews=now_counts["open"],
        overdue_interviews=now_counts["overdue"],
        overdue=overdue,
        repeat_missing_children=_repeat_missing_children(actor, start, end),
    )


@dataclass(frozen=True)
class ExportRows:
    """Rows for a return, and the children in them (for the audit event)."""

    rows: list[MissingRow] | list[AnnexARow]
    person_ids: list[int]


def _episodes_in_period(actor: Actor, from_on: date, to_on: date) -> QuerySet[MissingEpisode]:
    start, end = period_bounds(from_on, to_on)
    return (
        MissingEpisode.objects.filter(person__in=visible_persons(actor), started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .order_by("person_id", "started_at")
    )


def _la_child_id() -> Subquery:
    """The child's local authority id, if their record has one (the first recorded)."""
    return Subquery(
        PersonIdentifier.objects.filter(person=OuterRef("person"), kind=IdentifierKind.LA_ID)
        .order_by("pk")
        .values("value")[:1]
    )


def _uk_day(moment: datetime | None, end: datetime | None = None) -> date | None:
    """The UK date of a moment; None if there is none or it falls after ``end`` (the
    return is as at the end of the period, when that episode was still open)."""
    if moment is None or (end is not None and moment >= end):
        return None
    return moment.astimezone(UK).date()


def ssda903_rows(*, actor: Actor, from_on: date, to_on: date) -> ExportRows:
    """The SSDA903 MISSING table: episodes of looked-after children open at any time in
    the period, as at its end."""
    _, end = period_bounds(from_on, to_on)
    episodes = (
        _episodes_in_period(actor, from_on, to_on)
        .filter(person__legal_status=LegalStatus.LOOKED_AFTER)
        .annotate(la_child_id=_la_child_id())
        .values(
            "person_id", "la_child_id", "person__date_of_birth", "kind", "started_at", "ended_at"
        )
    )
    rows, person_ids = [], []
    for e in episodes:
        rows.append(
            MissingRow(
                child=child_identifier(e["person_id"], e["la_child_id"]),
                date_of_birth=e["person__date_of_birth"],
                kind=e["kind"],
                started_on=_uk_day(e["started_at"]),
                ended_on=_uk_day(e["ended_at"], end),
            )
        )
        person_ids.append(e["person_id"])
    return ExportRows(rows=rows, person_ids=person_ids)


def annex_a_rows(*, actor: Actor, from_on: date, to_on: date) -> ExportRows:
    """Ofsted Annex A missing items: every child's episodes in the period, and whether a
    return home interview was offered and accepted."""
    _, end = period_bounds(from_on, to_on)
    episodes = (
        _episodes_in_period(actor, from_on, to_on)
        .annotate(la_child_id=_la_child_id())
        .values(
            "person_id",
            "la_child_id",
            "started_at",
            "ended_at",
            "return_interview__offered_at",
            "return_interview__state",
        )
    )
    rows, person_ids = [], []
    for e in episodes:
        rows.append(
            AnnexARow(
                child=child_identifier(e["person_id"], e["la_child_id"]),
                started_on=_uk_day(e["started_at"]),
                ended_on=_uk_day(e["ended_at"], end),
                rhi_offered=e["return_interview__offered_at"] is not None,
                rhi_accepted=e["return_interview__state"] in ACCEPTED_STATES,
            )
        )
        person_ids.append(e["person_id"])
    return ExportRows(rows=rows, person_ids=person_ids)
