"""Staff pages for risk: recording an observation from the child page, overriding a
level and approving a downward override, the triage officer's rising-risk list, the
area's indicator library versions and the professional guidance on each indicator.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.people.models import Person
from clearsight.risk import library_services, override_services, selectors, services
from clearsight.risk.forms import (
    DecisionForm,
    IndicatorForm,
    LibrarySettingsForm,
    ObservationForm,
    OverrideForm,
)
from clearsight.risk.models import Indicator, LibraryVersion


def _child(actor: Actor, pk: int, page: str) -> Person:
    try:
        person = selectors.visible_person(actor, pk)
    except NotFoundError as error:
        audit.record(action="person.denied", actor=actor, person_id=pk)
        raise Http404(error.message) from error
    audit.record(
        action="person.viewed",
        actor=actor,
        target=person,
        person_id=person.pk,
        details={"page": page},
    )
    return person


def _forbidden(request: HttpRequest, actor: Actor, message: str) -> HttpResponse:
    audit.record(action="access.denied", actor=actor, details={"path": request.path})
    return render(request, "access/forbidden.html", {"message": message}, status=403)


# --- Observations ----------------------------------------------------------------------


@requires(Capability.RECORD_OBSERVATIONS)
@require_http_methods(["GET", "POST"])
def record_observation(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick the signs, say when and how sure: under 30 seconds from the child page."""
    actor = get_actor(request)
    person = _child(actor, pk, "record observation")
    library = selectors.current_library(person.area_id)
    form = ObservationForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        today = timezone.localdate()
        form.data = {
            "seen_on_day": today.day,
            "seen_on_month": today.month,
            "seen_on_year": today.year,
        }
    elif form.is_valid():
        try:
            saved = services.record_observations(
                actor=actor,
                person_id=person.pk,
                codes=form.cleaned_data["codes"],
                seen_on=form.cleaned_data["seen_on"],
                confidence=form.cleaned_data["confidence"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            signs = "sign has" if len(saved) == 1 else "signs have"
            messages.success(
                request,
                f"{len(saved)} {signs} been added to the record. The child's risk is being "
                "screened again: the level on this page will update in a minute.",
            )
            return redirect(f"/people/{person.pk}/#risk")
    context = {
        "person": person,
        "form": form,
        "groups": selectors.indicators_by_category(library),
        "selected": form.data.getlist("codes") if hasattr(form.data, "getlist") else [],
        "selected_confidence": str(form.data.get("confidence", "")),
    }
    return render(
        request,
        "risk/record_observation.html",
        context,
        status=400 if form.is_bound else 200,
    )


# --- Overrides ------------------------------------------------------------------------


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def override(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    if not override_services.may_override(actor):
        return _forbidden(request, actor, "Your role cannot change a child's risk level.")
    person = _child(actor, pk, "override risk level")
    form = OverrideForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            screening = override_services.override_level(
                actor=actor,
                person_id=person.pk,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            chosen = screening.get_override_level_display()
            if screening.approval_status == "pending":
                messages.success(
                    request,
                    f"Your judgement that the risk is {chosen.lower()} has been sent to a "
                    "manager to approve. Until they do, the level stays at "
                    f"{screening.get_final_level_display().lower()}.",
                )
            else:
                messages.success(
                    request, f"The risk level is now {chosen.lower()}. Your reason is recorded."
                )
            return redirect(f"/people/{person.pk}/#risk")
    current = selectors.current_screening(actor, person)
    return render(
        request,
        "risk/override.html",
        {"person": person, "form": form, "screening": current},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
def approvals(request: HttpRequest) -> HttpResponse:
    """Downward overrides waiting for the acting manager."""
    actor = get_actor(request)
    if not override_services.is_manager(actor):
        return _forbidden(request, actor, "Only managers approve lower risk levels.")
    pending = list(override_services.pending_for(actor))
    audit.record(
        action="risk.approvals_viewed",
        actor=actor,
        details={"result_person_ids": [s.person_id for s in pending]},
    )
    return render(request, "risk/approvals.html", {"pending": pending})


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    if not override_services.is_manager(actor):
        return _forbidden(request, actor, "Only managers approve lower risk levels.")
    screening = override_services.pending_for(actor).filter(pk=pk).first()
    if screening is None:
        raise Http404("No such request")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            override_services.decide_override(
                actor=actor, screening_id=pk, approve=approve, note=form.cleaned_data["note"]
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            level = screening.get_override_level_display().lower()
            messages.success(
                request,
                f"You approved the lower level ({level})."
                if approve
                else "You did not approve the lower level. The professional has been told.",
            )
            return redirect("risk:approvals")
    audit.record(
        action="person.viewed",
        actor=actor,
        target=screening.person,
        person_id=screening.person_id,
        details={"page": "override approval"},
    )
    return render(
        request,
        "risk/decide.html",
        {"screening": screening, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Rising risk ------------------------------------------------------------------------


RISING_PAGE_SIZE = 50


@requires(Capability.TRIAGE_CONCERNS)
def rising(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(selectors.rising_risk(actor), RISING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    screenings = list(page.object_list)
    audit.record(
        action="risk.rising_viewed",
        actor=actor,
        details={"result_person_ids": [s.person_id for s in screenings]},
    )
    return render(request, "risk/rising.html", {"screenings": screenings, "page": page})


# --- Indicator library ------------------------------------------------------------------


def indicators(request: HttpRequest) -> HttpResponse:
    """The professional guidance: each sign with what it can look like and what to do.
    The library is not personal data: every staff role may read it."""
    actor = get_actor(request)
    library = selectors.current_library(actor.area_id)
    return render(
        request,
        "risk/indicators.html",
        {"library": library, "groups": selectors.indicators_by_category(library)},
    )


def _library_page(request: HttpRequest) -> tuple[Actor, HttpResponse | None]:
    actor = get_actor(request)
    if not library_services.may_manage_library(actor):
        message = "Only the MACE coordinator or a manager can change the indicator library."
        return actor, _forbidden(request, actor, message)
    return actor, None


def _version(actor: Actor, pk: int) -> LibraryVersion:
    version = selectors.library_versions(actor=actor).filter(pk=pk).first()
    if version is None:
        raise Http404("No such library version")
    return version


def library_list(request: HttpRequest) -> HttpResponse:
    actor, refused = _library_page(request)
    if refused:
        return refused
    context = {
        "versions": selectors.library_versions(actor=actor).select_related("based_on"),
        "current": selectors.current_library(actor.area_id),
    }
    return render(request, "risk/library_list.html", context)


@require_POST
def library_new_draft(request: HttpRequest) -> HttpResponse:
    actor, refused = _library_page(request)
    if refused:
        return refused
    try:
        draft = library_services.draft_library_version(actor=actor)
    except DomainError as error:
        messages.warning(request, error.message)
        return redirect("risk:library")
    messages.success(request, f"Draft version {draft.number} has been created. Change it below.")
    return redirect("risk:library-version", pk=draft.pk)


def _plain(value: object) -> str:
    """12.00 as "12" and 10.50 as "10.5", as a manager would type them."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _settings_form(version: LibraryVersion, data: object = None) -> LibrarySettingsForm:
    initial = {
        name: _plain(getattr(version, name))
        for name in (
            "low_threshold",
            "medium_threshold",
            "high_threshold",
            "half_life_days",
            "lookback_days",
        )
    }
    return LibrarySettingsForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def library_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's settings and indicators; a draft's settings can be changed here."""
    actor, refused = _library_page(request)
    if refused:
        return refused
    version = _version(actor, pk)
    form = _settings_form(version, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            library_services.update_library_settings(
                actor=actor, version_id=version.pk, **form.cleaned_data
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The thresholds and recency rules have been saved.")
            return redirect("risk:library-version", pk=version.pk)
    context = {
        "version": version,
        "form": form,
        "groups": selectors.indicators_by_category(version),
    }
    return render(
        request, "risk/library_version.html", context, status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
def library_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    actor, refused = _library_page(request)
    if refused:
        return refused
    indicator = (
        Indicator.objects.select_related("version")
        .filter(pk=pk, version__in=selectors.library_versions(actor=actor))
        .first()
    )
    if indicator is None:
        raise Http404("No such indicator")
    initial = {
        "title": indicator.title,
        "weight": indicator.weight,
        "looks_like": indicator.looks_like,
        "what_to_do": indicator.what_to_do,
    }
    form = IndicatorForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            library_services.update_library_indicator(
                actor=actor, indicator_id=indicator.pk, **form.cleaned_data
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"“{form.cleaned_data['title'].strip()}” has been saved.")
            return redirect("risk:library-version", pk=indicator.version_id)
    return render(
        request,
        "risk/library_indicator.html",
        {"indicator": indicator, "version": indicator.version, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def library_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor, refused = _library_page(request)
    if refused:
        return refused
    version = _version(actor, pk)
    try:
        library_services.publish_library_version(actor=actor, version_id=version.pk)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.success(
            request,
            f"Version {version.number} is published. Your area's children are being screened "
            "again with it. It can no longer be changed.",
        )
    return redirect("risk:library-version", pk=version.pk)
