"""Finding, adding and viewing people. Thin: parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import can_edit_person, may_break_glass, why_visible
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases.selectors import case_summary
from clearsight.core.errors import InvalidInput, PermissionDeniedError, StaleVersionError
from clearsight.intel import selectors as intel_selectors
from clearsight.missing import selectors as missing_selectors
from clearsight.people import selectors, services, validation
from clearsight.people.forms import (
    AddressForm,
    AliasForm,
    BreakGlassForm,
    IdentifierForm,
    PersonDetailsForm,
    PersonForm,
    PhoneForm,
    SearchForm,
    TeamMemberForm,
)
from clearsight.people.models import Person
from clearsight.people.timeline_html import entries_html
from clearsight.people.timeline_selectors import person_timeline
from clearsight.risk.panel_selectors import observation_rows, risk_panel


@requires(Capability.VIEW_CHILDREN)
def search(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = SearchForm(request.GET if request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        criteria = selectors.SearchCriteria(
            text=form.cleaned_data["text"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            identifier=form.cleaned_data["identifier"],
            postcode=form.cleaned_data["postcode"],
        )
        if not criteria.is_empty:
            results = selectors.search_results(actor=actor, criteria=criteria)
            audit.record(
                action="person.searched",
                actor=actor,
                details={"result_person_ids": [found.pk for found in results]},
            )
    context = {
        "form": form,
        "results": results,
        "can_add": actor.can(Capability.RECORD_OBSERVATIONS),
    }
    return render(request, "people/search.html", context)


def _new_person(form: PersonForm) -> validation.NewPerson:
    data = form.cleaned_data
    return validation.NewPerson(
        given_names=data["given_names"],
        family_name=data["family_name"],
        preferred_name=data["preferred_name"],
        kind=data["kind"],
        date_of_birth=data["date_of_birth"],
        date_of_birth_is_approximate=data["date_of_birth_is_approximate"],
        sex=data["sex"],
        nhs_number=data["nhs_number"],
        upn=data["upn"],
        phone=data["phone"],
        address_line_1=data["address_line_1"],
        postcode=data["postcode"],
    )


@requires(Capability.RECORD_OBSERVATIONS)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Add a person, showing likely existing records first so nobody is entered twice."""
    actor = get_actor(request)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        new = _new_person(form)
        try:
            new = validation.validate_new_person(new)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            if request.POST.get("confirmed") != "yes":
                matches = selectors.likely_matches(
                    actor=actor,
                    given_names=new.given_names,
                    family_name=new.family_name,
                    date_of_birth=new.date_of_birth,
                    phone=new.normalised.get("phone", ""),
                    identifier_values=tuple(
                        v for k, v in new.normalised.items() if k in {"nhs_number", "upn"}
                    ),
                )
                if matches:
                    audit.record(
                        action="person.match_shown",
                        actor=actor,
                        details={"result_person_ids": [m.person.pk for m in matches]},
                    )
                    return render(
                        request,
                        "people/matches.html",
                        {"form": form, "matches": matches, "new": new},
                    )
            person = services.create_person(actor=actor, data=new)
            messages.success(
                request, f"{person.display_name} has been added. You are on the team around them."
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/create.html", {"form": form})


@requires(Capability.VIEW_CHILDREN)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = selectors.person_for_actor(actor=actor, pk=pk)
    if person is None:
        return _not_visible(request, pk)
    audit.record(action="person.viewed", actor=actor, target=person, person_id=person.pk)
    kind = request.GET.get("type", "")
    agency = request.GET.get("agency", "")
    team = selectors.team_history(actor=actor, person=person)
    missing = missing_selectors.missing_history(actor=actor, person=person)
    # Read once for the risk panel and the timeline.
    observations = observation_rows(actor=actor, person=person) if person.is_child else None
    timeline = person_timeline(
        actor=actor,
        person=person,
        kind=kind,
        agency_id=int(agency) if agency.isdigit() else None,
        team=team,
        missing=missing,
        observations=observations,
        page=request.GET.get("page", 1),
    )
    filters = urlencode({k: v for k, v in (("type", kind), ("agency", agency)) if v})
    context = {
        "person": person,
        "team_form": TeamMemberForm(choices=selectors.team_candidates(actor=actor, person=person))
        if can_edit_person(actor, person)
        else None,
        "age": person.age_on(timezone.localdate()),
        "can_report_missing": actor.can(Capability.RECORD_MISSING_EPISODES),
        "missing": missing.pattern,
        "risk": risk_panel(actor=actor, person=person, observations=observations),
        "basis": why_visible(actor, person),
        "team": selectors.team_around(actor=actor, person=person, history=team),
        **intel_selectors.child_page_panel(actor=actor, person=person),
        "case": case_summary(actor=actor, person=person) if person.is_child else None,
        "timeline": timeline,
        "timeline_html": entries_html(timeline.entries),
        "selected_type": kind,
        "selected_agency": agency,
        # The start of the links to the timeline's other pages, keeping the filters.
        "timeline_page_link": f"?{filters}&page=" if filters else "?page=",
    }
    return render(request, "people/detail.html", context)


def _not_visible(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = selectors.person_in_area(actor=actor, pk=pk)
    audit.record(action="person.denied", actor=actor, person_id=pk)
    if person is None or not may_break_glass(actor, person):
        raise Http404("No such person")
    return render(
        request, "people/break_glass.html", {"form": BreakGlassForm(), "pk": pk}, status=403
    )


@requires(Capability.VIEW_CHILDREN)
@require_POST
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = selectors.person_in_area(actor=actor, pk=pk)
    if person is None:
        raise Http404("No such person")
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            services.open_with_break_glass(
                actor=actor, person=person, reason=form.cleaned_data["reason"]
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except PermissionDeniedError as error:
            raise Http404(error.message) from error
        else:
            messages.warning(
                request,
                "You have opened this record in an emergency. This has been recorded with your "
                "reason and is listed for the data protection officer. Your access ends in 24 "
                "hours.",
            )
            return redirect("people:detail", pk=pk)
    return render(request, "people/break_glass.html", {"form": form, "pk": pk}, status=400)


@requires(Capability.RECORD_OBSERVATIONS)
@require_POST
def add_to_team(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = selectors.person_for_actor(actor=actor, pk=pk)
    if person is None:
        raise Http404("No such person")
    choices = selectors.team_candidates(actor=actor, person=person)
    form = TeamMemberForm(request.POST, choices=choices)
    if form.is_valid():
        membership = Membership.objects.filter(pk=form.cleaned_data["membership"]).first()
        try:
            if membership is None:
                raise InvalidInput({"membership": "Choose who should join the team"})
            services.add_team_member(
                actor=actor,
                person=person,
                membership=membership,
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except PermissionDeniedError as error:
            raise Http404(error.message) from error
        else:
            messages.success(
                request,
                f"{membership.user.full_name} is now on the team around {person.display_name}.",
            )
            return redirect("people:detail", pk=pk)
    return render(request, "people/add_to_team.html", {"person": person, "form": form}, status=400)


_DETAIL_FORMS = {
    "identifier": IdentifierForm,
    "address": AddressForm,
    "phone": PhoneForm,
    "alias": AliasForm,
}


def _details_form(person: Person, data: Any = None) -> PersonDetailsForm:
    initial = {
        "version": person.version,
        "given_names": person.given_names,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth_is_approximate": person.date_of_birth_is_approximate,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "legal_status": person.legal_status,
        "placing_authority": person.placing_authority,
        "placement_agency": person.placement_agency_id,
        "has_learning_disability": person.has_learning_disability,
        "school": person.school_id,
        "languages": ", ".join(person.languages),
    }
    form = PersonDetailsForm(
        data,
        initial=initial,
        schools=selectors.area_schools(person=person),
        placement_agencies=selectors.placement_agencies(),
    )
    if data is None and person.date_of_birth:
        born = person.date_of_birth
        form.data = {
            "date_of_birth_day": born.day,
            "date_of_birth_month": born.month,
            "date_of_birth_year": born.year,
        }
    return form


def _save_part(actor: Actor, person: Person, part: str, form: Any) -> None:
    data = form.cleaned_data
    if part == "details":
        changes = {name: data[name] for name in services.UPDATABLE if name in data}
        changes["date_of_birth"] = data["date_of_birth"]
        services.update_person(
            actor=actor, person_id=person.pk, expected_version=data["version"], changes=changes
        )
    elif part == "identifier":
        services.add_identifier(
            actor=actor,
            person=person,
            kind=data["kind"],
            value=data["value"],
            issuer=data["issuer"],
        )
    elif part == "address":
        services.add_address(
            actor=actor,
            person=person,
            line_1=data["line_1"],
            postcode=data["postcode"],
            from_on=data["from_on"],
            to_on=data["to_on"],
        )
    elif part == "phone":
        services.add_phone(actor=actor, person=person, number=data["number"], label=data["label"])
    else:
        services.add_alias(actor=actor, person=person, name=data["name"], kind=data["kind"])


@requires(Capability.RECORD_OBSERVATIONS)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person's details, and add identifiers, addresses, phones and other names.
    A change made by someone else since the page was opened is never overwritten."""
    actor = get_actor(request)
    person = selectors.person_for_actor(actor=actor, pk=pk)
    if person is None or not can_edit_person(actor, person):
        raise Http404("No such person")
    part = request.POST.get("part", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {"details": _details_form(person)} | {
        name: cls(prefix=name) for name, cls in _DETAIL_FORMS.items()
    }
    if part in forms:
        form = (
            _details_form(person, request.POST)
            if part == "details"
            else _DETAIL_FORMS[part](request.POST, prefix=part)
        )
        forms[part] = form
        if form.is_valid():
            try:
                _save_part(actor, person, part, form)
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            except StaleVersionError as error:
                form.add_error(None, f"{error.message} Your changes have not been saved.")
            else:
                messages.success(request, "The record has been updated.")
                return redirect("people:edit", pk=pk)
    audit.record(
        action="person.viewed",
        actor=actor,
        target=person,
        person_id=person.pk,
        details={"page": "edit"},
    )
    context = {"person": person, "forms": forms, "failed_form": forms.get(part)}
    return render(request, "people/edit.html", context, status=400 if part in forms else 200)
