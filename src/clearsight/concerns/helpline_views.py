"""The helpline contact log: the list of the helpline's contacts, logging one, reading one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.concerns import helpline_services, selectors
from clearsight.concerns.forms import HelplineContactForm
from clearsight.concerns.models import Topic
from clearsight.concerns.views import new_submission_key
from clearsight.core.errors import InvalidInput

LIST_LIMIT = 100


@requires(Capability.LOG_HELPLINE_CONTACTS)
def contact_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    contacts = list(
        selectors.helpline_contacts(actor=actor).select_related("area", "concern")[:LIST_LIMIT]
    )
    audit.record(
        action="helpline.contacts_viewed",
        actor=actor,
        details={"contact_ids": [c.pk for c in contacts]},
    )
    return render(request, "concerns/helpline/list.html", {"contacts": contacts})


@requires(Capability.LOG_HELPLINE_CONTACTS)
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = HelplineContactForm(
        request.POST if request.method == "POST" else None,
        areas=selectors.public_areas(),
        initial={"submission_key": new_submission_key(), "area_code": actor.area.code},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = helpline_services.log_helpline_contact(
                actor=actor,
                data=helpline_services.NewHelplineContact(
                    channel=data["channel"],
                    caller_type=data["caller_type"],
                    is_anonymous=data["anonymous"] == ["yes"],
                    caller_name=data["caller_name"],
                    caller_contact=data["caller_contact"],
                    topics=tuple(data["topics"]),
                    what_was_said=data["what_was_said"],
                    where_child_is=data["where_child_is"],
                    child_description=data["child_description"],
                    area_code=data["area_code"],
                    risk_seen=data["risk_seen"],
                    advice_given=data["advice_given"],
                    has_consent_to_share=data["consent"] == "yes",
                ),
                submission_key=data["submission_key"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            if contact.concern is not None:
                messages.success(
                    request,
                    "Contact logged. With the caller’s consent it is now concern "
                    f"{contact.concern.reference} in the triage queue.",
                )
            else:
                messages.success(request, "Contact logged. It has not been shared.")
            return redirect("concerns:helpline-detail", pk=contact.pk)
    return render(request, "concerns/helpline/new.html", {"form": form})


@requires(Capability.LOG_HELPLINE_CONTACTS)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contact = selectors.helpline_contact_for(actor=actor, pk=pk)
    if contact is None:
        raise Http404("No such contact")
    audit.record(action="helpline.contact_viewed", actor=actor, target=contact)
    labels = dict(Topic.choices)
    topics = [labels.get(topic, topic) for topic in contact.topics]
    return render(request, "concerns/helpline/detail.html", {"contact": contact, "topics": topics})
