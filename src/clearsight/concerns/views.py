"""Staff pages: raising a concern, the triage queue, a concern's page with its triage
steps, and the figures. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.concerns import selectors, services, triage_services
from clearsight.concerns.drafts import ConcernDraft
from clearsight.concerns.forms import (
    AssignForm,
    FindChildForm,
    LinkForm,
    OutcomeForm,
    RaiseConcernForm,
    TriageObservationsForm,
)
from clearsight.concerns.models import Concern
from clearsight.core.errors import InvalidInput, NotFoundError
from clearsight.people import selectors as people_selectors
from clearsight.risk.selectors import current_library, indicators_by_category

FIGURE_PERIODS = (30, 90, 365)


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


# --- Raising a concern ----------------------------------------------------------------------


@requires(Capability.RAISE_CONCERNS)
@require_http_methods(["GET", "POST"])
def raise_concern(request: HttpRequest, person_pk: int | None = None) -> HttpResponse:
    """About a child the user can see (from the child's page), or a child not known to
    them: then a description is all there is."""
    actor = get_actor(request)
    person = None
    if person_pk is not None:
        person = people_selectors.person_for_actor(actor=actor, pk=person_pk)
        if person is None:
            raise Http404("No such child")
    library = current_library(actor.area_id)
    groups = indicators_by_category(library)
    codes = [i.code for _, indicators in groups for i in indicators]
    data = request.POST if request.method == "POST" else None
    form = RaiseConcernForm(
        data, sign_codes=codes, initial={"submission_key": new_submission_key()}
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        draft = ConcernDraft(
            what_seen=cleaned["what_seen"],
            where_seen=cleaned["where_seen"],
            postcode=cleaned["postcode"],
            seen_on=cleaned["seen_on"],
            seen_time=cleaned["seen_time"],
            description=cleaned["description"],
            sign_codes=tuple(cleaned["sign_codes"]),
            is_child_in_danger_now=cleaned["danger"] == "yes",
        )
        try:
            submitted = services.raise_concern(
                actor=actor,
                draft=draft,
                submission_key=cleaned["submission_key"],
                person_id=person.pk if person else None,
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            reference = submitted.concern.reference
            messages.success(
                request,
                f"Your concern has been sent to the triage team. The reference is {reference}.",
            )
            if person is not None:
                return redirect("people:detail", pk=person.pk)
            return redirect("core:home")
    context = {
        "form": form,
        "person": person,
        "groups": groups,
        "ticked": form["sign_codes"].value() or [],
    }
    return render(request, "concerns/raise.html", context)


# --- Triage queue and a concern's page ------------------------------------------------------


@requires(Capability.TRIAGE_CONCERNS)
def queue(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    view = request.GET.get("view", "open")
    if view not in selectors.QUEUE_VIEWS:
        view = "open"
    rows = selectors.triage_queue(actor=actor, view=view)
    audit.record(
        action="concern.queue_viewed",
        actor=actor,
        details={"view": view, "references": [row.concern.reference for row in rows]},
    )
    context = {
        "rows": rows,
        "view": view,
        "views": selectors.QUEUE_VIEWS,
        "view_label": selectors.QUEUE_VIEWS[view],
        "target_hours": selectors.target_hours(),
        "now": timezone.now(),
    }
    return render(request, "concerns/queue.html", context)


def _concern_or_404(actor: Actor, reference: str) -> Concern:
    concern = selectors.concern_for_triage(actor=actor, reference=reference)
    if concern is None:
        raise Http404("No such concern")
    return concern


def _observation_form(concern: Concern, data: Any = None) -> TriageObservationsForm:
    signs: list[tuple[str, str]] = []
    for _, indicators in indicators_by_category(current_library(concern.area_id)):
        signs.extend((i.code, i.title) for i in indicators)
    initial_day = concern.seen_on
    form = TriageObservationsForm(data, signs=signs, initial={"codes": concern.sign_codes})
    if data is None:
        form.data = {
            "seen_on_day": str(initial_day.day),
            "seen_on_month": str(initial_day.month),
            "seen_on_year": str(initial_day.year),
        }
    return form


def _render_detail(
    request: HttpRequest, actor: Actor, concern: Concern, status: int = 200, **forms: Any
) -> HttpResponse:
    find = FindChildForm(request.GET if "find" in request.GET else None)
    matches = []
    if find.is_bound and find.is_valid():
        matches = selectors.link_candidates(
            actor=actor,
            given_names=find.cleaned_data["given_names"],
            family_name=find.cleaned_data["family_name"],
            date_of_birth=find.cleaned_data["date_of_birth"],
        )
        audit.record(
            action="concern.match_shown",
            actor=actor,
            target=concern,
            details={"result_person_ids": [m.person.pk for m in matches]},
        )
    people = [(m.person.pk, m.person.display_name) for m in matches]
    link_form = forms.get("link_form") or LinkForm(people=people)
    context = {
        "concern": concern,
        "row": selectors.concern_row(concern),
        "signs": selectors.sign_titles(concern),
        "decisions": selectors.decisions_for(concern),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            officers=selectors.triage_officers(actor=actor),
            initial={"membership": actor.membership.pk},
        ),
        "find_form": find,
        "matches": matches,
        "link_form": link_form,
        "observation_form": forms.get("observation_form") or _observation_form(concern),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "actor_membership_id": actor.membership.pk,
        "failed_form": next(iter(forms.values()), None),
        "can_see_person": concern.person is not None
        and people_selectors.person_for_actor(actor=actor, pk=concern.person.pk) is not None,
    }
    return render(request, "concerns/detail.html", context, status=status)


@requires(Capability.TRIAGE_CONCERNS)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    actor = get_actor(request)
    concern = _concern_or_404(actor, reference)
    audit.record(action="concern.viewed", actor=actor, target=concern, person_id=concern.person_id)
    return _render_detail(request, actor, concern)


def _done(request: HttpRequest, concern: Concern, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("concerns:detail", reference=concern.reference)


@requires(Capability.TRIAGE_CONCERNS)
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    actor = get_actor(request)
    concern = _concern_or_404(actor, reference)
    form = AssignForm(request.POST, officers=selectors.triage_officers(actor=actor))
    if form.is_valid():
        try:
            concern = triage_services.assign_concern(
                actor=actor,
                reference=reference,
                membership_id=form.cleaned_data["membership"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            assert concern.assigned_to is not None
            return _done(request, concern, f"Assigned to {concern.assigned_to.user.full_name}.")
    return _render_detail(request, actor, concern, status=400, assign_form=form)


@requires(Capability.TRIAGE_CONCERNS)
@require_POST
def link(request: HttpRequest, reference: str) -> HttpResponse:
    actor = get_actor(request)
    concern = _concern_or_404(actor, reference)
    chosen = request.POST.get("person", "")
    person = (
        people_selectors.person_for_actor(actor=actor, pk=int(chosen)) if chosen.isdigit() else None
    )
    people = [(person.pk, person.display_name)] if person else []
    form = LinkForm(request.POST, people=people)
    if form.is_valid():
        try:
            concern = triage_services.link_person(
                actor=actor,
                reference=reference,
                person_id=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            assert concern.person is not None
            return _done(request, concern, f"Linked to {concern.person.display_name}.")
    return _render_detail(request, actor, concern, status=400, link_form=form)


@requires(Capability.TRIAGE_CONCERNS)
@require_POST
def observations(request: HttpRequest, reference: str) -> HttpResponse:
    actor = get_actor(request)
    concern = _concern_or_404(actor, reference)
    form = _observation_form(concern, request.POST)
    if form.is_valid():
        try:
            concern = triage_services.record_observations(
                actor=actor,
                reference=reference,
                codes=form.cleaned_data["codes"],
                seen_on=form.cleaned_data["seen_on"],
                confidence=form.cleaned_data["confidence"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except NotFoundError as error:
            form.add_error(None, error.message)
        else:
            count = len(form.cleaned_data["codes"])
            return _done(
                request,
                concern,
                f"{count} sign{'s' if count != 1 else ''} recorded on the child’s record.",
            )
    return _render_detail(request, actor, concern, status=400, observation_form=form)


@requires(Capability.TRIAGE_CONCERNS)
@require_POST
def outcome(request: HttpRequest, reference: str) -> HttpResponse:
    actor = get_actor(request)
    concern = _concern_or_404(actor, reference)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            concern = triage_services.decide_outcome(
                actor=actor,
                reference=reference,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            return _done(request, concern, f"Outcome recorded: {concern.get_outcome_display()}.")
    return _render_detail(request, actor, concern, status=400, outcome_form=form)


@requires(Capability.TRIAGE_CONCERNS)
def figures(request: HttpRequest) -> HttpResponse:
    """Aggregate figures only: no personal data, so no read is audited."""
    actor = get_actor(request)
    raw = request.GET.get("days", "90")
    days = int(raw) if raw.isdigit() and int(raw) in FIGURE_PERIODS else 90
    context = {
        "figures": selectors.concern_figures(actor=actor, days=days),
        "periods": FIGURE_PERIODS,
        "target_hours": selectors.target_hours(),
    }
    return render(request, "concerns/figures.html", context)
