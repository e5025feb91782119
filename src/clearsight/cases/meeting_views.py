"""MACE meeting pages: the list, scheduling, the meeting (members, agenda, decisions,
actions), packs and minutes. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases import meeting_services, packs, selectors
from clearsight.cases.forms import (
    ActionForm,
    AgendaForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    RemoveItemForm,
)
from clearsight.cases.models import AgendaItem, MaceMeeting
from clearsight.cases.services import NewAction
from clearsight.cases.views import attempt, forbidden
from clearsight.core.errors import NotFoundError, PermissionDeniedError
from clearsight.core.forms import GovukForm


@requires(Capability.VIEW_CHILDREN)
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    referrals = selectors.referred_to_mace(actor) if actor.can(Capability.COORDINATE_MACE) else []
    audit.record(
        action="mace.listed",
        actor=actor,
        details={"result_person_ids": [r.person_id for r in referrals]},
    )
    return render(
        request,
        "cases/meeting_list.html",
        {
            "meetings": selectors.meetings_for(actor),
            "referrals": referrals,
            "may_schedule": actor.can(Capability.COORDINATE_MACE),
        },
    )


@requires(Capability.COORDINATE_MACE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = attempt(
            form,
            lambda: meeting_services.schedule_meeting(
                actor=actor,
                title=data["title"],
                starts_at=data["starts_at"],
                location=data["location"],
            ),
        )
        if meeting is not None:
            messages.success(request, "The meeting is scheduled. Add its members and agenda.")
            return redirect("cases:meeting", pk=meeting.pk)
    return render(
        request, "cases/meeting_new.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _meeting_or_404(actor: Actor, pk: int) -> MaceMeeting:
    meeting = selectors.meeting_for_actor(actor, pk)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _member_choices(meeting: MaceMeeting) -> list[tuple[int, str]]:
    sitting = {m.membership_id for m in meeting.members.all()}
    return [
        choice
        for choice in selectors.area_memberships(person_area_id=meeting.area_id)
        if choice[0] not in sitting
    ]


def _meeting_page(
    request: HttpRequest,
    actor: Actor,
    meeting: MaceMeeting,
    status: int = 200,
    failed: tuple[str, GovukForm, int | None] | None = None,
) -> HttpResponse:
    """The meeting page. ``failed`` is the form that did not go through (its name, the
    bound form, and the agenda item it was for): it is shown with its errors, and the
    error summary at the top of the page links to them."""
    coordinating = policy.may_coordinate(actor, meeting)
    referrals = selectors.referred_to_mace(actor) if coordinating else []
    owners = selectors.area_memberships(person_area_id=meeting.area_id)
    forms: dict[str, Any] = {
        "member_form": MemberForm(
            initial={"version": meeting.version}, choices=_member_choices(meeting)
        ),
        "agenda_form": AgendaForm(
            initial={"version": meeting.version},
            referrals=[
                (r.pk, f"{r.person.display_name} (referred {r.referred_at:%-d %b %Y})")
                for r in referrals
            ],
        ),
    }
    rows = []
    for item in meeting.items.all():
        prefix = f"item{item.pk}"
        row = {
            "item": item,
            "decision_form": DecisionForm(prefix=prefix),
            "action_form": ActionForm(prefix=prefix, choices=owners) if item.person_id else None,
        }
        if failed is not None and failed[2] == item.pk:
            row[failed[0]] = failed[1]
        rows.append(row)
    if failed is not None and failed[2] is None:
        forms[failed[0]] = failed[1]
    context: dict[str, Any] = {
        "meeting": meeting,
        "rows": rows,
        "coordinating": coordinating,
        "is_member": policy.is_member(actor, meeting),
        "records_outcomes": policy.may_record_outcomes(actor, meeting),
        "remove_version": meeting.version,
        "error_form": failed[1] if failed else None,
        **forms,
    }
    audit.record(
        action="mace.viewed",
        actor=actor,
        target=meeting,
        details={"person_ids": [i.person_id for i in meeting.items.all() if i.person_id]},
    )
    return render(request, "cases/meeting.html", context, status=status)


@requires(Capability.VIEW_CHILDREN)
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _meeting_page(request, actor, _meeting_or_404(actor, pk))


def _membership(pk: int | None) -> Membership | None:
    return Membership.objects.select_related("agency").filter(pk=pk).first() if pk else None


def _after(
    request: HttpRequest,
    actor: Actor,
    pk: int,
    form: GovukForm,
    name: str,
    call: Any,
    done: str,
    item_pk: int | None = None,
) -> HttpResponse:
    if form.is_valid() and attempt(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect("cases:meeting", pk=pk)
    # Read again: after a clash the page shows the other coordinator's changes.
    meeting = _meeting_or_404(actor, pk)
    return _meeting_page(request, actor, meeting, status=400, failed=(name, form, item_pk))


@requires(Capability.COORDINATE_MACE)
@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = _meeting_or_404(actor, pk)
    form = MemberForm(request.POST, choices=_member_choices(meeting))
    return _after(
        request,
        actor,
        pk,
        form,
        "member_form",
        lambda data: meeting_services.add_member(
            actor=actor,
            meeting_id=pk,
            expected_version=data["version"],
            membership=_membership(data["membership"]),
        ),
        "They have been added to the meeting and told in Clearsight.",
    )


@requires(Capability.COORDINATE_MACE)
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = _meeting_or_404(actor, pk)
    referrals = selectors.referred_to_mace(actor)
    form = AgendaForm(request.POST, referrals=[(r.pk, r.person.display_name) for r in referrals])
    return _after(
        request,
        actor,
        meeting.pk,
        form,
        "agenda_form",
        lambda data: meeting_services.add_agenda_item(
            actor=actor,
            meeting_id=pk,
            expected_version=data["version"],
            kind=data["kind"],
            referral_id=data["referral"],
            subject=data["subject"],
        ),
        "The item has been added to the agenda.",
    )


@requires(Capability.COORDINATE_MACE)
@require_POST
def remove_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    _meeting_or_404(actor, pk)
    form = RemoveItemForm(request.POST)
    return _after(
        request,
        actor,
        pk,
        form,
        "remove_form",
        lambda data: (
            meeting_services.remove_agenda_item(
                actor=actor, meeting_id=pk, expected_version=data["version"], item_id=item_pk
            )
            or True
        ),
        "The item has been taken off the agenda.",
    )


def _item_or_404(meeting: MaceMeeting, item_pk: int) -> AgendaItem:
    item = selectors.item_of(meeting, item_pk)
    if item is None:
        raise Http404("No such agenda item")
    return item


@requires(Capability.COORDINATE_MACE)
@require_POST
def record_decision(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = _meeting_or_404(actor, pk)
    _item_or_404(meeting, item_pk)
    if not policy.may_record_outcomes(actor, meeting):
        return forbidden(request, actor, "record_mace_decision")
    form = DecisionForm(request.POST, prefix=f"item{item_pk}")
    return _after(
        request,
        actor,
        pk,
        form,
        "decision_form",
        lambda data: meeting_services.record_decision(
            actor=actor, meeting_id=pk, item_id=item_pk, text=data["text"]
        ),
        "The decision has been recorded.",
        item_pk,
    )


@requires(Capability.COORDINATE_MACE)
@require_POST
def record_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = _meeting_or_404(actor, pk)
    _item_or_404(meeting, item_pk)
    if not policy.may_record_outcomes(actor, meeting):
        return forbidden(request, actor, "record_mace_action")
    form = ActionForm(
        request.POST,
        prefix=f"item{item_pk}",
        choices=selectors.area_memberships(person_area_id=meeting.area_id),
    )
    return _after(
        request,
        actor,
        pk,
        form,
        "action_form",
        lambda data: meeting_services.record_action(
            actor=actor,
            meeting_id=pk,
            item_id=item_pk,
            data=NewAction(
                title=data["title"], owner=_membership(data["owner"]), due_on=data["due_on"]
            ),
        ),
        "The action has been added to the child's plan.",
        item_pk,
    )


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Capability.VIEW_CHILDREN)
@require_GET
def pack(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    try:
        item, content = packs.pack_pdf(actor=actor, meeting_id=pk, item_id=item_pk)
    except PermissionDeniedError:
        return render(request, "access/forbidden.html", status=403)
    except NotFoundError as error:
        raise Http404(error.message) from error
    # No name in the file name: it lingers in download folders.
    return _pdf_response(content, f"mace-pack-{pk}-{item.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


@requires(Capability.VIEW_CHILDREN)
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    try:
        meeting, content = packs.minutes_pdf(actor=actor, meeting_id=pk)
    except PermissionDeniedError:
        return render(request, "access/forbidden.html", status=403)
    except NotFoundError as error:
        raise Http404(error.message) from error
    return _pdf_response(content, f"mace-minutes-{meeting.pk}.pdf")
