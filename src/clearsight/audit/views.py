from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import selectors, services


@requires(Capability.VIEW_AUDIT_LOG)
def event_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    raw_page = request.GET.get("page", "1")
    page = selectors.area_events(actor=actor, page=int(raw_page) if raw_page.isdigit() else 1)
    services.record(action="audit.viewed", actor=actor, details={"page": page.number})
    return render(request, "audit/event_list.html", {"page": page})
