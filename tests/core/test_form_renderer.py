"""The form renderer writes select boxes in Python exactly as Django's templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from clearsight.core.forms import FormRenderer

CHOICES = [
    ("", "Choose a person and role"),
    (1, "Dee O'Neil: <social worker>, Children & Families"),
    ("Police", [(2, "PC Lee"), ("3", 'Sam "Jo" Stone')]),
    (4, "Alex"),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), "3"),
        (forms.Select(choices=CHOICES, attrs={"class": "govuk-select", "disabled": True}), ""),
        (forms.Select(choices=CHOICES, attrs={"aria-describedby": "id-hint", "x": False}), 1),
        (forms.SelectMultiple(choices=CHOICES), ["1", "2"]),
        (forms.NullBooleanSelect(), True),
        (forms.Select(choices=[]), None),
    ],
)
def test_a_select_is_written_as_djangos_template_writes_it(
    widget: forms.Select, value: object
) -> None:
    attrs = {"id": "id_membership"}
    expected = widget.render("membership", value, attrs, renderer=DjangoTemplates())
    assert widget.render("membership", value, attrs, renderer=FormRenderer()) == expected
