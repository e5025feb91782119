"""Recording a number as a deal line: an analyst's decision with a reason, from the
number's page or from a phone data import's patterns; audited, never automatic."""

from __future__ import annotations

from datetime import date

import pytest

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.intel import phone_imports, services
from clearsight.intel.models import PhoneNumber
from clearsight.people.models import Phone
from tests.conftest import Cast
from tests.factories import PersonFactory, PhoneNumberFactory
from tests.intel.conftest import actor_for
from tests.intel.test_deal_lines import CHILD, DEAL_LINE, generated_records
from tests.intel.test_phone_imports import as_csv, run

pytestmark = pytest.mark.django_db

REASON = "Test purchase by officers on 3 March confirmed the number takes orders"


def record(cast: Cast, phone: PhoneNumber, role: Role = Role.INTELLIGENCE_ANALYST, **kw):  # type: ignore[no-untyped-def]
    return services.record_deal_line(
        actor=actor_for(cast, role), phone_id=phone.pk, reason=kw.pop("reason", REASON), **kw
    )


def test_an_analyst_records_a_number_as_a_deal_line_with_a_reason(cast: Cast) -> None:
    phone = PhoneNumberFactory(area=cast.area)
    recorded = record(cast, phone, line_name="Blade line", phone_import_id=7)
    assert recorded.is_deal_line and recorded.line_name == "Blade line"
    assert recorded.version == 2
    assert recorded.notes.endswith(f"Recorded as a deal line: {REASON}")
    event = AuditEvent.objects.get(action="intel.phone.recorded_as_deal_line")
    assert event.object_id == str(phone.pk) and event.reason == REASON
    assert event.details == {"status": "active", "phone_import": 7}


def test_a_closed_line_needs_how_it_was_closed(cast: Cast) -> None:
    phone = PhoneNumberFactory(area=cast.area)
    with pytest.raises(InvalidInput) as error:
        record(cast, phone, status="closed")
    assert error.value.errors == {"closure_type": "Choose how the line was closed"}
    closed = record(
        cast, phone, status="closed", closure_type="closure_order", closed_on=date(2026, 3, 4)
    )
    assert closed.status == "closed" and closed.closed_on == date(2026, 3, 4)


def test_a_reason_is_needed_and_a_deal_line_is_recorded_once(cast: Cast) -> None:
    phone = PhoneNumberFactory(area=cast.area)
    with pytest.raises(InvalidInput) as no_reason:
        record(cast, phone, reason="  ")
    assert "Enter why" in no_reason.value.errors["reason"]
    record(cast, phone)
    with pytest.raises(InvalidInput) as again:
        record(cast, phone)
    assert "already recorded" in again.value.errors["reason"]
    assert AuditEvent.objects.filter(action="intel.phone.recorded_as_deal_line").count() == 1


def test_another_areas_number_is_not_found(cast: Cast) -> None:
    theirs = PhoneNumberFactory()
    with pytest.raises(NotFoundError):
        record(cast, theirs)
    assert not PhoneNumber.objects.get(pk=theirs.pk).is_deal_line


@pytest.mark.parametrize("role", [r for r in Role if r != Role.INTELLIGENCE_ANALYST])
def test_only_an_analyst_records_a_deal_line(cast: Cast, role: Role) -> None:
    phone = PhoneNumberFactory(area=cast.area)
    with pytest.raises(PermissionDeniedError):
        record(cast, phone, role)
    assert not PhoneNumber.objects.get(pk=phone.pk).is_deal_line


def test_from_an_imports_patterns_the_analyst_records_the_deal_line(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area)
    Phone.objects.create(person=child, number=CHILD)
    done = run(cast, as_csv(generated_records()))
    line = PhoneNumber.objects.get(number=DEAL_LINE)
    assert not line.is_deal_line  # the import itself records nothing as fact
    client = client_for(Role.INTELLIGENCE_ANALYST)
    page = client.get(f"/intel/phone-data/{done.pk}/").content.decode()
    action = f"/intel/phone/{line.pk}/deal-line/?import={done.pk}"
    assert action in page
    form = client.get(action)
    assert form.status_code == 200 and "Back to the phone data" in form.content.decode()
    response = client.post(
        action, {"line_name": "Blade line", "status": "active", "reason": REASON}
    )
    assert response.status_code == 302 and response["Location"] == f"/intel/phone-data/{done.pk}/"
    assert PhoneNumber.objects.get(pk=line.pk).is_deal_line
    after = client.get(f"/intel/phone-data/{done.pk}/").content.decode()
    assert "Recorded as a deal line" in after and action not in after
    event = AuditEvent.objects.get(action="intel.phone.recorded_as_deal_line")
    assert event.details["phone_import"] == done.pk
    assert phone_imports.import_ref(done)


def test_the_page_shows_errors_in_a_summary(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    phone = PhoneNumberFactory(area=cast.area)
    client = client_for(Role.INTELLIGENCE_ANALYST)
    assert "Record as a deal line" in client.get(f"/intel/phone/{phone.pk}/").content.decode()
    response = client.post(f"/intel/phone/{phone.pk}/deal-line/", {"status": "closed"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter why you are recording this number as a deal line" in text
    assert "Choose how the line was closed" in text
    assert not PhoneNumber.objects.get(pk=phone.pk).is_deal_line


@pytest.mark.parametrize("role", list(Role))
def test_the_deal_line_page_by_role(cast: Cast, client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    phone = PhoneNumberFactory(area=cast.area)
    client = client_for(role)
    url = f"/intel/phone/{phone.pk}/deal-line/"
    allowed = role == Role.INTELLIGENCE_ANALYST
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"status": "active", "reason": REASON})
    assert response.status_code == (302 if allowed else 403)
    assert PhoneNumber.objects.get(pk=phone.pk).is_deal_line == allowed
    if allowed:
        assert client.get("/intel/phone/999999/deal-line/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_the_deal_line_api_by_role(cast: Cast, client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    phone = PhoneNumberFactory(area=cast.area)
    client = client_for(role)
    url = f"/api/v1/intel/phone/{phone.pk}/deal-line/"
    response = client.post(
        url, {"reason": REASON, "line_name": "Blade line"}, content_type="application/json"
    )
    allowed = role == Role.INTELLIGENCE_ANALYST
    assert response.status_code == (200 if allowed else 403)
    assert response["Content-Type"].startswith(
        "application/json" if allowed else "application/problem+json"
    )
    assert PhoneNumber.objects.get(pk=phone.pk).is_deal_line == allowed
    if allowed:
        assert response.json()["line_name"] == "Blade line"
        assert AuditEvent.objects.filter(action="intel.phone.recorded_as_deal_line").count() == 1


def test_the_deal_line_api_answers_bad_input_with_field_errors(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    phone = PhoneNumberFactory(area=cast.area)
    client = client_for(Role.INTELLIGENCE_ANALYST)
    url = f"/api/v1/intel/phone/{phone.pk}/deal-line/"
    response = client.post(
        url, {"reason": " ", "status": "closed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    fields = {e.get("field") or e.get("name") for e in problem.get("errors", [])} or set(
        problem.get("fields", problem.get("invalid_params", {}))
    )
    assert "reason" in str(problem) and "closure_type" in str(problem), fields
    assert not PhoneNumber.objects.get(pk=phone.pk).is_deal_line
    missing = client.post(
        "/api/v1/intel/phone/999999/deal-line/", {"reason": REASON}, content_type="application/json"
    )
    assert missing.status_code == 404
