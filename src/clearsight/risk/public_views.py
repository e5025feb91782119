"""Spot the signs: public guidance pages (no sign-in) generated from the national
published indicator library, for anyone who works with or around children: bus
drivers, shop and hotel staff, neighbours, parents. Written to be read by a 9-year-old;
they name no child and read no personal data, so nothing here is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from clearsight.core.decorators import mfa_not_required
from clearsight.risk import selectors
from clearsight.risk.models import Category

# What each group of signs is about, in short words (the library's titles follow).
INTRODUCTIONS = {
    Category.MISSING_AND_LOCATION: "The child goes missing, or turns up in places far from home.",
    Category.EDUCATION: "Things change at school. The child stops going, or stops trying.",
    Category.MONEY_AND_POSSESSIONS: "The child has money or things, and cannot say where "
    "they came from.",
    Category.PHONES_AND_ONLINE: "The child has more than one phone, or is scared of calls "
    "and messages.",
    Category.RELATIONSHIPS: "The child spends time with older people, or new friends nobody knows.",
    Category.PHYSICAL_HARM: "The child is hurt and will not say how.",
    Category.BEHAVIOUR_AND_WELLBEING: "The child seems scared, angry, tired or not like "
    "themselves.",
    Category.DRUGS_AND_WEAPONS: "The child has drugs, or a knife or other weapon.",
    Category.CRIMINAL_JUSTICE: "The child is stopped or arrested by the police, often far "
    "from home.",
    Category.HOME_AND_HOUSING: "Strangers stay at the child's home, or the child stays at "
    "other people's homes.",
}


def slug_for(category: str) -> str:
    return category.replace("_", "-")


def _groups() -> list[dict[str, object]]:
    library = selectors.current_library(None)
    labels = dict(Category.choices)
    by_label = dict(selectors.indicators_by_category(library))
    return [
        {
            "slug": slug_for(value),
            "label": labels[value],
            "introduction": INTRODUCTIONS[Category(value)],
            "indicators": by_label[labels[value]],
        }
        for value in Category.values
        if labels[value] in by_label
    ]


@login_not_required
@mfa_not_required
def signs(request: HttpRequest) -> HttpResponse:
    return render(request, "risk/public/signs.html", {"groups": _groups()})


@login_not_required
@mfa_not_required
def signs_category(request: HttpRequest, slug: str) -> HttpResponse:
    group = next((g for g in _groups() if g["slug"] == slug), None)
    if group is None:
        raise Http404("No such group of signs")
    return render(request, "risk/public/category.html", {"group": group})
