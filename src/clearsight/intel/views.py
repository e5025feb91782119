"""Intelligence register, links, review queue and network explorer pages. Thin: parse,
call one selector or service, audit the read, render. Police and analysts only."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import may_import_phone_data, may_review_links
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.api import problem_response
from clearsight.core.errors import InvalidInput
from clearsight.core.spreadsheets import safe_row
from clearsight.intel import explorer, forms, nodes, phone_imports, proposals, selectors, services
from clearsight.intel.models import (
    IntelligenceAssessment,
    LinkType,
    NodeKind,
    PhoneNumber,
    SourceEvaluation,
)
from clearsight.intel.network import LinkFilter
from clearsight.intel.tasks import run_phone_import

ENTITY_FORMS: dict[str, type[forms.GovukForm]] = {
    NodeKind.PHONE: forms.PhoneForm,
    NodeKind.ADDRESS: forms.AddressForm,
    NodeKind.VEHICLE: forms.VehicleForm,
    NodeKind.GROUP: forms.GroupForm,
}


@requires(Capability.VIEW_INTELLIGENCE)
def register(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = forms.SearchForm(request.GET or None)
    text = form.cleaned_data["text"] if form.is_bound and form.is_valid() else ""
    found = selectors.register(actor=actor, text=text)
    audit.record(
        action="intel.register.viewed", actor=actor, details={"search": bool(text), **found.ids}
    )
    return render(
        request,
        "intel/register.html",
        {"form": form, "register": found, "can_review": may_review_links(actor), "text": text},
    )


def _create(actor: Any, kind: str, data: dict[str, Any]) -> Any:
    if kind == NodeKind.PHONE:
        return services.create_phone(actor=actor, **data)
    if kind == NodeKind.ADDRESS:
        resident = data.pop("vulnerable_resident")
        return services.create_address(actor=actor, vulnerable_resident_id=resident, **data)
    if kind == NodeKind.VEHICLE:
        return services.create_vehicle(actor=actor, **data)
    return services.create_group(actor=actor, **data)


@requires(Capability.VIEW_INTELLIGENCE)
@require_http_methods(["GET", "POST"])
def entity_new(request: HttpRequest, kind: str) -> HttpResponse:
    actor = get_actor(request)
    form_class = ENTITY_FORMS.get(kind)
    if form_class is None:
        raise Http404("No such kind of record")
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v if v is not None else None for k, v in form.cleaned_data.items()}
        try:
            record = _create(actor, kind, data)
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            messages.success(request, f"{record} has been added to the register.")
            return redirect("intel:entity", kind=kind, pk=record.pk)
    return render(
        request, "intel/entity_new.html", {"form": form, "kind_label": NodeKind(kind).label}
    )


@requires(Capability.VIEW_INTELLIGENCE)
def entity(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = get_actor(request)
    record = selectors.entity(actor=actor, kind=kind, pk=pk)
    if record is None:
        raise Http404("No such record")
    links = selectors.links_of(actor=actor, node=(kind, pk))
    audit.record(
        action="intel.entity.viewed",
        actor=actor,
        target=record,
        details={"link_ids": [view.link.pk for view in links]},
    )
    link_form = forms.LinkForm(initial={"from_node": f"{kind}:{pk}"})
    return render(
        request,
        "intel/entity.html",
        {
            "record": record,
            "kind": kind,
            "kind_label": NodeKind(kind).label,
            "links": links,
            "link_form": link_form,
            "node_key": f"{kind}:{pk}",
            "can_record_deal_line": kind == NodeKind.PHONE and may_review_links(actor),
        },
    )


@requires(Capability.VIEW_INTELLIGENCE)
@require_POST
def link_new(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.create_link(actor=actor, new=services.NewLink(**data))
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            messages.success(request, "The link has been recorded.")
            return redirect(_node_url(actor, data["from_node"]))
    return render(request, "intel/link_new.html", {"form": form}, status=400)


def _node_url(actor: Any, key: str) -> str:
    node = nodes.parse_node(key)
    info = nodes.describe(actor, [node]).get(node)
    return info.url if info else "/intel/"


@requires(Capability.VIEW_INTELLIGENCE)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    """The review queue: tick one or more proposed links and accept or reject them
    together with one reason."""
    actor = get_actor(request)
    if not may_review_links(actor):
        return render(request, "access/forbidden.html", status=403)
    form = forms.ReviewForm()
    if request.method == "POST" and request.POST.get("action") == "scan":
        made = proposals.propose_from_missing(actor=actor)
        messages.success(request, f"{len(made)} new links proposed for review.")
        return redirect("intel:review")
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                reviewed = services.review_links(
                    actor=actor,
                    link_ids=form.cleaned_data["links"],
                    accept=accept,
                    reason=form.cleaned_data["reason"],
                )
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            else:
                count = len(reviewed)
                messages.success(
                    request,
                    f"{count} link{'s' if count != 1 else ''} "
                    f"{'accepted' if accept else 'rejected'}.",
                )
                return redirect("intel:review")
    queue = selectors.review_queue(actor=actor)
    audit.record(
        action="intel.review.viewed", actor=actor, details={"link_ids": [q[0].pk for q in queue]}
    )
    ticked = set(request.POST.getlist("links")) if request.method == "POST" else set()
    return render(
        request,
        "intel/review.html",
        {"queue": queue, "form": form, "ticked": ticked},
        status=400 if form.errors else 200,
    )


@requires(Capability.VIEW_INTELLIGENCE)
@require_http_methods(["GET", "POST"])
def deal_line(request: HttpRequest, pk: int) -> HttpResponse:
    """An analyst records a number as a deal line, from its page or from a phone data
    import's list of numbers that behave like one (``?import=`` names the import)."""
    actor = get_actor(request)
    if not may_review_links(actor):
        return render(request, "access/forbidden.html", status=403)
    phone = selectors.entity(actor=actor, kind=NodeKind.PHONE, pk=pk)
    if not isinstance(phone, PhoneNumber):
        raise Http404("No such number")
    import_id = request.GET.get("import", "")
    phone_import = (
        selectors.phone_imports(actor=actor).filter(pk=int(import_id)).first()
        if import_id.isdigit()
        else None
    )
    form = forms.DealLineForm(request.POST or None, initial={"line_name": phone.line_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_deal_line(
                actor=actor,
                phone_id=phone.pk,
                phone_import_id=phone_import.pk if phone_import else None,
                **form.cleaned_data,
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            messages.success(request, f"{phone.number} is now recorded as a deal line.")
            if phone_import is not None:
                return redirect("intel:phone-import", pk=phone_import.pk)
            return redirect("intel:entity", kind=NodeKind.PHONE, pk=phone.pk)
    audit.record(
        action="intel.entity.viewed",
        actor=actor,
        target=phone,
        details={"page": "record as a deal line"},
    )
    return render(
        request,
        "intel/deal_line.html",
        {"phone": phone, "form": form, "phone_import": phone_import},
        status=400 if form.errors else 200,
    )


# --- Network explorer -------------------------------------------------------------------


def _dates(params: Any) -> tuple[date | None, date | None]:
    """The period typed in the date boxes (since_day...), or given whole (since=)."""
    form = forms.NetworkDatesForm(params)
    if not form.is_valid():
        raise InvalidInput(form.first_errors())
    return form.cleaned_data["since"], form.cleaned_data["until"]


def _query(request: HttpRequest) -> explorer.Query:
    params = request.GET
    start = nodes.parse_node(params.get("node", ""))
    depth = params.get("depth", "2")
    if depth not in {"1", "2", "3"}:
        raise InvalidInput({"depth": "Choose 1, 2 or 3 links deep"})
    source_evaluation = params.get("source", "3")
    assessment = params.get("assessment", "E")
    if source_evaluation not in SourceEvaluation.values:
        raise InvalidInput({"source": "Source evaluation must be 1, 2 or 3"})
    if assessment not in IntelligenceAssessment.values:
        raise InvalidInput({"assessment": "Intelligence assessment must be A to E"})
    types = tuple(t for t in params.getlist("type") if t)
    if any(t not in LinkType.values for t in types):
        raise InvalidInput({"type": "Choose link types from the list"})
    since, until = _dates(params)
    return explorer.Query(
        start=start,
        depth=int(depth),
        link_filter=LinkFilter(
            link_types=types,
            since=since,
            until=until,
            worst_source_evaluation=source_evaluation,
            worst_assessment=assessment,
        ),
        path_to=nodes.parse_node(params["to"]) if params.get("to") else None,
        children_only=params.get("children") == "1",
    )


@requires(Capability.VIEW_INTELLIGENCE)
def network(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    start = request.GET.get("node", "")
    start_info = None
    if start:
        try:
            node = nodes.parse_node(start)
        except InvalidInput:
            node = None
        start_info = nodes.describe(actor, [node]).get(node) if node else None
    audit.record(action="intel.network.opened", actor=actor, details={"node": start})
    return render(
        request,
        "intel/network.html",
        {
            "start": start_info,
            "link_types": LinkType.choices,
            "source_evaluations": SourceEvaluation.choices,
            "assessments": IntelligenceAssessment.choices,
            "dates": forms.NetworkDatesForm(),
        },
    )


def _explore(request: HttpRequest) -> explorer.View | HttpResponse:
    actor = get_actor(request)
    try:
        query = _query(request)
        view = explorer.explore(actor=actor, query=query)
    except InvalidInput as error:
        return problem_response(400, "Some of the query is not valid", error.errors)
    if query.start not in view.info:
        return problem_response(404, "There is no such record you may see")
    audit.record(
        action="intel.network.queried",
        actor=actor,
        details={
            "node": request.GET.get("node", ""),
            "nodes": [info.key for info in view.info.values()][:1000],
            "capped": view.subgraph.capped,
        },
    )
    return view


@requires(Capability.VIEW_INTELLIGENCE)
def network_data(request: HttpRequest) -> HttpResponse:
    view = _explore(request)
    if isinstance(view, HttpResponse):
        return view
    return JsonResponse(explorer.as_json(view))


@requires(Capability.VIEW_INTELLIGENCE)
def network_csv(request: HttpRequest) -> HttpResponse:
    """The view as a CSV that i2 Analyst's Notebook imports: one row per link."""
    view = _explore(request)
    if isinstance(view, HttpResponse):
        return view
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="network-i2.csv"'
    writer = csv.writer(response)
    writer.writerow(explorer.I2_COLUMNS)
    for row in explorer.as_i2_rows(view):
        writer.writerow(safe_row(row))
    audit.record(
        action="intel.network.exported",
        actor=get_actor(request),
        details={"rows": len(view.edges())},
    )
    return response


# --- Phone data imports -----------------------------------------------------------------


@requires(Capability.VIEW_INTELLIGENCE)
@require_http_methods(["GET", "POST"])
def phone_data(request: HttpRequest) -> HttpResponse:
    """Analysts upload call and message records; police officers see the imports."""
    actor = get_actor(request)
    may_import = may_import_phone_data(actor)
    if request.method == "POST" and not may_import:
        return render(request, "access/forbidden.html", status=403)
    form = forms.PhoneDataForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = phone_imports.start_phone_import(
                actor=actor,
                file_name=upload.name,
                chunks=upload.chunks(),
                source=form.cleaned_data["source"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            transaction.on_commit(lambda: run_phone_import.defer(import_id=started.pk))
            return redirect("intel:phone-import", pk=started.pk)
    found = list(selectors.phone_imports(actor=actor)[:20])
    audit.record(
        action="intel.phone_imports.viewed", actor=actor, details={"ids": [i.pk for i in found]}
    )
    return render(
        request,
        "intel/phone_imports.html",
        {"form": form, "imports": found, "may_import": may_import},
        status=400 if form.errors else 200,
    )


@requires(Capability.VIEW_INTELLIGENCE)
def phone_data_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    phone_import = selectors.phone_imports(actor=actor).filter(pk=pk).first()
    if phone_import is None:
        raise Http404("No such import")
    lines = selectors.likely_deal_lines(actor=actor, phone_import=phone_import)
    if phone_import.is_finished and not request.headers.get("HX-Request"):
        audit.record(action="intel.phone_import.viewed", actor=actor, target=phone_import)
    template = (
        "intel/_phone_import_progress.html"
        if request.headers.get("HX-Request")
        else "intel/phone_import.html"
    )
    return render(
        request,
        template,
        {"phone_import": phone_import, "lines": lines, "can_review": may_review_links(actor)},
    )
