"""The load test's accounts (bench/accounts.py) over a tiny synthetic load: they sign in
through the real pages with the code bench/totp_codes.py computes, and see the
children they are given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bench.accounts import PASSWORD, bench_users, signed_in_client
from bench.totp_codes import totp
from django.test import Client

from clearsight.synth import loader
from clearsight.synth.scales import SCALES
from tests.synth.test_loader import national_library  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tiny(tmp_path: Path, national_library: None) -> None:  # noqa: F811
    loader.load(
        scale=SCALES["tiny"],
        seed=3,
        as_of=date.today(),
        truth_path=tmp_path / "truth.csv",
        progress=None,
        warn=lambda message: None,
    )


def test_a_bench_user_signs_in_with_password_and_authenticator_code(tiny: None) -> None:
    user = bench_users(4)[0]
    client = Client()
    response = client.post("/sign-in/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/sign-in/code/" in response["Location"]
    response = client.post("/sign-in/code/", {"code": totp(user.totp_key)})
    assert response.status_code == 302
    assert "/sign-in" not in response["Location"]
    assert client.get(f"/people/{user.children[0]}/").status_code == 200


def test_every_role_sees_its_children_and_the_list_page(tiny: None) -> None:
    users = bench_users(4)
    assert {u.role for u in users} == {
        "police_officer",
        "triage_officer",
        "missing_coordinator",
        "social_worker",
    }
    for user in users:
        client = signed_in_client(user.membership_id)
        for person_id in user.children[:3] + user.to_report_missing[:3]:
            assert client.get(f"/people/{person_id}/").status_code == 200, user.role
        assert client.get("/missing/").status_code == 200


def test_only_roles_that_may_report_missing_are_given_children_to_report(tiny: None) -> None:
    users = bench_users(4)
    assert [u.role for u in users if not u.to_report_missing] == ["triage_officer"]
    reported = [pk for u in users for pk in u.to_report_missing]
    assert len(reported) == len(set(reported))


def test_making_the_accounts_again_reuses_them(tiny: None) -> None:
    first = bench_users(2)
    again = bench_users(2)
    assert [u.membership_id for u in first] == [u.membership_id for u in again]
