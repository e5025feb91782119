from __future__ import annotations

from django import forms

from clearsight.areas.models import Agency
from clearsight.core.forms import GovukForm
from clearsight.imports.models import ImportMode


class ImportForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Whose records are these?",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency",
        error_messages={
            "required": "Choose the agency the records come from",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A header row naming the columns, then one person a row. UTF-8 is best; files "
            "saved by Excel also work."
        ),
        error_messages={"required": "Choose a CSV file to import", "empty": "The file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    mode = forms.ChoiceField(
        label="If some rows have problems",
        choices=ImportMode.choices,
        initial=ImportMode.GOOD_ROWS,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(label="Only check the file: do not save anything", required=False)

    def __init__(self, *args: object, agencies: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
