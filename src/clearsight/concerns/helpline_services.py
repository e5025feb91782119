"""Logging a helpline call or chat. With the caller's consent, what they said becomes a
concern in the triage queue of the area the child is in; without it, nothing leaves the
helpline's own log, and the contact counts only in anonymous figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.areas.models import Area
from clearsight.audit import services as audit
from clearsight.concerns import services
from clearsight.concerns.drafts import ConcernDraft, check_description, check_what_seen, tidy
from clearsight.concerns.models import (
    NAME_MAX,
    WHERE_MAX,
    CallerType,
    Channel,
    HelplineContact,
    RiskSeen,
    Topic,
)
from clearsight.core.errors import InvalidInput, PermissionDeniedError

ADVICE_MAX = 5000


@dataclass(frozen=True)
class NewHelplineContact:
    channel: str
    caller_type: str
    what_was_said: str
    risk_seen: str
    area_code: str
    has_consent_to_share: bool
    is_anonymous: bool = False
    caller_name: str = ""
    caller_contact: str = ""
    topics: tuple[str, ...] = field(default_factory=tuple)
    where_child_is: str = ""
    child_description: str = ""
    advice_given: str = ""


def _validate(data: NewHelplineContact) -> tuple[dict[str, object], Area | None]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    if data.channel not in Channel.values:
        errors["channel"] = "Choose whether it was a call or a chat"
    if data.caller_type not in CallerType.values:
        errors["caller_type"] = "Choose who contacted the helpline"
    if data.risk_seen not in RiskSeen.values:
        errors["risk_seen"] = "Choose what risk you heard about"
    if any(topic not in Topic.values for topic in data.topics):
        errors["topics"] = "Choose topics from the list"
    try:
        values["what_was_said"] = check_what_seen(data.what_was_said)
    except InvalidInput as error:
        errors["what_was_said"] = error.errors["what_seen"].replace(
            "Tell us what you saw or heard", "Enter what the caller said"
        )
    try:
        values["child_description"] = check_description(data.child_description)
    except InvalidInput as error:
        errors["child_description"] = error.errors["description"]
    name, contact = tidy(data.caller_name), tidy(data.caller_contact)
    if data.is_anonymous and (name or contact):
        errors["caller_name"] = "Leave the name and contact details empty for an anonymous caller"
    if len(name) > NAME_MAX:
        errors["caller_name"] = f"Keep the name to {NAME_MAX} characters or fewer"
    if len(contact) > 200:
        errors["caller_contact"] = "Keep the contact details to 200 characters or fewer"
    where = tidy(data.where_child_is)
    if len(where) > WHERE_MAX:
        errors["where_child_is"] = f"Keep this to {WHERE_MAX} characters or fewer"
    advice = tidy(data.advice_given)
    if len(advice) > ADVICE_MAX:
        errors["advice_given"] = f"Keep this to {ADVICE_MAX:,} characters or fewer"
    area = Area.objects.filter(code=data.area_code).first()
    if area is None:
        errors["area_code"] = "Choose the area the child lives in or was seen in"
    if errors:
        raise InvalidInput(errors)
    values.update(
        caller_name=name, caller_contact=contact, where_child_is=where, advice_given=advice
    )
    return values, area


def log_helpline_contact(
    *, actor: Actor, data: NewHelplineContact, submission_key: str
) -> HelplineContact:
    """Log the contact; with consent, raise a concern from it (source "helpline") in the
    child's area, in the same transaction. Idempotent by ``submission_key``."""
    if not can(actor, Capability.LOG_HELPLINE_CONTACTS):
        raise PermissionDeniedError("Your role cannot log helpline contacts.")
    key = submission_key.strip()[: services.SUBMISSION_KEY_MAX]
    existing = HelplineContact.objects.filter(submission_key=key).first()
    if existing is not None and key:
        return existing
    if not key:
        raise InvalidInput({"submission_key": "This form has expired: fill it in again"})
    values, area = _validate(data)
    assert area is not None
    try:
        with transaction.atomic():
            concern = None
            if data.has_consent_to_share:
                concern = _concern_from(actor, data, values, area, key)
            contact = HelplineContact.objects.create(
                area=area,
                membership=actor.membership,
                logged_by=actor.user,
                channel=data.channel,
                caller_type=data.caller_type,
                is_anonymous=data.is_anonymous,
                topics=list(dict.fromkeys(data.topics)),
                risk_seen=data.risk_seen,
                has_consent_to_share=data.has_consent_to_share,
                concern=concern,
                contacted_at=timezone.now(),
                submission_key=key,
                **values,
            )
            audit.record(
                action="helpline.contact_logged",
                actor=actor,
                target=contact,
                details={
                    "caller_type": contact.caller_type,
                    "shared": concern is not None,
                    "concern": concern.reference if concern else "",
                },
            )
    except IntegrityError:
        existing = HelplineContact.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing
    return contact


def _concern_from(
    actor: Actor, data: NewHelplineContact, values: dict[str, object], area: Area, key: str
) -> services.Concern:
    """The concern a consented contact becomes. The caller is the reporter only if they
    gave their name; the triage team contacts them through the helpline otherwise."""
    what = str(values["what_was_said"])
    draft = ConcernDraft(
        what_seen=what,
        seen_on=timezone.localdate(),
        where_seen=str(values["where_child_is"]) or "Not given (helpline contact)",
        description=str(values["child_description"]),
        is_child_in_danger_now=data.risk_seen == RiskSeen.DANGER_NOW,
    )
    return services.raise_helpline_concern(
        actor=actor,
        draft=draft,
        submission_key=f"helpline:{key}"[: services.SUBMISSION_KEY_MAX],
        area=area,
    )
