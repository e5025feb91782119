"""Small input checks shared by the cases services (no Django import)."""

from __future__ import annotations


def clean_text(
    errors: dict[str, str],
    name: str,
    value: str,
    *,
    missing: str,
    label: str,
    limit: int,
    required: bool = True,
) -> str:
    """Trim the text and record an error against ``name`` if it is empty or too long."""
    value = value.strip()
    if required and not value:
        errors[name] = missing
    elif len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer"
    return value
