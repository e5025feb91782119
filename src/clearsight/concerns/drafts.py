"""What someone tells us in a concern, and the checks on each answer. The public
question pages, the professional form and the helpline log all check answers here, so
each rule is written once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from clearsight.concerns.models import (
    DESCRIPTION_MAX,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    NAME_MAX,
    WHAT_SEEN_MAX,
    WHERE_MAX,
    Sector,
)
from clearsight.core.errors import InvalidInput
from clearsight.people import identifiers as ids
from clearsight.risk.selectors import current_library

T = TypeVar("T")

# A concern about something seen longer ago than this is almost always a mistyped year.
OLDEST_SEEN_YEARS = 10


@dataclass(frozen=True)
class ConcernDraft:
    what_seen: str
    seen_on: date | None
    where_seen: str = ""
    postcode: str = ""
    seen_time: time | None = None
    description: str = ""
    sign_codes: tuple[str, ...] = ()
    is_child_in_danger_now: bool = False
    sector: str = ""
    # The Clearsight area the reporter picked (public form only); blank = not sure.
    area_code: str = ""
    # A pin dropped on the public form's map; both or neither.
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    has_consent_to_contact: bool = False


def _too_long(errors: dict[str, str], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[name] = f"Keep this to {limit:,} characters or fewer (you wrote {len(value):,})"


def tidy(value: str) -> str:
    """Trim the answer and drop control characters other than new lines and tabs."""
    return "".join(ch for ch in value if ch in "\n\t" or ch.isprintable()).strip()


def check_what_seen(value: str) -> str:
    value = tidy(value)
    errors: dict[str, str] = {}
    if not value:
        errors["what_seen"] = "Tell us what you saw or heard"
    _too_long(errors, "what_seen", value, WHAT_SEEN_MAX)
    if errors:
        raise InvalidInput(errors)
    return value


def check_where(where_seen: str, postcode: str) -> tuple[str, str]:
    where_seen, postcode = tidy(where_seen), tidy(postcode)
    errors: dict[str, str] = {}
    _too_long(errors, "where_seen", where_seen, WHERE_MAX)
    if postcode:
        try:
            postcode = ids.normalise_postcode(postcode)
        except ids.IdentifierError:
            errors["postcode"] = "Enter a real postcode, like LS1 4AP, or leave it empty"
    if not where_seen and not postcode and not errors:
        errors["where_seen"] = "Tell us where you saw it, or give a postcode"
    if errors:
        raise InvalidInput(errors)
    return where_seen, postcode


POINT_PLACES = Decimal("0.00001")
POINT_ERROR = "The pin must be on a place in the UK. Move the pin or remove it."


def _coordinate(value: object, bounds: tuple[float, float]) -> Decimal | None:
    """A coordinate rounded to five places, or None if it is not a number in bounds."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        return None
    return number.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def check_point(latitude: object, longitude: object) -> tuple[Decimal | None, Decimal | None]:
    """A pin on the map is optional; if there is one it needs both numbers, in the UK
    (the same box as the database constraint)."""
    blank = [value is None or str(value).strip() == "" for value in (latitude, longitude)]
    if all(blank):
        return None, None
    lat = None if blank[0] else _coordinate(latitude, LATITUDE_RANGE)
    lng = None if blank[1] else _coordinate(longitude, LONGITUDE_RANGE)
    if lat is None or lng is None:
        raise InvalidInput({"latitude": POINT_ERROR})
    return lat, lng


def check_when(seen_on: date | None, seen_time: time | None) -> tuple[date, time | None]:
    today = timezone.localdate()
    if seen_on is None:
        raise InvalidInput({"seen_on": "Enter the date you saw it"})
    if seen_on > today:
        raise InvalidInput({"seen_on": "The date must be today or in the past"})
    if seen_on < today.replace(year=today.year - OLDEST_SEEN_YEARS):
        raise InvalidInput({"seen_on": f"The date must be in the last {OLDEST_SEEN_YEARS} years"})
    if seen_time is not None and seen_on == today:
        now = timezone.localtime()
        moment = timezone.make_aware(datetime.combine(seen_on, seen_time))
        # A few minutes' grace: people round the time up.
        if moment > now + timedelta(minutes=10):
            raise InvalidInput({"seen_time": "The time must be now or in the past"})
    return seen_on, seen_time


def check_description(value: str) -> str:
    value = tidy(value)
    errors: dict[str, str] = {}
    _too_long(errors, "description", value, DESCRIPTION_MAX)
    if errors:
        raise InvalidInput(errors)
    return value


def check_sign_codes(codes: Iterable[str], area_id: int | None = None) -> tuple[str, ...]:
    cleaned: list[str] = []
    for code in codes:
        code = str(code).strip().upper()
        if code and code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        return ()
    known = set(
        current_library(area_id).indicators.filter(code__in=cleaned).values_list("code", flat=True)
    )
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        raise InvalidInput({"sign_codes": "Choose signs from the list"})
    return tuple(cleaned)


def check_sector(value: str) -> str:
    if value and value not in Sector.values:
        raise InvalidInput({"sector": "Choose where you work from the list"})
    return value


def check_contact(
    name: str, email: str, phone: str, has_consent: bool
) -> tuple[str, str, str, bool]:
    name, email, phone = tidy(name), tidy(email), tidy(phone)
    errors: dict[str, str] = {}
    _too_long(errors, "reporter_name", name, NAME_MAX)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = "Enter an email address like name@example.com"
        _too_long(errors, "reporter_email", email, 254)
    if phone:
        try:
            phone = ids.normalise_phone(phone)
        except ids.IdentifierError:
            errors["reporter_phone"] = "Enter a phone number, like 07700 900 982"
    if has_consent and not (email or phone) and not errors:
        errors["reporter_email"] = "Give an email address or phone number so we can contact you"
    if errors:
        raise InvalidInput(errors)
    return name, email, phone, has_consent


def _collect(errors: dict[str, str], check: Callable[..., T], *args: Any) -> T | None:
    try:
        return check(*args)
    except InvalidInput as error:
        errors.update(error.errors)
        return None


def validate_draft(draft: ConcernDraft, *, area_id: int | None = None) -> ConcernDraft:
    """Every check at once, collecting each field's message; returns the tidied draft."""
    errors: dict[str, str] = {}
    what_seen = _collect(errors, check_what_seen, draft.what_seen)
    where = _collect(errors, check_where, draft.where_seen, draft.postcode)
    point = _collect(errors, check_point, draft.latitude, draft.longitude)
    when = _collect(errors, check_when, draft.seen_on, draft.seen_time)
    description = _collect(errors, check_description, draft.description)
    signs = _collect(errors, check_sign_codes, draft.sign_codes, area_id)
    sector = _collect(errors, check_sector, draft.sector)
    contact = _collect(
        errors,
        check_contact,
        draft.reporter_name,
        draft.reporter_email,
        draft.reporter_phone,
        draft.has_consent_to_contact,
    )
    if errors:
        raise InvalidInput(errors)
    assert what_seen is not None and where and when and description is not None and point
    assert signs is not None and sector is not None and contact
    return replace(
        draft,
        what_seen=what_seen,
        where_seen=where[0],
        postcode=where[1],
        latitude=point[0],
        longitude=point[1],
        seen_on=when[0],
        seen_time=when[1],
        description=description,
        sign_codes=signs,
        sector=sector,
        reporter_name=contact[0],
        reporter_email=contact[1],
        reporter_phone=contact[2],
        has_consent_to_contact=contact[3],
    )
