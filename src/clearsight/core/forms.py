"""GOV.UK Design System markup for Django forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape

_INPUT_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.ClearableFileInput: "govuk-file-upload",
}


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

    def _style_field(self, name: str) -> None:
        field = self.fields[name]
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return
        base = _INPUT_CLASSES.get(type(widget), "govuk-input")
        has_error = self.is_bound and name in self.errors
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
