"""The SSDA903 MISSING and Annex A downloads: checked against the DfE rules first,
downloaded only with a reason (audited), and with errors only when confirmed."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.test import Client

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.missing.deadlines import UK
from clearsight.missing.models import RhiState
from clearsight.people.choices import IdentifierKind, LegalStatus
from clearsight.people.models import PersonIdentifier
from tests.conftest import Cast
from tests.factories import (
    AreaFactory,
    MissingEpisodeFactory,
    PersonFactory,
    ReturnHomeInterviewFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = {"from_on": "2025-04-01", "to_on": "2026-03-31"}
SSDA903 = "/missing/export/ssda903.csv"
ANNEX_A = "/missing/export/annex-a.csv"


def at(day: int, month: int, year: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UK)


def looked_after(cast: Cast, **extra):  # type: ignore[no-untyped-def]
    return PersonFactory(
        area=cast.area,
        legal_status=LegalStatus.LOOKED_AFTER,
        date_of_birth=date(2011, 2, 3),
        **extra,
    )


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def web(client_for) -> Client:  # type: ignore[no-untyped-def]
    return client_for(Role.MISSING_COORDINATOR)


def test_a_clean_ssda903_table_downloads_with_a_reason_and_is_audited(
    cast: Cast, web: Client
) -> None:
    child = looked_after(cast)
    PersonIdentifier.objects.create(
        person=child, kind=IdentifierKind.LA_ID, value="LA-77", issuer="Testshire"
    )
    MissingEpisodeFactory(
        person=child, kind="A", started_at=at(1, 6, 2025), ended_at=at(2, 6, 2025)
    )
    MissingEpisodeFactory(person=child, started_at=at(2, 6, 2025, 18), ended_at=None)
    other = looked_after(cast)
    # Started in the year, returned after it: reported as still open at 31 March.
    MissingEpisodeFactory(person=other, started_at=at(30, 3, 2026), ended_at=at(2, 4, 2026))
    PersonFactory(area=cast.area)  # not looked after: not in the SSDA903 return
    MissingEpisodeFactory(person=PersonFactory(area=AreaFactory(), legal_status="looked_after"))

    check = web.get(SSDA903, PERIOD)
    assert check.status_code == 200
    assert "3 rows" in check.content.decode() and "No problems found" in check.content.decode()

    response = web.post(SSDA903, {**PERIOD, "reason": "Annual SSDA903 return"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows(response) == [
        ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        ["LA-77", "03/02/2011", "A", "01/06/2025", "02/06/2025"],
        ["LA-77", "03/02/2011", "M", "02/06/2025", ""],
        [f"CS{other.pk}", "03/02/2011", "M", "30/03/2026", ""],
    ]
    event = AuditEvent.objects.get(action="missing.exported")
    assert event.reason == "Annual SSDA903 return"
    assert event.details["export"] == "ssda903" and event.details["rows"] == 3
    assert event.details["result_person_ids"] == sorted([child.pk, other.pk])


def test_a_download_needs_a_reason(cast: Cast, web: Client) -> None:
    response = web.post(SSDA903, {**PERIOD, "reason": ""})
    assert response.status_code == 400
    assert "Enter why you are downloading these records" in response.content.decode()
    assert not AuditEvent.objects.filter(action="missing.exported").exists()


def test_rule_errors_are_shown_with_line_numbers_and_need_confirming(
    cast: Cast, web: Client
) -> None:
    fine = looked_after(cast)
    MissingEpisodeFactory(person=fine, started_at=at(1, 6, 2025), ended_at=at(2, 6, 2025))
    # The date of birth was entered wrongly: after the episode started (rule 586).
    wrong = looked_after(cast)
    wrong.date_of_birth = date(2025, 7, 1)
    wrong.save()
    MissingEpisodeFactory(person=wrong, started_at=at(1, 6, 2025), ended_at=at(2, 6, 2025))

    page = web.get(SSDA903, PERIOD).content.decode()
    assert "1 problem found in 2 rows" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert f"CS{wrong.pk}" in page and "rule 586" in page
    checked = AuditEvent.objects.get(action="missing.export_checked")
    assert checked.details["result_person_ids"] == [wrong.pk]

    refused = web.post(SSDA903, {**PERIOD, "reason": "Return"})
    assert refused.status_code == 400
    assert "confirm you want to download it anyway" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="missing.exported").exists()

    confirmed = web.post(SSDA903, {**PERIOD, "reason": "Return", "download_with_errors": "on"})
    assert confirmed.status_code == 200
    assert len(rows(confirmed)) == 3
    assert AuditEvent.objects.get(action="missing.exported").details["errors"] == 1


def test_annex_a_says_whether_an_interview_was_offered_and_accepted(
    cast: Cast, web: Client
) -> None:
    child = PersonFactory(area=cast.area)
    accepted = MissingEpisodeFactory(
        person=child, started_at=at(1, 6, 2025), ended_at=at(2, 6, 2025)
    )
    ReturnHomeInterviewFactory(
        episode=accepted, state=RhiState.COMPLETED, offered_at=at(3, 6, 2025)
    )
    waiting = MissingEpisodeFactory(
        person=child, started_at=at(4, 6, 2025), ended_at=at(5, 6, 2025)
    )
    ReturnHomeInterviewFactory(episode=waiting)
    MissingEpisodeFactory(person=child, started_at=at(6, 6, 2025), ended_at=None)

    response = web.post(ANNEX_A, {**PERIOD, "reason": "Ofsted inspection"})

    assert rows(response) == [
        ["CHILD", "EPISODE_START", "EPISODE_END", "RHI_OFFERED", "RHI_ACCEPTED"],
        [f"CS{child.pk}", "01/06/2025", "02/06/2025", "Y", "Y"],
        [f"CS{child.pk}", "04/06/2025", "05/06/2025", "N", "N"],
        [f"CS{child.pk}", "06/06/2025", "", "N", "N"],
    ]
    assert AuditEvent.objects.get(action="missing.exported").details["export"] == "annex-a"


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(cast: Cast, web: Client) -> None:
    child = PersonFactory(area=cast.area)
    PersonIdentifier.objects.create(
        person=child, kind=IdentifierKind.LA_ID, value='=HYPERLINK("x")', issuer="Testshire"
    )
    MissingEpisodeFactory(person=child, started_at=at(1, 6, 2025), ended_at=at(2, 6, 2025))
    response = web.post(ANNEX_A, {**PERIOD, "reason": "Ofsted inspection"})
    assert rows(response)[1][0] == '\'=HYPERLINK("x")'


def test_a_bad_period_is_explained_and_nothing_is_downloaded(cast: Cast, web: Client) -> None:
    response = web.post(
        SSDA903, {"from_on": "2026-03-31", "to_on": "2025-04-01", "reason": "Return"}
    )
    assert response.status_code == 400
    assert "The end date must be on or after the start date" in response.content.decode()
    assert not AuditEvent.objects.filter(action="missing.exported").exists()


def test_the_default_period_is_the_current_collection_year(cast: Cast, web: Client) -> None:
    page = web.get(SSDA903).content.decode()
    today = date.today()
    year = today.year if today.month >= 4 else today.year - 1
    assert f'value="{year}-04-01"' in page and f'value="{year + 1}-03-31"' in page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.RHI_WORKER])
def test_only_missing_coordinators_download(cast: Cast, client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).post(SSDA903, {**PERIOD, "reason": "Curious"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="missing.exported").exists()


def test_episodes_outside_the_period_are_left_out(cast: Cast, web: Client) -> None:
    child = looked_after(cast)
    MissingEpisodeFactory(person=child, started_at=at(1, 1, 2025), ended_at=at(2, 1, 2025))
    MissingEpisodeFactory(
        person=child, started_at=at(1, 4, 2026) + timedelta(hours=1), ended_at=None
    )
    response = web.post(SSDA903, {**PERIOD, "reason": "Return"})
    assert rows(response) == [["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]]
