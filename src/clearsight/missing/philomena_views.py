"""The Philomena Protocol form pages: read it, keep part 1 up to date, add a photo, and
download it as a PDF for police."""

from __future__ import annotations

from dataclasses import fields

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing import philomena
from clearsight.missing.philomena_forms import PhotoForm, ProfileForm


def _form_or_404(actor: Actor, person_pk: int) -> philomena.PhilomenaForm:
    found = philomena.form_for_actor(actor=actor, person_id=person_pk)
    if found is None:
        raise Http404("No such child")
    return found


def _audit_read(actor: Actor, found: philomena.PhilomenaForm, page: str) -> None:
    audit.record(
        action="philomena.viewed",
        actor=actor,
        target=found.profile if found.is_started else found.person,
        person_id=found.person.pk,
        details={"page": page},
    )


def _forbidden(request: HttpRequest, actor: Actor) -> HttpResponse:
    audit.record(
        action="access.denied",
        actor=actor,
        details={"capability": "edit_philomena_form", "path": request.path},
    )
    return render(request, "access/forbidden.html", status=403)


@requires(Capability.VIEW_CHILDREN)
@require_GET
def view(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    found = _form_or_404(actor, person_pk)
    _audit_read(actor, found, "view")
    return render(request, "missing/philomena.html", {"found": found, "now": timezone.now()})


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    if not philomena.may_edit(actor):
        return _forbidden(request, actor)
    found = _form_or_404(actor, person_pk)
    profile = found.profile
    initial = {f.name: getattr(profile, f.name) for f in fields(philomena.ProfileDetails)}
    initial["phone_numbers"] = "\n".join(profile.phone_numbers)
    initial["version"] = profile.version
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in initial if name != "version"}
        data["phone_numbers"] = form.phone_lines()
        try:
            philomena.save_profile(
                actor=actor,
                person_id=person_pk,
                expected_version=form.cleaned_data["version"],
                data=philomena.ProfileDetails(**data),
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            messages.success(request, "The Philomena Protocol form has been saved.")
            return redirect("missing:philomena", person_pk=person_pk)
    _audit_read(actor, found, "edit")
    return render(
        request,
        "missing/philomena_edit.html",
        {"found": found, "form": form},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def photo(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    if not philomena.may_edit(actor):
        return _forbidden(request, actor)
    found = _form_or_404(actor, person_pk)
    form = PhotoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            philomena.add_photo(
                actor=actor,
                person_id=person_pk,
                upload=form.cleaned_data["photo"],
                taken_on=form.cleaned_data["taken_on"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            messages.success(request, "The photo has been added to the Philomena Protocol form.")
            return redirect("missing:philomena", person_pk=person_pk)
    _audit_read(actor, found, "photo")
    return render(
        request,
        "missing/philomena_photo.html",
        {"found": found, "form": form},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
@require_GET
def photo_image(request: HttpRequest, person_pk: int, photo_pk: int) -> HttpResponse:
    """The photo itself, only to those who may see the child, never cached."""
    actor = get_actor(request)
    found = philomena.photo_for_actor(actor=actor, person_id=person_pk, photo_id=photo_pk)
    if found is None:
        raise Http404("No such photo")
    audit.record(action="philomena.photo_viewed", actor=actor, target=found, person_id=person_pk)
    response = HttpResponse(bytes(found.image), content_type=found.content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Capability.VIEW_CHILDREN)
@require_GET
def pdf(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    try:
        found, content = philomena.pdf_for_police(actor=actor, person_id=person_pk)
    except NotFoundError as error:
        raise Http404(error.message) from error
    # The child's name stays out of the file name, which lingers in download folders.
    name = f"philomena-protocol-{found.person.pk}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
