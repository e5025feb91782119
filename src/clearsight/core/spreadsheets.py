"""CSV cells that a spreadsheet shows as text and never runs as a formula (OWASP "CSV
injection"). Plain Python: used by every CSV export (audit log, SSDA903, Annex A)."""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [spreadsheet_safe(value) for value in values]
