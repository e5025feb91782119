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


def test_events_from_a_request_carry_its_id_and_address(client_for) -> None:  # type: ignore[no-untyped-def]
    from clearsight.access.roles import Role

    response = client_for(Role.DATA_PROTECTION_OFFICER).get(
        "/audit/", HTTP_X_REQUEST_ID="req-12345678", REMOTE_ADDR="198.51.100.20"
    )
    assert response["X-Request-ID"] == "req-12345678"
    event = AuditEvent.objects.get(action="audit.viewed")
    assert event.request_id == "req-12345678"
    assert event.ip_address == "198.51.100.20"


def test_permission_denials_are_audited(client_for) -> None:  # type: ignore[no-untyped-def]
    from clearsight.access.roles import Role

    assert client_for(Role.PRACTITIONER).get("/audit/").status_code == 403
    event = AuditEvent.objects.get(action="access.denied")
    assert event.details == {"capability": "view_audit_log", "path": "/audit/"}
    assert event.request_id
