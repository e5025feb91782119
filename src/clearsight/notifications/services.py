"""Sending notifications: in the app, and an email that says only that there is
something to look at (no personal data leaves Clearsight by email). Marking them read."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.accounts.models import User
from clearsight.audit import services as audit
from clearsight.core.errors import NotFoundError
from clearsight.notifications.models import Notification

EMAIL_SUBJECT = "You have a new notification in Clearsight"


def notify(
    *,
    recipient: User,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    person_id: int | None = None,
    email: bool = True,
) -> int | None:
    """Create the notification unless this recipient already has one with this key.
    Returns the new notification's id, or None when it already existed (or the recipient
    is suspended). The email is sent once the transaction commits, and only for a new
    notification, so it too goes exactly once."""
    created = notify_many(
        recipients=[recipient],
        kind=kind,
        key=key,
        title=title,
        body=body,
        url=url,
        person_id=person_id,
        email=email,
    )
    return created[0] if created else None


def notify_many(
    *,
    recipients: list[User],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    person_id: int | None = None,
    email: bool = True,
) -> list[int]:
    """One notification for each of several recipients, in one statement: each active
    recipient gets it unless they already have one with this key (ON CONFLICT on the
    unique recipient and key: no savepoint, and two workers at once cannot both create
    it), and an email for each new one once the transaction commits. Returns the new
    notifications' ids."""
    active = [r for r in recipients if r.is_active]
    if not active:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_notification "
            "(recipient_id, kind, key, title, body, url, person_id, created_at) "
            "SELECT r, %s, %s, %s, %s, %s, %s, %s FROM unnest(%s::bigint[]) AS r "
            "ON CONFLICT DO NOTHING RETURNING id, recipient_id",
            [kind, key[:200], title[:200], body, url[:300], person_id, timezone.now(),
             [r.pk for r in active]],
        )  # fmt: skip
        created = cursor.fetchall()
    if email:
        with_email = {r.pk for r in active if r.email}
        for notification_id, recipient_id in created:
            if recipient_id in with_email:
                transaction.on_commit(partial(_send_email, notification_id))
    return [notification_id for notification_id, _ in created]


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    base = settings.CLEARSIGHT_BASE_URL.rstrip("/")
    send_mail(
        subject=EMAIL_SUBJECT,
        message=(
            f"Hello {notification.recipient.full_name},\n\n"
            "There is something new for you in Clearsight. Sign in to read it:\n"
            f"{base}/notifications/\n\n"
            "For the safety of the children concerned, this email does not say what it "
            "is about.\n"
        ),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


@transaction.atomic
def mark_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications as read. Someone else's is "not found",
    so nobody can learn that it exists."""
    notification = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, recipient=actor.user)
        .first()
    )
    if notification is None:
        raise NotFoundError("There is no such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(action="notifications.marked_read", actor=actor, target=notification)
    return notification


@transaction.atomic
def mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    count = Notification.objects.filter(recipient=actor.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit.record(action="notifications.marked_read", actor=actor, details={"count": count})
    return count
