"""Reads of a user's own notifications. Nobody else's are ever returned: every query is
filtered by the acting user, whatever role they act in."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from clearsight.access.actor import Actor
from clearsight.accounts.models import User
from clearsight.notifications.models import Notification

PER_PAGE = 25


def own_notifications(*, actor: Actor, page: int = 1) -> Page[Notification]:
    """The actor's notifications, newest first, a page at a time."""
    notifications = Notification.objects.filter(recipient=actor.user).order_by("-created_at", "-pk")
    return Paginator(notifications, PER_PAGE).get_page(page)


def unread_count(*, user: User) -> int:
    """For the header on every page: one query, using the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
