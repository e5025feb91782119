from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import area_staff
from clearsight.access.roles import Capability
from clearsight.audit import selectors, services
from clearsight.audit.forms import AuditFilterForm, ExportForm, ReviewForm
from clearsight.core.errors import InvalidInput, NotFoundError
from clearsight.core.spreadsheets import safe_row

EXPORT_LIMIT = 100_000


def _filter_form(request: HttpRequest, data: object) -> AuditFilterForm:
    actor = get_actor(request)
    users = [(user.pk, user.full_name) for user in area_staff(actor)]
    return AuditFilterForm(data or None, users=users, actions=selectors.known_actions(actor=actor))


@requires(Capability.VIEW_AUDIT_LOG)
def event_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    params = request.GET.copy()
    raw_page = params.pop("page", ["1"])[-1]
    form = _filter_form(request, params)
    criteria = form.criteria()
    page = selectors.area_events(
        actor=actor, criteria=criteria, page=int(raw_page) if raw_page.isdigit() else 1
    )
    services.record(
        action="audit.viewed", actor=actor, details={"page": page.number, **criteria.as_details()}
    )
    context = {"page": page, "form": form, "export_form": ExportForm(), "query": params.urlencode()}
    return render(request, "audit/event_list.html", context)


@requires(Capability.VIEW_AUDIT_LOG)
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """CSV of the filtered events. The export is itself audited, with its reason."""
    actor = get_actor(request)
    form = _filter_form(request, request.POST)
    export_form = ExportForm(request.POST)
    if not (form.is_valid() and export_form.is_valid()):
        page = selectors.area_events(actor=actor, criteria=form.criteria())
        context = {"page": page, "form": form, "export_form": export_form, "query": ""}
        return render(request, "audit/event_list.html", context, status=400)
    criteria = form.criteria()
    events = selectors.filtered_events(actor=actor, criteria=criteria)[:EXPORT_LIMIT]
    services.record(
        action="audit.exported",
        actor=actor,
        reason=export_form.cleaned_data["reason"],
        details=criteria.as_details(),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="clearsight-audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "occurred_at",
            "user",
            "acting_as",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "reason",
            "ip_address",
        ]
    )
    for event in events:
        writer.writerow(
            safe_row(
                [
                    timezone.localtime(event.occurred_at).isoformat(),
                    event.actor_user.full_name if event.actor_user else "",
                    str(event.actor_membership) if event.actor_membership else "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.person_id or "",
                    event.reason,
                    event.ip_address or "",
                ]
            )
        )
    return response


@requires(Capability.VIEW_AUDIT_LOG)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Every emergency (break-glass) opening of a record, for the DPO to review."""
    actor = get_actor(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    failed_id = None
    if request.method == "POST":
        grant_id = request.POST.get("grant", "")
        if form.is_valid() and grant_id.isdigit():
            try:
                services.review_emergency_access(
                    actor=actor, grant_id=int(grant_id), note=form.cleaned_data["note"]
                )
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            except NotFoundError as error:
                raise Http404(error.message) from error
            else:
                messages.success(request, "The review has been recorded.")
                return redirect("audit:emergency-access")
        failed_id = int(grant_id) if grant_id.isdigit() else None
    grants = selectors.emergency_accesses(actor=actor)[:200]
    services.record(action="break_glass.listed", actor=actor, details={"count": len(grants)})
    context = {"grants": grants, "form": form, "failed_id": failed_id}
    return render(request, "audit/emergency_access.html", context, status=400 if failed_id else 200)
