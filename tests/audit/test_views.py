"""The data protection officer's audit screens: filter, export, and their own audit."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast: Cast, client_for):  # type: ignore[no-untyped-def]
    """A social worker opens one child's record; a practitioner breaks glass on it."""
    person = PersonFactory(area=cast.area, given_names="Ava", family_name="Seen")
    other = PersonFactory(area=cast.area, given_names="Ben", family_name="Unseen")
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    TeamMemberFactory(person=other, membership=cast.members[Role.SOCIAL_WORKER])
    client_for(Role.SOCIAL_WORKER).get(f"/people/{person.pk}/")
    client_for(Role.SOCIAL_WORKER).get(f"/people/{other.pk}/")
    client_for(Role.PRACTITIONER).post(
        f"/people/{person.pk}/emergency-access/", {"reason": "Missing tonight, police need a photo"}
    )
    return person


def test_who_has_seen_this_childs_record(history, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = (
        client_for(Role.DATA_PROTECTION_OFFICER)
        .get("/audit/", {"person_id": history.pk})
        .content.decode()
    )
    assert cast.user(Role.SOCIAL_WORKER).full_name in page
    assert cast.user(Role.PRACTITIONER).full_name in page
    assert "Emergency access" in page
    assert "Missing tonight, police need a photo" in page


def test_what_has_this_user_done(history, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    practitioner = cast.user(Role.PRACTITIONER)
    page = (
        client_for(Role.DATA_PROTECTION_OFFICER)
        .get("/audit/", {"user": practitioner.pk})
        .content.decode()
    )
    assert "person.break_glass" in page
    assert "person.viewed" in page  # they opened the record after breaking glass
    assert cast.user(Role.SOCIAL_WORKER).full_name not in page.split("<tbody")[1]


def test_flagged_only_lists_break_glass(history, client_for) -> None:  # type: ignore[no-untyped-def]
    page = (
        client_for(Role.DATA_PROTECTION_OFFICER)
        .get("/audit/", {"flagged_only": "on"})
        .content.decode()
    )
    assert "1 event" in page


def test_export_needs_a_reason_and_is_audited(history, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    dpo = client_for(Role.DATA_PROTECTION_OFFICER)
    refused = dpo.post("/audit/export/", {"person_id": history.pk})
    assert refused.status_code == 400
    assert "Enter why you are exporting these records" in refused.content.decode()
    response = dpo.post(
        "/audit/export/", {"person_id": history.pk, "reason": "Subject access request 2026-114"}
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.splitlines()[0].startswith("occurred_at,user,acting_as,action")
    assert "person.break_glass" in body
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.reason == "Subject access request 2026-114"
    assert event.details["person_id"] == history.pk


def test_the_export_never_hands_a_spreadsheet_a_formula(history, client_for) -> None:  # type: ignore[no-untyped-def]
    """A reason (free text typed by a user) that starts like a formula is exported as
    text: spreadsheets do not run it (CSV injection)."""
    dpo = client_for(Role.DATA_PROTECTION_OFFICER)
    formula = '=HYPERLINK("http://example.invalid","open")'
    dpo.post("/audit/export/", {"person_id": history.pk, "reason": formula})
    body = dpo.post("/audit/export/", {"reason": "Second export"}).content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body and ',"=HYPERLINK' not in body


def test_bad_filter_values_get_clear_messages(client_for) -> None:  # type: ignore[no-untyped-def]
    page = (
        client_for(Role.DATA_PROTECTION_OFFICER)
        .get("/audit/", {"person_id": "abc", "from_on": "2026-11-10", "to_on": "2026-11-01"})
        .content.decode()
    )
    assert "Enter the record number in digits" in page
    assert "The end date must be on or after the start date" in page


def test_the_dates_typed_in_the_filter_are_carried_to_the_export(client_for) -> None:  # type: ignore[no-untyped-def]
    dates = {
        "from_on_day": "1",
        "from_on_month": "11",
        "from_on_year": "2026",
        "to_on": "2026-11-30",
    }
    page = client_for(Role.DATA_PROTECTION_OFFICER).get("/audit/", dates).content.decode()
    export = page.split('action="/audit/export/"')[1].split("</form>")[0]
    for name, value in (
        ("from_on_day", "1"),
        ("from_on_month", "11"),
        ("from_on_year", "2026"),
        ("to_on_day", "30"),
        ("to_on_month", "11"),
        ("to_on_year", "2026"),
    ):
        assert f'<input type="hidden" name="{name}" value="{value}">' in export
    assert "[" not in export.split("</label>")[0]  # no list written as a value


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.DATA_PROTECTION_OFFICER])
def test_only_data_protection_officers_can_export(role: Role, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).post("/audit/export/", {"reason": "curious"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_emergency_access_is_flagged_on_the_dpo_home_and_reviewed(
    history, cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    from clearsight.access.models import BreakGlassAccess

    dpo = client_for(Role.DATA_PROTECTION_OFFICER)
    assert (
        "1 emergency access to records is waiting for your review"
        in dpo.get("/home/").content.decode()
    )
    page = dpo.get("/audit/emergency-access/").content.decode()
    assert "Missing tonight, police need a photo" in page
    grant = BreakGlassAccess.objects.get()
    refused = dpo.post("/audit/emergency-access/", {"grant": grant.pk, "note": ""})
    assert refused.status_code == 400
    assert "Enter what you found" in refused.content.decode()
    dpo.post(
        "/audit/emergency-access/",
        {"grant": grant.pk, "note": "Justified: child missing, police request"},
    )
    grant.refresh_from_db()
    assert grant.reviewed_by == cast.user(Role.DATA_PROTECTION_OFFICER)
    assert AuditEvent.objects.filter(action="break_glass.reviewed").exists()
    assert "waiting for your review" not in dpo.get("/home/").content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.DATA_PROTECTION_OFFICER])
def test_only_dpos_review_emergency_access(role: Role, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).get("/audit/emergency-access/").status_code == 403
