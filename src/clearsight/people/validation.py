"""Checking and normalising what is typed or imported about a person, before anything
is saved: names, identifiers (NHS number, UPN, PNC ID...), addresses and phone numbers.
Every problem is reported at once, as InvalidInput with a message per field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.utils import timezone

from clearsight.core.errors import InvalidInput
from clearsight.people import identifiers as ids
from clearsight.people.choices import Ethnicity, IdentifierKind, LegalStatus, PersonKind, Sex

T = TypeVar("T")
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
    ethnicity: str = Ethnicity.NOT_KNOWN
    legal_status: str = LegalStatus.NONE
    # Extra rows from the API or imports:
    # (kind, value, issuer), (line_1, postcode) and (number, label).
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    addresses: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
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
    if len(data.address_line_1.strip()) > 200:
        errors["address_line_1"] = "The first line of the address must be 200 characters or fewer"
    if data.ethnicity not in Ethnicity.values:
        errors["ethnicity"] = "Choose an ethnic group from the list (ONS 2021 categories)"
    if data.legal_status not in LegalStatus.values:
        errors["legal_status"] = "Choose a legal status from the list"
    data.identifiers = _checked_rows(errors, "identifiers", data.identifiers, normalise_identifier)
    data.addresses = _checked_rows(errors, "addresses", data.addresses, normalise_address)
    data.phones = _checked_rows(errors, "phones", data.phones, normalise_phone_row)
    if errors:
        raise InvalidInput(errors)
    return data


def _checked_rows(
    errors: dict[str, str], name: str, rows: Sequence[tuple[str, ...]], check: Callable[..., T]
) -> list[T]:
    checked: list[T] = []
    for index, row in enumerate(rows):
        try:
            checked.append(check(*row))
        except ids.IdentifierError as error:
            errors[f"{name}[{index}]"] = str(error)
    return checked


_IDENTIFIER_RULES = {
    IdentifierKind.NHS_NUMBER: ids.normalise_nhs_number,
    IdentifierKind.UPN: ids.normalise_upn,
    IdentifierKind.PNC_ID: ids.normalise_pnc_id,
}


def normalise_identifier(kind: str, value: str, issuer: str = "") -> tuple[str, str, str]:
    if kind not in IdentifierKind.values:
        raise ids.IdentifierError(
            "Choose an identifier type: nhs_number, upn, pnc_id, la_id or other"
        )
    value, issuer = value.strip(), " ".join(issuer.split())
    rule = _IDENTIFIER_RULES.get(IdentifierKind(kind))
    if rule is not None:
        return (kind, rule(value), issuer)
    if not value or len(value) > 60:
        raise ids.IdentifierError("Enter the identifier (up to 60 characters)")
    if not issuer:
        raise ids.IdentifierError("Enter who issued this identifier")
    return (kind, value, issuer[:200])


def normalise_address(line_1: str, postcode: str) -> tuple[str, str]:
    line_1 = " ".join(line_1.split())
    if not line_1 or len(line_1) > 200:
        raise ids.IdentifierError("Enter the first line of the address (up to 200 characters)")
    return (line_1, ids.normalise_postcode(postcode))


def normalise_phone_row(number: str, label: str = "") -> tuple[str, str]:
    return (ids.normalise_phone(number), " ".join(label.split())[:60])
