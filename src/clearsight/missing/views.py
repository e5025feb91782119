"""The live board of missing children, reporting a child missing, and recording a return."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing import selectors, services
from clearsight.missing.forms import RecordReturnForm, ReportMissingForm
from clearsight.missing.models import ReturnHomeInterview
from clearsight.people import selectors as people_selectors


@requires(Capability.VIEW_CHILDREN)
def board(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    episodes = list(selectors.open_episodes(actor=actor))
    audit.record(
        action="missing.board_viewed",
        actor=actor,
        details={"result_person_ids": [e.person_id for e in episodes]},
    )
    context = {
        "episodes": episodes,
        "now": timezone.now(),
        "can_report": actor.can(Capability.RECORD_MISSING_EPISODES),
    }
    template = (
        "missing/_board_rows.html" if request.headers.get("HX-Request") else "missing/board.html"
    )
    return render(request, template, context)


@requires(Capability.RECORD_MISSING_EPISODES)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = people_selectors.person_for_actor(actor=actor, pk=person_pk)
    if person is None:
        raise Http404("No such child")
    form = ReportMissingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["last_seen_at"]:
        data = form.cleaned_data
        try:
            episode = services.report_missing(
                actor=actor,
                person_id=person.pk,
                data=services.NewEpisode(
                    started_at=data["last_seen_at"],
                    kind=data["kind"],
                    last_seen_place=data["last_seen_place"],
                    last_seen_with=data["last_seen_with"],
                    clothing=data["clothing"],
                    police_reference=data["police_reference"],
                    risk_grading=data["risk_grading"],
                ),
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            messages.success(request, f"{person.display_name} has been reported missing.")
            return redirect("missing:episode", pk=episode.pk)
    status = 400 if form.is_bound else 200
    return render(request, "missing/report.html", {"form": form, "person": person}, status=status)


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def episode(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    found = selectors.episode_for_actor(actor=actor, pk=pk)
    if found is None:
        raise Http404("No such missing episode")
    can_record = actor.can(Capability.RECORD_MISSING_EPISODES)
    form = RecordReturnForm(
        request.POST if request.method == "POST" else None, initial={"version": found.version}
    )
    if request.method == "POST":
        if not can_record:
            return render(request, "access/forbidden.html", status=403)
        if form.is_valid() and form.cleaned_data["returned_at"]:
            data = form.cleaned_data
            try:
                services.record_return(
                    actor=actor,
                    episode_id=found.pk,
                    expected_version=data["version"],
                    data=services.Return(
                        returned_at=data["returned_at"],
                        found_place=data["found_place"],
                        found_with=data["found_with"],
                        found_out_of_area=data["found_out_of_area"],
                        found_area_name=data["found_area_name"],
                        how_returned=data["how_returned"],
                        harm_noticed=data["harm_noticed"],
                    ),
                )
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            except StaleVersionError as error:
                form.add_error(None, error.message)
            except (NotFoundError, PermissionDeniedError) as error:
                raise Http404(error.message) from error
            else:
                messages.success(
                    request,
                    "The return has been recorded. A return home interview is due within 72 hours.",
                )
                return redirect("missing:episode", pk=pk)
    audit.record(action="missing.viewed", actor=actor, target=found, person_id=found.person_id)
    context = {
        "episode": found,
        "form": form,
        "can_record": can_record,
        "now": timezone.now(),
        "workers": selectors.rhi_workers(actor=actor),
        "can_move_rhi": can_record or actor.can(Capability.RECORD_RETURN_INTERVIEWS),
    }
    return render(request, "missing/episode.html", context, status=400 if form.is_bound else 200)


@requires(Capability.VIEW_CHILDREN)
def interviews(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    rows = list(selectors.open_interviews(actor=actor))
    audit.record(
        action="rhi.listed",
        actor=actor,
        details={"result_person_ids": [r.episode.person_id for r in rows]},
    )
    return render(request, "missing/interviews.html", {"interviews": rows, "now": timezone.now()})


@requires(Capability.VIEW_CHILDREN)
@require_POST
def move_interview(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    interview = ReturnHomeInterview.objects.filter(pk=pk).only("episode_id").first()
    if interview is None:
        raise Http404("No such interview")
    worker_id = request.POST.get("worker", "")
    worker = (
        Membership.objects.select_related("user").filter(pk=int(worker_id)).first()
        if worker_id.isdigit()
        else None
    )
    version = request.POST.get("version", "")
    try:
        services.move_interview(
            actor=actor,
            interview_id=pk,
            expected_version=int(version) if version.isdigit() else -1,
            target=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            worker=worker,
        )
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
    except ValueError:
        messages.error(request, "Choose what happened to the interview")
    except StaleVersionError as error:
        messages.error(request, error.message)
    except (NotFoundError, PermissionDeniedError) as error:
        raise Http404(error.message) from error
    else:
        messages.success(request, "The return home interview has been updated.")
    return redirect("missing:episode", pk=interview.episode_id)
