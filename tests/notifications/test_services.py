"""Notifying several people at once: each once per key, an email for each new one."""

from __future__ import annotations

import pytest

from clearsight.notifications.models import Notification
from clearsight.notifications.services import notify_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_active_recipient_is_notified_once_and_emailed_once(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    first, second = UserFactory(), UserFactory()
    suspended = UserFactory(is_active=False)
    args = {"kind": "risk_rising", "key": "risk:1", "title": "Risk has risen", "url": "/x/"}
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(recipients=[first, second, suspended], **args)
    assert len(created) == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    with django_capture_on_commit_callbacks(execute=True):
        again = notify_many(recipients=[first, second], **args)
    assert again == []
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2
