"""Creating and changing person records, and break-glass access.

Each function validates its input (raising InvalidInput with a message per field), runs
in one transaction and writes its audit event in it."""

from __future__ import annotations

from datetime import date

from django.db import models, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.models import BreakGlassAccess
from clearsight.access.policy import (
    break_glass_expiry,
    can,
    can_edit_person,
    may_break_glass,
    visible_persons,
)
from clearsight.access.roles import Capability, role_can
from clearsight.accounts.models import User
from clearsight.areas.models import Agency, Area, Membership
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.people import identifiers as ids
from clearsight.people.choices import (
    AliasKind,
    IdentifierKind,
)
from clearsight.people.models import (
    Address,
    Person,
    PersonAlias,
    PersonIdentifier,
    Phone,
    TeamMember,
)
from clearsight.people.validation import (
    NAME_MAX,
    NewPerson,
    normalise_address,
    normalise_identifier,
    normalise_phone_row,
    validate_new_person,
)


@transaction.atomic
def create_person(*, actor: Actor, data: NewPerson) -> Person:
    """Add a person to the actor's area. The actor's membership joins the team around
    the person, which is what lets them see the record afterwards (need to know)."""
    if not can(actor, Capability.RECORD_OBSERVATIONS):
        raise PermissionDeniedError("Your role cannot add people to Clearsight.")
    data = validate_new_person(data)
    person = create_record(
        area=actor.area, agency=actor.membership.agency, data=data, created_by=actor.user
    )
    TeamMember.objects.create(
        person=person, membership=actor.membership, reason="Added this person", added_by=actor.user
    )
    audit.record(action="person.created", actor=actor, target=person, person_id=person.pk)
    return person


def create_record(
    *, area: Area, agency: Agency, data: NewPerson, created_by: User | None
) -> Person:
    """Write an already validated person with their identifiers, addresses and phones.
    Callers (the create page, the API, imports) own the transaction, team and audit."""
    person = Person.objects.create(
        area=area,
        kind=data.kind,
        given_names=data.given_names,
        family_name=data.family_name,
        preferred_name=data.preferred_name,
        date_of_birth=data.date_of_birth,
        date_of_birth_is_approximate=data.date_of_birth_is_approximate,
        sex=data.sex,
        ethnicity=data.ethnicity,
        legal_status=data.legal_status,
        created_by=created_by,
    )
    person.known_to.add(agency)
    for name, kind in (("nhs_number", IdentifierKind.NHS_NUMBER), ("upn", IdentifierKind.UPN)):
        if name in data.normalised:
            PersonIdentifier.objects.create(person=person, kind=kind, value=data.normalised[name])
    if "phone" in data.normalised:
        Phone.objects.create(person=person, number=data.normalised["phone"])
    if "postcode" in data.normalised:
        Address.objects.create(
            person=person, line_1=data.address_line_1.strip(), postcode=data.normalised["postcode"]
        )
    for id_kind, value, issuer in data.identifiers:
        PersonIdentifier.objects.get_or_create(
            person=person, kind=id_kind, value=value, defaults={"issuer": issuer}
        )
    for line_1, postcode in data.addresses:
        Address.objects.create(person=person, line_1=line_1, postcode=postcode)
    for number, label in data.phones:
        Phone.objects.create(person=person, number=number, label=label)
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


UPDATABLE = (
    "given_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_is_approximate",
    "sex",
    "ethnicity",
    "legal_status",
    "placing_authority",
    "placement_agency",
    "school",
    "languages",
    "has_learning_disability",
)
MAX_LANGUAGES = 10
PLACEMENT_AGENCY_TYPES = ("childrens_social_care", "voluntary_sector", "local_authority_other")


