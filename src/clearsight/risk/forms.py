"""Forms for recording observations, overriding a level, approving an override and
editing a draft library version. They parse input only: every rule is checked once, in
the service (risk/services.py, override_services.py, library_services.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from clearsight.core.forms import GovukForm
from clearsight.people.forms import DateParts
from clearsight.risk.models import NOTE_MAX, RiskLevel
from clearsight.risk.panel_selectors import CONFIDENCE_LABELS

CONFIDENCE_HINTS = {
    1: "I am not sure what I saw",
    2: "It might be a sign",
    3: "It is probably a sign",
    4: "I am fairly sure it is a sign",
    5: "I saw it myself or have proof",
}


# Named as Django's widgets so includes/field.html, which goes by the widget's class
# name, renders them as GOV.UK radios and checkboxes.
class RadioSelect(forms.RadioSelect):
    """The error summary links to the first option, as the GOV.UK pattern asks."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index or 0}" if id_ else ""


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index or 0}" if id_ else ""


class CodesField(forms.Field):
    """The ticked indicator codes as a list; which codes exist is the service's check."""

    widget = CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


class LenientIntegerField(forms.Field):
    """A whole number or None; the range is the service's check."""

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        return int(text) if text.lstrip("-").isdigit() else None


class ObservationForm(DateParts):
    date_prefix = "seen_on"
    date_label = "Date you saw the signs"
    date_required = True

    codes = CodesField(label="What signs did you see?", required=False)
    confidence = LenientIntegerField(
        label="How sure are you?",
        required=False,
        widget=RadioSelect(choices=[(v, v) for v in CONFIDENCE_LABELS]),
    )
    confidence_options = [
        (value, f"{value} – {label}", CONFIDENCE_HINTS[value])
        for value, label in CONFIDENCE_LABELS.items()
    ]
    note = forms.CharField(
        label="Short note (optional)",
        help_text="What you saw or heard, in a sentence or two. Do not include other "
        "children's names.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverrideForm(GovukForm):
    level = forms.CharField(
        label="What do you judge the risk to be?",
        required=False,
        widget=RadioSelect(choices=RiskLevel.choices),
    )
    reason = forms.CharField(
        label="Why?",
        help_text=f"Required. Say what you know that the screening does not. Up to "
        f"{NOTE_MAX} characters.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you approve the lower level?",
        choices=[("approve", "Yes, approve it"), ("reject", "No, keep the current level")],
        required=True,
        error_messages={"required": "Choose whether you approve the lower level"},
        widget=RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        help_text="Required if you do not approve: say why, so the professional knows.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LibrarySettingsForm(GovukForm):
    low_threshold = forms.CharField(label="Score for low", widget=forms.TextInput)
    medium_threshold = forms.CharField(label="Score for medium")
    high_threshold = forms.CharField(label="Score for high")
    half_life_days = forms.CharField(
        label="Half-life in days", help_text="A sign counts half as much after this many days"
    )
    lookback_days = forms.CharField(
        label="Look-back in days", help_text="Signs older than this are not counted"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = False
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "data-width-class": "govuk-input--width-5"}
            )


class IndicatorForm(GovukForm):
    title = forms.CharField(label="Name of the sign", required=False)
    weight = forms.CharField(
        label="Weight",
        help_text="1 (weak on its own) to 10 (strong on its own)",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "data-width-class": "govuk-input--width-2"}
        ),
    )
    looks_like = forms.CharField(
        label="What this can look like", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_to_do = forms.CharField(
        label="What to do", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
