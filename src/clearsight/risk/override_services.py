"""Professional judgement on a screening: overriding the level up or down with a reason,
and a manager's approval of a downward override.

Who may do what (decided here, beside the workflow, as access/policy.py belongs to
another piece of work; see docs/users/risk-screening.md):

* **Override**: roles that manage cases (designated safeguarding lead, social worker,
  MACE coordinator) and police officers, for a child they may see.
* **Downward override**: lower than the level the screening computed. It waits for a
  manager; until then the level shown stays where it was. Working Together to Safeguard
  Children 2023 asks that decisions that reduce the response to a risk are checked by a
  manager, because optimism about a child's safety is a known failure in reviews.
* **Manager**: the overrider's line manager, or any current membership in the child's
  area that is line manager of someone. Nobody approves their own override.

An override never edits a screening in place: it adds a new current screening that
keeps the computed level and the factors, so both the computed and the final level stay
on the record and the risk-over-time chart shows the judgement as a step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import is_manager, may_override_risk, visible_persons
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.services import notify
from clearsight.people.models import Person
from clearsight.risk import services
from clearsight.risk.engine import Level
from clearsight.risk.models import NOTE_MAX, OverrideApproval, RiskLevel, Screening

APPROVALS_URL = "/risk/approvals/"


def may_override(actor: Actor) -> bool:
    return may_override_risk(actor)


def _by_a_report_of(actor: Actor) -> Exists:
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef("override_by_id"),
            line_manager_id=actor.membership.pk,
            ended_at__isnull=True,
        )
    )


def pending_for(actor: Actor) -> QuerySet[Screening]:
    """Downward overrides waiting for this actor: those made by someone they line
    manage (their report's request gives them the need to know), and, for any manager,
    those on children of their area they may see. Never their own."""
    if not is_manager(actor):
        return Screening.objects.none()
    return (
        Screening.objects.filter(
            is_current=True,
            approval_status=OverrideApproval.PENDING,
            person__area_id=actor.area_id,
            person__deleted_at__isnull=True,
        )
        .exclude(override_by=actor.user)
        .filter(Q(_by_a_report_of(actor)) | Q(person__in=visible_persons(actor)))
        .select_related("person", "override_by", "library_version")
        .order_by("override_at", "pk")
    )


def _locked_child(actor: Actor, person_id: int) -> Person:
    if not may_override(actor):
        raise PermissionDeniedError("Your role cannot change a child's risk level.")
    if not visible_persons(actor).filter(pk=person_id).exists():
        raise NotFoundError("There is no such child you may see.")
    # The same lock as screen_person takes, so a re-screen and an override of the same
    # child happen one after the other.
    return Person.objects.select_for_update().get(pk=person_id)


def _new_current(previous: Screening, **changes: Any) -> Screening:
    """A copy of the current screening with ``changes``, made current in its place."""
    fields = model_to_dict(previous, exclude=["id", "person", "library_version"])
    for name in ("override_by", "approved_by"):
        fields[f"{name}_id"] = fields.pop(name)
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    return Screening.objects.create(
        person_id=previous.person_id,
        library_version_id=previous.library_version_id,
        **(fields | changes | {"is_current": True, "created_at": timezone.now()}),
    )


def _rose_at(previous: Screening, final: Level) -> Any:
    was = Level(previous.final_level)
    if final.rank > was.rank:
        return timezone.now()
    return previous.level_rose_at if final == was else None


@transaction.atomic
def override_level(*, actor: Actor, person_id: int, level: str, reason: str) -> Screening:
    """Set the child's level by professional judgement, with a reason. Higher than (or
    back to) the computed level: it applies at once. Lower than the computed level: it
    waits for a manager's approval and the level shown does not change until then."""
    person = _locked_child(actor, person_id)
    reason = " ".join(reason.split())
    errors: dict[str, str] = {}
    if level not in RiskLevel.values:
        errors["level"] = "Choose the risk level you judge to be right"
    if not reason:
        errors["reason"] = "Enter why you judge the risk to be at this level"
    elif len(reason) > NOTE_MAX:
        errors["reason"] = f"Keep the reason to {NOTE_MAX} characters or fewer"
    current = Screening.objects.filter(person=person, is_current=True).first()
    if current is None:
        current = services.screen_person(person.pk)
    if not errors and level == current.final_level and not current.override_level:
        errors["level"] = f"The risk is already {current.get_final_level_display().lower()}"
    if errors:
        raise InvalidInput(errors)
    chosen, computed = Level(level), Level(current.computed_level)
    is_downward = chosen.rank < computed.rank
    final = Level(current.final_level) if is_downward else chosen
    now = timezone.now()
    screening = _new_current(
        current,
        final_level=final.value,
        previous_level=current.final_level,
        level_rose_at=_rose_at(current, final),
        override_level=chosen.value,
        override_reason=reason,
        override_by_id=actor.user.pk,
        override_at=now,
        approval_status=OverrideApproval.PENDING if is_downward else OverrideApproval.NOT_NEEDED,
        approved_by_id=None,
        approved_at=None,
    )
    audit.record(
        action="screening.overridden",
        actor=actor,
        target=screening,
        person_id=person.pk,
        reason=reason,
        details={
            "computed_level": computed.value,
            "override_level": chosen.value,
            "previous_level": current.final_level,
            "needs_approval": is_downward,
        },
    )
    if is_downward:
        _ask_managers(actor, screening)
    return screening


