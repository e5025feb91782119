"""Forms for the public question pages, the professional concern, triage and the helpline
log. Each answer is checked by the rule in ``concerns.drafts`` (or the service), so the
form, the service and any later API give the same message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from clearsight.concerns import rules
from clearsight.concerns.drafts import (
    check_contact,
    check_description,
    check_point,
    check_what_seen,
    check_when,
    check_where,
)
from clearsight.concerns.models import (
    CallerType,
    Channel,
    Outcome,
    RiskSeen,
    Sector,
    Topic,
)
from clearsight.core.errors import InvalidInput
from clearsight.core.forms import GovukForm
from clearsight.people.forms import DateParts

YES_NO = [("yes", "Yes"), ("no", "No")]
DANGER_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_sure", "I’m not sure")]
NOT_AT_WORK = "not_at_work"


def _checked(form: forms.Form, check: Callable[..., Any], *args: Any) -> Any:
    """Run a rule from concerns.drafts, putting its messages on the form's fields."""
    try:
        return check(*args)
    except InvalidInput as error:
        form.add_invalid_input(error.errors)  # type: ignore[attr-defined]
        return None


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _width(css: str) -> forms.TextInput:
    return forms.TextInput(attrs={"data-width-class": css})


# --- Public question pages ------------------------------------------------------------


