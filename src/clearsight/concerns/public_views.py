"""The public concern form (GOV.UK question pages, one question a page, no sign-in, no
JavaScript needed) and the Look Closer guidance for sector staff.

Answers are kept in the session as they were typed and checked again, all together, on
the check-answers page; nothing is stored as a concern until the reporter presses send.
Nothing here ever looks at children's records, so the form cannot reveal whether a
child is known to Clearsight."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from clearsight.concerns import selectors, services, signs
from clearsight.concerns.drafts import ConcernDraft
from clearsight.concerns.forms import (
    NOT_AT_WORK,
    ContactForm,
    DangerForm,
    SendForm,
    SignsForm,
    WhatForm,
    WhenForm,
    WhereForm,
    WhoForm,
    WorkForm,
)
from clearsight.core.client_ip import client_ip
from clearsight.core.decorators import mfa_not_required
from clearsight.core.errors import InvalidInput

logger = logging.getLogger(__name__)

ANSWERS = "public_concern_answers"
KEY = "public_concern_key"
SENT = "public_concern_sent"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    heading: str
    # Shown on the check-answers page for the question
    summary: str


STEPS: tuple[Step, ...] = (
    Step("what-you-saw", WhatForm, "What did you see or hear?", "What you saw or heard"),
    Step("signs", SignsForm, "Did you notice any of these signs?", "Signs"),
    Step("where", WhereForm, "Where did you see it?", "Where"),
    Step("when", WhenForm, "When did you see it?", "When"),
    Step("who", WhoForm, "What did the young person or people look like?", "What they looked like"),
    Step("danger", DangerForm, "Do you think a child is in danger right now?", "In danger now"),
    Step("work", WorkForm, "Did you see this at work?", "At work"),
    Step("contact", ContactForm, "Can we contact you about this?", "Your details"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def public(view: Any) -> Any:
    return login_not_required(mfa_not_required(view))


def _form(step: Step, data: Any = None) -> Any:
    kwargs: dict[str, Any] = {}
    if step.form_class is SignsForm:
        kwargs["choices"] = signs.public_sign_choices()
    elif step.form_class is WhereForm:
        kwargs["areas"] = selectors.public_areas()
    return step.form_class(data, **kwargs)


def _answers(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    return dict(request.session.get(ANSWERS, {}))


def _bound(step: Step, raw: dict[str, list[str]] | None) -> Any:
    return _form(step, MultiValueDict(raw) if raw is not None else None)


def _next_url(step: Step, *, changing: bool) -> str:
    index = STEPS.index(step)
    if changing or index == len(STEPS) - 1:
        return reverse("concerns:report-check")
    return reverse("concerns:report-question", args=[STEPS[index + 1].slug])


def _back_url(step: Step, *, changing: bool) -> str:
    index = STEPS.index(step)
    if changing:
        return reverse("concerns:report-check")
    if index == 0:
        return reverse("concerns:report-start")
    return reverse("concerns:report-question", args=[STEPS[index - 1].slug])


@public
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/report/start.html", {"guides": signs.SECTOR_GUIDES})


@public
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, step: str) -> HttpResponse:
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404("No such question")
    changing = request.GET.get("change") == "1"
    answers = _answers(request)
    if request.method == "POST":
        form = _bound(current, {k: request.POST.getlist(k) for k in request.POST})
        if form.is_valid():
            raw = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
            answers[current.slug] = raw
            request.session[ANSWERS] = answers
            return redirect(_next_url(current, changing=changing))
    else:
        form = _bound(current, answers.get(current.slug))
        if form.is_bound:
            form.is_valid()
    context = {
        "form": form,
        "step": current,
        "back_url": _back_url(current, changing=changing),
        "number": STEPS.index(current) + 1,
        "count": len(STEPS),
    }
    if current.slug == "where":
        context["tile_url"] = settings.CLEARSIGHT_MAP_TILE_URL
        context["tile_attribution"] = settings.CLEARSIGHT_MAP_TILE_ATTRIBUTION
    return render(request, f"concerns/report/{current.slug}.html", context)


def _complete_forms(request: HttpRequest) -> tuple[dict[str, Any], Step | None]:
    """Every step's form re-checked from the session, and the first step that is not
    answered (or no longer valid), if any."""
    answers = _answers(request)
    forms: dict[str, Any] = {}
    for step in STEPS:
        raw = answers.get(step.slug)
        form = _bound(step, raw)
        if raw is None or not form.is_valid():
            return forms, step
        forms[step.slug] = form
    return forms, None


def _draft(forms: dict[str, Any]) -> ConcernDraft:
    def data(slug: str) -> dict[str, Any]:
        return forms[slug].cleaned_data

    sector = data("work")["sector"]
    contact = data("contact")
    return ConcernDraft(
        what_seen=data("what-you-saw")["what_seen"],
        sign_codes=tuple(data("signs")["sign_codes"]),
        where_seen=data("where")["where_seen"],
        postcode=data("where")["postcode"],
        area_code=data("where").get("area_code", ""),
        latitude=data("where").get("latitude"),
        longitude=data("where").get("longitude"),
        seen_on=data("when")["seen_on"],
        seen_time=data("when").get("seen_time"),
        description=data("who")["description"],
        is_child_in_danger_now=data("danger")["danger"] == "yes",
        sector="" if sector == NOT_AT_WORK else sector,
        reporter_name=contact["reporter_name"],
        reporter_email=contact["reporter_email"],
        reporter_phone=contact["reporter_phone"],
        has_consent_to_contact=contact["has_consent_to_contact"],
    )


def _summary(forms: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for step in STEPS:
        form = forms[step.slug]
        rows.append(
            {
                "step": step,
                "form": form,
                "change_url": reverse("concerns:report-question", args=[step.slug]) + "?change=1",
            }
        )
    return rows


def _check_context(forms: dict[str, Any], key: str, **extra: Any) -> dict[str, Any]:
    draft = _draft(forms)
    sign_labels = dict(signs.public_sign_choices())
    areas = dict(selectors.public_areas())
    return {
        "rows": _summary(forms),
        "draft": draft,
        "sign_labels": [sign_labels.get(code, code) for code in draft.sign_codes],
        "area_name": areas.get(draft.area_code, ""),
        "sector_label": dict(forms["work"].fields["sector"].choices).get(
            forms["work"].cleaned_data["sector"], ""
        ),
        "send_form": SendForm(initial={"submission_key": key}),
        **extra,
    }


@public
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then send. The key on this page makes a second press of the
    button (or a retry) return the concern already made instead of a new one."""
    forms, missing = _complete_forms(request)
    if request.method == "POST":
        return _send(request, forms, missing)
    if missing is not None:
        return redirect("concerns:report-question", missing.slug)
    key = request.session.get(KEY) or secrets.token_urlsafe(24)
    request.session[KEY] = key
    return render(request, "concerns/report/check.html", _check_context(forms, key))


