"""Pages for a child's referrals, case, plan, notes, reviews and closure (the NRM record's
are in nrm_views.py, MACE meetings' in meeting_views.py). Thin: parse the form, call one
service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases import (
    help_selectors,
    referral_services,
    selectors,
    services,
)
from clearsight.cases.forms import (
    ActionForm,
    ActionUpdateForm,
    CloseCaseForm,
    LeadForm,
    NoteForm,
    NrmForm,
    OpenCaseForm,
    ReferralForm,
    ReferralUpdateForm,
    ReviewForm,
)
from clearsight.cases.models import Case, ReferralStatus
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.core.forms import GovukForm
from clearsight.people.models import Person


def forbidden(request: HttpRequest, actor: Actor, what: str) -> HttpResponse:
    audit.record(action="access.denied", actor=actor, details={"what": what, "path": request.path})
    return render(request, "access/forbidden.html", status=403)


def attempt(form: GovukForm, call: Callable[[], Any]) -> Any:
    """Run a service, showing its domain errors on the form; None if it refused."""
    try:
        return call()
    except InvalidInput as error:
        form.add_invalid_input(error.errors)
    except StaleVersionError as error:
        form.add_error(None, error.message)
    except (NotFoundError, PermissionDeniedError) as error:
        raise Http404(error.message) from error
    return None


def child_or_refuse(request: HttpRequest, actor: Actor, pk: int) -> Person | HttpResponse:
    """The child if the actor may see them; otherwise 403 for a child of their area
    (they may ask for emergency access on the child page) and 404 for anyone else."""
    person = selectors.child_for_actor(actor, pk)
    if person is not None:
        return person
    audit.record(action="person.denied", actor=actor, person_id=pk)
    if Person.objects.live().filter(pk=pk, area_id=actor.area_id).exists():
        return render(request, "access/forbidden.html", status=403)
    raise Http404("No such person")


def _membership(pk: int | None) -> Membership | None:
    return Membership.objects.select_related("agency").filter(pk=pk).first() if pk else None


@requires(Capability.VIEW_CHILDREN)
@require_GET
def person_case(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = child_or_refuse(request, actor, pk)
    if isinstance(person, HttpResponse):
        return person
    page = selectors.case_page(actor=actor, person=person)
    audit.record(action="case.viewed", actor=actor, target=page.case or person, person_id=pk)
    choices = selectors.area_memberships(person_area_id=person.area_id)
    may_manage = policy.may_manage_case(actor, person)
    case = page.case
    context = {
        "page": page,
        "person": person,
        "may_manage": may_manage,
        "may_note": policy.may_write_notes(actor, person),
        "may_refer": policy.may_refer(actor, person),
        "actor_membership_id": actor.membership.pk,
        "open_form": OpenCaseForm(
            initial={"review_every_weeks": services.review_weeks()}, choices=choices
        ),
        "nrm_form": NrmForm(),
    }
    if case is not None:
        context.update(
            action_form=ActionForm(choices=choices),
            lead_form=LeadForm(initial={"version": case.version}, choices=choices),
            note_form=NoteForm(
                notes=[(n.pk, f"{n.written_at:%-d %b %Y}: {n.body[:60]}") for n in page.notes]
            ),
            review_form=ReviewForm(initial={"version": case.version}),
        )
    return render(request, "cases/person_case.html", context)


@requires(Capability.MANAGE_CASES)
@require_POST
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = child_or_refuse(request, actor, pk)
    if isinstance(person, HttpResponse):
        return person
    form = OpenCaseForm(
        request.POST, choices=selectors.area_memberships(person_area_id=person.area_id)
    )
    if form.is_valid():
        data = form.cleaned_data
        case = attempt(
            form,
            lambda: services.open_case(
                actor=actor,
                person_id=pk,
                lead_professional=_membership(data["lead_professional"]),
                review_every_weeks=data["review_every_weeks"],
            ),
        )
        if case is not None:
            messages.success(request, "The case is open. Add the plan's actions below.")
            return redirect("cases:person-case", pk=pk)
    return render(
        request, "cases/form_page.html", form_page(person, form, "Open a case"), status=400
    )


def form_page(person: Person, form: GovukForm, title: str, **extra: Any) -> dict[str, Any]:
    return {"person": person, "form": form, "title": title, **extra}


@requires(Capability.RECORD_OBSERVATIONS)
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = selectors.child_for_actor(actor, pk)
    if person is None:
        audit.record(action="person.denied", actor=actor, person_id=pk)
        raise Http404("No such person")
    screening, observations = referral_services.referral_basis(actor, person)
    choices = [
        (o.pk, f"{o.indicator_title}: seen {o.seen_on:%-d %b %Y} by {o.agency.name}")
        for o in observations
    ]
    if request.method == "POST":
        form = ReferralForm(request.POST, observation_choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            referral = attempt(
                form,
                lambda: referral_services.make_referral(
                    actor=actor,
                    person_id=pk,
                    service=data["service"],
                    reason=data["reason"],
                    observation_ids=data["observations"],
                ),
            )
            if referral is not None:
                messages.success(request, f"Referral made to {referral.get_service_display()}.")
                return redirect("cases:person-case", pk=pk)
    else:
        prefill = referral_services.prefill_from_screening(screening)
        chosen = {
            s.get("agency_id")
            for f in (screening.factors if screening else [])
            for s in f.get("sources", [])
        }
        codes = {f.get("code") for f in (screening.factors if screening else [])}
        form = ReferralForm(
            initial={
                "service": request.GET.get("service", ""),
                "reason": prefill,
                "observations": [
                    o.pk
                    for o in observations
                    if prefill and o.indicator_code in codes and o.agency_id in chosen
                ],
            },
            observation_choices=choices,
        )
    audit.record(
        action="referral.form_viewed",
        actor=actor,
        target=person,
        person_id=pk,
        details={"screening_id": screening.pk if screening else None},
    )
    return render(
        request,
        "cases/referral_new.html",
        {"person": person, "form": form, "screening": screening},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    referral = selectors.referral_for_actor(actor, pk)
    if referral is None:
        raise Http404("No such referral")
    may_update = policy.may_refer(actor, referral.person)
    form = ReferralUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "status": referral.status,
            "version": referral.version,
            "outcome": referral.outcome,
        },
    )
    if request.method == "POST":
        if not may_update:
            return forbidden(request, actor, "update_referral")
        if form.is_valid():
            data = form.cleaned_data
            updated = attempt(
                form,
                lambda: referral_services.update_referral(
                    actor=actor,
                    referral_id=pk,
                    expected_version=data["version"],
                    status=data["status"],
                    outcome=data["outcome"],
                    outcome_on=data["outcome_on"],
                ),
            )
            if updated is not None:
                messages.success(request, "The referral has been updated.")
                return redirect("cases:referral", pk=pk)
    audit.record(
        action="referral.viewed", actor=actor, target=referral, person_id=referral.person_id
    )
    return render(
        request,
        "cases/referral.html",
        {"referral": referral, "form": form if may_update else None, "statuses": ReferralStatus},
        status=400 if form.is_bound else 200,
    )


def _case_or_404(actor: Actor, pk: int) -> Case:
    case = selectors.case_for_actor(actor, pk)
    if case is None:
        raise Http404("No such case")
    return case


def _case_post(
    request: HttpRequest,
    pk: int,
    make_form: Callable[[Case], GovukForm],
    call: Callable[[Actor, Case, dict[str, Any]], Any],
    done: str,
    title: str,
) -> HttpResponse:
    """The shape of every form posted from the case page: on success back to it, on
    error a page with the form and a GOV.UK error summary."""
    actor = get_actor(request)
    case = _case_or_404(actor, pk)
    form = make_form(case)
    if form.is_valid() and attempt(form, lambda: call(actor, case, form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect("cases:person-case", pk=case.person_id)
    return render(request, "cases/form_page.html", form_page(case.person, form, title), status=400)


def _choices(case: Case) -> list[tuple[int, str]]:
    return selectors.area_memberships(person_area_id=case.person.area_id)


@requires(Capability.MANAGE_CASES)
@require_POST
def set_lead(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        lambda case: LeadForm(request.POST, choices=_choices(case)),
        lambda actor, case, data: services.set_lead_professional(
            actor=actor,
            case_id=case.pk,
            expected_version=data["version"],
            lead_professional=_membership(data["lead_professional"]),  # type: ignore[arg-type]
        ),
        "The lead professional has been changed.",
        "Change the lead professional",
    )


@requires(Capability.MANAGE_CASES)
@require_POST
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        lambda case: ActionForm(request.POST, choices=_choices(case)),
        lambda actor, case, data: services.add_action(
            actor=actor,
            case_id=case.pk,
            data=services.NewAction(
                title=data["title"], owner=_membership(data["owner"]), due_on=data["due_on"]
            ),
        ),
        "The action has been added to the plan.",
        "Add an action to the plan",
    )


@requires(Capability.RECORD_OBSERVATIONS)
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        lambda case: NoteForm(request.POST, notes=[(n.pk, str(n.pk)) for n in case.notes.all()]),
        lambda actor, case, data: services.add_note(
            actor=actor, case_id=case.pk, body=data["body"], corrects_id=data["corrects"]
        ),
        "The note has been added.",
        "Add a case note",
    )


@requires(Capability.MANAGE_CASES)
@require_POST
def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        lambda case: ReviewForm(request.POST),
        lambda actor, case, data: services.record_review(
            actor=actor,
            case_id=case.pk,
            expected_version=data["version"],
            held_on=data["held_on"],
            summary=data["summary"],
        ),
        "The review has been recorded.",
        "Record a review",
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = _case_or_404(actor, pk)
    if not policy.may_manage_case(actor, case.person):
        return forbidden(request, actor, "close_case")
    open_actions = [a for a in case.actions.select_related("owner__user") if a.is_open]
    form = CloseCaseForm(
        request.POST if request.method == "POST" else None, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        closed = attempt(
            form,
            lambda: services.close_case(
                actor=actor,
                case_id=pk,
                expected_version=data["version"],
                outcome=data["outcome"],
                reason=data["reason"],
                open_actions=data["open_actions"],
            ),
        )
        if closed is not None:
            messages.success(request, "The case has been closed.")
            return redirect("cases:person-case", pk=case.person_id)
    audit.record(action="case.viewed", actor=actor, target=case, person_id=case.person_id)
    return render(
        request,
        "cases/close.html",
        {"case": case, "person": case.person, "form": form, "open_actions": open_actions},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    action = selectors.action_for_actor(actor, pk)
    if action is None:
        raise Http404("No such action")
    may_update = policy.may_update_action(actor, action) and action.case.is_open
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"status": action.status, "outcome": action.outcome, "version": action.version},
    )
    if request.method == "POST":
        if not may_update:
            return forbidden(request, actor, "update_action")
        if form.is_valid():
            data = form.cleaned_data
            updated = attempt(
                form,
                lambda: services.update_action(
                    actor=actor,
                    action_id=pk,
                    expected_version=data["version"],
                    status=data["status"],
                    outcome=data["outcome"],
                ),
            )
            if updated is not None:
                messages.success(request, "The action has been updated.")
                return redirect("cases:person-case", pk=action.case.person_id)
    audit.record(
        action="case.action_viewed", actor=actor, target=action, person_id=action.case.person_id
    )
    return render(
        request,
        "cases/action.html",
        {"action": action, "form": form if may_update else None},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.MANAGE_CASES)
@require_GET
def time_to_help(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 365 else None
    report = help_selectors.time_to_help(actor=actor, days=days)
    audit.record(
        action="cases.time_to_help_viewed",
        actor=actor,
        details={
            "children": len(report.clocks),
            "result_person_ids": [w.person.pk for w in report.without_action],
        },
    )
    return render(
        request,
        "cases/time_to_help.html",
        {"report": report, "days_error": bool(raw) and days is None},
    )