class WhatForm(GovukForm):
    what_seen = forms.CharField(
        label="What did you see or hear?",
        help_text=(
            "Tell us in your own words. For example, what the young person was doing, who "
            "they were with and anything you heard them say."
        ),
        required=False,
        widget=_textarea(8),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["what_seen"] = _checked(self, check_what_seen, data.get("what_seen", ""))
        return data


class SignsForm(GovukForm):
    sign_codes = forms.MultipleChoiceField(
        label="Did you notice any of these signs?",
        help_text="Tick all that you saw. If none of them fit, leave them all empty.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sign_codes"].choices = choices  # type: ignore[attr-defined]


class WhereForm(GovukForm):
    where_seen = forms.CharField(
        label="Place",
        help_text="For example, the bus station on King Street, or a shop on the High Street",
        required=False,
    )
    postcode = forms.CharField(
        label="Postcode (if you know it)",
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"data-width-class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    # Filled in by the map (frontend/js/report-map.js) when JavaScript is on; the text
    # and postcode above stay the way to answer for everyone else.
    latitude = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    area_code = forms.ChoiceField(
        label="Which area was it in?",
        help_text="This helps us send your report to the right team.",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(areas) > 1:
            self.fields["area_code"].choices = [*areas, ("", "I’m not sure")]  # type: ignore[attr-defined]
        else:
            del self.fields["area_code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        where = _checked(self, check_where, data.get("where_seen", ""), data.get("postcode", ""))
        if where:
            data["where_seen"], data["postcode"] = where
        try:
            data["latitude"], data["longitude"] = check_point(
                data.get("latitude", ""), data.get("longitude", "")
            )
        except InvalidInput as error:
            # The hidden inputs cannot take focus: the message goes to the top of the
            # page, linked to the place box, which always works.
            self.add_error(None, error.errors["latitude"])
        return data


class WhenForm(DateParts):
    date_prefix = "seen_on"
    date_label = "Date"
    date_required = True
    seen_time = forms.CharField(
        label="Time (if you know it)",
        help_text="For example, 9pm or 21:30",
        required=False,
        max_length=20,
        widget=_width("govuk-input--width-5"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            seen_time = rules.parse_time(data.get("seen_time", "") or "")
        except ValueError:
            self.add_error("seen_time", "Enter a time like 9pm or 21:30")
            return data
        if data.get("seen_on") is not None:
            when = _checked(self, check_when, data["seen_on"], seen_time)
            if when:
                data["seen_on"], data["seen_time"] = when
        return data

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name == "seen_time":
                self.add_error("seen_time", message)
            else:
                self.add_date_error(message)


class WhoForm(GovukForm):
    description = forms.CharField(
        label="What did the young person or people look like?",
        help_text=(
            "For example, how old they seemed, what they were wearing, their hair, and any "
            "names you heard. You can leave this empty."
        ),
        required=False,
        widget=_textarea(6),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["description"] = _checked(self, check_description, data.get("description", ""))
        return data


class DangerForm(GovukForm):
    danger = forms.ChoiceField(
        label="Do you think a child is in danger right now?",
        choices=DANGER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, no or I’m not sure"},
    )


class WorkForm(GovukForm):
    sector = forms.ChoiceField(
        label="Did you see this at work?",
        help_text="If you did, tell us where you work.",
        choices=[
            *[(value, f"Yes: {label.lower()}") for value, label in Sector.choices],
            (NOT_AT_WORK, "No, I was not at work"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where you work, or ‘No, I was not at work’"},
    )


class ContactForm(GovukForm):
    reporter_name = forms.CharField(
        label="Your name (optional)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_email = forms.CharField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    reporter_phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "tel",
                "type": "tel",
                "data-width-class": "govuk-input--width-20",
            }
        ),
    )
    consent = forms.MultipleChoiceField(
        label="Can we contact you about this?",
        choices=[("yes", "Yes, you can contact me about what I have told you")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact = _checked(
            self,
            check_contact,
            data.get("reporter_name", ""),
            data.get("reporter_email", ""),
            data.get("reporter_phone", ""),
            data.get("consent") == ["yes"],
        )
        if contact:
            (
                data["reporter_name"],
                data["reporter_email"],
                data["reporter_phone"],
                data["has_consent_to_contact"],
            ) = contact
        return data


class SendForm(forms.Form):
    """The check-answers page: the key that makes a second submit harmless, and a field
    people never see that bots fill in (the honeypot)."""

    submission_key = forms.CharField(max_length=64)
    website = forms.CharField(required=False, max_length=200)


# --- Professional concern -------------------------------------------------------------


class RaiseConcernForm(DateParts):
    date_prefix = "seen_on"
    date_label = "Date seen"
    date_required = True
    error_anchor = "id_what_seen"

    what_seen = forms.CharField(
        label="What did you see, hear or find out?",
        help_text="Facts first: what happened, who was there, what was said.",
        required=False,
        widget=_textarea(8),
    )
    where_seen = forms.CharField(label="Where", required=False)
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=20,
        widget=_width("govuk-input--width-10"),
    )
    seen_time = forms.CharField(
        label="Time (optional)",
        help_text="For example, 21:30",
        required=False,
        max_length=20,
        widget=_width("govuk-input--width-5"),
    )
    description = forms.CharField(
        label="Description of the child or children",
        help_text="Name if known, age, what they looked like, who they were with.",
        required=False,
        widget=_textarea(4),
    )
    sign_codes = forms.MultipleChoiceField(required=False)
    danger = forms.ChoiceField(
        label="Is a child in danger now?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes if a child is in danger now"},
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, sign_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sign_codes"].choices = [(c, c) for c in sign_codes]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The service checks everything again; these give every message at once.
        _checked(self, check_what_seen, data.get("what_seen", ""))
        _checked(self, check_where, data.get("where_seen", ""), data.get("postcode", ""))
        try:
            data["seen_time"] = rules.parse_time(data.get("seen_time", "") or "")
        except ValueError:
            self.add_error("seen_time", "Enter a time like 21:30")
        return data

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_date_error(message)


# --- Triage ---------------------------------------------------------------------------


class AssignForm(GovukForm):
    membership = forms.TypedChoiceField(label="Triage officer", coerce=int)
    reason = forms.CharField(label="Note (optional)", required=False)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        # Several forms share the concern page: distinct ids, same field names.
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = officers  # type: ignore[attr-defined]


class FindChildForm(DateParts):
    given_names = forms.CharField(label="First name", required=False, max_length=200)
    family_name = forms.CharField(label="Last name", required=False, max_length=200)


class LinkForm(GovukForm):
    person = forms.TypedChoiceField(
        label="Who is this concern about?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person this concern is about"},
    )
    reason = forms.CharField(
        label="Why do you think it is them?",
        help_text="For example, the same nickname, school and description.",
        required=False,
        widget=_textarea(3),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "link-%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class TriageObservationsForm(DateParts):
    date_prefix = "seen_on"
    date_label = "Date seen"
    date_required = True
    error_anchor = "id_codes"

    codes = forms.MultipleChoiceField(
        label="Signs to record on the child’s record",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = forms.TypedChoiceField(
        label="How sure are you?",
        coerce=int,
        choices=[
            (n, f"{n} – {label}")
            for n, label in enumerate(
                ["unsure", "not very sure", "fairly sure", "sure", "certain"], 1
            )
        ],
        initial=3,
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=_textarea(3))

    def __init__(self, *args: Any, signs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = signs  # type: ignore[attr-defined]


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens next"},
    )
    reason = forms.CharField(
        label="Why?",
        help_text="Everyone who reads this concern later will see your reason.",
        required=False,
        widget=_textarea(4),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "outcome-%s")
        super().__init__(*args, **kwargs)


# --- Helpline -------------------------------------------------------------------------


class HelplineContactForm(GovukForm):
    error_anchor = "id_channel_0"

    channel = forms.ChoiceField(
        label="Call or chat",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it was a call or a chat"},
    )
    caller_type = forms.ChoiceField(
        label="Who contacted the helpline?",
        choices=CallerType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who contacted the helpline"},
    )
    anonymous = forms.MultipleChoiceField(
        label="Anonymous",
        choices=[("yes", "The caller did not give their name")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    caller_name = forms.CharField(label="Caller’s name (optional)", required=False)
    caller_contact = forms.CharField(
        label="Caller’s phone number or email (optional)", required=False
    )
    topics = forms.MultipleChoiceField(
        label="Topics",
        help_text="Tick all that came up.",
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    what_was_said = forms.CharField(label="What was said", required=False, widget=_textarea(8))
    where_child_is = forms.CharField(label="Where the child lives or was seen", required=False)
    child_description = forms.CharField(
        label="About the child",
        help_text="Name if given, age, description.",
        required=False,
        widget=_textarea(3),
    )
    area_code = forms.ChoiceField(label="Area the child is in")
    risk_seen = forms.ChoiceField(
        label="Risk you heard about",
        choices=RiskSeen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what risk you heard about"},
    )
    advice_given = forms.CharField(label="Advice given", required=False, widget=_textarea(4))
    consent = forms.ChoiceField(
        label="Does the caller agree to share this with the safeguarding team?",
        help_text=(
            "If they agree, it becomes a concern in the triage queue of the child’s area. "
            "If not, it stays in the helpline log and counts only in anonymous figures."
        ),
        choices=[("yes", "Yes, the caller agrees"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the caller agrees to share this"},
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = areas  # type: ignore[attr-defined]
