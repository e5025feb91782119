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
from clearsight.notifications.models import Notification
from clearsight.notifications.services import notify

KIND = "case_review_reminder"
DUE_SOON = timedelta(days=7)


def _stage(next_review_on: date, today: date) -> str | None:
    if next_review_on < today:
        return "overdue"
    if next_review_on - today <= DUE_SOON:
        return "due_soon"
    return None


def _key(case: Case, stage: str) -> str:
    return f"case-review:{case.pk}:{case.next_review_on:%Y-%m-%d}:{stage}"


def _coordinators_by_area(area_ids: set[int]) -> dict[int, list[User]]:
    """The MACE coordinators of each area, read once for every case without a lead."""
    by_area: dict[int, dict[int, User]] = {area_id: {} for area_id in area_ids}
    if area_ids:
        coordinators = (
            Membership.objects.current()
            .filter(role=Role.MACE_COORDINATOR, agency__area_id__in=area_ids)
            .select_related("user", "agency")
        )
        for membership in coordinators:
            by_area[membership.agency.area_id][membership.user.pk] = membership.user
    return {area_id: list(users.values()) for area_id, users in by_area.items()}


def _lead(case: Case) -> User | None:
    """The case's lead professional, while they hold the role and are not suspended."""
    lead = case.lead_professional
    if lead is not None and lead.ended_at is None and lead.user.is_active:
        return lead.user
    return None


@transaction.atomic
def send_review_reminders(today: date | None = None) -> int:
    """Notify once per recipient, case, review date and stage; safe to run again, and a
    run costs the same few queries however many cases are overdue (the reminders already
    sent are read in one query, and the job runs every hour).
    Titles carry no name: a notification may be read over someone's shoulder."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(
        closed_at__isnull=True, next_review_on__lte=today + DUE_SOON
    ).select_related("person", "lead_professional__user")
    due = [
        (case, stage, _lead(case))
        for case in cases
        if (stage := _stage(case.next_review_on, today))
    ]
    already = set(
        Notification.objects.filter(
            kind=KIND, key__in=[_key(case, stage) for case, stage, _ in due]
        ).values_list("recipient_id", "key")
    )
    coordinators = _coordinators_by_area(
        {case.person.area_id for case, _, lead in due if lead is None}
    )
    created = 0
    for case, stage, lead in due:
        key = _key(case, stage)
        recipients = [lead] if lead is not None else coordinators[case.person.area_id]
        when = f"{case.next_review_on:%-d %B %Y}"
        for recipient in recipients:
            if (recipient.pk, key) in already:
                continue
            sent = notify(
                recipient=recipient,
                kind=KIND,
                key=key,
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
