"""Forms for referrals, cases, NRM records and MACE meetings (GOV.UK markup via
GovukForm). Rules live in the services; these only parse what was typed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from clearsight.cases.models import (
    ActionStatus,
    AgendaKind,
    ClosureOutcome,
    NrmOutcome,
    ReferralService,
    ReferralStatus,
)
from clearsight.core.forms import GovukDateField, GovukForm, time_of_day


def _date(label: str, *, required: bool = True, hint: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=hint)


def _membership_choice(label: str, choices: list[tuple[int, str]], **kwargs: Any) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "Choose someone"), *choices],
        error_messages={"required": "Choose someone from the list"},
        **kwargs,
    )


class ReferralForm(GovukForm):
    service = forms.ChoiceField(
        label="Which service are you referring to?",
        choices=ReferralService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service you are referring to"},
    )
    reason = forms.CharField(
        label="Why are you referring?",
        help_text="What you and others have seen, and what help you think is needed. "
        "Drafted from the current screening when it is medium or high: check it.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter why you are making this referral"},
    )
    observations = forms.TypedMultipleChoiceField(
        label="Observations this referral rests on",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, observation_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["observations"].choices = observation_choices  # type: ignore[attr-defined]


class ReferralUpdateForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ReferralStatus.choices,
        error_messages={"required": "Choose the status"},
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        help_text="What the service did, or why it declined",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome_on = _date("Outcome date", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class OpenCaseForm(GovukForm):
    lead_professional = forms.TypedChoiceField(
        label="Lead professional", coerce=int, required=False, empty_value=None
    )
    review_every_weeks = forms.IntegerField(
        label="Review the plan every (weeks)",
        min_value=1,
        max_value=52,
        widget=forms.NumberInput(attrs={"data-width-class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how often the plan is reviewed, in weeks",
            "min_value": "Reviews must be between every 1 and every 52 weeks",
            "max_value": "Reviews must be between every 1 and every 52 weeks",
            "invalid": "Enter a whole number of weeks",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].choices = [  # type: ignore[attr-defined]
            ("", "Name later"),
            *choices,
        ]


class LeadForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"] = _membership_choice("Lead professional", choices)


class ActionForm(GovukForm):
    title = forms.CharField(
        label="Action",
        max_length=400,
        error_messages={"required": "Enter what needs to be done"},
    )
    due_on = _date("Due date")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _membership_choice("Owner", choices)
        self.order_fields(["title", "owner", "due_on"])


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[c for c in ActionStatus.choices if c[0] != ActionStatus.CARRIED_OVER],
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the action is done or no longer needed",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(GovukForm):
    body = forms.CharField(
        label="Add a case note",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note"},
    )
    corrects = forms.TypedChoiceField(
        label="Does this correct an earlier note?",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Notes are never changed. A correction is a new note that points to the old one.",
    )

    def __init__(self, *args: Any, notes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corrects"].choices = [  # type: ignore[attr-defined]
            ("", "No, this is a new note"),
            *notes,
        ]


class ReviewForm(GovukForm):
    held_on = _date("Date of the review")
    summary = forms.CharField(
        label="What the review found and decided",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the review found and decided"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseCaseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ClosureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the case"},
    )
    reason = forms.CharField(
        label="Why is the case closing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the case is closing"},
    )
    open_actions = forms.ChoiceField(
        label="What should happen to the open actions?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("resolve", "Resolve them: they are no longer needed"),
            ("carry", "Carry them over: each owner's agency continues them"),
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class NrmForm(GovukForm):
    first_responder_organisation = forms.CharField(
        label="First responder organisation",
        max_length=400,
        error_messages={"required": "Enter the first responder organisation"},
    )
    submitted_on = _date("Date submitted")
    reasonable_grounds_on = _date("Reasonable grounds decision date", required=False)
    reasonable_grounds_outcome = forms.ChoiceField(
        label="Reasonable grounds decision",
        required=False,
        choices=[("", "Not yet decided"), *NrmOutcome.choices],
    )
    conclusive_grounds_on = _date("Conclusive grounds decision date", required=False)
    conclusive_grounds_outcome = forms.ChoiceField(
        label="Conclusive grounds decision",
        required=False,
        choices=[("", "Not yet decided"), *NrmOutcome.choices],
    )
    support_offered = forms.CharField(
        label="Support offered", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_relevant_to_criminal_proceedings = forms.TypedChoiceField(
        label="Is a decision relevant to criminal proceedings about the child?",
        help_text="For example, the child is charged with an offence committed while exploited",
        coerce=lambda value: value == "yes",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        initial="no",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeetingForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=400, error_messages={"required": "Enter a title"}
    )
    starts_on = GovukDateField(label="Date", error_name="The date of the meeting")
    time = forms.CharField(
        label="Start time",
        help_text="24-hour time, for example 10:00",
        max_length=5,
        error_messages={"required": "Enter the start time"},
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-5"}),
    )
    location = forms.CharField(label="Place (optional)", required=False, max_length=400)

    def clean(self) -> dict[str, Any]:
        """The date and time as one UK moment, ``starts_at``."""
        data = super().clean() or {}
        day, raw = data.get("starts_on"), data.get("time")
        at = time_of_day(raw) if raw else None
        if raw and at is None:
            self.add_error("time", "Enter the start time in 24-hour form, like 10:00")
        data["starts_at"] = (
            timezone.make_aware(datetime.combine(day, at)) if day and at is not None else None
        )
        return data

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        # The service names the moment; the date boxes show its errors.
        super().add_invalid_input(
            {("starts_on" if name == "starts_at" else name): m for name, m in errors.items()}
        )


class MemberForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"] = _membership_choice("Who should sit on this meeting?", choices)
        self.order_fields(["membership", "version"])


class AgendaForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is this item about?",
        choices=AgendaKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a child, a peer group or a location"},
    )
    referral = forms.TypedChoiceField(
        label="Child referred to MACE", coerce=int, required=False, empty_value=None
    )
    subject = forms.CharField(
        label="Peer group or location",
        required=False,
        max_length=400,
        help_text="For example, the name a group goes by, or a park or station",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, referrals: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a child"),
            *referrals,
        ]


class DecisionForm(GovukForm):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the decision"},
    )


class RemoveItemForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
