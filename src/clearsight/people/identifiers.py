"""Validation and normalisation of the identifiers that agencies hold for a person.

Plain functions with no Django import. Each ``normalise_*`` returns the canonical form
or raises ``IdentifierError`` with a message a user can act on."""

from __future__ import annotations

import re

import phonenumbers


class IdentifierError(ValueError):
    """An identifier that is not valid, with a message naming what is wrong."""


# --- NHS number: 10 digits, the last a modulus-11 check digit ------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit exists (remainder 10)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise IdentifierError("Enter an NHS number with 10 digits, like 943 476 5919")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise IdentifierError("Enter a real NHS number: the last digit does not match the others")
    return digits


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# --- Unique Pupil Number: a check letter and 12 characters (DfE UPN guidance) --------

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def upn_check_letter(last_twelve: str) -> str:
    """Characters 2-13 are weighted 2-13; the sum modulo 23 picks the check letter.
    A temporary UPN ends in a letter, valued by its place in the same alphabet."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    upn = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]", upn):
        raise IdentifierError(
            "Enter a Unique Pupil Number of 13 characters: "
            "a letter, 11 digits, and a digit or letter"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise IdentifierError(
            "Enter a real Unique Pupil Number: the first letter does not match the rest"
        )
    return upn


# --- Police National Computer id: YYYY/NNNNNNNC ---------------------------------------

PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_check_letter(year: str, serial: str) -> str:
    """The two-digit year and the serial padded to 7 digits, read as one number, modulo 23."""
    return PNC_LETTERS[int(year[-2:] + serial.zfill(7)) % 23]


def normalise_pnc_id(value: str) -> str:
    match = re.fullmatch(r"(\d{2}|\d{4})/(\d{1,7})([A-Z])", re.sub(r"\s", "", value).upper())
    if not match:
        raise IdentifierError("Enter a PNC ID in the format YYYY/NNNNNNNA, like 2019/0123456T")
    year, serial, letter = match.groups()
    if pnc_check_letter(year, serial) != letter:
        raise IdentifierError("Enter a real PNC ID: the check letter does not match")
    full_year = year if len(year) == 4 else ("20" if int(year) <= 50 else "19") + year
    return f"{full_year}/{serial.zfill(7)}{letter}"


# --- UK postcode ----------------------------------------------------------------------

_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)\d[ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not _POSTCODE.fullmatch(compact):
        raise IdentifierError("Enter a real UK postcode, like SW1A 1AA")
    return f"{compact[:-3]} {compact[-3:]}"


# --- Phone numbers --------------------------------------------------------------------


def normalise_phone(value: str, region: str = "GB") -> str:
    """E.164, reading numbers without a country code as UK numbers."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise IdentifierError(
            "Enter a phone number, like 07700 900 982 or +44 7700 900982"
        ) from error
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not (phonenumbers.is_valid_number(number) or _is_ofcom_drama_number(e164)):
        raise IdentifierError("Enter a real phone number: this one has the wrong number of digits")
    return e164


# Ofcom reserves these ranges for fiction; Clearsight's synthetic data and tests use them
# so that no real person's number is ever in the repository.
_OFCOM_DRAMA_PREFIXES = ("+447700900", "+44113496", "+44207946", "+44117496", "+44161496")


def _is_ofcom_drama_number(e164: str) -> bool:
    return len(e164) == 13 and e164.startswith(_OFCOM_DRAMA_PREFIXES)
