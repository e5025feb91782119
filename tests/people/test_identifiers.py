"""Identifier validators: known good and bad values, and properties over all inputs."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clearsight.people.identifiers import (
    PNC_LETTERS,
    UPN_LETTERS,
    IdentifierError,
    format_nhs_number,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_phone,
    normalise_pnc_id,
    normalise_postcode,
    normalise_upn,
    pnc_check_letter,
    upn_check_letter,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def test_a_known_nhs_test_number_is_accepted_with_spaces() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize("value", ["9434765918", "94347659", "943476591X", ""])
def test_bad_nhs_numbers_are_refused(value: str) -> None:
    with pytest.raises(IdentifierError):
        normalise_nhs_number(value)


@given(nine_digits)
def test_every_nhs_number_with_its_check_digit_is_valid(first: str) -> None:
    check = nhs_check_digit(first)
    assume(check is not None)
    assert normalise_nhs_number(first + str(check)) == first + str(check)


@given(nine_digits, st.integers(0, 9))
def test_any_other_last_digit_is_refused(first: str, last: int) -> None:
    assume(nhs_check_digit(first) != last)
    with pytest.raises(IdentifierError):
        normalise_nhs_number(f"{first}{last}")


@given(nine_digits, st.integers(0, 8), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(first: str, position: int, delta: int) -> None:
    check = nhs_check_digit(first)
    assume(check is not None)
    typo = first[:position] + str((int(first[position]) + delta) % 10) + first[position + 1 :]
    with pytest.raises(IdentifierError):
        normalise_nhs_number(typo + str(check))


def test_a_known_upn_is_accepted_and_a_wrong_letter_refused() -> None:
    assert normalise_upn("b801200005001") == "B801200005001"
    with pytest.raises(IdentifierError, match="first letter"):
        normalise_upn("A801200005001")


@given(
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from(list("0123456789" + UPN_LETTERS)),
)
def test_every_upn_with_its_check_letter_is_valid(middle: str, last: str) -> None:
    rest = middle + last
    assert normalise_upn(upn_check_letter(rest) + rest) == upn_check_letter(rest) + rest


@pytest.mark.parametrize(
    "value", ["B80120000500", "I801200005001", "B80120000A001", "1801200005001"]
)
def test_badly_formed_upns_are_refused(value: str) -> None:
    with pytest.raises(IdentifierError):
        normalise_upn(value)


@given(st.integers(1970, 2049), st.integers(1, 9_999_999))
def test_pnc_ids_round_trip_with_their_check_letter(year: int, serial: int) -> None:
    letter = pnc_check_letter(str(year), str(serial))
    assert letter in PNC_LETTERS
    assert normalise_pnc_id(f"{year}/{serial}{letter}") == f"{year}/{serial:07d}{letter}"


@given(st.integers(1970, 2049), st.integers(1, 9_999_999), st.sampled_from(list(PNC_LETTERS)))
def test_pnc_ids_with_the_wrong_letter_are_refused(year: int, serial: int, letter: str) -> None:
    assume(pnc_check_letter(str(year), str(serial)) != letter)
    with pytest.raises(IdentifierError):
        normalise_pnc_id(f"{year}/{serial}{letter}")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" M1 1AE ", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(value: str, expected: str) -> None:
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize("value", ["", "SW1A", "QQ1 1AA", "SW1A 1AAA", "12345"])
def test_bad_postcodes_are_refused(value: str) -> None:
    with pytest.raises(IdentifierError, match="postcode"):
        normalise_postcode(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07700 900982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("0113 496 0000", "+441134960000"),
    ],
)
def test_phone_numbers_become_e164(value: str, expected: str) -> None:
    assert normalise_phone(value) == expected


@pytest.mark.parametrize("value", ["", "hello", "0770090", "+44 1"])
def test_bad_phone_numbers_are_refused(value: str) -> None:
    with pytest.raises(IdentifierError):
        normalise_phone(value)


@given(st.text(max_size=30))
def test_validators_never_fail_with_anything_but_a_clear_error(value: str) -> None:
    for normalise in (
        normalise_nhs_number,
        normalise_upn,
        normalise_pnc_id,
        normalise_postcode,
        normalise_phone,
    ):
        try:
            normalise(value)
        except IdentifierError as error:
            assert str(error)
