"""GOV.UK Design System markup for Django forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape

_INPUT_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.ClearableFileInput: "govuk-file-upload",
}


_DATE_PARTS = ("day", "month", "year")
_ISO_DATE = re.compile(r"^\s*(?P<year>\d{1,4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\s*$")
_UK_DATE = re.compile(r"^\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\s*$")


_TIME_OF_DAY = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def time_of_day(raw: str) -> time | None:
    """A 24-hour time as people type it ("21:30", "9.05"), or None if it is not one."""
    found = _TIME_OF_DAY.match(raw or "")
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return None
    return time(int(found.group(1)), int(found.group(2)))


def date_from_parts(
    parts: Sequence[str | None], *, name: str, example: str = "27 3 2026"
) -> date | None:
    """The date typed in a GOV.UK date input's day, month and year boxes; None when all
    three are empty. A mistake raises ValidationError with the pattern's message, naming
    the date as ``name``: "… must include a month", "… must be a real date, like …"."""
    values = [(value or "").strip() for value in parts]
    if not any(values):
        return None
    not_real = ValidationError(f"{name} must be a real date, like {example}", code="invalid")
    if not all(value.isdigit() for value in values if value):
        raise not_real
    missing = [part for part, value in zip(_DATE_PARTS, values, strict=True) if not value]
    if missing:
        raise ValidationError(f"{name} must include a {' and '.join(missing)}", code="incomplete")
    try:
        day, month, year = (int(value) for value in values)
        if year < 1000:
            raise ValueError
        return date(year, month, day)
    except (ValueError, OverflowError):
        raise not_real from None


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, named ``<field>_day`` and so on.
    Not the browser's date picker, whose order follows the browser's language (month
    first in an American one) and which screen readers announce unevenly.

    A link or a script may still give the whole date as ``<field>=2026-11-01`` (or
    01/11/2026)."""

    template_name = "includes/govuk_date_widget.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in _DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.strip():
            found = _ISO_DATE.match(value) or _UK_DATE.match(value)
            if found:
                return [str(int(found[part])) for part in _DATE_PARTS]
            return ["", "", value]
        return ["", "", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return self.decompress(data.get(name))
        return parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return super().value_omitted_from_data(data, files, name) and name not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id", "")
        for part, sub in zip(_DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub["label"] = part.capitalize()
            if field_id:
                sub["attrs"]["id"] = f"{field_id}_{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        # The error summary's link goes to the day box.
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.MultiValueField):
    """A date asked for with the GOV.UK date input; errors say which part is missing or
    that the date is not real, in the words of the GOV.UK pattern."""

    widget = GovukDateWidget

    def __init__(
        self, *, label: str, help_text: str = "", error_name: str = "", **kwargs: Any
    ) -> None:
        # error_name: how errors name the date when the label alone would read oddly
        # ("The start date must include a year" for a field labelled "From").
        self.error_name = error_name or label
        parts = tuple(forms.CharField(required=False) for _ in _DATE_PARTS)
        named = error_name or f"the {label[:1].lower()}{label[1:]}"
        messages = {"required": f"Enter {named[:1].lower()}{named[1:]}"}
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(
            fields=parts,
            require_all_fields=False,
            label=label,
            help_text=help_text or "For example, 27 3 2026",
            error_messages=messages,
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> date | None:
        return date_from_parts(data_list, name=self.error_name)


class GovukForm(forms.Form):
    """Adds GOV.UK classes, error classes and aria-describedby to every widget.

    Templates render fields with ``includes/field.html`` and the error summary with
    ``includes/error_summary.html``; ``error_anchor`` is where non-field errors link to.
    """

    error_anchor = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.error_anchor and self.fields:
            first = next(iter(self.fields))
            self.error_anchor = (
                str(self.auto_id) % self.add_prefix(first) if self.auto_id else first
            )

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        """Show a service's InvalidInput errors against the fields they name; errors
        for anything that is not a field go to the top of the error summary."""
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)

    def first_errors(self) -> dict[str, str]:
        """Each field's first error, by field name: how InvalidInput and problem JSON
        carry them (after is_valid())."""
        return {name: str(messages[0]) for name, messages in self.errors.items()}

    def hidden_values(self) -> list[tuple[str, str]]:
        """The values given, as (name, value) for hidden inputs that carry them to another
        form (the audit log's filters to its export); a date input by its boxes."""
        pairs: list[tuple[str, str]] = []
        for bound in self:
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, GovukDateWidget):
                parts = value if isinstance(value, list | tuple) else widget.decompress(value)
                pairs += [
                    (f"{bound.html_name}_{part}", str(given))
                    for part, given in zip(_DATE_PARTS, parts, strict=True)
                    if given
                ]
            elif value:
                pairs.append((bound.html_name, str(value)))
        return pairs

    def _style_field(self, name: str) -> None:
        field = self.fields[name]
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return
        has_error = self.is_bound and name in self.errors
        if isinstance(widget, GovukDateWidget):
            # Each box is styled; the hint and error are tied to the fieldset.
            for part, box in zip(_DATE_PARTS, widget.widgets, strict=True):
                width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
                error = " govuk-input--error" if has_error else ""
                box.attrs["class"] = f"govuk-input govuk-date-input__input {width}{error}"
            return
        base = _INPUT_CLASSES.get(type(widget), "govuk-input")
        classes = [base, widget.attrs.get("data-width-class", "")]
        if has_error:
            classes.append(f"{base}--error")
        widget.attrs["class"] = " ".join(c for c in classes if c)
        field_id = str(self.auto_id) % self.add_prefix(name) if self.auto_id else name
        described = [f"{field_id}-hint"] if field.help_text else []
        if has_error:
            described.append(f"{field_id}-error")
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
        else:
            widget.attrs.pop("aria-describedby", None)

    def __getitem__(self, name: str) -> forms.BoundField:
        # Styled as each field is rendered, so errors added after validation (a view
        # passing on a service's error) mark their field too.
        self._style_field(name)
        return super().__getitem__(name)


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _select_html(widget: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html and its options, byte for byte, or None when an
    option has a template of its own."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with select boxes written in Python: through the template
    engine a select renders two includes per option, and the "add to the team" list on
    the child's page (50 people in an area) cost about 4 ms a view (decision 0012)."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == _SELECT:
            html = _select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)
