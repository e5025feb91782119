import pytest
from django.db import DatabaseError, transaction

from clearsight.audit.models import AuditEvent
from clearsight.audit.services import record

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed() -> None:
    event = record(action="test.event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_audit_events_cannot_be_deleted() -> None:
    event = record(action="test.event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
