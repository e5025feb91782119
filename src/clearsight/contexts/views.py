"""Places and peer groups pages, and the hotspot map. Thin: parse, call, audit, render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import may_record_contexts, visible_locations, visible_peer_groups
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.contexts import forms, selectors, services
from clearsight.core.api import problem_response
from clearsight.core.errors import DomainError, InvalidInput, PermissionDeniedError


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def locations(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = forms.LocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.create_location(actor=actor, **form.cleaned_data)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except PermissionDeniedError:
            return render(request, "access/forbidden.html", status=403)
        else:
            messages.success(request, f"{place.name} has been added.")
            return redirect("contexts:location", pk=place.pk)
    places = list(visible_locations(actor)[:500])
    groups = list(visible_peer_groups(actor)[:500])
    audit.record(
        action="context.list.viewed", actor=actor, details={"location_ids": [p.pk for p in places]}
    )
    return render(
        request,
        "contexts/list.html",
        {
            "form": form,
            "places": places,
            "groups": groups,
            "group_form": forms.PeerGroupForm(),
            "can_record": may_record_contexts(actor),
        },
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["POST"])
def peer_group_new(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = forms.PeerGroupForm(request.POST)
    if form.is_valid():
        try:
            group = services.create_peer_group(actor=actor, **form.cleaned_data)
        except PermissionDeniedError:
            return render(request, "access/forbidden.html", status=403)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            return redirect("contexts:peer-group", pk=group.pk)
    return render(request, "contexts/peer_group_new.html", {"form": form}, status=400)


_ACTIONS: dict[str, type[forms.GovukForm]] = {
    "note": forms.NoteForm,
    "assessment": forms.AssessmentForm,
    "child": forms.PersonLinkForm,
}


def _act(actor: Any, subject: Any, action: str, data: dict[str, Any]) -> None:
    if action == "note":
        services.add_note(actor=actor, subject=subject, **data)
    elif action == "assessment":
        services.assess(actor=actor, subject=subject, **data)
    else:
        services.link_child(actor=actor, subject=subject, person_id=data.pop("person"), **data)


def _agenda_form(actor: Any, data: Any = None) -> forms.AgendaForm | None:
    meetings = selectors.meetings_to_put_on(actor=actor)
    if not meetings:
        return None
    choices = [
        (m.pk, f"{m.title}, {timezone.localtime(m.starts_at):%-d %B %Y %H:%M}") for m in meetings
    ]
    return forms.AgendaForm(data, prefix="agenda", meetings=choices)


def _put_on_agenda(request: HttpRequest, subject: Any) -> HttpResponse | forms.AgendaForm:
    actor = get_actor(request)
    form = _agenda_form(actor, request.POST)
    if form is None:
        return render(request, "access/forbidden.html", status=403)
    if form.is_valid():
        try:
            services.put_on_agenda(
                actor=actor, subject=subject, meeting_id=form.cleaned_data["meeting"]
            )
        except PermissionDeniedError:
            return render(request, "access/forbidden.html", status=403)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except DomainError as error:
            form.add_error("meeting", error.message)
        else:
            messages.success(request, f"{subject.name} is on the meeting's agenda.")
            return redirect(request.path)
    return form


def _subject_page(request: HttpRequest, subject: Any, template_kind: str) -> HttpResponse:
    actor = get_actor(request)
    bound: dict[str, forms.GovukForm] = {}
    agenda_form = None
    if request.method == "POST" and request.POST.get("action") == "agenda":
        outcome = _put_on_agenda(request, subject)
        if isinstance(outcome, HttpResponse):
            return outcome
        agenda_form = bound["agenda"] = outcome
    elif request.method == "POST":
        action = request.POST.get("action", "")
        form_class = _ACTIONS.get(action)
        if form_class is None:
            raise Http404("No such action")
        form = form_class(request.POST, prefix=action)
        if template_kind == "peer_group" and action == "child":
            form.fields.pop("link_type")
        if form.is_valid():
            try:
                _act(actor, subject, action, dict(form.cleaned_data))
            except PermissionDeniedError:
                return render(request, "access/forbidden.html", status=403)
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            else:
                messages.success(request, "Recorded.")
                return redirect(request.path)
        bound[action] = form
    forms_shown = {name: bound.get(name) or cls(prefix=name) for name, cls in _ACTIONS.items()}
    if template_kind == "peer_group":
        forms_shown["child"].fields.pop("link_type", None)
    children = selectors.children_at(actor=actor, subject=subject)
    audit.record(
        action=f"context.{template_kind}.viewed",
        actor=actor,
        target=subject,
        details={"person_ids": [c.person_id for c in children]},
    )
    return render(
        request,
        "contexts/subject.html",
        {
            "subject": subject,
            "is_place": template_kind == "location",
            "children": children,
            "notes": subject.notes.select_related("agency")[:100],
            "assessments": subject.assessments.all()[:20],
            "forms": forms_shown,
            "can_record": may_record_contexts(actor),
            "error_form": next(iter(bound.values()), None),
            "agenda_entries": selectors.agenda_entries(actor=actor, subject=subject),
            "agenda_form": agenda_form or _agenda_form(actor),
        },
        status=400 if bound else 200,
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def location(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.location(actor=get_actor(request), pk=pk)
    if place is None:
        raise Http404("No such place")
    return _subject_page(request, place, "location")


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def peer_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.peer_group(actor=get_actor(request), pk=pk)
    if group is None:
        raise Http404("No such peer group")
    return _subject_page(request, group, "peer_group")


MAP_PERIOD = timedelta(days=90)


def _period(request: HttpRequest) -> tuple[forms.MapPeriodForm, date, date]:
    """The map's period as typed (the boxes, or since= and until= from a link), with the
    form to show it in. Left empty, or not valid, it is the last 90 days; the form then
    carries the errors to show."""
    form = forms.MapPeriodForm(request.GET)
    given = form.is_valid()
    until = (given and form.cleaned_data["until"]) or timezone.localdate()
    since = (given and form.cleaned_data["since"]) or until - MAP_PERIOD
    since, until = (since, until) if since <= until else (until, since)
    if given and not any(name.startswith(("since", "until")) for name in request.GET):
        form = forms.MapPeriodForm(initial={"since": since, "until": until})
    return form, since, until


@requires(Capability.VIEW_CHILDREN)
def hotspot_map(request: HttpRequest) -> HttpResponse:
    form, since, until = _period(request)
    actor = get_actor(request)
    points = selectors.hotspots(actor=actor, since=since, until=until)
    audit.record(
        action="context.map.viewed",
        actor=actor,
        details={"location_ids": [p["id"] for p in points]},
    )
    return render(
        request,
        "contexts/map.html",
        {
            "form": form,
            "since": since,
            "until": until,
            "points": points,
            "tile_url": settings.CLEARSIGHT_MAP_TILE_URL,
            "tile_attribution": settings.CLEARSIGHT_MAP_TILE_ATTRIBUTION,
        },
        status=400 if form.errors else 200,
    )


@requires(Capability.VIEW_CHILDREN)
def hotspot_data(request: HttpRequest) -> HttpResponse:
    form, since, until = _period(request)
    if form.errors:
        return problem_response(400, "The period is not valid", form.first_errors())
    actor = get_actor(request)
    points = selectors.hotspots(actor=actor, since=since, until=until)
    audit.record(
        action="context.map.viewed",
        actor=actor,
        details={"location_ids": [p["id"] for p in points]},
    )
    return JsonResponse({"since": since.isoformat(), "until": until.isoformat(), "points": points})
