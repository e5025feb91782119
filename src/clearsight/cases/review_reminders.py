"""Reminding the lead professional (or, while there is none, the area's MACE
coordinators) that a case review is due within a week, and again once it is overdue.

Plans are reviewed at a set interval (12 weeks unless the case says otherwise) so help
stays matched to risk. Run by the periodic job in cases/tasks.py; each reminder goes
exactly once, keyed by the case and the review date it is about."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases.models import Case
from clearsight.notifications.services import notify

KIND = "case_review_reminder"
DUE_SOON = timedelta(days=7)


def _stage(next_review_on: date, today: date) -> str | None:
    if next_review_on < today:
        return "overdue"
    if next_review_on - today <= DUE_SOON:
        return "due_soon"
    return None


def _recipients(case: Case) -> list[User]:
    lead = case.lead_professional
    if lead is not None and lead.ended_at is None and lead.user.is_active:
        return [lead.user]
    coordinators = (
        Membership.objects.current()
        .filter(role=Role.MACE_COORDINATOR, agency__area_id=case.person.area_id)
        .select_related("user")
    )
    return list({m.user.pk: m.user for m in coordinators}.values())


@transaction.atomic
def send_review_reminders(today: date | None = None) -> int:
    """Notify once per recipient, case, review date and stage; safe to run again.
    Titles carry no name: a notification may be read over someone's shoulder."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(
        closed_at__isnull=True, next_review_on__lte=today + DUE_SOON
    ).select_related("person", "lead_professional__user")
    created = 0
    for case in cases:
        stage = _stage(case.next_review_on, today)
        if stage is None:
            continue
        when = f"{case.next_review_on:%-d %B %Y}"
        for recipient in _recipients(case):
            sent = notify(
                recipient=recipient,
                kind=KIND,
                key=f"case-review:{case.pk}:{case.next_review_on:%Y-%m-%d}:{stage}",
                title="Case review overdue" if stage == "overdue" else "Case review due soon",
                body=f"The review of case {case.pk} {'was' if stage == 'overdue' else 'is'} "
                f"due on {when}.",
                url=f"/people/{case.person_id}/case/",
                person_id=case.person_id,
            )
            created += sent is not None
    if created:
        audit.record(action="case.review_reminders_sent", details={"notifications": created})
    return created