def _send(request: HttpRequest, forms: dict[str, Any], missing: Step | None) -> HttpResponse:
    send = SendForm(request.POST)
    if not send.is_valid():
        return redirect("concerns:report-check")
    if send.cleaned_data["website"]:
        # Only a bot fills in the hidden field: it gets the same page as a person, and
        # nothing is kept.
        logger.info("Public concern discarded: honeypot field filled in")
        request.session.pop(ANSWERS, None)
        return render(request, "concerns/report/sent.html", {"sent": None})
    key = send.cleaned_data["submission_key"]
    draft = _draft(forms) if missing is None else None
    try:
        submitted = services.submit_public_concern(
            draft=draft, submission_key=key, ip_address=client_ip(request)
        )
    except services.RateLimited as error:
        return render(
            request, "concerns/report/rate_limited.html", {"message": error.message}, status=429
        )
    except InvalidInput:
        if missing is not None:
            return redirect("concerns:report-question", missing.slug)
        return redirect("concerns:report-check")
    concern = submitted.concern
    request.session.pop(ANSWERS, None)
    request.session.pop(KEY, None)
    request.session[SENT] = {
        "reference": concern.reference,
        "danger": concern.is_child_in_danger_now,
        "consent": concern.has_consent_to_contact,
    }
    return redirect("concerns:report-sent")


@public
def sent(request: HttpRequest) -> HttpResponse:
    details = request.session.get(SENT)
    if details is None:
        return redirect("concerns:report-start")
    return render(request, "concerns/report/sent.html", {"sent": details})


# --- Look Closer --------------------------------------------------------------------------


@public
def look_closer(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/look_closer/index.html", {"guides": signs.SECTOR_GUIDES})


@public
def look_closer_sector(request: HttpRequest, slug: str) -> HttpResponse:
    guide = signs.sector_guide(slug)
    if guide is None:
        raise Http404("No such sector")
    titles = signs.indicator_titles_for(guide)
    rows = [(example, titles[code]) for code, example in guide.signs if code in titles]
    return render(
        request,
        "concerns/look_closer/sector.html",
        {"guide": guide, "rows": rows, "guides": signs.SECTOR_GUIDES},
    )
