"""Reads for the area dashboard: the headline figures of each module, gathered from that
module's own figures selector (nothing is counted twice in two ways). A section is
built only for a role that may open the module's detailed figures, so the dashboard
never shows more than those pages do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability
from clearsight.cases import help_selectors
from clearsight.cases.time_to_help import Figure
from clearsight.concerns.selectors import ConcernFigures, concern_figures, target_hours
from clearsight.missing.figures import Compliance, missing_figures

CONCERN_DAYS = 30


@dataclass(frozen=True)
class MissingHeadline:
    from_on: date
    to_on: date
    this_month: Compliance
    open_interviews: int
    overdue_interviews: int


@dataclass(frozen=True)
class HelpHeadline:
    overall: Figure | None
    without_action: int
    days: int


@dataclass(frozen=True)
class AreaDashboard:
    concerns: ConcernFigures | None
    target_hours: int
    missing: MissingHeadline | None
    help: HelpHeadline | None

    @property
    def sections(self) -> list[str]:
        names = {"concerns": self.concerns, "missing": self.missing, "time_to_help": self.help}
        return [name for name, section in names.items() if section is not None]


def _missing(actor: Actor) -> MissingHeadline:
    today = timezone.localdate()
    figures = missing_figures(actor=actor, from_on=today.replace(day=1), to_on=today)
    return MissingHeadline(
        from_on=figures.from_on,
        to_on=figures.to_on,
        this_month=figures.total,
        open_interviews=figures.open_interviews,
        overdue_interviews=figures.overdue_interviews,
    )


def _help(actor: Actor) -> HelpHeadline:
    report = help_selectors.time_to_help(actor=actor)
    return HelpHeadline(
        overall=report.overall, without_action=len(report.without_action), days=report.days
    )


def area_dashboard(*, actor: Actor) -> AreaDashboard:
    """Concerns in the last 30 days, return home interviews this month and time to
    help, each for a role that may see that module's figures."""
    return AreaDashboard(
        concerns=(
            concern_figures(actor=actor, days=CONCERN_DAYS)
            if actor.can(Capability.TRIAGE_CONCERNS)
            else None
        ),
        target_hours=target_hours(),
        missing=_missing(actor) if actor.can(Capability.COORDINATE_MISSING) else None,
        help=_help(actor) if actor.can(Capability.MANAGE_CASES) else None,
    )
