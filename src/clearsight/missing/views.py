"""The live board of missing children, reporting a child missing, and recording a return."""

from __future__ import annotations

from typing import Any

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
from clearsight.missing import board_text, cross_area, selectors, services
from clearsight.missing.forms import (
    FindFromOtherAreaForm,
    FoundInMyAreaForm,
    InterviewForm,
    RecordReturnForm,
    ReportMissingForm,
)
from clearsight.missing.models import ReturnHomeInterview, RhiState
from clearsight.people import selectors as people_selectors


def _new_episode(data: dict[str, Any]) -> services.NewEpisode:
    """The episode a ReportMissingForm describes (reported here or from another area)."""
    return services.NewEpisode(
        started_at=data["last_seen_at"],
        kind=data["kind"],
        last_seen_place=data["last_seen_place"],
        last_seen_with=data["last_seen_with"],
        clothing=data["clothing"],
        police_reference=data["police_reference"],
        risk_grading=data["risk_grading"],
    )


@requires(Capability.VIEW_CHILDREN)
def board(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    episodes = selectors.board_rows(actor=actor, now=timezone.now())
    audit.record(
        action="missing.board_viewed",
        actor=actor,
        details={"result_person_ids": [e.person_id for e in episodes]},
    )
    context = {
        "episodes": episodes,
        "rows_html": board_text.rows_html(episodes),
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
                data=_new_episode(data),
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
        request.POST if request.method == "POST" else None,
        initial={"version": found.version},
        areas=selectors.other_areas(exclude_id=found.person.area_id),
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
                        found_area_id=data["found_area"],
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
    rhi = getattr(found, "return_interview", None)
    context = {
        "episode": found,
        "form": form,
        "can_record": can_record,
        "now": timezone.now(),
        "workers": selectors.rhi_workers(actor=actor, person=found.person),
        "can_move_rhi": can_record or actor.can(Capability.RECORD_RETURN_INTERVIEWS),
        "not_independent": rhi is not None and _not_independent(rhi),
        "disclosures": _disclosure_titles(rhi) if rhi is not None else [],
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
        moved = services.move_interview(
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
        if moved.state == RhiState.OFFERED and _not_independent(moved):
            messages.warning(
                request,
                "The worker you chose works for the agency that runs this child's placement. "
                "The interview should be held by someone independent of the child's carers.",
            )
    return redirect("missing:episode", pk=interview.episode_id)


def _disclosure_choices(area_id: int) -> tuple[list[tuple[str, str]], list[tuple[str, list]]]:
    from clearsight.risk import selectors as risk_selectors

    library = risk_selectors.current_library(area_id)
    groups = risk_selectors.indicators_by_category(library)
    choices = [(i.code, i.title) for _, indicators in groups for i in indicators]
    return choices, groups


@requires(Capability.RECORD_RETURN_INTERVIEWS)
@require_http_methods(["GET", "POST"])
def record_interview(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview form. Only the worker it was offered to records it, once accepted."""
    actor = get_actor(request)
    interview = selectors.interview_for_actor(actor=actor, pk=pk)
    if interview is None:
        raise Http404("No such interview")
    episode = interview.episode
    if interview.worker_id != actor.membership.pk:
        return render(
            request,
            "access/forbidden.html",
            {"message": "Only the worker the interview was offered to can record it."},
            status=403,
        )
    if interview.state != RhiState.ACCEPTED:
        messages.error(
            request,
            "You can record the interview once the child has accepted it. "
            f"It is now: {interview.get_state_display().lower()}.",
        )
        return redirect("missing:episode", pk=episode.pk)
    choices, groups = _disclosure_choices(episode.person.area_id)
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"version": interview.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_interview(
                actor=actor,
                interview_id=interview.pk,
                expected_version=data["version"],
                data=services.InterviewRecord(
                    held_on=data["held"],
                    where_child_was=data["where_child_was"],
                    who_with=data["who_with"],
                    what_happened=data["what_happened"],
                    push_factors=data["push_factors"],
                    pull_factors=data["pull_factors"],
                    harm=data["harm"],
                    childs_words=data["childs_words"],
                    disclosure_codes=data["disclosure_codes"],
                    disclosure_notes=data["disclosure_notes"],
                ),
            )
        except InvalidInput as error:
            form.add_invalid_input(
                {("held" if k == "held_on" else k): v for k, v in error.errors.items()}
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except (NotFoundError, PermissionDeniedError) as error:
            raise Http404(error.message) from error
        else:
            count = len(data["disclosure_codes"])
            messages.success(
                request,
                "The return home interview has been recorded"
                + (
                    f" and {count} disclosure{'s' if count != 1 else ''} added to the "
                    "child's record as observations."
                    if count
                    else "."
                ),
            )
            return redirect("missing:episode", pk=episode.pk)
    audit.record(
        action="rhi.form_viewed", actor=actor, target=interview, person_id=episode.person_id
    )
    selected = set(form["disclosure_codes"].value() or [])
    context = {
        "form": form,
        "interview": interview,
        "episode": episode,
        "person": episode.person,
        "groups": groups,
        "selected": selected,
        "not_independent": _not_independent(interview),
    }
    return render(
        request, "missing/record_interview.html", context, status=400 if form.is_bound else 200
    )


def _not_independent(interview: ReturnHomeInterview) -> bool:
    """The interview should be held by someone independent of the child's carers."""
    placement = interview.episode.person.placement_agency_id
    return bool(
        placement and interview.worker is not None and interview.worker.agency_id == placement
    )


def _disclosure_titles(interview: ReturnHomeInterview) -> list[str]:
    if not interview.disclosure_codes:
        return []
    from clearsight.risk import selectors as risk_selectors

    titles = risk_selectors.indicator_titles(
        interview.episode.person.area_id, interview.disclosure_codes
    )
    return [titles.get(code, code) for code in interview.disclosure_codes]


@requires(Capability.RECORD_MISSING_EPISODES)
def find_from_other_area(request: HttpRequest) -> HttpResponse:
    """A child from another area found here: find their open episode by name and exact
    date of birth, seeing only a summary."""
    actor = get_actor(request)
    form = FindFromOtherAreaForm(request.GET if "family_name" in request.GET else None)
    results = placed = None
    if form.is_bound and form.is_valid():
        wanted = {
            "given_names": form.cleaned_data["given_names"],
            "family_name": form.cleaned_data["family_name"],
            "date_of_birth": form.cleaned_data["date_of_birth"],
        }
        try:
            results = cross_area.find_missing_from_other_areas(actor=actor, **wanted)
            placed = cross_area.find_placed_children(actor=actor, **wanted)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "missing/find_other_area.html",
        {"form": form, "results": results, "placed": placed},
        status=status,
    )


@requires(Capability.RECORD_MISSING_EPISODES)
@require_http_methods(["GET", "POST"])
def report_from_placement(request: HttpRequest) -> HttpResponse:
    """Report a child of another area missing from their placement in this area."""
    actor = get_actor(request)
    ticket = request.POST.get("ticket") or request.GET.get("ticket", "")
    try:
        child = cross_area.placed_child_for_ticket(actor=actor, ticket=ticket)
    except NotFoundError as error:
        messages.error(request, error.message)
        return redirect("missing:find-other-area")
    form = ReportMissingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["last_seen_at"]:
        data = form.cleaned_data
        try:
            cross_area.report_missing_from_placement(
                actor=actor,
                ticket=ticket,
                data=_new_episode(data),
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except NotFoundError as error:
            messages.error(request, error.message)
            return redirect("missing:find-other-area")
        else:
            messages.success(
                request,
                f"{child.name} has been reported missing. {child.home_area} has been told.",
            )
            return redirect("missing:board")
    return render(
        request,
        "missing/report_from_placement.html",
        {"form": form, "child": child, "ticket": ticket},
        status=400 if form.is_bound else 200,
    )


@requires(Capability.RECORD_MISSING_EPISODES)
@require_http_methods(["GET", "POST"])
def found_in_my_area(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    ticket = request.POST.get("ticket") or request.GET.get("ticket", "")
    try:
        summary = cross_area.summary_for_ticket(actor=actor, ticket=ticket)
    except NotFoundError as error:
        messages.error(request, error.message)
        return redirect("missing:find-other-area")
    form = FoundInMyAreaForm(
        request.POST if request.method == "POST" else None, initial={"ticket": ticket}
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["found_at"]:
        data = form.cleaned_data
        try:
            cross_area.record_found_in_my_area(
                actor=actor,
                ticket=ticket,
                found_at=data["found_at"],
                found_place=data["found_place"],
                found_with=data["found_with"],
                how_returned=data["how_returned"],
                harm_noticed=data["harm_noticed"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        except NotFoundError as error:
            messages.error(request, error.message)
            return redirect("missing:find-other-area")
        else:
            messages.success(
                request,
                f"{summary.name} has been recorded as found. {summary.home_area} has been told "
                "and will arrange the return home interview.",
            )
            return redirect("missing:board")
    return render(
        request,
        "missing/found_in_my_area.html",
        {"form": form, "summary": summary},
        status=400 if form.is_bound else 200,
    )
