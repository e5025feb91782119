"""Changes to intelligence records. Each service checks the access policy, validates,
writes in one transaction and records its audit event there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import may_review_links, may_view_intel, visible_persons
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.intel import nodes, snapshot
from clearsight.intel.identifiers import normalise_registration, normalise_uprn
from clearsight.intel.models import (
    ClosureType,
    GroupKind,
    HandlingCode,
    IntelAddress,
    IntelGroup,
    IntelligenceAssessment,
    Link,
    LinkType,
    PhoneNumber,
    PhoneStatus,
    ReviewStatus,
    SourceEvaluation,
    Vehicle,
)
from clearsight.people.identifiers import IdentifierError, normalise_phone, normalise_postcode


def _require_intel(actor: Actor) -> None:
    if not may_view_intel(actor):
        raise PermissionDeniedError("Only police officers and intelligence analysts can do this.")


def _record(actor: Actor, action: str, target: object, **details: object) -> None:
    audit.record(action=action, actor=actor, target=target, details=details)  # type: ignore[arg-type]


@transaction.atomic
def create_phone(
    *,
    actor: Actor,
    number: str,
    is_deal_line: bool = False,
    line_name: str = "",
    status: str = PhoneStatus.ACTIVE,
    closure_type: str = "",
    closed_on: date | None = None,
    notes: str = "",
) -> PhoneNumber:
    _require_intel(actor)
    errors: dict[str, str] = {}
    try:
        number = normalise_phone(number)
    except IdentifierError as error:
        errors["number"] = str(error)
    if status not in PhoneStatus.values:
        errors["status"] = "Choose whether the number is active or closed"
    elif status == PhoneStatus.CLOSED and closure_type not in ClosureType.values:
        errors["closure_type"] = "Choose how the number was closed"
    elif status == PhoneStatus.ACTIVE and (closure_type or closed_on):
        errors["closure_type"] = "Only a closed number has a closure type and date"
    if not errors and PhoneNumber.objects.filter(area_id=actor.area_id, number=number).exists():
        errors["number"] = "This number is already in the register"
    if errors:
        raise InvalidInput(errors)
    phone = PhoneNumber.objects.create(
        area_id=actor.area_id,
        number=number,
        is_deal_line=is_deal_line,
        line_name=line_name.strip(),
        status=status,
        closure_type=closure_type,
        closed_on=closed_on,
        notes=notes.strip(),
        created_by=actor.user,
    )
    _record(actor, "intel.phone.created", phone, is_deal_line=is_deal_line)
    return phone


@transaction.atomic
def create_address(
    *,
    actor: Actor,
    line_1: str,
    postcode: str,
    line_2: str = "",
    town: str = "",
    uprn: str = "",
    is_cuckooing_concern: bool = False,
    vulnerable_resident_id: int | None = None,
    notes: str = "",
) -> IntelAddress:
    """A cuckooing concern names the vulnerable adult whose home it is as a person to
    protect (Home Office county lines guidance, 2018)."""
    _require_intel(actor)
    errors: dict[str, str] = {}
    if not line_1.strip():
        errors["line_1"] = "Enter the first line of the address"
    try:
        postcode = normalise_postcode(postcode)
    except IdentifierError as error:
        errors["postcode"] = str(error)
    try:
        uprn = normalise_uprn(uprn)
    except IdentifierError as error:
        errors["uprn"] = str(error)
    resident = None
    if vulnerable_resident_id is not None:
        resident = visible_persons(actor).filter(pk=vulnerable_resident_id).first()
        if resident is None:
            errors["vulnerable_resident"] = "Choose a person recorded in your area"
        elif not is_cuckooing_concern:
            errors["vulnerable_resident"] = (
                "Name a vulnerable resident only when there is a cuckooing concern"
            )
    if errors:
        raise InvalidInput(errors)
    address = IntelAddress.objects.create(
        area_id=actor.area_id,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode,
        uprn=uprn,
        is_cuckooing_concern=is_cuckooing_concern,
        vulnerable_resident=resident,
        notes=notes.strip(),
        created_by=actor.user,
    )
    _record(actor, "intel.address.created", address, is_cuckooing_concern=is_cuckooing_concern)
    return address


@transaction.atomic
def create_vehicle(
    *, actor: Actor, registration: str, make: str = "", model: str = "", colour: str = ""
) -> Vehicle:
    _require_intel(actor)
    try:
        registration = normalise_registration(registration)
    except IdentifierError as error:
        raise InvalidInput({"registration": str(error)}) from error
    if Vehicle.objects.filter(area_id=actor.area_id, registration=registration).exists():
        raise InvalidInput({"registration": "This vehicle is already in the register"})
    vehicle = Vehicle.objects.create(
        area_id=actor.area_id,
        registration=registration,
        make=make.strip(),
        model=model.strip(),
        colour=colour.strip(),
        created_by=actor.user,
    )
    _record(actor, "intel.vehicle.created", vehicle)
    return vehicle


@transaction.atomic
def create_group(
    *, actor: Actor, name: str, kind: str = GroupKind.LINE, description: str = ""
) -> IntelGroup:
    _require_intel(actor)
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Enter the name of the line or network"
    elif IntelGroup.objects.filter(area_id=actor.area_id, name__iexact=name).exists():
        errors["name"] = "A line or network with this name is already in the register"
    if kind not in GroupKind.values:
        errors["kind"] = "Choose whether this is a named line or a network"
    if errors:
        raise InvalidInput(errors)
    group = IntelGroup.objects.create(
        area_id=actor.area_id,
        name=name,
        kind=kind,
        description=description.strip(),
        created_by=actor.user,
    )
    _record(actor, "intel.group.created", group)
    return group


@dataclass(frozen=True)
class NewLink:
    from_node: str
    to_node: str
    link_type: str
    source: str
    source_evaluation: str
    intelligence_assessment: str
    handling_code: str
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""


def validate_link(actor: Actor, new: NewLink) -> tuple[nodes.Node, nodes.Node]:
    """Every way a link can be wrong, each against its field."""
    errors: dict[str, str] = {}
    ends: list[nodes.Node] = []
    for field in ("from_node", "to_node"):
        try:
            node = nodes.parse_node(getattr(new, field))
        except InvalidInput:
            errors[field] = "Choose what this end of the link is"
            continue
        if not nodes.exists(actor, node):
            errors[field] = "There is no such record you may link"
        ends.append(node)
    if len(ends) == 2 and ends[0] == ends[1]:
        errors["to_node"] = "A link must join two different records, not one to itself"
    if new.link_type not in LinkType.values:
        errors["link_type"] = "Choose the type of link"
    if not new.source.strip():
        errors["source"] = "Enter where this information came from"
    if new.source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = "Choose a source evaluation of 1, 2 or 3"
    if new.intelligence_assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = "Choose an intelligence assessment from A to E"
    if new.handling_code not in HandlingCode.values:
        errors["handling_code"] = "Choose a handling code of P or C"
    if new.valid_from and new.valid_to and new.valid_to < new.valid_from:
        errors["valid_to"] = "The end date must be the same as or after the start date"
    if errors:
        raise InvalidInput(errors)
    return ends[0], ends[1]


@transaction.atomic
def create_link(*, actor: Actor, new: NewLink) -> Link:
    """Record a link with its 3x5x2 grading (College of Policing APP: intelligence
    management) and who recorded it."""
    _require_intel(actor)
    (from_kind, from_id), (to_kind, to_id) = validate_link(actor, new)
    try:
        with transaction.atomic():
            link = Link.objects.create(
                area_id=actor.area_id,
                from_kind=from_kind,
                from_id=from_id,
                to_kind=to_kind,
                to_id=to_id,
                link_type=new.link_type,
                valid_from=new.valid_from,
                valid_to=new.valid_to,
                source=new.source.strip(),
                source_evaluation=new.source_evaluation,
                intelligence_assessment=new.intelligence_assessment,
                handling_code=new.handling_code,
                note=new.note.strip(),
                recorded_by=actor.user,
            )
    except IntegrityError as error:  # the database's own check, should validation miss
        raise InvalidInput({"to_node": "This link breaks a rule of the register"}) from error
    snapshot.links_changed()
    _record(actor, "intel.link.created", link, grading=link.grading)
    return link


@transaction.atomic
def record_deal_line(
    *,
    actor: Actor,
    phone_id: int,
    reason: str,
    line_name: str = "",
    status: str = PhoneStatus.ACTIVE,
    closure_type: str = "",
    closed_on: date | None = None,
    phone_import_id: int | None = None,
) -> PhoneNumber:
    """An analyst records a number as a deal line, with the line's name, its status
    and the reason, never automatically: phone data only lists numbers that behave
    like one (College of Policing APP, intelligence management: evaluate before use).
    ``phone_import_id`` names the import whose patterns prompted it, if any."""
    if not may_review_links(actor):
        raise PermissionDeniedError("Only intelligence analysts record deal lines.")
    phone = (
        PhoneNumber.objects.select_for_update().filter(area_id=actor.area_id, pk=phone_id).first()
    )
    if phone is None:
        raise NotFoundError("There is no such number in your area's register.")
    reason = reason.strip()
    errors: dict[str, str] = {}
    if phone.is_deal_line:
        errors["reason"] = "This number is already recorded as a deal line"
    elif not reason:
        errors["reason"] = "Enter why you are recording this number as a deal line"
    if status not in PhoneStatus.values:
        errors["status"] = "Choose whether the line is active or closed"
    elif status == PhoneStatus.CLOSED and closure_type not in ClosureType.values:
        errors["closure_type"] = "Choose how the line was closed"
    elif status == PhoneStatus.ACTIVE and (closure_type or closed_on):
        errors["closure_type"] = "Only a closed line has a closure type and date"
    if len(line_name.strip()) > 100:
        errors["line_name"] = "The line name must be 100 characters or fewer"
    if errors:
        raise InvalidInput(errors)
    phone.is_deal_line = True
    phone.line_name = line_name.strip() or phone.line_name
    phone.status = status
    phone.closure_type = closure_type
    phone.closed_on = closed_on
    phone.notes = f"{phone.notes}\nRecorded as a deal line: {reason}".strip()
    phone.version += 1
    phone.save()
    audit.record(
        action="intel.phone.recorded_as_deal_line",
        actor=actor,
        target=phone,
        reason=reason[:500],
        details={"status": status, "phone_import": phone_import_id},
    )
    return phone


MAX_REVIEWED_TOGETHER = 200


@transaction.atomic
def review_links(*, actor: Actor, link_ids: list[int], accept: bool, reason: str) -> list[Link]:
    """An analyst accepts or rejects one or more proposed links together, with one
    reason; only accepted links are facts (College of Policing APP, intelligence
    management: evaluate before use). All or nothing: if any selected link is no
    longer waiting for review in the analyst's area, none is changed. Each link's
    decision is audited on its own."""
    if not may_review_links(actor):
        raise PermissionDeniedError("Only intelligence analysts review proposed links.")
    ids = sorted(set(link_ids))
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not ids:
        errors["links"] = "Select at least one proposed link"
    elif len(ids) > MAX_REVIEWED_TOGETHER:
        errors["links"] = f"Select at most {MAX_REVIEWED_TOGETHER} links at a time"
    if not reason:
        errors["reason"] = "Enter the reason for your decision"
    if errors:
        raise InvalidInput(errors)
    links = list(
        Link.objects.select_for_update()
        .filter(area_id=actor.area_id, pk__in=ids, review_status=ReviewStatus.PROPOSED)
        .order_by("pk")
    )
    if len(links) != len(ids):
        raise InvalidInput(
            {
                "links": "Some of the links you selected are no longer waiting for review. "
                "Nothing has been changed: select the links again"
            }
        )
    now = timezone.now()
    for link in links:
        link.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
        link.reviewed_by = actor.user
        link.reviewed_at = now
        link.note = f"{link.note}\n{reason}".strip()
        link.version += 1
    Link.objects.bulk_update(
        links, ["review_status", "reviewed_by", "reviewed_at", "note", "version"]
    )
    snapshot.links_changed()
    for link in links:
        audit.record(
            action="intel.link.reviewed",
            actor=actor,
            target=link,
            reason=reason[:500],
            details={"accepted": accept, "reviewed_together": len(links)},
        )
    return links


def propose_link(
    *,
    area_id: int,
    from_node: nodes.Node,
    to_node: nodes.Node,
    link_type: str,
    source: str,
    proposed_from: str,
    proposed_ref: str,
    valid_from: date | None = None,
    note: str = "",
) -> Link | None:
    """A link for an analyst to review, made once per (origin, ends, type): running a
    scan twice proposes nothing new. Graded 2/C/P (untested, known indirectly) until the
    analyst grades it on review."""
    if from_node == to_node:
        return None
    link, created = Link.objects.get_or_create(
        area_id=area_id,
        from_kind=from_node[0],
        from_id=from_node[1],
        to_kind=to_node[0],
        to_id=to_node[1],
        link_type=link_type,
        proposed_from=proposed_from,
        proposed_ref=proposed_ref,
        defaults={
            "valid_from": valid_from,
            "source": source,
            "source_evaluation": SourceEvaluation.UNTESTED,
            "intelligence_assessment": IntelligenceAssessment.KNOWN_INDIRECTLY,
            "handling_code": HandlingCode.PERMITTED,
            "review_status": ReviewStatus.PROPOSED,
            "note": note,
        },
    )
    return link if created else None
