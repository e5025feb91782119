from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.imports.csv_rows import FileProblem, decode, parse_date, parse_sex, rows


def test_utf8_with_a_byte_order_mark_is_read() -> None:
    decoded = decode("\ufeffsource_record_id,given_names,family_name\r\n1,Zoë,Ñúñez\r\n".encode())
    assert decoded.encoding == "utf-8"
    assert list(rows(decoded.text)) == [
        (2, {"source_record_id": "1", "given_names": "Zoë", "family_name": "Ñúñez"})
    ]


def test_windows_1252_is_read_with_a_notice() -> None:
    decoded = decode("source_record_id,given_names,family_name\n1,Zoë,Brontë\n".encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert "Windows-1252" in decoded.notice
    assert "Zoë" in decoded.text


def test_wrong_headers_name_what_is_missing_and_unknown() -> None:
    with pytest.raises(FileProblem) as caught:
        list(rows("id,first,family_name\n1,Kai,Morgan\n"))
    message = str(caught.value)
    assert "no source_record_id, given_names column" in message
    assert "not ones we know: id, first" in message


def test_empty_file_is_refused() -> None:
    with pytest.raises(FileProblem, match="empty"):
        list(rows(""))


def test_line_numbers_count_the_header_and_skip_blank_lines() -> None:
    text = "source_record_id,given_names,family_name\n1,A,B\n\n2,C,D\n"
    assert [line for line, _ in rows(text)] == [2, 4]


@pytest.mark.parametrize(
    ("value", "expected"), [("2011-03-27", "2011-03-27"), ("27/03/2011", "2011-03-27"), ("", None)]
)
def test_dates_in_either_format(value: str, expected: str | None) -> None:
    parsed = parse_date(value)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize("value", ["31/02/2011", "2011-13-01", "March 2011", "27.03.2011"])
def test_bad_dates_are_refused_with_a_message(value: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD or DD/MM/YYYY"):
        parse_date(value)


def test_sex_values() -> None:
    assert parse_sex("F") == "female"
    assert parse_sex(" Not Stated ") == "not_stated"
    with pytest.raises(ValueError):
        parse_sex("x")


@given(st.binary(max_size=200))
def test_any_bytes_either_decode_or_give_a_clear_problem(raw: bytes) -> None:
    try:
        text = decode(raw).text
        list(rows(text))
    except FileProblem as problem:
        assert str(problem)
