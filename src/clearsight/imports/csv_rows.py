"""Reading an agency's CSV of person records: encoding, header and rows.

Plain Python with no Django import. Problems with the whole file raise FileProblem;
problems with one row are returned with its line number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

COLUMNS = (
    "source_record_id",
    "given_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "phone",
    "address_line_1",
    "postcode",
)
REQUIRED_COLUMNS = ("source_record_id", "given_names", "family_name")
SEX_VALUES = {
    "": "unknown",
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "u": "unknown",
    "unknown": "unknown",
    "not known": "unknown",
    "not stated": "not_stated",
    "not_stated": "not_stated",
}


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notice: str = ""


def decode(raw: bytes) -> Decoded:
    """UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252 (what
    Excel on Windows writes), with a notice so the user can check accented names."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileProblem(
            "The file is not in a text format we can read. Save it from your spreadsheet as "
            "“CSV UTF-8” and try again."
        ) from error
    return Decoded(
        text,
        "cp1252",
        "The file was not saved as UTF-8, so it was read as Windows-1252. Check that names "
        "with accents look right.",
    )


def check_header(header: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in columns if name and name not in COLUMNS]
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"it has no {', '.join(missing)} column")
    if unknown:
        problems.append(f"these columns are not ones we know: {', '.join(unknown)}")
    if duplicated:
        problems.append(f"these columns appear more than once: {', '.join(duplicated)}")
    if problems:
        raise FileProblem(
            "The first row must name the columns, and "
            + "; ".join(problems)
            + f". The columns we can read are: {', '.join(COLUMNS)}."
        )
    return columns


def rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; line numbers count the header as line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(
            "The file is empty. It needs a header row and at least one row of data."
        ) from None
    except csv.Error as error:
        raise FileProblem(f"The first row cannot be read as CSV: {error}") from error
    columns = check_header(header)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(f"Line {reader.line_num} cannot be read as CSV: {error}") from error
        if not any(value.strip() for value in values):
            continue
        padded = values + [""] * (len(columns) - len(values))
        yield reader.line_num, {name: padded[i].strip() for i, name in enumerate(columns) if name}


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY; raises ValueError with a message for anything else."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError("Date of birth must be a real date written as YYYY-MM-DD or DD/MM/YYYY")


def parse_sex(value: str) -> str:
    try:
        return SEX_VALUES[value.strip().lower()]
    except KeyError:
        raise ValueError("Sex must be female, male, unknown or not stated") from None
