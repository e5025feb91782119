"""Public pages, the staff home page, health checks and error pages."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from clearsight.access.decorators import get_actor
from clearsight.access.navigation import items_for
from clearsight.audit.selectors import emergency_accesses
from clearsight.core.decorators import mfa_not_required, user_not_read


@login_not_required
@mfa_not_required
def start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and user.is_verified():
        return redirect("core:home")
    return render(request, "core/start.html")


def home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    tasks = [item for item in items_for(actor) if item.url_name not in {"core:home"}]
    to_review = emergency_accesses(actor=actor, unreviewed_only=True).count()
    return render(request, "core/home.html", {"tasks": tasks, "emergency_to_review": to_review})


@login_not_required
@mfa_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_not_required
@mfa_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@mfa_not_required
@user_not_read
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@login_not_required
@mfa_not_required
@user_not_read
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers and every migration is applied."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    except DatabaseError:
        checks["database"] = "unreachable"
    ready = all(value == "ok" for value in checks.values()) and "migrations" in checks
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "access/forbidden.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@csp_update({"style-src": ["'unsafe-inline'"]})
def api_docs(request: HttpRequest) -> HttpResponse:
    """The OpenAPI docs (Swagger UI from npm, no CDN). Swagger UI sets inline styles,
    so this one staff page allows them; scripts stay 'self' only."""
    return render(request, "core/api_docs.html")
