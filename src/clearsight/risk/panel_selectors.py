"""Reads for the risk panel on the child page: the current level, why (each factor in
plain English with its sources and dates), the override, and the risk over time.

Two queries whatever the child's history (the child page keeps a flat query count):
the child's screenings, and their observations with the agencies that made them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clearsight.access.actor import Actor
from clearsight.access.policy import is_manager
from clearsight.access.roles import Capability
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
    history: list[Screening]
    observations: list[dict[str, Any]]
    can_record: bool
    can_override: bool
    is_being_rescreened: bool
    can_decide: bool = False
    chart: dict[str, Any] = field(default_factory=dict)

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


def _factor_lines(
    screening: Screening, observations: Sequence[Mapping[str, Any]]
) -> list[FactorLine]:
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


def risk_panel(*, actor: Actor, person: Person) -> RiskPanel | None:
    """Everything the child page shows about risk; None for an adult."""
    if not person.is_child:
        return None
    newest_first = list(
        selectors.screenings_for(actor, person).select_related("override_by", "approved_by")[
            :HISTORY_LIMIT
        ]
    )
    observations = list(
        selectors.observations_for(actor, person).values(
            "indicator_code",
            "indicator_title",
            "seen_on",
            "confidence",
            "source",
            "agency_id",
            "agency__name",
            "created_at",
        )
    )
    current = next((s for s in newest_first if s.is_current), None)
    history = list(reversed(newest_first))
    latest_observation: datetime | None = max((o["created_at"] for o in observations), default=None)
    return RiskPanel(
        screening=current,
        factors=_factor_lines(current, observations) if current else [],
        history=history,
        observations=[
            o | {"confidence_label": CONFIDENCE_LABELS.get(o["confidence"], "")}
            for o in observations
        ],
        can_record=actor.can(Capability.RECORD_OBSERVATIONS),
        can_override=may_override(actor),
        is_being_rescreened=latest_observation is not None
        and (current is None or latest_observation > current.created_at),
        chart=_chart(history, observations),
        can_decide=current is not None
        and current.approval_status == OverrideApproval.PENDING
        and current.override_by_id != actor.user.pk
        and is_manager(actor),
    )
