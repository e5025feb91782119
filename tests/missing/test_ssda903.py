"""The SSDA903 MISSING and Annex A rules: row shapes, UK dates and the DfE validation."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from clearsight.missing.ssda903 import (
    AnnexARow,
    MissingRow,
    RuleError,
    child_identifier,
    parse_uk_date,
    spreadsheet_safe,
    uk_date,
    validate_annex_a,
    validate_missing,
)

YEAR_END = date(2026, 3, 31)
YEAR_START = date(2025, 4, 1)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def row(child: str = "C1", start: str = "01/06/2025", end: str = "", kind: str = "M") -> dict:
    return {"CHILD": child, "DOB": "", "MISSING": kind, "MIS_START": start, "MIS_END": end}


def check(*rows: dict) -> list[RuleError]:
    return validate_missing(list(rows), collection_start=YEAR_START, collection_end=YEAR_END)


@given(days)
def test_dates_are_written_day_month_year_and_read_back(day: date) -> None:
    assert parse_uk_date(uk_date(day)) == day
    assert uk_date(day)[2] == "/" and uk_date(day)[5] == "/"


def test_the_child_is_the_la_child_id_where_there_is_one() -> None:
    assert child_identifier(42, " LA-0099 ") == "LA-0099"
    assert child_identifier(42, None) == "CS42"
    assert child_identifier(42, "") == "CS42"


def test_a_missing_row_has_the_ssda903_columns() -> None:
    cells = MissingRow("CS1", date(2012, 5, 1), "A", date(2025, 6, 2), None).cells()
    assert cells == {
        "CHILD": "CS1",
        "DOB": "01/05/2012",
        "MISSING": "A",
        "MIS_START": "02/06/2025",
        "MIS_END": "",
    }


def test_a_clean_table_has_no_errors() -> None:
    assert check(row(end="03/06/2025"), row(start="03/06/2025", kind="A"), row("C2")) == []


def test_a_blank_or_impossible_start_is_an_error() -> None:
    assert check(row(start="")) == [RuleError(2, "MIS_START", "Enter the start date (rule 1004)")]
    assert check(row(start="31/02/2025"))[0].field == "MIS_START"
    assert "1004" in check(row(start="2025-06-01"))[0].message


def test_an_impossible_end_is_an_error() -> None:
    errors = check(row(end="32/06/2025"))
    assert [(e.line, e.field) for e in errors] == [(2, "MIS_END")]
    assert "1005" in errors[0].message


def test_an_end_before_its_start_is_an_error() -> None:
    errors = check(row(start="05/06/2025", end="04/06/2025"))
    assert [(e.line, e.field) for e in errors] == [(2, "MIS_END")]
    assert "567" in errors[0].message


@given(st.text(max_size=3).filter(lambda s: s.strip() not in {"M", "A"}))
def test_missing_must_be_m_or_a(kind: str) -> None:
    errors = check(row(kind=kind))
    assert [(e.field, "1006" in e.message) for e in errors] == [("MISSING", True)]


def test_an_away_may_meet_a_missing_on_the_same_date_but_not_overlap() -> None:
    assert check(row(end="04/06/2025", kind="A"), row(start="04/06/2025", end="06/06/2025")) == []
    errors = check(row(end="04/06/2025"), row(start="03/06/2025", end="06/06/2025"))
    assert [(e.line, e.field) for e in errors] == [(3, "MIS_START")]
    assert "overlaps the one on line 2 (rule 574)" in errors[0].message


def test_a_child_has_at_most_one_open_episode() -> None:
    errors = check(row(start="01/06/2025"), row(start="09/06/2025"))
    assert [e.line for e in errors] == [3]
    assert "line 2 is still open" in errors[0].message


def test_episodes_of_different_children_may_overlap() -> None:
    assert check(row("C1"), row("C2")) == []


def test_dates_after_the_collection_year_are_errors() -> None:
    errors = check(row(start="01/04/2026"), row("C2", start="30/03/2026", end="02/04/2026"))
    assert [(e.line, e.field) for e in errors] == [(2, "MIS_START"), (3, "MIS_END")]
    assert "570" in errors[0].message and "571" in errors[1].message


def test_a_start_before_the_childs_birth_is_an_error() -> None:
    errors = check(row() | {"DOB": "02/06/2025"})
    assert [(e.field, "586" in e.message) for e in errors] == [("MIS_START", True)]


@st.composite
def tidy_episodes(draw: st.DrawFn) -> list[dict]:
    """Episodes of a few children that never overlap, each child's last maybe open."""
    rows = []
    for child in draw(st.lists(st.sampled_from(["A1", "B2", "C3"]), unique=True, min_size=1)):
        day = draw(st.dates(min_value=YEAR_START, max_value=date(2025, 12, 31)))
        count = draw(st.integers(1, 4))
        for index in range(count):
            length = draw(st.integers(0, 5))
            is_last = index == count - 1
            end = None if is_last and draw(st.booleans()) else day + timedelta(days=length)
            kind = draw(st.sampled_from(["M", "A"]))
            rows.append(row(child, uk_date(day), uk_date(end), kind))
            if end is None:
                break
            day = end + timedelta(days=draw(st.integers(0, 3)))
    return rows