@transaction.atomic
def update_person(
    *, actor: Actor, person_id: int, expected_version: int, changes: dict[str, object]
) -> Person:
    """Change a person's details with optimistic concurrency: the update applies only if
    nobody has changed the record since the caller read ``expected_version``."""
    person = visible_persons(actor).select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such person you may see.")
    if not can(actor, Capability.RECORD_OBSERVATIONS):
        raise PermissionDeniedError("Your role cannot change person records.")
    if person.version != expected_version:
        raise StaleVersionError(
            "The record has changed since you read it. Fetch it again, then retry."
        )
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidInput({name: "This field cannot be changed here" for name in sorted(unknown)})
    candidate = NewPerson(
        given_names=str(changes.get("given_names", person.given_names)),
        family_name=str(changes.get("family_name", person.family_name)),
        preferred_name=str(changes.get("preferred_name", person.preferred_name)),
        kind=person.kind,
        date_of_birth=changes.get("date_of_birth", person.date_of_birth),  # type: ignore[arg-type]
        sex=str(changes.get("sex", person.sex)),
        ethnicity=str(changes.get("ethnicity", person.ethnicity)),
        legal_status=str(changes.get("legal_status", person.legal_status)),
    )
    validate_new_person(candidate)
    placing = " ".join(str(changes.get("placing_authority", person.placing_authority)).split())
    if len(placing) > 200:
        raise InvalidInput(
            {"placing_authority": "The placing authority must be 200 characters or fewer"}
        )
    if "school" in changes:
        person.school = _checked_school(person, changes["school"])
    if "placement_agency" in changes:
        person.placement_agency = _checked_placement_agency(changes["placement_agency"])
    if "languages" in changes:
        person.languages = _checked_languages(changes["languages"])
    for name in UPDATABLE:
        if name in ("school", "languages", "placement_agency"):
            continue
        if name == "has_learning_disability":
            person.has_learning_disability = bool(changes.get(name, person.has_learning_disability))
            continue
        if name == "placing_authority":
            person.placing_authority = placing
        elif name == "date_of_birth_is_approximate":
            person.date_of_birth_is_approximate = bool(
                changes.get(name, person.date_of_birth_is_approximate)
            )
        else:
            setattr(person, name, getattr(candidate, name))
    person.version += 1
    person.save()
    audit.record(
        action="person.updated",
        actor=actor,
        target=person,
        person_id=person.pk,
        details={"fields": sorted(changes)},
    )
    return person


TEAM_REASON_MAX = 300


