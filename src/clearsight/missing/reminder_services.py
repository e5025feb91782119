"""Reminding people about Return Home Interviews that are nearly due or overdue.

Statutory guidance (children who run away or go missing from home or care, DfE 2014)
asks for the interview within 72 hours of the return. The worker and their line manager
are reminded at 48 hours and again once it is overdue (in the week after the
deadline); while no worker has been offered the interview, the area's missing children
coordinators are reminded instead. Run by the periodic job in missing/tasks.py, never
by a page load."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TypeGuard

from django.db import transaction
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.missing.deadlines import uk_display
from clearsight.missing.models import ReturnHomeInterview
from clearsight.missing.reminders import (
    DUE_SOON_AFTER,
    OPEN_STATES,
    OVERDUE_REMINDED_FOR,
    Stage,
    due_reminder,
)
from clearsight.notifications.models import Notification
from clearsight.notifications.services import notify

KIND = "rhi_reminder"

# Titles and bodies carry no name: a notification may be read over someone's shoulder.
TITLES = {
    Stage.DUE_SOON: "Return home interview due in 24 hours",
    Stage.OVERDUE: "Return home interview is overdue",
}


def _key(interview: ReturnHomeInterview, stage: Stage) -> str:
    return f"rhi:{interview.pk}:{stage.value}"


def _body(interview: ReturnHomeInterview, stage: Stage) -> str:
    episode = f"missing episode {interview.episode_id}"
    due = uk_display(interview.due_at)
    if stage is Stage.OVERDUE:
        text = f"The return home interview for {episode} was due by {due}."
    else:
        text = f"The return home interview for {episode} is due by {due}."
    if interview.worker_id is None:
        text += " No worker has been offered it yet."
    return text


def _is_current(membership: Membership | None) -> TypeGuard[Membership]:
    return membership is not None and membership.ended_at is None and membership.user.is_active


def _recipients(interview: ReturnHomeInterview, coordinators: dict[int, list[User]]) -> list[User]:
    """The worker and their line manager; the area's coordinators while nobody holds it."""
    worker = interview.worker
    if _is_current(worker):
        people = [worker.user]
        manager = worker.line_manager
        if _is_current(manager):
            people.append(manager.user)
    else:
        people = coordinators.get(interview.episode.person.area_id, [])
    return list({user.pk: user for user in people}.values())


def _coordinators_by_area(area_ids: set[int]) -> dict[int, list[User]]:
    if not area_ids:
        return {}
    memberships = (
        Membership.objects.current()
        .filter(
            role=Role.MISSING_COORDINATOR,
            agency__area_id__in=area_ids,
            agency__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "agency")
    )
    by_area: dict[int, list[User]] = defaultdict(list)
    for membership in memberships:
        by_area[membership.agency.area_id].append(membership.user)
    return by_area


@transaction.atomic
def send_rhi_reminders(now: datetime | None = None) -> int:
    """Notify everyone a reminder is due to, once: the notification's key is unique per
    recipient, so running twice (or two workers at once) sends nothing more. Returns how
    many notifications were created. The job runs every few minutes, so it is audited
    only when it sent something; the event carries counts, no personal data."""
    now = now or timezone.now()
    open_interviews = ReturnHomeInterview.objects.filter(
        state__in=[state.value for state in OPEN_STATES],
        episode__ended_at__lte=now - DUE_SOON_AFTER,
        due_at__gt=now - OVERDUE_REMINDED_FOR,
    ).select_related("episode__person", "worker__user", "worker__line_manager__user")
    due: list[tuple[ReturnHomeInterview, Stage]] = []
    for interview in open_interviews:
        returned_at = interview.episode.ended_at
        if returned_at is None:  # excluded by the filter; this tells the type checker
            continue
        stage = due_reminder(
            returned_at=returned_at,
            due_at=interview.due_at,
            state=interview.state,
            now=now,
        )
        if stage is not None:
            due.append((interview, stage))
    coordinators = _coordinators_by_area(
        {i.episode.person.area_id for i, _ in due if not _is_current(i.worker)}
    )
    already = set(
        Notification.objects.filter(key__in=[_key(i, s) for i, s in due]).values_list(
            "recipient_id", "key"
        )
    )
    created = 0
    for interview, stage in due:
        key = _key(interview, stage)
        for recipient in _recipients(interview, coordinators):
            if (recipient.pk, key) in already:
                continue
            notification = notify(
                recipient=recipient,
                kind=KIND,
                key=key,
                title=TITLES[stage],
                body=_body(interview, stage),
                url=f"/missing/{interview.episode_id}/",
                person_id=interview.episode.person_id,
            )
            if notification is not None:
                created += 1
    if created:
        audit.record(
            action="rhi.reminders_sent",
            details={"notifications": created, "interviews": len(due)},
        )
    return created