def _ask_managers(actor: Actor, screening: Screening) -> None:
    """The overrider's line manager when they have one, otherwise every manager of the
    area. No name in the title: it may be read over someone's shoulder."""
    own = actor.membership.line_manager
    if own is not None and own.ended_at is None:
        managers = [own.user]
    else:
        has_reports = Membership.objects.filter(line_manager=OuterRef("pk"), ended_at__isnull=True)
        memberships = (
            Membership.objects.current()
            .filter(Exists(has_reports), agency__area_id=actor.area_id)
            .exclude(user=actor.user)
            .select_related("user")
        )
        managers = list({m.user for m in memberships})
    for user in managers:
        notify(
            recipient=user,
            kind="risk_override_approval",
            key=f"override:{screening.pk}",
            title="A lower risk level for a child is waiting for your approval",
            url=APPROVALS_URL,
            person_id=screening.person_id,
        )


@transaction.atomic
def decide_override(*, actor: Actor, screening_id: int, approve: bool, note: str = "") -> Screening:
    """A manager approves or rejects a downward override. Approved: the lower level
    becomes the child's level. Rejected: the level stays, and the override stays on the
    record with the decision. The overrider is told either way."""
    if not is_manager(actor):
        raise PermissionDeniedError("Only a manager can approve a lower risk level.")
    screening = pending_for(actor).filter(pk=screening_id).first()
    if screening is None:
        raise NotFoundError(
            "There is no such request waiting for you. The child may have been screened "
            "again since it was made, in which case the override must be made again."
        )
    Person.objects.select_for_update().filter(pk=screening.person_id).first()
    screening.refresh_from_db()
    note = " ".join(note.split())
    if not approve and not note:
        raise InvalidInput({"note": "Enter why you are not approving the lower level"})
    if len(note) > NOTE_MAX:
        raise InvalidInput({"note": f"Keep the note to {NOTE_MAX} characters or fewer"})
    if not screening.is_current or screening.approval_status != OverrideApproval.PENDING:
        raise NotFoundError("This request has already been decided or replaced.")
    screening.approval_status = OverrideApproval.APPROVED if approve else OverrideApproval.REJECTED
    screening.approved_by = actor.user
    screening.approved_at = timezone.now()
    changed = ["approval_status", "approved_by", "approved_at"]
    if approve:
        screening.final_level = screening.override_level
        screening.level_rose_at = None
        changed += ["final_level", "level_rose_at"]
    screening.save(update_fields=changed)
    audit.record(
        action="screening.override_approved" if approve else "screening.override_rejected",
        actor=actor,
        target=screening,
        person_id=screening.person_id,
        reason=note,
        details={"override_level": screening.override_level},
    )
    if screening.override_by is not None:
        outcome = "approved" if approve else "not approved"
        notify(
            recipient=screening.override_by,
            kind="risk_override_decided",
            key=f"override-decided:{screening.pk}",
            title=f"Your request to lower a child's risk level was {outcome}",
            url=f"/people/{screening.person_id}/#risk",
            person_id=screening.person_id,
        )
    return screening
