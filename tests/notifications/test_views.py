"""The notification centre and the unread count in the header."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.audit.models import AuditEvent
from clearsight.notifications.models import Notification
from clearsight.notifications.services import notify
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def a_notification(user: User, key: str, **extra: object) -> Notification:
    fields = {"title": f"Reminder {key}", "url": "/missing/1/", "email": False, **extra}
    created = notify(recipient=user, kind="rhi_reminder", key=key, **fields)  # type: ignore[arg-type]
    assert created is not None
    return Notification.objects.get(pk=created)


def header_link(page: str) -> str:
    link = re.search(r'data-testid="notifications-link">(.*?)</a>', page, re.S)
    assert link is not None
    return re.sub(r"<[^>]+>", "", link.group(1))


def test_the_header_shows_how_many_notifications_are_unread(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    client = client_for(Role.RHI_WORKER)
    assert header_link(client.get("/home/").content.decode()) == "Notifications"
    a_notification(user, "one")
    a_notification(user, "two")
    a_notification(cast.user(Role.PRACTITIONER), "someone else's")
    assert header_link(client.get("/home/").content.decode()) == "Notifications (2 unread)"


def test_the_unread_count_costs_one_query_per_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    a_notification(cast.user(Role.RHI_WORKER), "one")
    client = client_for(Role.RHI_WORKER)
    with CaptureQueriesContext(connection) as queries:
        client.get("/home/")
    reads = [q for q in queries if '"notifications_notification"' in q["sql"]]
    assert len(reads) == 1


def test_the_list_shows_the_users_notifications_newest_first_with_unread_marked(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    a_notification(user, "older", title="Return home interview due in 24 hours")
    newer = a_notification(user, "newer", title="Return home interview is overdue")
    Notification.objects.filter(pk=newer.pk).update(read_at=newer.created_at)
    a_notification(cast.user(Role.PRACTITIONER), "theirs", title="Not for you")
    page = client_for(Role.RHI_WORKER).get("/notifications/").content.decode()
    assert page.index("is overdue") < page.index("due in 24 hours")
    assert "Not for you" not in page
    assert page.count('data-testid="notification"') == 2
    assert page.count(">Unread</strong>") == 1
    assert 'href="/missing/1/"' in page
    assert "You have 1 unread notification." in page


def test_reading_the_list_is_audited_with_the_children_it_refers_to(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    a_notification(user, "a", person_id=41)
    a_notification(user, "b", person_id=42)
    a_notification(user, "c")
    client_for(Role.RHI_WORKER).get("/notifications/")
    event = AuditEvent.objects.get(action="notifications.viewed")
    assert event.actor_user_id == user.pk
    assert event.details["result_person_ids"] == [41, 42]


def test_mark_as_read(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    first = a_notification(user, "one")
    second = a_notification(user, "two")
    client = client_for(Role.RHI_WORKER)
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert header_link(client.get("/home/").content.decode()) == "Notifications (1 unread)"


def test_mark_all_as_read(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    a_notification(user, "one")
    a_notification(user, "two")
    theirs = a_notification(cast.user(Role.PRACTITIONER), "theirs")
    client = client_for(Role.RHI_WORKER)
    response = client.post("/notifications/read-all/", follow=True)
    page = response.content.decode()
    assert "All your notifications are marked as read." in page
    assert "You have no unread notifications." in page
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_nobody_can_mark_another_users_notification_as_read(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    theirs = a_notification(cast.user(Role.PRACTITIONER), "theirs")
    response = client_for(Role.RHI_WORKER).post(f"/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine = a_notification(cast.user(Role.RHI_WORKER), "mine")
    client = client_for(Role.RHI_WORKER)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_read_needs_the_csrf_token(cast: Cast) -> None:
    from django.test import Client

    from tests.conftest import sign_in

    mine = a_notification(cast.user(Role.RHI_WORKER), "mine")
    client = sign_in(Client(enforce_csrf_checks=True), cast.members[Role.RHI_WORKER])
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_a_long_list_is_paged(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.user(Role.RHI_WORKER)
    for number in range(30):
        a_notification(user, f"n{number}")
    client = client_for(Role.RHI_WORKER)
    first = client.get("/notifications/").content.decode()
    assert first.count('data-testid="notification"') == 25 and "Older" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
