"""National Referral Mechanism rules, with no Django import.

The statutory defence (Modern Slavery Act 2015, section 45) protects a child who
committed an offence as a direct consequence of being exploited. A positive NRM decision
is evidence for it, so police and youth justice colleagues must know of one that bears
on criminal proceedings: the child is to be treated as a victim (CPS guidance on
suspects in a criminal case who might be victims of trafficking or slavery)."""

from __future__ import annotations

from datetime import date

POSITIVE = "positive"
NEGATIVE = "negative"


def latest_outcome(reasonable_grounds: str, conclusive_grounds: str) -> str:
    """The decision that stands: the conclusive one once made, else reasonable grounds."""
    return conclusive_grounds or reasonable_grounds


def statutory_defence_flag(
    *, reasonable_grounds: str, conclusive_grounds: str, is_relevant_to_proceedings: bool
) -> bool:
    """Show the flag while a positive decision stands and it bears on proceedings."""
    return is_relevant_to_proceedings and (
        latest_outcome(reasonable_grounds, conclusive_grounds) == POSITIVE
    )


def date_errors(
    *,
    submitted_on: date | None,
    reasonable_grounds_on: date | None,
    reasonable_grounds: str,
    conclusive_grounds_on: date | None,
    conclusive_grounds: str,
    today: date,
) -> dict[str, str]:
    """Each decision has both a date and an outcome; decisions follow one another in
    order; a conclusive grounds decision follows only a positive reasonable grounds one."""
    errors: dict[str, str] = {}
    if submitted_on is None:
        errors["submitted_on"] = "Enter the date the referral was submitted"
    elif submitted_on > today:
        errors["submitted_on"] = "The submission date must be today or in the past"
    if bool(reasonable_grounds_on) != bool(reasonable_grounds):
        errors["reasonable_grounds_outcome"] = (
            "Enter both the date and the outcome of the reasonable grounds decision"
        )
    elif reasonable_grounds_on is not None:
        if submitted_on is not None and reasonable_grounds_on < submitted_on:
            errors["reasonable_grounds_on"] = (
                "The reasonable grounds decision must be on or after the submission date"
            )
        elif reasonable_grounds_on > today:
            errors["reasonable_grounds_on"] = "The decision date must be today or in the past"
    if bool(conclusive_grounds_on) != bool(conclusive_grounds):
        errors["conclusive_grounds_outcome"] = (
            "Enter both the date and the outcome of the conclusive grounds decision"
        )
    elif conclusive_grounds_on is not None:
        if reasonable_grounds != POSITIVE:
            errors["conclusive_grounds_outcome"] = (
                "A conclusive grounds decision follows a positive reasonable grounds decision"
            )
        elif reasonable_grounds_on is not None and conclusive_grounds_on < reasonable_grounds_on:
            errors["conclusive_grounds_on"] = (
                "The conclusive grounds decision must be on or after the reasonable grounds one"
            )
        elif conclusive_grounds_on > today:
            errors["conclusive_grounds_on"] = "The decision date must be today or in the past"
    return errors
