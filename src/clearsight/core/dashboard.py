"""The area dashboard: one page of headline figures for the roles that run the area's
work, each linking to its module's detailed page. Aggregates only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clearsight.access.decorators import get_actor
from clearsight.access.navigation import AREA_DASHBOARD_CAPABILITIES
from clearsight.audit import services as audit
from clearsight.core.dashboard_selectors import area_dashboard


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if not any(actor.can(capability) for capability in AREA_DASHBOARD_CAPABILITIES):
        audit.record(
            action="access.denied",
            actor=actor,
            details={
                "capability": [c.value for c in AREA_DASHBOARD_CAPABILITIES],
                "path": request.path,
            },
        )
        return render(request, "access/forbidden.html", status=403)
    figures = area_dashboard(actor=actor)
    # Counts only, but a view of the area's picture all the same: recorded like the
    # time-to-help page.
    audit.record(
        action="core.dashboard_viewed", actor=actor, details={"sections": figures.sections}
    )
    return render(request, "core/dashboard.html", {"figures": figures})
