from __future__ import annotations

from django import forms

from clearsight.contexts.models import ContextNoteKind, LocationType, PlaceLinkType, ResponsibleKind
from clearsight.core.forms import GovukDateField, GovukForm


class LocationForm(GovukForm):
    name = forms.CharField(label="Name of the place", max_length=200)
    location_type = forms.ChoiceField(label="Type of place", choices=LocationType.choices)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    latitude = forms.DecimalField(label="Latitude", required=False, max_digits=8, decimal_places=5)
    longitude = forms.DecimalField(
        label="Longitude", required=False, max_digits=8, decimal_places=5
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PeerGroupForm(GovukForm):
    name = forms.CharField(label="Name of the peer group", max_length=200)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NoteForm(GovukForm):
    kind = forms.ChoiceField(label="What is it", choices=ContextNoteKind.choices)
    seen_on = GovukDateField(label="Date", error_name="The date it was seen")
    text = forms.CharField(
        label="What was seen or reported", widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(GovukForm):
    assessed_on = GovukDateField(label="Date of the assessment")
    what_makes_it_unsafe = forms.CharField(
        label="What makes it unsafe", widget=forms.Textarea(attrs={"rows": 3})
    )
    what_keeps_children_safe = forms.CharField(
        label="What keeps children safe there",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    responsible_kind = forms.ChoiceField(
        label="Who is responsible for it", choices=ResponsibleKind.choices
    )
    responsible_name = forms.CharField(
        label="Name of the responsible person or organisation", max_length=200
    )
    action_plan = forms.CharField(label="Action plan", widget=forms.Textarea(attrs={"rows": 3}))
    review_on = GovukDateField(label="Review by", required=False, error_name="The review date")


class PersonLinkForm(GovukForm):
    person = forms.IntegerField(label="Record number of the child")
    link_type = forms.ChoiceField(label="How they are linked", choices=PlaceLinkType.choices)
    from_on = GovukDateField(label="From", error_name="The date the link began")
    to_on = GovukDateField(label="Until", required=False, error_name="The date the link ended")


class AgendaForm(GovukForm):
    meeting = forms.TypedChoiceField(
        label="MACE meeting", coerce=int, error_messages={"required": "Choose a MACE meeting"}
    )

    def __init__(self, *args: object, meetings: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "Choose a meeting"), *meetings]  # type: ignore[attr-defined]


class MapPeriodForm(GovukForm):
    """The hotspot map's period; empty boxes mean the last 90 days."""

    since = GovukDateField(label="From", required=False, error_name="The start date")
    until = GovukDateField(label="Until", required=False, error_name="The end date")
