"""Recording a child's National Referral Mechanism referral and its decisions.

First responder organisations refer potential victims of modern slavery to the Single
Competent Authority, which makes a reasonable grounds and then a conclusive grounds
decision (Modern Slavery Act 2015: statutory guidance for England and Wales). Children
need no consent to be referred."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.audit import services as audit
from clearsight.cases import nrm_rules
from clearsight.cases.models import TEXT_MAX, TITLE_MAX, NrmOutcome, NrmReferral
from clearsight.cases.text import clean_text
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)

STALE_MESSAGE = (
    "Someone else updated this NRM record since you opened it. Check what they recorded, "
    "then make your change again."
)


@dataclass(frozen=True)
class NrmDetails:
    first_responder_organisation: str
    submitted_on: date | None
    reasonable_grounds_on: date | None = None
    reasonable_grounds_outcome: str = ""
    conclusive_grounds_on: date | None = None
    conclusive_grounds_outcome: str = ""
    support_offered: str = ""
    is_relevant_to_criminal_proceedings: bool = False


def _checked(data: NrmDetails) -> NrmDetails:
    errors: dict[str, str] = {}
    organisation = clean_text(
        errors,
        "first_responder_organisation",
        data.first_responder_organisation,
        missing="Enter the first responder organisation that made the referral",
        label="The organisation",
        limit=TITLE_MAX,
    )
    support = clean_text(
        errors,
        "support_offered",
        data.support_offered,
        missing="",
        label="The support offered",
        limit=TEXT_MAX,
        required=False,
    )
    for name in ("reasonable_grounds_outcome", "conclusive_grounds_outcome"):
        if getattr(data, name) not in ("", *NrmOutcome.values):
            errors[name] = "Choose positive or negative"
    errors.update(
        nrm_rules.date_errors(
            submitted_on=data.submitted_on,
            reasonable_grounds_on=data.reasonable_grounds_on,
            reasonable_grounds=data.reasonable_grounds_outcome,
            conclusive_grounds_on=data.conclusive_grounds_on,
            conclusive_grounds=data.conclusive_grounds_outcome,
            today=timezone.localdate(),
        )
    )
    if errors:
        raise InvalidInput(errors)
    return NrmDetails(
        **{
            **data.__dict__,
            "first_responder_organisation": organisation,
            "support_offered": support,
        }
    )


def _apply(record: NrmReferral, data: NrmDetails) -> None:
    for name, value in data.__dict__.items():
        setattr(record, name, value)


@transaction.atomic
def record_nrm_referral(*, actor: Actor, person_id: int, data: NrmDetails) -> NrmReferral:
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such child you may see.")
    if not policy.may_manage_case(actor, person):
        raise PermissionDeniedError("Your role cannot record NRM referrals.")
    data = _checked(data)
    record = NrmReferral(person=person, recorded_by=actor.user)
    _apply(record, data)
    record.save()
    audit.record(
        action="nrm.recorded",
        actor=actor,
        target=record,
        person_id=person.pk,
        details=_decision_details(record),
    )
    return record


@transaction.atomic
def update_nrm_referral(
    *, actor: Actor, nrm_id: int, expected_version: int, data: NrmDetails
) -> NrmReferral:
    """Add the decisions as they arrive (optimistic concurrency: the version read)."""
    record = (
        policy.visible_nrm_referrals(actor)
        .select_for_update()
        .select_related("person")
        .filter(pk=nrm_id)
        .first()
    )
    if record is None:
        raise NotFoundError("There is no such NRM record you may see.")
    if not policy.may_manage_case(actor, record.person):
        raise PermissionDeniedError("Your role cannot record NRM decisions.")
    if record.version != expected_version:
        raise StaleVersionError(STALE_MESSAGE)
    data = _checked(data)
    _apply(record, data)
    record.version += 1
    record.save()
    audit.record(
        action="nrm.updated",
        actor=actor,
        target=record,
        person_id=record.person_id,
        details=_decision_details(record),
    )
    return record


def _decision_details(record: NrmReferral) -> dict[str, object]:
    return {
        "reasonable_grounds": record.reasonable_grounds_outcome,
        "conclusive_grounds": record.conclusive_grounds_outcome,
        "relevant_to_proceedings": record.is_relevant_to_criminal_proceedings,
    }


def has_statutory_defence_flag(record: NrmReferral) -> bool:
    return nrm_rules.statutory_defence_flag(
        reasonable_grounds=record.reasonable_grounds_outcome,
        conclusive_grounds=record.conclusive_grounds_outcome,
        is_relevant_to_proceedings=record.is_relevant_to_criminal_proceedings,
    )
