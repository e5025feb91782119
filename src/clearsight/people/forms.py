from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from clearsight.core.forms import GovukDateField, GovukForm, date_from_parts
from clearsight.people.choices import (
    AliasKind,
    Ethnicity,
    IdentifierKind,
    LegalStatus,
    PersonKind,
    Sex,
)


class DateParts(GovukForm):
    """A GOV.UK date input (day, month, year) named by ``date_prefix``."""

    date_prefix = "date_of_birth"
    date_label = "Date of birth"
    date_required = False

    def clean_date_parts(self) -> date | None:
        parts = [self.data.get(f"{self.date_prefix}_{part}") for part in ("day", "month", "year")]
        try:
            value = date_from_parts(parts, name=self.date_label, example="27 3 2011")
        except ValidationError as error:
            self.date_error = error.messages[0]
            return None
        if value is None and self.date_required:
            self.date_error = f"Enter the {self.date_label.lower()}"
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.date_error = ""
        data[self.date_prefix] = self.clean_date_parts()
        if self.date_error:
            self.add_date_error(self.date_error)
        return data

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_date_error(message)

    def add_date_error(self, message: str) -> None:
        self.error_anchor = f"id_{self.date_prefix}_day"
        self.date_error = message
        self.add_error(None, message)

    def date_values(self) -> dict[str, str]:
        return {
            part: self.data.get(f"{self.date_prefix}_{part}", "")
            for part in ("day", "month", "year")
        }


class SearchForm(DateParts):
    text = forms.CharField(
        label="Name or nickname",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    identifier = forms.CharField(
        label="NHS number, UPN, PNC ID or local ID",
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-width-class": "govuk-input--width-20",
            }
        ),
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-width-class": "govuk-input--width-10"}
        ),
    )


class PersonForm(DateParts):
    error_anchor = "id_given_names"

    kind = forms.ChoiceField(
        label="Is this a child or an adult?",
        choices=PersonKind.choices,
        initial=PersonKind.CHILD,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a child or an adult"},
    )
    given_names = forms.CharField(label="First names", required=False, max_length=10_000)
    family_name = forms.CharField(label="Last name", required=False, max_length=10_000)
    preferred_name = forms.CharField(
        label="Preferred name or nickname (optional)", required=False, max_length=10_000
    )
    date_of_birth_is_approximate = forms.BooleanField(
        label="The date of birth is approximate", required=False
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "data-width-class": "govuk-input--width-10"}
        ),
    )
    upn = forms.CharField(
        label="Unique Pupil Number (optional)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-20"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "off",
                "data-width-class": "govuk-input--width-20",
            }
        ),
    )
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", required=False, max_length=200
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-10"}),
    )


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record now?",
        help_text=(
            "Your reason, your name and the time are recorded and listed for the data "
            "protection officer."
        ),
        max_length=500,
        error_messages={"required": "Explain the emergency"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TeamMemberForm(DateParts):
    date_prefix = "ends_on"
    date_label = "End date"
    error_anchor = "id_membership"

    membership = forms.TypedChoiceField(
        label="Who should join the team?",
        coerce=int,
        error_messages={"required": "Choose who should join the team"},
    )
    reason = forms.CharField(
        label="Why do they need to see this record?",
        max_length=10_000,
        error_messages={"required": "Enter why this person needs to be on the team"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [("", "Choose a person and role"), *choices]  # type: ignore[attr-defined]


class PersonDetailsForm(DateParts):
    error_anchor = "id_given_names"

    version = forms.IntegerField(widget=forms.HiddenInput)
    given_names = forms.CharField(label="First names", required=False, max_length=10_000)
    family_name = forms.CharField(label="Last name", required=False, max_length=10_000)
    preferred_name = forms.CharField(
        label="Preferred name (optional)", required=False, max_length=10_000
    )
    date_of_birth_is_approximate = forms.BooleanField(
        label="The date of birth is approximate", required=False
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(
        label="Ethnic group (ONS 2021 categories)", choices=Ethnicity.choices
    )
    legal_status = forms.ChoiceField(label="Legal status", choices=LegalStatus.choices)
    placing_authority = forms.CharField(
        label="Placing authority (for a looked after child placed here by another council)",
        required=False,
        max_length=10_000,
    )
    placement_agency = forms.TypedChoiceField(
        label="Placement agency (optional)",
        help_text="The agency that runs the child's placement, such as a children's home. "
        "The return home interview worker should be independent of it.",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the placement agency from the list"},
    )
    has_learning_disability = forms.BooleanField(
        label="The child has a recorded learning disability", required=False
    )
    school = forms.TypedChoiceField(label="School", required=False, coerce=int, empty_value=None)
    languages = forms.CharField(
        label="Languages (optional)",
        help_text="Separate languages with commas, for example English, Somali",
        required=False,
        max_length=1000,
    )

    def __init__(
        self,
        *args: Any,
        schools: list[tuple[int, str]],
        placement_agencies: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "Not recorded"), *schools]  # type: ignore[attr-defined]
        self.fields["placement_agency"].choices = [  # type: ignore[attr-defined]
            ("", "Not recorded"),
            *(placement_agencies or []),
        ]


class IdentifierForm(GovukForm):
    kind = forms.ChoiceField(label="Type", choices=IdentifierKind.choices)
    value = forms.CharField(
        label="Number or id", max_length=100, error_messages={"required": "Enter the identifier"}
    )
    issuer = forms.CharField(
        label="Issued by (for a local or other id)", required=False, max_length=200
    )


class AddressForm(GovukForm):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=300,
        error_messages={"required": "Enter the first line of the address"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-10"}),
    )
    from_on = GovukDateField(
        label="Moved in (optional)",
        required=False,
        error_name="The date they moved in",
        help_text="For example, 1 11 2026",
    )
    to_on = GovukDateField(
        label="Moved out (optional)",
        required=False,
        error_name="The date they moved out",
        help_text="For example, 30 11 2026",
    )


class PhoneForm(GovukForm):
    number = forms.CharField(
        label="Phone number",
        max_length=30,
        error_messages={"required": "Enter the phone number"},
        widget=forms.TextInput(attrs={"type": "tel", "data-width-class": "govuk-input--width-20"}),
    )
    label = forms.CharField(
        label="Whose or what (optional)",
        help_text="For example, mobile or mum's phone",
        required=False,
        max_length=60,
    )


class AliasForm(GovukForm):
    name = forms.CharField(
        label="Other name", max_length=10_000, error_messages={"required": "Enter the name"}
    )
    kind = forms.ChoiceField(label="What kind of name", choices=AliasKind.choices)