@transaction.atomic
def add_team_member(
    *, actor: Actor, person: Person, membership: Membership, reason: str, ends_on: date | None
) -> TeamMember:
    """Add someone to the team around a person, with a reason and optionally an end date.
    Team membership is the need-to-know basis on which they may see the record."""
    if not can_edit_person(actor, person):
        raise PermissionDeniedError("Only people who can see this record can add to its team.")
    errors: dict[str, str] = {}
    reason = " ".join(reason.split())
    if not reason:
        errors["reason"] = "Enter why this person needs to be on the team"
    elif len(reason) > TEAM_REASON_MAX:
        errors["reason"] = f"The reason must be {TEAM_REASON_MAX} characters or fewer"
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = "The end date must be today or in the future"
    if membership.agency.area_id != person.area_id or membership.ended_at is not None:
        errors["membership"] = "Choose someone with a current role in this area"
    elif not role_can(membership.role, Capability.VIEW_CHILDREN):
        errors["membership"] = "That role cannot see children's records, so cannot join a team"
    elif TeamMember.objects.filter(
        person=person, membership=membership, ended_at__isnull=True
    ).exists():
        errors["membership"] = "They are already on the team"
    if errors:
        raise InvalidInput(errors)
    member = TeamMember.objects.create(
        person=person, membership=membership, reason=reason, ends_on=ends_on, added_by=actor.user
    )
    audit.record(
        action="person.team_member_added",
        actor=actor,
        target=member,
        person_id=person.pk,
        reason=reason,
        details={
            "membership_id": membership.pk,
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return member


def _checked_placement_agency(value: object) -> Agency | None:
    """The agency running the child's placement: it may be in another area."""
    if value in (None, ""):
        return None
    agency = Agency.objects.filter(
        pk=getattr(value, "pk", value), agency_type__in=PLACEMENT_AGENCY_TYPES, is_active=True
    ).first()
    if agency is None:
        raise InvalidInput({"placement_agency": "Choose the placement agency from the list"})
    return agency


def _checked_school(person: Person, value: object) -> Agency | None:
    if value in (None, ""):
        return None
    school = Agency.objects.filter(
        pk=getattr(value, "pk", value), area_id=person.area_id, agency_type="school"
    ).first()
    if school is None:
        raise InvalidInput({"school": "Choose a school in this area"})
    return school


def _checked_languages(value: object) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    languages = [" ".join(str(item).split()) for item in items if str(item).strip()]
    if len(languages) > MAX_LANGUAGES or any(len(item) > 60 for item in languages):
        raise InvalidInput(
            {"languages": f"Enter up to {MAX_LANGUAGES} languages, separated by commas"}
        )
    return languages


def _editable(actor: Actor, person: Person) -> None:
    if not can_edit_person(actor, person):
        raise PermissionDeniedError("Your role cannot change this record.")


def _changed(actor: Actor, person: Person, what: str) -> None:
    Person.objects.filter(pk=person.pk).update(version=models.F("version") + 1)
    audit.record(
        action="person.updated",
        actor=actor,
        target=person,
        person_id=person.pk,
        details={"added": what},
    )


@transaction.atomic
def add_identifier(
    *, actor: Actor, person: Person, kind: str, value: str, issuer: str = ""
) -> PersonIdentifier:
    _editable(actor, person)
    try:
        kind, value, issuer = normalise_identifier(kind, value, issuer)
    except ids.IdentifierError as error:
        raise InvalidInput({"value": str(error)}) from error
    if PersonIdentifier.objects.filter(person=person, kind=kind, value=value).exists():
        raise InvalidInput({"value": "This identifier is already on the record"})
    identifier = PersonIdentifier.objects.create(
        person=person, kind=kind, value=value, issuer=issuer
    )
    _changed(actor, person, f"identifier:{kind}")
    return identifier


@transaction.atomic
def add_address(
    *,
    actor: Actor,
    person: Person,
    line_1: str,
    postcode: str,
    from_on: date | None,
    to_on: date | None,
) -> Address:
    _editable(actor, person)
    errors: dict[str, str] = {}
    try:
        line_1, postcode = normalise_address(line_1, postcode)
    except ids.IdentifierError as error:
        errors["postcode" if "postcode" in str(error) else "line_1"] = str(error)
    if from_on and to_on and to_on < from_on:
        errors["to_on"] = "The date they left must be on or after the date they moved in"
    if errors:
        raise InvalidInput(errors)
    address = Address.objects.create(
        person=person, line_1=line_1, postcode=postcode, from_on=from_on, to_on=to_on
    )
    _changed(actor, person, "address")
    return address


@transaction.atomic
def add_phone(*, actor: Actor, person: Person, number: str, label: str = "") -> Phone:
    _editable(actor, person)
    try:
        number, label = normalise_phone_row(number, label)
    except ids.IdentifierError as error:
        raise InvalidInput({"number": str(error)}) from error
    phone = Phone.objects.create(person=person, number=number, label=label)
    _changed(actor, person, "phone")
    return phone


@transaction.atomic
def add_alias(*, actor: Actor, person: Person, name: str, kind: str) -> PersonAlias:
    _editable(actor, person)
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInput({"name": f"Enter the name (up to {NAME_MAX} characters)"})
    if kind not in AliasKind.values:
        raise InvalidInput({"kind": "Choose alias, nickname or previous name"})
    alias = PersonAlias.objects.create(person=person, name=name, kind=kind)
    _changed(actor, person, "alias")
    return alias
