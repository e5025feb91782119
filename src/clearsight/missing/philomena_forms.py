"""Forms for the Philomena Protocol form pages. Validation of the content lives in
missing/philomena.py; these only carry what was typed to it."""

from __future__ import annotations

from django import forms

from clearsight.core.forms import GovukForm
from clearsight.people.forms import DateParts


# No max_length here: the service checks lengths, so the form and the API share one rule
# and one message.
def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False)


def _area(label: str, hint: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ProfileForm(GovukForm):
    """Part 1, in the groups the page shows as fieldsets."""

    GROUPS = (
        (
            "Description",
            ("height", "build", "hair", "eyes", "distinguishing_features", "general_description"),
        ),
        ("Friends and places", ("friends_and_associates", "places_they_go")),
        ("Phones and social media", ("phone_numbers", "social_media")),
        ("Health", ("medical_needs", "medication")),
        ("Money, travel and language", ("bank_and_travel_cards", "languages")),
        ("Anything else", ("other_information",)),
    )

    version = forms.IntegerField(widget=forms.HiddenInput)
    height = _text("Height", "For example, 5 feet 4 inches or 163 cm")
    build = _text("Build", "For example, slim or stocky")
    hair = _text("Hair", "Colour, length and style")
    eyes = _text("Eyes", "Colour, and glasses or contact lenses if worn")
    distinguishing_features = _area(
        "Distinguishing features", "Scars, marks, tattoos, piercings, birthmarks"
    )
    general_description = _area(
        "General description", "How they usually look and dress, how they speak, mannerisms"
    )
    friends_and_associates = _area(
        "Friends and associates",
        "Names, nicknames and where they live or can be found. Include adults the child "
        "may be with.",
        5,
    )
    places_they_go = _area(
        "Places they go",
        "Addresses, areas, towns, shops, parks, stations; include places they have been "
        "found before",
        5,
    )
    phone_numbers = _area(
        "Phone numbers",
        "One number a line, like 07700 900 982. Include every phone the child may carry.",
    )
    social_media = _area("Social media", "The app or site and the handle or username")
    medical_needs = _area(
        "Medical needs", "Conditions, allergies, disabilities, anything that adds to the risk"
    )
    medication = _area("Medication", "What they take, how often, and what happens without it")
    bank_and_travel_cards = _area(
        "Bank or travel cards", "The bank and card type, Oyster or other travel cards, bus passes"
    )
    languages = _text("Languages", "Languages they speak, and any interpreter needs")
    other_information = _area("Anything else police should know", rows=5)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def phone_lines(self) -> list[str]:
        return str(self.cleaned_data.get("phone_numbers", "")).splitlines()


class PhotoForm(DateParts):
    date_prefix = "taken_on"
    date_label = "Date the photo was taken"
    error_anchor = "id_photo"

    photo = forms.FileField(
        label="Photo",
        help_text="A recent photo showing the child's face clearly. JPG or PNG, up to 5 MB.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
