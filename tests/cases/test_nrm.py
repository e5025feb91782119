"""NRM records: decisions in order, and the statutory defence flag shown only to the
child's police and youth service team members."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from clearsight.access.case_policy import sees_statutory_defence_flag
from clearsight.access.roles import Role
from clearsight.cases import nrm_rules, nrm_services
from clearsight.cases.selectors import case_summary
from clearsight.core.errors import InvalidInput, PermissionDeniedError, StaleVersionError
from tests.cases.helpers import actor_for, child_on_team
from tests.conftest import Cast

TODAY = date(2026, 11, 20)
outcomes = st.sampled_from(["", "positive", "negative"])


@given(rg=outcomes, cg=outcomes, relevant=st.booleans())
def test_the_flag_shows_only_while_a_positive_decision_stands_and_matters(
    rg: str, cg: str, relevant: bool
) -> None:
    flag = nrm_rules.statutory_defence_flag(
        reasonable_grounds=rg, conclusive_grounds=cg, is_relevant_to_proceedings=relevant
    )
    standing = cg or rg
    assert flag == (relevant and standing == "positive")


def test_a_negative_conclusive_decision_replaces_a_positive_reasonable_grounds_one() -> None:
    assert not nrm_rules.statutory_defence_flag(
        reasonable_grounds="positive",
        conclusive_grounds="negative",
        is_relevant_to_proceedings=True,
    )


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"submitted_on": None}, "submitted_on"),
        ({"submitted_on": TODAY + timedelta(days=1)}, "submitted_on"),
        ({"reasonable_grounds_on": TODAY}, "reasonable_grounds_outcome"),
        (
            {"reasonable_grounds_on": TODAY - timedelta(days=40), "reasonable_grounds": "positive"},
            "reasonable_grounds_on",
        ),
        (
            {
                "reasonable_grounds_on": TODAY - timedelta(days=5),
                "reasonable_grounds": "negative",
                "conclusive_grounds_on": TODAY,
                "conclusive_grounds": "positive",
            },
            "conclusive_grounds_outcome",
        ),
        (
            {
                "reasonable_grounds_on": TODAY - timedelta(days=5),
                "reasonable_grounds": "positive",
                "conclusive_grounds_on": TODAY - timedelta(days=6),
                "conclusive_grounds": "positive",
            },
            "conclusive_grounds_on",
        ),
    ],
)
def test_decision_dates_follow_one_another(fields: dict[str, object], error_field: str) -> None:
    base: dict[str, object] = {
        "submitted_on": TODAY - timedelta(days=30),
        "reasonable_grounds_on": None,
        "reasonable_grounds": "",
        "conclusive_grounds_on": None,
        "conclusive_grounds": "",
        "today": TODAY,
    }
    errors = nrm_rules.date_errors(**{**base, **fields})  # type: ignore[arg-type]
    assert error_field in errors


def _details(**fields: object) -> nrm_services.NrmDetails:
    today = timezone.localdate()
    base: dict[str, object] = {
        "first_responder_organisation": "Testshire Children's Services",
        "submitted_on": today - timedelta(days=50),
        "reasonable_grounds_on": today - timedelta(days=45),
        "reasonable_grounds_outcome": "positive",
        "is_relevant_to_criminal_proceedings": True,
    }
    return nrm_services.NrmDetails(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_flag_reaches_police_and_youth_service_team_members_only(cast: Cast) -> None:
    child = child_on_team(
        cast, Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.PRACTITIONER, Role.TRIAGE_OFFICER
    )
    nrm_services.record_nrm_referral(
        actor=actor_for(cast, Role.SOCIAL_WORKER), person_id=child.pk, data=_details()
    )
    shown = {
        role: case_summary(actor=actor_for(cast, role), person=child).statutory_defence
        for role in (
            Role.SOCIAL_WORKER,
            Role.POLICE_OFFICER,
            Role.PRACTITIONER,
            Role.TRIAGE_OFFICER,
        )
    }
    # The cast's practitioner works for the youth service.
    assert shown == {
        Role.SOCIAL_WORKER: False,
        Role.POLICE_OFFICER: True,
        Role.PRACTITIONER: True,
        Role.TRIAGE_OFFICER: False,
    }


@pytest.mark.django_db
def test_police_off_the_team_do_not_get_the_flag(cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    assert not sees_statutory_defence_flag(actor_for(cast, Role.POLICE_OFFICER), child)


@pytest.mark.django_db
def test_decisions_are_added_as_they_arrive_with_optimistic_concurrency(cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    actor = actor_for(cast, Role.SOCIAL_WORKER)
    today = timezone.localdate()
    record = nrm_services.record_nrm_referral(
        actor=actor,
        person_id=child.pk,
        data=_details(
            reasonable_grounds_on=None,
            reasonable_grounds_outcome="",
            is_relevant_to_criminal_proceedings=False,
        ),
    )
    assert not nrm_services.has_statutory_defence_flag(record)
    record = nrm_services.update_nrm_referral(
        actor=actor,
        nrm_id=record.pk,
        expected_version=1,
        data=_details(conclusive_grounds_on=today, conclusive_grounds_outcome="positive"),
    )
    assert nrm_services.has_statutory_defence_flag(record)
    with pytest.raises(StaleVersionError):
        nrm_services.update_nrm_referral(
            actor=actor, nrm_id=record.pk, expected_version=1, data=_details()
        )
    with pytest.raises(InvalidInput):
        nrm_services.update_nrm_referral(
            actor=actor,
            nrm_id=record.pk,
            expected_version=2,
            data=_details(reasonable_grounds_on=today + timedelta(days=3)),
        )


@pytest.mark.django_db
def test_only_case_workers_record_nrm_referrals(cast: Cast) -> None:
    child = child_on_team(cast, Role.POLICE_OFFICER)
    with pytest.raises(PermissionDeniedError):
        nrm_services.record_nrm_referral(
            actor=actor_for(cast, Role.POLICE_OFFICER), person_id=child.pk, data=_details()
        )
