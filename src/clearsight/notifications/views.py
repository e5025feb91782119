"""The notification centre: a signed-in user's own notifications, whatever their role."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clearsight.access.decorators import get_actor
from clearsight.audit import services as audit
from clearsight.core.errors import NotFoundError
from clearsight.notifications import selectors, services


def notification_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    raw_page = request.GET.get("page", "1")
    page = selectors.own_notifications(actor=actor, page=int(raw_page) if raw_page.isdigit() else 1)
    audit.record(
        action="notifications.viewed",
        actor=actor,
        details={
            "page": page.number,
            "result_person_ids": sorted({n.person_id for n in page if n.person_id}),
        },
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.mark_read(actor=get_actor(request), notification_id=pk)
    except NotFoundError as error:
        raise Http404(error.message) from error
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if services.mark_all_read(actor=get_actor(request)):
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications:list")
