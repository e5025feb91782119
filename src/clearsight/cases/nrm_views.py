"""Pages for a child's National Referral Mechanism record: recording the referral and
its decisions, and the statutory defence flag for those who may be involved in criminal
proceedings. Thin: parse the form, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access import case_policy as policy
from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.cases import nrm_services, selectors
from clearsight.cases.forms import NrmForm
from clearsight.cases.views import attempt, child_or_refuse, forbidden, form_page


def _nrm_details(data: dict[str, Any]) -> nrm_services.NrmDetails:
    return nrm_services.NrmDetails(
        first_responder_organisation=data["first_responder_organisation"],
        submitted_on=data["submitted_on"],
        reasonable_grounds_on=data["reasonable_grounds_on"],
        reasonable_grounds_outcome=data["reasonable_grounds_outcome"],
        conclusive_grounds_on=data["conclusive_grounds_on"],
        conclusive_grounds_outcome=data["conclusive_grounds_outcome"],
        support_offered=data["support_offered"],
        is_relevant_to_criminal_proceedings=bool(data["is_relevant_to_criminal_proceedings"]),
    )


@requires(Capability.MANAGE_CASES)
@require_POST
def new_nrm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    person = child_or_refuse(request, actor, pk)
    if isinstance(person, HttpResponse):
        return person
    form = NrmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        record = attempt(
            form,
            lambda: nrm_services.record_nrm_referral(
                actor=actor, person_id=pk, data=_nrm_details(data)
            ),
        )
        if record is not None:
            messages.success(request, "The NRM referral has been recorded.")
            return redirect("cases:person-case", pk=pk)
    return render(
        request,
        "cases/form_page.html",
        form_page(person, form, "Record a National Referral Mechanism referral"),
        status=400,
    )


@requires(Capability.VIEW_CHILDREN)
@require_http_methods(["GET", "POST"])
def nrm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    record = selectors.nrm_for_actor(actor, pk)
    if record is None:
        raise Http404("No such NRM record")
    may_update = policy.may_manage_case(actor, record.person)
    initial = {name: getattr(record, name) for name in NrmForm.base_fields if name != "version"}
    initial["is_relevant_to_criminal_proceedings"] = (
        "yes" if record.is_relevant_to_criminal_proceedings else "no"
    )
    initial["version"] = record.version
    form = NrmForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_update:
            return forbidden(request, actor, "update_nrm")
        if form.is_valid():
            data = form.cleaned_data
            updated = attempt(
                form,
                lambda: nrm_services.update_nrm_referral(
                    actor=actor,
                    nrm_id=pk,
                    expected_version=data["version"] or 0,
                    data=_nrm_details(data),
                ),
            )
            if updated is not None:
                messages.success(request, "The NRM decisions have been saved.")
                return redirect("cases:person-case", pk=record.person_id)
    audit.record(action="nrm.viewed", actor=actor, target=record, person_id=record.person_id)
    return render(
        request,
        "cases/nrm.html",
        {
            "record": record,
            "person": record.person,
            "form": form if may_update else None,
            "has_flag": nrm_services.has_statutory_defence_flag(record),
            "shows_flag": policy.sees_statutory_defence_flag(actor, record.person),
        },
        status=400 if form.is_bound else 200,
    )
