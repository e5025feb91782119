from __future__ import annotations

from django import forms

from clearsight.audit.selectors import AuditFilter
from clearsight.core.forms import GovukDateField, GovukForm


class AuditFilterForm(GovukForm):
    person_id = forms.IntegerField(
        label="Person record number",
        required=False,
        min_value=1,
        help_text="Shown in the address of the person's page, for example 1234 in /people/1234/",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "data-width-class": "govuk-input--width-10"}
        ),
        error_messages={
            "invalid": "Enter the record number in digits",
            "min_value": "Enter the record number in digits",
        },
    )
    user = forms.TypedChoiceField(label="User", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="What happened", required=False)
    from_on = GovukDateField(
        label="From",
        required=False,
        error_name="The start date",
        help_text="For example, 1 11 2026",
    )
    to_on = GovukDateField(
        label="To", required=False, error_name="The end date", help_text="For example, 30 11 2026"
    )
    flagged_only = forms.BooleanField(label="Only emergency (break-glass) access", required=False)

    def __init__(
        self, *args: object, users: list[tuple[int, str]], actions: list[str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Anyone"), *users]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", "Anything"), *[(a, a) for a in actions]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("from_on") and data.get("to_on") and data["from_on"] > data["to_on"]:
            self.add_error("to_on", "The end date must be on or after the start date")
        return data

    def criteria(self) -> AuditFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilter(
            person_id=data.get("person_id"),
            user_id=data.get("user"),
            action=data.get("action") or "",
            from_on=data.get("from_on"),
            to_on=data.get("to_on"),
            flagged_only=bool(data.get("flagged_only")),
        )


class ExportForm(GovukForm):
    reason = forms.CharField(
        label="Why are you exporting these records?",
        help_text="The export and your reason are recorded in the audit log.",
        max_length=500,
        error_messages={"required": "Enter why you are exporting these records"},
    )


class ReviewForm(GovukForm):
    note = forms.CharField(
        label="What did you find?",
        max_length=500,
        error_messages={
            "required": "Enter what you found, for example whether the access was justified"
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )
