"""Vehicle registrations and UPRNs: validation and normalisation. Plain functions, no
Django import; phone numbers and postcodes use ``people.identifiers``."""

from __future__ import annotations

import re

from clearsight.people.identifiers import IdentifierError

# DVLA formats: current (AB12 CDE, since 2001), prefix (A123 BCD), suffix (ABC 123D),
# dateless (1-3 letters and 1-4 digits either way round) and Northern Ireland (ABZ 1234).
_REGISTRATION_FORMATS = (
    re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$"),
    re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"),
    re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"),
    re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$"),
    re.compile(r"^[0-9]{1,4}[A-Z]{1,3}$"),
    re.compile(r"^[A-Z]{1,2}Z[0-9]{1,4}$"),
)


def normalise_registration(value: str) -> str:
    """Upper case without spaces or dashes, as the DVLA and ANPR systems compare them."""
    compact = re.sub(r"[\s-]", "", value).upper()
    if not compact:
        raise IdentifierError("Enter the vehicle registration, like AB12 CDE")
    if not any(pattern.fullmatch(compact) for pattern in _REGISTRATION_FORMATS):
        raise IdentifierError(
            "Enter a UK vehicle registration in a real format, like AB12 CDE, A123 BCD or ABC 123D"
        )
    return compact


def format_registration(compact: str) -> str:
    if re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", compact):
        return f"{compact[:4]} {compact[4:]}"
    return compact


def normalise_uprn(value: str) -> str:
    """A Unique Property Reference Number: up to 12 digits (OS AddressBase)."""
    compact = re.sub(r"\s", "", value)
    if not compact:
        return ""
    if not re.fullmatch(r"[0-9]{1,12}", compact):
        raise IdentifierError("Enter a UPRN of up to 12 digits, or leave it blank")
    return compact.lstrip("0") or "0"
