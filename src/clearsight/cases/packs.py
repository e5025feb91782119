"""MACE meeting packs (one per child on the agenda) and minutes, as PDFs.

Packs hold the most sensitive summary Clearsight produces, so: only the meeting's
members may have one; every download and every refusal is audited; every page carries
OFFICIAL-SENSITIVE and a watermark naming who downloaded it and when, so a copy that
leaks can be traced (Government Security Classifications, OFFICIAL-SENSITIVE handling).
Nothing is fetched while rendering: the URL fetcher allows data: URIs only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.audit import services as audit
from clearsight.cases import nrm_services
from clearsight.cases.models import (
    OPEN_ACTION_STATES,
    AgendaItem,
    AgendaKind,
    MaceMeeting,
    MeetingDecision,
    NrmReferral,
    PlanAction,
)
from clearsight.core.errors import NotFoundError, PermissionDeniedError
from clearsight.missing.patterns import Pattern
from clearsight.people.models import Person
from clearsight.risk.models import Observation, Screening
from clearsight.risk.panel_selectors import factor_lines

RECENT_OBSERVATIONS = 15


@dataclass(frozen=True)
class Watermark:
    who: str
    agency: str
    at: datetime

    @property
    def text(self) -> str:
        return (
            f"Downloaded by {self.who}, {self.agency}, on {self.at:%-d %B %Y at %H:%M} "
            "(UK time). Do not copy or share."
        )


def _watermark(actor: Actor) -> Watermark:
    return Watermark(
        who=actor.user.full_name, agency=actor.membership.agency.name, at=timezone.localtime()
    )


def _render(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint

    html = render_to_string(template, context)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, timeout=1)
    result: bytes = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    return result


def _meeting_for_pack(actor: Actor, meeting_id: int, what: str) -> MaceMeeting:
    meeting = MaceMeeting.objects.filter(pk=meeting_id, area_id=actor.area_id).first()
    if meeting is None:
        raise NotFoundError("There is no such meeting.")
    if not policy.may_read_pack(actor, meeting):
        audit.record(
            action="mace.pack_denied",
            actor=actor,
            target=meeting,
            details={"what": what, "reason": "not a member of the meeting"},
        )
        raise PermissionDeniedError("Meeting packs and minutes are for the meeting's members only.")
    return meeting


def _missing_pattern(person: Person) -> Pattern | None:
    from clearsight.missing.models import MissingEpisode
    from clearsight.missing.patterns import summarise
    from clearsight.missing.selectors import concerns_for, episode_facts

    facts = episode_facts(MissingEpisode.objects.filter(person=person))
    return summarise(facts, timezone.now(), concerns_for(person, facts)) if facts else None


def pack_context(meeting: MaceMeeting, item: AgendaItem) -> dict[str, Any]:
    """The pack's sections for one child: read on the meeting-membership basis."""
    person = item.person
    assert person is not None
    today = timezone.localdate()
    screening = Screening.objects.filter(person=person, is_current=True).first()
    previous = (
        MeetingDecision.objects.filter(item__person=person)
        .exclude(item__meeting=meeting)
        .select_related("item__meeting")
        .order_by("-recorded_at")
    )
    open_actions = (
        PlanAction.objects.filter(case__person=person, status__in=OPEN_ACTION_STATES)
        .select_related("owner__user", "owner__agency")
        .order_by("due_on")
    )
    nrm = list(NrmReferral.objects.filter(person=person))
    # Each sign's sources named as the risk panel names them (agency, how and when).
    signs = (
        factor_lines(
            screening,
            list(
                Observation.objects.filter(person=person).values(
                    "indicator_code", "agency_id", "agency__name", "seen_on", "source"
                )
            ),
        )
        if screening
        else []
    )
    return {
        "meeting": meeting,
        "item": item,
        "person": person,
        "age": person.age_on(today),
        "screening": screening,
        "signs": signs,
        "missing": _missing_pattern(person),
        "observations": Observation.objects.filter(person=person)
        .select_related("agency")
        .order_by("-seen_on", "-pk")[:RECENT_OBSERVATIONS],
        "open_actions": open_actions,
        "previous_decisions": previous,
        "nrm": [(record, nrm_services.has_statutory_defence_flag(record)) for record in nrm],
        "today": today,
    }


def pack_pdf(*, actor: Actor, meeting_id: int, item_id: int) -> tuple[AgendaItem, bytes]:
    """One child's pack for a member of the meeting, watermarked and audited."""
    meeting = _meeting_for_pack(actor, meeting_id, "pack")
    item = (
        AgendaItem.objects.select_related("person__school")
        .filter(pk=item_id, meeting=meeting, kind=AgendaKind.CHILD)
        .first()
    )
    if item is None or item.person is None:
        raise NotFoundError("There is no such child on this agenda.")
    watermark = _watermark(actor)
    pdf = _render("cases/pack_pdf.html", {**pack_context(meeting, item), "watermark": watermark})
    audit.record(
        action="mace.pack_downloaded",
        actor=actor,
        target=item,
        person_id=item.person_id,
        details={"meeting_id": meeting.pk, "watermark": watermark.text},
    )
    return item, pdf


def minutes_pdf(*, actor: Actor, meeting_id: int) -> tuple[MaceMeeting, bytes]:
    """The meeting's decisions and actions, item by item, for its members."""
    meeting = _meeting_for_pack(actor, meeting_id, "minutes")
    items = list(
        meeting.items.select_related("person").prefetch_related(
            "decisions__recorded_by", "actions__owner__user", "actions__owner__agency"
        )
    )
    members = meeting.members.select_related("membership__user", "membership__agency")
    watermark = _watermark(actor)
    pdf = _render(
        "cases/minutes_pdf.html",
        {"meeting": meeting, "items": items, "members": members, "watermark": watermark},
    )
    audit.record(
        action="mace.minutes_downloaded",
        actor=actor,
        target=meeting,
        details={
            "watermark": watermark.text,
            "person_ids": [item.person_id for item in items if item.person_id],
        },
    )
    return meeting, pdf
