"""Creating and changing person records, and break-glass access.

Each function validates its input (raising InvalidInput with a message per field), runs
in one transaction and writes its audit event in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.models import BreakGlassAccess
from clearsight.access.policy import break_glass_expiry, can, may_break_glass
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.people import identifiers as ids
from clearsight.people.choices import IdentifierKind, PersonKind, Sex
from clearsight.people.models import Address, Person, PersonIdentifier, Phone, TeamMember

NAME_MAX = 200
OLDEST_AGE_YEARS = 120


@dataclass
class NewPerson:
    given_names: str
    family_name: str
    preferred_name: str = ""
    kind: str = PersonKind.CHILD
    date_of_birth: date | None = None
    date_of_birth_is_approximate: bool = False
    sex: str = Sex.UNKNOWN
    nhs_number: str = ""
    upn: str = ""
    phone: str = ""
    address_line_1: str = ""
    postcode: str = ""
    normalised: dict[str, str] = field(default_factory=dict)


def _check_name(
    errors: dict[str, str], name: str, value: str, label: str, *, required: bool
) -> str:
    value = " ".join(value.split())
    if required and not value:
        errors[name] = f"Enter the {label}"
    elif len(value) > NAME_MAX:
        errors[name] = f"The {label} must be {NAME_MAX} characters or fewer"
    return value


def validate_new_person(data: NewPerson, *, today: date | None = None) -> NewPerson:
    """Check and normalise every field, reporting all problems at once."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    data.given_names = _check_name(
        errors, "given_names", data.given_names, "first name", required=True
    )
    data.family_name = _check_name(
        errors, "family_name", data.family_name, "last name", required=True
    )
    data.preferred_name = _check_name(
        errors, "preferred_name", data.preferred_name, "preferred name", required=False
    )
    if data.kind not in PersonKind.values:
        errors["kind"] = "Choose whether this is a child or an adult"
    if data.sex not in Sex.values:
        errors["sex"] = "Choose the person's sex, or 'Not known'"
    if data.date_of_birth is not None:
        if data.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif data.date_of_birth.year < today.year - OLDEST_AGE_YEARS:
            errors["date_of_birth"] = (
                f"Date of birth must be within the last {OLDEST_AGE_YEARS} years"
            )
    checks = (
        ("nhs_number", ids.normalise_nhs_number),
        ("upn", ids.normalise_upn),
        ("phone", ids.normalise_phone),
        ("postcode", ids.normalise_postcode),
    )
    for name, normalise in checks:
        raw = getattr(data, name).strip()
        if not raw:
            continue
        try:
            data.normalised[name] = normalise(raw)
        except ids.IdentifierError as error:
            errors[name] = str(error)
    if data.address_line_1.strip() and not data.postcode.strip():
        errors["postcode"] = "Enter the postcode of the address"
    if errors:
        raise InvalidInput(errors)
    return data


@transaction.atomic
def create_person(*, actor: Actor, data: NewPerson) -> Person:
    """Add a person to the actor's area. The actor's membership joins the team around
    the person, which is what lets them see the record afterwards (need to know)."""
    if not can(actor, Capability.RECORD_OBSERVATIONS):
        raise PermissionDeniedError("Your role cannot add people to Clearsight.")
    data = validate_new_person(data)
    person = Person.objects.create(
        area=actor.area,
        kind=data.kind,
        given_names=data.given_names,
        family_name=data.family_name,
        preferred_name=data.preferred_name,
        date_of_birth=data.date_of_birth,
        date_of_birth_is_approximate=data.date_of_birth_is_approximate,
        sex=data.sex,
        created_by=actor.user,
    )
    person.known_to.add(actor.membership.agency)
    for name, kind in (("nhs_number", IdentifierKind.NHS_NUMBER), ("upn", IdentifierKind.UPN)):
        if name in data.normalised:
            PersonIdentifier.objects.create(person=person, kind=kind, value=data.normalised[name])
    if "phone" in data.normalised:
        Phone.objects.create(person=person, number=data.normalised["phone"])
    if "postcode" in data.normalised:
        Address.objects.create(
            person=person, line_1=data.address_line_1.strip(), postcode=data.normalised["postcode"]
        )
    TeamMember.objects.create(
        person=person, membership=actor.membership, reason="Added this person", added_by=actor.user
    )
    audit.record(action="person.created", actor=actor, target=person, person_id=person.pk)
    return person


@transaction.atomic
def open_with_break_glass(*, actor: Actor, person: Person, reason: str) -> BreakGlassAccess:
    """Emergency access outside the team: allowed with a reason, time-limited, flagged
    in the audit log and listed for the data protection officer."""
    reason = " ".join(reason.split())
    if not may_break_glass(actor, person):
        raise PermissionDeniedError("Your role cannot open records in an emergency.")
    if len(reason) < 10:
        raise InvalidInput(
            {"reason": "Explain the emergency in a sentence (at least 10 characters)"}
        )
    if len(reason) > 500:
        raise InvalidInput({"reason": "The reason must be 500 characters or fewer"})
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        person=person,
        user=actor.user,
        membership=actor.membership,
        reason=reason,
        granted_at=now,
        expires_at=now + break_glass_expiry(),
    )
    audit.record(
        action="person.break_glass",
        actor=actor,
        target=person,
        person_id=person.pk,
        reason=reason,
        details={"flagged": True, "expires_at": grant.expires_at.isoformat()},
    )
    return grant