@given(tidy_episodes(), st.randoms())
def test_tidy_episodes_pass_in_any_order(rows: list[dict], random) -> None:  # type: ignore[no-untyped-def]
    random.shuffle(rows)
    assert check(*rows) == []


@given(tidy_episodes(), st.data())
def test_a_second_copy_of_any_episode_that_lasts_or_is_open_is_caught(
    rows: list[dict], data: st.DataObject
) -> None:
    lasting = [r for r in rows if r["MIS_END"] != r["MIS_START"]]
    assume(lasting)
    copied = data.draw(st.sampled_from(lasting))
    errors = check(*rows, dict(copied))
    assert any("574" in e.message for e in errors)


@given(st.lists(st.tuples(st.text(max_size=4), st.text(max_size=12), st.text(max_size=12))))
def test_errors_are_sorted_by_line_and_point_at_real_lines(raw: list[tuple[str, str, str]]) -> None:
    rows = [row(kind=k, start=s, end=e) for k, s, e in raw]
    errors = check(*rows)
    assert errors == sorted(errors, key=lambda e: (e.line, e.field, e.message))
    assert all(2 <= e.line <= len(rows) + 1 for e in errors)


def test_annex_a_rows_say_y_or_n() -> None:
    cells = AnnexARow("CS1", date(2025, 6, 1), date(2025, 6, 2), True, False).cells()
    assert cells["RHI_OFFERED"] == "Y" and cells["RHI_ACCEPTED"] == "N"
    assert cells["EPISODE_START"] == "01/06/2025"


def test_annex_a_is_checked_for_dates_overlaps_and_an_acceptance_never_offered() -> None:
    table = [
        AnnexARow("CS1", date(2025, 6, 1), date(2025, 6, 5), False, True).cells(),
        AnnexARow("CS1", date(2025, 6, 3), None, True, False).cells(),
        AnnexARow("CS2", date(2025, 6, 9), date(2025, 6, 8), True, True).cells(),
    ]
    errors = validate_annex_a(table, collection_end=YEAR_END)
    assert [(e.line, e.field) for e in errors] == [
        (2, "RHI_ACCEPTED"),
        (3, "EPISODE_START"),
        (4, "EPISODE_END"),
    ]


@given(st.text())
def test_no_cell_can_start_a_spreadsheet_formula(value: str) -> None:
    safe = spreadsheet_safe(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (value, f"'{value}")


def test_formula_cells_are_quoted() -> None:
    assert spreadsheet_safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_safe("LA-1") == "LA-1"
