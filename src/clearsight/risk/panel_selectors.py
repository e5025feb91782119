"""Reads for the risk panel on the child page: the current level, why (each factor in
plain English with its sources and dates), the override, and the risk over time.

Two queries whatever the child's history (the child page keeps a flat query count):
the child's screenings, and their observations with the agencies that made them; a
third, for the names of who overrode and approved, only when the child's current
screening has a professional judgement (few do). Each reads only the columns shown, and
the tables' dates, labels and figures are written once here, not per row in the
template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import dateformat, timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import is_manager
from clearsight.access.roles import Capability
from clearsight.accounts.models import User
from clearsight.people.models import Person
from clearsight.risk import selectors
from clearsight.risk.engine import LEVEL_LABELS, Level
from clearsight.risk.models import ObservationSource, OverrideApproval, Screening
from clearsight.risk.override_services import may_override

HISTORY_LIMIT = 100
# The chart shows at least this many days back, so a new history is not squeezed.
CHART_WINDOW_DAYS = 90
TAG_CLASSES = {
    Level.NONE: "govuk-tag--grey",
    Level.LOW: "govuk-tag--yellow",
    Level.MEDIUM: "govuk-tag--orange",
    Level.HIGH: "govuk-tag--red",
}
CONFIDENCE_LABELS = {
    1: "Unsure",
    2: "Possibly",
    3: "Probably",
    4: "Very likely",
    5: "Certain",
}


@dataclass(frozen=True)
class SourceLine:
    agency: str
    seen_on: date
    how: str  # "return home interview", "concern"...; empty for a professional's own

    @property
    def text(self) -> str:
        how = f" ({self.how})" if self.how else ""
        return f"{self.agency}{how}, {self.seen_on:%-d %B %Y}"


@dataclass(frozen=True)
class FactorLine:
    code: str
    title: str
    weight: int
    contribution: float
    sources: tuple[SourceLine, ...]
    adjustments: tuple[str, ...]

    @property
    def agencies(self) -> list[str]:
        return sorted({s.agency for s in self.sources})

    @property
    def seen_by(self) -> list[str]:
        """Who saw the sign, an agency (and how) a line, for a summary such as the MACE
        pack: "Testshire Police, 16 times from 7 November to 6 December 2026"."""
        dates: dict[tuple[str, str], list[date]] = {}
        for s in self.sources:
            dates.setdefault((s.agency, s.how), []).append(s.seen_on)
        lines = []
        for (agency, how), seen in sorted(dates.items()):
            who = f"{agency} ({how})" if how else agency
            first, last = min(seen), max(seen)
            if len(seen) == 1:
                lines.append(f"{who}, {first:%-d %B %Y}")
            else:
                since = f"{first:%-d %B}" if first.year == last.year else f"{first:%-d %B %Y}"
                lines.append(f"{who}, {len(seen)} times from {since} to {last:%-d %B %Y}")
        return lines

    @property
    def counting(self) -> str:
        """How the sign counts, as the panel says it: its weight, each adjustment, and
        what it adds to the score."""
        adjustments = "".join(f"; {line}" for line in self.adjustments)
        return (
            f"Weight {self.weight}{adjustments}. "
            f"Adds {floatformat(self.contribution, '-2')} to the score."
        )


@dataclass(frozen=True)
class HistoryRow:
    """One screening in the figures table, its texts as the table shows them."""

    created: str
    level: str
    computed: str
    score: str


@dataclass(frozen=True)
class ObservationRow:
    """One sign in the figures table, its texts as the table shows them."""

    seen: str
    sign: str
    agency: str
    how_sure: str


@dataclass(frozen=True)
class LevelTag:
    level: Level

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def css(self) -> str:
        return TAG_CLASSES[self.level]


@dataclass
class RiskPanel:
    screening: Screening | None
    factors: list[FactorLine]
    history: list[HistoryRow]
    observations: list[ObservationRow]
    can_record: bool
    can_override: bool
    is_being_rescreened: bool
    can_decide: bool = False
    chart: dict[str, Any] = field(default_factory=dict)
    override_by_name: str = ""
    approved_by_name: str = ""

    @property
    def final(self) -> LevelTag:
        return LevelTag(self.screening.level if self.screening else Level.NONE)

    @property
    def computed(self) -> LevelTag | None:
        """The computed level, when it differs from the final one."""
        if self.screening and self.screening.computed_level != self.screening.final_level:
            return LevelTag(Level(self.screening.computed_level))
        return None

    @property
    def requested(self) -> LevelTag | None:
        if self.screening and self.screening.override_level:
            return LevelTag(Level(self.screening.override_level))
        return None

    @property
    def level_choices(self) -> list[tuple[str, str]]:
        return [(level.value, LEVEL_LABELS[level]) for level in Level]

    @property
    def is_pending(self) -> bool:
        return bool(self.screening and self.screening.approval_status == OverrideApproval.PENDING)

    @property
    def was_rejected(self) -> bool:
        return bool(self.screening and self.screening.approval_status == OverrideApproval.REJECTED)


def _adjustments(factor: dict[str, Any], half_life_days: int) -> tuple[str, ...]:
    lines = []
    recency = float(factor["recency_multiplier"])
    if recency < 0.995:
        lines.append(
            f"counted at {recency:.0%} because signs count less as time passes "
            f"(half after {half_life_days} days)"
        )
    confidence = float(factor["confidence_multiplier"])
    if confidence < 0.995:
        lines.append(f"counted at {confidence:.0%} for how sure the person who saw it was")
    if float(factor["corroboration_multiplier"]) > 1:
        lines.append(
            f"counted {float(factor['corroboration_multiplier']):g} times because two or "
            "more agencies saw it"
        )
    return tuple(lines)


def factor_lines(
    screening: Screening, observations: Sequence[Mapping[str, Any]]
) -> list[FactorLine]:
    """The screening's signs as the risk panel words them, each with who saw it and when.
    ``observations`` are rows with indicator_code, agency_id, agency__name, seen_on and
    source (the child's observation_rows, or the MACE pack's)."""
    agencies = {o["agency_id"]: o["agency__name"] for o in observations}
    how: dict[tuple[str, int, str], set[str]] = {}
    for o in observations:
        key = (o["indicator_code"], o["agency_id"], o["seen_on"].isoformat())
        if o["source"] != ObservationSource.PROFESSIONAL:
            how.setdefault(key, set()).add(ObservationSource(o["source"]).label.lower())
    half_life = screening.library_version.half_life_days
    lines = []
    for factor in screening.factors:
        sources = tuple(
            SourceLine(
                agency=agencies.get(s["agency_id"], "An agency"),
                seen_on=date.fromisoformat(s["seen_on"]),
                how=", ".join(sorted(how.get((factor["code"], s["agency_id"], s["seen_on"]), ()))),
            )
            for s in factor["sources"]
        )
        lines.append(
            FactorLine(
                code=factor["code"],
                title=factor["title"],
                weight=factor["weight"],
                contribution=float(factor["contribution"]),
                sources=sources,
                adjustments=_adjustments(factor, half_life),
            )
        )
    return lines


def _history_rows(history: list[Screening]) -> list[HistoryRow]:
    # As the template's date filter writes them: in UK time, "4 Dec 2026 16:51".
    return [
        HistoryRow(
            created=dateformat.format(timezone.localtime(s.created_at), "j M Y H:i"),
            level=LEVEL_LABELS[Level(s.final_level)],
            computed=LEVEL_LABELS[Level(s.computed_level)],
            score=floatformat(s.score, "-2"),
        )
        for s in history
    ]


def _observation_rows(observations: Sequence[Mapping[str, Any]]) -> list[ObservationRow]:
    # "4 Dec 2026", as the date filter's "j M Y" writes it, without its cost per row.
    return [
        ObservationRow(
            seen=f"{o['seen_on']:%-d %b %Y}",
            sign=o["indicator_title"],
            agency=o["agency__name"],
            how_sure=f"{o['confidence']} – {CONFIDENCE_LABELS.get(o['confidence'], '')}",
        )
        for o in observations
    ]


def _level_when_recorded(history: list[Screening], observation: Mapping[str, Any]) -> int:
    """The final level in force when the sign was recorded (history is oldest first),
    so each point sits on the line where it came in, before the re-screen it caused."""
    rank = 0
    for screening in history:
        if screening.created_at > observation["created_at"]:
            break
        rank = screening.level.rank
    return rank


def _chart(history: list[Screening], observations: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    first = history[0] if history else None
    return {
        "levels": [LEVEL_LABELS[level] for level in Level],
        "window_days": CHART_WINDOW_DAYS,
        "start_level": Level(first.previous_level or Level.NONE).rank if first else 0,
        "screenings": [{"at": s.created_at.isoformat(), "level": s.level.rank} for s in history],
        "observations": [
            {
                "on": f"{o['seen_on'].isoformat()}T00:00:00",
                "level": _level_when_recorded(history, o),
                "label": f"{o['indicator_title']} ({o['agency__name']})",
            }
            for o in reversed(observations)
        ],
    }


# What the panel shows of a screening and its library version (the current screening
# shows them all; older ones only their date, levels and score).
SCREENING_COLUMNS = (
    "as_of",
    "computed_level",
    "score",
    "factors",
    "protective_factors",
    "explanation",
    "final_level",
    "previous_level",
    "override_level",
    "override_reason",
    "override_by_id",
    "override_at",
    "approval_status",
    "approved_by_id",
    "approved_at",
    "is_current",
    "created_at",
    "library_version",
    "library_version__title",
    "library_version__number",
    "library_version__low_threshold",
    "library_version__medium_threshold",
    "library_version__high_threshold",
    "library_version__half_life_days",
    "library_version__lookback_days",
)


def _names(current: Screening | None) -> tuple[str, str]:
    """Who made and who decided the professional judgement, when there is one."""
    made_by, decided_by = (current.override_by_id, current.approved_by_id) if current else (0, 0)
    if not (made_by or decided_by):
        return "", ""
    ids = [pk for pk in (made_by, decided_by) if pk]
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    return names.get(made_by or 0, ""), names.get(decided_by or 0, "")


# The columns of a child's observations that the child page shows: the risk panel's and
# the timeline's (who recorded them and the note), read once for both.
OBSERVATION_COLUMNS = (
    "pk",
    "indicator_code",
    "indicator_title",
    "seen_on",
    "confidence",
    "source",
    "agency_id",
    "agency__name",
    "created_at",
    "membership_id",
    "author__full_name",
    "note",
)


def observation_rows(*, actor: Actor, person: Person) -> list[dict[str, Any]]:
    """Every observation about the child the actor may see, most recently seen first, as
    rows of OBSERVATION_COLUMNS (for risk_panel and the timeline)."""
    return list(selectors.observations_for(actor, person).values(*OBSERVATION_COLUMNS))


def risk_panel(
    *, actor: Actor, person: Person, observations: list[dict[str, Any]] | None = None
) -> RiskPanel | None:
    """Everything the child page shows about risk; None for an adult. ``observations``
    are the child's observation_rows when the page has read them already."""
    if not person.is_child:
        return None
    newest_first = list(
        selectors.screenings_for(actor, person).only(*SCREENING_COLUMNS)[:HISTORY_LIMIT]
    )
    if observations is None:
        observations = observation_rows(actor=actor, person=person)
    current = next((s for s in newest_first if s.is_current), None)
    history = list(reversed(newest_first))
    override_by_name, approved_by_name = _names(current)
    latest_observation: datetime | None = max((o["created_at"] for o in observations), default=None)
    return RiskPanel(
        screening=current,
        factors=factor_lines(current, observations) if current else [],
        history=_history_rows(history),
        observations=_observation_rows(observations),
        can_record=actor.can(Capability.RECORD_OBSERVATIONS),
        can_override=may_override(actor),
        is_being_rescreened=latest_observation is not None
        and (current is None or latest_observation > current.created_at),
        chart=_chart(history, observations),
        can_decide=current is not None
        and current.approval_status == OverrideApproval.PENDING
        and current.override_by_id != actor.user.pk
        and is_manager(actor),
        override_by_name=override_by_name,
        approved_by_name=approved_by_name,
    )
